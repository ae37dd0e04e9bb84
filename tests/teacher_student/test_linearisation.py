"""The linearisation of the Saad-Solla ODEs (fixed_points.jacobian, stability, max_learning_rate,
final_phase_modes) against an independent one: central differences of the compiled float
right-hand side (closure.rhs, the erf closed forms the integrator uses), in the same
coordinates (upper Q, then R)."""

import mpmath as mp
import numpy as np
import pytest

from workbench.teacher_student.closure import eg_compiled, rhs
from workbench.teacher_student.fixed_points import (final_phase_modes, jacobian, max_learning_rate,
                                                    stability)

ERF = 1
Q0 = np.array([[0.5, 0.1], [0.1, 0.4]])
R0 = np.array([[0.3, 0.05], [0.0, 0.2]])
I2 = np.eye(2)


def _coords(K, M):
    return [("Q", i, k) for i in range(K) for k in range(i, K)] + [("R", i, m) for i in range(K) for m in range(M)]


def _state(x, K, M):
    Q, R = np.zeros((K, K)), np.zeros((K, M))
    for value, (kind, i, k) in zip(x, _coords(K, M)):
        if kind == "Q":
            Q[i, k] = Q[k, i] = value
        else:
            R[i, k] = value
    return Q, R


def _flow(x, K, M, eta):
    Q, R = _state(x, K, M)
    d = rhs(np.concatenate([Q.ravel(), R.ravel(), np.ones(K)]), K, np.eye(M)[None], np.ones(1),
            np.ones(M), eta, 0.0, 0.0, 0.0, ERF)
    dQ, dR = d[:K * K].reshape(K, K), d[K * K:K * K + K * M].reshape(K, M)
    return np.array([dQ[i, k] if kind == "Q" else dR[i, k] for kind, i, k in _coords(K, M)])


def _x(Q, R):
    K, M = R.shape
    return np.array([Q[i, k] if kind == "Q" else R[i, k] for kind, i, k in _coords(K, M)])


def _float_jacobian(Q, R, eta, h=1e-5):
    K, M = R.shape
    x0 = _x(Q, R)
    return np.array([(_flow(x0 + h * e, K, M, eta) - _flow(x0 - h * e, K, M, eta)) / (2 * h)
                     for e in np.eye(x0.size)]).T


def test_jacobian_and_stability_match_finite_differences_of_the_compiled_ode():
    # a generic (unsymmetric) state; the eta^2 term matters at eta = 0.5
    with mp.workdps(20):
        J = np.array(jacobian(Q0.tolist(), R0.tolist(), I2.tolist(), mp.mpf("0.5")).tolist(), dtype=float)
        st = np.array(stability(Q0.tolist(), R0.tolist(), I2.tolist(), mp.mpf("0.5")), dtype=float)
    Jf = _float_jacobian(Q0, R0, 0.5)
    assert np.abs(J - Jf).max() < 1e-8 * np.abs(Jf).max()
    assert np.allclose(st, np.sort(np.linalg.eigvals(Jf).real)[::-1], atol=1e-8)
    assert st[0] > 0 > st[-1]


def test_max_learning_rate_is_where_the_specialised_solution_loses_stability():
    eta_max = float(max_learning_rate(2, dps=15))
    # the compiled ODE's linearisation at Q = R = T = I: stable just below, unstable just above
    below = np.linalg.eigvals(_float_jacobian(I2, I2, eta_max * (1 - 1e-3))).real.max()
    above = np.linalg.eigvals(_float_jacobian(I2, I2, eta_max * (1 + 1e-3))).real.max()
    assert below < 0 < above


def _reference_modes(K, eta):
    J = _float_jacobian(np.eye(K), np.eye(K), eta)
    w, V = np.linalg.eig(J)                                  # unit-norm eigenvectors
    x0, h = _x(np.eye(K), np.eye(K)), 1e-5

    def eg(x):
        Q, R = _state(x, K, K)
        return eg_compiled(Q[None], R[None], np.eye(K)[None], np.ones(1), np.ones(K), np.ones(K), ERF)
    g = np.array([(eg(x0 + h * e) - eg(x0 - h * e)) / (2 * h) for e in np.eye(x0.size)])
    return sorted(zip(w.real, np.abs(g @ V)), key=lambda m: -m[0])


def test_final_phase_rates_and_which_modes_are_visible():
    modes = final_phase_modes(2, 0.5, dps=15)
    ref = _reference_modes(2, 0.5)
    assert np.allclose([r for r, _ in modes], [r for r, _ in ref], atol=1e-8)
    # the slowest mode (the notes' -0.044185 eta) does not move eps_g at first order; the fastest does
    assert modes[0][0] == pytest.approx(-0.044185 * 0.5, abs=1e-6) and modes[0][1] < 1e-10
    assert [v > 1e-6 for _, v in modes] == [v > 1e-6 for _, v in ref]


def test_final_phase_visibility_is_per_unit_eigenvector():
    modes = final_phase_modes(2, 0.5, dps=15)
    ref = _reference_modes(2, 0.5)
    visible = [(m, r) for m, r in zip(modes, ref) if r[1] > 1e-6]
    assert all(m[1] == pytest.approx(r[1], rel=1e-6) for m, r in visible), visible
