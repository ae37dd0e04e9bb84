"""Running checks: select claims, reuse stored results, run the rest, combine statuses.

Every claim's own check is independent of its premises (a blocked claim's
check still runs and its result is kept), so the runner may run them in any
order and, with ``jobs > 1``, in parallel worker processes; each check is a
pure, seeded function of its parameters, so the results are identical.
"""

from __future__ import annotations

import fnmatch
import html
import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Callable, Iterable

import networkx as nx

from .claims import Claim, Derivation
from .errors import WorkbenchError
from .evidence import Evidence
from .graph import build_graph, premises, statuses
from .hashing import effective_hashes
from .store import Store
from .validate import run_check

__all__ = ["Result", "Report", "verify", "current_report", "select"]


@dataclass
class Result:
    """The state of one claim after a run (or from the store)."""

    claim: Claim
    status: str
    hash: str
    evidence: Evidence | None = None
    cached: bool = False

    @property
    def own(self) -> str | None:
        return self.evidence.verdict if self.evidence else None

    def to_dict(self) -> dict:
        return {"id": self.claim.id, "kind": self.claim.kind.value, "title": self.claim.title,
                "status": self.status, "own_verdict": self.own, "cached": self.cached,
                "uses": list(self.claim.uses), "hash": self.hash,
                "evidence": self.evidence.to_dict() if self.evidence else None}


_COLOURS = {"verified": "#1a7f37", "failed": "#cf222e", "error": "#8250df",
            "blocked": "#bf8700", "unchecked": "#6e7781"}


