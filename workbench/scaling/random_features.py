"""Simulation of linear random-feature teacher-student regression (Bahri et al. 2021's model).

Convention (kernels-scaling.md 2.2): ``S`` teacher features ``F = G Lambda^(1/2)`` (rows: samples,
G standard Gaussian), teacher ``omega ~ N(0, I_S)``, student features ``W F`` with a Gaussian
projection ``W`` (P x S), ``theta`` the min-norm least-squares fit on D samples, and the
population loss ``L = sum_i lambda_i ((W^T theta - omega)_i)^2`` (no 1/2).

``D = inf``: the student's best fit (Lambda-weighted least squares of omega on the rows of W).
``P = inf``: the student uses F itself (kernel regression, min-norm interpolation).

Each trial is a function of its seed alone (numpy PCG64), so trials can run anywhere.

Trials of one seed at several sizes share their random numbers: the samples of ``D`` are the
first ``D`` rows of the largest sample matrix drawn from the seed's sample stream, and the
projection of width ``P`` the first ``P`` rows of the widest one (numpy's ``standard_normal``
fills row by row from its stream), so :func:`rf_trials_grid` draws each stream once per seed
at the largest size and gives the numbers :func:`rf_trial` gives size by size.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from ..errors import InvalidParameter
from .ridge import _check_size as _size

__all__ = ["rf_trial", "rf_trials", "rf_trials_grid", "standard_normal"]

MAX_BYTES = 2 ** 30


@nb.njit(cache=True)
def _standard_normal(rng, rows, cols):
    return rng.standard_normal((rows, cols))


def standard_normal(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """``rng.standard_normal((rows, cols))``: the same numbers from the same stream (Numba's
    Generator implements numpy's ziggurat), drawn about 3x faster than numpy 2.x draws them."""
    return _standard_normal(rng, int(rows), int(cols))


def _check_spectrum(eigenvalues):
    lam = np.asarray(eigenvalues, dtype=float)
    if lam.ndim != 1 or lam.size == 0 or not np.all(lam > 0):
        raise InvalidParameter("the feature spectrum must be a non-empty 1-D array of positive numbers")
    return lam


def _check_pair(D, P, S, ridge):
    """``(D, P)`` as sizes (``math.inf`` allowed); refuses sizes below 1, a bad ridge, too much memory."""
    D, P = _size("D (the number of samples)", D), _size("P (the number of random features)", P)
    need = 8 * S * ((0 if D == math.inf else D) + (0 if P == math.inf else P) + 2)
    if need > MAX_BYTES:
        raise InvalidParameter(f"D={D}, P={P}, S={S} need about {need / 2**30:.1f} GiB (limit 1 GiB)")
    if ridge < 0 or (ridge > 0 and D == math.inf):
        raise InvalidParameter(f"ridge must be >= 0 and needs finite D; got ridge={ridge}, D={D}")
    return D, P


def _loss(lam, sq, omega, X, W, y, XW, D, P, ridge):
    """The population loss of one trial from its draws: ``X`` (>= D rows of samples, already
    scaled by ``sqrt(lam)``), ``W`` (>= P rows of projection), the labels ``y = X omega`` and
    the features ``XW = X W^T`` of the largest sizes (their leading blocks are those of the
    smaller sizes: each entry is the same dot product)."""
    if D == math.inf and P == math.inf:
        return 0.0
    Wp = None if P == math.inf else W[:P]
    if D == math.inf:                    # best fit: min_theta |Lambda^(1/2) (W^T theta - omega)|^2
        A = (Wp * sq).T                  # S x P
        theta, *_ = np.linalg.lstsq(A, sq * omega, rcond=None)
        err = Wp.T @ theta - omega
    else:
        y = y[:D]
        Z = X[:D] if Wp is None else XW[:D, :P]
        if ridge > 0:
            theta = np.linalg.solve(Z.T @ Z + ridge * np.eye(Z.shape[1]), Z.T @ y)
        else:
            theta, *_ = np.linalg.lstsq(Z, y, rcond=None)  # min-norm solution
        err = (theta if Wp is None else Wp.T @ theta) - omega
    return float(np.sum(lam * err ** 2))


def rf_trials_grid(seeds, pairs, eigenvalues, ridge: float = 0.0) -> np.ndarray:
    """``rf_trial(seed, D, P, eigenvalues, ridge)`` for each ``(D, P)`` in ``pairs`` (rows) and
    each seed (columns), each seed's streams drawn once at the largest sizes (module docstring)."""
    lam = _check_spectrum(eigenvalues)
    S = lam.size
    pairs = [_check_pair(D, P, S, ridge) for D, P in pairs]
    d_max = max([D for D, _ in pairs if D != math.inf], default=0)
    p_max = max([P for _, P in pairs if P != math.inf], default=0)
    sq = np.sqrt(lam)
    out = np.empty((len(pairs), len(seeds)))
    for j, seed in enumerate(seeds):
        r_omega, r_x, r_w = (np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(3))
        omega = r_omega.standard_normal(S)
        W = standard_normal(r_w, p_max, S) if p_max else None
        X = standard_normal(r_x, d_max, S) * sq if d_max else None
        y = X @ omega if d_max else None
        XW = X @ W.T if d_max and p_max else None
        for i, (D, P) in enumerate(pairs):
            out[i, j] = _loss(lam, sq, omega, X, W, y, XW, D, P, ridge)
    return out


def rf_trial(seed: int, D, P, eigenvalues, ridge: float = 0.0) -> float:
    """Population loss of one trial (module docstring).

    The teacher, the samples and the projection come from three independent streams spawned from
    ``seed``, so trials with the same seed share whichever of them both have (``L(D, P)`` and
    ``L(inf, P)`` share teacher and projection: paired differences).  ``ridge > 0`` (finite D)
    minimises ``|Z theta - y|^2 + ridge |theta|^2``.
    """
    return float(rf_trials_grid([seed], [(D, P)], eigenvalues, ridge)[0, 0])


def rf_trials(seeds, D, P, eigenvalues, ridge: float = 0.0) -> np.ndarray:
    """``rf_trial`` for each seed."""
    return rf_trials_grid(seeds, [(D, P)], eigenvalues, ridge)[0]
