"""Exchangeable students in the dimensionless ODE of Arnaboldi et al. 2023, at any width ``p``
including ``p = inf`` (the mean-field limit at fixed ``gamma/p``).

Model and time as in :mod:`workbench.teacher_student.dimensionless` (erf activation), with an
orthonormal teacher ``P = I_k``.  If the ``p`` students start exchangeable -- ``Q_jj = a``,
``Q_jl = b`` (``j != l``), ``M_jr = m`` for all ``j, r`` -- the ODE keeps them so (the right-hand
side commutes with permutations of the students and of the teachers), and the ``p x p`` system
reduces to three numbers.  Every sum over students in the ODE is a sum over *kinds* of student
(the ones named in the term, or a fresh one), with multiplicities that are polynomials in ``p``;
divided by the ODE's powers of ``p`` they have finite limits, which gives the ``p = inf`` system:

    dm/dt = I3(j,r,r)/k + (1 - 1/k) I3(j,r,s) - [I3(j,r,j) + (p-1) I3(j,r,l)]/p
    da/dt = 2 [I3(j,j,r) - S3(j,j)] + (gamma/p) [S4(j,j) - 2 T4(j,j) + U4(j,j) + Delta J2(j,j)]
    db/dt = 2 [I3(j,l,r) - S3(j,l)] + (gamma/p) [S4(j,l) - 2 T4(j,l) + U4(j,l) + Delta J2(j,l)]

with ``S3 = p^-1 sum_o I3(., ., o)``, ``S4 = p^-2 sum_oq I4(., ., o, q)``, ``T4 = p^-1 sum_o
I4(., ., o, r)``, ``U4 = k^-2 sum_rs I4(., ., r, s)`` (averages of :mod:`.averages`, erf closed forms).

This is an independent code path from the compiled ``p x p`` closure
(:mod:`workbench.teacher_student.closure`): at finite ``p`` the two agree to the integration
tolerance from an exchangeable start (tests/derivations/test_arnaboldi_headlines.py), which checks
the reduction, and at ``p = inf`` it is the limit that the closure's ``R_p(t)`` approaches.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ConvergenceError, InvalidParameter
from .averages import erf_i2, erf_i3, erf_i4, erf_j2
from .model import check_count, check_positive

__all__ = ["exchangeable_risk", "exchangeable_rhs", "exchangeable_state"]

_STUDENTS = "jlof"     # named students j, l and two fresh ones o, f
_TEACHERS = "rs"


def _cov(labels, a, b, m):
    """The covariance of the local fields named by ``labels`` in the exchangeable state."""
    n = len(labels)
    C = np.empty((n, n))
    for i, x in enumerate(labels):
        for j, y in enumerate(labels):
            if x in _STUDENTS and y in _STUDENTS:
                C[i, j] = a if x == y else b
            elif x in _TEACHERS and y in _TEACHERS:
                C[i, j] = 1.0 if x == y else 0.0
            else:
                C[i, j] = m
    return C


def _single(named, p):
    """``p^-1 sum_o``: (label of o, weight) over the kinds of student o."""
    rest = p - len(named)
    out = [] if math.isinf(p) else [(x, 1.0 / p) for x in named]
    return out + [("o", 1.0 if math.isinf(p) else rest / p)]


def _pairs(named, p):
    """``p^-2 sum_oq``: ((o, q), weight) over the kinds of student pair."""
    if math.isinf(p):
        return [(("o", "f"), 1.0)]
    rest = p - len(named)
    out = [((x, y), 1.0) for x in named for y in named]
    out += [((x, "o"), rest) for x in named] + [(("o", x), rest) for x in named]
    out += [(("o", "o"), rest), (("o", "f"), rest * (rest - 1))]
    return [(lab, w / p ** 2) for lab, w in out]


def _teachers(k):
    """``k^-1 sum_r`` with a second teacher fixed as ``r``: (label, weight)."""
    return [("r", 1.0 / k)] + ([("s", (k - 1) / k)] if k > 1 else [])


def exchangeable_rhs(state, *, p, k, x, noise=0.0):
    """``(da, db, dm)/dt`` at ``state = (a, b, m)``; ``p`` an integer >= 2 or ``math.inf``,
    ``x = gamma/p``, ``noise = Delta``."""
    a, b, m = state
    i3 = lambda *lab: erf_i3(_cov(lab, a, b, m))  # noqa: E731
    i4 = lambda *lab: erf_i4(_cov(lab, a, b, m))  # noqa: E731
    dm = (sum(w * i3("j", "r", t) for t, w in _teachers(k))
          - sum(w * i3("j", "r", s) for s, w in _single("j", p)))
    out = []
    for A, B in (("j", "j"), ("j", "l")):
        named = (A,) if A == B else (A, B)
        drift = i3(A, B, "r") - sum(w * i3(A, B, s) for s, w in _single(named, p))
        s4 = sum(w * i4(A, B, o, q) for (o, q), w in _pairs(named, p))
        t4 = sum(w * i4(A, B, o, "r") for o, w in _single(named, p))
        u4 = sum(w * i4(A, B, "r", t) for t, w in _teachers(k))
        out.append(2 * drift + x * (s4 - 2 * t4 + u4 + noise * erf_j2(_cov((A, B), a, b, m))))
    return np.array([out[0], out[1], dm])


def _risk(state, p, k):
    a, b, m = state
    i2 = lambda *lab: erf_i2(_cov(lab, a, b, m))  # noqa: E731
    teacher = sum(w * i2("r", t) for t, w in _teachers(k))
    own = i2("j", "l") if math.isinf(p) else (i2("j", "j") + (p - 1) * i2("j", "l")) / p
    return teacher / 2 - i2("j", "r") + own / 2


def exchangeable_state(p, k, a, b, m):
    """Check an exchangeable start and return it; ``p`` may be ``math.inf``.

    The joint covariance of students and teachers must be positive semi-definite:
    ``a >= b``, ``a + (p-1) b >= p k m^2`` (at ``p = inf``: ``b >= k m^2``).
    """
    if not (isinstance(p, float) and math.isinf(p) and p > 0):
        p = check_count("p (student width)", p, minimum=2)
    k = check_count("k (teacher width)", k)
    a, b, m = (float(v) for v in (a, b, m))
    if not all(map(math.isfinite, (a, b, m))):
        raise InvalidParameter(f"a, b, m must be finite, got {(a, b, m)}")
    top = b - k * m * m if math.isinf(p) else (a + (p - 1) * b) / p - k * m * m
    if a < b or top < -1e-12:
        raise InvalidParameter(f"(a, b, m) = {(a, b, m)} is not a covariance of {p} exchangeable "
                               f"students and {k} orthonormal teachers: need a >= b and "
                               f"mean overlap - k m^2 >= 0 (got {top:.3g})")
    return p, k, np.array([a, b, m])


def exchangeable_risk(*, p, k, x, a, b, m, times, noise=0.0, rtol=1e-10):
    """The risk ``R(t)`` at ``times`` of ``p`` exchangeable students (``p = math.inf``: the
    mean-field limit at fixed ``x = gamma/p``), from ``Q_jj = a``, ``Q_jl = b``, ``M = m``."""
    from scipy.integrate import solve_ivp
    p, k, y0 = exchangeable_state(p, k, a, b, m)
    x = check_positive("x (gamma/p)", x, allow_zero=True)
    noise = check_positive("noise (Delta)", noise, allow_zero=True)
    t = np.array(times, dtype=float).reshape(-1)
    if t.size < 1 or t[0] < 0 or np.any(np.diff(t) <= 0) or not np.all(np.isfinite(t)):
        raise InvalidParameter("times must be a non-empty, strictly increasing list of t >= 0")
    f = lambda _, y: exchangeable_rhs(y, p=p, k=k, x=x, noise=noise)  # noqa: E731
    ys, y, now = [], y0, 0.0
    for target in t:          # step ends at every requested time (no dense-output interpolation)
        if target > now:
            sol = solve_ivp(f, (now, float(target)), y, method="DOP853", rtol=rtol, atol=rtol * 1e-3)
            if not sol.success or not np.all(np.isfinite(sol.y[:, -1])):
                raise ConvergenceError(f"the exchangeable ODE failed at t = {sol.t[-1]:.4g}: {sol.message}")
            y, now = sol.y[:, -1], float(target)
        ys.append(y)
    return np.array([_risk(s, p, k) for s in ys])
