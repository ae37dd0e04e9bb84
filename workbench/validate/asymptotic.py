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

import mpmath as mp
import sympy as sp

from ..errors import MalformedStatement, SequenceError
from ..evidence import Evidence, Measured
from ..statements import Asymptotic
from .extrapolation import Estimate, richardson, wynn_epsilon

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
class Extrapolation:
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

    def __post_init__(self):
        if not (1 <= self.digits < self.dps):
            raise MalformedStatement(f"need 1 <= digits < dps, got digits={self.digits}, dps={self.dps}")
        if self.high_dps is not None and self.high_dps <= self.dps:
            raise MalformedStatement("high_dps must exceed dps")
        if self.extra_points < 1:
            raise MalformedStatement("extra_points must be >= 1 (the confirming grid must be longer)")

    @property
    def confirm_dps(self) -> int:
        return self.high_dps or self.dps + 15


def _to_mpf(value, v, dps):
    """Convert a sequence value to mpf, with a clear error for anything else."""
    if isinstance(value, bool) or value is None:
        raise SequenceError(f"sequence returned {value!r} at {v}, not a number")
    try:
        if isinstance(value, (mp.mpc, complex)):
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
            out_a.append(_to_mpf(a(arg), v, dps))
    return out_v, out_a


def _measure(stmt, values_v, values_a, exponent, dps, safety):
    """Estimates of the exponent and of the constant (given ``exponent``)."""
    w = mp.mpf(sp.N(stmt.corrections, dps + 5))
    q = mp.mpf(sp.N(stmt.log_power, dps + 5))
    v = [mp.mpf(x) for x in values_v]
    b = [abs(x) / (mp.log(t) ** q if q else 1) for x, t in zip(values_a, v)]
    # local exponents, attached to the left node
    loc = [mp.log(b[j + 1] / b[j]) / mp.log(v[j + 1] / v[j]) for j in range(len(b) - 1)]
    h_loc = [t ** (-w) for t in v[:-1]]
    e_est = (richardson(h_loc, loc, dps, safety), wynn_epsilon(loc, dps, safety))
    e = mp.mpf(sp.N(exponent, dps + 5)) if not isinstance(exponent, mp.mpf) else exponent
    c = [x * t ** (-e) / (mp.log(t) ** q if q else 1) for x, t in zip(values_a, v)]
    h = [t ** (-w) for t in v]
    c_est = (richardson(h, c, dps, safety), wynn_epsilon(c, dps, safety))
    return e_est, c_est, c


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
    """Check ``a(v) ~ C v^e (log v)^q`` by extrapolation at two precisions.

    Returns an :class:`~workbench.evidence.Evidence` with the measured exponent
    and constant (value, error bar, claimed value and digits of agreement) for
    both methods at both precisions.
    """
    settings = settings or Extrapolation()
    t0 = time.perf_counter()
    a = sequence_function(stmt, params or {})
    runs = []
    for dps, extra in ((settings.dps, 0), (settings.confirm_dps, settings.extra_points)):
        grid_m = settings.grid.nodes(stmt.is_integer, extra)
        with mp.workdps(dps):
            vs, avals = _evaluate(stmt, a, grid_m, dps)
            run = _run(stmt, vs, avals, dps, settings)
        runs.append(run)
    ev = _verdict(stmt, runs, settings)
    ev.runtime = time.perf_counter() - t0
    return ev


def _run(stmt, vs, avals, dps, settings):
    C = mp.mpf(sp.N(stmt.constant, dps + 5))
    E = mp.mpf(sp.N(stmt.exponent, dps + 5))
    sign_bad = [(v, x) for v, x in zip(vs, avals) if x == 0 or mp.sign(x) != mp.sign(C)]
    if sign_bad:
        return {"dps": dps, "grid": vs, "sign_bad": sign_bad}
    e_est, c_est, c_seq = _measure(stmt, vs, avals, E, dps, settings.safety)
    e_scale = max(abs(E), mp.mpf(1))
    run = {"dps": dps, "grid": vs, "values": avals, "E": E, "C": C, "e_est": e_est, "c_est": c_est,
           "e_scale": e_scale,
           "correction_seen": _observed_correction(c_seq, [mp.mpf(x) for x in vs])}
    return run


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
    """A short closed form for ``x`` within its error (e.g. '1/2', '1/sqrt(pi)'), or None."""
    try:
        tol = max(float(err) * 10, 1e-40)
        if tol > 1e-6:
            return None
        found = mp.identify(x, IDENTIFY_CONSTANTS, tol=tol, maxcoeff=200)
        return None if found is None else str(sp.sympify(found))
    except Exception:  # identification is a hint, never a verdict
        return None


