"""What a claim's plot shows: one :class:`Plot` per claim, chosen by its statement's type.

:func:`plot_for` is a :func:`functools.singledispatch` function on the statement type.  The
default reads the series the claim's evidence records; :class:`~workbench.statements.Asymptotic`
computes its sequence here; :class:`~workbench.statements.Agreement` draws the mean +- SE of each
component against the reference; :class:`~workbench.statements.Equality` and
:class:`~workbench.statements.Inequality` say why they have nothing to plot unless their evidence
records a series.  A new statement type plugs in its own series::

    @plot_for.register
    def _(statement: SeriesSum, claim, evidence, points):
        return Plot(draw_law, series(x, partial_sums, law=limit_values))

``evidence`` is a function returning the claim's evidence (or None): it is called only by
the statement types that need it, so a computed plot never runs the check.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import mpmath as mp
import sympy as sp

from ..errors import SequenceError, WorkbenchError
from ..printing import latex
from ..statements import Agreement, Asymptotic, Equality, FreeForm, Inequality
from .draw import draw_components, draw_digits, draw_law

__all__ = ["PlotError", "Plot", "plot_for", "series", "recorded", "asymptotic_series"]


class PlotError(WorkbenchError):
    """A claim cannot be drawn, or the image cannot be written where asked."""


@dataclass(frozen=True)
class Plot:
    """A drawer, its data (JSON-like), and how many stacked panels it draws on (1 or 2).

    ``draw(claim, data, axes)`` draws on ``axes`` (a list of ``panels`` matplotlib axes).
    """

    draw: Callable
    data: dict
    panels: int = 2


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: " + " ".join(str(exc).split())


def series(x, y, yerr=None, law=None, *, xlabel="n", ylabel="L", label="measured",
           law_label="law") -> dict:
    """The plottable record a check puts in ``Evidence.details["plot"]`` (JSON-serialisable).

    ``law`` holds the claimed (or theory) values at the same ``x``.
    """
    def floats(v):
        return None if v is None else [float(u) for u in v]
    return {"x": floats(x), "y": floats(y), "yerr": floats(yerr), "law": floats(law),
            "xlabel": xlabel, "ylabel": ylabel, "label": label, "law_label": law_label}


_NO_SERIES = ("its evidence records no series (a check records one in Evidence.details['plot'], "
              "see workbench.plotting.series)")


def recorded(claim, evidence, why: str = _NO_SERIES) -> Plot:
    """The series ``evidence`` records: ``details["plot"]`` (points and a law, see
    :func:`series`) or ``details["series"]`` (digits reached per point, as an
    :class:`~workbench.statements.Agree` check records).

    Raises :class:`PlotError` naming the claim when the evidence is missing, ended in error,
    or records neither (``why`` says why, for this statement type).
    """
    details = (evidence.details or {}) if evidence is not None else {}
    if details.get("plot"):
        return Plot(draw_law, details["plot"], 2)
    if details.get("series"):
        return Plot(draw_digits, details["series"], 1)
    if evidence is None:
        raise PlotError(f"{claim.id} has nothing to plot: no evidence was given "
                        f"(run `workbench verify {claim.id}` or pass its evidence)")
    if evidence.verdict == "error":
        raise PlotError(f"cannot plot {claim.id}: its check ended in error "
                        f"({' '.join(evidence.summary.split())})")
    raise PlotError(f"{claim.id} has nothing to plot: {why}")


@functools.singledispatch
def plot_for(statement, claim, evidence: Callable, points: int | None) -> Plot:
    """The :class:`Plot` of ``claim`` (whose statement is ``statement``); raises
    :class:`PlotError` naming the claim when it has nothing to plot.  By default: the series
    its evidence records (:func:`recorded`)."""
    return recorded(claim, evidence())


@plot_for.register
def _(statement: Asymptotic, claim, evidence, points):
    if claim.check is not None:          # a hand-written check decides it: its series, if any
        return recorded(claim, evidence())
    try:
        return Plot(draw_law, asymptotic_series(claim, points), 2)
    except SequenceError as exc:         # already names the fault and the node
        raise PlotError(f"cannot plot {claim.id}: {' '.join(str(exc).split())}") from exc
    except Exception as exc:
        raise PlotError(f"cannot plot {claim.id}: computing its sequence raised "
                        f"{_one_line(exc)}") from exc


@plot_for.register
def _(statement: Agreement, claim, evidence, points):
    ev = evidence()
    if ev is None or ev.verdict == "error" or (ev.details or {}).get("plot") \
            or (ev.details or {}).get("series"):
        return recorded(claim, ev)
    rows = [(k, m) for k, m in ev.measured.items() if m.error is not None and m.claimed is not None]
    if not rows:
        return recorded(claim, ev, "its evidence records no mean +- SE against a reference")
    details = ev.details or {}
    z = details.get("z")      # at full precision (the SE in `measured` has 3 digits)
    data = {"x": [k for k, _ in rows], "mean": [float(m.value) for _, m in rows],
            "se": [float(m.error) for _, m in rows], "reference": [float(m.claimed) for _, m in rows],
            "z": z if isinstance(z, list) and len(z) == len(rows) else None,
            "k": details.get("k"), "systematic": details.get("systematic"),
            "ylabel": f"${statement.quantity}$", "reference_label": f"${statement.reference_label}$"}
    return Plot(draw_components, data, 2)


@plot_for.register
def _(statement: FreeForm, claim, evidence, points):
    return recorded(claim, evidence(), "it is free-form (a sentence checked by a hand-written "
                    "function) and its check records no series (Evidence.details['plot'], see "
                    "workbench.plotting.series)")


@plot_for.register(Equality)
@plot_for.register(Inequality)
def _(statement, claim, evidence, points):
    word = "an equality" if isinstance(statement, Equality) else "an inequality"
    return recorded(claim, evidence(), f"{word} is checked at scattered random points and its "
                    "evidence records no series to draw (see `workbench show` for its evidence)")


def asymptotic_series(claim, points: int | None = None) -> dict:
    """Evaluate an asymptotic claim's sequence on its validator grid (float64 for drawing;
    the first ``points`` nodes only, when given)."""
    from ..validate.asymptotic import Extrapolation, _evaluate, sequence_function
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
                 label="computed (exact)", law_label=f"claimed: ${latex(stmt.leading)}$")
    out["abs_residual"] = [float(r) for r in resid]
    return out
