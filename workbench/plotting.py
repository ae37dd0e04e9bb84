"""Plots of asymptotic and scaling claims: measured points, the claimed law, residuals.

One function, :func:`plot_claim`, used by ``workbench plot`` and by the notebooks.

* An :class:`~workbench.statements.Asymptotic` claim ``a(v) ~ C v^e (log v)^q``: ``a`` is computed
  on the validator's grid (at its working precision), drawn against the claimed leading term; the
  lower panel shows ``a(v) / leading(v) - 1`` (log scale), which must tend to 0.
* A claim whose check records a series (``Evidence.details["plot"]``, see :func:`series`):
  measured points with error bars, the law, and the residuals ``measured / law - 1`` with error bars.
"""

from __future__ import annotations

import re

import mpmath as mp
import numpy as np
import sympy as sp

from pathlib import Path

from .errors import SequenceError, WorkbenchError
from .statements import Asymptotic

__all__ = ["PlotError", "plot_claim", "series", "output_format"]


class PlotError(WorkbenchError):
    """A claim cannot be drawn, or the image cannot be written where asked."""


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


def series(x, y, yerr=None, law=None, *, xlabel="n", ylabel="L", label="measured",
           law_label="law") -> dict:
    """The plottable record a check puts in ``Evidence.details["plot"]`` (JSON-serialisable).

    ``law`` holds the claimed (or theory) values at the same ``x``.
    """
    def floats(v):
        return None if v is None else [float(u) for u in v]
    return {"x": floats(x), "y": floats(y), "yerr": floats(yerr), "law": floats(law),
            "xlabel": xlabel, "ylabel": ylabel, "label": label, "law_label": law_label}


def asymptotic_series(claim, points: int | None = None) -> dict:
    """Evaluate an asymptotic claim's sequence on its validator grid (float64 for drawing)."""
    from .validate.asymptotic import Extrapolation, _evaluate, sequence_function
    stmt = claim.statement
    settings = claim.validator if isinstance(claim.validator, Extrapolation) else Extrapolation()
    grid = settings.grid.nodes(stmt.is_integer)[:points]
    a = sequence_function(stmt, claim.params)
    v, vals = _evaluate(stmt, a, grid, settings.dps)
    lead = sp.lambdify(stmt.variable, stmt.leading, modules="mpmath")
    with mp.workdps(settings.dps):
        law = [lead(mp.mpf(x)) for x in v]
        # relative residuals at the working precision (in float64 they round to 0 early)
        resid = [abs(a_ / l_ - 1) for a_, l_ in zip(vals, law)]
    out = series(v, vals, None, law, xlabel=str(stmt.variable), ylabel=f"a({stmt.variable})",
                 label="computed (exact)", law_label=f"claimed: ${sp.latex(stmt.leading)}$")
    out["abs_residual"] = [float(r) for r in resid]
    return out


def plot_claim(claim, evidence=None, ax=None, points: int | None = None):
    """Draw ``claim`` on two stacked axes (values, residuals); returns the matplotlib figure.

    ``evidence``: the claim's evidence (needed for claims with a check: its
    ``details["plot"]``).  Asymptotic claims are computed here.

    Raises :class:`PlotError`, naming the claim, when there is nothing to draw, when the
    sequence raises while it is computed, or when the recorded series cannot be drawn (a
    figure made here is closed first).
    """
    import matplotlib.pyplot as plt

    data = _plot_data(claim, evidence, points)
    if ax is None:
        fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(6.4, 6),
                                          gridspec_kw={"height_ratios": [2, 1]})
    else:
        top, bottom = ax
        fig = top.figure
    try:
        _draw(claim, data, top, bottom)
        fig.tight_layout()
    except Exception as exc:
        if ax is None:
            plt.close(fig)
        raise PlotError(f"cannot plot {claim.id}: drawing its series raised {_one_line(exc)}") from exc
    return fig


def _plot_data(claim, evidence, points) -> dict:
    """The series to draw: computed for an asymptotic claim, else the evidence's record."""
    if isinstance(claim.statement, Asymptotic) and claim.check is None:
        try:
            return asymptotic_series(claim, points)
        except SequenceError as exc:    # already names the fault and the node
            raise PlotError(f"cannot plot {claim.id}: {' '.join(str(exc).split())}") from exc
        except Exception as exc:
            raise PlotError(f"cannot plot {claim.id}: computing its sequence raised "
                            f"{_one_line(exc)}") from exc
    data = (evidence.details or {}).get("plot") if evidence is not None else None
    if data:
        return data
    if evidence is not None and evidence.verdict == "error":
        raise PlotError(f"cannot plot {claim.id}: its check ended in error "
                        f"({' '.join(evidence.summary.split())})")
    raise PlotError(
        f"{claim.id} has nothing to plot: it is neither an asymptotic statement nor a check "
        "that records a series (Evidence.details['plot'], workbench.plotting.series)")


def _text(s) -> str:
    """``s`` for a matplotlib label: kept when its ``$...$`` maths parses as mathtext, else with
    every ``$`` escaped (a title such as ``costs $5 and $\\frac{$`` would fail at draw time)."""
    from matplotlib import cbook
    from matplotlib.mathtext import MathTextParser
    s = str(s)
    if not cbook.is_math_text(s):
        return s
    try:
        MathTextParser("path").parse(s)
        return s
    except Exception:
        return re.sub(r"(?<!\\)\$", r"\\$", s)


def _draw(claim, data, top, bottom):
    x = np.array(data["x"], dtype=float)
    y = np.array(data["y"], dtype=float)
    yerr = None if data.get("yerr") is None else np.array(data["yerr"], dtype=float)
    law = None if data.get("law") is None else np.array(data["law"], dtype=float)
    positive = np.all(y > 0) and (law is None or np.all(law > 0))
    top.set_xscale("log")
    if positive:
        top.set_yscale("log")
    top.errorbar(x, y, yerr=yerr, fmt="o", ms=4, label=_text(data.get("label", "measured")))
    if law is not None:
        top.plot(x, law, "-", label=_text(data.get("law_label", "law")))
        rel = y / law - 1
        err = None if yerr is None else yerr / np.abs(law)
        if data.get("abs_residual") is not None:
            r = np.array(data["abs_residual"], dtype=float)
            keep = r > 0
            bottom.set_yscale("log")
            bottom.plot(x[keep], r[keep], "o-", ms=4)
            bottom.set_ylabel("|a / leading - 1|")
        else:
            bottom.errorbar(x, rel, yerr=err, fmt="o", ms=4)
            bottom.axhline(0, color="k", lw=0.8)
            bottom.set_ylabel("measured / law - 1")
    bottom.set_xlabel(_text(data.get("xlabel", "n")))
    top.set_ylabel(_text(data.get("ylabel", "")))
    title = claim.id + (f"\n{claim.title}" if claim.title and claim.title != claim.id else "")
    top.set_title(_text(title), fontsize=9)
    top.legend(fontsize=8)
