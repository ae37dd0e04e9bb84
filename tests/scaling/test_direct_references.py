"""Direct tests of scaling helpers used only through claims elsewhere: targets.jump_tail_constant
(against hand-derived tails on the circle and on S^2) and interpolation.interpolation_integrals
(against scipy quadrature of an explicit interpolant)."""

import math

import mpmath as mp
import numpy as np
import pytest
from scipy.integrate import quad

from workbench.scaling.interpolation import interpolation_integrals
from workbench.scaling.targets import jump_tail_constant


@pytest.mark.parametrize("a", [-0.5, 0.0, 0.3])
def test_jump_tail_constant_matches_the_hand_derived_tails(a):
    # cap indicator (m = 0).  Circle: Fourier energy 2 sin^2(k theta)/(pi k)^2, tail 1/(pi^2 K).
    # S^2: E_k = (P_(k-1)(a) - P_(k+1)(a))^2 / (4 (2k+1)) ~ sin(theta) sin^2(.)/(pi k^2), tail
    # sin(theta)/(2 pi K) (Darboux), theta = arccos a
    with mp.workdps(30):
        assert abs(jump_tail_constant(2, a) - 1 / mp.pi ** 2) < mp.mpf(10) ** -25
        assert abs(jump_tail_constant(3, a) - mp.sqrt(1 - mp.mpf(a) ** 2) / (2 * mp.pi)) < mp.mpf(10) ** -25


def test_jump_tail_constant_is_the_numerical_tail_on_s2():
    # K * sum_{k >= K} E_k from the exact Legendre coefficients of 1[u >= a] (total energy (1-a)/2)
    a, K = 0.3, 4000
    P = np.empty(K + 2)
    P[0], P[1] = 1.0, a
    for n in range(1, K + 1):
        P[n + 1] = ((2 * n + 1) * a * P[n] - n * P[n - 1]) / (n + 1)
    k = np.arange(1, K)
    E = (P[k - 1] - P[k + 1]) ** 2 / (4 * (2 * k + 1))
    tail = (1 - a) / 2 - ((1 - a) / 2) ** 2 - E.sum()       # E_0 = ((1-a)/2)^2
    assert abs(K * tail / float(jump_tail_constant(3, a)) - 1) < 0.01


def test_interpolation_integrals_against_quadrature():
    g = lambda x: np.cos(2 * np.pi * x) + 2 * np.sin(6 * np.pi * x) + 0.5  # noqa: E731
    n = 8
    nodes = np.arange(n + 1) / n

    def e(x):                                       # interpolant minus g (periodic, explicit)
        return np.interp(x, nodes, g(nodes)) - g(x)
    cells = list(nodes)
    C = sum(quad(lambda x: g(x) ** 2, lo, hi, epsabs=1e-14)[0] for lo, hi in zip(cells, cells[1:]))
    B = sum(quad(lambda x: g(x) * e(x), lo, hi, epsabs=1e-14)[0] for lo, hi in zip(cells, cells[1:]))
    E = sum(quad(lambda x: e(x) ** 2, lo, hi, epsabs=1e-14)[0] for lo, hi in zip(cells, cells[1:]))
    assert C == pytest.approx(0.5 + 2 + 0.25, rel=1e-12)      # int g^2 = 1/2 + 4/2 + 1/4
    got = interpolation_integrals(g, n)
    assert got == pytest.approx((C, B, E), rel=1e-10)
    assert got[2] > 0 and got[1] < 0
