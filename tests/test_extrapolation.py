"""Extrapolation methods: exactness on their model sequences, honesty off it."""

import mpmath as mp
import pytest

from workbench.validate.extrapolation import richardson, wynn_epsilon


def geometric_grid(points, start=16):
    return [start * 2 ** j for j in range(points)]


def test_richardson_exact_for_polynomial_corrections():
    with mp.workdps(40):
        n = geometric_grid(12)
        vals = [mp.pi + 3 / mp.mpf(k) - 7 / mp.mpf(k) ** 2 + mp.mpf(11) / k ** 3 for k in n]
        est = richardson([1 / mp.mpf(k) for k in n], vals, dps=40)
        assert abs(est.value - mp.pi) < mp.mpf(10) ** -35
        assert est.error < mp.mpf(10) ** -34


def test_wynn_removes_geometric_terms_of_any_ratio():
    # corrections n^-1/2 and n^-0.8: geometric in j on the grid, unknown to the method
    with mp.workdps(40):
        vals = [mp.e + mp.mpf(k) ** -0.5 - 2 * mp.mpf(k) ** -0.8 for k in geometric_grid(14)]
        est = wynn_epsilon(vals, dps=40)
        assert abs(est.value - mp.e) < mp.mpf(10) ** -30
        assert est.error >= abs(est.value - mp.e)


@pytest.mark.parametrize("tail", [
    lambda k: 1 / mp.sqrt(k),          # wrong correction step for Richardson in 1/n
    lambda k: 1 / mp.log(k),           # logarithmic: no method converges fast
    lambda k: mp.log(k) / k,           # log-modified power
])
@pytest.mark.parametrize("method", ["richardson", "wynn"])
def test_error_bar_covers_true_error_for_slow_corrections(tail, method):
    """The error bar may be pessimistic, never optimistic: |estimate - truth| <= error."""
    with mp.workdps(30):
        n = geometric_grid(14)
        vals = [1 + tail(mp.mpf(k)) for k in n]
        if method == "richardson":
            est = richardson([1 / mp.mpf(k) for k in n], vals, dps=30)
        else:
            est = wynn_epsilon(vals, dps=30)
        assert abs(est.value - 1) <= est.error


def test_error_floor_is_working_precision():
    with mp.workdps(30):
        est = richardson([mp.mpf(1) / k for k in range(1, 8)], [mp.mpf(2)] * 7, dps=30)
        assert est.value == 2
        assert est.error == pytest.approx(2e-27, rel=1e-6)


def test_richardson_with_an_exactly_repeated_estimate_does_not_divide_by_zero():
    # the last two column entries coincide exactly while the one before differs
    from workbench.validate.extrapolation import _best
    import mpmath as mp
    with mp.workdps(30):
        col = [mp.mpf(1), mp.mpf("1.5"), mp.mpf("1.5")]
        est = _best([col], "richardson", 30, 4)
    assert est.value == mp.mpf("1.5") and est.error == 4 * mp.mpf("0.5")
