"""Compiled Gauss-Hermite averages for activations without closed forms (tanh; ReLU for the simulator).

``E[f_1(u_1) ... f_m(u_m)]`` for ``u ~ N(0, S)``, ``m <= 4``: with ``S = V diag(w) V^T`` and
``u = V diag(sqrt w) z``, a tensor Gauss-Hermite rule in ``z`` (probabilists' weight
``exp(-z^2/2)/sqrt(2 pi)``).  Nodes per dimension: 64 (m = 2), 24 (m = 3), 16 (m = 4).
Measured for tanh: I4 errs by 2e-6 at 16 points for the covariances of the ODE-vs-SGD claims,
by up to 2.2e-5 (absolute; |I4| ~ 0.03-0.1) for random rank-2 covariances with top eigenvalue 1
(tests/teacher_student/test_ode.py, against a 2-D mpmath quadrature), and by 2e-3 for variances ~4, where tanh(x) has poles at distance
pi/(2 sigma) from the real axis and Gauss-Hermite converges slowly.  The ReLU kink makes the
error algebraic and the quadrature a jagged function of C, so the ODE refuses ReLU
(:func:`workbench.teacher_student.integrate`); ReLU is simulated exactly.

Factor kinds: 0 = g, 1 = g', 2 = the field itself.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

__all__ = ["gh_i2", "gh_j2", "gh_i3", "gh_i4", "activation_value", "activation_slope"]


def _rule(n):
    x, w = np.polynomial.hermite_e.hermegauss(n)
    return x, w / math.sqrt(2 * math.pi)


_X2, _W2 = _rule(64)
_X3, _W3 = _rule(24)
_X4, _W4 = _rule(16)


@nb.njit(cache=True)
def activation_value(act, x):
    """g(x): 0 linear, 1 erf(x/sqrt 2), 2 ReLU, 3 tanh."""
    if act == 0:
        return x
    if act == 1:
        return math.erf(x / math.sqrt(2.0))
    if act == 2:
        return x if x > 0.0 else 0.0
    return math.tanh(x)


@nb.njit(cache=True)
def activation_slope(act, x):
    """g'(x) (ReLU: the step, 1 for x > 0)."""
    if act == 0:
        return 1.0
    if act == 1:
        return math.sqrt(2.0 / math.pi) * math.exp(-0.5 * x * x)
    if act == 2:
        return 1.0 if x > 0.0 else 0.0
    t = math.tanh(x)
    return 1.0 - t * t


@nb.njit(cache=True)
def _factor(act, kind, x):
    if kind == 0:
        return activation_value(act, x)
    if kind == 1:
        return activation_slope(act, x)
    return x


@nb.njit(cache=True)
def _sym_eig(S):
    """Eigenvalues ``w`` and orthonormal eigenvectors (columns of ``V``) of a small symmetric ``S``.

    Cyclic Jacobi rotations until the off-diagonal part is below 1e-300 or at rounding level
    relative to the diagonal (at most 50 sweeps; 2x2 to 4x4 need 1 to 6).  Used instead of
    ``np.linalg.eigh``, whose LAPACK binding costs seconds of Numba compile time; the
    quadratures below depend on the decomposition only up to the order and signs of the
    eigenvectors, to which their tensor rules are invariant.
    """
    m = S.shape[0]
    A = S.copy()
    V = np.eye(m)
    for _ in range(50):
        off = 0.0
        diag = 0.0
        for i in range(m):
            diag += A[i, i] * A[i, i]
            for j in range(i + 1, m):
                off += A[i, j] * A[i, j]
        if off <= 1e-300 or off <= 1e-34 * diag:
            break
        for p in range(m - 1):
            for q in range(p + 1, m):
                apq = A[p, q]
                if apq == 0.0:
                    continue
                theta = (A[q, q] - A[p, p]) / (2.0 * apq)
                t = (1.0 if theta >= 0.0 else -1.0) / (abs(theta) + math.sqrt(theta * theta + 1.0))
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                for k in range(m):           # A <- A J (columns p, q)
                    akp, akq = A[k, p], A[k, q]
                    A[k, p] = c * akp - s * akq
                    A[k, q] = s * akp + c * akq
                for k in range(m):           # A <- J^T A (rows p, q)
                    apk, aqk = A[p, k], A[q, k]
                    A[p, k] = c * apk - s * aqk
                    A[q, k] = s * apk + c * aqk
                for k in range(m):
                    vkp, vkq = V[k, p], V[k, q]
                    V[k, p] = c * vkp - s * vkq
                    V[k, q] = s * vkp + c * vkq
    w = np.empty(m)
    for i in range(m):
        w[i] = A[i, i]
    return w, V


