"""Validator for :class:`~workbench.statements.Agree`: both sides at two working precisions.

At each point ``x`` both sides are computed at precision ``lo`` and at ``hi``.  With
``agree(a, b) = -log10(|a - b| / max(|a|, |b|))`` (``zero_scale`` in place of the
denominator when exactly one side is exactly zero; infinite when ``a == b``):

* the point is **confirmed** when ``agree(lhs, rhs) >= digits`` at both precisions;
* it is a **counterexample** when the sides disagree at both precisions
  (``agree < digits``) although each side is stable between the precisions well beyond
  the disagreement (``agree(side_lo, side_hi) >= agree(lhs, rhs) + 3`` for both sides, and
  the disagreement itself is reproduced): the computations are accurate and differ;
* otherwise the point is **undecided** (a side is not accurate enough at these
  precisions to decide): the verdict is *inconclusive*, never *verified*.

Any counterexample refutes the claim; otherwise any undecided point makes it
inconclusive; otherwise it is verified to the smallest agreement over points and
precisions.  Every point's digits are kept in the evidence (a series the plotter draws).
"""

from __future__ import annotations

import math
import numbers
import time
from dataclasses import dataclass
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from ..errors import MalformedStatement, SequenceError
from ..evidence import Evidence, Measured
from ..statements import Agree
from ..statements.agree import point_label
from .protocol import ValidatorBase, default_validator

__all__ = ["TwoPrecisions", "validate_agree"]

#: Guard digits by which each side must be stable beyond a disagreement to refute.
REFUTE_MARGIN = 3


@dataclass(frozen=True)
class TwoPrecisions(ValidatorBase):
    """Settings of the :class:`Agree` validator.

    ``dps`` is the first working precision (default ``digits + 10``); the second is
    ``dps + extra`` (default ``extra = 10``).
    """

    dps: int | None = None
    extra: int = 10

    statement_types = (Agree,)

    def __post_init__(self):
        if self.dps is not None and (isinstance(self.dps, bool) or not isinstance(self.dps, int)
                                     or self.dps < 5):
            raise MalformedStatement(f"TwoPrecisions: dps must be an integer >= 5, got {self.dps!r}")
        if isinstance(self.extra, bool) or not isinstance(self.extra, int) or self.extra < 5:
            raise MalformedStatement(f"TwoPrecisions: extra must be an integer >= 5, got {self.extra!r}")

    def precisions(self, statement: Agree) -> tuple[int, int]:
        lo = self.dps if self.dps is not None else statement.digits + 10
        if lo <= statement.digits:
            raise MalformedStatement(f"TwoPrecisions: dps={lo} cannot confirm {statement.digits} digits")
        return lo, lo + self.extra

    def check(self, statement: Agree, params: dict | None = None) -> Evidence:
        self._require(statement)
        return validate_agree(statement, params, self)


@default_validator.register
def _(statement: Agree):
    return TwoPrecisions()


class _Exact(mp.mpf):
    """Marks a value that came from an exact type (int, Fraction, sympy Rational)."""


def _number(value, what):
    """``value`` as a tuple of mpmath numbers (one per component); values of exact types
    (int, Fraction, sympy Rational) are returned as :class:`_Exact`."""
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        raise SequenceError(f"{what} returned {value!r}, not a number")
    if isinstance(value, (mp.mpf, mp.mpc)):
        return (value,)
    if isinstance(value, (int, np.integer)):
        return (_Exact(int(value)),)
    if isinstance(value, Fraction):
        return (_Exact(mp.mpf(value.numerator) / value.denominator),)
    if isinstance(value, sp.Basic):
        if not value.is_number:
            raise SequenceError(f"{what} returned the expression {value}, not a number")
        if isinstance(value, sp.Rational):
            return (_Exact(mp.mpf(int(value.p)) / int(value.q)),)
        return (mp.mpmathify(sp.N(value, mp.mp.dps + 5)),)
    if isinstance(value, numbers.Number) or isinstance(value, np.number):
        return (mp.mpmathify(value.item() if isinstance(value, np.number) else value),)
    if isinstance(value, (list, tuple, np.ndarray)):
        out = []
        for i, v in enumerate(np.asarray(value, dtype=object).ravel()):
            out.extend(_number(v, f"{what}[{i}]"))
        if not out:
            raise SequenceError(f"{what} returned an empty sequence")
        return tuple(out)
    raise SequenceError(f"{what} returned {type(value).__name__} {value!r}, not a number")


def _finite(xs, what):
    for x in xs:
        if not mp.isfinite(x):
            raise SequenceError(f"{what} returned a non-finite value {x}")
    return xs


def _call(func, point, params, what):
    if isinstance(point, dict):
        result = func(**point, **params)
    else:
        result = func(point, **params)
    return _finite(_number(result, what), what)


def agreement_digits(a, b, zero_scale) -> float:
    """``-log10(|a - b| / scale)``: ``scale = max(|a|, |b|)``, or ``zero_scale`` when exactly
    one of them is exactly zero; ``inf`` when ``a == b``."""
    if a == b:
        return math.inf
    if a == 0 or b == 0:
        scale = mp.mpf(zero_scale)
    else:
        scale = max(abs(a), abs(b))
    return float(-mp.log10(abs(a - b) / scale))


#: An mpf whose mantissa has fewer bits than this and that comes out the same at both
#: precisions is taken as exact (0, 1/2, 3, ...); a longer one is a computation that ignores
#: the working precision (a float, a fixed-precision routine): its accuracy is unknown.
EXACT_BITS = 24


def _mantissa_bits(x) -> int:
    if isinstance(x, mp.mpc):
        return max(_mantissa_bits(x.real), _mantissa_bits(x.imag))
    return int(x._mpf_[3])


