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

import math
import time
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from ..errors import MalformedStatement, SequenceError
from ..evidence import Evidence, Measured
from ..statements import Asymptotic
from .protocol import ValidatorBase, default_validator
from .extrapolation import (Estimate, least_squares, richardson, richardson_basis, tail_trend,
                            wynn_epsilon)
from .lattices import lattices

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


def _shapes(v, w, L, count):
    """The first ``count`` correction shapes ``v^(-k w) (log v)^i``, ``k >= 1``,
    ``|i| <= k L``, largest first.  The family is closed under products, so it
    also holds the corrections of ``log(1 + corrections)`` (local exponents)."""
    lv = mp.log(v)
    out, k = [], 1
    while len(out) < count:
        vk = v ** (-k * w)
        out.extend(vk * lv ** i for i in range(k * L, -k * L - 1, -1))
        k += 1
    return out[:count]


def _extrapolate(h_or_rows, values, dps, safety, L):
    """Two independent estimates of ``lim values``: plain or logarithmic correction model."""
    if L == 0:
        return (richardson(h_or_rows, values, dps, safety), wynn_epsilon(values, dps, safety))
    return (richardson_basis(h_or_rows, values, dps, safety),
            least_squares(h_or_rows, values, dps, safety))


def _measure(stmt, values_v, values_a, exponent, dps, safety, L=None):
    """Estimates of the exponent and of the constant (given ``exponent``), and the two
    sequences they come from (local exponents, normalised sequence)."""
    L = stmt.log_corrections if L is None else L
    w = mp.mpf(sp.N(stmt.corrections, dps + 5))
    q = mp.mpf(sp.N(stmt.log_power, dps + 5))
    v = [mp.mpf(x) for x in values_v]
    b = [abs(x) / (mp.log(t) ** q if q else 1) for x, t in zip(values_a, v)]
    # local exponents, attached to the left node
    loc = [mp.log(b[j + 1] / b[j]) / mp.log(v[j + 1] / v[j]) for j in range(len(b) - 1)]
    e = mp.mpf(sp.N(exponent, dps + 5)) if not isinstance(exponent, mp.mpf) else exponent
    c = [x * t ** (-e) / (mp.log(t) ** q if q else 1) for x, t in zip(values_a, v)]
    if L == 0:
        nodes_loc, nodes_c = [t ** (-w) for t in v[:-1]], [t ** (-w) for t in v]
    else:
        nodes_c = [_shapes(t, w, L, len(v)) for t in v]
        # a local exponent sees each shape through the same difference quotient
        nodes_loc = [[(g1 - g0) / mp.log(v[j + 1] / v[j])
                      for g0, g1 in zip(nodes_c[j], nodes_c[j + 1])] for j in range(len(v) - 1)]
    e_est = _extrapolate(nodes_loc, loc, dps, safety, L)
    c_est = _extrapolate(nodes_c, c, dps, safety, L)
    return e_est, c_est, c, loc


def _observed_correction(c, v):
    """Leading correction exponent seen in the normalised sequence (a hint for users)."""
    d = [c[j + 1] - c[j] for j in range(len(c) - 1)]
    if len(d) < 3 or d[-1] == 0 or d[-2] == 0:
        return None
    rho = abs(d[-2] / d[-1])
    r = v[-1] / v[-2]
    return float(mp.log(rho) / mp.log(r)) if rho > 0 else None


def _fmt(x, digits=None):
    if not mp.isfinite(x):
        return str(x)
    return mp.nstr(x, digits or mp.mp.dps, strip_zeros=False)


