"""Gaussian averages of the teacher-student ODE closures (Saad & Solla 1995; Goldt et al. 2019).

For ``u ~ N(0, C)`` (C the covariance of the local fields, arguments in the
order written):

    I2(C) = <g(u1) g(u2)>,          J2(C) = <g'(u1) g'(u2)>,
    I3(C) = <g'(u1) u2 g(u3)>,      I4(C) = <g'(u1) g'(u2) g(u3) g(u4)>.

Closed forms for ``g(x) = erf(x/sqrt 2)`` (Saad & Solla 1995; nn2pp's
``libnn2pp.h``; checked against Gauss-Hermite quadrature in the tests):

    I2 = (2/pi) arcsin(C12 / sqrt((1+C11)(1+C22)))
    J2 = (2/pi) (1 + C11 + C22 + C11 C22 - C12^2)^(-1/2)
    I3 = (2/pi) (C23 (1+C11) - C12 C13) / ((1+C11) sqrt(L3)),  L3 = (1+C11)(1+C33) - C13^2
    I4 = (4/pi^2) L4^(-1/2) arcsin(L0 / sqrt(L1 L2)),  L4 = (1+C11)(1+C22) - C12^2, with
        L0 = L4 C34 - C23 C24 (1+C11) - C13 C14 (1+C22) + C12 C13 C24 + C12 C14 C23
        L1 = L4 (1+C33) - C23^2 (1+C11) - C13^2 (1+C22) + 2 C12 C13 C23
        L2 = L4 (1+C44) - C24^2 (1+C11) - C14^2 (1+C22) + 2 C12 C14 C24.

For linear ``g``: ``I2 = C12``, ``J2 = 1``, ``I3 = C23``, ``I4 = C34``.
Any other activation: :func:`gauss_hermite_average` (tensor Gauss-Hermite rule
of the needed dimension after a Cholesky factorisation of C).

The closed forms accept floats (numpy) or mpmath numbers: with mpmath entries
they are evaluated at the current mpmath precision.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np

from ..errors import InvalidParameter
from ..integrals import quad_relative
from ..precision import local

__all__ = ["I2", "J2", "I3", "I4", "gauss_hermite_average", "ACTIVATIONS"]


def _lib(C):
    return mp if any(isinstance(x, (mp.mpf, mp.mpc)) for x in np.ravel(np.asarray(C, dtype=object))) else math


def _check(C, n):
    A = np.asarray(C, dtype=object)
    if A.shape != (n, n):
        raise InvalidParameter(f"the covariance must be {n}x{n}, got shape {A.shape}")
    F = np.asarray(A, dtype=float)
    if not np.allclose(F, F.T, rtol=0, atol=1e-12 * max(1.0, np.abs(F).max())):
        raise InvalidParameter("the covariance must be symmetric")
    if np.linalg.eigvalsh(F).min() < -1e-12 * max(1.0, np.abs(F).max()):
        raise InvalidParameter(f"the covariance is not positive semi-definite "
                               f"(smallest eigenvalue {np.linalg.eigvalsh(F).min():.3g})")
    return A


def I2(C, activation: str = "erf"):
    """``<g(u1) g(u2)>`` for ``u ~ N(0, C)``, C 2x2."""
    C = _check(C, 2)
    if activation == "linear":
        return C[0, 1]
    if activation != "erf":
        return gauss_hermite_average(C, activation, "I2")
    return erf_i2(C, _lib(C))


def erf_i2(C, L=math):
    """The erf closed form of I2 without input checks (``L`` is ``math`` or ``mpmath``)."""
    return 2 / L.pi * L.asin(C[0, 1] / L.sqrt((1 + C[0, 0]) * (1 + C[1, 1])))


def J2(C, activation: str = "erf"):
    """``<g'(u1) g'(u2)>`` for ``u ~ N(0, C)``, C 2x2."""
    C = _check(C, 2)
    if activation == "linear":
        return 1 + 0 * C[0, 1]
    if activation != "erf":
        return gauss_hermite_average(C, activation, "J2")
    return erf_j2(C, _lib(C))


def erf_j2(C, L=math):
    """The erf closed form of J2 without input checks."""
    return 2 / L.pi / L.sqrt(1 + C[0, 0] + C[1, 1] + C[0, 0] * C[1, 1] - C[0, 1] ** 2)


def I3(C, activation: str = "erf"):
    """``<g'(u1) u2 g(u3)>`` for ``u ~ N(0, C)``, C 3x3."""
    C = _check(C, 3)
    if activation == "linear":
        return C[1, 2]
    if activation != "erf":
        return gauss_hermite_average(C, activation, "I3")
    return erf_i3(C, _lib(C))


def erf_i3(C, L=math):
    """The erf closed form of I3 without input checks."""
    lam3 = (1 + C[0, 0]) * (1 + C[2, 2]) - C[0, 2] ** 2
    return 2 / L.pi * (C[1, 2] * (1 + C[0, 0]) - C[0, 1] * C[0, 2]) / ((1 + C[0, 0]) * L.sqrt(lam3))


