"""Piecewise-linear interpolation on the d-torus: the resolution-limited exponent 4/d.

Setting (Bahri et al. 2021; Sharma & Kaplan 2022): a model that interpolates a smooth target
linearly between D data points on a d-dimensional manifold has mean-square error ``~ h^4`` with
spacing ``h ~ D^(-1/d)``, so ``L ~ D^(-4/d)``.  Here the manifold is the torus ``[0, 1)^d``
(uniform measure), the data a regular grid of ``n`` points per side (``D = n^d``) and the model
the multilinear interpolant.

For a product target ``f(x) = prod_i g(x_i)`` the multilinear interpolant is the product of the
one-dimensional interpolants ``I g = g + e``, so with ``C = int g^2``, ``B = int g e``,
``E = int e^2`` (one period) the error is, without cancellation,

    L = sum_{k=1}^{d} binom(d, k) C^(d-k) [(2B + E)^k - 2 B^k]   (k = 1 term: d C^(d-1) E).

The one-dimensional integrals use Gauss-Legendre on every cell.  As ``h -> 0``
(``e ~ -(1/2) g'' s (h - s)``): ``E ~ h^4/120 int g''^2`` and ``B ~ h^2/12 int g'^2``, so

    L n^4 -> d C^(d-1) int g''^2 / 120 + d (d-1) C^(d-2) (int g'^2)^2 / 144.
"""

from __future__ import annotations

from math import comb

import numpy as np

from ..errors import InvalidParameter

__all__ = ["interpolation_integrals", "product_interpolation_error", "multilinear_interpolate"]

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(10)


def _check_n(n):
    if int(n) != n or n < 2:
        raise InvalidParameter(f"the grid needs n >= 2 points per side (D = n^d >= 2^d), got n={n!r}")
    return int(n)


def interpolation_integrals(g, n: int):
    """``(C, B, E)`` of the periodic linear interpolant of ``g`` on ``n`` equispaced nodes of [0, 1).

    ``g`` is a vectorised callable of period 1.
    """
    n = _check_n(n)
    h = 1.0 / n
    left = np.arange(n) * h
    s = (_NODES + 1) / 2                                    # in [0, 1] along the cell
    x = left[:, None] + h * s[None, :]
    gx = g(x)
    g0, g1 = g(left)[:, None], g(left + h)[:, None]
    e = g0 + (g1 - g0) * s[None, :] - gx
    w = _WEIGHTS[None, :] * h / 2
    return float(np.sum(w * gx * gx)), float(np.sum(w * gx * e)), float(np.sum(w * e * e))


def product_interpolation_error(g, n: int, d: int) -> float:
    """Mean-square error of the multilinear interpolant of ``prod_i g(x_i)`` on the d-torus."""
    if int(d) != d or d < 1:
        raise InvalidParameter(f"the torus dimension d must be an integer >= 1, got {d!r}")
    C, B, E = interpolation_integrals(g, n)
    total = d * C ** (d - 1) * E
    for k in range(2, d + 1):
        total += comb(d, k) * C ** (d - k) * ((2 * B + E) ** k - 2 * B ** k)
    return total


def multilinear_interpolate(values: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Periodic multilinear interpolation of grid ``values`` (shape ``(n,)*d``, node ``j/n``)
    at ``points`` (shape ``(N, d)`` in [0, 1)^d)."""
    values = np.asarray(values, dtype=float)
    d = values.ndim
    n = values.shape[0]
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != d:
        raise InvalidParameter(f"points must have shape (N, {d}), got {points.shape}")
    u = points * n
    i0 = np.floor(u).astype(np.int64)
    frac = u - i0
    out = np.zeros(points.shape[0])
    for corner in range(2 ** d):
        bits = [(corner >> a) & 1 for a in range(d)]
        idx = tuple((i0[:, a] + bits[a]) % n for a in range(d))
        weight = np.prod([frac[:, a] if bits[a] else 1 - frac[:, a] for a in range(d)], axis=0)
        out += weight * values[idx]
    return out