def validate_asymptotic(stmt: Asymptotic, settings: Extrapolation | None = None,
                        params: dict | None = None) -> Evidence:
    """Check ``a(v) ~ C v^e (log v)^q`` by extrapolation on several lattices at two precisions.

    Returns an :class:`~workbench.evidence.Evidence` with the measured exponent
    and constant (value, error bar, claimed value and digits of agreement) for
    both methods on every lattice, and the range of ``v`` that was seen.
    """
    settings = settings or Extrapolation()
    t0 = time.perf_counter()
    a = sequence_function(stmt, params or {})
    runs = []
    for lat in lattices(settings.grid, stmt.is_integer, settings.dps, settings.confirm_dps,
                        settings.extra_points, settings.residues if stmt.is_integer else 1):
        with mp.workdps(lat.dps):
            vs, avals = _evaluate(stmt, a, lat.nodes, lat.dps)
        runs.append(_Run(lat, vs, avals))
    def evaluate(nodes, dps):
        with mp.workdps(dps):
            return _evaluate(stmt, a, nodes, dps)
    ev = _judge(stmt, runs, settings, evaluate=evaluate)
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


class _Run:
    """The values of the sequence on one lattice, and what they say (for one correction model)."""

    def __init__(self, lattice, vs, avals, dps=None):
        self.lattice, self.vs, self.avals = lattice, vs, avals
        self.dps = dps or lattice.dps

    def analyse(self, stmt, settings, L):
        """Estimates of exponent and constant, or why there are none (``self.problem``)."""
        lat, dps = self.lattice, self.dps
        self.problem, self.L, self.bad = None, L, set()
        self.__dict__.pop("e_est", None)      # nothing from an earlier correction model
        self.zero = all(x == 0 for x in self.avals)
        with mp.workdps(dps):
            self.C = mp.mpf(sp.N(stmt.constant, dps + 5))
            self.E = mp.mpf(sp.N(stmt.exponent, dps + 5))
            self.e_scale = max(abs(self.E), mp.mpf(1))
            if self.zero:       # exactly zero at every node: no law C v^e with C != 0 here
                return self
            vs, avals = self.vs, self.avals
            # the tail after the last zero or change of sign
            cut = 0
            for j in range(len(avals)):
                if avals[j] == 0 or mp.sign(avals[j]) != mp.sign(avals[-1]):
                    cut = j + 1
            if L:   # log-shaped corrections: a series in 1/log v wants log v >= 5.5
                cut = max(cut, next((j for j, v in enumerate(vs) if v >= 256), len(vs)))
            elif stmt.log_power:   # (log v)^q needs log v > 0
                cut = max(cut, next((j for j, v in enumerate(vs) if v > 2), len(vs)))
            if cut:
                vs, avals = vs[cut:], avals[cut:]
            if len(avals) < 5:
                self.problem = (f"too few nodes left on the {lat.label} lattice to extrapolate: "
                                f"the sequence vanishes or changes sign (or log {stmt.variable} "
                                f"is too small) up to {stmt.variable} = {_short(self.vs[cut - 1])}")
                return self
            self.used_v = vs
            self.e_est, self.c_est, c_seq, loc = _measure(stmt, vs, avals, self.E, dps,
                                                           settings.safety, L)
            self.trend = {"local exponent": tail_trend(loc, dps), "normalised": tail_trend(c_seq, dps)}
            self.geometric = {"exponent": _geometric_tail(loc, dps),
                              "constant": _geometric_tail(c_seq, dps)}
            bad = [k for k, t in self.trend.items() if t == "not asymptotic"]
            self.bad = set(bad)
            if bad:
                self.problem = (f"not asymptotic on this grid: the {' and '.join(bad)} sequence's "
                                f"differences do not shrink on the {lat.label} lattice "
                                f"({stmt.variable} = {vs[0]}..{_short(vs[-1])})")
            self.correction_seen = _observed_correction(c_seq, [mp.mpf(x) for x in vs])
        return self

    def refutation(self):
        """``"exponent"`` or ``"constant"`` when this lattice cleanly contradicts the claim."""
        if self.zero:
            return "zero" if getattr(self, "zero_refutes", True) else None
        if not hasattr(self, "e_est"):      # too few nodes to extrapolate
            return None
        # a wrong exponent makes the normalised sequence diverge: judge each estimate
        # only by the trend of its own sequence
        if ("local exponent" not in self.bad and self.geometric["exponent"]
                and _refutes(self.e_est, self.E, self.e_scale)):
            return "exponent"
        if self.problem:
            return None
        if self.geometric["constant"] and _refutes(self.c_est, self.C, abs(self.C)):
            return "constant"
        return None

    def tag(self):
        lat = self.lattice
        return f"dps{self.dps}" if lat.primary else f"{lat.label},dps{self.dps}"


