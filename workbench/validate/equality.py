"""Validators for :class:`~workbench.statements.Equality` and
:class:`~workbench.statements.Inequality`: evaluation at special and random admissible points.

Points come from :mod:`.points` (special values, breakpoints of non-smooth
functions, log-uniform random magnitudes; see there).  At each point both
sides are evaluated two ways:

* **ball arithmetic** (python-flint ``acb``, :mod:`.balls`) where every
  function is mapped: a rigorous enclosure.  It refutes an equality when the
  ball of ``lhs - rhs`` excludes 0, confirms it when the ball is within
  ``10^-digits`` of 0 relative to the sides, and proves or refutes an
  inequality when the margin's ball lies on one side of 0;
* **mpmath on a precision ladder** (:mod:`.numeric`): ``dps``, ``dps + 20``,
  ... up to ``dps + 80``, climbing while undecided.  An Equality is exact: a
  difference that stays the same (within a factor 10) from one rung to the
  next refutes it however small it is relative to the sides; a difference
  that shrinks like rounding (by ~10^-20 per rung) is rounding, and the sides
  agree to ``-log10(|lhs - rhs| / max(|lhs|, |rhs|))`` digits, or both vanish
  to working precision.  An Inequality's margin ``big - small`` decides by
  its sign when stable; a margin that shrinks like rounding is a tie (fatal
  for ``<``/``>``, tight for ``<=``/``>=``).  No absolute floor: tiny sides
  are compared relative to themselves.

When the two ways disagree at a point the point is undecided (the verdict is
then inconclusive, never verified or refuted on it).  Evidence counts the
points decided rigorously (ball arithmetic) and only numerically.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import mpmath as mp
import sympy as sp

from ..errors import MalformedStatement
from ..evidence import Evidence, Measured
from ..statements import Equality, Inequality
from .protocol import ValidatorBase, default_validator
from .balls import ballable
from .numeric import STEP, Evaluator
from .points import format_point, sample_points
from .point_verdicts import (_Point, _ball_equality, _ball_inequality, _combine_equality,
                             _combine_inequality, _judge_equality, _judge_inequality, _ladder)

__all__ = ["RandomPoints", "validate_equality", "validate_inequality", "sample_points"]


@dataclass(frozen=True)
class RandomPoints(ValidatorBase):
    """Settings for point validation (an immutable policy object).

    ``points`` random points are drawn in addition to the special points and
    breakpoints; ``digits`` is the agreement an Equality needs at every point;
    ``dps`` is the first rung of the precision ladder (``dps + 20`` confirms,
    ``dps + 80`` is the top).
    """

    points: int = 32
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
        return self.dps + STEP

    @property
    def max_dps(self) -> int:
        return self.dps + 4 * STEP

    @property
    def ladder(self) -> list[int]:
        return list(range(self.dps, self.max_dps + 1, STEP))

    statement_types = (Equality, Inequality)

    def check(self, statement, params: dict | None = None) -> Evidence:
        """Validate an :class:`Equality` or :class:`Inequality` with these settings."""
        self._require(statement)
        if isinstance(statement, Equality):
            return validate_equality(statement, self)
        return validate_inequality(statement, self)


class _Sweep:
    """Admissible points and what was found at each (numeric ladder plus ball arithmetic)."""

    def __init__(self, stmt, exprs, settings: RandomPoints):
        self.symbols = sorted(stmt.symbols, key=str)
        self.exprs = exprs
        self.settings = settings
        self.evaluate = Evaluator(self.symbols, exprs)
        self.use_balls = all(ballable(e) for e in exprs)
        self.points = sample_points(self.symbols, settings, stmt.where, stmt.domain, exprs)
        self.results: list[tuple[dict, _Point]] = []

    def run(self, numeric_judge, ball_judge, combine):
        for pt in self.points:
            num = _ladder(self.evaluate, pt, self.settings, numeric_judge)
            res = ball_judge(pt) if self.use_balls else None
            found = combine(res, num)
            self.results.append((pt, found))
        return self

    def count(self, *statuses, rigorous=None):
        return sum(1 for _, r in self.results if r.status in statuses
                   and (rigorous is None or r.rigorous == rigorous))

    def first(self, *statuses):
        """The first point with one of these statuses, preferring a rigorous one."""
        hits = [(pt, r) for pt, r in self.results if r.status in statuses]
        hits.sort(key=lambda h: not h[1].rigorous)
        return hits[0] if hits else (None, None)

    def evidence(self, verdict, summary, t0, **kwargs) -> Evidence:
        s = self.settings
        n_special = max(len(self.points) - s.points, 0)
        grid = {"points": [format_point(p) for p in self.points[:12]], "n_points": len(self.points),
                "special": n_special, "random": s.points,
                "evaluated": len(self.results) - self.count("skipped"),
                "skipped": self.count("skipped"), "seed": s.seed}
        details = kwargs.pop("details", {})
        details.update({"rigorous_points": sum(r.rigorous for _, r in self.results),
                        "undecided_points": self.count("undecided")})
        top = max((r.dps for _, r in self.results), default=s.confirm_dps)
        methods = ["random points", "mpmath precision ladder"]
        if self.use_balls:
            methods.append("ball arithmetic (python-flint)")
        return Evidence(verdict, summary, methods=methods, grid=grid, details=details,
                        precisions=sorted({s.dps, s.confirm_dps, top}),
                        runtime=time.perf_counter() - t0, **kwargs)

    def how_decided(self, statuses) -> str:
        rig = self.count(*statuses, rigorous=True)
        num = self.count(*statuses, rigorous=False)
        return f"{rig} by ball arithmetic, {num} numerically"

    def nothing_evaluated(self, t0) -> Evidence | None:
        if self.count("skipped") < len(self.results):
            return None
        return self.evidence("error", f"no sample point could be evaluated "
                             f"({len(self.results)} failed)", t0, outcome="error")


def _fmt(x, n=15):
    return mp.nstr(x, n) if x is not None else "?"


def validate_equality(stmt: Equality, settings: RandomPoints | None = None) -> Evidence:
    """Check ``lhs = rhs`` at special and random admissible points.

    Guarantees: ``verified`` only if at every point that could be evaluated the
    sides agree to ``settings.digits`` relative digits (or both vanish to
    working precision), no point shows a difference that persists when the
    precision rises, and no point is undecided.  ``refuted`` only with a
    counterexample where ball arithmetic excludes equality, or where the
    relative difference is the same at two precisions 20 digits apart.
    """
    s = settings or RandomPoints()
    t0 = time.perf_counter()
    exprs = [stmt.lhs, stmt.rhs]
    sweep = _Sweep(stmt, exprs, s)
    literal_zero = tuple(bool(getattr(e, "is_zero", False)) and not getattr(e, "free_symbols", ())
                         for e in exprs)
    sweep.run(_judge_equality(s, literal_zero), lambda pt: _ball_equality(exprs, pt, s),
              _combine_equality)
    failed = sweep.nothing_evaluated(t0)
    if failed:
        return failed
    pt, bad = sweep.first("differ")
    if bad is not None:
        lhs, rhs = bad.values if bad.values else (None, None)
        measured = {}
        if bad.values:
            with mp.workdps(bad.dps or s.confirm_dps):
                measured = {"lhs": Measured(mp.nstr(lhs, 25)), "rhs": Measured(mp.nstr(rhs, 25))}
                if "rel" in bad.extra:
                    measured["relative difference"] = Measured(mp.nstr(bad.extra["rel"], 5))
        shown = 15
        if "rel" in bad.extra and bad.extra["rel"] > 0:
            shown = int(min(bad.dps or s.confirm_dps, max(15, 5 - mp.log10(bad.extra["rel"]))))
        where = f" at {format_point(pt)}" if pt else ""
        return sweep.evidence("failed", f"refuted{where}: lhs = {_fmt(lhs, shown)}, "
                              f"rhs = {_fmt(rhs, shown)} ({bad.how})", t0, outcome="refuted",
                              measured=measured, details={"counterexample": format_point(pt),
                                                          "rigorous": bad.rigorous})
    agree = [r.digits for _, r in sweep.results if r.status == "agree" and r.digits is not None]
    worst = min(agree, default=float(s.confirm_dps - 5))
    digits = math.floor(worst * 10) / 10
    undecided = [(p, r) for p, r in sweep.results if r.status == "undecided"]
    if undecided:
        p, r = undecided[0]
        return sweep.evidence("failed", f"inconclusive: {len(undecided)} point(s) undecided, e.g. "
                              f"{format_point(p)}: {r.how}", t0, outcome="inconclusive",
                              digits=digits, details={"undecided": format_point(p)})
    n = sweep.count("agree")
    vanish = n - len(agree)
    tail = f"; both sides vanish at {vanish}" if vanish else ""
    skipped = sweep.count("skipped")
    tail += f"; {skipped} point(s) could not be evaluated" if skipped else ""
    if digits >= s.digits:
        return sweep.evidence("verified", f"equal to {digits:g} digits at {n} points "
                              f"({sweep.how_decided(('agree',))}){tail}", t0, digits=digits)
    return sweep.evidence("failed", f"inconclusive: sides agree to only {digits:g} digits, "
                          f"{s.digits} requested{tail}", t0, outcome="inconclusive", digits=digits)


def _normalise(relation):
    """``(small, big, strict)`` with the relation meaning ``small < big`` (or ``<=``)."""
    if isinstance(relation, (sp.StrictLessThan, sp.LessThan)):
        small, big = relation.lhs, relation.rhs
    else:
        small, big = relation.rhs, relation.lhs
    return small, big, isinstance(relation, (sp.StrictLessThan, sp.StrictGreaterThan))


def validate_inequality(stmt: Inequality, settings: RandomPoints | None = None) -> Evidence:
    """Check a relation ``lhs (<|<=|>|>=) rhs`` at special and random admissible points.

    Guarantees: ``verified`` only if at every point that could be evaluated the
    margin was proved by ball arithmetic or is stable in sign and size from one
    precision to the next (a non-strict relation also accepts sides whose
    difference shrinks like rounding), and no point is undecided.  ``refuted``
    only with a counterexample: a margin of the wrong sign (rigorous, or stable
    at two precisions), or for ``<``/``>`` sides equal beyond rounding.
    """
    s = settings or RandomPoints()
    t0 = time.perf_counter()
    small, big, strict = _normalise(stmt.relation)
    exprs = [small, big]
    sweep = _Sweep(stmt, exprs, s)
    sweep.run(_judge_inequality(s, strict), lambda pt: _ball_inequality(exprs, pt, s, strict),
              _combine_inequality)
    failed = sweep.nothing_evaluated(t0)
    if failed:
        return failed
    pt, bad = sweep.first("complex")
    if bad is not None:
        return sweep.evidence("error", f"a side is complex at {format_point(pt)}", t0,
                              outcome="error", details={"point": format_point(pt)})
    pt, bad = sweep.first("violated")
    if bad is not None:
        vals = bad.values or (None, None)
        return sweep.evidence("failed", f"refuted at {format_point(pt)}: {stmt.relation} fails "
                              f"(smaller side {_fmt(vals[0])}, larger side {_fmt(vals[1])}; "
                              f"{bad.how})", t0, outcome="refuted",
                              details={"counterexample": format_point(pt), "rigorous": bad.rigorous})
    undecided = [(p, r) for p, r in sweep.results if r.status == "undecided"]
    if undecided:
        p, r = undecided[0]
        return sweep.evidence("failed", f"inconclusive: {len(undecided)} point(s) undecided, e.g. "
                              f"{format_point(p)}: {r.how}", t0, outcome="inconclusive",
                              details={"undecided": format_point(p)})
    margins = [r.margin for _, r in sweep.results if r.status == "holds" and r.margin is not None]
    smallest = min(margins) if margins else None
    tight = sum(r.tight for _, r in sweep.results)
    n = sweep.count("holds")
    skipped = sweep.count("skipped")
    tail = f"; {skipped} point(s) could not be evaluated" if skipped else ""
    measured = {"smallest margin": Measured(mp.nstr(smallest, 10))} if smallest is not None else {}
    return sweep.evidence("verified", f"holds at all {n} points ({sweep.how_decided(('holds',))}; "
                          f"smallest relative margin {_fmt(smallest, 3)}, {tight} tight){tail}", t0,
                          measured=measured)


@default_validator.register(Equality)
@default_validator.register(Inequality)
def _(statement):
    return RandomPoints()
