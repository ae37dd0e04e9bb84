"""Fixed points of the Saad-Solla ODEs at high precision: the symmetric plateau and the
specialised solution, their stability, the escape rate and the plateau length.

Setting (Saad & Solla 1995): ``g = erf(x/sqrt 2)``, ``K = M``, ``T = I``, ``v = v* = 1``,
``sigma = 0``, isotropic inputs, learning rate ``eta/sqrt N`` on ``w`` (``eta/N`` on the
``J = w/sqrt N`` of Saad-Solla), time ``alpha = steps/N``.  The right-hand side is exactly
``eta F1 + eta^2 F2`` (:func:`rhs_parts`), evaluated here with mpmath at the working
precision.

* Symmetric plateau: ``Q_ii = q``, ``Q_ik = c``, ``R_in = r`` for all ``i != k`` and ``n``;
  :func:`symmetric_fixed_point` solves the three reduced equations with ``mp.findroot``.
  As ``eta -> 0``: ``q = c = 1/(2K - 1)``, ``r = 1/sqrt(K(2K - 1))`` and
  ``eps* = K/6 - (K^2/pi) arcsin(1/(2K))`` (:func:`plateau_height`).
* Stability: eigenvalues of the Jacobian of the full right-hand side in the independent
  coordinates (upper triangle of ``Q``, all of ``R``), by central differences at the
  working precision (:func:`jacobian`).  The escape rate is the largest eigenvalue at the
  plateau; the plateau length from an asymmetry ``delta0`` along the unstable direction is
  ``alpha_P = ln(1/delta0)/lambda_esc + const``.
* Specialised solution ``Q = R = I``: exact for every ``eta``; its slowest eigenvalue sets
  the final exponential phase ``eps_g ~ exp(2 lambda_slow alpha)``; ``eta_max`` is where its
  largest eigenvalue crosses zero (:func:`max_learning_rate`).

Precision (:mod:`workbench.precision`): every function works at the ambient mpmath precision,
or at ``dps`` digits when given, with 10 guard digits for the root-finding and the central
differences; mpmath results are carried at the guard precision (they are accurate to ``dps``).
Functions that return floats (:func:`escape_direction`, :func:`final_phase_modes`) need only
double precision, which the default 15 digits plus the guard give.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp
import sympy as sp

from ..errors import ConvergenceError, InvalidParameter
from ..precision import local
from .averages import erf_i2, erf_i3, erf_i4
from .model import check_count, check_positive

__all__ = ["rhs_parts", "symmetric_fixed_point", "plateau_height", "plateau_height_expr",
           "jacobian", "stability", "escape_rate", "specialised_rates", "max_learning_rate",
           "FixedPoint", "plateau_state", "eg_mp", "escape_direction", "error_gradient",
           "final_phase_modes", "convergence_rate"]


class _Sub:
    """The sub-covariance of ``C`` (nested lists) in the order of ``idx`` (indexable like a matrix)."""

    __slots__ = ("C", "idx")

    def __init__(self, C, idx):
        self.C, self.idx = C, idx

    def __getitem__(self, ij):
        return self.C[self.idx[ij[0]]][self.idx[ij[1]]]


class _Upper:
    """A small symmetric covariance from its upper triangle ``{(p, q): value}``, ``p <= q``."""

    __slots__ = ("upper",)

    def __init__(self, upper):
        self.upper = upper

    def __getitem__(self, ij):
        i, j = ij
        return self.upper[(i, j) if i <= j else (j, i)]


_MEMO: dict = {}
_MEMO_SIZE = 1 << 16


def _average(f, C, idx):
    """``f`` (``erf_i3``/``erf_i4``, which read only the upper triangle) of the symmetric
    sub-covariance ``C[idx, idx]`` in mpmath at the working precision.

    Memoised (within the process) on everything the value depends on: the function, the
    precision and the exact binary values of the upper-triangle entries.  The Jacobians by
    central differences move one overlap at a time, so most sub-covariances recur unchanged,
    and a recurring one gets the very number computed before.
    """
    n = len(idx)
    upper = {(p, q): C[idx[p]][idx[q]] for p in range(n) for q in range(p, n)}
    key = (f, mp.mp.prec, tuple(getattr(x, "_mpf_", x) for x in upper.values()))
    value = _MEMO.get(key)
    if value is None:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        value = _MEMO[key] = f(_Upper(upper), mp)
    return value


def _field_covariance(Q, R, T):
    """The covariance of the fields ``(students, teachers)`` as nested lists."""
    K, M = len(Q), len(T)
    C = [[None] * (K + M) for _ in range(K + M)]
    for i in range(K):
        for k in range(K):
            C[i][k] = Q[i][k]
        for m in range(M):
            C[i][K + m] = C[K + m][i] = R[i][m]
    for m in range(M):
        for m2 in range(M):
            C[K + m][K + m2] = T[m][m2]
    return C


def rhs_parts(Q, R, T):
    """``(F1_Q, F1_R, F2_Q)`` with ``dQ/dalpha = eta F1_Q + eta^2 F2_Q`` and ``dR/dalpha = eta F1_R``.

    ``v = v* = 1``, ``sigma = 0``, erf; nested lists of mpmath numbers.
    """
    K, M = len(Q), len(T)
    C = _field_covariance(Q, R, T)
    n = K + M
    c = [-1] * K + [1] * M
    G = [[mp.fsum(c[a] * _average(erf_i3, C, (i, b, a)) for a in range(n)) for b in range(n)]
         for i in range(K)]
    F1Q = [[G[i][k] + G[k][i] for k in range(K)] for i in range(K)]
    F1R = [[G[i][K + m] for m in range(M)] for i in range(K)]
    F2Q = [[None] * K for _ in range(K)]
    for i in range(K):
        for k in range(i, K):
            s = mp.fsum(c[a] * c[b] * _average(erf_i4, C, (i, k, a, b))
                        for a in range(n) for b in range(n))
            F2Q[i][k] = F2Q[k][i] = s
    return F1Q, F1R, F2Q


def eg_mp(Q, R, T):
    """``eps_g`` for erf, ``v = v* = 1`` (notes 1.3), at the working precision."""
    K, M = len(Q), len(T)
    C = _field_covariance(Q, R, T)
    c = [-1] * K + [1] * M
    return mp.fsum(c[a] * c[b] * erf_i2(_Sub(C, (a, b)), mp)
                   for a in range(K + M) for b in range(K + M)) / 2


def plateau_state(K, q, c, r):
    """``(Q, R, T)`` of the symmetric ansatz (nested lists)."""
    Q = [[q if i == k else c for k in range(K)] for i in range(K)]
    R = [[r] * K for _ in range(K)]
    T = [[mp.mpf(1) if i == k else mp.mpf(0) for k in range(K)] for i in range(K)]
    return Q, R, T


@dataclass(frozen=True)
class FixedPoint:
    """A symmetric fixed point ``(q, c, r)`` and its generalisation error (mpmath numbers)."""

    K: int
    eta: object
    q: object
    c: object
    r: object
    eg: object
    residual: object

    def state(self):
        return plateau_state(self.K, self.q, self.c, self.r)


def _check_K_eta(K, eta):
    K = check_count("K", K)
    eta = check_positive("eta", eta, allow_zero=True)
    return K, mp.mpf(eta) if not isinstance(eta, mp.mpf) else eta


def symmetric_fixed_point(K: int, eta=0, dps: int | None = None) -> FixedPoint:
    """The symmetric plateau of the K = M Saad-Solla ODEs at learning rate ``eta`` (0: the limit).

    Solved with ``mp.findroot`` at ``dps + 10`` digits (``dps`` default: the ambient precision)
    from the ``eta -> 0`` closed form; the values are returned at ``dps + 10`` digits.
    Raises :class:`~workbench.errors.ConvergenceError` when the root-finder fails.
    """
    K = check_count("K", K, minimum=2)
    eta = check_positive("eta", eta, allow_zero=True)
    with local(dps) as digits, mp.workdps(digits + 10):
        e = mp.mpf(eta)

        def residual(q, c, r):
            Q, R, T = plateau_state(K, q, c, r)
            F1Q, F1R, F2Q = rhs_parts(Q, R, T)
            return [F1Q[0][0] + e * F2Q[0][0], F1Q[0][1] + e * F2Q[0][1], F1R[0][0]]

        q0 = mp.mpf(1) / (2 * K - 1)
        guess = [q0 * (1 + e / 10), q0, 1 / mp.sqrt(K * (2 * K - 1))]
        try:
            if eta == 0:
                # q = c makes the reduced system degenerate (students coincide): solve for c, r at q = c
                sol = mp.findroot(lambda c, r: residual(c, c, r)[1:], guess[1:])
                q, c, r = sol[0], sol[0], sol[1]
            else:
                q, c, r = mp.findroot(residual, guess)
        except (ValueError, ZeroDivisionError) as exc:      # mpmath: "Could not find root ..."
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ConvergenceError(f"no symmetric fixed point found for K={K}, eta={eta}: "
                                   f"{first}") from None
        Q, R, T = plateau_state(K, q, c, r)
        F1Q, F1R, F2Q = rhs_parts(Q, R, T)
        res = max(abs(F1Q[i][k] + e * F2Q[i][k]) for i in range(K) for k in range(K))
        res = max(res, max(abs(x) for row in F1R for x in row))
        eg = eg_mp(Q, R, T)
        return FixedPoint(K, e, +q, +c, +r, +eg, +res)


def plateau_height_expr(K=None):
    """``eps* = K/6 - (K^2/pi) arcsin(1/(2K))`` as a sympy expression (``K`` symbol if None)."""
    k = sp.Symbol("K", positive=True, integer=True) if K is None else sp.Integer(K)
    return k / 6 - k ** 2 / sp.pi * sp.asin(1 / (2 * k))


def plateau_height(K: int):
    """``eps*`` of the symmetric plateau as ``eta -> 0`` (Saad & Solla 1995), mpmath."""
    K = check_count("K", K)
    return mp.mpf(K) / 6 - mp.mpf(K) ** 2 / mp.pi * mp.asin(mp.mpf(1) / (2 * K))


def _coords(K, M):
    return [("Q", i, k) for i in range(K) for k in range(i, K)] + \
           [("R", i, m) for i in range(K) for m in range(M)]


def _flow(Q, R, T, eta):
    F1Q, F1R, F2Q = rhs_parts(Q, R, T)
    K, M = len(Q), len(T)
    out = []
    for kind, i, k in _coords(K, M):
        out.append(eta * F1Q[i][k] + eta ** 2 * F2Q[i][k] if kind == "Q" else eta * F1R[i][k])
    return out


def _central_differences(func, Q, R, T):
    """``d func / d x`` for each coordinate ``x`` of (upper Q, R), central differences at working
    precision (step ``10^(-dps/2)``, error ``O(10^-dps)``); ``func(Q, R, T)`` returns a number or a list."""
    h = mp.mpf(10) ** (-(mp.mp.dps // 2))
    out = []
    for kind, i, k in _coords(len(Q), len(T)):
        values = []
        for sign in (1, -1):
            Qp, Rp = [list(r) for r in Q], [list(r) for r in R]
            if kind == "Q":
                Qp[i][k] += sign * h
                if i != k:
                    Qp[k][i] += sign * h
            else:
                Rp[i][k] += sign * h
            values.append(func(Qp, Rp, T))
        if isinstance(values[0], list):
            out.append([(a - b) / (2 * h) for a, b in zip(*values)])
        else:
            out.append((values[0] - values[1]) / (2 * h))
    return out


def jacobian(Q, R, T, eta):
    """Jacobian of the full right-hand side in (upper Q, R), central differences at working precision."""
    columns = _central_differences(lambda Qp, Rp, Tp: _flow(Qp, Rp, Tp, eta), Q, R, T)
    n = len(columns)
    J = mp.matrix(n, n)
    for col, values in enumerate(columns):
        for row in range(n):
            J[row, col] = values[row]
    return J


def _real_parts_of_eigenvalues(J):
    """Real parts of the eigenvalues of the mpmath matrix ``J`` at the working precision.

    By flint's QR iteration (``acb_mat.eig(algorithm="approx")``, about 30x faster than
    ``mp.eig``; both are floating-point approximations at the working precision, measured to
    agree to 1e-40 at 40 digits), the entries passed exactly; ``mp.eig`` if flint does not
    converge.
    """
    import flint
    prec = flint.ctx.prec
    flint.ctx.prec = mp.mp.prec
    try:
        A = flint.acb_mat([[flint.acb(J[i, j]) for j in range(J.cols)] for i in range(J.rows)])
        parts = []
        for e in A.eig(algorithm="approx"):
            man, exp = e.real.mid().man_exp()
            parts.append(mp.mpf((int(man), int(exp))))
        return parts
    except (ValueError, ArithmeticError):
        return [mp.re(x) for x in mp.eig(J, left=False, right=False)]
    finally:
        flint.ctx.prec = prec


def stability(Q, R, T, eta):
    """Real parts of the Jacobian's eigenvalues, sorted decreasing."""
    return sorted(_real_parts_of_eigenvalues(jacobian(Q, R, T, eta)), reverse=True)


