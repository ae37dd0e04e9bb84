"""Gradient descent of a wide two-layer ReLU network (with bias) on the sphere: a checker.

Network (NTK parametrisation, kernels-scaling.md 3.2 normalisation):

    f(x) = sqrt(2/m) sum_j a_j relu(w_j . x + b_j)  -  f_0(x),

``a_j ~ N(0, 1)``, ``w_j ~ N(0, I_d)``, ``b_j = 0`` at initialisation; subtracting the initial
function ``f_0`` (kept fixed) starts the dynamics from ``f = 0`` without changing the tangent
kernel.  At infinite width the tangent kernel on unit inputs is ``(u + 1) kappa0(u) +
kappa1(u)`` (``relu_ntk_bias``).

Loss: ``L = (1/2) E_x (f - f*)^2`` with ``E_x`` the average over a fixed point set standing for
the uniform measure (``sphere_points``: an equispaced grid on S^1, a Fibonacci lattice on S^2).
Plain gradient descent with step ``eta`` on all parameters; time ``t = eta x steps``, so that at
infinite width and small ``eta`` the loss follows kernel gradient flow
``L(t) = (1/2) sum_k E_k exp(-2 mu_k t)``.

The compiled loop makes two passes over (points x neurons) per step and allocates nothing.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from ..errors import MalformedStatement

__all__ = ["sphere_points", "train_relu_network", "memory_estimate"]

MAX_BYTES = 2 ** 31


def sphere_points(d: int, M: int) -> np.ndarray:
    """``M`` nearly uniform points on S^(d-1): equispaced on the circle (d=2), Fibonacci
    lattice on S^2 (d=3)."""
    if d not in (2, 3):
        raise MalformedStatement(f"sphere_points supports d = 2 (circle) and d = 3 (S^2), got d={d!r}")
    if int(M) != M or M < 8:
        raise MalformedStatement(f"the number of points M must be an integer >= 8, got {M!r}")
    i = np.arange(M) + 0.5
    if d == 2:
        th = 2 * np.pi * i / M
        return np.stack([np.cos(th), np.sin(th)], axis=1)
    z = 1 - 2 * i / M
    phi = np.pi * (3 - np.sqrt(5)) * i
    r = np.sqrt(1 - z * z)
    return np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)


def memory_estimate(M: int, width: int, d: int) -> int:
    """Bytes held by one training run (points, targets, parameters, per-point work arrays)."""
    return 8 * (M * (d + 4) + width * (2 * d + 6))


@nb.njit(cache=True)
def _forward(X, W, b, a, scale, out):
    M, d = X.shape
    m = W.shape[0]
    for i in range(M):
        s = 0.0
        for j in range(m):
            z = b[j]
            for c in range(d):
                z += W[j, c] * X[i, c]
            if z > 0.0:
                s += a[j] * z
        out[i] = scale * s


@nb.njit(cache=True)
def _gd(X, y, f0, W, b, a, eta, scale, checkpoints):
    """Run GD; return the loss at each checkpoint step (ascending, 0 allowed)."""
    M, d = X.shape
    m = W.shape[0]
    f = np.empty(M)
    r = np.empty(M)
    ga = np.empty(m)
    gW = np.empty((m, d))
    gb = np.empty(m)
    out = np.empty(checkpoints.size)
    step, k = 0, 0
    last = checkpoints[-1]
    while True:
        _forward(X, W, b, a, scale, f)
        loss = 0.0
        for i in range(M):
            r[i] = f[i] - f0[i] - y[i]
            loss += r[i] * r[i]
        loss *= 0.5 / M
        while k < checkpoints.size and checkpoints[k] == step:
            out[k] = loss
            k += 1
        if step == last:
            break
        ga[:] = 0.0
        gW[:] = 0.0
        gb[:] = 0.0
        for i in range(M):
            ri = r[i] * scale / M
            for j in range(m):
                z = b[j]
                for c in range(d):
                    z += W[j, c] * X[i, c]
                if z > 0.0:
                    ga[j] += ri * z
                    g = ri * a[j]
                    gb[j] += g
                    for c in range(d):
                        gW[j, c] += g * X[i, c]
        for j in range(m):
            a[j] -= eta * ga[j]
            b[j] -= eta * gb[j]
            for c in range(d):
                W[j, c] -= eta * gW[j, c]
        step += 1
    return out


def train_relu_network(X, y, width: int, eta: float, steps, seed: int) -> np.ndarray:
    """Loss ``L = (1/2) mean (f - y)^2`` after each number of GD ``steps`` (module docstring).

    ``X``: (M, d) unit inputs; ``y``: (M,) targets; ``steps``: increasing non-negative ints.
    """
    X = np.ascontiguousarray(X, dtype=float)
    y = np.ascontiguousarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise MalformedStatement(f"X must be (M, d) and y (M,), got {X.shape} and {y.shape}")
    if not np.allclose(np.sum(X * X, axis=1), 1.0):
        raise MalformedStatement("inputs must lie on the unit sphere")
    if int(width) != width or width < 1:
        raise MalformedStatement(f"the width must be an integer >= 1, got {width!r}")
    if not (eta > 0 and math.isfinite(eta)):
        raise MalformedStatement(f"the learning rate must be positive, got eta={eta!r}")
    steps = np.asarray(steps, dtype=np.int64)
    if steps.ndim != 1 or steps.size == 0 or np.any(steps < 0) or np.any(np.diff(steps) <= 0):
        raise MalformedStatement("steps must be a non-empty increasing sequence of non-negative integers")
    M, d = X.shape
    need = memory_estimate(M, int(width), d)
    if need > MAX_BYTES:
        raise MalformedStatement(f"M={M}, width={width} need about {need / 2**30:.1f} GiB (limit 2 GiB)")
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((int(width), d))
    a = rng.standard_normal(int(width))
    b = np.zeros(int(width))
    scale = math.sqrt(2.0 / width)
    f0 = np.empty(M)
    _forward(X, W, b, a, scale, f0)
    return _gd(X, y, f0, W, b, a, float(eta), scale, steps)