def _geometric_tail(seq, dps, last=4, rho_max=mp.mpf("0.8")):
    """Whether the sequence is settling at a geometric rate: its last ``last`` differences
    shrink by a factor ``rho_max`` or better each step (or have reached rounding).

    Only then are the extrapolation error bars trusted to *refute* a claim: under
    logarithmic or log-periodic corrections the bars are heuristics that can be far too
    small, and the honest verdict is inconclusive."""
    s = list(seq)
    d = [abs(s[j + 1] - s[j]) for j in range(len(s) - 1)][-last:]
    scale = max(abs(x) for x in s) or mp.mpf(1)
    noise = scale * mp.mpf(10) ** (5 - dps)
    if d and d[-1] <= noise:
        return True
    if len(d) < last:
        return False
    return all(b <= rho_max * a or b <= noise for a, b in zip(d, d[1:]))


def _short(x):
    return mp.nstr(mp.mpf(x), 6) if not isinstance(x, int) or x > 10 ** 9 else str(x)


def _est_record(est: Estimate, claimed, scale, dps):
    with mp.workdps(dps):
        return Measured(value=_fmt(est.value), error=mp.nstr(est.error, 3),
                        claimed=_fmt(claimed), digits=round(est.digits(claimed, scale), 2))


def _refutes(est_pair, claimed, scale):
    """Both methods agree with each other and sit > 10 error bars from the claim."""
    a, b = est_pair
    if not (mp.isfinite(a.error) and mp.isfinite(b.error)):
        return False
    if abs(a.value - b.value) > 3 * (a.error + b.error):
        return False
    return all(abs(x.value - claimed) > 10 * x.error for x in est_pair)


#: constants tried when identifying a measured value (pi covers sqrt(pi), 1/pi, ...)
IDENTIFY_CONSTANTS = ["pi", "log(2)", "euler"]


def _identify(x, err):
    """A short closed form for ``x`` within its error (e.g. '1/2', '1/sqrt(pi)'), or None.

    A hint for the reader: it never replaces the claimed value."""
    try:
        tol = max(float(err) * 10, 1e-40)
        if tol > 1e-6:
            return None
        found = mp.identify(x, IDENTIFY_CONSTANTS, tol=tol, maxcoeff=200)
        if found is None:
            return None
        form = sp.nsimplify(sp.sympify(found, rational=True))
        # identify works at the ambient precision: keep the form only if it is as close as the bar
        if abs(mp.mpf(sp.N(form, mp.mp.dps + 5)) - x) > max(10 * mp.mpf(err),
                                                          abs(x) * mp.mpf(10) ** (5 - mp.mp.dps)):
            return None
        return str(form)
    except Exception:  # identification is a hint, never a verdict
        return None


def _grid_info(stmt, runs, settings):
    seen = [v for r in runs for v in r.vs]
    info = {"variable": str(stmt.variable), "start": str(settings.grid.start),
            "ratio": str(settings.grid.ratio), "points": [len(r.vs) for r in runs if r.lattice.primary],
            "nodes": [str(x) for x in runs[1].vs],
            "range": [_short(min(seen)), _short(max(seen))],
            "lattices": [{"label": r.lattice.label, "ratio": r.lattice.ratio, "points": len(r.vs),
                          "dps": r.dps, "from": _short(r.vs[0]), "to": _short(r.vs[-1])}
                         for r in runs]}
    if stmt.subsequence:
        info["subsequence"] = list(stmt.subsequence)
    return info


