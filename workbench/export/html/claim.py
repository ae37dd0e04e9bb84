"""One page per claim: statement (MathML), status and verdict, the evidence table, why it is
not verified (the chains down to the first failing premise), premises and dependents as
links, source, the plot drawn from the stored series, the check's code (pygments) and the
history of stored verdicts."""

from __future__ import annotations

import inspect
import json
from dataclasses import fields, is_dataclass
from html import escape
from pathlib import Path

from .maths import statement_html
from .paths import link, page_of, plot_of

__all__ = ["claim_inputs", "claim_html", "code_of"]

DEPTH = 2   # claims/<topic>/<name>.html


def _badge(status: str) -> str:
    return f'<span class="status status-{escape(status)}">{escape(status)}</span>'


def _claim_link(report, cid: str) -> str:
    r = report.results.get(cid)
    badge = _badge(r.status) if r is not None else ""
    return f'<a href="{link(page_of(cid), DEPTH)}">{escape(cid)}</a> {badge}'


def _function(value):
    """The Python function behind ``value`` (a function, method or partial), or None."""
    import functools
    while isinstance(value, functools.partial):
        value = value.func
    return value if inspect.isfunction(value) or inspect.ismethod(value) else None


def code_of(claim) -> list[tuple[str, str]]:
    """``(heading, source)`` of the functions that decide the claim: its check and the
    functions its statement holds (an asymptotic claim's sequence, an agreement's estimate
    and reference, ...).  Source that cannot be read (made at run time) is skipped."""
    found = [("check", claim.check)]
    st = claim.statement
    if is_dataclass(st):
        found += [(f.name, getattr(st, f.name)) for f in fields(st)]
    out = []
    for name, value in found:
        fn = _function(value)
        if fn is None:
            continue
        try:
            line = inspect.getsourcelines(fn)[1]
            where = Path(inspect.getsourcefile(fn) or "?").name
            out.append((f"{name}: {where}, line {line}", inspect.getsource(fn)))
        except (OSError, TypeError):
            continue
    return out


