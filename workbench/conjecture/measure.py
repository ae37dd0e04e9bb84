"""Measuring a law ``a(v) ~ C v^e (log v)^q`` with no claim, by the asymptotic validator's
numerics (:mod:`workbench.validate.asymptotic_measure`).

1. The sequence is sampled once on the validator's lattices (primary grid at two
   precisions, residue-class / log-phase guards).
2. **Log power.** For each candidate ``q`` (:data:`LOG_POWERS`) the local exponents of
   ``|a| / (log v)^q`` are extrapolated on the primary grid; with the right ``q`` they
   converge at a power rate, with a wrong one like ``(q' - q)/log v``, which neither method
   accelerates (the error bars say so).  The ``q`` with the smallest error bar wins.
3. **Exponent.** The best estimate, read as a rational with denominator at most
   :data:`MAX_DENOMINATOR` when one lies within ten error bars.
4. **Constant.** ``a v^-e (log v)^-q`` extrapolated by both methods at both precisions; the
   confirmed digits are those on which all four estimates agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mpmath as mp
import sympy as sp

from ..statements import Asymptotic
from ..validate.asymptotic_measure import sample

__all__ = ["LOG_POWERS", "MAX_DENOMINATOR", "LawMeasurement", "measure_law", "statement"]

#: the log powers tried, in order of preference on ties
LOG_POWERS = (sp.Integer(0), sp.Integer(1), sp.Integer(-1), sp.Integer(2), sp.Integer(-2),
              sp.Rational(1, 2), sp.Rational(-1, 2))

#: largest denominator of an exponent read as a rational
MAX_DENOMINATOR = 24


def statement(variable, a, subsequence, leading, corrections=1) -> Asymptotic:
    """The Asymptotic statement ``a ~ leading`` the measurement is phrased in (``corrections``:
    the step ``w`` of the corrections ``v^(-j w)``, as :class:`~workbench.statements.Asymptotic`)."""
    return Asymptotic(variable=variable, leading=leading, sequence=a, subsequence=subsequence,
                      corrections=corrections)


@dataclass
class LawMeasurement:
    """What one measurement found (mpmath numbers at the confirming precision)."""

    log_power: sp.Expr
    exponent: object                 # sympy Rational when read as one, else mpf
    exponent_value: object           # mpf
    exponent_error: object
    exponent_digits: float           # agreement of the 4 estimates with ``exponent``
    constant: object = None          # mpf
    constant_error: object = None
    constant_digits: float = 0.0     # agreement of the 4 estimates with ``constant``
    zero: bool = False
    problem: str | None = None
    stmt: Asymptotic | None = None   # a ~ v^e (log v)^q, with which the runs were analysed
    runs: list = field(default_factory=list)
    evaluate: object = None
    log_power_errors: dict = field(default_factory=dict)


def _rational(e, err, dps):
    """``e`` as a Rational ``p/q`` (``q <= MAX_DENOMINATOR``) within ten error bars, or None."""
    tol = max(10 * err, max(abs(e), 1) * mp.mpf(10) ** (5 - dps))   # digits on the scale max(|e|, 1)
    if not tol < mp.mpf(10) ** -6:
        return None
    for den in range(1, MAX_DENOMINATOR + 1):
        num = mp.nint(e * den)
        if abs(e - num / den) <= tol:
            return sp.Rational(int(num), den)
    return None


def _exponent_usable(run):
    """Whether a run's local exponents could be extrapolated (the normalised sequence of the
    probe, with exponent 0, may well diverge: that is no problem for the exponent)."""
    return hasattr(run, "e_est") and "local exponent" not in run.bad


def _best(pair):
    return min(pair, key=lambda est: est.error)


def _digits(pair_list, value, scale):
    return min(est.digits(value, scale) for pair in pair_list for est in pair)


def measure_law(variable, a, subsequence, settings, log_powers=LOG_POWERS,
                exponent=None, corrections=1) -> LawMeasurement:
    """Measure ``a(v) ~ C v^e (log v)^q`` on the lattices of ``settings`` (see the module
    docstring).  ``exponent`` (a sympy number) skips the exponent's identification;
    ``corrections`` is the step of the corrections the extrapolations remove."""
    v = variable
    probe = statement(v, a, subsequence, sp.Integer(1), corrections)
    sampled = sample(probe, settings)
    runs = sampled.runs
    lo, hi = runs[0], runs[1]
    # 2. the log power
    scores = {}
    for q in log_powers:
        stmt_q = statement(v, a, subsequence, sp.log(v) ** q, corrections)
        for r in (lo, hi):
            r.analyse(stmt_q, settings, None)
        if hi.zero:
            return LawMeasurement(sp.Integer(0), sp.Integer(0), mp.mpf(0), mp.mpf(0), 0.0,
                                  zero=True, runs=runs, evaluate=sampled.evaluate,
                                  problem=f"a({v}) = 0 at every node of the primary grid")
        if not (_exponent_usable(hi) and _exponent_usable(lo)):
            continue
        with mp.workdps(hi.dps):
            scores[q] = max(_best(hi.e_est).error, abs(_best(hi.e_est).value - _best(lo.e_est).value))
    if not scores:
        stmt_q = statement(v, a, subsequence, sp.Integer(1), corrections)
        hi.analyse(stmt_q, settings, None)
        lo.analyse(stmt_q, settings, None)
        problem = next((r.problem for r in (hi, lo) if not _exponent_usable(r)), None) or \
            "no log power makes the local exponents converge"
        return LawMeasurement(sp.Integer(0), sp.nan, mp.nan, mp.inf, float("-inf"),
                              problem=problem, runs=runs, evaluate=sampled.evaluate)
    q = min(scores, key=lambda k: scores[k])
    # 3. the exponent
    stmt_q = statement(v, a, subsequence, sp.log(v) ** q, corrections)
    for r in (lo, hi):
        r.analyse(stmt_q, settings, None)
    with mp.workdps(hi.dps):
        e_best = _best(hi.e_est)
        e_exact = exponent if exponent is not None else _rational(e_best.value, e_best.error, lo.dps)
        e_used = e_exact if e_exact is not None else sp.Float(mp.nstr(e_best.value, hi.dps), hi.dps)
        e_val = mp.mpf(sp.N(e_used, hi.dps + 5))
        e_digits = _digits([lo.e_est, hi.e_est], e_val, max(abs(e_val), mp.mpf(1)))
    # 4. the constant, with that exponent, on every lattice
    stmt = statement(v, a, subsequence, v ** e_used * sp.log(v) ** q, corrections)
    for r in runs:
        r.analyse(stmt, settings, None)
    out = LawMeasurement(q, e_exact if e_exact is not None else e_best.value, e_best.value,
                         e_best.error, e_digits, stmt=stmt, runs=runs, evaluate=sampled.evaluate,
                         log_power_errors={str(k): mp.nstr(s, 3) for k, s in scores.items()})
    if hi.problem or lo.problem:
        out.problem = hi.problem or lo.problem
        return out
    with mp.workdps(hi.dps):
        c_best = _best(hi.c_est)
        out.constant, out.constant_error = c_best.value, c_best.error
        out.constant_digits = _digits([lo.c_est, hi.c_est], c_best.value, abs(c_best.value))
    return out


def agreement(variable, a, subsequence, settings, leading, corrections=1) -> tuple[float, float]:
    """Digits to which both methods at both primary precisions of ``settings`` agree with the
    exponent and with the constant of ``leading`` (the re-measure that confirms closed forms)."""
    stmt = statement(variable, a, subsequence, leading, corrections)
    runs = sample(stmt, settings).runs[:2]
    e_worst = c_worst = float("inf")
    for r in runs:
        r.analyse(stmt, settings, None)
        if r.zero or not _exponent_usable(r):
            return float("-inf"), float("-inf")
        with mp.workdps(r.dps):
            e_worst = min(e_worst, _digits([r.e_est], r.E, r.e_scale))
            c_worst = float("-inf") if r.problem else min(c_worst, _digits([r.c_est], r.C, abs(r.C)))
    return e_worst, c_worst
