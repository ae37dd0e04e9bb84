import math

import numpy as np
import pytest

from workbench.errors import InvalidParameter
from workbench.scaling.random_features import rf_trial, rf_trials
from workbench.scaling.ridge import (effective_ridge, kernel_learning_curve, power_law_features,
                                     rf_learning_curve)

LAM = power_law_features(400, 1.0)
W = np.ones(400)


def test_effective_ridge_solves_its_equation():
    for D, r in [(10, 0.0), (50, 1e-3)]:
        k = effective_ridge(LAM, D, r)
        assert abs(np.sum(LAM / (LAM + k)) + r / k - D) < 1e-9


def _direct_rf_losses(lam, D, P, seeds, ridge=0.0):
    """Population losses of linear random-feature ridge(less) regression, solved directly with
    numpy at small size (independent of ``rf_trial``): teacher ``omega ~ N(0, I)``, samples
    ``X = G Lambda^(1/2)``, projection ``W`` (P x S, or the identity for ``P = inf``)."""
    S, out = lam.size, []
    for s in seeds:
        rng = np.random.default_rng(10_000 + s)
        omega = rng.standard_normal(S)
        W = np.eye(S) if P == math.inf else rng.standard_normal((P, S))
        X = rng.standard_normal((D, S)) * np.sqrt(lam)
        Z = X @ W.T
        theta = (np.linalg.pinv(Z) @ (X @ omega) if ridge == 0 else
                 np.linalg.solve(Z.T @ Z + ridge * np.eye(Z.shape[1]), Z.T @ (X @ omega)))
        err = W.T @ theta - omega
        out.append(float(np.sum(lam * err ** 2)))
    return np.array(out)


def test_isotropic_spectrum_is_the_exact_projection_loss():
    # a closed case: lambda_i = lam, w_i = 1. Min-norm regression on D < S isotropic samples (or the
    # best fit in a random P-dim span) leaves the teacher's part outside a uniformly random
    # subspace of dimension n: E L = lam * (S - n) exactly, for every n.
    S, lam = 50, 2.0
    one = np.ones(S)
    for n in (1, 20, 49):
        assert abs(kernel_learning_curve(lam * one, one, n) - lam * (S - n)) < 1e-9
        assert abs(rf_learning_curve(lam * one, one, math.inf, n) - lam * (S - n)) < 1e-9
    assert kernel_learning_curve(lam * one, one, S) == 0.0     # as many samples as features: exact


@pytest.mark.parametrize("D,P", [(60, 20), (20, 60), (40, math.inf)])
def test_rf_curve_matches_a_direct_ridgeless_solve(D, P):
    # the deterministic equivalent (symmetric in D and P, inflation 1/(1 - n/m)) against numpy's
    # min-norm solution averaged over 400 seeds; the finite-size corrections at these sizes
    # ((D-1)/(D-P-1) vs D/(D-P) and the kernel equivalent at n = 20) are ~3%: tolerance 5% + 3 SE
    lam = power_law_features(100, 1.0)
    L = _direct_rf_losses(lam, D, P, range(400))
    want = rf_learning_curve(lam, np.ones(100), D, P)
    assert abs(L.mean() - want) < 0.05 * want + 3 * L.std() / 20, (L.mean(), want)


def test_rf_curve_diverges_at_the_interpolation_peak():
    # E tr (Z^T Z)^-1 of a square Gaussian design is infinite (inverse-Wishart's first moment needs
    # D >= P + 2), so the exact averaged loss at D = P is +inf, not merely large
    assert rf_learning_curve(LAM, W, 50, 50) == math.inf
    assert math.isfinite(rf_learning_curve(LAM, W, 52, 50))


def test_simulation_pairs_share_teacher_and_projection():
    # L(D, P) >= L(inf, P) seed by seed: the best fit in the span is a lower bound
    for s in range(5):
        assert rf_trial(s, 200, 20, LAM) >= rf_trial(s, math.inf, 20, LAM) - 1e-12


def test_simulation_matches_the_notes_oracle():
    # kernels-scaling.md 2.2: L(20, 60) = 0.1688 +- 0.0031 (400 trials)
    L = rf_trials(range(400), 20, 60, LAM)
    assert abs(L.mean() - 0.1688) < 3 * math.hypot(L.std() / 20, 0.0031)


