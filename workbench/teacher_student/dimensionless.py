"""The dimensionless parametrisation of Arnaboldi, Stephan, Krzakala & Loureiro 2023 and the
regime map of Veiga et al. 2022.

Their model (our notes section 4; ``IdePHICS/DimensionlessDynamicsSGD``): student
``f = (1/p) sum_j g(w_j . x / sqrt d)``, target ``(1/k) sum_r g(w*_r . x / sqrt d) + sqrt(Delta) zeta``,
``x ~ N(0, I_d)``, step ``w_j <- w_j - gamma grad_{w_j} (f - y)^2 / 2``, dimensionless time
``t = nu gamma / (p d)`` after ``nu`` steps; risk ``R = E[(f - y_clean)^2]/2``.

It is the Goldt model (:mod:`workbench.teacher_student.model`) with ``N = d``, ``K = p``,
``M = k``, ``v = 1/p`` (fixed), ``v* = 1/k``, ``eta = gamma``, ``sigma^2 = Delta``, and
``t = alpha gamma / p``.  In ``t`` the ODE reads

    dM_jr/dt = (1/k) sum_s I3(j, r, s) - (1/p) sum_l I3(j, r, l)
    dQ_jl/dt = [(1/k) sum_r I3(j, l, r) - (1/p) sum_m I3(j, l, m)] + (j <-> l)
               + (gamma/p) [p^-2 sum_oq I4(j,l,o,q) - 2/(pk) sum_or I4(j,l,o,r)
                            + k^-2 sum_rs I4(j,l,r,s) + Delta J2(j,l)]

so ``gamma/p`` alone multiplies the SGD-noise term: ``gamma/p -> 0`` is gradient flow.

Regimes (:func:`regime`), with ``gamma = gamma0 d^-delta`` and ``p = d^kappa`` (``kappa >= 0``),
so that ``gamma/p = gamma0 d^-(kappa + delta)``:

* ``kappa + delta > 0``: gradient flow -- classical (``kappa = 0``, vanishing learning rate) or
  mean-field (``kappa > 0``, ``gamma = o(p)``); the noise term vanishes like ``d^-(kappa+delta)``;
* ``kappa + delta = 0``: high-dimensional SGD (Saad-Solla line), noise term ``gamma0``;
* ``kappa < -delta < (kappa + 1)/2``: noise-dominated (Veiga et al.'s orange region);
* ``-delta >= (kappa + 1)/2``: no deterministic limit (our notes' reading of Veiga et al.).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameter
from .model import check_count, check_positive
from .ode import integrate
from .simulate import simulate

__all__ = ["goldt_parameters", "to_alpha", "integrate_dimensionless", "simulate_dimensionless",
           "Regime", "regime", "DimensionlessTrajectory"]


def goldt_parameters(*, p, k, gamma, noise=0.0) -> dict:
    """Keyword arguments of :func:`~workbench.teacher_student.integrate` for the model above."""
    p, k = check_count("p (student width)", p), check_count("k (teacher width)", k)
    gamma = check_positive("gamma (learning rate)", gamma)
    noise = check_positive("noise (Delta)", noise, allow_zero=True)
    return {"v0": np.full(p, 1.0 / p), "vstar": np.full(k, 1.0 / k), "eta": gamma,
            "sigma": float(np.sqrt(noise))}


def to_alpha(t, *, p, gamma):
    """``alpha = t p / gamma`` (steps/d) from the dimensionless time ``t``."""
    return np.asarray(t, dtype=float) * check_count("p", p) / check_positive("gamma", gamma)


@dataclass(frozen=True)
class DimensionlessTrajectory:
    """Risk and overlaps ``Q = W W^T/d``, ``M = W W*^T/d`` at the dimensionless times ``t``."""

    t: np.ndarray
    risk: np.ndarray
    Q: np.ndarray
    M: np.ndarray


def _check_times(times):
    t = np.array(times, dtype=float).reshape(-1)
    if t.size < 1 or not np.all(np.isfinite(t)) or t[0] < 0 or np.any(np.diff(t) <= 0):
        raise InvalidParameter("times must be a non-empty, strictly increasing list of t >= 0")
    return t


def integrate_dimensionless(activation="erf", *, p, k, gamma, Q0, M0, times, P=None, noise=0.0,
                            rtol=1e-10) -> DimensionlessTrajectory:
    """The ODE in the dimensionless time ``t = alpha gamma / p`` (module docstring)."""
    t = _check_times(times)
    kw = goldt_parameters(p=p, k=k, gamma=gamma, noise=noise)
    tr = integrate(activation, Q0=Q0, R0=M0, T=P, alphas=to_alpha(t, p=p, gamma=gamma), rtol=rtol, **kw)
    return DimensionlessTrajectory(t, tr.eg, tr.Q, tr.R)


def simulate_dimensionless(activation="erf", *, d, p, k, gamma, Q0, M0, times, seed, P=None,
                           noise=0.0) -> DimensionlessTrajectory:
    """Online SGD of the model in ``d`` dimensions, observed at the dimensionless times ``t``."""
    t = _check_times(times)
    kw = goldt_parameters(p=p, k=k, gamma=gamma, noise=noise)
    tr = simulate(activation, N=d, Q0=Q0, R0=M0, T=P, seed=seed,
                  alphas=to_alpha(t, p=p, gamma=gamma), **kw)
    return DimensionlessTrajectory(tr.alphas * gamma / p, tr.eg, tr.Q, tr.R)


@dataclass(frozen=True)
class Regime:
    """Where ``(kappa, delta)`` falls: name, the exponent of ``gamma/p ~ d^noise_exponent`` and
    the number of SGD steps per unit ``t``, ``~ d^steps_exponent``."""

    name: str
    kappa: float
    delta: float
    noise_exponent: float
    steps_exponent: float


def regime(kappa, delta) -> Regime:
    """The regime of online SGD for ``p = d^kappa``, ``gamma = gamma0 d^-delta`` (module docstring)."""
    try:
        kappa, delta = float(kappa), float(delta)
    except (TypeError, ValueError):
        raise InvalidParameter(f"kappa and delta must be numbers, got {kappa!r}, {delta!r}") from None
    if not (np.isfinite(kappa) and np.isfinite(delta)) or kappa < 0:
        raise InvalidParameter(f"need a finite kappa >= 0 (p = d^kappa >= 1) and a finite delta, "
                               f"got kappa={kappa}, delta={delta}")
    s = kappa + delta
    tol = 1e-12
    if s > tol:
        name = "mean-field gradient flow" if kappa > tol else "classical gradient flow"
    elif abs(s) <= tol:
        name = "high-dimensional SGD (Saad-Solla)"
    elif -delta < (kappa + 1) / 2 - tol:
        name = "noise-dominated"
    else:
        name = "no deterministic limit"
    return Regime(name, kappa, delta, noise_exponent=-s, steps_exponent=1 + s)