def escape_rate(K: int, eta, dps: int | None = None):
    """Largest eigenvalue of the Jacobian at the symmetric plateau (the plateau's escape rate),
    at ``dps + 10`` digits (the fixed point at ``dps + 20``)."""
    K = check_count("K", K, minimum=2)
    eta = check_positive("eta", eta)
    with local(dps) as digits, mp.workdps(digits + 10):
        fp = symmetric_fixed_point(K, eta, dps=digits + 10)
        return +stability(*fp.state(), mp.mpf(eta))[0]


def specialised_rates(K: int, eta, dps: int | None = None):
    """Jacobian eigenvalues (real parts, decreasing) at the specialised solution ``Q = R = T = I``,
    at ``dps + 10`` digits."""
    K = check_count("K", K)
    eta = check_positive("eta", eta)
    with local(dps) as digits, mp.workdps(digits + 10):
        eye = [[mp.mpf(1) if i == k else mp.mpf(0) for k in range(K)] for i in range(K)]
        return [+x for x in stability(eye, [row[:] for row in eye], eye, mp.mpf(eta))]


def max_learning_rate(K: int, dps: int | None = None, bracket=(0.05, 10.0)):
    """``eta_max``: the largest ``eta`` at which ``Q = R = I`` is linearly stable (root of the
    largest :func:`specialised_rates` at ``dps``, bracketed, solved at ``dps + 10`` digits)."""
    K = check_count("K", K)
    with local(dps) as digits, mp.workdps(digits + 10):
        f = lambda e: specialised_rates(K, e, digits)[0]  # noqa: E731
        lo, hi = mp.mpf(bracket[0]), mp.mpf(bracket[1])
        if f(lo) >= 0 or f(hi) <= 0:
            raise InvalidParameter(f"bracket: eta_max for K={K} is not inside the bracket {bracket}")
        return +mp.findroot(f, (lo, hi), solver="anderson")


