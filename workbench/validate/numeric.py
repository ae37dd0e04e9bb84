"""mpmath evaluation of sympy expressions at a point, at a ladder of precisions.

:class:`Evaluator` turns expressions into mpmath functions once; calling it
at a point and a precision gives the values (``None`` where the expressions
cannot be evaluated there: a pole, a domain error, a non-finite value).

The precision ladder is ``dps, dps + 20, dps + 40, ...``: a validator compares
the values at two consecutive rungs and climbs while the comparison is not
decided.  Rounding error shrinks by about ``10^-20`` from one rung to the
next; a genuine difference does not shrink at all.  :func:`trend` names the
three cases.

Guard: ``exp`` and powers with a symbolic exponent refuse arguments whose
result would have more than ``10^15`` digits (mpmath would try to compute
them for hours); such a point is skipped, not guessed.
"""

from __future__ import annotations

import mpmath as mp
import sympy as sp

__all__ = ["Evaluator", "STEP", "trend", "mp_value"]

#: Decimal digits added per rung of the precision ladder.
STEP = 20
#: A quantity that shrinks by at least this factor between rungs is rounding noise
#: (rounding shrinks by 10^-STEP; 4 digits of slack for uneven rounding).
_ROUNDING = mp.mpf(10) ** (4 - STEP)
_HUGE = 10 ** 15


def _guarded_exp(z):
    if abs(mp.re(z)) > _HUGE:
        raise OverflowError("exp argument too large to evaluate")
    return mp.exp(z)


def _guarded_pow(b, e):
    if b != 0 and abs(e) * abs(mp.log(abs(b))) > _HUGE:
        raise OverflowError("power too large to evaluate")
    return mp.power(b, e)


_WBPOW = sp.Function("wb_pow")


def _with_guards(expr):
    return expr.replace(lambda e: e.is_Pow and not e.exp.is_Number,
                        lambda e: _WBPOW(e.base, e.exp))


def mp_value(x):
    """A sympy number as an mpmath number: exact for integers and binary floats, rounded
    at the current precision for other rationals."""
    if isinstance(x, sp.Integer):
        return mp.mpf(int(x))
    if isinstance(x, sp.Float):
        return mp.mpf(x._mpf_)
    if isinstance(x, sp.Rational):
        return mp.mpf(int(x.p)) / int(x.q)
    re, im = x.as_real_imag()
    if im == 0:
        return mp_value(re)
    return mp.mpc(mp_value(re), mp_value(im))


class Evaluator:
    """The values of some expressions at a point, at a given precision."""

    def __init__(self, symbols, exprs):
        self.symbols = list(symbols)
        modules = [{"wb_pow": _guarded_pow, "exp": _guarded_exp}, "mpmath"]
        self._fns = [sp.lambdify(self.symbols, _with_guards(e), modules=modules) for e in exprs]

    def __call__(self, point, dps):
        """A list of mpmath numbers, or ``None`` when some expression cannot be evaluated."""
        with mp.workdps(dps):
            try:
                args = [mp_value(point[s]) for s in self.symbols]
                vals = [mp.mpmathify(f(*args)) for f in self._fns]
            except (ZeroDivisionError, ValueError, ArithmeticError, TypeError, NotImplementedError):
                return None
            if any(not mp.isfinite(v) for v in vals):
                return None
            return vals


def trend(before, after) -> str:
    """How a quantity changed from one rung to the next: ``"zero"`` (exactly 0 at both),
    ``"stable"`` (within a factor 10), ``"rounding"`` (shrank by about the precision
    increase), or ``"unclear"`` (anything else: climb another rung)."""
    a, b = abs(before), abs(after)
    if b == 0:
        return "zero" if a == 0 else "rounding"
    if a == 0:
        return "unclear"
    if a / 10 <= b <= 10 * a:
        return "stable"
    if b <= a * _ROUNDING:
        return "rounding"
    return "unclear"
