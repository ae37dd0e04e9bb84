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


def _relu_pair(caa, cab, cbb):
    """``E[relu(u_a) relu(u_b)]`` by 1-D quadrature, independent of the arc-cosine formula:
    ``u_a = sqrt(caa) x``; given x, ``u_b ~ N(m, s^2)`` and ``E relu = m Phi(m/s) + s phi(m/s)``."""
    import math

    import mpmath as mp
    sa = math.sqrt(caa)
    s = math.sqrt(max(cbb - cab * cab / caa, 0.0))

    def f(x):
        m = cab / sa * x
        inner = max(m, 0.0) if s == 0 else (m * 0.5 * math.erfc(-m / (s * math.sqrt(2)))
                                            + s * math.exp(-m * m / (2 * s * s)) / math.sqrt(2 * math.pi))
        return math.exp(-x * x / 2) / math.sqrt(2 * math.pi) * sa * x * inner
    return mp.fp.quad(f, [0, 4, 40])


def test_relu_simulation_error_uses_the_exact_arc_cosine_formula():
    # eps_g = E[(sum_i relu(lambda_i) - sum_n relu(nu_n))^2] / 2 at the simulated overlaps, each
    # pair average by 1-D quadrature (not the arc-cosine kernel the simulator uses)
    tr = simulate("relu", N=500, eta=0.2, alphas=[0.0, 1.0], seed=0, **START)
    assert tr.eg[1] < tr.eg[0]
    for j in range(2):
        C = np.block([[tr.Q[j], tr.R[j]], [tr.R[j].T, tr.T]])
        c = np.array([1.0, 1.0, -1.0, -1.0])
        want = sum(c[a] * c[b] * _relu_pair(C[a, a], C[a, b], C[b, b])
                   for a in range(4) for b in range(4)) / 2
        assert abs(tr.eg[j] - want) < 1e-10 * want, (j, tr.eg[j], want)


def _reference_sgd(W, B, v, vstar, scale, rng, steps, eta, eta_v, sigma, wd):
    """The straightforward per-step numpy loop of the module docstring (erf activation)."""
    from scipy.special import erf
    N = W.shape[1]
    g = lambda h: erf(h / np.sqrt(2))  # noqa: E731
    dg = lambda h: np.sqrt(2 / np.pi) * np.exp(-h * h / 2)  # noqa: E731
    decay = 1 - wd / N
    for _ in range(steps):
        x = rng.standard_normal(N) * scale
        lam, rho = W @ x / np.sqrt(N), B @ x / np.sqrt(N)
        delta = (sigma * rng.standard_normal() if sigma else 0.0) + vstar @ g(rho) - v @ g(lam)
        coef = eta / np.sqrt(N) * v * dg(lam) * delta
        if eta_v:
            v = decay * v + eta_v / N * g(lam) * delta
        W = decay * W + coef[:, None] * x[None, :]
    return W, v


@pytest.mark.parametrize("sigma, eta_v, wd, spectrum", [(0.0, 0.0, 0.0, None),
                                                        (0.3, 0.2, 0.1, [1.0, 0.25])])
def test_compiled_steps_follow_the_per_step_loop_with_the_same_random_stream(sigma, eta_v, wd,
                                                                              spectrum):
    """Normals drawn a block of steps at once (more steps than one block, not a multiple of it)
    are the per-step stream: the weights match a plain numpy loop seeded alike to rounding."""
    from workbench.teacher_student.simulate import BLOCK, initial_weights
    from workbench.teacher_student.ode import ode_state
    from workbench.teacher_student.closure import unpack
    N, steps = 60, 2 * BLOCK + 17
    tr = simulate(N=N, eta=0.7, alphas=[0.0, steps / N], seed=5, sigma=sigma, eta_v=eta_v,
                  weight_decay=wd, spectrum=spectrum, **START)
    s, y0 = ode_state(eta=0.7, Q0=START["Q0"], R0=START["R0"], sigma=sigma, eta_v=eta_v,
                      weight_decay=wd, spectrum=spectrum, for_ode=False)
    Qg, Rg, v = unpack(y0, s.L, s.K, s.M)
    W, B = initial_weights(N, Qg, Rg, s.Tg, 5)
    scale = np.sqrt(s.lam)[np.repeat(np.arange(s.L), N // s.L)]
    W, v = _reference_sgd(W, B, v.copy(), s.vstar, scale, np.random.default_rng(5), steps, 0.7,
                          eta_v, sigma, wd)
    assert np.allclose(tr.Q[-1], W @ W.T / N, rtol=1e-11, atol=1e-13)
    assert np.allclose(tr.R[-1], W @ B.T / N, rtol=1e-11, atol=1e-13)
    assert np.allclose(tr.v[-1], v, rtol=1e-12)
    assert not np.allclose(tr.Q[-1], tr.Q[0], atol=1e-3)      # the weights did move


def test_symmetric_eigensolver_matches_lapack_on_singular_and_definite_matrices():
    from workbench.teacher_student.quadrature import _sym_eig
    rng = np.random.default_rng(0)
    for m in (2, 3, 4):
        X = rng.standard_normal((m, m))
        for S in (X @ X.T, X[:, :1] @ X[:, :1].T, np.zeros((m, m)), np.diag(np.arange(m, 0, -1.0))):
            w, V = _sym_eig(S)
            scale = max(1.0, np.abs(S).max())
            assert np.allclose(np.sort(w), np.linalg.eigvalsh(S), atol=1e-13 * scale)
            assert np.allclose(V @ np.diag(w) @ V.T, S, atol=1e-13 * scale)
            assert np.allclose(V.T @ V, np.eye(m), atol=1e-13)


def test_closed_form_path_without_quadrature_gives_nan_not_a_wrong_number():
    """``quad=None`` prunes the Gauss-Hermite branches; for tanh that must show as NaN."""
    from workbench.teacher_student.closure import eg_kernel, quadrature_flag, rhs, rhs_compiled
    T, lam, v = np.eye(2)[None], np.ones(1), np.ones(2)
    Q, R = 0.5 * T, 0.1 * T
    assert quadrature_flag(1) is None and quadrature_flag(3) is True
    assert np.isnan(eg_kernel(Q, R, T, lam, v, v, 3, None))
    y = np.concatenate([Q.ravel(), R.ravel(), v])
    assert np.all(np.isnan(rhs_compiled(y, 2, T, lam, v, 0.5, 0.0, 0.0, 0.0, 3, None)[:4]))
    assert np.all(np.isfinite(rhs(y, 2, T, lam, v, 0.5, 0.0, 0.0, 0.0, 3)))
    assert np.isfinite(eg_kernel(Q, R, T, lam, v, v, 3, True))
