"""``workbench export html``: the derivation graph as a static site that works from ``file://``.

* ``index.html`` -- the graph (Graphviz SVG, a cluster per topic, nodes coloured by status and
  linked to their pages), counts per status, a filter by topic and status, a table of claims
  (:mod:`.index`);
* ``claims/<topic>/<name>.html`` -- one page per claim (:mod:`.claim`);
* ``plots/<topic>/<name>.svg`` -- the plot of each claim whose stored evidence has a series
  (:mod:`.plots`);
* ``assets/`` -- one stylesheet and one small script (:mod:`.assets`); nothing is fetched
  from a network and maths is MathML (:mod:`.maths`), rendered by the browser itself;
* ``manifest.json`` -- the hash of each file's inputs (:mod:`.write`): regenerating rewrites
  only the files whose inputs changed.

Everything comes from the store: nothing is verified or computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..._version import __version__
from ...graph import why
from .assets import assets
from .claim import claim_html, claim_inputs
from .index import graph_svg, index_dot, index_html, index_inputs
from .paths import page_of, plot_of
from .plots import draw_all, site_plot
from .write import Site

__all__ = ["export_html", "SiteReport"]

#: Changes whenever the pages' layout changes, so that every page is rewritten.
LAYOUT = 1


@dataclass
class SiteReport:
    """What :func:`export_html` did: the files it wrote and the ones already current."""

    root: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _chains(report, cid) -> list[list[str]]:
    """Like ``workbench why``: the chains down to each failing premise (empty when verified)."""
    if report.results[cid].status == "verified":
        return []
    own = {i: (r.own or "unchecked") for i, r in report.results.items()}
    return why(report.graph.subgraph(report.results), own, cid)


def export_html(report, directory, store=None, title: str = "Derivation graph",
                jobs: int | None = None) -> SiteReport:
    """Write the site of ``report`` (its claims' current results) into ``directory``.

    ``store`` gives each claim's history of verdicts (none shown without it); ``jobs``
    processes draw the plots (default: the usable cores).  Returns a :class:`SiteReport`.
    Raises :class:`~workbench.errors.WorkbenchError` when Graphviz is missing or fails.
    """
    from ...executors import usable_cores
    site = Site(directory)
    version = [LAYOUT, __version__]
    for rel, text in assets().items():
        site.page(rel, [version, text], lambda text=text: text)
    site.page("index.html", [version, title, index_inputs(report)],
              lambda: index_html(report, graph_svg(index_dot(report)), title))
    plots, todo = {}, {}
    for cid, r in report.results.items():
        plot = site_plot(r.claim, r.evidence)
        if plot is None:
            continue
        plots[cid] = None
        rel = plot_of(cid)
        # the drawing's inputs: the series and the labels, not the run (its time, its runtime)
        if site.stale(rel, [version, cid, r.claim.title, plot.draw.__name__, plot.data]):
            todo[str(site.root / rel)] = (r.claim, plot)
    failed = draw_all(todo, jobs or usable_cores())
    for cid in plots:
        path = str(site.root / plot_of(cid))
        if path in failed:
            plots[cid] = failed[path]
            site.forget(plot_of(cid))
        elif path in todo:
            site.wrote(plot_of(cid))
    for cid in report.results:
        runs = store.history(cid) if store is not None else []
        chains = _chains(report, cid)
        plot = plots.get(cid, False)      # False: none; None: drawn; a string: why it failed
        inputs = claim_inputs(report, cid, chains, runs, plot)
        site.page(page_of(cid), [version, inputs],
                  lambda cid=cid, chains=chains, runs=runs, plot=plot:
                  claim_html(report, cid, chains, runs, plot))
    site.close()
    return SiteReport(site.root, site.written, site.kept)