@nb.njit(cache=True)
def _root(S):
    w, V = _sym_eig(S)
    m = S.shape[0]
    A = np.empty((m, m))
    for j in range(m):
        r = math.sqrt(max(w[j], 0.0))
        for i in range(m):
            A[i, j] = V[i, j] * r
    return A


@nb.njit(cache=True)
def _expect(act, S, kinds):
    m = S.shape[0]
    A = _root(S)
    if m == 2:
        X, W = _X2, _W2
    elif m == 3:
        X, W = _X3, _W3
    else:
        X, W = _X4, _W4
    n = X.size
    total = 0.0
    idx = np.zeros(m, dtype=np.int64)
    z = np.empty(m)
    for _ in range(n ** m):
        wt = 1.0
        for j in range(m):
            z[j] = X[idx[j]]
            wt *= W[idx[j]]
        prod = wt
        for i in range(m):
            u = 0.0
            for j in range(m):
                u += A[i, j] * z[j]
            prod *= _factor(act, kinds[i], u)
        total += prod
        j = 0
        while j < m:
            idx[j] += 1
            if idx[j] < n:
                break
            idx[j] = 0
            j += 1
    return total


@nb.njit(cache=True)
def gh_i2(act, caa, cab, cbb):
    S = np.array([[caa, cab], [cab, cbb]])
    return _expect(act, S, np.array([0, 0]))


@nb.njit(cache=True)
def gh_j2(act, caa, cab, cbb):
    S = np.array([[caa, cab], [cab, cbb]])
    return _expect(act, S, np.array([1, 1]))


@nb.njit(cache=True)
def gh_i3(act, caa, cac, ccc, p_a, p_c):
    """``<g'(u_a) z g(u_c)>`` with ``cov(z, u_a) = p_a``, ``cov(z, u_c) = p_c``.

    Linear in ``z``: ``z`` is replaced by its regression on ``(u_a, u_c)``,
    ``beta = S^+ (p_a, p_c)`` (pseudo-inverse, so ``u_a = u_c`` is allowed).
    """
    S = np.array([[caa, cac], [cac, ccc]])
    w, V = _sym_eig(S)
    top = max(abs(w[0]), abs(w[1]))
    beta_a, beta_c = 0.0, 0.0
    for j in range(2):
        if w[j] > 1e-12 * top:
            proj = (V[0, j] * p_a + V[1, j] * p_c) / w[j]
            beta_a += V[0, j] * proj
            beta_c += V[1, j] * proj
    out = 0.0
    if beta_a != 0.0:
        out += beta_a * _expect_weighted(act, S, 0)
    if beta_c != 0.0:
        out += beta_c * _expect_weighted(act, S, 1)
    return out


@nb.njit(cache=True)
def _expect_weighted(act, S, which):
    """``<g'(u_1) g(u_2) u_which>`` (which = 0 or 1) for the 2x2 covariance S."""
    A = _root(S)
    total = 0.0
    for p in range(_X2.size):
        for q in range(_X2.size):
            u1 = A[0, 0] * _X2[p] + A[0, 1] * _X2[q]
            u2 = A[1, 0] * _X2[p] + A[1, 1] * _X2[q]
            f = activation_slope(act, u1) * activation_value(act, u2)
            total += _W2[p] * _W2[q] * f * (u1 if which == 0 else u2)
    return total


@nb.njit(cache=True)
def gh_i4(act, C, a, b, c, d):
    idx = np.array([a, b, c, d])
    S = np.empty((4, 4))
    for i in range(4):
        for j in range(4):
            S[i, j] = C[idx[i], idx[j]]
    return _expect(act, S, np.array([1, 1, 0, 0]))