def I4(C, activation: str = "erf"):
    """``<g'(u1) g'(u2) g(u3) g(u4)>`` for ``u ~ N(0, C)``, C 4x4."""
    C = _check(C, 4)
    if activation == "linear":
        return C[2, 3]
    if activation != "erf":
        return gauss_hermite_average(C, activation, "I4")
    return erf_i4(C, _lib(C))


def erf_i4(C, L=math):
    """The erf closed form of I4 without input checks."""
    c = lambda i, j: C[i - 1, j - 1]  # noqa: E731  (1-based, as in the papers)
    lam4 = (1 + c(1, 1)) * (1 + c(2, 2)) - c(1, 2) ** 2
    lam0 = (lam4 * c(3, 4) - c(2, 3) * c(2, 4) * (1 + c(1, 1)) - c(1, 3) * c(1, 4) * (1 + c(2, 2))
            + c(1, 2) * c(1, 3) * c(2, 4) + c(1, 2) * c(1, 4) * c(2, 3))
    lam1 = (lam4 * (1 + c(3, 3)) - c(2, 3) ** 2 * (1 + c(1, 1)) - c(1, 3) ** 2 * (1 + c(2, 2))
            + 2 * c(1, 2) * c(1, 3) * c(2, 3))
    lam2 = (lam4 * (1 + c(4, 4)) - c(2, 4) ** 2 * (1 + c(1, 1)) - c(1, 4) ** 2 * (1 + c(2, 2))
            + 2 * c(1, 2) * c(1, 4) * c(2, 4))
    return 4 / L.pi ** 2 / L.sqrt(lam4) * L.asin(lam0 / L.sqrt(lam1 * lam2))


def _erf2(x):
    from scipy.special import erf
    return erf(x / math.sqrt(2))


#: Activations for the quadrature path: (g, g').
ACTIVATIONS = {
    "erf": (_erf2, lambda x: math.sqrt(2 / math.pi) * np.exp(-x * x / 2)),
    "linear": (lambda x: x, lambda x: np.ones_like(x)),
    "relu": (lambda x: np.maximum(x, 0.0), lambda x: (x > 0).astype(float)),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
}

_FACTORS = {  # which factors each average multiplies: 'g', 'dg' (g') or 'id' (the field itself)
    "I2": ("g", "g"), "J2": ("dg", "dg"), "I3": ("dg", "id", "g"), "I4": ("dg", "dg", "g", "g"),
}


#: Grids of more nodes than this are summed slice by slice (:func:`gauss_hermite_average`).
SLICE_ABOVE = 2 ** 21


def gauss_hermite_average(C, activation, which: str, points: int = 48):
    """The average ``which`` (I2, J2, I3, I4) for any activation by tensor Gauss-Hermite quadrature.

    ``u = L z`` with ``C = L L^T`` (eigen-decomposition, so semi-definite C works) and
    ``z`` standard normal; ``points`` nodes per dimension.  ``activation`` is a name in
    :data:`ACTIVATIONS` or a pair of vectorised callables ``(g, g')``.  Accurate to
    about 1e-10 for smooth activations at the default 48 points; a kink (ReLU)
    converges algebraically.  A grid of more than :data:`SLICE_ABOVE` nodes is summed slice by
    slice in its first coordinate, so memory is that of ``points^(n-1)`` nodes (60 points in 4
    dimensions: 20 MB, not 1.4 GB).
    """
    if which not in _FACTORS:
        raise InvalidParameter(f"unknown average which={which!r}; choose I2, J2, I3 or I4")
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise InvalidParameter(f"no closed form or quadrature for activation {activation!r}; "
                                   f"known: {sorted(ACTIVATIONS)} or a pair (g, g')")
        g, dg = ACTIVATIONS[activation]
    else:
        try:
            g, dg = activation
        except (TypeError, ValueError):
            raise InvalidParameter("an activation is a name or a pair of callables (g, g')") from None
    factors = _FACTORS[which]
    n = len(factors)
    C = np.asarray(_check(C, n), dtype=float)
    w_eig, V = np.linalg.eigh(C)
    Lmat = V * np.sqrt(np.clip(w_eig, 0, None))
    if not 2 <= points <= 150:
        raise InvalidParameter(f"points must be in 2..150 (numpy's Gauss-Hermite nodes overflow "
                               f"beyond), got {points}")
    need = 8 * points ** n * (2 * n + 2)   # the whole grid's arrays: the bound on its size (and time)
    if need > 2 ** 31:
        raise InvalidParameter(f"{points} points in {n} dimensions need about {need / 2**20:.0f} MiB")
    x, w = np.polynomial.hermite_e.hermegauss(points)
    w = w / math.sqrt(2 * math.pi)
    apply = {"g": g, "dg": dg, "id": lambda v: v}
    if points ** n <= SLICE_ABOVE:          # small grids in one piece
        Z = np.stack([g_.ravel() for g_ in np.meshgrid(*([x] * n), indexing="ij")], axis=1)
        W = np.ones(points ** n)
        for g_ in np.meshgrid(*([w] * n), indexing="ij"):
            W *= g_.ravel()
        U = Z @ Lmat.T
        val = W
        for a, f in enumerate(factors):
            val = val * apply[f](U[:, a])
        return float(val.sum())
    # large grids slice by slice in the first coordinate (memory points^(n-1), not points^n)
    rest = [g_.ravel() for g_ in np.meshgrid(*([x] * (n - 1)), indexing="ij")]
    W_rest = np.ones(points ** (n - 1))
    for g_ in np.meshgrid(*([w] * (n - 1)), indexing="ij"):
        W_rest *= g_.ravel()
    total = 0.0
    for x0, w0 in zip(x, w):
        Z = np.stack([np.full(W_rest.size, x0)] + rest, axis=1)
        U = Z @ Lmat.T
        val = w0 * W_rest
        for a, f in enumerate(factors):
            val = val * apply[f](U[:, a])
        total += val.sum()
    return float(total)


