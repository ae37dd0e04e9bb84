"""What a plot is made of, without the statement types (no sympy): :class:`Plot`,
:class:`PlotError`, the series record a check stores (:func:`series`) and the plot of a stored
series (:func:`recorded`).  ``workbench plot`` draws a stored series with this module alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import WorkbenchError
from .draw import draw_digits, draw_law

__all__ = ["PlotError", "Plot", "series", "recorded"]


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