def _measured_law(stmt, run, settings):
    """The law ``C' v^e' (log v)^q`` measured on one lattice (exponent measured when it is off)."""
    with mp.workdps(run.dps):
        best_e = min(run.e_est, key=lambda e: e.error)
        e_off = run.refutation() == "exponent"
        e_val = best_e.value if e_off else run.E
        if e_off:
            _, c_pair, _, _ = _measure(stmt, run.used_v, run.avals[-len(run.used_v):], e_val,
                                       run.dps, settings.safety, run.L)
        else:
            c_pair = run.c_est
        best_c = min(c_pair, key=lambda e: e.error)
        return e_val, best_e, best_c, e_off


def _law_text(stmt, e, c, e_exact):
    v = stmt.variable
    cs = _identify(c.value, c.error)
    if cs is None:
        near = mp.nint(c.value)
        digits = max(12, min(40, int(-mp.log10(c.error / abs(c.value))) + 2)) if (
            c.value != 0 and 0 < c.error < abs(c.value)) else 12
        cs = (str(int(near)) if near != 0 and abs(c.value - near) <= 10 * c.error
              else mp.nstr(c.value, digits))
    es = str(stmt.exponent) if e_exact else (_identify(e, mp.mpf(10) ** -15) or mp.nstr(e, 12))
    return f"{cs} {v}^{es}" + (f" log({v})^{stmt.log_power}" if stmt.log_power else "")


def _residue_laws(stmt, runs, settings):
    """Per-class laws from the residue lattices, on the smallest modulus that explains them."""
    res = [r for r in runs if r.lattice.residue and not r.problem]
    if len(res) < 2:
        return None, {}
    laws = {}
    for r in res:
        laws[r.lattice.residue[0]] = "zero" if r.zero else _measured_law(stmt, r, settings)

    def same(x, y):
        if x == "zero" or y == "zero":
            return x == y
        (e1, be1, c1, _), (e2, be2, c2, _) = x, y
        rounding = mp.mpf(10) ** (5 - min(r.dps for r in res))
        tol_e = 10 * (be1.error + be2.error) + rounding
        tol_c = 10 * (c1.error + c2.error) + rounding * abs(c1.value)
        return abs(e1 - e2) <= tol_e and abs(c1.value - c2.value) <= tol_c

    R = len(laws)
    for m in range(1, R + 1):
        groups = {}
        for c, law in laws.items():
            groups.setdefault(c % m, []).append(law)
        if all(all(same(g[0], x) for x in g[1:]) for g in groups.values()):
            text = {_class_label(stmt, rc, m): _law_of(stmt, g[0]) for rc, g in sorted(groups.items())}
            return m, text
    return None, {_class_label(stmt, c, res[0].lattice.residue[1]): _law_of(stmt, law)
                  for c, law in laws.items()}


def _class_label(stmt, r, m):
    """``"n = r mod m"`` for the grid variable's class, written for ``n`` itself."""
    step, offset = stmt.subsequence or (1, 0)
    return f"{stmt.variable} = {(step * r + offset) % (step * m)} mod {step * m}"


def _n_classes(runs):
    return sum(1 for r in runs if r.lattice.residue)


def _law_of(stmt, law):
    return "0" if law == "zero" else _law_text(stmt, law[0], law[2], not law[3])


def _stable_refutations(stmt, guards, settings, L, evaluate):
    """The guard lattices whose refutation survives a re-run 15 digits more precise.

    A guard lattice may reach beyond the range where a sequence's implementation keeps
    its accuracy (cancellation at huge ``n``); such a bias shrinks when the precision
    rises, a true discrepancy does not."""
    if evaluate is None:
        return guards
    kept = []
    for g in guards:
        dps = g.dps + 15
        vs, avals = evaluate(g.lattice.nodes, dps)
        again = _Run(g.lattice, vs, avals, dps).analyse(stmt, settings, L)
        if again.refutation() == g.refutation():
            if g.zero:
                kept.append(g)
                continue
            what = g.c_est if g.refutation() == "constant" else g.e_est
            what2 = again.c_est if g.refutation() == "constant" else again.e_est
            a, b = min(what, key=lambda e: e.error), min(what2, key=lambda e: e.error)
            if abs(a.value - b.value) <= 3 * (a.error + b.error):
                kept.append(again)
    return kept


