"""Plateau and specialised phase of the eigenvalue-resolved closure (inputs with a spectrum).

Float64 companions of :mod:`~workbench.teacher_student.fixed_points` for ``L`` eigen-groups
(closure: :mod:`~workbench.teacher_student.closure`; conventions: ``erf(x/sqrt 2)``,
``K = M``, ``v = v* = 1``, teacher ``T^l = I/L``, ``sigma = 0``, time ``alpha = steps/N``).
The right-hand side is ``eta (F1 + eta F2)``; everything here uses the flow ``F1 + eta F2``
(``eta = 0``: the ``eta -> 0`` limit), so rates are per unit ``eta alpha``.

* :func:`spectral_plateau` -- the symmetric fixed point (per group ``Q^l_ii = q_l``,
  ``Q^l_ik = c_l``, ``R^l_in = r_l``) by scipy's ``root``;
* :func:`first_order_jacobian` -- ``dF1/dy`` by central differences (step 1e-7, error ~1e-12);
* :func:`spectral_escape_rate` -- the largest eigenvalue at the plateau;
* :func:`specialised_spectrum_rates` -- eigenvalues at ``Q^l = R^l = T^l = I/L``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import root

from ..errors import ConvergenceError
from .closure import eg_compiled, pack, rhs, unpack
from .model import as_spectrum, check_count

__all__ = ["first_order_flow", "first_order_jacobian", "spectral_plateau", "spectral_escape_rate",
           "specialised_spectrum_rates"]


def _setup(K, spectrum):
    K = check_count("K", K, minimum=2)
    lam = as_spectrum(spectrum)
    L = lam.size
    return K, lam, L, np.repeat(np.eye(K)[None] / L, L, axis=0)


def first_order_flow(y, K, lam, Tg, eta=0.0):
    """``F1(y) + eta F2(y)`` (the right-hand side over ``eta``); ``F1`` from two exact evaluations."""
    if eta > 0:
        return rhs(y, K, Tg, lam, np.ones(K), eta, 0.0, 0.0, 0.0, 1) / eta
    one = rhs(y, K, Tg, lam, np.ones(K), 1.0, 0.0, 0.0, 0.0, 1)
    two = rhs(y, K, Tg, lam, np.ones(K), 2.0, 0.0, 0.0, 0.0, 1)
    return (4 * one - two) / 2


def first_order_jacobian(y, K, lam, Tg, eta=0.0, h=1e-7):
    """Jacobian of :func:`first_order_flow` by central differences."""
    n = y.size
    J = np.empty((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = h
        J[:, j] = (first_order_flow(y + e, K, lam, Tg, eta)
                   - first_order_flow(y - e, K, lam, Tg, eta)) / (2 * h)
    return J


def _symmetric(x, K, L):
    q, c, r = x[:L], x[L:2 * L], x[2 * L:]
    Q = np.array([np.full((K, K), c[l]) + (q[l] - c[l]) * np.eye(K) for l in range(L)])
    R = np.array([np.full((K, K), r[l]) for l in range(L)])
    return pack(Q, R, np.ones(K))


def spectral_plateau(K, spectrum, eta=0.0):
    """``(y, eps*)``: the symmetric plateau at learning rate ``eta`` (packed state and error)."""
    K, lam, L, Tg = _setup(K, spectrum)

    def residual(x):
        Q, R, _ = unpack(first_order_flow(_symmetric(x, K, L), K, lam, Tg, eta), L, K, K)
        return np.concatenate([Q[:, 0, 0], Q[:, 0, 1], R[:, 0, 0]])

    q0 = 1.0 / (2 * K - 1) / L
    x0 = np.concatenate([np.full(L, q0), np.full(L, q0), np.full(L, 1 / np.sqrt(K * (2 * K - 1)) / L)])
    sol = root(residual, x0, method="lm", tol=1e-14)
    # the ansatz has q = c at eta = 0 (students coincide), where the reduced system is
    # degenerate: judge convergence by the residual, not by the solver's progress flag
    if np.abs(residual(sol.x)).max() > 1e-12:
        raise ConvergenceError(f"no symmetric plateau found for K={K}, L={L}: {sol.message}")
    y = _symmetric(sol.x, K, L)
    Q, R, v = unpack(y, L, K, K)
    return y, float(eg_compiled(Q, R, Tg, lam, v, np.ones(K), 1))


def spectral_escape_rate(K, spectrum, eta=0.0) -> float:
    """``lambda_esc / eta``: largest eigenvalue of the flow's Jacobian at the plateau."""
    K, lam, L, Tg = _setup(K, spectrum)
    y, _ = spectral_plateau(K, lam, eta)
    return float(np.linalg.eigvals(first_order_jacobian(y, K, lam, Tg, eta)).real.max())


def specialised_spectrum_rates(K, spectrum) -> np.ndarray:
    """Nonzero eigenvalues (real parts, decreasing) of ``dF1/dy`` at ``Q^l = R^l = T^l = I/L``.

    ``v`` does not move (first layer only), so its zero rows are dropped.
    """
    K, lam, L, Tg = _setup(K, spectrum)
    eye = np.repeat(np.eye(K)[None] / L, L, axis=0)
    y = pack(eye, eye.copy(), np.ones(K))
    J = first_order_jacobian(y, K, lam, Tg)[:-K, :-K]
    ev = np.sort(np.linalg.eigvals(J).real)[::-1]
    return ev