# --- an independent high-precision route for erf: Gaussian algebra + 1-D mpmath quadrature ---

def _erf_smoothed(mu, c):
    """``E_z[g(mu + c z)] = erf(mu / sqrt(2 (1 + c^2)))`` for ``g = erf(./sqrt 2)``, ``z ~ N(0, 1)``."""
    return mp.erf(mu / mp.sqrt(2 * (1 + c * c)))


def _slope_smoothed(mu, c):
    """``E_z[g'(mu + c z)] = sqrt(2/pi) exp(-mu^2 / (2 (1 + c^2))) / sqrt(1 + c^2)``."""
    return mp.sqrt(2 / mp.pi) * mp.exp(-mu * mu / (2 * (1 + c * c))) / mp.sqrt(1 + c * c)


def _chol2(c11, c12, c22):
    a = mp.sqrt(c11)
    b = c12 / a if a else mp.mpf(0)
    return a, b, mp.sqrt(max(c22 - b * b, mp.mpf(0)))


def _line(f):
    """``E[f(z)]`` for ``z ~ N(0, 1)`` by tanh-sinh quadrature on the real line."""
    return quad_relative(lambda z: f(z) * mp.exp(-z * z / 2), [-mp.inf, 0, mp.inf],
                         "a Gaussian average") / mp.sqrt(2 * mp.pi)


def erf_average_quadrature(C, which: str, dps: int | None = None):
    """I2, J2, I3 or I4 for ``g = erf(x/sqrt 2)`` without the closed forms, accurate to ``dps``
    digits (default: the ambient precision), computed and returned at ``dps + 10`` (guard).

    Route: the ``g'`` factors are Gaussians, so ``E_C[g'(u_1) g'(u_2) F] =
    (2/pi) det(I + C D)^(-1/2) E_{C~}[F]`` with ``D`` the projector on ``(u_1, u_2)`` and
    ``C~ = C (I + D C)^(-1)``; I3 is linear in ``u_2`` (regress it on ``u_1, u_3``); the last
    Gaussian variable is integrated in closed form (``E_z[g(mu + c z)] = erf(mu/sqrt(2(1+c^2)))``)
    and the remaining one-dimensional integral is done by mpmath's tanh-sinh quadrature.
    """
    if which not in _FACTORS:
        raise InvalidParameter(f"unknown average which={which!r}; choose I2, J2, I3 or I4")
    n = len(_FACTORS[which])
    _check(C, n)
    g = lambda x: mp.erf(x / mp.sqrt(2))  # noqa: E731
    dg = lambda x: mp.sqrt(2 / mp.pi) * mp.exp(-x * x / 2)  # noqa: E731
    with local(dps) as digits, mp.workdps(digits + 10):
        M = mp.matrix([[mp.mpf(C[i][j]) if isinstance(C, list) else mp.mpf(str(C[i, j]))
                        for j in range(n)] for i in range(n)])
        if which == "I2":
            a, b, c = _chol2(M[0, 0], M[0, 1], M[1, 1])
            val = _line(lambda z: g(a * z) * _erf_smoothed(b * z, c))
        elif which == "J2":
            a, b, c = _chol2(M[0, 0], M[0, 1], M[1, 1])
            val = _line(lambda z: dg(a * z) * _slope_smoothed(b * z, c))
        elif which == "I3":
            S = mp.matrix([[M[0, 0], M[0, 2]], [M[0, 2], M[2, 2]]])
            beta = mp.lu_solve(S, mp.matrix([M[0, 1], M[1, 2]]))
            a, b, c = _chol2(M[0, 0], M[0, 2], M[2, 2])
            first = _line(lambda z: a * z * dg(a * z) * _erf_smoothed(b * z, c))
            second = _line(lambda z: dg(a * z) * (b * z * _erf_smoothed(b * z, c)
                                                   + c * c * _slope_smoothed(b * z, c)))
            val = beta[0] * first + beta[1] * second
        else:
            D = mp.diag([1, 1, 0, 0])
            IDC = mp.eye(4) + D * M
            Ct = M * mp.inverse(IDC)
            pref = 2 / mp.pi / mp.sqrt(mp.det(IDC))
            a, b, c = _chol2(Ct[2, 2], Ct[2, 3], Ct[3, 3])
            val = pref * _line(lambda z: g(a * z) * _erf_smoothed(b * z, c))
        return +val
