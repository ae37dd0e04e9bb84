"""Integrate the teacher-student ODEs: :func:`integrate` and the :class:`Trajectory` it returns.

The right-hand side is :func:`workbench.teacher_student.closure.rhs` (compiled with Numba);
the integrator is scipy's adaptive 8th-order Dormand-Prince (``DOP853``) at ``rtol``
(default 1e-10).  Conventions: :mod:`workbench.teacher_student.model` (time ``alpha =
steps/N``, learning rates ``eta/sqrt N`` for ``w`` and ``eta_v/N`` for ``v``).

Example (Saad & Solla, K = M = 2, from a near-symmetric start):

>>> import numpy as np
>>> tr = integrate(activation="erf", eta=0.5, T=np.eye(2), Q0=0.2 * np.eye(2),
...                R0=[[0.01, 0.0], [0.0, 0.0]], alphas=[0.0, 20.0])
>>> float(tr.eg[0]) > float(tr.eg[1])
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ConvergenceError, InvalidParameter
from .closure import eg_compiled, pack, quadrature_flag, rhs_compiled, unpack
from .model import (activation_code, as_spectrum, as_vector, check_joint, check_positive,
                    check_spd)

__all__ = ["integrate", "Trajectory", "generalisation_error", "ode_state", "crossing_time"]


@dataclass(frozen=True)
class Trajectory:
    """Order parameters and error along a solution, at the requested ``alphas``.

    ``Q`` (len, K, K), ``R`` (len, K, M), ``v`` (len, K) are totals over eigen-groups
    (``Q = W W^T / N``); ``Q_groups``/``R_groups`` (len, L, ...) resolve them by group;
    ``T``/``T_groups`` are the teacher's overlaps (constant in time).
    """

    alphas: np.ndarray
    eg: np.ndarray
    Q: np.ndarray
    R: np.ndarray
    v: np.ndarray
    Q_groups: np.ndarray
    R_groups: np.ndarray
    T: np.ndarray
    T_groups: np.ndarray
    spectrum: np.ndarray
    activation: str
    steps: int

    def __len__(self):
        return self.alphas.size



def _solve_ivp():
    """scipy's solve_ivp, imported on first use (scipy.integrate costs 0.3 s at start-up, which every
    ``workbench`` command would otherwise pay through the derivation modules)."""
    from scipy.integrate import solve_ivp
    return solve_ivp

def _groups(name, A, L, shape, spd=False, semi=False):
    """A total (split equally over the L groups) or a per-group stack."""
    A = np.array(A, dtype=float)
    if A.shape == shape:
        if spd:
            check_spd(name, A, semi=semi)
        return np.repeat(A[None] / L, L, axis=0)
    if A.shape == (L,) + shape:
        if spd:
            for l in range(L):
                check_spd(f"{name}[{l}]", A[l], semi=True)
        return A.copy()
    raise InvalidParameter(f"{name} must have shape {shape} (total) or {(L,) + shape} "
                           f"(per eigen-group), got {A.shape}")


@dataclass(frozen=True)
class _Setup:
    K: int
    M: int
    L: int
    Tg: np.ndarray
    lam: np.ndarray
    vstar: np.ndarray
    eta: float
    eta_v: float
    sigma2: float
    wd: float
    act: int


def ode_state(*, activation="erf", eta, T=None, Q0, R0, v0=None, vstar=None, eta_v=0.0,
              sigma=0.0, weight_decay=0.0, spectrum=None, for_ode=True):
    """Check every input and return ``(setup, y0)``: the compiled RHS's arguments and packed state."""
    act = activation_code(activation)
    if activation == "relu" and for_ode:
        raise InvalidParameter(
            "the ODE closure has no closed form for ReLU, and tensor Gauss-Hermite quadrature of its "
            "step-function derivative is a jagged function of the overlaps (the adaptive integrator "
            "stalls); use activation='erf', 'linear' or 'tanh', or simulate() for ReLU")
    eta = check_positive("eta (learning rate)", eta)
    eta_v = check_positive("eta_v (second-layer learning rate)", eta_v, allow_zero=True)
    sigma = check_positive("sigma (label noise)", sigma, allow_zero=True)
    wd = check_positive("weight_decay", weight_decay, allow_zero=True)
    lam = as_spectrum(spectrum)
    L = lam.size
    Q0 = np.array(Q0, dtype=float)
    if Q0.ndim not in (2, 3) or Q0.shape[-1] != Q0.shape[-2] or Q0.shape[-1] < 1:
        raise InvalidParameter(f"Q0 must be K x K (K >= 1) or L x K x K, got shape {Q0.shape}")
    K = Q0.shape[-1]
    R0 = np.array(R0, dtype=float)
    if R0.ndim not in (2, 3) or R0.shape[-2] != K or R0.shape[-1] < 1:
        raise InvalidParameter(f"R0 must be K x M = {K} x M (M >= 1), got shape {R0.shape}")
    M = R0.shape[-1]
    T = np.eye(M) if T is None else T
    # Q0 may be singular (coinciding or zero students are realisable); T must be definite
    Qg = _groups("Q0", Q0, L, (K, K), spd=True, semi=True)
    Rg = _groups("R0", R0, L, (K, M))
    Tg = _groups("T", T, L, (M, M), spd=True)
    check_spd("Q0", Qg.sum(0), semi=True)
    check_spd("T", Tg.sum(0))
    for l in range(L):
        check_joint(Qg[l], Rg[l], Tg[l])
    v = as_vector("v0", v0, K, 1.0)
    vstar = as_vector("vstar", vstar, M, 1.0)
    setup = _Setup(K, M, L, Tg, lam, vstar, eta, eta_v, sigma ** 2, wd, act)
    return setup, pack(Qg, Rg, v)


