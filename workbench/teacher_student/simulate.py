"""Exact online SGD of the teacher-student model in ``N`` dimensions, compiled with Numba.

Same model and conventions as the ODEs (:mod:`workbench.teacher_student.model`): one fresh
``x ~ N(0, Sigma)`` per step (``Sigma`` diagonal; with a spectrum, coordinates
``l N/L .. (l+1) N/L - 1`` have variance ``lambda_l``), label noise ``sigma zeta``,

    w_i <- (1 - kappa/N) w_i + (eta / sqrt N) v_i g'(lambda_i) (y - yhat) x
    v_i <- (1 - kappa/N) v_i + (eta_v / N) g(lambda_i) (y - yhat)      (only if eta_v > 0)

and ``alpha = steps/N``.  Random numbers come from numpy's ``Generator`` (PCG64) used inside
the compiled loop, seeded by ``seed``: a seed gives the same run on every machine and in
every process.  Observables at the requested ``alphas`` are the overlaps (per eigen-group)
computed from the weights, and ``eps_g`` evaluated exactly from them (it is a function of
the overlaps for Gaussian inputs), so a :class:`~workbench.teacher_student.ode.Trajectory`
comes back, as from the ODE.

Initial weights: with ``Q0``/``R0`` given, the weights are built to have *exactly* those
overlaps (a random orthonormal frame in each eigen-group, scaled by a square root of the
joint covariance), so ODE and simulation start from the same point; otherwise the teacher
has i.i.d. ``N(0, 1)`` entries and the student ``N(0, init_std^2)``.
"""

from __future__ import annotations

import math
import multiprocessing as mp_
import os

import numba as nb
import numpy as np

from ..errors import InvalidParameter
from ..executors import usable_cores
from .closure import eg_compiled
from .model import check_count, check_positive
from .closure import unpack
from .ode import Trajectory, ode_state
from .quadrature import activation_slope, activation_value

__all__ = ["simulate", "simulate_seeds", "initial_weights", "memory_estimate"]


#: Steps whose normals are drawn in one call (one (BLOCK, N) array instead of BLOCK allocations).
BLOCK = 64


@nb.njit(cache=True)
def _sgd(W, v, B, vstar, scale, group, L, rng, record, eta, eta_v, sigma, wd, act):
    """Run ``record[-1]`` SGD steps in place; overlaps at each step in ``record``.

    The normals of ``BLOCK`` steps are drawn at once, in the order of the per-step loop (the
    ``N`` inputs, then the label noise when ``sigma > 0``), so the random stream is that of
    drawing step by step.  The projections are :func:`_dot` (a fixed order of additions, the
    same on every CPU), so a seed gives the same run everywhere.
    """
    K, N = W.shape
    M = B.shape[0]
    nrec = record.size
    Qs = np.zeros((nrec, L, K, K))
    Rs = np.zeros((nrec, L, K, M))
    vs = np.zeros((nrec, K))
    sq = math.sqrt(N)
    lam_s = np.empty(K)
    lam_t = np.empty(M)
    coef = np.empty(K)
    decay = 1.0 - wd / N
    unit = True
    for a in range(N):
        unit = unit and scale[a] == 1.0
    width = N + 1 if sigma != 0.0 else N
    Z = np.empty((0, width))
    r = 0
    step = 0
    while True:
        if r < nrec and record[r] == step:
            _overlaps(W, B, group, N, Qs[r], Rs[r])
            for i in range(K):
                vs[r, i] = v[i]
            r += 1
        if r == nrec:
            break
        if step % BLOCK == 0:
            Z = rng.standard_normal((BLOCK, width))
        z = Z[step % BLOCK]
        if not unit:
            for a in range(N):
                z[a] *= scale[a]
        for i in range(K):
            lam_s[i] = _dot(W[i], z, N) / sq
        for m in range(M):
            lam_t[m] = _dot(B[m], z, N) / sq
        delta = sigma * z[N] if sigma != 0.0 else 0.0
        for m in range(M):
            delta += vstar[m] * activation_value(act, lam_t[m])
        for i in range(K):
            delta -= v[i] * activation_value(act, lam_s[i])
        for i in range(K):
            coef[i] = eta / sq * v[i] * activation_slope(act, lam_s[i]) * delta
        if eta_v != 0.0:
            for i in range(K):
                v[i] = decay * v[i] + eta_v / N * activation_value(act, lam_s[i]) * delta
        for i in range(K):
            c = coef[i]
            if decay != 1.0:
                for a in range(N):
                    W[i, a] = decay * W[i, a] + c * z[a]
            else:
                for a in range(N):
                    W[i, a] += c * z[a]
        step += 1
    return Qs, Rs, vs


