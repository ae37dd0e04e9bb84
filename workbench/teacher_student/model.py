"""The teacher-student model shared by the ODE closures and the simulator, and its input checks.

Conventions (Goldt et al. 2019; Saad & Solla 1995 is ``v = v* = 1``, ``sigma = 0``,
``g(x) = erf(x/sqrt 2)``):

* student ``yhat = sum_i v_i g(w_i . x / sqrt N)``, ``i = 1..K``;
* teacher ``y = sum_n v*_n g(w*_n . x / sqrt N) + sigma zeta``, ``n = 1..M``, ``zeta ~ N(0, 1)``;
* input ``x ~ N(0, Sigma)``; ``Sigma = I`` unless a spectrum is given, in which case
  ``Sigma`` is diagonal with ``L`` groups of ``N/L`` equal eigenvalues ``lambda_l``;
* loss ``(yhat - y)^2 / 2``; one fresh sample per step;
  ``w_i <- (1 - kappa/N) w_i + (eta / sqrt N) v_i g'(lambda_i) (y - yhat) x`` and, if the
  second layer learns, ``v_i <- (1 - kappa/N) v_i + (eta_v / N) g(lambda_i) (y - yhat)``;
* time ``alpha = steps / N``;
* order parameters ``Q = W W^T / N``, ``R = W B^T / N``, ``T = B B^T / N`` (per eigen-group
  ``Q^l, R^l, T^l`` when a spectrum is given: sums over the coordinates of group ``l``);
* generalisation error ``eps_g = E[(yhat - y_clean)^2] / 2`` (no noise term).
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidParameter

__all__ = ["ACTIVATION_CODES", "activation_code", "check_positive", "check_count",
           "check_spd", "check_joint", "as_spectrum", "as_vector", "power_law_spectrum"]

#: Activations the compiled code knows: name -> integer code.  ``linear`` and ``erf``
#: (``erf(x/sqrt 2)``) have closed-form averages; ``relu`` and ``tanh`` use
#: compiled Gauss-Hermite quadrature in the ODE.
ACTIVATION_CODES = {"linear": 0, "erf": 1, "relu": 2, "tanh": 3}


def activation_code(activation) -> int:
    if not isinstance(activation, str) or activation not in ACTIVATION_CODES:
        raise InvalidParameter(
            f"activation {activation!r} has no closed form and no compiled quadrature; "
            f"choose one of {sorted(ACTIVATION_CODES)}")
    return ACTIVATION_CODES[activation]


def check_positive(name: str, value, allow_zero: bool = False) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InvalidParameter(f"{name} must be a number, got {value!r}") from None
    if not np.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
        raise InvalidParameter(f"{name} must be {'non-negative' if allow_zero else 'positive'}, "
                               f"got {value!r}")
    return x


def check_count(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidParameter(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_spd(name: str, A, n: int | None = None, semi: bool = False) -> np.ndarray:
    """``A`` as a float array, after checking it is square, symmetric and positive (semi-)definite."""
    try:
        A = np.array(A, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameter(f"{name} must be a matrix of numbers") from None
    if A.ndim != 2 or A.shape[0] != A.shape[1] or (n is not None and A.shape[0] != n):
        want = f"{n}x{n}" if n is not None else "square"
        raise InvalidParameter(f"{name} must be {want}, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise InvalidParameter(f"{name} has non-finite entries")
    scale = max(1.0, float(np.abs(A).max()))
    if not np.allclose(A, A.T, rtol=0, atol=1e-12 * scale):
        raise InvalidParameter(f"{name} must be symmetric")
    low = float(np.linalg.eigvalsh(A).min())
    if low < -1e-12 * scale or (not semi and low <= 1e-14 * scale):
        raise InvalidParameter(f"{name} must be positive {'semi-' if semi else ''}definite "
                               f"(smallest eigenvalue {low:.3g})")
    return (A + A.T) / 2


def check_joint(Q, R, T) -> np.ndarray:
    """The joint covariance ``[[Q, R], [R^T, T]]`` of the local fields; it must be PSD."""
    Q, T = np.asarray(Q, float), np.asarray(T, float)
    R = np.array(R, dtype=float)
    if R.shape != (Q.shape[0], T.shape[0]):
        raise InvalidParameter(f"R must be K x M = {Q.shape[0]}x{T.shape[0]}, got shape {R.shape}")
    C = np.block([[Q, R], [R.T, T]])
    low = float(np.linalg.eigvalsh(C).min())
    if low < -1e-10 * max(1.0, float(np.abs(C).max())):
        raise InvalidParameter(
            f"R is inconsistent with Q and T: the joint covariance [[Q, R], [R^T, T]] of the local "
            f"fields is not positive semi-definite (smallest eigenvalue {low:.3g}); by Cauchy-Schwarz "
            f"|R_in| <= sqrt(Q_ii T_nn) at least")
    return C


def as_vector(name: str, value, n: int, default: float) -> np.ndarray:
    if value is None:
        return np.full(n, float(default))
    arr = np.array(value, dtype=float).reshape(-1) if np.ndim(value) else np.full(n, float(value))
    if arr.shape != (n,) or not np.all(np.isfinite(arr)):
        raise InvalidParameter(f"{name} must have {n} finite entries, got {value!r}")
    return arr


def as_spectrum(spectrum) -> np.ndarray:
    """Eigenvalues ``lambda_l`` of the input covariance, one per group of equal size.

    ``None`` means the isotropic case (one group, ``lambda = 1``).
    """
    if spectrum is None:
        return np.ones(1)
    lam = np.array(spectrum, dtype=float).reshape(-1)
    if lam.size < 1 or not np.all(np.isfinite(lam)) or np.any(lam <= 0):
        raise InvalidParameter(f"a covariance spectrum must be a list of positive numbers, "
                               f"got {spectrum!r}")
    return lam


def power_law_spectrum(L: int, beta: float) -> np.ndarray:
    """``lambda_l = lambda_+ l^-(1+beta)``, ``l = 1..L``, normalised to mean 1 (``tr Sigma = N``).

    The convention of our notes for Worschech & Rosenow 2024 (teacher-student-odes.md 3.2).
    """
    L = check_count("L", L)
    beta = check_positive("beta", beta)
    lam = np.arange(1, L + 1, dtype=float) ** -(1 + beta)
    return lam / lam.mean()
