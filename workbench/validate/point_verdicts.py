"""The verdict at one point of an equality or inequality check: ball arithmetic (rigorous
enclosures) and the mpmath precision ladder, and how the two are combined.  Used by
:mod:`workbench.validate.equality` (the procedure is described there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import flint
import mpmath as mp

from .balls import NotBallable, ball, bits_for_digits, exact_values
from .numeric import trend

if TYPE_CHECKING:                       # settings only appear in annotations
    from .equality import RandomPoints


@dataclass
class _Point:
    """What was found at one point."""

    status: str                      # agree | differ | holds | violated | undecided | skipped | complex
    rigorous: bool = False
    digits: float | None = None      # equality: rounding-limited agreement (None: both vanish)
    margin: object = None            # inequality: relative margin (mpf)
    tight: bool = False              # inequality: the sides are equal here
    values: tuple = ()               # the two sides (mpmath numbers) where decided
    how: str = ""
    dps: int = 0
    extra: dict = field(default_factory=dict)


# -- ball arithmetic ---------------------------------------------------------------------------


def _balls(exprs, pt, bits):
    try:
        vals = [ball(e, pt, bits) for e in exprs]
    except (NotBallable, ZeroDivisionError, ValueError, ArithmeticError, TypeError):
        return None
    return vals if all(v.is_finite() for v in vals) else None


_MAX_BITS = 1 << 16


def _ball_rungs(exprs, pt, s: RandomPoints):
    """Yield ``(bits, balls)`` at rising precision: ``confirm_dps`` digits, then 4 times more
    bits at a time (to make up for accuracy lost to cancellation), up to 2^16 bits; stops when
    the balls cannot be computed.  The caller stops when it can decide."""
    bits = bits_for_digits(s.confirm_dps)
    while True:
        vals = _balls(exprs, pt, bits)
        if vals is None:
            return
        yield bits, vals
        if bits >= _MAX_BITS:
            return
        bits = min(4 * bits, _MAX_BITS)


def _identical(exprs) -> bool:
    """sympy's automatic simplification already makes the two sides equal (``f - f``)."""
    return (exprs[0] - exprs[1]) == 0


def _ball_equality(exprs, pt, s: RandomPoints):
    """``("unequal", None)``, ``("equal", digits)`` (rigorous relative bound), ``("open", None)``
    (the balls are too wide to decide: heavy cancellation, or sides that vanish), or ``None``
    (no ball evaluation)."""
    exact = exact_values(exprs, pt)
    if exact is not None:
        return ("equal", math.inf) if exact[0] == exact[1] else ("unequal", None)
    found, same = None, _identical(exprs)
    for bits, (lhs, rhs) in _ball_rungs(exprs, pt, s):
        if same:
            return "equal", math.inf
        found = "open", None
        with flint.ctx.workprec(bits):
            diff = lhs - rhs
            if not diff.contains(0):
                return "unequal", None
            scale = max(abs(lhs).abs_lower(), abs(rhs).abs_lower())
            if scale > 0:
                bound = float((abs(diff).abs_upper() / scale).upper())
                digits = -math.log10(bound) if bound > 0 else math.inf
                if digits >= s.digits:
                    return "equal", digits
    return found


def _ball_inequality(exprs, pt, s: RandomPoints, strict: bool):
    """``"holds"``, ``"violated"`` (both rigorous), ``"open"`` (the margin's ball contains 0) or
    ``None`` (no ball evaluation); ``exprs = [small, big]``."""
    exact = exact_values(exprs, pt)
    if exact is not None:
        margin = exact[1] - exact[0]
        return "holds" if (margin > 0 if strict else margin >= 0) else "violated"
    found, same = None, _identical(exprs)
    for bits, (small, big) in _ball_rungs(exprs, pt, s):
        if not (small.imag.is_zero() and big.imag.is_zero()):
            return None
        if same:
            return "violated" if strict else "holds"
        found = "open"
        with flint.ctx.workprec(bits):
            margin = big.real - small.real
            if (margin > 0) if strict else (margin >= 0):
                return "holds"
            if (margin <= 0) if strict else (margin < 0):
                return "violated"
    return found


# -- mpmath precision ladder -------------------------------------------------------------------


def _ladder(evaluate, pt, s: RandomPoints, judge):
    """Climb the precision ladder until ``judge(lo, hi, p_lo, p_hi)`` returns a :class:`_Point`."""
    rungs = s.ladder
    lo = evaluate(pt, rungs[0])
    last = None
    for p_lo, p_hi in zip(rungs, rungs[1:]):
        hi = evaluate(pt, p_hi)
        if lo is None or hi is None:
            return _Point("skipped", how="cannot be evaluated here", dps=p_hi)
        with mp.workdps(p_hi):
            found = judge(lo, hi, p_lo, p_hi)
        if found.status != "undecided":
            found.dps = p_hi
            return found
        last, lo = found, hi
    last.dps = rungs[-1]
    last.how = f"undecided up to dps {rungs[-1]}: " + last.how
    return last


def _digits(rel, s: RandomPoints) -> float:
    cap = s.confirm_dps - 5
    return float(min(-mp.log10(rel), cap)) if rel > 0 else float(cap)