@dataclass
class Report:
    """Statuses and evidence of a set of claims; ``selected`` are the ones asked for."""

    graph: nx.DiGraph
    results: dict[str, Result]
    selected: list[str] = field(default_factory=list)
    runtime: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every selected claim is verified."""
        return all(self.results[i].status == "verified" for i in self.selected)

    def __getitem__(self, claim_id: str) -> Result:
        return self.results[claim_id]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results.values():
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def to_json(self) -> str:
        return json.dumps({"claims": [self.results[i].to_dict() for i in self.results]},
                          indent=2, default=str)

    def _repr_html_(self) -> str:
        rows = []
        for r in self.results.values():
            ev = html.escape(r.evidence.summary) if r.evidence else ""
            rows.append(f"<tr><td><code>{html.escape(r.claim.id)}</code></td>"
                        f"<td>{r.claim.kind.value}</td>"
                        f"<td style='color:{_COLOURS[r.status]}'><b>{r.status}</b></td>"
                        f"<td>{ev}</td></tr>")
        return ("<table><tr><th>claim</th><th>kind</th><th>status</th><th>evidence</th></tr>"
                + "".join(rows) + "</table>")


def _claims_of(items) -> list[Claim]:
    if isinstance(items, (Derivation, Claim)):
        items = [items]
    out = []
    for it in items:
        if isinstance(it, Derivation):
            out.extend(it)
        elif isinstance(it, Claim):
            out.append(it)
        else:
            raise WorkbenchError(f"expected claims or derivations, got {it!r}")
    return out


def select(G: nx.DiGraph, patterns: Iterable[str] | None) -> list[str]:
    """Claim ids matching ``patterns`` (ids, topics, or shell globs); all when empty."""
    nodes = sorted(G)
    if not patterns:
        return nodes
    chosen: list[str] = []
    for p in patterns:
        hits = [n for n in nodes if n == p or n.split("/")[0] == p or fnmatch.fnmatchcase(n, p)]
        if not hits:
            raise WorkbenchError(f"no claim matches {p!r}")
        chosen.extend(h for h in hits if h not in chosen)
    return chosen


def _closure(G, ids):
    need = set(ids)
    for i in ids:
        need |= premises(G, i)
    return need


def _report(G, hashes, evidence, cached, selected, runtime=0.0) -> Report:
    own = {i: ev.verdict for i, ev in evidence.items()}
    st = statuses(G.subgraph(set(evidence) | set(selected) | _closure(G, selected)), own)
    results = {i: Result(G.nodes[i]["claim"], st[i], hashes[i], evidence.get(i), i in cached)
               for i in sorted(st, key=lambda n: (n not in selected, n))}
    return Report(G, results, list(selected), runtime)


def current_report(claims, store: Store | None, ids=None) -> Report:
    """Statuses from stored results only (nothing is run); missing or stale ones are unchecked."""
    G = build_graph(_claims_of(claims))
    hashes = effective_hashes(G)
    selected = select(G, ids)
    evidence, cached = {}, set()
    if store is not None:
        for i in _closure(G, selected):
            run = store.lookup(i, hashes[i])
            if run is not None:
                evidence[i] = run.evidence
                cached.add(i)
    return _report(G, hashes, evidence, cached, selected)


# -- parallel workers ----------------------------------------------------------
_WORKER_CLAIMS: dict[str, Claim] = {}


def _one_blas_thread():
    """Worker initializer: one BLAS thread per worker.  Forked workers that each keep the
    parent's BLAS thread pool oversubscribe the cores; measured 40x slower on 2 cores
    (bahri_regimes/resolution-limited-D: 5 s alone, 230 s beside another worker)."""
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)


def _run_in_worker(claim_id: str) -> tuple[str, Evidence]:
    return claim_id, run_check(_WORKER_CLAIMS[claim_id])


def verify(claims, ids=None, *, store: Store | None = None, force: bool = False, jobs: int = 1,
           on_result: Callable[[Result, int, int], None] | None = None) -> Report:
    """Verify claims (and their premises), reusing stored results of the same hash.

    Parameters
    ----------
    claims : Derivation, Claim, or iterable of them
    ids : list of str, optional
        Which claims (ids, topics or globs); default all.  Their premises are
        verified too, since a claim's status depends on them.
    store : Store, optional
        Where results are looked up and recorded; ``None`` keeps nothing.
    force : bool
        Re-run even when a stored result of the same hash exists.
    jobs : int
        Worker processes (1 runs in this process).
    on_result : callable, optional
        Called as ``on_result(result, done, total)`` after each claim.
    """
    if jobs < 1:
        raise WorkbenchError(f"jobs must be >= 1, got {jobs}")
    t0 = time.perf_counter()
    G = build_graph(_claims_of(claims))
    hashes = effective_hashes(G)
    selected = select(G, ids)
    todo_all = sorted(_closure(G, selected))
    evidence: dict[str, Evidence] = {}
    cached: set[str] = set()
    todo = []
    for i in todo_all:
        run = None if (force or store is None) else store.lookup(i, hashes[i])
        if run is not None:
            evidence[i] = run.evidence
            cached.add(i)
        else:
            todo.append(i)
    total, done = len(todo_all), 0

    def finish(i, ev):
        nonlocal done
        evidence[i] = ev
        if store is not None:
            store.record(i, hashes[i], ev)
        done += 1
        if on_result:
            on_result(Result(G.nodes[i]["claim"], ev.verdict, hashes[i], ev, False), done, total)

    for i in sorted(cached):
        done += 1
        if on_result:
            on_result(Result(G.nodes[i]["claim"], evidence[i].verdict, hashes[i], evidence[i], True),
                      done, total)
    if jobs == 1 or len(todo) <= 1:
        for i in todo:
            finish(i, run_check(G.nodes[i]["claim"]))
    else:
        # longest checks first (by their last recorded run time), so workers finish together
        if store is not None:
            todo.sort(key=lambda i: -(store.last_runtime(i) or 0.0))
        _WORKER_CLAIMS.clear()
        _WORKER_CLAIMS.update({i: G.nodes[i]["claim"] for i in todo})
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx,
                                 initializer=_one_blas_thread) as pool:
            futures = [pool.submit(_run_in_worker, i) for i in todo]
            for fut in as_completed(futures):
                i, ev = fut.result()
                finish(i, ev)
        _WORKER_CLAIMS.clear()
    return _report(G, hashes, evidence, cached, selected, time.perf_counter() - t0)
