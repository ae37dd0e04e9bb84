"""Linear random-feature regression with the teacher averaged out exactly.

The trials of :mod:`workbench.scaling.random_features` (same model, same seeds, same samples and
projections: the sample and projection streams are drawn exactly as there) with the population
loss averaged over the teacher ``omega ~ N(0, I_S)`` in closed form instead of drawn.  The loss
is a quadratic form ``omega^T A omega`` in the teacher, so its teacher average is ``tr A``:

* ``D = inf`` (best fit in the span of the P features ``B = W Lambda^(1/2)``):
  ``tr Lambda - tr[(B B^T)^-1 B Lambda B^T]``;
* ``P = inf`` (min-norm kernel interpolation on the D samples ``X``, rows scaled by
  ``Lambda^(1/2)``): ``tr Lambda - tr[(X X^T)^-1 X Lambda X^T]``;
* both finite (min-norm least squares on ``Z = X W^T``, ``E = W^T Z^+ X - I``):
  ``tr(E^T Lambda E)``, evaluated through D x D or P x P matrices only.

Averaging the teacher out removes its share of the seed-to-seed variance (the data and the
projection remain random), so fewer seeds give the same standard error; the expectation over
seeds is the same as that of :func:`~workbench.scaling.random_features.rf_trials_grid`.

The matrices are small (at most a few thousand by S): the trials run with one BLAS thread
(``threadpoolctl``), since a thread pool per process only contends for the cores (measured 3-4x
slower on 2 loaded cores).
"""

from __future__ import annotations

import math

import numpy as np
from threadpoolctl import threadpool_limits

from .random_features import _check_pair, _check_spectrum, standard_normal

__all__ = ["rf_averaged_trials_grid"]


def _averaged_loss(lam, X, W, D, P):
    """The teacher-averaged loss of one trial (module docstring); ``X`` and ``W`` as drawn for
    the largest sizes (their leading blocks are the smaller sizes' draws)."""
    total = float(np.sum(lam))
    if D == math.inf and P == math.inf:
        return 0.0
    if D == math.inf:
        B = W[:P] * np.sqrt(lam)
        return total - float(np.trace(np.linalg.solve(B @ B.T, (B * lam) @ B.T)))
    Xd = X[:D]
    if P == math.inf:
        return total - float(np.trace(np.linalg.solve(Xd @ Xd.T, (Xd * lam) @ Xd.T)))
    Wp = W[:P]
    Z = Xd @ Wp.T                                      # D x P
    if D > P:
        Q = np.linalg.solve(Z.T @ Z, Z.T @ Xd)         # Z^+ X, P x S
        cross = float(np.sum((Q * lam) * Wp))          # tr(Lambda W^T Q)
        quad = float(np.sum(((Wp * lam) @ Wp.T) * (Q @ Q.T)))
    else:
        M = np.linalg.inv(Z @ Z.T)                     # Z^+ = Z^T M
        cross = float(np.sum(M * (((Xd * lam) @ Wp.T) @ Z.T)))      # tr(M (X Lambda W^T) Z^T)
        ZW = Z @ Wp                                    # D x S
        quad = float(np.sum((M @ ((ZW * lam) @ ZW.T) @ M) * (Xd @ Xd.T)))
    return total - 2 * cross + quad


def rf_averaged_trials_grid(seeds, pairs, eigenvalues) -> np.ndarray:
    """Teacher-averaged ridgeless loss for each ``(D, P)`` in ``pairs`` (rows) and seed (columns),
    each seed's sample and projection streams drawn once at the largest sizes, as
    :func:`~workbench.scaling.random_features.rf_trials_grid` draws them (module docstring).
    ``D = P`` (the interpolation peak) is refused."""
    lam = _check_spectrum(eigenvalues)
    S = lam.size
    pairs = [_check_pair(D, P, S, 0.0) for D, P in pairs]
    if any(D == P for D, P in pairs):
        from ..errors import InvalidParameter
        raise InvalidParameter("D = P is the interpolation peak: its teacher average diverges")
    d_max = max([D for D, _ in pairs if D != math.inf], default=0)
    p_max = max([P for _, P in pairs if P != math.inf], default=0)
    sq = np.sqrt(lam)
    out = np.empty((len(pairs), len(seeds)))
    with threadpool_limits(1):          # small matrices: BLAS threads only contend (module docstring)
        for j, seed in enumerate(seeds):
            _, r_x, r_w = (np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(3))
            W = standard_normal(r_w, p_max, S) if p_max else None
            X = standard_normal(r_x, d_max, S) * sq if d_max else None
            for i, (D, P) in enumerate(pairs):
                out[i, j] = _averaged_loss(lam, X, W, D, P)
    return out
