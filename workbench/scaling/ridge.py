"""Deterministic equivalents of kernel and linear random-feature ridge(less) regression.

Setting (Bahri et al. 2021's linear teacher-student model, kernels-scaling.md 2.2): features
``F(x) in R^S`` with ``E[F_i F_j] = lambda_i delta_ij``; target ``y = omega . F``; the loss is the
population mean-square error ``L = E_x (f(x) - y(x))^2`` (no 1/2), averaged over data and teacher,
with ``w_i = E[omega_i^2]`` the target power per mode (isotropic teacher: ``w_i = 1``).

Kernel (infinitely many features) ridge regression on D samples, ridge ``r`` (Bordelon, Canatar &
Pehlevan 2020; Simon et al.'s eigenlearning):

    sum_i lambda_i / (lambda_i + kappa) + r / kappa = D,
    gamma = (1/D) sum_i lambda_i^2 / (lambda_i + kappa)^2,
    L = kappa^2 sum_i w_i lambda_i / (lambda_i + kappa)^2 / (1 - gamma).

Linear random features (P Gaussian projections ``f = theta . (W F)``, min-norm least squares on
D samples), ridgeless: the student's best fit in the span of its features leaves the kernel error
at P samples, and least squares on ``m = max(D, P)`` inflates it by ``m / (m - n)``:

    L(D, P) = L_kernel(n) / (1 - n/m),   n = min(D, P),  m = max(D, P),

symmetric in D and P (the duality), divergent at ``D = P`` (interpolation peak).  This form is
derived here by conditioning on the projection (the misspecified part of the target is
independent Gaussian noise of variance ``L(infinity, P)``; ridgeless least squares in P < D
dimensions multiplies noise by ``D/(D - P)``), with ``L(infinity, P) = L_kernel(P)`` -- and it is
checked against simulation, not assumed.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InvalidParameter

__all__ = ["effective_ridge", "kernel_learning_curve", "rf_learning_curve", "rf_ridge_learning_curve",
           "power_law_features"]


def power_law_features(S: int, alpha: float) -> np.ndarray:
    """``lambda_i = i^-(1 + alpha)``, ``i = 1..S``: the spectrum with resolution exponent alpha."""
    if int(S) != S or S < 1:
        raise InvalidParameter(f"the number of teacher features S must be an integer >= 1, got {S!r}")
    if not alpha > 0:
        raise InvalidParameter(f"the spectrum exponent alpha must be positive, got {alpha!r}")
    return np.arange(1, int(S) + 1, dtype=float) ** -(1.0 + alpha)


def _check_spectrum(eigenvalues, weights):
    lam = np.asarray(eigenvalues, dtype=float)
    w = np.asarray(weights, dtype=float)
    if lam.ndim != 1 or lam.size == 0 or not np.all(lam > 0):
        raise InvalidParameter("the feature spectrum must be a non-empty 1-D array of positive numbers")
    if w.shape != lam.shape:
        raise InvalidParameter(f"target powers ({w.shape}) and spectrum ({lam.shape}) have different lengths")
    if np.any(w < 0):
        raise InvalidParameter("target powers w_i = E[omega_i^2] must be non-negative")
    return lam, w


def _check_size(name, value):
    if value is None or value == math.inf:
        return math.inf
    if not value >= 1 or int(value) != value:
        raise InvalidParameter(f"{name} must be an integer >= 1 (or infinity), got {value!r}")
    return int(value)


def effective_ridge(eigenvalues, D: int, ridge: float = 0.0) -> float:
    """``kappa`` solving ``sum_i lambda_i/(lambda_i + kappa) + ridge/kappa = D``.

    Ridgeless with ``D >= S`` (as many samples as features) the solution is ``kappa = 0``.
    """
    lam = np.asarray(eigenvalues, dtype=float)
    D = _check_size("D (the number of samples)", D)
    if ridge < 0:
        raise InvalidParameter(f"the ridge must be non-negative, got {ridge}")
    if ridge == 0 and D >= lam.size:
        return 0.0
    from scipy.optimize import brentq   # on first use: scipy.optimize costs 0.4 s at start-up
    buf = np.empty_like(lam)            # one work array for every evaluation (no fresh pages)

    def g(logk):
        np.add(lam, math.exp(logk), out=buf)
        np.divide(lam, buf, out=buf)
        return np.sum(buf) + ridge / math.exp(logk) - D
    lo, hi = math.log(lam.min()) - 60, math.log(lam.max() * lam.size + ridge) + 5
    return math.exp(brentq(g, lo, hi, xtol=1e-14, rtol=1e-14))


def kernel_learning_curve(eigenvalues, weights, D: int, ridge: float = 0.0) -> float:
    """``L`` of kernel ridge regression with D samples (module docstring; ridge >= 0)."""
    lam, w = _check_spectrum(eigenvalues, weights)
    D = _check_size("D (the number of samples)", D)
    if D == math.inf:
        return 0.0
    kappa = effective_ridge(lam, D, ridge)
    if kappa == 0.0:                     # D >= S ridgeless: the teacher is recovered exactly
        return 0.0
    gamma = np.sum(lam ** 2 / (lam + kappa) ** 2) / D
    return float(kappa ** 2 * np.sum(w * lam / (lam + kappa) ** 2) / (1 - gamma))


def rf_learning_curve(eigenvalues, weights, D, P) -> float:
    """``L(D, P)`` of ridgeless linear random-feature regression (module docstring).

    ``D`` or ``P`` may be ``math.inf``.  ``D = P`` is the interpolation peak: ``inf``.
    """
    lam, w = _check_spectrum(eigenvalues, weights)
    D = _check_size("D (the number of samples)", D)
    P = _check_size("P (the number of random features)", P)
    n, m = min(D, P), max(D, P)
    if n == m:
        return math.inf
    inflation = 1.0 if m == math.inf else 1.0 / (1.0 - n / m)
    return kernel_learning_curve(lam, w, n) * inflation


def rf_ridge_learning_curve(eigenvalues, weights, D, P, ridge: float, projections=range(32)) -> float:
    """``L(D, P)`` of linear random-feature *ridge* regression, deterministic in the data.

    Conditioned on the projection ``W`` (P x S), the student's features have covariance
    ``Sigma = W Lambda W^T`` and the target splits into the best linear fit ``beta*`` and an
    independent Gaussian remainder of variance ``sigma^2`` (all variables are jointly Gaussian).
    Ridge regression on D samples then has the deterministic equivalent

        df_Sigma(kappa) + ridge / kappa = D,   gamma = tr Sigma^2 (Sigma + kappa)^-2 / D,
        L = (kappa^2 E[beta*^T Sigma (Sigma + kappa)^-2 beta*] + sigma^2) / (1 - gamma),

    (``kappa = 0`` and ``L = sigma^2 / (1 - P/D)`` when ``ridge = 0`` and ``D > P``), averaged over
    the teacher exactly (``E omega omega^T = diag(w)``) and over the projections given (seeds): a
    Monte-Carlo average over W, a deterministic equivalent over the data.  The ridge convention is
    ``|Z theta - y|^2 + ridge |theta|^2`` (as ``rf_trial``).
    """
    lam, w = _check_spectrum(eigenvalues, weights)
    D = _check_size("D (the number of samples)", D)
    P = _check_size("P (the number of random features)", P)
    if ridge < 0:
        raise InvalidParameter(f"the ridge must be non-negative, got {ridge}")
    if P == math.inf or D == math.inf:
        raise InvalidParameter("rf_ridge_learning_curve needs finite D and P (use kernel_learning_curve "
                               "or rf_learning_curve for the limits)")
    if P >= lam.size:
        raise InvalidParameter(f"P = {P} must be below the number of teacher features S = {lam.size}")
    from scipy.optimize import brentq
    values = []
    for seed in projections:
        W = np.random.default_rng(np.random.SeedSequence(seed).spawn(3)[2]).standard_normal((P, lam.size))
        Sigma = (W * lam) @ W.T
        s, U = np.linalg.eigh(Sigma)
        cross = U.T @ ((W * (lam * lam * w)) @ W.T) @ U        # U^T W Lambda diag(w) Lambda W^T U
        Bdiag = np.diag(cross) / s ** 2                        # E beta* beta*^T in the eigenbasis (diagonal)
        sigma2 = float(np.sum(w * lam) - np.sum(np.diag(cross) / s))
        if ridge == 0 and D > P:
            values.append(sigma2 / (1 - P / D))
            continue
        if ridge == 0 and D == P:
            return math.inf
        g = lambda logk: np.sum(s / (s + math.exp(logk))) + ridge / math.exp(logk) - D  # noqa: E731
        kappa = math.exp(brentq(g, math.log(s.min()) - 60, math.log(s.max() * P + ridge + 1) + 5,
                                xtol=1e-14, rtol=1e-14))
        gamma = np.sum(s ** 2 / (s + kappa) ** 2) / D
        bias = kappa ** 2 * np.sum(s * Bdiag / (s + kappa) ** 2)
        values.append(float((bias + sigma2) / (1 - gamma)))
    return float(np.mean(values))