@nb.njit(cache=True)
def _dot(x, y, n):
    """``sum_a x[a] y[a]`` for ``a < n`` in eight interleaved partial sums, combined pairwise.

    The order of the additions is fixed by this code (no fast-math reassociation), so the
    result is the same on every CPU, while the eight independent chains let the compiler
    vectorise and pipeline the loop.
    """
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0.0
    m = n - n % 8
    for a in range(0, m, 8):
        s0 += x[a] * y[a]
        s1 += x[a + 1] * y[a + 1]
        s2 += x[a + 2] * y[a + 2]
        s3 += x[a + 3] * y[a + 3]
        s4 += x[a + 4] * y[a + 4]
        s5 += x[a + 5] * y[a + 5]
        s6 += x[a + 6] * y[a + 6]
        s7 += x[a + 7] * y[a + 7]
    for a in range(m, n):
        s0 += x[a] * y[a]
    return ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))


@nb.njit(cache=True)
def _overlaps(W, B, group, N, Qr, Rr):
    """Add the per-group overlaps ``W W^T / N`` and ``W B^T / N`` into ``Qr`` (L, K, K), ``Rr``."""
    K, M = W.shape[0], B.shape[0]
    for a in range(N):
        gl = group[a]
        for i in range(K):
            for k in range(K):
                Qr[gl, i, k] += W[i, a] * W[k, a] / N
            for m in range(M):
                Rr[gl, i, m] += W[i, a] * B[m, a] / N


def memory_estimate(N: int, K: int, M: int) -> int:
    """Bytes held by one simulation: weights, one input and the recorded overlaps (small)."""
    return 8 * N * (K + M + 3)


def _root(P):
    w, V = np.linalg.eigh(P)
    return V * np.sqrt(np.clip(w, 0, None))


def initial_weights(N, Qg, Rg, Tg, seed):
    """Student ``W`` (K, N) and teacher ``B`` (M, N) with exactly the per-group overlaps given."""
    L, K, M = Rg.shape
    if N % L:
        raise InvalidParameter(f"N = {N} must be a multiple of the number of eigen-groups L = {L}")
    n = N // L
    if n < K + M:
        raise InvalidParameter(f"each eigen-group has N/L = {n} coordinates, fewer than K + M = "
                               f"{K + M} weight vectors")
    rng = np.random.default_rng([seed, 7919])
    W, B = np.empty((K, N)), np.empty((M, N))
    for l in range(L):
        P = np.block([[Qg[l], Rg[l]], [Rg[l].T, Tg[l]]])
        U, _ = np.linalg.qr(rng.standard_normal((n, K + M)))
        X = math.sqrt(N) * _root(P) @ U.T
        W[:, l * n:(l + 1) * n] = X[:K]
        B[:, l * n:(l + 1) * n] = X[K:]
    return W, B


