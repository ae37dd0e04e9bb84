"""Compiled right-hand side of the teacher-student ODEs (Saad & Solla 1995; Goldt et al. 2019),
eigenvalue-resolved for inputs with a covariance spectrum (Yoshida & Okada 2019; our notes'
section 3.3 for Worschech & Rosenow 2024).

Conventions: :mod:`workbench.teacher_student.model`.  With ``L`` eigen-groups of equal size
and eigenvalues ``lambda_l``, the state is ``(Q^l, R^l)`` for ``l = 1..L`` and ``v``; the field
covariance is ``C = sum_l lambda_l P^l`` with ``P^l = [[Q^l, R^l], [R^l^T, T^l]]``, and with
``c = (-v, v*)`` (so that ``y - yhat = sum_a c_a g(u_a) + sigma zeta``):

    dR^l_in/dalpha = eta v_i sum_a c_a I3^l(i, n, a) - kappa R^l_in
    dQ^l_ik/dalpha = eta [v_i sum_a c_a I3^l(i, k, a) + (i <-> k)]
                     + eta^2 (lambda_l / L) v_i v_k [sum_ab c_a c_b I4(i, k, a, b) + sigma^2 J2(i, k)]
                     - 2 kappa Q^l_ik
    dv_i/dalpha    = eta_v sum_a c_a I2(i, a) - kappa v_i

``I3^l(a, b, c) = <g'(u_a) rho^l_b g(u_c)>`` where ``rho^l_b`` is the part of field ``b`` carried
by group ``l``: its covariance with ``u_x`` is ``lambda_l P^l_bx``, and since ``I3`` is linear in
its middle argument this is ``I3`` with ``C_12 -> lambda_l P^l_ab``, ``C_23 -> lambda_l P^l_bc``.
For ``L = 1``, ``lambda = 1`` the system is exactly Saad-Solla/Goldt (section 1.1 of the notes).

Activation codes (:data:`~workbench.teacher_student.model.ACTIVATION_CODES`): 0 linear and 1
``erf(x/sqrt 2)`` use the closed forms of :mod:`~workbench.teacher_student.averages`; 2 ReLU has
closed forms for I2 (arc-cosine kernel) and J2 (orthant probability) -- enough for ``eps_g``
of simulated networks -- and 3 tanh uses compiled Gauss-Hermite quadrature
(:mod:`~workbench.teacher_student.quadrature`) for everything.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from .quadrature import gh_i2, gh_i3, gh_i4, gh_j2

__all__ = ["rhs", "rhs_compiled", "eg_compiled", "eg_kernel", "quadrature_flag", "pack", "unpack"]

_TWO_PI = 2.0 / math.pi


@nb.njit(cache=True)
def _asin(x):
    return math.asin(min(1.0, max(-1.0, x)))


@nb.njit(cache=True)
def i2(act, C, a, b, quad):
    """``<g(u_a) g(u_b)>`` (``quad``: see :func:`quadrature_flag`)."""
    if act == 0:
        return C[a, b]
    if act == 1:
        return _TWO_PI * _asin(C[a, b] / math.sqrt((1 + C[a, a]) * (1 + C[b, b])))
    if act == 2:   # ReLU: the arc-cosine kernel of degree 1 (Cho & Saul 2009)
        s = math.sqrt(C[a, a] * C[b, b])
        if s == 0.0:
            return 0.0
        theta = math.acos(min(1.0, max(-1.0, C[a, b] / s)))
        return s / (2 * math.pi) * (math.sin(theta) + (math.pi - theta) * math.cos(theta))
    if quad is None:
        return math.nan
    return gh_i2(act, C[a, a], C[a, b], C[b, b])


@nb.njit(cache=True)
def j2(act, C, a, b, quad):
    """``<g'(u_a) g'(u_b)>``."""
    if act == 0:
        return 1.0
    if act == 1:
        return _TWO_PI / math.sqrt(1 + C[a, a] + C[b, b] + C[a, a] * C[b, b] - C[a, b] ** 2)
    if act == 2:   # ReLU: the orthant probability P(u_a > 0, u_b > 0)
        s = math.sqrt(C[a, a] * C[b, b])
        if s == 0.0:
            return 0.0
        return 0.25 + _asin(C[a, b] / s) / (2 * math.pi)
    if quad is None:
        return math.nan
    return gh_j2(act, C[a, a], C[a, b], C[b, b])


@nb.njit(cache=True)
def i3(act, C, a, c, p_a, p_c, quad):
    """``<g'(u_a) z g(u_c)>`` for a Gaussian ``z`` with ``cov(z, u_a) = p_a``, ``cov(z, u_c) = p_c``."""
    if act == 0:
        return p_c
    caa, cac, ccc = C[a, a], C[a, c], C[c, c]
    if act == 1:
        return _TWO_PI * (p_c * (1 + caa) - p_a * cac) / ((1 + caa) * math.sqrt((1 + caa) * (1 + ccc) - cac * cac))
    if quad is None:
        return math.nan
    return gh_i3(act, caa, cac, ccc, p_a, p_c)


