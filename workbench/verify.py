"""Running checks: select claims, reuse stored results, run the rest, combine statuses.

Every claim's own check is independent of its premises (a blocked claim's
check still runs and its result is kept), so the runner may run them in any
order, ``jobs`` at a time, each in its own child process
(:mod:`workbench.isolation`), here or on Dask workers (:mod:`workbench.executors`);
each check is a pure, seeded function of its parameters, so the results are
identical for any ``jobs`` and either executor.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

import networkx as nx

from .errors import WorkbenchError
from .evidence import Evidence
from .executors import EXECUTORS, usable_cores
from .graph import build_graph, premises, statuses
from .isolation import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, run_in_process, run_isolated
from .loading import Sources
from .store import Store, StoreBusy

# claims, hashing and the validators import sympy, numpy and the science modules: they are
# imported when claims are built or hashed, not with this module (a warm no-op run reads
# manifests instead, see workbench.manifest)

__all__ = ["Result", "Report", "verify", "current_report", "select"]

log = logging.getLogger(__name__)


@dataclass
class Result:
    """The state of one claim after a run (or from the store)."""

    claim: "Claim"   # or a workbench.manifest.ClaimStub (module not imported)
    status: str
    hash: str
    evidence: Evidence | None = None
    cached: bool = False

    @property
    def own(self) -> str | None:
        return self.evidence.verdict if self.evidence else None

    def to_dict(self) -> dict:
        """The result as JSON-ready data (:func:`workbench.printing.json.result_dict`)."""
        from .printing.json import result_dict
        return result_dict(self)


@dataclass
class Report:
    """Statuses and evidence of a set of claims; ``selected`` are the ones asked for;
    ``unstored`` are claims whose fresh result the store would not take."""

    graph: nx.DiGraph
    results: dict[str, Result]
    selected: list[str] = field(default_factory=list)
    runtime: float = 0.0
    unstored: list[str] = field(default_factory=list)

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
        """The results as JSON (:func:`workbench.printing.json.report_json`)."""
        from .printing.json import report_json
        return report_json(self)

    def _repr_html_(self) -> str:
        from .printing.html import report_html
        return report_html(self)


def _claims_of(items) -> list:
    from .claims import Claim, Derivation
    if isinstance(items, Sources):
        return items.load()
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
    from .hashing import effective_hashes
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


# -- running ----------------------------------------------------------------------
def _lookups(todo_all, hashes, store, force):
    """``(evidence, cached, todo)``: the stored results that stand for a run, and the rest."""
    evidence: dict[str, Evidence] = {}
    cached: set[str] = set()
    todo = []
    for i in todo_all:
        run = None if (force or store is None) else store.lookup(i, hashes[i])
        if _reusable(run):
            evidence[i] = run.evidence
            cached.add(i)
        else:
            todo.append(i)
    return evidence, cached, todo


def _plan_sources(sources: Sources, ids, store, force):
    """Graph, hashes, selection and lookups for claims given as :class:`Sources`: derivation
    modules with a current manifest are not imported (:mod:`workbench.manifest`) unless one
    of their claims must run, which imports that module and recomputes its hashes."""
    from .manifest import merkle, resolve
    res = resolve(sources, store)
    checked = False
    while True:
        if not res.claims:
            raise WorkbenchError("no claims to work on: the registered derivation modules "
                                 "declare none")
        G = build_graph(res.claims)
        hashes = merkle(G, res.own)
        selected = select(G, ids)
        if store is not None and not checked:
            store.ensure_writable()
            checked = True
        todo_all = sorted(_closure(G, selected))
        evidence, cached, todo = _lookups(todo_all, hashes, store, force)
        stubbed = {G.nodes[i]["claim"].module for i in todo
                   if getattr(G.nodes[i]["claim"], "stub", False)}
        if not stubbed:
            return G, hashes, selected, todo_all, evidence, cached, todo
        res.realise(stubbed)


def _reusable(run) -> bool:
    """A stored run may stand for a new one unless it is an error (errors are re-run:
    a crash, a timeout or a full disk says nothing about the claim)."""
    return run is not None and run.evidence.verdict != "error"


def verify(claims, ids=None, *, store: Store | None = None, force: bool = False,
           jobs: int | None = None, on_result: Callable[[Result, int, int], None] | None = None,
           timeout: float | None = DEFAULT_TIMEOUT, memory_mb: float | None = DEFAULT_MEMORY_MB,
           isolate: bool = True, executor: str | None = None, scheduler: str | None = None,
           client=None) -> Report:
    """Verify claims (and their premises), reusing stored results of the same hash.

    Each check runs in its own child process (see :mod:`workbench.isolation`): a check that
    hangs, exits, crashes or exhausts memory becomes that claim's ``error`` and the run goes
    on; its stdout/stderr are captured into the evidence.  Results are identical for any
    ``jobs``.  A stored ``error`` is never reused (it is run again); stored ``verified`` and
    ``failed`` results of the same hash are.

    Parameters
    ----------
    claims : Derivation, Claim, iterable of them, or :class:`~workbench.loading.Sources`
        Given as ``Sources`` (what the CLI does), a derivation module whose manifest in
        ``store`` is current is not imported unless one of its claims must run
        (:mod:`workbench.manifest`); the report is the same.
    ids : list of str, optional
        Which claims (ids, topics or globs); default all.  Their premises are
        verified too, since a claim's status depends on them.
    store : Store, optional
        Where results are looked up and recorded; ``None`` keeps nothing.  It must be
        writable (checked before any check runs).  A result the store cannot take (locked
        through every retry) is kept in the report, listed in ``Report.unstored``, and
        logged as a warning.
    force : bool
        Re-run even when a stored result of the same hash exists.
    jobs : int, optional
        Checks run at the same time (each in its own process); default the number of usable
        cores (:func:`~workbench.executors.usable_cores`).  With ``executor="dask"``, the number of workers of the
        local cluster; ignored with ``scheduler`` or ``client`` (the cluster decides).
    on_result : callable, optional
        Called as ``on_result(result, done, total)`` after each claim; ``result.status``
        there is the claim's *own* verdict (its final status needs its premises: see the
        returned report).
    timeout : float or None
        Seconds a check may run (default :data:`~workbench.isolation.DEFAULT_TIMEOUT`,
        900 s); a claim's own ``timeout=`` overrides it; ``None`` means no limit.
    memory_mb : float or None
        Memory limit of each check in MiB (default: half the physical memory); ``None``
        means no limit.
    isolate : bool
        ``False`` runs the checks one by one in this process, for debuggers and profilers:
        mpmath is still reset and ``sys.exit`` caught, but there is no time or memory limit,
        nothing is captured, and a crash ends the run (on Dask: in the worker process, and a
        crash costs that worker).
    executor : {"local", "dask"}, optional
        ``"local"`` (the default): child processes of this one.  ``"dask"``: the checks run
        on Dask workers (:mod:`workbench.executors`; needs the ``distributed`` extra), on a
        ``LocalCluster`` of ``jobs`` single-threaded worker processes started for the run
        unless ``scheduler`` or ``client`` is given.  Each check is still a forked child
        with the same limits, this process alone writes to the store, and statuses and
        evidence are those of a local run.  Only claims loaded from an importable module
        or a claim file can be sent (a worker loads them itself and checks their hash).
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://HOST:PORT``); implies ``"dask"``.
    client : distributed.Client, optional
        An existing Dask client to use (left open); implies ``"dask"``.
    """
    dask = _wants_dask(executor, scheduler, client)
    if jobs is None:
        jobs = usable_cores()
    if jobs < 1:
        raise WorkbenchError(f"jobs must be >= 1, got {jobs}")
    t0 = time.perf_counter()
    if isinstance(claims, Sources):
        G, hashes, selected, todo_all, evidence, cached, todo = _plan_sources(claims, ids, store, force)
    else:
        from .hashing import effective_hashes
        G = build_graph(_claims_of(claims))
        hashes = effective_hashes(G)
        selected = select(G, ids)
        if store is not None:
            store.ensure_writable()
        todo_all = sorted(_closure(G, selected))
        evidence, cached, todo = _lookups(todo_all, hashes, store, force)
    total, done = len(todo_all), 0
    unstored: list[str] = []

    def finish(claim, ev):
        nonlocal done
        i = claim.id
        evidence[i] = ev
        if store is not None and not _record(store, i, hashes[i], ev):
            unstored.append(i)
        done += 1
        if on_result:
            on_result(Result(claim, ev.verdict, hashes[i], ev, False), done, total)

    for i in sorted(cached):
        done += 1
        if on_result:
            on_result(Result(G.nodes[i]["claim"], evidence[i].verdict, hashes[i], evidence[i], True),
                      done, total)
    if (jobs > 1 or dask) and store is not None:
        # longest checks first (by their last recorded run time), so workers finish together
        todo.sort(key=lambda i: -(store.last_runtime(i) or 0.0))
    todo_claims = [G.nodes[i]["claim"] for i in todo]
    if isolate and not hasattr(os, "fork"):   # pragma: no cover - not POSIX
        log.warning("checks run in this process: this platform cannot fork")
        isolate = False
    if dask and todo_claims:
        _run_on_dask(todo_claims, finish, scheduler=scheduler, client=client, jobs=jobs,
                     timeout=timeout, memory_mb=memory_mb, isolate=isolate)
    elif isolate and todo_claims:
        run_isolated(todo_claims, finish, jobs=jobs, timeout=timeout, memory_mb=memory_mb)
    else:
        for claim in todo_claims:
            finish(claim, run_in_process(claim))
    if unstored:   # one more attempt: the lock that stopped them may be gone
        unstored[:] = [i for i in unstored if not _record(store, i, hashes[i], evidence[i], last=True)]
    report = _report(G, hashes, evidence, cached, selected, time.perf_counter() - t0)
    report.unstored = unstored
    return report


def _wants_dask(executor: str | None, scheduler: str | None, client) -> bool:
    """Whether the run goes to Dask; a :class:`WorkbenchError` for contradictory options."""
    if executor is not None and executor not in EXECUTORS:
        raise WorkbenchError(f"unknown executor {executor!r}; choose one of {list(EXECUTORS)}")
    if scheduler is not None and client is not None:
        raise WorkbenchError("give a Dask scheduler address or a client, not both")
    remote = scheduler is not None or client is not None
    if executor == "local" and remote:
        raise WorkbenchError("a Dask scheduler or client runs the checks on Dask: use "
                             "executor 'dask' (or leave it out), not 'local'")
    return remote or executor == "dask"


def _run_on_dask(claims, finish, *, scheduler, client, jobs, timeout, memory_mb, isolate):
    """The checks of ``claims`` on Dask (a cluster started for the run unless ``scheduler``
    or ``client`` is given); ``finish(claim, evidence)`` here, once per claim."""
    from .executors import dask_client, run_on_dask, tasks

    prepared = tasks(claims)   # refuses unsendable claims before a cluster starts
    limits = dict(prepared=prepared, timeout=timeout, memory_mb=memory_mb, isolate=isolate)
    if client is not None:
        run_on_dask(client, claims, finish, **limits)
        return
    with dask_client(scheduler, n_workers=jobs) as own_client:
        run_on_dask(own_client, claims, finish, **limits)


def _record(store: Store, claim_id: str, claim_hash: str, ev: Evidence, last: bool = False) -> bool:
    """Store a result; False (and a warning) when the store would not take it."""
    try:
        store.record(claim_id, claim_hash, ev)
        return True
    except StoreBusy as exc:
        log.warning("%s%s", exc, "; it is kept in this run's report only" if last
                    else "; will try again at the end of the run")
        return False
