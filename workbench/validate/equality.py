"""Validators for :class:`~workbench.statements.Equality` and
:class:`~workbench.statements.Inequality`: evaluation at random admissible points.

Sampling convention (per free symbol, from its sympy assumptions):

=====================  =============================================
assumption             sampled from
=====================  =============================================
integer, positive      1 .. 40 (uniform)
integer, nonnegative   0 .. 40
integer                -40 .. 40
positive real          10^U, U uniform on [-2, 2]
negative real          -10^U
real                   +-10^U
no assumption          complex, both parts +-10^U (sympy's default)
``domain={s: (lo,hi)}`` uniform on [lo, hi] (log-uniform when lo > 0 and hi/lo > 100)
=====================  =============================================

A ``where`` condition is imposed by rejection.  Both sides are evaluated with
mpmath at ``dps`` and again at ``dps + 20``: the second evaluation gives the
discrepancy, the first shows whether it is stable (a counterexample is
reported only if it is).  Relative discrepancies use ``max(|lhs|, |rhs|)``,
floored at ``10^-dps`` (so values that vanish to working precision compare
absolutely).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

import mpmath as mp
import sympy as sp

from ..errors import MalformedStatement
from ..evidence import Evidence, Measured
from ..statements import Equality, Inequality

__all__ = ["RandomPoints", "validate_equality", "validate_inequality", "sample_points"]


@dataclass(frozen=True)
class RandomPoints:
    """Settings for random-point validation (an immutable policy object)."""

    points: int = 24
    digits: int = 20
    dps: int = 30
    seed: int = 0
    max_tries: int = 2000

    def __post_init__(self):
        if self.points < 1:
            raise MalformedStatement("points must be >= 1")
        if not 1 <= self.digits < self.dps:
            raise MalformedStatement(f"need 1 <= digits < dps, got {self.digits}, {self.dps}")

    @property
    def confirm_dps(self) -> int:
        return self.dps + 20


def _draw(sym, rng: random.Random, domain):
    if sym in domain:
        lo, hi = (float(x) for x in domain[sym])
        if sym.is_integer:
            return sp.Integer(rng.randint(math.ceil(lo), math.floor(hi)))
        if lo > 0 and hi / lo > 100:
            return sp.Float(10 ** rng.uniform(math.log10(lo), math.log10(hi)), 17)
        return sp.Float(rng.uniform(lo, hi), 17)
    if sym.is_integer:
        if sym.is_positive:
            return sp.Integer(rng.randint(1, 40))
        if sym.is_nonnegative:
            return sp.Integer(rng.randint(0, 40))
        if sym.is_negative:
            return sp.Integer(-rng.randint(1, 40))
        return sp.Integer(rng.randint(-40, 40))
    mag = lambda: sp.Float(10 ** rng.uniform(-2, 2), 17)  # noqa: E731
    if sym.is_positive or sym.is_nonnegative:
        return mag()
    if sym.is_negative or sym.is_nonpositive:
        return -mag()
    if sym.is_real:
        return mag() * rng.choice((-1, 1))
    return mag() * rng.choice((-1, 1)) + sp.I * mag() * rng.choice((-1, 1))


def sample_points(symbols, settings: RandomPoints, where=None, domain=None):
    """Random admissible points: a list of ``{symbol: value}`` (reproducible by seed)."""
    symbols = sorted(symbols, key=str)
    rng = random.Random(settings.seed)
    domain = domain or {}
    points, tries = [], 0
    while len(points) < settings.points:
        tries += 1
        if tries > settings.max_tries:
            raise MalformedStatement(
                f"could not draw {settings.points} points satisfying {where} in "
                f"{settings.max_tries} tries (found {len(points)}): is the condition satisfiable?")
        pt = {s: _draw(s, rng, domain) for s in symbols}
        if where is not None:
            ok = where.subs(pt)
            if ok not in (sp.true, sp.false):
                raise MalformedStatement(f"cannot decide the condition {where} at {pt}")
            if ok is sp.false:
                continue
        points.append(pt)
        if not symbols:
            break
    return points


def _evaluator(symbols, expr):
    f = sp.lambdify(symbols, expr, modules="mpmath")

    def call(pt, dps):
        with mp.workdps(dps):
            args = [mp.mpmathify(sp.N(pt[s], dps + 5)) if not pt[s].is_Integer else int(pt[s])
                    for s in symbols]
            val = f(*args)
            return mp.mpmathify(val)
    return call


def _eval_pair(calls, pt, dps):
    try:
        vals = [c(pt, dps) for c in calls]
    except (ZeroDivisionError, ValueError, ArithmeticError, TypeError):
        return None
    if any(not mp.isfinite(v) for v in vals):
        return None
    return vals


def _fmt_point(pt):
    return {str(k): str(v) for k, v in pt.items()}


class _Sweep:
    """Random admissible points and the values of some expressions there, at two precisions."""

    def __init__(self, symbols, exprs, settings: RandomPoints, where, domain):
        symbols = sorted(symbols, key=str)
        self.calls = [_evaluator(symbols, e) for e in exprs]
        self.points = sample_points(symbols, settings, where, domain)
        self.settings = settings
        self.used = self.skipped = 0

    def __iter__(self):
        """Yield ``(point, values at confirm_dps, values at dps)`` where both evaluate."""
        for pt in self.points:
            hi = _eval_pair(self.calls, pt, self.settings.confirm_dps)
            lo = _eval_pair(self.calls, pt, self.settings.dps)
            if hi is None or lo is None:
                self.skipped += 1
                continue
            self.used += 1
            yield pt, hi, lo

    def evidence(self, verdict, summary, t0, **kwargs) -> Evidence:
        grid = {"points": [_fmt_point(p) for p in self.points[:12]], "n_points": len(self.points),
                "evaluated": self.used, "skipped": self.skipped, "seed": self.settings.seed}
        return Evidence(verdict, summary, methods=["random points"], grid=grid,
                        precisions=[self.settings.dps, self.settings.confirm_dps],
                        runtime=time.perf_counter() - t0, **kwargs)

    def nothing_evaluated(self, t0) -> Evidence | None:
        if self.used:
            return None
        return self.evidence("error", f"no sample point could be evaluated ({self.skipped} failed)",
                             t0, outcome="error")


def validate_equality(stmt: Equality, settings: RandomPoints | None = None) -> Evidence:
    """Check ``lhs = rhs`` at random admissible points, at two precisions."""
    settings = settings or RandomPoints()
    t0 = time.perf_counter()
    sweep = _Sweep(stmt.symbols, [stmt.lhs, stmt.rhs], settings, stmt.where, stmt.domain)
    hi_dps, lo_dps = settings.confirm_dps, settings.dps
    worst, worst_pt, counterexample = float("inf"), None, None
    for pt, (l, r), lo in sweep:
        with mp.workdps(hi_dps):
            scale = max(abs(l), abs(r), mp.mpf(10) ** (-lo_dps))
            rel = abs(l - r) / scale
            rel_lo = abs(lo[0] - lo[1]) / scale
            digits = float(min(-mp.log10(rel), hi_dps - 5)) if rel > 0 else float(hi_dps - 5)
            stable = rel > 0 and abs(rel_lo - rel) < mp.mpf("0.1") * rel
        if digits < worst:
            worst, worst_pt = digits, pt
        if rel > mp.mpf(10) ** (-settings.digits) and stable and counterexample is None:
            counterexample = (pt, l, r, rel)
    failed = sweep.nothing_evaluated(t0)
    if failed:
        return failed
    if counterexample is not None:
        pt, l, r, rel = counterexample
        with mp.workdps(hi_dps):
            measured = {"lhs": Measured(mp.nstr(l, 25)), "rhs": Measured(mp.nstr(r, 25)),
                        "relative difference": Measured(mp.nstr(rel, 5))}
        return sweep.evidence("failed", f"refuted at {_fmt_point(pt)}: lhs = {mp.nstr(l, 15)}, "
                              f"rhs = {mp.nstr(r, 15)}", t0, outcome="refuted", measured=measured,
                              details={"counterexample": _fmt_point(pt)})
    digits = math.floor(worst * 10) / 10
    if digits >= settings.digits:
        return sweep.evidence("verified", f"equal to {digits:g} digits at {sweep.used} random points",
                              t0, digits=digits)
    return sweep.evidence("failed", f"inconclusive: sides agree to only {digits:g} digits "
                          f"(worst at {_fmt_point(worst_pt)}), {settings.digits} requested", t0,
                          outcome="inconclusive", digits=digits)


def validate_inequality(stmt: Inequality, settings: RandomPoints | None = None) -> Evidence:
    """Check a relation ``lhs (<|<=|>|>=) rhs`` at random admissible points."""
    settings = settings or RandomPoints()
    t0 = time.perf_counter()
    rel = stmt.relation
    # normalise to  small <= big  (strict or not)
    if isinstance(rel, (sp.StrictLessThan, sp.LessThan)):
        small, big = rel.lhs, rel.rhs
    else:
        small, big = rel.rhs, rel.lhs
    strict = isinstance(rel, (sp.StrictLessThan, sp.StrictGreaterThan))
    sweep = _Sweep(stmt.symbols, [small, big], settings, stmt.where, stmt.domain)
    min_margin, counterexample, tight = None, None, 0
    noise = mp.mpf(10) ** (5 - settings.dps)
    for pt, hi, lo in sweep:
        with mp.workdps(settings.confirm_dps):
            if max(abs(mp.im(hi[0])), abs(mp.im(hi[1]))) > mp.mpf(10) ** (10 - settings.confirm_dps):
                return sweep.evidence("error", f"a side is complex at {_fmt_point(pt)}", t0,
                                      outcome="error")
            s, b = mp.re(hi[0]), mp.re(hi[1])
            scale = max(abs(s), abs(b), mp.mpf(1))
            margin = (b - s) / scale
            lo_margin = (mp.re(lo[1]) - mp.re(lo[0])) / scale
        if min_margin is None or margin < min_margin:
            min_margin = margin
        if abs(margin) <= noise:
            tight += 1
            if strict:
                counterexample = counterexample or (pt, s, b, "equal to working precision")
            continue
        if margin < 0 and lo_margin < 0:
            counterexample = counterexample or (pt, s, b, "violated")
    failed = sweep.nothing_evaluated(t0)
    if failed:
        return failed
    if counterexample is not None:
        pt, s, b, how = counterexample
        return sweep.evidence("failed", f"refuted at {_fmt_point(pt)}: {stmt.relation} is {how} "
                              f"(lhs-side {mp.nstr(s, 15)}, rhs-side {mp.nstr(b, 15)})", t0,
                              outcome="refuted", details={"counterexample": _fmt_point(pt)})
    return sweep.evidence("verified", f"holds at all {sweep.used} random points "
                          f"(smallest relative margin {mp.nstr(min_margin, 3)}, {tight} tight)", t0,
                          measured={"smallest margin": Measured(mp.nstr(min_margin, 10))})