@nb.njit(cache=True)
def i4(act, C, a, b, c, d, quad):
    """``<g'(u_a) g'(u_b) g(u_c) g(u_d)>`` (arguments 1..4 of the notes are a, b, c, d)."""
    if act == 0:
        return C[c, d]
    if act != 1:
        if quad is None:
            return math.nan
        return gh_i4(act, C, a, b, c, d)
    c11, c12, c13, c14 = 1 + C[a, a], C[a, b], C[a, c], C[a, d]
    c22, c23, c24 = 1 + C[b, b], C[b, c], C[b, d]
    c33, c34, c44 = 1 + C[c, c], C[c, d], 1 + C[d, d]
    lam4 = c11 * c22 - c12 * c12
    lam0 = lam4 * c34 - c23 * c24 * c11 - c13 * c14 * c22 + c12 * c13 * c24 + c12 * c14 * c23
    lam1 = lam4 * c33 - c23 * c23 * c11 - c13 * c13 * c22 + 2 * c12 * c13 * c23
    lam2 = lam4 * c44 - c24 * c24 * c11 - c14 * c14 * c22 + 2 * c12 * c14 * c24
    return 4.0 / math.pi ** 2 / math.sqrt(lam4) * _asin(lam0 / math.sqrt(lam1 * lam2))


@nb.njit(cache=True)
def _field_covariance(Q, R, T, lam):
    L, K, M = R.shape
    n = K + M
    P = np.zeros((L, n, n))
    C = np.zeros((n, n))
    for l in range(L):
        for i in range(K):
            for k in range(K):
                P[l, i, k] = Q[l, i, k]
            for m in range(M):
                P[l, i, K + m] = R[l, i, m]
                P[l, K + m, i] = R[l, i, m]
        for m in range(M):
            for m2 in range(M):
                P[l, K + m, K + m2] = T[l, m, m2]
        for x in range(n):
            for y in range(n):
                C[x, y] += lam[l] * P[l, x, y]
    return P, C


@nb.njit(cache=True)
def _signed_weights(v, vstar):
    """``c = (-v, v*)``, so that the clean label error is ``y - yhat = sum_a c_a g(u_a)``."""
    K, M = v.size, vstar.size
    c = np.empty(K + M)
    for i in range(K):
        c[i] = -v[i]
    for m in range(M):
        c[K + m] = vstar[m]
    return c


def pack(Q, R, v):
    """The state vector ``(Q^l, R^l, v)`` (plain numpy: called from Python only)."""
    return np.concatenate((np.ravel(Q), np.ravel(R), np.ravel(v))).astype(float)


@nb.njit(cache=True)
def unpack(y, L, K, M):
    nQ, nR = L * K * K, L * K * M
    return (y[:nQ].reshape((L, K, K)), y[nQ:nQ + nR].reshape((L, K, M)), y[nQ + nR:nQ + nR + K])