def simulate(activation="erf", *, N, eta, alphas, seed, Q0=None, R0=None, T=None, K=None, M=None,
             init_std=None, v0=None, vstar=None, eta_v=0.0, sigma=0.0, weight_decay=0.0,
             spectrum=None, max_bytes=2 ** 31) -> Trajectory:
    """Online SGD in ``N`` dimensions; overlaps and ``eps_g`` at ``alphas`` (see module docstring).

    Give either ``Q0`` and ``R0`` (exact initial overlaps, ``T`` default ``I``) or ``K``, ``M``
    and ``init_std`` (random initialisation).  ``alphas`` are rounded to whole steps
    ``round(alpha N)``.
    """
    N = check_count("N (input dimension)", N)
    seed = check_count("seed", seed, minimum=0)
    random_init = Q0 is None and R0 is None
    if random_init:
        if K is None or M is None or init_std is None:
            raise InvalidParameter("give Q0 and R0 (exact initial overlaps) or K, M and init_std")
        if T is not None:
            raise InvalidParameter("with a random initialisation the teacher has i.i.d. N(0, 1) "
                                   "entries; give Q0, R0 and T to set its overlaps")
        K, M = check_count("K", K), check_count("M", M)
        std = check_positive("init_std", init_std, allow_zero=True)
        Q0 = np.eye(K) * max(std ** 2, 1e-300)
        R0 = np.zeros((K, M))
    elif Q0 is None or R0 is None:
        raise InvalidParameter("give both Q0 and R0, or neither")
    setup, y0 = ode_state(activation=activation, eta=eta, T=T, Q0=Q0, R0=R0, v0=v0, vstar=vstar,
                          eta_v=eta_v, sigma=sigma, weight_decay=weight_decay, spectrum=spectrum,
                          for_ode=False)
    s = setup
    need = memory_estimate(N, s.K, s.M)
    if need > max_bytes:
        raise InvalidParameter(f"N = {N} needs about {need / 2**20:.0f} MiB, above max_bytes")
    a = np.array(alphas, dtype=float).reshape(-1)
    if a.size < 1 or not np.all(np.isfinite(a)) or a[0] < 0 or np.any(np.diff(a) < 0):
        raise InvalidParameter("alphas must be a non-empty, non-decreasing list of times >= 0")
    record = np.rint(a * N).astype(np.int64)
    if np.any(np.diff(record) <= 0):
        raise InvalidParameter(f"alphas {a} are closer than one step (1/N) apart")
    Qg, Rg, v = unpack(y0, s.L, s.K, s.M)
    if random_init:
        rng0 = np.random.default_rng([seed, 104729])
        B = rng0.standard_normal((s.M, N))
        W = std * rng0.standard_normal((s.K, N))
    else:
        W, B = initial_weights(N, Qg, Rg, s.Tg, seed)
    L = s.L
    if N % L:
        raise InvalidParameter(f"N = {N} must be a multiple of the number of eigen-groups L = {L}")
    group = np.repeat(np.arange(L), N // L)
    scale = np.sqrt(s.lam)[group]
    rng = np.random.default_rng(seed)
    Qs, Rs, vs = _sgd(W, v.copy(), B, s.vstar, scale, group, L, rng, record, s.eta, s.eta_v,
                      math.sqrt(s.sigma2), s.wd, s.act)
    Tg = np.array([B[:, group == l] @ B[:, group == l].T / N for l in range(L)])
    eg = np.array([eg_compiled(Qs[j], Rs[j], Tg, s.lam, vs[j], s.vstar, s.act)
                   for j in range(a.size)])
    return Trajectory(alphas=record / N, eg=eg, Q=Qs.sum(1), R=Rs.sum(1), v=vs, Q_groups=Qs,
                      R_groups=Rs, T=Tg.sum(0), T_groups=Tg, spectrum=s.lam, activation=activation,
                      steps=int(record[-1]))


def _one(args):
    seed, kwargs = args
    return simulate(seed=seed, **kwargs)


def simulate_seeds(seeds, jobs: int | None = None, *, client=None, **kwargs) -> list[Trajectory]:
    """:func:`simulate` for each seed, in ``jobs`` worker processes (default: the usable cores), or
    on the workers of a Dask ``client`` (``distributed.Client``; ``jobs`` is then ignored).

    Each run depends only on its seed, so the results are the same, in the order of
    ``seeds``, for any ``jobs`` and on Dask.  On Dask the workers need the same code
    installed; a run that kills its worker is given to another one by the scheduler.
    """
    seeds = [check_count("seed", s, minimum=0) for s in seeds]
    if client is not None:
        futures = client.map(_one, [(s, kwargs) for s in seeds], pure=False,
                             key=[f"simulate-seed-{s}-{os.urandom(4).hex()}" for s in seeds])
        return client.gather(futures)
    jobs = min(len(seeds), jobs or usable_cores())
    if jobs <= 1:
        return [simulate(seed=s, **kwargs) for s in seeds]
    ctx = mp_.get_context("fork")
    with ctx.Pool(jobs) as pool:
        return pool.map(_one, [(s, kwargs) for s in seeds])