def _judge(stmt, runs, settings, L=None, retry=False, evaluate=None) -> Evidence | None:
    """The verdict from all lattices.  With ``retry`` (a second correction model tried
    on the same values) only a verification is returned, else ``None``."""
    L = stmt.log_corrections if L is None else L
    if retry:   # the confirming primary run first: most models fail there, cheaply
        hi = runs[1].analyse(stmt, settings, L)
        if hi.problem or hi.zero or min(
                [e.digits(hi.E, hi.e_scale) for e in hi.e_est]
                + [c.digits(hi.C, abs(hi.C)) for c in hi.c_est]) < settings.digits:
            return None
    for r in runs:
        r.analyse(stmt, settings, L)
    methods = ["richardson", "wynn-epsilon"] if L == 0 else ["richardson", "least-squares"]
    precisions = sorted({r.dps for r in runs})
    grid_info = _grid_info(stmt, runs, settings)
    details = {"correction_step_assumed": str(stmt.corrections), "log_power": str(stmt.log_power),
               "log_corrections_model": L}
    common = dict(methods=methods, grid=grid_info, precisions=precisions, details=details)
    hi = runs[1]
    if not hi.problem and not hi.zero:
        details["correction_seen"] = hi.correction_seen

    # a lattice that is zero at every node refutes only if no lattice reaching further is not
    _zero_lattices(stmt, runs)
    # 1. a clean contradiction on the primary lattice, or on a guard lattice
    if hi.refutation() == "zero":
        return Evidence("failed", f"refuted: a({stmt.variable}) = 0 at every node "
                        f"({stmt.variable} = {_short(hi.vs[0])}..{_short(hi.vs[-1])}), claimed "
                        f"{_expr_text(stmt.leading)}", outcome="refuted", **common)
    if hi.refutation() and _stable_across_precisions(runs[0], hi):
        return _refuted_primary(stmt, hi, settings, common)
    guards = [r for r in runs if not r.lattice.primary and r.refutation()]
    guards = _stable_refutations(stmt, guards[:3], settings, L, evaluate) if guards else []
    if guards:
        return _refuted_guard(stmt, runs, guards, settings, common)
    # 2. no extrapolation can be trusted where the sequence is not asymptotic
    problems = [r for r in runs if r.problem]
    if problems:
        details["not_asymptotic"] = [r.problem for r in problems]
        return Evidence("failed", f"inconclusive: {problems[0].problem}", outcome="inconclusive",
                        digits=0.0, **common)
    # 3. agreement to the requested digits everywhere
    measured, digit_list = {}, []
    for r in runs:
        for est in r.e_est:
            m = _est_record(est, r.E, r.e_scale, r.dps)
            measured[f"exponent[{est.method},{r.tag()}]"] = m
            digit_list.append(m.digits)
        for est in r.c_est:
            m = _est_record(est, r.C, abs(r.C), r.dps)
            measured[f"constant[{est.method},{r.tag()}]"] = m
            digit_list.append(m.digits)
    common["measured"] = measured
    confirmed = min(digit_list)
    confirmed_r = max(0.0, math.floor(confirmed * 10) / 10) if math.isfinite(confirmed) else 0.0
    rng = grid_info["range"]
    where = f"{stmt.variable} = {rng[0]}..{rng[1]}, {len(runs)} lattices"
    scan = _class_scan(stmt, settings, evaluate) if confirmed >= settings.digits else None
    if scan:
        details["not_asymptotic"] = [scan]
        return Evidence("failed", f"inconclusive: {scan}", outcome="inconclusive", digits=0.0,
                        **common)
    if confirmed >= settings.digits:
        summary = (f"exponent {stmt.exponent} and constant {_expr_text(stmt.constant)} confirmed to "
                   f"{confirmed_r:g} digits (2 methods x dps {precisions[0]}/{precisions[-1]}; {where})")
        return Evidence("verified", summary, outcome="supported", digits=confirmed_r, **common)
    worst = min(measured, key=lambda k: measured[k].digits)
    summary = (f"inconclusive: consistent with the claim but confirmed to only {confirmed_r:g} "
               f"digits, {settings.digits} requested (weakest: {worst}){_hint(stmt, hi)}")
    return Evidence("failed", summary, outcome="inconclusive", digits=confirmed_r, **common)


