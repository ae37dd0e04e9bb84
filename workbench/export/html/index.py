"""The index page: the whole derivation graph (Graphviz SVG, one cluster per topic, nodes
coloured by status and linked to their pages), counts per status, a filter by topic and
status, and a table of every claim."""

from __future__ import annotations

import subprocess
from html import escape

from ...errors import WorkbenchError
from ...graph import STATUSES
from ...printing.style import STATUS
from ..dot import KIND_SHAPES
from ..order import natural_key
from .paths import link, node_id, page_of

__all__ = ["index_dot", "graph_svg", "index_html", "index_inputs"]


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _topics(report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for cid, r in report.results.items():
        out.setdefault(r.claim.topic, []).append(cid)
    return out


def index_dot(report) -> str:
    """DOT of the graph: a cluster per topic; each node has its page as URL, its DOM id and
    its status and topic as SVG classes."""
    lines = ['digraph "derivation" {', "  rankdir=LR; ranksep=0.3; nodesep=0.08;",
             '  node [fontname="Helvetica", fontsize=9, height=0.25, margin="0.05,0.02"];',
             '  edge [color="#8c959f", arrowsize=0.5];']
    for k, (topic, ids) in enumerate(sorted(_topics(report).items())):
        lines.append(f"  subgraph cluster_{k} {{ label={_q(topic)}; fontname=Helvetica; "
                     f'fontsize=12; style="rounded"; color="#afb8c1"; '
                     f"class={_q('topic topic-' + topic)};")
        for cid in ids:
            r = report.results[cid]
            label = cid.split("/", 1)[1]
            lines.append(
                f"    {_q(cid)} [label={_q(label)}, id={_q(node_id(cid))}, URL={_q(page_of(cid))}, "
                f"tooltip={_q(cid + ': ' + r.status)}, shape={KIND_SHAPES[r.claim.kind.value]}, "
                f"style=filled, fillcolor={_q(STATUS[r.status].fill)}, "
                f"class={_q('status-' + r.status)}];")
        lines.append("  }")
    for cid, r in report.results.items():
        for u in r.claim.uses:
            if u in report.results:
                lines.append(f"  {_q(u)} -> {_q(cid)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def graph_svg(dot_source: str) -> str:
    """The ``<svg>`` element Graphviz draws for ``dot_source`` (XML prologue removed)."""
    try:
        proc = subprocess.run(["dot", "-Tsvg"], input=dot_source, text=True, capture_output=True,
                              timeout=300)
    except FileNotFoundError:
        raise WorkbenchError("the HTML export needs Graphviz's `dot` on the PATH "
                             "(Debian: apt-get install graphviz)") from None
    if proc.returncode != 0:
        raise WorkbenchError("Graphviz could not draw the graph: "
                             + " ".join(proc.stderr.split())[:300])
    svg = proc.stdout
    return svg[svg.index("<svg"):]


def index_inputs(report) -> dict:
    """What the index is made from (its manifest key is a hash of this)."""
    return {cid: [r.status, r.claim.kind.value, r.claim.title, list(r.claim.uses),
                  r.evidence.summary if r.evidence else None]
            for cid, r in report.results.items()}


def _counts(report) -> str:
    counts = report.counts()
    return " ".join(f'<span class="status status-{s}" data-count="{counts.get(s, 0)}">'
                    f"{counts.get(s, 0)} {s}</span>" for s in STATUSES)


def _filters(report) -> str:
    topics = "".join(f'<option value="{escape(t)}">{escape(t)}</option>'
                     for t in sorted(_topics(report)))
    boxes = "".join(f'<label><input type="checkbox" class="status-filter" value="{s}" checked> '
                    f'<span class="status status-{s}">{s}</span></label>' for s in STATUSES)
    return (f'<div class="filters"><label>topic <select id="topic"><option value="">all</option>'
            f"{topics}</select></label>{boxes}</div>")


def _table(report) -> str:
    rows = []
    for cid in sorted(report.results, key=natural_key):
        r = report.results[cid]
        summary = escape(r.evidence.summary) if r.evidence else ""
        rows.append(f'<tr class="claim" id="row-{escape(node_id(cid))}" '
                    f'data-topic="{escape(r.claim.topic)}" data-status="{r.status}">'
                    f'<td><a href="{link(page_of(cid), 0)}">{escape(cid)}</a></td>'
                    f"<td>{escape(r.claim.kind.value)}</td><td>{escape(r.claim.shape)}</td>"
                    f'<td><span class="status status-{r.status}">{r.status}</span></td>'
                    f"<td>{summary}</td></tr>")
    return ("<table id=\"claims\"><tr><th>claim</th><th>kind</th><th>shape</th><th>status</th>"
            "<th>evidence</th></tr>" + "".join(rows) + "</table>")


def index_html(report, svg: str, title: str = "Derivation graph") -> str:
    """The index page around the graph's ``svg``."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<link rel="stylesheet" href="assets/site.css"><script src="assets/filter.js"></script></head>
<body>
<header class="top"><h1>{escape(title)}</h1><p>{len(report.results)} claims: {_counts(report)}</p></header>
{_filters(report)}
<div class="graph">{svg}</div>
<h2>Claims</h2>
{_table(report)}
</body></html>
"""