def _f(setup: _Setup):
    s = setup
    args = (s.K, s.Tg, s.lam, s.vstar, s.eta, s.eta_v, s.sigma2, s.wd, s.act, quadrature_flag(s.act))
    return lambda t, y: rhs_compiled(y, *args)


def integrate(activation="erf", *, eta, Q0, R0, alphas, T=None, v0=None, vstar=None,
              eta_v=0.0, sigma=0.0, weight_decay=0.0, spectrum=None, rtol=1e-10,
              atol=None, method="DOP853") -> Trajectory:
    """Integrate the ODEs from ``(Q0, R0, v0)`` and report everything at ``alphas``.

    Parameters
    ----------
    activation : ``"erf"`` (``erf(x/sqrt 2)``) or ``"linear"`` (closed forms), ``"tanh"``
        (compiled Gauss-Hermite, about 1e-6 accurate for O(1) overlaps and about 100x slower)
    eta, eta_v : learning rates of ``w`` (scaled ``eta/sqrt N``) and ``v`` (``eta_v/N``);
        ``eta_v = 0`` keeps the second layer fixed at ``v0`` (default all ones).
    Q0, R0, T : initial overlaps ``W W^T/N``, ``W B^T/N`` and the teacher's ``B B^T/N``
        (default ``I``): totals, split equally over eigen-groups, or per-group stacks.
        ``Q0`` must be positive semi-definite, ``T`` positive definite, and the joint
        covariance ``[[Q0, R0], [R0^T, T]]`` positive semi-definite.
    vstar : teacher's second layer (default ones); ``sigma`` label-noise std;
    weight_decay : ``kappa`` per unit ``alpha`` (``w <- (1 - kappa/N) w`` per step).
    spectrum : eigenvalues ``lambda_l`` of the input covariance, one per group of equal size.
    alphas : increasing times ``alpha = steps/N`` (starting anywhere >= 0).
    """
    setup, y0 = ode_state(activation=activation, eta=eta, T=T, Q0=Q0, R0=R0, v0=v0,
                          vstar=vstar, eta_v=eta_v, sigma=sigma, weight_decay=weight_decay,
                          spectrum=spectrum)
    a = np.array(alphas, dtype=float).reshape(-1)
    if a.size < 1 or not np.all(np.isfinite(a)) or a[0] < 0 or np.any(np.diff(a) <= 0):
        raise InvalidParameter("alphas must be a non-empty, strictly increasing list of times >= 0")
    rtol = check_positive("rtol", rtol)
    atol = rtol * 1e-3 if atol is None else check_positive("atol", atol)
    ys, steps = _solve(setup, y0, a, method, rtol, atol)
    return _trajectory(setup, a, ys, activation, steps)


