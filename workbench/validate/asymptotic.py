"""Validator for :class:`~workbench.statements.Asymptotic` claims.

Claim: ``a(v) ~ C v^e (log v)^q`` as ``v -> oo``.

Procedure (each step at a precision isolated with ``mp.workdps``):

1. Evaluate ``a`` on a geometric grid ``v_j = v_0 r^j`` (for a subsequence
   ``v = step*m + offset`` the grid is in ``m``).
2. The *local exponent* ``e_j = log(b_{j+1}/b_j) / log(v_{j+1}/v_j)`` with
   ``b_j = a(v_j) / (log v_j)^q`` tends to ``e``; the *normalised sequence*
   ``c_j = a(v_j) v_j^{-e} (log v_j)^{-q}`` tends to ``C``.
3. Both limits are extrapolated by Richardson (Neville in ``h = v^{-w}``, ``w``
   the declared correction step) and by Wynn's epsilon (no assumption on the
   correction exponents), each with an error bar
   (:mod:`workbench.validate.extrapolation`).
4. Steps 1-3 are repeated at a higher precision on a longer grid.

Verdict: *verified* when all four estimates (2 methods x 2 precisions) of
``e`` and ``C`` agree with the claim to ``digits`` (agreement = the larger of
the discrepancy and the error bar); *refuted* when at the higher precision both
methods agree with each other and differ from the claim by more than ten error
bars (then ``C`` is measured with the measured exponent and reported too);
otherwise *inconclusive*, with the digits that were confirmed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from ..errors import MalformedStatement, SequenceError
from ..evidence import Evidence
from ..statements import Asymptotic
from .protocol import ValidatorBase, default_validator
from .asymptotic_runs import _short
from .asymptotic_verdict import _judge

__all__ = ["Grid", "Extrapolation", "validate_asymptotic"]


@dataclass(frozen=True)
class Grid:
    """A geometric grid ``start * ratio**j``, ``j = 0..points-1``.

    For an integer variable ``start`` and ``ratio`` must be integers (so every
    node is an integer and the grid is exactly geometric).
    """

    start: float = 16
    ratio: float = 2
    points: int = 18

    def __post_init__(self):
        if not (self.ratio > 1 and self.start > 0 and self.points >= 5):
            raise MalformedStatement(f"grid needs start > 0, ratio > 1, points >= 5; got {self}")

    def nodes(self, integer: bool, extra: int = 0):
        if integer:
            if int(self.start) != self.start or int(self.ratio) != self.ratio:
                raise MalformedStatement(
                    f"an integer variable needs an integer grid start and ratio, got {self}")
            return [int(self.start) * int(self.ratio) ** j for j in range(self.points + extra)]
        return [mp.mpf(self.start) * mp.mpf(self.ratio) ** j for j in range(self.points + extra)]


@dataclass(frozen=True)
class Extrapolation(ValidatorBase):
    """Settings of the asymptotic validator (an immutable policy object).

    Parameters
    ----------
    digits : int
        Digits to which exponent and constant must be confirmed (default 20).
    dps : int
        Working precision of the first run (default 30).
    high_dps : int, optional
        Working precision of the confirming run (default ``dps + 15``).
    grid : Grid
        Grid of the first run; the confirming run adds ``extra_points`` nodes.
    extra_points : int
        How much longer the confirming grid is (default 3).
    safety : float
        Factor on the extrapolation error estimates (default 4).
    residues : int
        For an integer variable, every residue class modulo every ``m <= residues``
        is sampled on a lattice of its own (default 12; see
        :mod:`workbench.validate.lattices`).  ``residues=1`` samples one class only
        and the evidence says so: use it only for sequences too expensive at
        ``n ~ 27720 * 3^7``.

    Choosing a grid
    ---------------
    Wynn's epsilon needs about two grid points per correction term it removes,
    and its rounding-noise amplification grows when the correction rates
    ``ratio^(-k w)`` lie close together.  Sequences with a correction series in
    ``n^(-1/2)`` therefore want ``ratio=4`` (or more precision); sequences that
    are expensive at large ``n`` want a shorter grid and more ``dps``.  When the
    two methods cannot reach ``digits`` the verdict is *inconclusive* with the
    digits reached, never *verified*.
    """

    digits: int = 20
    dps: int = 30
    high_dps: int | None = None
    grid: Grid = field(default_factory=Grid)
    extra_points: int = 3
    safety: float = 4.0
    residues: int = 12

    def __post_init__(self):
        if not (1 <= self.digits < self.dps):
            raise MalformedStatement(f"need 1 <= digits < dps, got digits={self.digits}, dps={self.dps}")
        if self.high_dps is not None and self.high_dps <= self.dps:
            raise MalformedStatement("high_dps must exceed dps")
        if self.extra_points < 1:
            raise MalformedStatement("extra_points must be >= 1 (the confirming grid must be longer)")
        if not (isinstance(self.residues, int) and 1 <= self.residues <= 16):
            raise MalformedStatement(f"residues must be an integer 1..16, got {self.residues!r}")

    statement_types = (Asymptotic,)

    @property
    def confirm_dps(self) -> int:
        return self.high_dps or self.dps + 15

    def check(self, statement: Asymptotic, params: dict | None = None) -> Evidence:
        """Run :func:`validate_asymptotic` with these settings."""
        self._require(statement)
        return validate_asymptotic(statement, self, params)


@default_validator.register
def _(statement: Asymptotic):
    return Extrapolation()


def _to_mpf(value, v, dps):
    """Convert a sequence value to mpf, with a clear error for anything else.

    Numbers of any kind are accepted (Python, numpy, mpmath, sympy, ``Fraction``,
    ``Decimal``); strings, booleans and None are not."""
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:
        raise SequenceError(f"sequence returned {value!r} at {v}, not a number")
    try:
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, Fraction):
            x = mp.mpf(value.numerator) / value.denominator
        elif isinstance(value, Decimal):
            x = mp.mpf(str(value))
        elif isinstance(value, (mp.mpc, complex)):
            z = mp.mpc(value)
            if abs(z.imag) > abs(z.real) * mp.mpf(10) ** (5 - dps):
                raise SequenceError(f"sequence returned a complex value {value} at {v}")
            x = z.real
        elif isinstance(value, sp.Basic):
            x = mp.mpf(sp.N(value, dps + 5))
        else:
            x = mp.mpf(value)
    except SequenceError:
        raise
    except (TypeError, ValueError):
        raise SequenceError(f"sequence returned {value!r} ({type(value).__name__}) at {v}, "
                            "not a number") from None
    if not mp.isfinite(x):
        raise SequenceError(f"sequence returned {x} at {v}")
    return x


def sequence_function(stmt: Asymptotic, params: dict):
    """The callable ``a(v)`` for a statement (its ``sequence`` or its expression)."""
    if stmt.sequence is not None:
        return (lambda v: stmt.sequence(v, **params)) if params else stmt.sequence
    f = sp.lambdify(stmt.variable, stmt.expression, modules="mpmath")
    return lambda v: f(mp.mpf(v))


def _evaluate(stmt, a, grid_m, dps):
    """Values of ``a`` at the grid nodes (mapped through the subsequence)."""
    step, offset = stmt.subsequence or (1, 0)
    out_v, out_a = [], []
    with mp.workdps(dps):
        for m in grid_m:
            v = step * m + offset if stmt.subsequence else m
            arg = v if stmt.is_integer else mp.mpf(v)
            out_v.append(v)
            try:
                value = a(arg)
            except (SequenceError, MemoryError, KeyboardInterrupt):
                raise
            except Exception as exc:   # name the node: mpmath's own messages are often empty
                raise SequenceError(f"the sequence raised {type(exc).__name__}"
                                    f"{': ' + str(exc) if str(exc) else ''} at {stmt.variable} = "
                                    f"{_short(v)}") from exc
            out_a.append(_to_mpf(value, v, dps))
    return out_v, out_a


def _keep_series(ev: Evidence, stmt: Asymptotic, run) -> None:
    """Store the primary lattice's values in ``ev.details["plot"]``: ``workbench plot`` and the
    HTML explorer draw them without evaluating the sequence again (best effort: a value that
    cannot be drawn leaves no series)."""
    from ..plotting.sources import sequence_series
    try:
        ev.details["plot"] = sequence_series(stmt, run.vs, run.avals, run.dps)
    except (ArithmeticError, ValueError, TypeError):
        pass


def validate_asymptotic(stmt: Asymptotic, settings: Extrapolation | None = None,
                        params: dict | None = None) -> Evidence:
    """Check ``a(v) ~ C v^e (log v)^q`` by extrapolation on several lattices at two precisions.

    Returns an :class:`~workbench.evidence.Evidence` with the measured exponent
    and constant (value, error bar, claimed value and digits of agreement) for
    both methods on every lattice, and the range of ``v`` that was seen.
    """
    settings = settings or Extrapolation()
    t0 = time.perf_counter()
    from .asymptotic_measure import sample
    sampled = sample(stmt, settings, params)
    runs, evaluate = sampled.runs, sampled.evaluate
    ev = _judge(stmt, runs, settings, evaluate=evaluate)
    _keep_series(ev, stmt, runs[0])
    if ev.outcome == "inconclusive" and stmt.log_corrections == 0 and not ev.details.get("not_asymptotic"):
        for L in (1, 2):   # logarithmic corrections? (same values, richer correction model)
            alt = _judge(stmt, runs, settings, L=L, retry=True, evaluate=evaluate)
            if alt is not None and alt.verdict == "verified":
                alt.details["corrections_detected"] = (
                    f"{stmt.variable}^(-k*{stmt.corrections}) log({stmt.variable})^i, |i| <= {L}")
                alt.summary += (f"; logarithmic corrections detected ({stmt.variable}^-k log^i "
                                f"{stmt.variable}, |i| <= {L})")
                ev = alt
                break
            if alt is not None and alt.outcome != "refuted":
                # the confirming run agrees under log-shaped corrections, a weaker run does not
                v = stmt.variable
                ev.summary += (f"; with corrections {v}^-k log({v})^i, |i| <= {L}, the confirming "
                               f"run agrees to {settings.digits}+ digits but not every run: declare "
                               f"corrections={v}**-{stmt.corrections}*log({v})**-{L} and raise dps "
                               "or start the grid later")
                ev.details["log_corrections_seen"] = L
                break
    ev.runtime = time.perf_counter() - t0
    return ev
