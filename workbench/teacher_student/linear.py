"""Linear activation with a covariance spectrum: the ODEs solved in closed form.

Setting (our notes 3.4, for Worschech & Rosenow 2024): ``g(x) = x``, ``v = v* = 1``, only the
first layer learns, inputs with ``L`` eigen-groups of equal size and eigenvalues
``lambda_l``, label noise ``sigma``; time ``alpha = steps/N``, learning rate ``eta/sqrt N``.
Only the error vector ``e = sum_n w*_n - sum_k w_k`` matters; with
``eps_l = |e restricted to group l|^2 / N``,

    d eps/dalpha = A eps + b,   A = -2 K eta diag(lambda) + (K^2 eta^2 / L) lambda lambda^T,
                                b = (K^2 eta^2 sigma^2 / L) lambda,
    eps_g(alpha) = (1/2) sum_l lambda_l eps_l(alpha).

``A`` is symmetric, so ``eps(alpha) = V exp(w alpha) V^T (eps(0) - eps_inf) + eps_inf`` with
``A = V diag(w) V^T`` and ``eps_inf = -A^-1 b`` (the matrix exponential, by one symmetric
eigendecomposition).  Stable iff ``K eta sum_l lambda_l / (2L) < 1``.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidParameter
from .model import as_spectrum, check_count, check_positive

__all__ = ["linear_error", "linear_error_matrix", "linear_stability_limit", "linear_noise_floor"]


def linear_error_matrix(K, eta, spectrum):
    """``A`` of the module docstring."""
    lam = as_spectrum(spectrum)
    L = lam.size
    return -2 * K * eta * np.diag(lam) + (K * eta) ** 2 / L * np.outer(lam, lam)


def linear_stability_limit(K, spectrum=None) -> float:
    """The largest stable ``eta``: ``2 L / (K sum_l lambda_l)`` (``2/K`` for a mean-1 spectrum)."""
    lam = as_spectrum(spectrum)
    return 2 * lam.size / (check_count("K", K) * lam.sum())


def linear_noise_floor(K, eta, sigma, spectrum=None) -> float:
    """``eps_g`` as ``alpha -> oo``; isotropic: ``eta K sigma^2 / (4 - 2 eta K)`` (notes 2)."""
    lam = as_spectrum(spectrum)
    K, eta = check_count("K", K), check_positive("eta", eta)
    if eta >= linear_stability_limit(K, lam):
        raise InvalidParameter(f"eta = {eta} is at or above the stability limit "
                               f"{linear_stability_limit(K, lam):.6g}: no noise floor")
    A = linear_error_matrix(K, eta, lam)
    b = (K * eta) ** 2 * sigma ** 2 / lam.size * lam
    return float(0.5 * lam @ np.linalg.solve(A, -b))


def linear_error(*, K, eta, alphas, eps0, spectrum=None, sigma=0.0) -> np.ndarray:
    """``eps_g(alpha)`` in closed form (module docstring).

    ``eps0`` is ``eps_l(0)`` per group (``c^T P^l(0) c``); a number means the same for every
    group.  For a teacher with ``T = I`` and a student initialised with variance
    ``sigma_J^2``: ``eps_l(0) = (M + K sigma_J^2)/L``.
    """
    K = check_count("K", K)
    eta = check_positive("eta", eta)
    sigma = check_positive("sigma", sigma, allow_zero=True)
    lam = as_spectrum(spectrum)
    L = lam.size
    e0 = np.full(L, float(eps0)) if np.ndim(eps0) == 0 else np.array(eps0, dtype=float)
    if e0.shape != (L,) or np.any(e0 < 0):
        raise InvalidParameter(f"eps0 must be {L} non-negative numbers, got {eps0!r}")
    a = np.array(alphas, dtype=float).reshape(-1)
    if np.any(a < 0) or not np.all(np.isfinite(a)):
        raise InvalidParameter("alphas must be finite and >= 0")
    if L > 20000:
        raise InvalidParameter(f"L = {L} groups: the dense eigendecomposition needs "
                               f"{8 * L * L / 2**30:.1f} GiB; use L <= 20000")
    A = linear_error_matrix(K, eta, lam)
    b = (K * eta) ** 2 * sigma ** 2 / L * lam
    w, V = np.linalg.eigh(A)
    if w.max() >= 0 and sigma > 0:
        raise InvalidParameter(f"eta = {eta} is at or above the stability limit "
                               f"{linear_stability_limit(K, lam):.6g}")
    inf = -V @ ((V.T @ b) / w) if sigma > 0 else np.zeros(L)
    coef = V.T @ (e0 - inf)
    eps = (V * 1.0) @ (np.exp(np.outer(w, a)) * coef[:, None]) + inf[:, None]
    return 0.5 * lam @ eps