def _solve(setup, y0, a, method, rtol, atol):
    """Integrate segment by segment so that every requested time is a step end.

    scipy's dense output of DOP853 was measured to err by 4e-4 (relative, at rtol 1e-10)
    between the long steps of a slowly decaying solution, so it is not used.
    """
    f = _f(setup)
    y, t, nfev, step = y0, 0.0, 0, None
    out = np.empty((y0.size, a.size))
    for j, target in enumerate(a):
        if target > t:
            first = None if step is None else min(step, float(target) - t)
            sol = _solve_ivp()(f, (t, float(target)), y, method=method, rtol=rtol, atol=atol,
                            first_step=first)
            if not sol.success or not np.all(np.isfinite(sol.y[:, -1])):
                raise ConvergenceError(f"the ODE integration failed at alpha = {sol.t[-1]:.4g}: "
                                       f"{sol.message} (is eta above the stability limit?)")
            y, t, nfev = sol.y[:, -1], float(target), nfev + sol.nfev
            if sol.t.size > 2:          # the last full step (the final one is cut at the target)
                step = float(np.diff(sol.t)[-2])
        out[:, j] = y
    return out, nfev


def _trajectory(setup, a, ys, activation, steps):
    s = setup
    Qs, Rs, vs, egs = [], [], [], []
    for j in range(ys.shape[1]):
        Q, R, v = unpack(np.ascontiguousarray(ys[:, j]), s.L, s.K, s.M)
        Qs.append(Q.copy())
        Rs.append(R.copy())
        vs.append(v.copy())
        egs.append(eg_compiled(Q, R, s.Tg, s.lam, v, s.vstar, s.act))
    Qg, Rg = np.array(Qs), np.array(Rs)
    if not np.all(np.isfinite(egs)):
        raise ConvergenceError("the ODE solution diverged (eta above the stability limit?)")
    return Trajectory(alphas=a, eg=np.array(egs), Q=Qg.sum(1), R=Rg.sum(1), v=np.array(vs),
                      Q_groups=Qg, R_groups=Rg, T=s.Tg.sum(0), T_groups=s.Tg, spectrum=s.lam,
                      activation=activation, steps=steps)


def generalisation_error(activation, Q, R, T=None, v=None, vstar=None, spectrum=None) -> float:
    """``eps_g = E[(yhat - y_clean)^2]/2`` from the order parameters.

    For ``erf``: ``(1/pi) sum_ab c_a c_b arcsin(C_ab / sqrt((1+C_aa)(1+C_bb)))`` with
    ``c = (-v, v*)`` and ``C`` the field covariance (notes 1.3); linear: ``c^T C c / 2``.
    """
    R = np.asarray(R, dtype=float)
    M = R.shape[-1]
    setup, y = ode_state(activation=activation, eta=1.0, T=np.eye(M) if T is None else T,
                         Q0=Q, R0=R, v0=v, vstar=vstar, spectrum=spectrum, for_ode=False)
    Qg, Rg, vv = unpack(y, setup.L, setup.K, setup.M)
    return float(eg_compiled(Qg, Rg, setup.Tg, setup.lam, vv, setup.vstar, setup.act))


def crossing_time(level, *, alpha_max, activation="erf", eta, Q0, R0, T=None, v0=None,
                  vstar=None, eta_v=0.0, sigma=0.0, weight_decay=0.0, spectrum=None,
                  rtol=1e-10, atol=None) -> float:
    """The first ``alpha`` at which ``eps_g`` falls below ``level`` (``inf`` if not by ``alpha_max``).

    Located by a root-finding event of the adaptive integrator on the dense output, so it is
    accurate to the integration tolerance.  Used for plateau lengths.
    """
    setup, y0 = ode_state(activation=activation, eta=eta, T=T, Q0=Q0, R0=R0, v0=v0,
                          vstar=vstar, eta_v=eta_v, sigma=sigma, weight_decay=weight_decay,
                          spectrum=spectrum)
    level = check_positive("level", level)
    alpha_max = check_positive("alpha_max", alpha_max)
    rtol = check_positive("rtol", rtol)
    s = setup

    def event(t, y):
        Q, R, v = unpack(np.ascontiguousarray(y), s.L, s.K, s.M)
        return eg_compiled(Q, R, s.Tg, s.lam, v, s.vstar, s.act) - level

    event.terminal, event.direction = True, -1
    sol = _solve_ivp()(_f(setup), (0.0, alpha_max), y0, method="DOP853", rtol=rtol,
                    atol=rtol * 1e-3 if atol is None else atol, events=event)
    return float(sol.t_events[0][0]) if sol.t_events[0].size else float("inf")
