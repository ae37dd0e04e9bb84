"""Kernel regression with the ReLU NTK on the sphere: the spectrum, its deterministic equivalent,
and a simulation.

Kernel: the NTK of a two-layer ReLU network with a first-layer bias (``relu_ntk_bias`` in
:mod:`workbench.kernels`), ``Theta(u) = (u + 1) kappa0(u) + kappa1(u)`` with
``kappa0 = 1 - arccos(u)/pi`` and ``kappa1 = (sqrt(1-u^2) + u (pi - arccos u))/pi``,
``Theta(1) = 3``, on ``S^(d-1)`` with the uniform probability measure.  Its Funk-Hecke
eigenvalues ``mu_k`` (degree k, multiplicity ``N(d, k)``) are the closed forms of
:mod:`workbench.kernels.closed_forms`, here in double precision (log-Gamma) for every degree up
to ``K``: ``mu_k(Theta) = mu_k(kappa1) + mu_k(u kappa0) + mu_k(kappa0)``.

Target: a draw from the kernel's own Gaussian-process prior (Bahri et al.'s teacher: target
power ``w_i = 1`` in feature space, i.e. ``lambda_i`` in mode i).  Ridgeless kernel regression
on P uniform points is then the posterior mean, and the test loss averaged over the teacher is
the posterior variance averaged over the test point,

    L(X) = E_x [ Theta(1) - k_x^T K^-1 k_x ],   K = Theta(X X^T),  k_x = Theta(X x),

(population mean-square error, no 1/2).  :func:`ntk_posterior_trials` estimates it with fresh
uniform test points (unbiased over the seeds: the seed ensemble carries both the training and
the test-point randomness).  The deterministic equivalent is
:func:`workbench.scaling.ridge.kernel_learning_curve`'s, with the degrees' multiplicities and the
tail beyond degree K to first order in ``mu_k / kappa`` (:func:`degenerate_learning_curve`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import cholesky, solve_triangular
from scipy.special import gammaln
from threadpoolctl import threadpool_limits

from ..errors import InvalidParameter

__all__ = ["relu_ntk_bias", "relu_ntk_bias_spectrum", "degenerate_learning_curve", "ntk_posterior_trials",
           "sphere_points", "THETA_AT_ONE"]

THETA_AT_ONE = 3.0


def relu_ntk_bias(u):
    """``Theta(u) = (u + 1) kappa0(u) + kappa1(u)`` for an array of cosines (clipped to [-1, 1])."""
    u = np.clip(u, -1.0, 1.0)
    phi = np.pi - np.arccos(u)
    return ((u + 1) * phi + np.sqrt(1 - u * u) + u * phi) / np.pi


def _multiplicity(d, k):
    """``N(d, k)`` as floats, degrees ``k`` an integer array."""
    k = np.asarray(k, dtype=float)
    if d == 2:
        return np.where(k == 0, 1.0, 2.0)
    # (2k + d - 2) (k + d - 3)! / (k! (d - 2)!)
    n = (2 * k + d - 2) * np.exp(gammaln(k + d - 2) - gammaln(d - 1) - gammaln(k + 1))
    return np.where(k == 0, 1.0, np.rint(n))


def _arccos0(d, k):
    """mu_k(kappa0): 1/2 at k = 0, ``(Gamma(d/2) Gamma(k/2)/Gamma((k+d)/2))^2/(2 pi^2)`` on odd k."""
    k = np.asarray(k, dtype=float)
    odd = (k % 2 == 1)
    safe = np.where(odd, k, 1.0)
    r = np.exp(2 * (gammaln(d / 2) + gammaln(safe / 2) - gammaln((safe + d) / 2))) / (2 * np.pi ** 2)
    return np.where(k == 0, 0.5, np.where(odd, r, 0.0))


def _arccos1(d, k):
    """mu_k(kappa1): 1/(2d) at k = 1, ``d (Gamma(d/2) Gamma((k-1)/2)/Gamma((k+d+1)/2))^2/(8 pi^2)``
    on even k (log|Gamma|: the square needs no sign)."""
    k = np.asarray(k, dtype=float)
    even = (k % 2 == 0)
    safe = np.where(even, k, 0.0)
    r = d * np.exp(2 * (gammaln(d / 2) + gammaln((safe - 1) / 2) - gammaln((safe + d + 1) / 2))) / (8 * np.pi ** 2)
    return np.where(k == 1, 1 / (2 * d), np.where(even, r, 0.0))


def relu_ntk_bias_spectrum(d: int, K: int):
    """``(mu, N)``: the eigenvalues ``mu_0..mu_K`` of ``Theta`` on ``S^(d-1)`` (double precision)
    and their multiplicities ``N(d, k)``."""
    if int(d) != d or d < 2:
        raise InvalidParameter(f"the sphere S^(d-1) needs an integer d >= 2, got d={d!r}")
    if int(K) != K or K < 1:
        raise InvalidParameter(f"the largest degree K must be an integer >= 1, got {K!r}")
    k = np.arange(int(K) + 2, dtype=float)
    m0 = _arccos0(d, k)
    kk = k[:-1]
    times_u = np.empty_like(kk)
    times_u[0] = m0[1]
    times_u[1:] = (kk[1:] * m0[:-2] + (kk[1:] + d - 2) * m0[2:]) / (2 * kk[1:] + d - 2)
    mu = _arccos1(d, kk) + times_u + m0[:-1]
    return mu, _multiplicity(d, kk)


def degenerate_learning_curve(mu, mult, P: int, tail: float = 0.0) -> float:
    """The eigenlearning ``L`` of ridgeless kernel regression with P samples and target power
    ``w_i = 1`` (:func:`workbench.scaling.ridge.kernel_learning_curve`) for eigenvalues ``mu``
    with multiplicities ``mult``, plus the modes beyond the list, whose eigenvalues sum to
    ``tail``, to first order in ``mu / kappa`` (they add ``tail/kappa`` to the degrees of freedom
    and ``tail`` to the loss).  Refuses a list whose last eigenvalue is not below
    ``10^-2 kappa`` (the first-order tail would then be off by more than 1%)."""
    from scipy.optimize import brentq
    mu, mult = np.asarray(mu, dtype=float), np.asarray(mult, dtype=float)

    def df(logk):
        kap = math.exp(logk)
        return float(np.sum(mult * mu / (mu + kap))) + tail / kap - P
    lo, hi = math.log(mu[mu > 0].min()) - 40, math.log(mu.max() * mult.sum() + tail) + 5
    kap = math.exp(brentq(df, lo, hi, xtol=1e-14, rtol=1e-14))
    if mu[-1] > 1e-2 * kap:
        raise InvalidParameter(f"the spectrum stops too early for P={P}: mu_K = {mu[-1]:.3g} vs "
                               f"kappa = {kap:.3g}; give more degrees")
    gamma = float(np.sum(mult * mu ** 2 / (mu + kap) ** 2)) / P
    return float((kap ** 2 * np.sum(mult * mu / (mu + kap) ** 2) + tail) / (1 - gamma))


def sphere_points(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """``n`` uniform points on ``S^(d-1)`` (normalised Gaussians), rows."""
    x = rng.standard_normal((int(n), int(d)))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def ntk_posterior_trials(seeds, sizes, d: int, tests: int = 256) -> np.ndarray:
    """``L(X)`` (module docstring) for each size P in ``sizes`` (rows) and seed (columns), each
    with ``tests`` uniform test points.

    A seed draws ``max(sizes)`` training points and the test points once; the training set of
    size P is the first P points (nested: paired across sizes).  One Cholesky factor ``C`` of
    the largest Gram matrix serves every size: the factor of a leading block is the leading block
    of ``C``, and so is the forward substitution, so ``k_x^T K_P^-1 k_x`` is the sum of the first
    P squared entries of ``C^-1 k_x``.  Runs with one BLAS thread (``threadpoolctl``): at these
    sizes a thread pool only contends for the cores."""
    sizes = [int(p) for p in sizes]
    if not sizes or min(sizes) < 1 or tests < 1:
        raise InvalidParameter(f"sizes must be integers >= 1 and tests >= 1; got {sizes}, {tests}")
    pmax = max(sizes)
    out = np.empty((len(sizes), len(seeds)))
    with threadpool_limits(1):          # a few hundred points: BLAS threads only contend
        for j, seed in enumerate(seeds):
            rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(d), 14]))
            X = sphere_points(rng, pmax, d)
            T = sphere_points(rng, tests, d)
            C = cholesky(relu_ntk_bias(X @ X.T), lower=True)
            V = solve_triangular(C, relu_ntk_bias(X @ T.T), lower=True)     # pmax x tests
            explained = np.cumsum(np.mean(V * V, axis=1))
            for i, p in enumerate(sizes):
                out[i, j] = THETA_AT_ONE - explained[p - 1]
    return out
