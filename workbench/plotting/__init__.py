"""Plots of claims: what the statement or its evidence says, drawn against the claim.

One function, :func:`plot_claim`, used by ``workbench plot`` and by the notebooks.  What is
drawn depends on the statement's type (:func:`plot_for`, a singledispatch function a new
statement type registers with):

* :class:`~workbench.statements.Asymptotic` ``a(v) ~ C v^e (log v)^q``: ``a`` is computed on the
  validator's grid (at its working precision), drawn against the claimed leading term; the
  lower panel shows ``|a(v) / leading(v) - 1|`` (log scale), which must tend to 0.
* :class:`~workbench.statements.Agree`: the digits of agreement reached at each point (its
  evidence's ``details["series"]``), with the target line.
* :class:`~workbench.statements.Agreement`: the mean +- SE of each component against the
  reference, and the deviations in standard errors.
* Any claim whose check records a series (``Evidence.details["plot"]``, see :func:`series`):
  measured points with error bars, the law, and the residuals ``measured / law - 1``.
* Anything else (an equality checked at random points, a free-form check recording no series):
  :class:`PlotError` with one line naming the claim and why.
"""

from __future__ import annotations

from pathlib import Path

from .draw import draw_components, draw_digits, draw_law
from .records import Plot, PlotError, recorded, series


def __getattr__(name: str):
    # the statement-type dispatch needs sympy: imported on first use (a stored series does not)
    if name in ("plot_for", "asymptotic_series"):
        from . import sources
        return getattr(sources, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["PlotError", "Plot", "plot_claim", "plot_data", "stored_plot", "draw_plot", "plot_for",
           "recorded", "series", "asymptotic_series", "output_format", "draw_law", "draw_digits", "draw_components"]


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: " + " ".join(str(exc).split())


def output_format(path) -> str:
    """The image format for ``path``, from its extension; checked before anything is computed.

    Raises :class:`PlotError` when the extension is missing or not one matplotlib can write
    (the message lists the ones it can), or when the folder does not exist.
    """
    from matplotlib.figure import Figure
    supported = Figure().canvas.get_supported_filetypes()
    path = Path(path)
    ext = path.suffix[1:].lower()
    if ext not in supported:
        given = f"extension .{ext}" if ext else "no extension"
        raise PlotError(f"cannot write an image to {str(path)!r} ({given}); "
                        f"use one of: {', '.join('.' + e for e in sorted(supported))}")
    if not path.parent.is_dir():
        raise PlotError(f"cannot write {str(path)!r}: folder {str(path.parent)!r} does not exist")
    return ext


def plot_data(claim, evidence=None, points: int | None = None) -> Plot:
    """What :func:`plot_claim` would draw for ``claim``, without drawing it.

    ``evidence`` is the claim's :class:`~workbench.evidence.Evidence`, None, or a function
    returning either (called only when the statement type needs evidence: an asymptotic
    claim is computed here, so its check never runs).  Raises :class:`PlotError` naming the
    claim when there is nothing to plot or computing the series fails.
    """
    from .sources import plot_for
    get = evidence if callable(evidence) else (lambda: evidence)
    return plot_for(claim.statement, claim, get, points)


def plot_claim(claim, evidence=None, ax=None, points: int | None = None):
    """Draw ``claim`` (see the module docstring); returns the matplotlib figure.

    ``evidence``: as for :func:`plot_data`.  ``ax``: the axes to draw on (a sequence, two
    stacked axes for the drawers that use two panels; extra axes are hidden); by default a
    new figure.  ``points``: for an asymptotic claim, only the first ``points`` grid nodes.

    Raises :class:`PlotError`, naming the claim, when there is nothing to draw, when the
    sequence raises while it is computed, or when the series cannot be drawn (a figure made
    here is closed first).
    """
    return draw_plot(claim, plot_data(claim, evidence, points), ax)


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075"
                                            "\u2076\u2077\u2078\u2079")


def _power_of_ten(value, _pos=None) -> str:
    """A log axis's tick label as plain text (``10⁵``, ``10⁻³``): no mathtext to typeset."""
    import math
    if value <= 0:
        return ""
    k = math.log10(value)
    if abs(k - round(k)) < 1e-9:
        return "10" + str(int(round(k))).translate(_SUPERSCRIPT)
    return f"{value:g}"


def _plain_log_ticks(ax) -> None:
    """No minor ticks, and plain-text labels on log axes (each mathtext label costs ~10 ms)."""
    from matplotlib.ticker import FuncFormatter
    ax.minorticks_off()
    for axis, scale in ((ax.xaxis, ax.get_xscale()), (ax.yaxis, ax.get_yscale())):
        if scale == "log":
            axis.set_major_formatter(FuncFormatter(_power_of_ten))


def stored_plot(claim, evidence) -> Plot:
    """The :class:`Plot` of ``claim`` from its stored ``evidence`` alone: nothing is computed
    and no check runs (an asymptotic claim draws the series its validator stored in
    ``details["plot"]``).  Raises :class:`PlotError` when the evidence records nothing to draw."""
    if getattr(claim, "stub", False):       # its module is not imported: its series alone
        return recorded(claim, evidence)
    from ..statements import Asymptotic
    if isinstance(claim.statement, Asymptotic):
        return recorded(claim, evidence)
    return plot_data(claim, evidence)


def draw_plot(claim, plot: Plot, ax=None, *, quick: bool = False):
    """Draw ``plot`` (of ``claim``) on ``ax`` (as for :func:`plot_claim`) or a new figure;
    returns the figure.  Raises :class:`PlotError` when the series cannot be drawn.

    ``quick``: fixed margins instead of a tight layout and no minor ticks (three to four
    times faster to draw and save; for the hundreds of plots of ``workbench export html``).
    """
    import matplotlib.pyplot as plt

    if ax is None:
        if plot.panels == 2:
            fig, axes = plt.subplots(2, 1, sharex=True, figsize=(6.4, 6),
                                     gridspec_kw={"height_ratios": [2, 1]})
        else:
            fig, axes = plt.subplots(1, 1, figsize=(6.4, 4.5))
            axes = [axes]
    else:
        axes = [ax] if hasattr(ax, "figure") else list(ax)    # one Axes, or a sequence
        if len(axes) < plot.panels:
            raise PlotError(f"cannot plot {claim.id}: its plot needs {plot.panels} axes, "
                            f"{len(axes)} given")
        for extra in axes[plot.panels:]:
            extra.set_visible(False)
        fig = axes[0].figure
    try:
        plot.draw(claim, plot.data, list(axes)[:plot.panels])
        if not quick:
            fig.tight_layout()
        else:
            for a in axes[:plot.panels]:
                _plain_log_ticks(a)
            fig.subplots_adjust(left=0.13, right=0.97, top=0.88, bottom=0.1, hspace=0.1)
    except Exception as exc:
        if ax is None:
            plt.close(fig)
        raise PlotError(f"cannot plot {claim.id}: drawing its series raised {_one_line(exc)}") from exc
    return fig
