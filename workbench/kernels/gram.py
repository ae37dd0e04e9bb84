"""Empirical Gram spectra on the sphere: an independent check of ``mu_k``.

For ``n`` points ``x_i`` uniform on S^(d-1) (probability measure), the
eigenvalues of ``K/n`` with ``K_ij = kappa(<x_i, x_j>)`` converge to the
operator eigenvalues: the ``N(d, k)`` eigenvalues of a degree-k group cluster
around ``mu_k``.  Single eigenvalues of a group spread by ``O(n^(-1/2))``; the
group's *mean* (what :func:`gram_deviation` compares) deviates by ``O(1/n)``.

Rate (derivation).  Write ``K = sum_l mu_l Phi_l Phi_l^T`` with ``Phi_l`` the
``n x N(d, l)`` matrix of the degree-l harmonics (orthonormal for the probability
measure) at the points.  The nonzero eigenvalues of ``K/n`` are those of
``D^(1/2) G D^(1/2)``, ``D = diag(mu)``, ``G = Phi^T Phi / n = I + E`` with
``E = O(n^(-1/2))``.  To first order the degree-k group is ``mu_k (I + E_kk)``,
whose trace ``mu_k (N + tr E_kk)`` is exact: ``tr E_kk = (1/n) sum_i sum_j
Y_kj(x_i)^2 - N = 0`` by the addition theorem (``sum_j Y_kj(x)^2 = N(d, k)`` at
every x).  The group mean therefore moves only at second order,
``mu_k sum_{l != k} mu_l ||E_kl||_F^2 / (N (mu_k - mu_l))``, whose mean is
``(mu_k/n) sum_{l != k} N(d, l) mu_l / (mu_k - mu_l) = O(1/n)``.  The measured
slopes (kernel_spectra's ``*-gram-d*``) agree: ``-1.006 +- 0.006`` for relu_ntk
at d = 5 over n = 250..2000; so do the constants: ``max_k |sum_l ...|`` over the
top four groups is 27.0, 63.8, 5.8, 15.7 for relu_ntk_bias (d=3), relu_ntk (d=5),
arccos1 (d=3), laplace (d=3), against ``n x`` the measured deviation (mean of 6
seeds, n = 250..2000) of 24-27, 64-66, 5.7-6.2, 14.5-15.9.  (This docstring said ``n^(-1/2)`` before: that is
the single eigenvalues' spread, not the group means'.)

The kernel matrix is built in a Numba-compiled loop for the named kernels
(``KERNEL_CODES``); other kernels are evaluated with numpy on the matrix of
dot products.

Precision: these are float (numpy/numba) checkers; the operator eigenvalues they compare
with are taken at a fixed 20 digits (``dps=20``, more than double precision needs), not at
the ambient precision, so that the cached ``_top_groups`` depends on its arguments only.
"""

from __future__ import annotations

import math
from functools import lru_cache

import mpmath as mp
import numba as nb
import numpy as np
import sympy as sp

from ..errors import InvalidParameter
from .catalog import U, Kernel, kernel as as_kernel
from .spectrum import sphere_eigenvalues
from .sphere import _check_d, multiplicity

__all__ = ["sample_sphere", "gram_matrix", "gram_eigenvalues", "top_eigenvalues", "exact_index_ordered",
           "gram_deviation", "KERNEL_CODES"]

#: Named kernels with a compiled evaluator (code, parameter).
KERNEL_CODES = {"arccos0": 0, "arccos1": 1, "relu_ntk": 2, "relu_ntk_bias": 3}


@nb.njit(cache=True)
def _kappa(code, u):
    u = min(1.0, max(-1.0, u))
    k0 = 1.0 - math.acos(u) / math.pi
    if code == 0:
        return k0
    k1 = (math.sqrt(1.0 - u * u) + u * (math.pi - math.acos(u))) / math.pi
    if code == 1:
        return k1
    if code == 2:
        return u * k0 + k1
    return (u + 1.0) * k0 + k1


@nb.njit(cache=True)
def _gram_compiled(X, code):
    n, d = X.shape
    K = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            s = 0.0
            for a in range(d):
                s += X[i, a] * X[j, a]
            v = _kappa(code, s)
            K[i, j] = v
            K[j, i] = v
    return K


def sample_sphere(n: int, d: int, seed: int) -> np.ndarray:
    """``n`` points uniform on S^(d-1) (normalised Gaussians), reproducible by ``seed``."""
    _check_d(d)
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidParameter(f"need a number of points n >= 1, got {n!r}")
    X = np.random.default_rng(seed).standard_normal((n, d))
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def _memory_check(n, max_bytes):
    need = 3 * 8 * n * n          # the matrix, a copy inside eigvalsh, workspace
    if need > max_bytes:
        raise InvalidParameter(f"a Gram matrix with n={n} needs about {need / 2**20:.0f} MiB, "
                               f"over the limit of {max_bytes / 2**20:.0f} MiB (max_bytes)")


