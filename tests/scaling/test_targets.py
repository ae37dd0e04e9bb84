import mpmath as mp
import pytest

from workbench.errors import InvalidParameter
from workbench.kernels import multiplicity
from workbench.scaling.targets import (degree_multiplicity, gamma_ratio, hemisphere_coefficient,
                                       hemisphere_energy, jump_coefficient, jump_energies, jump_norm2,
                                       zonal_coefficient_quadrature)


@pytest.mark.parametrize("d,k,a,m", [(2, 5, "0.3", 0), (3, 7, "-0.4", 1), (4, 6, "0.1", 2), (5, 1, "0.2", 1)])
def test_jump_coefficient_matches_quadrature(d, k, a, m):
    with mp.workdps(30):
        a = mp.mpf(a)
        g = lambda t: (t - a) ** m / mp.factorial(m) if t > a else 0 * t  # noqa: E731
        assert abs(jump_coefficient(d, k, a, m) - zonal_coefficient_quadrature(g, d, k, a)) < mp.mpf(10) ** -25


def test_parseval_for_a_cap():
    # sum_k E_k = E[f^2]; the tail beyond K = 2000 is about S_inf / K
    with mp.workdps(25):
        E = jump_energies(3, 2000, mp.mpf("0.3"), 0)
        assert 0 < jump_norm2(3, mp.mpf("0.3"), 0) - mp.fsum(E) < 1e-3
        assert abs(jump_norm2(3, mp.mpf("0.3"), 0) - (1 - mp.mpf("0.3")) / 2) < 1e-20   # cap area on S^2


def test_hemisphere_coefficients():
    with mp.workdps(30):
        assert hemisphere_coefficient(3, 1) == mp.mpf(1) / 4
        assert hemisphere_coefficient(3, 4) == 0
        for k in (3, 9):
            assert abs(hemisphere_energy(3, (k - 1) // 2) - multiplicity(3, k) * hemisphere_coefficient(3, k) ** 2) < 1e-28


def test_gamma_ratio_keeps_precision_at_huge_argument():
    with mp.workdps(30):
        z = mp.mpf(10) ** 40
        # Gamma(z + 1/2) / Gamma(z + 3/2) = 1 / (z + 1/2) exactly
        assert abs(gamma_ratio(z, mp.mpf(1) / 2, mp.mpf(3) / 2) * (z + mp.mpf(1) / 2) - 1) < 1e-28
        z = mp.mpf(10) ** 1000
        assert abs(gamma_ratio(z, 0, 1) * z - 1) < 1e-28
        assert abs(gamma_ratio(mp.mpf(100), 0, 1) * 100 - 1) < 1e-28


def test_degree_multiplicity_at_integers():
    for d in (2, 3, 5):
        assert all(degree_multiplicity(d, k) == multiplicity(d, k) for k in range(1, 10))


@pytest.mark.parametrize("args,word", [((1, 3, 0.2), "dimension"), ((3, 3, 1.0), "-1 < a < 1"),
                                       ((3, -1, 0.2), "degree"), ((3, 3, 0.2, -1), "derivative order")])
def test_bad_input(args, word):
    with pytest.raises(InvalidParameter, match=word):
        jump_coefficient(*args)


def test_gd_checker_bad_input_and_initial_loss():
    import numpy as np
    from workbench.scaling.gd import sphere_points, train_relu_network
    X = sphere_points(2, 64)
    y = (X[:, 1] >= 0).astype(float)
    # f starts at 0: the loss at step 0 is (1/2) mean y^2 exactly
    L = train_relu_network(X, y, 32, 0.5, [0, 5], seed=1)
    assert L[0] == 0.5 * np.mean(y ** 2) and L[1] < L[0]
    with pytest.raises(InvalidParameter, match="learning rate"):
        train_relu_network(X, y, 32, -0.1, [0, 5], seed=1)
    with pytest.raises(InvalidParameter, match="unit sphere"):
        train_relu_network(2 * X, y, 32, 0.1, [0, 5], seed=1)
    with pytest.raises(InvalidParameter, match="d = 2"):
        sphere_points(5, 100)
    with pytest.raises(InvalidParameter, match="increasing"):
        train_relu_network(X, y, 32, 0.1, [5, 0], seed=1)
