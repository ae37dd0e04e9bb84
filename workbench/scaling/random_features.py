"""Simulation of linear random-feature teacher-student regression (Bahri et al. 2021's model).

Convention (kernels-scaling.md 2.2): ``S`` teacher features ``F = G Lambda^(1/2)`` (rows: samples,
G standard Gaussian), teacher ``omega ~ N(0, I_S)``, student features ``W F`` with a Gaussian
projection ``W`` (P x S), ``theta`` the min-norm least-squares fit on D samples, and the
population loss ``L = sum_i lambda_i ((W^T theta - omega)_i)^2`` (no 1/2).

``D = inf``: the student's best fit (Lambda-weighted least squares of omega on the rows of W).
``P = inf``: the student uses F itself (kernel regression, min-norm interpolation).

Each trial is a function of its seed alone (numpy PCG64), so trials can run anywhere.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InvalidParameter
from .ridge import _check_size as _size

__all__ = ["rf_trial", "rf_trials"]

MAX_BYTES = 2 ** 30


def rf_trial(seed: int, D, P, eigenvalues, ridge: float = 0.0) -> float:
    """Population loss of one trial (module docstring).

    The teacher, the samples and the projection come from three independent streams spawned from
    ``seed``, so trials with the same seed share whichever of them both have (``L(D, P)`` and
    ``L(inf, P)`` share teacher and projection: paired differences).  ``ridge > 0`` (finite D)
    minimises ``|Z theta - y|^2 + ridge |theta|^2``.
    """
    lam = np.asarray(eigenvalues, dtype=float)
    if lam.ndim != 1 or lam.size == 0 or not np.all(lam > 0):
        raise InvalidParameter("the feature spectrum must be a non-empty 1-D array of positive numbers")
    D, P = _size("D (the number of samples)", D), _size("P (the number of random features)", P)
    if D == math.inf and P == math.inf:
        return 0.0
    S = lam.size
    need = 8 * S * ((0 if D == math.inf else D) + (0 if P == math.inf else P) + 2)
    if need > MAX_BYTES:
        raise InvalidParameter(f"D={D}, P={P}, S={S} need about {need / 2**30:.1f} GiB (limit 1 GiB)")
    if ridge < 0 or (ridge > 0 and D == math.inf):
        raise InvalidParameter(f"ridge must be >= 0 and needs finite D; got ridge={ridge}, D={D}")
    r_omega, r_x, r_w = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))
    omega = r_omega.standard_normal(S)
    sq = np.sqrt(lam)
    W = None if P == math.inf else r_w.standard_normal((P, S))
    if D == math.inf:                    # best fit: min_theta |Lambda^(1/2) (W^T theta - omega)|^2
        A = (W * sq).T                   # S x P
        theta, *_ = np.linalg.lstsq(A, sq * omega, rcond=None)
        err = W.T @ theta - omega
    else:
        X = r_x.standard_normal((D, S)) * sq          # D x S samples of F
        y = X @ omega
        Z = X if W is None else X @ W.T
        if ridge > 0:
            theta = np.linalg.solve(Z.T @ Z + ridge * np.eye(Z.shape[1]), Z.T @ y)
        else:
            theta, *_ = np.linalg.lstsq(Z, y, rcond=None)  # min-norm solution
        err = (theta if W is None else W.T @ theta) - omega
    return float(np.sum(lam * err ** 2))


def rf_trials(seeds, D, P, eigenvalues, ridge: float = 0.0) -> np.ndarray:
    """``rf_trial`` for each seed."""
    return np.array([rf_trial(int(s), D, P, eigenvalues, ridge) for s in seeds])