def _zero_lattices(stmt, runs):
    """A lattice that is exactly zero refutes only when no non-zero lattice reaches further
    (``floor(n/10^8) ~ n/10^8`` is zero on the primary grid, not on the guards)."""
    nonzero_top = max((mp.mpf(r.vs[-1]) for r in runs if not r.zero), default=None)
    for r in runs:
        r.zero_refutes = r.zero and (nonzero_top is None or 2 * mp.mpf(r.vs[-1]) >= nonzero_top)
        if r.zero and not r.zero_refutes:
            r.problem = (f"not asymptotic on this grid: a({stmt.variable}) = 0 at every node of the "
                         f"{r.lattice.label} lattice ({stmt.variable} <= {_short(r.vs[-1])}) but not "
                         "on lattices reaching further")


def _stable_across_precisions(lo, hi):
    """A refutation by the confirming run stands only if the lower-precision run measured the
    same value (within its bars): a bias of the sequence's implementation that shrinks as the
    precision rises (``n (1 + 10^(8-dps))``) is not a property of the claim."""
    kind = hi.refutation()
    if lo.zero or not hasattr(lo, "e_est"):
        return True
    pair_lo, pair_hi = (lo.c_est, hi.c_est) if kind == "constant" else (lo.e_est, hi.e_est)
    a = min(pair_lo, key=lambda e: e.error)
    b = min(pair_hi, key=lambda e: e.error)
    return not mp.isfinite(a.error) or abs(a.value - b.value) <= 3 * (a.error + b.error)


#: consecutive integers scanned at two magnitudes (every class mod m <= SCAN is in each window)
SCAN = 128