def escape_direction(K: int, eta, dps: int | None = None):
    """``(lambda_esc, dQ, dR)``: the escape rate and unit unstable eigenvector at the plateau.

    ``dQ`` (K x K, symmetric) and ``dR`` (K x M) as float arrays, signed so that students move
    apart (``dQ_11 + dQ_22 - 2 dQ_12 >= 0``), which keeps the overlaps realisable.
    """
    import numpy as np
    K = check_count("K", K, minimum=2)
    eta = check_positive("eta", eta)
    with local(dps) as digits, mp.workdps(digits + 10):
        fp = symmetric_fixed_point(K, eta, dps=digits + 10)
        J = jacobian(*fp.state(), mp.mpf(eta))
        ev, V = mp.eig(J)
        j = max(range(len(ev)), key=lambda i: mp.re(ev[i]))
        vec = [float(mp.re(V[r, j])) for r in range(J.rows)]
    dQ, dR = np.zeros((K, K)), np.zeros((K, K))
    for x, (kind, i, k) in zip(vec, _coords(K, K)):
        if kind == "Q":
            dQ[i, k] = dQ[k, i] = x
        else:
            dR[i, k] = x
    if dQ[0, 0] + dQ[1, 1] - 2 * dQ[0, 1] < 0:
        dQ, dR = -dQ, -dR
    norm = float(np.sqrt((dQ ** 2).sum() + (dR ** 2).sum()))
    return float(mp.re(ev[j])), dQ / norm, dR / norm


