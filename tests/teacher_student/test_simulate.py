"""The compiled SGD simulator: reproducibility, exact initial overlaps, agreement with the ODE."""

import numpy as np
import pytest

from workbench.teacher_student import integrate, power_law_spectrum, simulate, simulate_seeds

START = {"Q0": [[0.5, 0.1], [0.1, 0.4]], "R0": [[0.3, 0.05], [0.0, 0.2]]}


def test_seeds_are_reproducible_and_independent_of_worker_count():
    kw = dict(N=300, eta=0.5, alphas=[0.0, 1.0, 2.0], **START)
    a = simulate(seed=3, **kw)
    b = simulate(seed=3, **kw)
    assert np.array_equal(a.Q, b.Q) and np.array_equal(a.eg, b.eg)
    assert not np.array_equal(simulate(seed=4, **kw).eg, a.eg)
    serial = simulate_seeds([3, 4], jobs=1, **kw)
    parallel = simulate_seeds([3, 4], jobs=2, **kw)
    assert all(np.array_equal(s.eg, p.eg) for s, p in zip(serial, parallel))


def test_initial_weights_have_exactly_the_requested_overlaps():
    lam = power_law_spectrum(4, 1.0)
    tr = simulate(N=400, eta=0.5, alphas=[0.0], seed=1, spectrum=lam, **START)
    assert np.allclose(tr.Q[0], START["Q0"], atol=1e-12)
    assert np.allclose(tr.R[0], START["R0"], atol=1e-12)
    assert np.allclose(tr.Q_groups[0], np.array(START["Q0"]) / 4, atol=1e-12)
    assert np.allclose(tr.T, np.eye(2), atol=1e-12)


def test_random_initialisation_has_the_stated_statistics():
    tr = simulate(N=20000, eta=0.5, alphas=[0.0], seed=2, K=3, M=2, init_std=0.1)
    assert np.allclose(tr.Q[0], 0.01 * np.eye(3), atol=4 * 0.01 * np.sqrt(2 / 20000))
    assert np.allclose(tr.T, np.eye(2), atol=4 * np.sqrt(2 / 20000))


@pytest.mark.parametrize("activation", ["erf", "linear"])
def test_sgd_mean_agrees_with_the_ode(activation):
    al = [0.5, 1.0, 2.0]
    ode = integrate(activation, eta=0.5, alphas=al, **START).eg
    runs = np.array([t.eg for t in simulate_seeds(range(12), activation=activation, N=2000, eta=0.5,
                                                  alphas=al, **START)])
    se = runs.std(axis=0, ddof=1) / np.sqrt(len(runs))
    assert np.all(np.abs(runs.mean(axis=0) - ode) < 4 * se)


def test_sgd_with_noise_second_layer_and_spectrum_agrees_with_the_ode():
    lam = power_law_spectrum(4, 1.0)
    kw = dict(eta=0.5, eta_v=0.3, sigma=0.3, weight_decay=0.01, spectrum=lam, v0=[0.8, 1.1],
              alphas=[1.0, 2.0], **START)
    ode = integrate("erf", **kw).eg
    runs = np.array([t.eg for t in simulate_seeds(range(12), activation="erf", N=2000, **kw)])
    se = runs.std(axis=0, ddof=1) / np.sqrt(len(runs))
    assert np.all(np.abs(runs.mean(axis=0) - ode) < 4 * se)


def test_relu_simulation_error_uses_the_exact_arc_cosine_formula():
    tr = simulate("relu", N=500, eta=0.2, alphas=[0.0, 1.0], seed=0, **START)
    assert tr.eg[1] < tr.eg[0]