def quadrature_flag(act):
    """The ``quad`` argument of the compiled functions for activation code ``act``: ``None`` for
    the closed-form activations (linear, erf), ``True`` otherwise.

    With ``None`` Numba prunes every Gauss-Hermite branch before typing, so the closed-form
    path never compiles :mod:`~workbench.teacher_student.quadrature` (seconds of compile time);
    with ``True`` the quadratures are compiled.  Given ``None`` for an activation that needs
    them, the averages are NaN, never a silent wrong number.
    """
    return None if act in (0, 1) else True


def rhs(y, K, T, lam, vstar, eta, eta_v, sigma2, wd, act):
    """``dy/dalpha`` for the packed state ``y = (Q^l, R^l, v)``; see the module docstring.

    Weight decay ``wd`` acts on ``v`` only when the second layer learns (``eta_v != 0``).
    (A Python entry point to :func:`rhs_compiled` with the right :func:`quadrature_flag`.)
    """
    return rhs_compiled(y, K, T, lam, vstar, eta, eta_v, sigma2, wd, act, quadrature_flag(act))


def eg_compiled(Q, R, T, lam, v, vstar, act):
    """``eps_g = (1/2) sum_ab c_a c_b I2(a, b)`` on the field covariance ``C = sum_l lambda_l P^l``."""
    return eg_kernel(Q, R, T, lam, v, vstar, act, quadrature_flag(act))


@nb.njit(cache=True)
def rhs_compiled(y, K, T, lam, vstar, eta, eta_v, sigma2, wd, act, quad):
    """:func:`rhs`, compiled; ``quad`` from :func:`quadrature_flag`."""
    L, M = T.shape[0], T.shape[1]
    Q, R, v = unpack(y, L, K, M)
    P, C = _field_covariance(Q, R, T, lam)
    n = K + M
    c = _signed_weights(v, vstar)
    # second-order (SGD noise) term, symmetric in (i, k) and in (a, b)
    S4 = np.zeros((K, K))
    if eta != 0.0:
        for i in range(K):
            for k in range(i, K):
                s = 0.0
                for a in range(n):
                    if c[a] == 0.0:
                        continue
                    s += c[a] * c[a] * i4(act, C, i, k, a, a, quad)
                    for b in range(a + 1, n):
                        if c[b] != 0.0:
                            s += 2.0 * c[a] * c[b] * i4(act, C, i, k, a, b, quad)
                if sigma2 != 0.0:
                    s += sigma2 * j2(act, C, i, k, quad)
                S4[i, k] = s
                S4[k, i] = s
    out = np.empty_like(y)
    dQ, dR, dv = unpack(out, L, K, M)
    G = np.zeros((K, n))  # G[i, b] = sum_a c_a I3^l(i, b, a) for the current l
    for l in range(L):
        for i in range(K):
            for b in range(n):
                s = 0.0
                for a in range(n):
                    if c[a] != 0.0:
                        s += c[a] * i3(act, C, i, a, lam[l] * P[l, i, b], lam[l] * P[l, b, a], quad)
                G[i, b] = s
        for i in range(K):
            for k in range(K):
                dQ[l, i, k] = (eta * (v[i] * G[i, k] + v[k] * G[k, i])
                               + eta * eta * lam[l] / L * v[i] * v[k] * S4[i, k] - 2.0 * wd * Q[l, i, k])
            for m in range(M):
                dR[l, i, m] = eta * v[i] * G[i, K + m] - wd * R[l, i, m]
    for i in range(K):
        s = 0.0
        if eta_v != 0.0:
            for a in range(n):
                s += c[a] * i2(act, C, i, a, quad)
        dv[i] = eta_v * s - wd * v[i] if (eta_v != 0.0) else 0.0
    return out


@nb.njit(cache=True)
def eg_kernel(Q, R, T, lam, v, vstar, act, quad):
    """:func:`eg_compiled`, compiled; ``quad`` from :func:`quadrature_flag`."""
    P, C = _field_covariance(Q, R, T, lam)
    K, M = v.size, vstar.size
    n = K + M
    c = _signed_weights(v, vstar)
    s = 0.0
    for a in range(n):
        for b in range(n):
            s += c[a] * c[b] * i2(act, C, a, b, quad)
    return 0.5 * s