def _highlight(code: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    import textwrap
    return highlight(textwrap.dedent(code), PythonLexer(), HtmlFormatter())


def _evidence(ev) -> str:
    if ev is None:
        return "<p>No current result is stored: run <code>workbench verify</code>.</p>"
    rows = "".join(
        f"<tr><td>{escape(k)}</td><td class=\"num\"><code>{escape(m.value)}</code></td>"
        f"<td class=\"num\">{escape(m.error or '')}</td>"
        f"<td class=\"num\"><code>{escape(m.claimed or '')}</code></td>"
        f"<td class=\"num\">{'' if m.digits is None else f'{m.digits:.1f}'}</td></tr>"
        for k, m in ev.measured.items())
    measured = ("<table class=\"measured\"><tr><th>quantity</th><th>measured</th><th>error</th>"
                f"<th>claimed</th><th>digits</th></tr>{rows}</table>") if rows else ""
    grid = _grid(ev.grid) if ev.grid else "&ndash;"
    facts = [("verdict", _badge(ev.verdict) + f" ({escape(ev.outcome)})"),
             ("summary", escape(ev.summary)),
             ("digits", "&ndash;" if ev.digits is None else f"{ev.digits:.1f}"),
             ("methods", escape(", ".join(ev.methods)) or "&ndash;"),
             ("grid", grid),
             ("precisions", escape(" / ".join(map(str, ev.precisions))) or "&ndash;"),
             ("runtime", f"{ev.runtime:.2f} s")]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
    return f'<table class="evidence">{table}</table>{measured}'


def _short(value) -> str:
    """A grid value in a few characters: a long list as ``first ... last (n values)``."""
    if isinstance(value, (list, tuple)):
        if len(value) > 4 and not any(isinstance(v, (dict, list)) for v in value):
            return f"{value[0]} &hellip; {value[-1]} ({len(value)} values)"
        return escape(json.dumps(value, default=str))
    return escape(str(value))


def _grid(grid: dict) -> str:
    """Where the check looked: one line per entry; a list of records (lattices, say) as a
    folded table, one row each."""
    rows = []
    for key, value in grid.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            cols = list(dict.fromkeys(k for v in value for k in v))
            head = "".join(f"<th>{escape(str(c))}</th>" for c in cols)
            body = "".join("<tr>" + "".join(f"<td>{_short(v.get(c, ''))}</td>" for c in cols)
                           + "</tr>" for v in value)
            rows.append(f"<details><summary>{escape(str(key))}: {len(value)}</summary>"
                        f"<table class=\"grid\"><tr>{head}</tr>{body}</table></details>")
        else:
            rows.append(f"{escape(str(key))}: {_short(value)}")
    return "<br>".join(rows)


def _chains(report, cid, chains) -> str:
    if not chains:
        return ""
    items = []
    for chain in chains:
        root = report.results[chain[0]]
        reason = root.evidence.summary if root.evidence else "no current result (run verify)"
        path = " &rarr; ".join(_claim_link(report, c) for c in chain)
        items.append(f'<li class="chain">{path}<br><small>{escape(chain[0])}: '
                     f"{escape(reason)}</small></li>")
    return "<h2>Why it is not verified</h2><ul class=\"why\">" + "".join(items) + "</ul>"


def _history(runs, current_hash) -> str:
    if not runs:
        return "<p>No stored runs.</p>"
    rows = "".join(f"<tr><td>{escape(r.when)}</td><td>{_badge(r.verdict)}</td>"
                   f"<td>{escape(r.version)}</td>"
                   f"<td>{'current' if r.claim_hash == current_hash else 'stale'}</td>"
                   f"<td>{escape(r.evidence.summary)}</td></tr>" for r in runs)
    return ("<table class=\"history\"><tr><th>when</th><th>verdict</th><th>version</th>"
            f"<th>claim version</th><th>summary</th></tr>{rows}</table>")


def claim_inputs(report, cid, chains, runs, plot) -> dict:
    """What the page of ``cid`` is made from (its manifest key is a hash of this): the claim's
    effective hash (statement, check code, premises), status, evidence, its neighbours'
    statuses, the blocking chains and the stored runs."""
    G, r = report.graph, report.results[cid]
    near = sorted(set(G.predecessors(cid)) | set(G.successors(cid)))
    return {"hash": r.hash, "status": r.status, "title": r.claim.title, "source": r.claim.source,
            "evidence": r.evidence.to_json() if r.evidence else None, "plot": plot,
            "near": [(n, report.results[n].status if n in report.results else None) for n in near],
            "chains": chains, "runs": [(x.started, x.verdict, x.claim_hash) for x in runs]}


def claim_html(report, cid, chains, runs, plot) -> str:
    """The page of claim ``cid`` (``runs``: its stored runs, newest first; ``plot``: None when
    its plot was drawn, False when it has none, else why it could not be drawn)."""
    r = report.results[cid]
    c, G = r.claim, report.graph
    premises = sorted(G.predecessors(cid))
    dependents = sorted(G.successors(cid))

    def links(ids):
        return ("<ul>" + "".join(f"<li>{_claim_link(report, i)}</li>" for i in ids) + "</ul>"
                if ids else "<p>none</p>")
    if plot is None:
        plot = (f'<h2>Plot</h2><div class="plot"><img alt="plot of {escape(cid)}" '
                f'src="{link(plot_of(cid), DEPTH)}"></div>')
    elif plot:
        plot = f"<h2>Plot</h2><p>The stored series could not be drawn: {escape(plot)}</p>"
    else:
        plot = ""
    code = "".join(f"<h3><code>{escape(name)}</code></h3>{_highlight(src)}"
                   for name, src in code_of(c)) or (
        "<p>No hand-written code: the statement above is checked by its validator "
        f"(<code>{escape(type(c.statement).__name__)}</code>).</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(cid)}</title>
<link rel="stylesheet" href="{link('assets/site.css', DEPTH)}"></head>
<body>
<p><a href="{link('index.html', DEPTH)}">&larr; all claims</a></p>
<h1><code>{escape(cid)}</code></h1>
<p class="title">{escape(c.kind.value.capitalize())} ({escape(c.shape)}): {escape(c.title)}</p>
<p>Status: {_badge(r.status)}</p>
<h2>Statement</h2>
{statement_html(c.statement)}
<h2>Evidence</h2>
{_evidence(r.evidence)}
{_chains(report, cid, chains)}
<h2>Premises</h2>{links(premises)}
<h2>Dependents</h2>{links(dependents)}
<h2>Source</h2><p>{escape(c.source) or "not given"}</p>
{plot}
<h2>Code</h2>{code}
<h2>History</h2>{_history(runs, r.hash)}
</body></html>
"""
