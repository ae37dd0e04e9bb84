"""Numba checkers: Gram spectra and the finite-width NTK."""

import numpy as np
import pytest

from workbench import InvalidParameter
from workbench.kernels import eigenvalue
from workbench.kernels.finite_width import empirical_ntk, ntk_error
from workbench.kernels.gram import (exact_index_ordered, gram_deviation, gram_eigenvalues,
                                    gram_matrix, sample_sphere)


def test_compiled_gram_matches_numpy_evaluation():
    X = sample_sphere(50, 4, seed=1)
    from workbench.kernels import kernel, U
    compiled = gram_matrix("relu_ntk_bias", X)
    generic = gram_matrix(kernel((U + 1) * (1 - __import__("sympy").acos(U) / __import__("sympy").pi)
                                 + kernel("arccos1").expression), X)
    assert np.allclose(compiled, generic, atol=1e-12)


def test_gram_trace_is_kappa_one():
    # trace(K/n) = kappa(1) = sum_k N(d,k) mu_k exactly, for any sample
    ev = gram_eigenvalues("relu_ntk", 3, 300, seed=2)
    # float64 <x, x> = 1 - O(1e-16), and acos amplifies that to O(1e-8) at u = 1
    assert abs(ev.sum() - 2.0) < 1e-7


def test_top_gram_eigenvalues_approach_mu():
    exact, degrees = exact_index_ordered("arccos1", 3, 9)
    assert list(degrees[:4]) == [0, 1, 1, 1]
    emp = gram_eigenvalues("arccos1", 3, 1500, seed=0)[:9]
    # single eigenvalues scatter at O(n^-1/2); the mean of a degree group is much closer
    groups = [slice(0, 1), slice(1, 4), slice(4, 9)]
    group_err = max(abs(emp[g].mean() - exact[g][0]) / exact[g][0] for g in groups)
    single_err = np.max(np.abs(emp - exact) / exact)
    assert group_err < 0.01 < single_err


def test_gram_deviation_shrinks_and_is_reproducible():
    small = np.mean([gram_deviation("relu_ntk", 5, 250, s) for s in range(3)])
    large = np.mean([gram_deviation("relu_ntk", 5, 2000, s) for s in range(3)])
    assert large < small / 4
    assert gram_deviation("relu_ntk", 5, 400, 7) == gram_deviation("relu_ntk", 5, 400, 7)


def test_empirical_ntk_converges_like_inverse_sqrt_width():
    ms = np.array([100, 1600, 25600])
    err = np.array([np.mean([ntk_error(3, int(m), s) for s in range(4)]) for m in ms])
    slope = np.polyfit(np.log(ms), np.log(err), 1)[0]
    assert -0.65 < slope < -0.35


def test_empirical_ntk_at_identical_inputs():
    # Theta_m(x, x) -> kappa(1) = 2 (no bias) or 3 (bias)
    X = sample_sphere(5, 3, seed=3)
    assert np.allclose(empirical_ntk(X, X, 200_000, seed=0), 2.0, atol=0.03)
    assert np.allclose(empirical_ntk(X, X, 200_000, seed=0, bias=True), 3.0, atol=0.04)


def test_ntk_is_reproducible_per_seed():
    X, Y = sample_sphere(4, 3, 1), sample_sphere(4, 3, 2)
    assert np.array_equal(empirical_ntk(X, Y, 500, 9), empirical_ntk(X, Y, 500, 9))
    assert not np.array_equal(empirical_ntk(X, Y, 500, 9), empirical_ntk(X, Y, 500, 10))


@pytest.mark.parametrize("call, message", [
    (lambda: gram_eigenvalues("relu_ntk", 3, 200_000, 0), "MiB"),
    (lambda: sample_sphere(0, 3, 0), "n >= 1"),
    (lambda: sample_sphere(10, 1, 0), "d >= 2"),
    (lambda: empirical_ntk(np.ones((2, 3)), np.ones((2, 3)), 10, 0), "unit vectors"),
    (lambda: empirical_ntk(sample_sphere(2, 3, 0), sample_sphere(2, 3, 1), 0, 0), "width m"),
    (lambda: empirical_ntk(sample_sphere(2, 3, 0), sample_sphere(3, 3, 1), 5, 0), "shape"),
])
def test_bad_input(call, message):
    with pytest.raises(InvalidParameter, match=message):
        call()


def test_top_eigenvalues_by_lanczos_are_those_of_the_full_solve():
    from workbench.kernels.gram import top_eigenvalues
    K = gram_matrix("relu_ntk", sample_sphere(600, 5, seed=3)) / 600
    full = np.linalg.eigvalsh(K)[::-1]
    top = top_eigenvalues(K, 75, seed=3)              # the 4 top degree groups of relu_ntk, d=5
    assert top.shape == (75,) and np.all(np.diff(top) <= 0)
    assert np.max(np.abs(top - full[:75])) < 1e-12
    assert np.array_equal(top, top_eigenvalues(K, 75, seed=3))          # seeded: reproducible
    assert np.max(np.abs(gram_eigenvalues("relu_ntk", 5, 600, 3, top=75) - full[:75])) < 1e-12
    assert np.max(np.abs(top_eigenvalues(K, 590) - full[:590])) < 1e-12   # dense fallback
    with pytest.raises(InvalidParameter, match="top"):
        top_eigenvalues(K, 0)