def _class_scan(stmt, settings, evaluate):
    """The residue screen: ``|a/law - 1|`` over ``SCAN`` consecutive integers near the top of the
    grid, and over as many ``256`` (or ``16``) times lower.  Every class modulo any ``m <= SCAN`` is
    in both windows; if the largest deviation does not shrink between them, some class does not
    follow the law (or the corrections are slower than any power): a problem, never a
    verification.  ``None`` when it shrinks, or for real variables and ``residues=1``."""
    if not stmt.is_integer or settings.residues <= 1 or evaluate is None:
        return None
    top = settings.grid.nodes(True, settings.extra_points)[-1]
    factor = next((f for f in (256, 16) if top // f >= 2 * SCAN), None)
    if factor is None:
        return None
    dps = settings.dps
    worst = []
    with mp.workdps(dps):
        C = mp.mpf(sp.N(stmt.constant, dps + 5))
        E = mp.mpf(sp.N(stmt.exponent, dps + 5))
        q = mp.mpf(sp.N(stmt.log_power, dps + 5))
        for m_end in (top // factor, top):
            vs, avals = evaluate(range(m_end - SCAN + 1, m_end + 1), dps)
            dev = [(abs(x / (mp.mpf(v) ** E * (mp.log(v) ** q if q else 1)) / C - 1), v)
                   for v, x in zip(vs, avals)]
            worst.append(max(dev))
        (d1, v1), (d2, v2) = worst
        if d2 > mp.mpf(10) ** -settings.digits and d2 >= d1 / 2:
            return (f"not every residue class follows the law: |a/law - 1| = {mp.nstr(d2, 3)} at "
                    f"{stmt.variable} = {_short(v2)} and {mp.nstr(d1, 3)} at {_short(v1)} ({SCAN} "
                    f"consecutive {stmt.variable} at each place): it does not shrink")
    return None


def _expr_text(expr):
    """A sympy number as short text (huge integers and long forms in scientific notation)."""
    try:
        text = str(expr)
    except ValueError:        # beyond Python's int-to-str limit
        text = ""
    if text and len(text) <= 60:
        return text
    return mp.nstr(mp.mpf(sp.N(expr, 20)), 15)


def _hint(stmt, hi):
    seen = getattr(hi, "correction_seen", None)
    w = float(stmt.corrections)
    if seen is not None and seen > 0.25 and abs(seen / w - round(seen / w)) > 0.1:
        return (f"; corrections look like {stmt.variable}^-{seen:.2f}, declared step "
                f"{stmt.corrections}: declare corrections= to match")
    if seen is not None and seen <= 0.25:
        return (f"; corrections decay like {stmt.variable}^-{max(seen, 0):.2f} or slower "
                "(logarithmic?)")
    return ""


def _refuted_primary(stmt, hi, settings, common):
    measured, details = {}, common["details"]
    e_val, best_e, best_c, e_off = _measured_law(stmt, hi, settings)
    with mp.workdps(hi.dps):
        if e_off:
            ident_e = _identify(e_val, best_e.error)
            measured["exponent"] = Measured(_fmt(e_val), mp.nstr(best_e.error, 3), _fmt(hi.E), None)
            if mp.isfinite(best_c.error):
                measured["constant"] = Measured(_fmt(best_c.value), mp.nstr(best_c.error, 3),
                                                _fmt(hi.C), None)
            summary = (f"refuted: measured exponent {_fmt(e_val, 20)} (+- {mp.nstr(best_e.error, 2)}"
                       f"{', = ' + ident_e if ident_e else ''}), claimed {stmt.exponent}")
            if mp.isfinite(best_c.error):
                summary += f"; constant with the measured exponent {mp.nstr(best_c.value, 15)}"
            details.update({"identified_exponent": ident_e,
                            "exponent_digits_measured": best_e.digits()})
        else:
            ident_c = _identify(best_c.value, best_c.error)
            e_digits = min(e.digits(hi.E, hi.e_scale) for e in hi.e_est)
            summary = (f"refuted: exponent {stmt.exponent} confirmed to {e_digits:.0f} digits but the "
                       f"constant is {_fmt(best_c.value, 20)} (+- {mp.nstr(best_c.error, 2)}"
                       f"{', = ' + ident_c if ident_c else ''}), claimed {_expr_text(stmt.constant)}")
            details["identified_constant"] = ident_c
            measured["constant"] = Measured(_fmt(best_c.value), mp.nstr(best_c.error, 3),
                                            _fmt(hi.C), None)
    return Evidence("failed", summary, outcome="refuted", measured=measured, **common)


def _refuted_guard(stmt, runs, guards, settings, common):
    details = common["details"]
    g = guards[0]
    measured = {}
    if g.zero:
        law = "0"
    else:
        e_val, best_e, best_c, e_off = _measured_law(stmt, g, settings)
        with mp.workdps(g.dps):
            measured = {"exponent": Measured(_fmt(e_val), mp.nstr(best_e.error, 3), _fmt(g.E), None),
                        "constant": Measured(_fmt(best_c.value), mp.nstr(best_c.error, 3),
                                             _fmt(g.C), None)}
        law = _law_text(stmt, e_val, best_c, not e_off)
    m, laws = _residue_laws(stmt, runs, settings) if g.lattice.residue else (None, {})
    if g.lattice.residue and m != 1:   # m = 1: every class agrees, the lattice itself differs
        details["residue_laws"] = laws
        details["residue_modulus"] = m
        M = g.lattice.residue[1]
        per_class = "; ".join(f"{k}: {v}" for k, v in laws.items())
        summary = (f"refuted: the limit depends on the residue class of {stmt.variable} "
                   f"(sampled on {stmt.variable} = c mod {M}, c = 0..{_n_classes(runs) - 1}; "
                   f"the simplest pattern they fit: "
                   f"{per_class}); claimed {_expr_text(stmt.leading)}")
    else:
        summary = (f"refuted: on the {g.lattice.label} lattice ({stmt.variable} = "
                   f"{_short(g.vs[0])}..{_short(g.vs[-1])}) {stmt.variable} follows {law}, "
                   f"claimed {_expr_text(stmt.leading)}")
    return Evidence("failed", summary, outcome="refuted", measured=measured, **common)
