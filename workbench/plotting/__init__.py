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
from .sources import Plot, PlotError, asymptotic_series, plot_for, recorded, series

__all__ = ["PlotError", "Plot", "plot_claim", "plot_data", "plot_for", "recorded", "series",
           "asymptotic_series", "output_format", "draw_law", "draw_digits", "draw_components"]


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
    import matplotlib.pyplot as plt

    plot = plot_data(claim, evidence, points)
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
        fig.tight_layout()
    except Exception as exc:
        if ax is None:
            plt.close(fig)
        raise PlotError(f"cannot plot {claim.id}: drawing its series raised {_one_line(exc)}") from exc
    return fig
