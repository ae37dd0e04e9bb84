"""The empirical NTK of a finite two-layer ReLU network: an independent check of ``relu_ntk``.

Network (NTK parametrisation, Bietti & Bach normalisation ``kappa(1) = 2``):

    f(x) = sqrt(2/m) sum_{j=1}^m a_j relu(w_j . x + b_j),
    w_j ~ N(0, I_d), a_j ~ N(0, 1), b_j = 0 at initialisation.

The empirical NTK is the inner product of parameter gradients,

    Theta_m(x, y) = (2/m) sum_j [ relu(w_j.x) relu(w_j.y) + a_j^2 1{w_j.x>0} 1{w_j.y>0} (x.y + bias) ],

(``bias`` = 1 when the b_j are trained, else 0).  For unit x, y it tends to
``relu_ntk`` = ``u kappa0(u) + kappa1(u)`` (or ``relu_ntk_bias`` = ``(u+1) kappa0 +
kappa1``) as m -> oo, with fluctuations of order ``m^(-1/2)``.  The sums over
neurons run in a Numba-compiled loop; the weights come from a seeded numpy
Generator, so a run is a pure function of ``(d, m, seed)``.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from ..errors import InvalidParameter
from .gram import _kappa, sample_sphere

__all__ = ["empirical_ntk", "ntk_error"]


@nb.njit(cache=True)
def _ntk_pairs(W, a, X, Y, bias):
    m, d = W.shape
    P = X.shape[0]
    out = np.zeros(P)
    for p in range(P):
        uxy = 0.0
        for c in range(d):
            uxy += X[p, c] * Y[p, c]
        s = 0.0
        for j in range(m):
            zx = 0.0
            zy = 0.0
            for c in range(d):
                zx += W[j, c] * X[p, c]
                zy += W[j, c] * Y[p, c]
            if zx > 0.0 and zy > 0.0:
                s += zx * zy + a[j] * a[j] * (uxy + bias)
        out[p] = 2.0 * s / m
    return out


def _weights(d, m, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, d)), rng.standard_normal(m)


def empirical_ntk(X: np.ndarray, Y: np.ndarray, m: int, seed: int, bias: bool = False) -> np.ndarray:
    """``Theta_m(x_p, y_p)`` for pairs of unit vectors (rows of X and Y), one network per seed."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    Y = np.ascontiguousarray(Y, dtype=np.float64)
    if X.shape != Y.shape or X.ndim != 2:
        raise InvalidParameter(f"X and Y must be (pairs, d) arrays of one shape, got {X.shape}, {Y.shape}")
    if not isinstance(m, (int, np.integer)) or m < 1:
        raise InvalidParameter(f"the width m must be an integer >= 1, got {m!r}")
    if not np.allclose(np.linalg.norm(X, axis=1), 1) or not np.allclose(np.linalg.norm(Y, axis=1), 1):
        raise InvalidParameter("the NTK limit relu_ntk holds for unit vectors: normalise X and Y")
    W, a = _weights(X.shape[1], m, seed)
    return _ntk_pairs(W, a, X, Y, 1.0 if bias else 0.0)


def ntk_error(d: int, m: int, seed: int, pairs: int = 64, bias: bool = False) -> float:
    """Root-mean-square of ``Theta_m - kappa`` over random pairs on S^(d-1)."""
    X = sample_sphere(pairs, d, 10_000 + seed)
    Y = sample_sphere(pairs, d, 20_000 + seed)
    theta = empirical_ntk(X, Y, m, seed, bias)
    code = 3 if bias else 2
    exact = np.array([_kappa(code, float(u)) for u in np.sum(X * Y, axis=1)])
    return float(math.sqrt(np.mean((theta - exact) ** 2)))