@pytest.mark.parametrize("args,word", [((0, 20), "D"), ((20, 0.5), "P"), ((-3, 20), "D")])
def test_sizes_below_one_are_refused(args, word):
    with pytest.raises(InvalidParameter, match=word):
        rf_learning_curve(LAM, W, *args)
    with pytest.raises(InvalidParameter, match=word):
        rf_trial(0, *args, LAM)


def test_bad_spectra_and_ridge():
    with pytest.raises(InvalidParameter, match="positive"):
        kernel_learning_curve(np.array([1.0, -1.0]), np.ones(2), 3)
    with pytest.raises(InvalidParameter, match="different lengths"):
        kernel_learning_curve(LAM, np.ones(3), 3)
    with pytest.raises(InvalidParameter, match="ridge"):
        effective_ridge(LAM, 10, -1.0)
    with pytest.raises(InvalidParameter, match="ridge"):
        rf_trial(0, math.inf, 20, LAM, ridge=0.1)


def test_torus_interpolation_product_structure_and_bad_input():
    from workbench.scaling.interpolation import (multilinear_interpolate, product_interpolation_error)
    g = lambda x: np.cos(2 * np.pi * x) + 2  # noqa: E731
    # the interpolant is exact at the nodes; the d=1 error at n nodes is ~ h^4/120 int g''^2
    n = 256
    L = product_interpolation_error(g, n, 1)
    assert abs(L * n ** 4 / ((2 * np.pi) ** 4 / 2 / 120) - 1) < 1e-3
    V = np.multiply.outer(g(np.arange(8) / 8), g(np.arange(8) / 8))
    nodes = np.array([[0.25, 0.5], [0.0, 0.875]])
    assert np.allclose(multilinear_interpolate(V, nodes), g(nodes[:, 0]) * g(nodes[:, 1]))
    with pytest.raises(InvalidParameter, match="n >= 2"):
        product_interpolation_error(g, 1, 2)
    with pytest.raises(InvalidParameter, match="dimension"):
        product_interpolation_error(g, 8, 0)


def test_rf_ridge_curve_limits_and_bad_input():
    from workbench.scaling.ridge import rf_ridge_learning_curve
    lam = power_law_features(200, 1.0)
    w = np.ones(200)
    # ridge 0 above the peak: sigma^2 / (1 - P/D), averaged over the same projections
    assert abs(rf_ridge_learning_curve(lam, w, 80, 20, 0.0, range(16)) / rf_learning_curve(lam, w, 80, 20) - 1) < 0.05
    # at the peak D = P = 40 with ridge 1: a direct ridge solve averaged over 300 seeds gives
    # 0.112 +- 0.002 (the deterministic equivalent over 4 projections: 0.108); 5% + 3 SE.
    # (Predicting zero costs sum(lam) = 1.64; ridgeless at D = 40, P = 41 costs 2.05.)
    L = _direct_rf_losses(lam, 40, 40, range(300), ridge=1.0)
    want = rf_ridge_learning_curve(lam, w, 40, 40, 1.0, range(4))
    assert abs(L.mean() - want) < 0.05 * want + 3 * L.std() / math.sqrt(300), (L.mean(), want)
    with pytest.raises(InvalidParameter, match="finite D and P"):
        rf_ridge_learning_curve(lam, w, math.inf, 20, 0.1)
    with pytest.raises(InvalidParameter, match="below the number of teacher features"):
        rf_ridge_learning_curve(lam, w, 20, 200, 0.1)


def test_numba_draws_are_numpys_draws():
    # the fast draw must be numpy's stream, number for number (rare ziggurat tails included)
    from workbench.scaling.random_features import standard_normal
    want = np.random.default_rng(11).standard_normal((300, 700))
    assert np.array_equal(standard_normal(np.random.default_rng(11), 300, 700), want)


def test_grid_gives_each_size_the_numbers_of_its_own_trial():
    # sizes share each seed's draws (prefix rows), and the losses are those of rf_trial alone
    from workbench.scaling.random_features import rf_trials_grid
    pairs = [(30, 10), (60, 10), (math.inf, 10), (10, 30), (10, math.inf), (60, math.inf), (math.inf, 25)]
    grid = rf_trials_grid(range(3), pairs, LAM)
    single = np.array([[rf_trial(s, D, P, LAM) for s in range(3)] for D, P in pairs])
    np.testing.assert_allclose(grid, single, rtol=1e-12)
    assert np.all(grid[0] >= grid[2] - 1e-12) and np.all(grid[0] != grid[1])