def stability(lo, hi, zero_scale):
    """Digits to which a side is the same at the two precisions; ``None`` when it is
    identical and long (precision-blind: its accuracy is not known)."""
    if lo == hi:
        exact = isinstance(lo, _Exact) and isinstance(hi, _Exact)
        return math.inf if exact or _mantissa_bits(hi) < EXACT_BITS else None
    return agreement_digits(lo, hi, zero_scale)


def _evaluate(stmt, params, point, dps):
    label = point_label(point)
    with mp.workdps(dps):
        lhs = _call(stmt.lhs, point, params, f"lhs at {label} (dps {dps})")
        rhs = _call(stmt.rhs, point, params, f"rhs at {label} (dps {dps})")
    if len(lhs) != len(rhs):
        raise SequenceError(f"at {label} lhs has {len(lhs)} components, rhs {len(rhs)}")
    return lhs, rhs


def _judge_point(stmt, lo, hi):
    """(status, digits, worst component index, stable digits of the sides) for one point."""
    z = stmt.zero_scale
    worst = (math.inf, 0)
    status = "confirmed"
    stable_min = math.inf
    for i in range(len(lo[0])):
        a_lo = agreement_digits(lo[0][i], lo[1][i], z)
        a_hi = agreement_digits(hi[0][i], hi[1][i], z)
        s_l = stability(lo[0][i], hi[0][i], z)
        s_r = stability(lo[1][i], hi[1][i], z)
        digits = min(a_lo, a_hi)
        stable_min = min([stable_min, *(s for s in (s_l, s_r) if s is not None)])
        if digits < worst[0]:
            worst = (digits, i)
        if digits >= stmt.digits:
            continue
        disagreement = max(a_lo, a_hi)
        reproduced = agreement_digits(lo[0][i] - lo[1][i], hi[0][i] - hi[1][i], 1) if \
            lo[0][i] != lo[1][i] and hi[0][i] != hi[1][i] else -math.inf
        if (a_lo < stmt.digits and a_hi < stmt.digits and s_l is not None and s_r is not None
                and min(s_l, s_r) >= disagreement + REFUTE_MARGIN and reproduced >= 1):
            status = "counterexample"
        elif status != "counterexample":
            status = "undecided"
    return status, worst[0], worst[1], stable_min


def _stable_text(stable, lo_dps, hi_dps):
    if stable == math.inf:
        return f"a side gives the same value at dps {lo_dps} and {hi_dps} without being exact"
    return f"a side changes at digit {max(stable, 0):.1f} between dps {lo_dps} and {hi_dps}"


def _show(x, n=25):
    return mp.nstr(x, n)


def validate_agree(stmt: Agree, params: dict | None = None,
                   settings: TwoPrecisions | None = None) -> Evidence:
    """Check ``lhs = rhs`` at every point of ``stmt.over`` at two precisions."""
    params = params or {}
    settings = settings or TwoPrecisions()
    lo_dps, hi_dps = settings.precisions(stmt)
    t0 = time.perf_counter()
    measured, series, rows = {}, [], []
    for point in stmt.over:
        lo = _evaluate(stmt, params, point, lo_dps)
        hi = _evaluate(stmt, params, point, hi_dps)
        status, digits, i, stable = _judge_point(stmt, lo, hi)
        label = point_label(point)
        key = label if len(lo[0]) == 1 else f"{label} [{i}]"
        shown = min(digits, hi_dps)
        with mp.workdps(hi_dps):
            measured[key] = Measured(_show(hi[0][i]), None, _show(hi[1][i]), round(shown, 1))
        series.append(shown)
        rows.append((point, label, status, digits, stable, lo, hi, i))
    reached = min(r[3] for r in rows)
    common = dict(methods=["both sides at two working precisions"], measured=measured,
                  grid={"points": [r[1] for r in rows]}, precisions=[lo_dps, hi_dps],
                  details={"series": {"x": [r[1] for r in rows], "digits": series,
                                      "ylabel": "digits of agreement", "target": stmt.digits}},
                  runtime=time.perf_counter() - t0)
    bad = [r for r in rows if r[2] == "counterexample"]
    if bad:
        point, label, _, digits, stable, lo, hi, i = bad[0]
        with mp.workdps(hi_dps):
            text = (f"refuted at {label}: lhs = {_show(hi[0][i], 20)}, rhs = {_show(hi[1][i], 20)} "
                    f"agree to only {digits:.1f} digits (need {stmt.digits}), while each side is stable "
                    f"to {min(stable, hi_dps):.1f} digits between dps {lo_dps} and {hi_dps}")
        return Evidence("failed", text, outcome="refuted", digits=max(digits, 0.0), **common)
    undecided = [r for r in rows if r[2] == "undecided"]
    if undecided:
        point, label, _, digits, stable, lo, hi, i = undecided[0]
        ok = len(rows) - len(undecided)
        text = (f"inconclusive: at {label} the sides agree to {max(digits, 0):.1f} digits (need "
                f"{stmt.digits}), and the sides are not known to be accurate beyond that "
                f"({_stable_text(stable, lo_dps, hi_dps)}), so the computation cannot decide; {ok} of "
                f"{len(rows)} points confirmed")
        return Evidence("failed", text, outcome="inconclusive", digits=max(reached, 0.0), **common)
    shown = min(reached, hi_dps)
    text = (f"lhs = rhs to {shown:.1f} digits (need {stmt.digits}) at all {len(rows)} points, "
            f"at dps {lo_dps} and {hi_dps}")
    return Evidence("verified", text, digits=shown, **common)
