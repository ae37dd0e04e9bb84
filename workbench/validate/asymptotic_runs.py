"""One lattice of an asymptotic check: the sequence's values there, its local exponent and
normalised sequence, their extrapolated limits with error bars, and whether they contradict
the claim (:class:`_Run`).  Used by :mod:`workbench.validate.asymptotic`.
"""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from ..evidence import Measured
from .extrapolation import Estimate, least_squares, richardson, richardson_basis, tail_trend, wynn_epsilon


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
