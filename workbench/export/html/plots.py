"""The claims' plots for the site: SVGs drawn with matplotlib from the stored series only
(:func:`workbench.plotting.stored_plot`: no check is run, no sequence computed), in
parallel processes when there are many."""

from __future__ import annotations

import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .write import write_atomic

__all__ = ["site_plot", "plot_svg", "draw_all"]

#: Plots drawn in this process when there are at most this many (a pool costs ~0.2 s).
SERIAL_UP_TO = 8

_TODO: dict[str, tuple] = {}      # path -> (claim, plot): read by the forked workers


def site_plot(claim, evidence):
    """The :class:`~workbench.plotting.Plot` the stored ``evidence`` of ``claim`` records, or
    None (no evidence, or nothing to draw)."""
    from ...plotting import PlotError, stored_plot
    if evidence is None:
        return None
    try:
        return stored_plot(claim, evidence)
    except PlotError:
        return None


def plot_svg(claim, plot) -> str:
    """``plot`` drawn as SVG text (no timestamp: the same series gives the same file)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ...plotting import draw_plot
    fig = draw_plot(claim, plot, quick=True)
    try:
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()
    finally:
        plt.close(fig)


def _draw(path: str) -> str | None:
    """Draw the plot queued for ``path`` and write it; the error as one line, or None."""
    claim, plot = _TODO[path]
    try:
        write_atomic(Path(path), plot_svg(claim, plot))
        return None
    except Exception as exc:   # a series that cannot be drawn: the page says so, the site is made
        return f"{claim.id}: {type(exc).__name__}: {' '.join(str(exc).split())}"


def draw_all(todo: dict[str, tuple], jobs: int) -> dict[str, str]:
    """Draw every ``path -> (claim, plot)`` of ``todo``, on ``jobs`` forked processes when
    there are many; returns ``path -> error`` for the plots that could not be drawn."""
    _TODO.clear()
    _TODO.update(todo)
    try:
        paths = list(todo)
        if jobs <= 1 or len(paths) <= SERIAL_UP_TO or "fork" not in multiprocessing.get_all_start_methods():
            results = map(_draw, paths)
        else:
            pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
            with pool:
                results = list(pool.map(_draw, paths, chunksize=max(1, len(paths) // (4 * jobs))))
        return {p: err for p, err in zip(paths, results) if err is not None}
    finally:
        _TODO.clear()
