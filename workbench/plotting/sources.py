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
from typing import Callable

import mpmath as mp
import sympy as sp

from ..errors import SequenceError
from ..printing import latex
from ..statements import Agreement, Asymptotic, Equality, FreeForm, Inequality
from .draw import draw_components, draw_law
from .records import Plot, PlotError, _one_line, recorded, series

__all__ = ["PlotError", "Plot", "plot_for", "series", "recorded", "asymptotic_series",
           "sequence_series", "law_label"]


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
    return sequence_series(stmt, v, vals, settings.dps)


def sequence_series(stmt, v, vals, dps: int) -> dict:
    """The plot record (:func:`series`) of an asymptotic statement's values ``vals`` (mpf) at
    the nodes ``v``: the values against the claimed leading term, and ``|a / leading - 1|``
    computed at ``dps`` digits (in float64 it rounds to 0 early).  The asymptotic validator
    stores it in its evidence, so a plot needs no new evaluation."""
    lead = sp.lambdify(stmt.variable, stmt.leading, modules="mpmath")
    with mp.workdps(dps):
        law = [lead(mp.mpf(x)) for x in v]
        resid = [abs(a_ / l_ - 1) if l_ != 0 else mp.inf for a_, l_ in zip(vals, law)]
    out = series(v, vals, None, law, xlabel=str(stmt.variable), ylabel=f"a({stmt.variable})",
                 label="computed (exact)", law_label="claimed: " + law_label(stmt))
    out["abs_residual"] = [float(r) for r in resid]
    return out


def _power(base: str, e) -> str:
    """``base^{e}`` in mathtext with a flat exponent (``n^{-3/2}``, not a tiny stacked fraction)."""
    e = sp.nsimplify(e)
    if e == 1:
        return base
    text = f"{e.p}/{e.q}" if isinstance(e, sp.Rational) and e.q != 1 else (
        str(e) if e.is_number and e.is_rational else latex(e))
    return f"{base}^{{{text}}}"


def law_label(stmt) -> str:
    """The claimed leading term ``C v^e (log v)^q`` as one line of mathtext a legend shows
    whole: ``C`` exact when it is short (``1``, ``2/5``, ``11025 / \\pi``), else to 6 digits
    (a closed form with Gamma functions becomes ``0.0795775``); exponents flat (``n^{-3/2}``)."""
    v = latex(stmt.variable)
    C, e, q = stmt.constant, stmt.exponent, stmt.log_power
    exact = latex(C, fold_short_frac=True, fold_frac_powers=True)
    if isinstance(C, sp.Rational) and C.q != 1:
        const = f"{'-' if C < 0 else ''}{abs(C.p)}/{C.q}"
    elif len(exact) <= 16 and "frac" not in exact and "left" not in exact:
        const = exact
    else:
        const = sp.sstr(sp.N(C, 6))
    if "/" in const and (e != 0 or q != 0):
        const = f"({const})"                 # (9 / pi) k^-5, not 9 / (pi k^-5)
    parts = [] if const == "1" else [const]
    if e != 0:
        parts.append(_power(v, e))
    if q != 0:
        parts.append(_power(f"(\\log {v})", q))
    return "$" + ("\\,".join(parts) or "1") + "$"