def _verdict(stmt, runs, settings) -> Evidence:
    digits_req = settings.digits
    grid_info = {"variable": str(stmt.variable), "start": str(settings.grid.start),
                 "ratio": str(settings.grid.ratio),
                 "points": [len(r["grid"]) for r in runs],
                 "nodes": [str(x) for x in runs[-1]["grid"]]}
    if stmt.subsequence:
        grid_info["subsequence"] = list(stmt.subsequence)
    methods = ["richardson", "wynn-epsilon"]
    precisions = [r["dps"] for r in runs]
    for r in runs:
        if "sign_bad" in r:
            v, x = r["sign_bad"][0]
            return Evidence("failed", f"refuted: a({v}) = {mp.nstr(x, 8)} does not have the sign of "
                            f"the claimed constant {stmt.constant}", outcome="refuted",
                            methods=methods, grid=grid_info, precisions=precisions)
    measured = {}
    digit_list = []
    for r in runs:
        tag = f"dps{r['dps']}"
        for est in r["e_est"]:
            m = _est_record(est, r["E"], r["e_scale"], r["dps"])
            measured[f"exponent[{est.method},{tag}]"] = m
            digit_list.append(m.digits)
        for est in r["c_est"]:
            m = _est_record(est, r["C"], abs(r["C"]), r["dps"])
            measured[f"constant[{est.method},{tag}]"] = m
            digit_list.append(m.digits)
    hi = runs[-1]
    details = {"correction_step_assumed": str(stmt.corrections),
               "correction_seen": hi["correction_seen"],
               "log_power": str(stmt.log_power)}
    confirmed = min(digit_list)
    best_e = min(hi["e_est"], key=lambda e: e.error)
    best_c = min(hi["c_est"], key=lambda e: e.error)

    if _refutes(hi["e_est"], hi["E"], hi["e_scale"]):
        e_meas = best_e.value
        with mp.workdps(hi["dps"]):
            _, c_pair, _ = _measure(stmt, hi["grid"], hi["values"], e_meas, hi["dps"],
                                    settings.safety)
        c_meas = min(c_pair, key=lambda e: e.error)
        with mp.workdps(hi["dps"]):
            ident_e = _identify(e_meas, best_e.error)
            measured["exponent"] = Measured(_fmt(e_meas), mp.nstr(best_e.error, 3),
                                            _fmt(hi["E"]), None)
            if mp.isfinite(c_meas.error):
                measured["constant"] = Measured(_fmt(c_meas.value), mp.nstr(c_meas.error, 3),
                                                _fmt(hi["C"]), None)
            e_digits = best_e.digits()
        summary = (f"refuted: measured exponent {_fmt(e_meas, 20)} (+- {mp.nstr(best_e.error, 2)}"
                   f"{', = ' + ident_e if ident_e else ''}), claimed {stmt.exponent}")
        if mp.isfinite(c_meas.error):
            summary += f"; constant with the measured exponent {mp.nstr(c_meas.value, 15)}"
        details.update({"identified_exponent": ident_e, "exponent_digits_measured": e_digits})
        return Evidence("failed", summary, outcome="refuted", methods=methods, digits=None,
                        measured=measured, grid=grid_info, precisions=precisions, details=details)

    if _refutes(hi["c_est"], hi["C"], abs(hi["C"])):
        with mp.workdps(hi["dps"]):
            ident_c = _identify(best_c.value, best_c.error)
        summary = (f"refuted: exponent {stmt.exponent} confirmed to "
                   f"{min(m.digits for k, m in measured.items() if k.startswith('exponent')):.0f} "
                   f"digits but the constant is {_fmt(best_c.value, 20)} "
                   f"(+- {mp.nstr(best_c.error, 2)}{', = ' + ident_c if ident_c else ''}), "
                   f"claimed {stmt.constant}")
        details["identified_constant"] = ident_c
        with mp.workdps(hi["dps"]):
            measured["constant"] = Measured(_fmt(best_c.value), mp.nstr(best_c.error, 3),
                                            _fmt(hi["C"]), None)
        return Evidence("failed", summary, outcome="refuted", methods=methods,
                        measured=measured, grid=grid_info, precisions=precisions, details=details)

    confirmed_r = max(0.0, math.floor(confirmed * 10) / 10) if math.isfinite(confirmed) else 0.0
    if confirmed >= digits_req:
        summary = (f"exponent {stmt.exponent} and constant {stmt.constant} confirmed to "
                   f"{confirmed_r:g} digits (2 methods x dps {precisions[0]}/{precisions[1]})")
        return Evidence("verified", summary, outcome="supported", methods=methods,
                        digits=confirmed_r, measured=measured, grid=grid_info,
                        precisions=precisions, details=details)
    hint = ""
    seen = hi["correction_seen"]
    w = float(stmt.corrections)
    if seen is not None and seen > 0.25 and abs(seen / w - round(seen / w)) > 0.1:
        hint = (f"; corrections look like {stmt.variable}^-{seen:.2f}, declared step "
                f"{stmt.corrections}: declare corrections= to match")
    elif seen is not None and seen <= 0.25:
        hint = (f"; corrections decay like {stmt.variable}^-{max(seen, 0):.2f} or slower "
                "(logarithmic?)")
    summary = (f"inconclusive: consistent with the claim but confirmed to only {confirmed_r:g} "
               f"digits, {digits_req} requested{hint}")
    return Evidence("failed", summary, outcome="inconclusive", methods=methods,
                    digits=confirmed_r, measured=measured, grid=grid_info, precisions=precisions,
                    details=details)
