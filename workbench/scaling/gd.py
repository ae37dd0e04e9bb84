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

Each step is one pass over (points x neurons) with BLAS products (``memory_estimate``): measured
faster than a fused compiled double loop (bench/bench_scaling.py).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InvalidParameter

__all__ = ["sphere_points", "train_relu_network", "memory_estimate"]

MAX_BYTES = 2 ** 31


def sphere_points(d: int, M: int) -> np.ndarray:
    """``M`` nearly uniform points on S^(d-1): equispaced on the circle (d=2), Fibonacci
    lattice on S^2 (d=3)."""
    if d not in (2, 3):
        raise InvalidParameter(f"sphere_points supports d = 2 (circle) and d = 3 (S^2), got d={d!r}")
    if int(M) != M or M < 8:
        raise InvalidParameter(f"the number of points M must be an integer >= 8, got {M!r}")
    i = np.arange(M) + 0.5
    if d == 2:
        th = 2 * np.pi * i / M
        return np.stack([np.cos(th), np.sin(th)], axis=1)
    z = 1 - 2 * i / M
    phi = np.pi * (3 - np.sqrt(5)) * i
    r = np.sqrt(1 - z * z)
    return np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)


def memory_estimate(M: int, width: int, d: int) -> int:
    """Bytes held by one training run: three (points x width) work arrays, points, parameters."""
    return 8 * (3 * M * width + M * (d + 4) + width * (2 * d + 6))


def _gd(X, y, W, b, a, eta, scale, checkpoints):
    """Run GD (in place on W, b, a); return the loss at each checkpoint step.

    One pass per step: ``Z = X W^T + b`` (BLAS), then the loss and all gradients from ``Z``.
    """
    M = X.shape[0]
    f0 = scale * np.maximum(X @ W.T + b, 0.0) @ a
    out = np.empty(checkpoints.size)
    k = 0
    for step in range(int(checkpoints[-1]) + 1):
        Z = X @ W.T
        Z += b
        active = Z > 0
        np.maximum(Z, 0.0, out=Z)                   # Z now holds relu(Z)
        r = scale * (Z @ a) - f0 - y
        while k < checkpoints.size and checkpoints[k] == step:
            out[k] = 0.5 * np.mean(r * r)
            k += 1
        if step == checkpoints[-1]:
            break
        ga = scale * (Z.T @ r) / M
        G = active * np.outer(r * (scale / M), a)   # d loss / d (pre-activation)
        W -= eta * (G.T @ X)
        b -= eta * G.sum(axis=0)
        a -= eta * ga
    return out


def train_relu_network(X, y, width: int, eta: float, steps, seed: int) -> np.ndarray:
    """Loss ``L = (1/2) mean (f - y)^2`` after each number of GD ``steps`` (module docstring).

    ``X``: (M, d) unit inputs; ``y``: (M,) targets; ``steps``: increasing non-negative ints.
    """
    X = np.ascontiguousarray(X, dtype=float)
    y = np.ascontiguousarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise InvalidParameter(f"X must be (M, d) and y (M,), got {X.shape} and {y.shape}")
    if not np.allclose(np.sum(X * X, axis=1), 1.0):
        raise InvalidParameter("inputs must lie on the unit sphere")
    if int(width) != width or width < 1:
        raise InvalidParameter(f"the width must be an integer >= 1, got {width!r}")
    if not (eta > 0 and math.isfinite(eta)):
        raise InvalidParameter(f"the learning rate must be positive, got eta={eta!r}")
    steps = np.asarray(steps, dtype=np.int64)
    if steps.ndim != 1 or steps.size == 0 or np.any(steps < 0) or np.any(np.diff(steps) <= 0):
        raise InvalidParameter("steps must be a non-empty increasing sequence of non-negative integers")
    M, d = X.shape
    need = memory_estimate(M, int(width), d)
    if need > MAX_BYTES:
        raise InvalidParameter(f"M={M}, width={width} need about {need / 2**30:.1f} GiB (limit 2 GiB)")
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((int(width), d))
    a = rng.standard_normal(int(width))
    b = np.zeros(int(width))
    scale = math.sqrt(2.0 / width)
    return _gd(X, y, W, b, a, float(eta), scale, steps)
