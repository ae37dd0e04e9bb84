"""The ODE closure: oracles, closed forms, consistency, and the integrator's accuracy."""

import math

import numpy as np
import pytest

from workbench.teacher_student import (generalisation_error, integrate, linear_error,
                                       linear_noise_floor, power_law_spectrum)

# nn2pp's unit test eg_erf_both / eg_lin_both (teacher-student-odes.md 1.3)
B = np.array([[-0.878181, -0.675171, 0.200794, -0.385201, -1.47387],
              [-0.0760653, -0.450636, 0.887182, 0.376101, -0.0873384]])
W = np.array([[1.04404, 0.583583, 1.43897, 0.963895, 0.795075],
              [-0.864295, -0.911849, 2.02883, 0.783554, -1.01488],
              [-0.451547, -0.772216, 0.780296, 0.799456, -0.0126815]])
V, VSTAR = [-1.3598, -0.0671005, -0.395626], [0.965846, -1.40304]
START = {"Q0": [[0.5, 0.1], [0.1, 0.4]], "R0": [[0.3, 0.05], [0.0, 0.2]]}


def test_generalisation_error_reproduces_nn2pp():
    Q, R, T = W @ W.T / 5, W @ B.T / 5, B @ B.T / 5
    assert generalisation_error("erf", Q, R, T, V, VSTAR) == pytest.approx(0.0803271, abs=1e-6)
    assert generalisation_error("linear", Q, R, T, V, VSTAR) == pytest.approx(0.287911, abs=1e-6)


def test_isotropic_linear_ode_matches_the_scalar_closed_form():
    # linear g, v = 1: eps obeys d eps/d alpha = -(2K eta - K^2 eta^2) eps + K^2 eta^2 sigma^2 / 2
    K, eta, sigma = 2, 0.3, 0.5
    al = np.array([0.0, 1.0, 5.0, 20.0])
    tr = integrate("linear", eta=eta, sigma=sigma, Q0=np.eye(K) * 0.01, R0=np.zeros((K, K)), alphas=al)
    rate = 2 * K * eta - K ** 2 * eta ** 2
    floor = eta * K * sigma ** 2 / (4 - 2 * eta * K)
    exact = floor + (tr.eg[0] - floor) * np.exp(-rate * al)
    assert np.allclose(tr.eg, exact, rtol=1e-9, atol=0)
    assert linear_noise_floor(K, eta, sigma) == pytest.approx(floor, rel=1e-12)


def test_spectral_linear_ode_matches_the_matrix_exponential():
    lam = power_law_spectrum(8, 1.0)
    al = [0.0, 1.0, 10.0, 100.0]
    cf = linear_error(K=2, eta=0.3, alphas=al, eps0=2.02 / 8, spectrum=lam, sigma=0.2)
    tr = integrate("linear", eta=0.3, sigma=0.2, Q0=np.eye(2) * 0.01, R0=np.zeros((2, 2)),
                   alphas=al, spectrum=lam)
    assert np.max(np.abs(cf - tr.eg)) < 1e-8 * cf[0]


def test_one_group_of_eigenvalue_one_is_the_isotropic_closure():
    a = integrate("erf", eta=0.5, alphas=[1.0, 3.0], **START).eg
    b = integrate("erf", eta=0.5, alphas=[1.0, 3.0], spectrum=[1.0], **START).eg
    assert np.array_equal(a, b)
    c = integrate("erf", eta=0.5, alphas=[1.0, 3.0], spectrum=[1.0, 1.0, 1.0, 1.0], **START).eg
    assert np.allclose(a, c, rtol=1e-9)


def test_requested_times_are_step_ends_not_interpolated():
    # scipy's dense output erred by 4e-4 here; every requested time must be integrated to
    al = [0.0, 1.0, 10.0, 100.0, 400.0]
    lam = power_law_spectrum(16, 1.0)
    cf = linear_error(K=2, eta=0.05, alphas=al, eps0=2.02 / 16, spectrum=lam, sigma=0.5)
    tr = integrate("linear", eta=0.05, sigma=0.5, Q0=np.eye(2) * 0.01, R0=np.zeros((2, 2)),
                   alphas=al, spectrum=lam, rtol=1e-10)
    assert np.max(np.abs(cf - tr.eg) / cf) < 1e-6


def test_second_layer_learns_and_weight_decay_shrinks():
    base = integrate("erf", eta=0.5, alphas=[0.0, 5.0], v0=[0.5, 0.5], **START)
    learn = integrate("erf", eta=0.5, eta_v=0.5, alphas=[0.0, 5.0], v0=[0.5, 0.5], **START)
    assert np.array_equal(base.v[-1], [0.5, 0.5]) and not np.allclose(learn.v[-1], [0.5, 0.5])
    assert learn.eg[-1] < base.eg[-1]
    decay = integrate("linear", eta=1e-9, weight_decay=0.1, alphas=[0.0, 2.0], **START)
    assert np.allclose(decay.Q[-1], np.array(START["Q0"]) * math.exp(-0.4), rtol=1e-6)
    assert np.allclose(decay.R[-1], np.array(START["R0"]) * math.exp(-0.2), rtol=1e-6)


def test_tanh_quadrature_closure_runs_and_stays_consistent():
    tr = integrate("tanh", eta=0.5, alphas=[0.0, 0.5], rtol=1e-7, **START)
    assert tr.eg[1] < tr.eg[0]
    assert tr.eg[0] == pytest.approx(generalisation_error("tanh", START["Q0"], START["R0"]), rel=1e-12)


def test_dense_then_sparse_output_times():
    # long steps on a fine grid followed by short gaps: the carried-over step must be cut
    al = np.concatenate([np.geomspace(1, 3000, 60), [3000.5, 3001.0]])
    tr = integrate("erf", eta=0.5, alphas=al, Q0=np.eye(2) * 1e-4, R0=[[2e-4, 1e-4], [1e-4, 1e-4]])
    assert np.all(np.isfinite(tr.eg)) and tr.eg.size == al.size