def error_gradient(Q, R, T):
    """Gradient of ``eps_g`` in the coordinates (upper Q, R), central differences at working precision."""
    return _central_differences(eg_mp, Q, R, T)


def final_phase_modes(K: int, eta, dps: int | None = None):
    """Modes of the linearisation at ``Q = R = T = I``: ``[(rate, visibility)]``, slowest first.

    ``rate`` is the eigenvalue's real part; ``visibility = |grad eps_g . v|`` says whether the
    mode moves ``eps_g`` at first order (at ``Q = R = T`` the error is *linear* in overlap
    deviations along the realisable cone), for a unit eigenvector ``v`` (mpmath's ``eig`` does
    not normalise them).  Modes with zero visibility enter ``eps_g`` only quadratically, at
    twice their rate.
    """
    K = check_count("K", K)
    eta = check_positive("eta", eta)
    with local(dps) as digits, mp.workdps(digits + 10):
        eye = [[mp.mpf(1) if i == k else mp.mpf(0) for k in range(K)] for i in range(K)]
        J = jacobian(eye, [r[:] for r in eye], eye, mp.mpf(eta))
        ev, V = mp.eig(J)
        g = error_gradient(eye, [r[:] for r in eye], eye)
        modes = []
        for j in range(len(ev)):
            v = [V[r, j] for r in range(J.rows)]
            norm = mp.sqrt(mp.fsum(abs(x) ** 2 for x in v))
            modes.append((float(mp.re(ev[j])), float(abs(mp.fsum(g[r] * v[r] for r in range(J.rows))) / norm)))
    return sorted(modes, key=lambda m: -m[0])


def convergence_rate(K: int, eta, dps: int | None = None):
    """The rate of the final exponential phase, ``2 |lambda_slow|``, for erf with ``K = M``.

    Raises a clear error when ``eta`` is at or above the stability limit ``eta_max`` of the
    specialised solution (then SGD does not converge to the teacher and there is no rate).
    """
    K = check_count("K", K)
    eta = check_positive("eta", eta)
    with local(dps):
        rates = specialised_rates(K, eta)
        if rates[0] >= 0:
            limit = max_learning_rate(K, bracket=(0.01, eta))
            raise InvalidParameter(f"eta = {eta} is above the stability limit eta_max = "
                                   f"{float(limit):.6g} for K = M = {K}: the specialised solution "
                                   f"Q = R = I is unstable, so SGD does not converge")
        return 2 * abs(min((r for r in rates if r < 0), key=abs))