def gram_matrix(kern, X: np.ndarray) -> np.ndarray:
    """``K_ij = kappa(<x_i, x_j>)`` (compiled for the named kernels)."""
    kern = as_kernel(kern)
    code = KERNEL_CODES.get(kern.name)
    if code is not None:
        return _gram_compiled(np.ascontiguousarray(X, dtype=np.float64), code)
    G = np.clip(X @ X.T, -1.0, 1.0)
    if kern.expression is None:           # an mpmath callable: slow, element by element
        return np.vectorize(lambda u: float(kern(mp.mpf(u))))(G)
    f = sp.lambdify(U, kern.expression, modules="numpy")
    return np.asarray(f(G), dtype=float) * np.ones_like(G)


def gram_eigenvalues(kern, d: int, n: int, seed: int, max_bytes: int = 2 ** 31,
                     top: int | None = None) -> np.ndarray:
    """Eigenvalues of ``K/n`` for ``n`` random points, in decreasing order; with ``top``, only
    the ``top`` largest (:func:`top_eigenvalues`)."""
    _memory_check(n, max_bytes)
    K = gram_matrix(kern, sample_sphere(n, d, seed)) / n
    if top is None:
        return np.linalg.eigvalsh(K)[::-1]
    return top_eigenvalues(K, top, seed)


def top_eigenvalues(K: np.ndarray, top: int, seed: int = 0) -> np.ndarray:
    """The ``top`` largest eigenvalues of the symmetric matrix ``K``, decreasing, to machine
    precision (the same numbers as the full ``eigvalsh`` up to rounding).

    Implicitly restarted Lanczos (ARPACK ``eigsh``, ``tol=0``: residuals at machine precision),
    started from a vector drawn with ``seed`` so that the result is reproducible; it costs a few
    dozen matrix-vector products instead of the ``O(n^3)`` reduction of a full solve (about 10x
    less at n = 2000 with 16..75 eigenvalues).  Lanczos asks for ``top + 8`` eigenvalues (the
    extra ones shield the wanted ones at the edge of the computed set); when that is more than
    a quarter of the matrix, or ARPACK does not converge, the full dense solve is used.
    """
    n = K.shape[0]
    if not isinstance(top, (int, np.integer)) or isinstance(top, bool) or not 1 <= top <= n:
        raise InvalidParameter(f"top must be an integer in 1..{n}, got {top!r}")
    want = top + 8
    if 4 * want > n:
        return np.linalg.eigvalsh(K)[::-1][:top]
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh
    v0 = np.random.default_rng(seed).standard_normal(n)
    try:
        vals = eigsh(K, k=want, which="LA", tol=0, v0=v0, return_eigenvectors=False)
    except ArpackNoConvergence:
        return np.linalg.eigvalsh(K)[::-1][:top]
    return np.sort(vals)[::-1][:top]


def exact_index_ordered(kern, d: int, count: int, kmax: int = 200):
    """The operator eigenvalues ``mu_k`` repeated ``N(d, k)`` times, decreasing, first ``count``.

    Returns ``(values, degrees)`` as float arrays; zero eigenvalues are dropped.
    """
    mus = sphere_eigenvalues(kern, d, kmax, dps=20)
    pairs = [(float(m), k) for k, m in enumerate(mus) if m != 0]
    pairs.sort(key=lambda p: -p[0])
    vals, degs = [], []
    for m, k in pairs:
        reps = multiplicity(d, k)
        vals.extend([m] * reps)
        degs.extend([k] * reps)
        if len(vals) >= count:
            break
    if len(vals) < count:
        raise InvalidParameter(f"kmax={kmax} gives only {len(vals)} nonzero eigenvalues, "
                               f"{count} requested")
    return np.array(vals[:count]), np.array(degs[:count])


@lru_cache(maxsize=64)
def _top_groups(kern: Kernel, d: int, groups: int, kmax: int = 40):
    """Degrees of the ``groups`` largest nonzero ``mu_k`` (k <= kmax) and the ``mu_k`` as floats."""
    mus = [float(m) for m in sphere_eigenvalues(kern, d, kmax, dps=20)]
    order = sorted((k for k, m in enumerate(mus) if m != 0), key=lambda k: -mus[k])[:groups]
    return order, mus


def gram_deviation(kern, d: int, n: int, seed: int, groups: int = 4) -> float:
    """Largest relative deviation of a degree group's mean empirical eigenvalue from ``mu_k``.

    The top degree groups (in decreasing order of ``mu_k``) are compared: the
    empirical eigenvalues at the group's index positions are averaged and
    compared with ``mu_k``.  Degrees are taken whole (all ``N(d, k)`` copies).
    """
    kern = as_kernel(kern)
    order, mus = _top_groups(kern, d, groups)
    count = sum(multiplicity(d, k) for k in order)
    if count > n:
        raise InvalidParameter(f"n={n} points cannot resolve {count} eigenvalues")
    emp = gram_eigenvalues(kern, d, n, seed, top=count)
    start, worst = 0, 0.0
    for k in order:
        m = multiplicity(d, k)
        group = emp[start:start + m]
        worst = max(worst, abs(group.mean() - mus[k]) / mus[k])
        start += m
    return worst
