"""Gaussian averages: erf closed forms against Gauss-Hermite quadrature (1e-10), and the
quadrature path against independent closed forms for other activations."""

import math

import mpmath as mp
import numpy as np
import pytest

from workbench import InvalidParameter
from workbench.teacher_student import I2, I3, I4, J2, gauss_hermite_average

ORACLE_C = np.array([[0.5227, 0.4015, -0.1549, -0.5577], [0.4015, 1.7774, -0.4186, -0.5644],
                     [-0.1549, -0.4186, 1.5185, 1.3031], [-0.5577, -0.5644, 1.3031, 3.9957]])


def random_covariance(n, seed):
    A = np.random.default_rng(seed).standard_normal((n, n + 2))
    return A @ A.T / (n + 2)


def test_reference_oracle_values():
    # the values in our notes (teacher-student-odes.md 1.2), 10 digits
    assert I2(ORACLE_C[:2, :2]) == pytest.approx(0.1250943435, abs=1e-10)
    assert I3(ORACLE_C[:3, :3]) == pytest.approx(-0.1231903957, abs=1e-10)
    assert I4(ORACLE_C) == pytest.approx(0.0716323158, abs=1e-10)
    assert J2(ORACLE_C[:2, :2]) == pytest.approx(0.3156404117, abs=1e-10)


@pytest.mark.parametrize("seed", range(4))
def test_erf_closed_forms_match_quadrature_to_1e_10(seed):
    C4 = random_covariance(4, seed)
    for which, f, n, pts in [("I2", I2, 2, 80), ("J2", J2, 2, 80), ("I3", I3, 3, 80), ("I4", I4, 4, 60)]:
        C = C4[:n, :n]
        assert abs(f(C) - gauss_hermite_average(C, "erf", which, points=pts)) < 1e-10, which


def test_closed_forms_at_high_precision():
    with mp.workdps(40):
        C = mp.matrix([[1, mp.mpf("0.3")], [mp.mpf("0.3"), 2]])
        A = np.array([[C[0, 0], C[0, 1]], [C[1, 0], C[1, 1]]], dtype=object)
        val = I2(A)
        assert isinstance(val, mp.mpf)
        assert abs(val - 2 / mp.pi * mp.asin(mp.mpf("0.3") / mp.sqrt(6))) < mp.mpf(10) ** -38


def test_linear_activation():
    C = random_covariance(4, 9)
    assert I2(C[:2, :2], "linear") == C[0, 1]
    assert I3(C[:3, :3], "linear") == C[1, 2]
    assert I4(C, "linear") == C[2, 3]
    assert gauss_hermite_average(C, "linear", "I4", points=10) == pytest.approx(C[2, 3], abs=1e-12)


def test_relu_quadrature_against_arccos_formula():
    # <relu(u1) relu(u2)> = s1 s2 (sin t + (pi - t) cos t) / (2 pi), cos t = C12/(s1 s2)
    C = np.array([[1.3, 0.4], [0.4, 0.7]])
    s1, s2 = math.sqrt(C[0, 0]), math.sqrt(C[1, 1])
    t = math.acos(C[0, 1] / (s1 * s2))
    exact = s1 * s2 * (math.sin(t) + (math.pi - t) * math.cos(t)) / (2 * math.pi)
    # the kink makes tensor Gauss-Hermite converge algebraically: measured 4e-5..3e-4 at
    # 50..150 points, so 1e-3 is the honest band for this method, not a loosened one
    for pts in (50, 100, 150):
        assert gauss_hermite_average(C, "relu", "I2", points=pts) == pytest.approx(exact, rel=1e-3)


def test_user_activation_pair():
    g = (np.sin, np.cos)
    C = np.array([[0.8, 0.2], [0.2, 0.5]])
    # <sin(u1) sin(u2)> = e^{-(C11+C22)/2} sinh(C12)
    exact = math.exp(-(C[0, 0] + C[1, 1]) / 2) * math.sinh(C[0, 1])
    assert gauss_hermite_average(C, g, "I2", points=60) == pytest.approx(exact, abs=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: I2(np.eye(3)), "2x2"),
    (lambda: I2(np.array([[1.0, 0.5], [0.2, 1.0]])), "symmetric"),
    (lambda: I2(np.array([[1.0, 2.0], [2.0, 1.0]])), "positive semi-definite"),
    (lambda: I2(np.eye(2), "softplus"), "no closed form or quadrature"),
    (lambda: gauss_hermite_average(np.eye(2), "erf", "I7"), "unknown average"),
    (lambda: gauss_hermite_average(np.eye(4), "erf", "I4", points=140), "MiB"),
    (lambda: gauss_hermite_average(np.eye(2), "erf", "I2", points=400), "2..150"),
])
def test_bad_input(call, message):
    with pytest.raises(InvalidParameter, match=message):
        call()


def test_sliced_grid_sums_to_the_whole_grid(monkeypatch):
    # large grids are summed slice by slice: the same quadrature, up to the order of additions
    from workbench.teacher_student import averages
    A = np.random.default_rng(3).standard_normal((4, 6))
    C = A @ A.T / 6
    whole = averages.gauss_hermite_average(C, "erf", "I4", points=20)
    monkeypatch.setattr(averages, "SLICE_ABOVE", 100)
    sliced = averages.gauss_hermite_average(C, "erf", "I4", points=20)
    assert sliced == pytest.approx(whole, rel=1e-13, abs=1e-16)
    assert sliced == pytest.approx(float(averages.I4(C)), abs=1e-6)