def _judge_equality(s: RandomPoints, literal_zero=(False, False)):
    """The numeric verdict at one point.  ``literal_zero[i]``: side ``i`` is the number 0 as
    written; any other side that evaluates to exactly 0 at two precisions may have cancelled
    completely (``1 - erf(x)`` at large x is 0 to millions of digits), so it cannot refute."""
    def judge(lo, hi, p_lo, p_hi):
        d_lo, d_hi = abs(lo[0] - lo[1]), abs(hi[0] - hi[1])
        scale = max(abs(hi[0]), abs(hi[1]))
        t = trend(d_lo, d_hi)
        if d_hi == 0:
            return _Point("agree", digits=float(s.confirm_dps - 5), values=tuple(hi))
        rel = d_hi / scale
        vanished = [i for i in (0, 1) if lo[i] == 0 and hi[i] == 0 and not literal_zero[i]]
        if t == "stable" and vanished:
            return _Point("undecided", values=tuple(hi),
                          how=f"the {('lhs', 'rhs')[vanished[0]]} is exactly 0 at dps {p_lo} and "
                              f"{p_hi} (complete cancellation?); only a proof could decide")
        if t == "stable":
            return _Point("differ", values=tuple(hi), extra={"rel": rel},
                          how=f"relative difference {mp.nstr(rel, 3)} stable from dps {p_lo} to {p_hi}")
        if t == "rounding" or rel <= mp.mpf(10) ** (6 - p_hi):    # shrank, or at p_hi's noise floor
            if all(trend(lo[i], hi[i]) in ("zero", "rounding") for i in (0, 1)):
                return _Point("agree", digits=None, values=tuple(hi), how="both sides vanish")
            if rel <= mp.mpf(10) ** -s.digits:
                return _Point("agree", digits=_digits(rel, s), values=tuple(hi))
        return _Point("undecided", digits=_digits(rel, s), values=tuple(hi),
                      how=f"relative difference {mp.nstr(rel, 3)} at dps {p_hi}, "
                          f"{mp.nstr(d_lo / max(abs(lo[0]), abs(lo[1])), 3)} at dps {p_lo}")
    return judge


def _imag_stable(lo, hi) -> bool:
    return any(trend(mp.im(a), mp.im(b)) in ("stable", "unclear") for a, b in zip(lo, hi))


def _judge_inequality(s: RandomPoints, strict: bool):
    def judge(lo, hi, p_lo, p_hi):
        if _imag_stable(lo, hi):
            if any(trend(mp.im(a), mp.im(b)) == "stable" for a, b in zip(lo, hi)):
                return _Point("complex", values=tuple(hi), how="a side is complex")
            return _Point("undecided", values=tuple(hi), how="imaginary parts not settled")
        small, big = mp.re(hi[0]), mp.re(hi[1])
        m_lo, m_hi = mp.re(lo[1]) - mp.re(lo[0]), big - small
        scale = max(abs(small), abs(big))
        rel = m_hi / scale if scale else mp.mpf(0)
        t = trend(m_lo, m_hi)
        if t == "stable" and (m_lo > 0) == (m_hi > 0):
            status = "holds" if m_hi > 0 else "violated"
            return _Point(status, margin=rel, values=(small, big),
                          how=f"relative margin {mp.nstr(rel, 3)} stable from dps {p_lo} to {p_hi}")
        if t in ("zero", "rounding"):
            if strict:      # equal, or unequal beyond the precision: only a proof can tell
                return _Point("undecided", margin=rel, values=(small, big), tight=True,
                              how=f"sides equal to {p_hi} digits (a strict relation needs a proof "
                                  "that they differ)")
            how = f"sides equal (their difference shrinks with precision, {mp.nstr(m_hi, 3)} at dps {p_hi})"
            return _Point("violated" if strict else "holds", margin=mp.mpf(0), tight=True,
                          values=(small, big), how=how)
        return _Point("undecided", margin=rel, values=(small, big),
                      how=f"margin {mp.nstr(m_hi, 3)} at dps {p_hi}, {mp.nstr(m_lo, 3)} at dps {p_lo}")
    return judge


# -- combining the two ways --------------------------------------------------------------------


def _combine_equality(ball_res, num: _Point) -> _Point:
    """Ball arithmetic is rigorous: where it decides, it wins (mpmath may have lost the
    difference, or invented one, to cancellation).  An ``open`` ball leaves a numeric
    agreement standing but not a numeric difference (which may be cancellation)."""
    if ball_res is None:
        return num
    kind, bdigits = ball_res
    if kind == "open":
        if num.status == "differ":
            return _Point("undecided", dps=num.dps, how="ball arithmetic cannot confirm the "
                          f"difference mpmath finds (cancellation?): {num.how}")
        return num
    if kind == "unequal":
        how = "proved by ball arithmetic" + (f"; mpmath: {num.how}" if num.how else "")
        return _Point("differ", rigorous=True, values=num.values, dps=num.dps, how=how,
                      extra=num.extra)
    agrees = num.status == "agree" and num.digits is not None
    bdigits = min(bdigits, float(num.dps or 0) - 5) if num.dps else bdigits
    return _Point("agree", rigorous=True, digits=num.digits if agrees else bdigits,
                  values=num.values, dps=num.dps, how="confirmed by ball arithmetic")


def _combine_inequality(ball_res, num: _Point) -> _Point:
    """As for equalities: a deciding ball wins; an ``open`` ball leaves a numeric ``holds`` or
    tie standing but not a stable numeric violation."""
    if ball_res is None or num.status == "complex":
        return num
    if ball_res == "open":
        if num.status == "violated" and not num.tight:
            return _Point("undecided", dps=num.dps, how="ball arithmetic cannot confirm the "
                          f"violation mpmath finds (cancellation?): {num.how}")
        return num
    verb = "proved" if ball_res == "holds" else "refuted"
    how = f"{verb} by ball arithmetic" + (f"; mpmath: {num.how}" if num.how else "")
    agrees = num.status == ball_res
    return _Point(ball_res, rigorous=True, margin=num.margin if agrees else None,
                  tight=num.tight and agrees, values=num.values, dps=num.dps, how=how)


# -- the sweep over points ---------------------------------------------------------------------
