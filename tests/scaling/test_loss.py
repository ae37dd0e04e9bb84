"""Loss of linearised gradient flow from a spectrum: compiled float64 sum, mpmath sum, bad input."""

import mpmath as mp
import numpy as np
import pytest

from workbench import InvalidParameter
from workbench.scaling import loss_curve, loss_curve_numpy, loss_mp


def test_compiled_sum_equals_numpy_sum():
    n = np.arange(1, 200_001, dtype=float)
    lam, c2 = n ** -1.5, n ** -1.0 - (n + 1) ** -1.0
    ts = np.geomspace(0.01, 1e9, 30)
    assert np.allclose(loss_curve(lam, c2, ts), loss_curve_numpy(lam, c2, ts), rtol=1e-13, atol=0)


def test_compiled_sum_with_an_irregular_spectrum():
    rng = np.random.default_rng(0)
    lam = np.sort(rng.exponential(size=5000))[::-1]
    c2 = rng.uniform(size=5000)
    ts = [0.1, 3.0, 400.0]
    assert np.allclose(loss_curve(lam, c2, ts), loss_curve_numpy(lam, c2, ts), rtol=1e-13)


def test_mp_sum_matches_direct_summation_for_finite_modes():
    with mp.workdps(30):
        lam = lambda k: k ** -2  # noqa: E731
        c2 = lambda k: 1 / (k * (k + 1))  # noqa: E731
        for t in (0.5, 50):
            direct = mp.fsum(c2(mp.mpf(k)) * mp.exp(-2 * lam(mp.mpf(k)) * t) for k in range(1, 3001)) / 2
            assert abs(loss_mp(lam, c2, t, modes=3000) / direct - 1) < mp.mpf(10) ** -27


def test_mp_sum_infinite_tail_is_the_limit_of_finite_sums():
    with mp.workdps(30):
        lam = lambda k: k ** -2  # noqa: E731
        # k^-1/2 - (k+1)^-1/2 written without cancellation (the integral reaches huge k)
        c2 = lambda k: -k ** -mp.mpf(0.5) * mp.expm1(-mp.mpf(0.5) * mp.log1p(1 / k))  # noqa: E731
        inf = loss_mp(lam, c2, 10)
        fin = loss_mp(lam, c2, 10, modes=10 ** 8)
        # the missing tail is (1/2) sum_{n > 1e8} c_n^2 (1 - O(t/n^2)) = (1/2)(1e8 + 1)^(-1/2) + O(1e-20)
        assert abs(inf - fin - (10 ** 8 + 1) ** -mp.mpf(0.5) / 2) < mp.mpf(10) ** -18


@pytest.mark.parametrize("lam, c2, t, message", [
    ([1.0, 0.5], [1.0], [1.0], "lengths must match"),
    ([1.0, -0.5], [1.0, 1.0], [1.0], "positive"),
    ([0.5, 1.0], [1.0, 1.0], [1.0], "non-increasing"),
    ([1.0, 0.5], [1.0, -1.0], [1.0], "non-negative"),
    ([1.0, 0.5], [1.0, 1.0], [0.0], "positive and finite"),
    ([], [], [1.0], "empty"),
])
def test_bad_spectra_are_refused(lam, c2, t, message):
    with pytest.raises(InvalidParameter, match=message):
        loss_curve(lam, c2, t)


def test_mp_sum_refuses_bad_time():
    with pytest.raises(InvalidParameter, match="t must be positive"):
        loss_mp(lambda k: k ** -2, lambda k: k ** -2, -1)
