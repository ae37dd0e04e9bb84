"""Fixed points, stability and the plateau (Saad & Solla 1995; our notes 1.4)."""

import math

import mpmath as mp
import numpy as np
import pytest

from workbench.teacher_student import (crossing_time, escape_rate, plateau_height,
                                       specialised_rates, symmetric_fixed_point)
from workbench.teacher_student.fixed_points import escape_direction, plateau_height_expr
from workbench.teacher_student.spectral import spectral_escape_rate, spectral_plateau
from workbench.teacher_student import power_law_spectrum


@pytest.mark.parametrize("K", [2, 3])
def test_plateau_formula_at_30_digits(K):
    fp = symmetric_fixed_point(K, 0, dps=30)
    with mp.workdps(30):
        assert abs(fp.eg - plateau_height(K)) < mp.mpf(10) ** -29
        assert abs(fp.r - 1 / mp.sqrt(K * (2 * K - 1))) < mp.mpf(10) ** -29
    # the sympy form against an independent value: the erf closure's eps_g (the arcsin closed form
    # of the Gaussian averages, ode.generalisation_error) at the plateau state q = 1/(2K-1),
    # r = 1/sqrt(K(2K-1)) (Saad & Solla 1995), T = I
    from workbench.teacher_student import generalisation_error
    q, r = 1 / (2 * K - 1), 1 / math.sqrt(K * (2 * K - 1))
    eg = generalisation_error("erf", np.full((K, K), q), np.full((K, K), r))
    assert float(plateau_height_expr(K)) == pytest.approx(eg, rel=1e-13)


def test_plateau_heights_of_the_notes():
    for K, want in {2: 0.0116108, 3: 0.0202966, 4: 0.0283773, 5: 0.0362263, 10: 0.0744533}.items():
        assert float(plateau_height(K)) == pytest.approx(want, abs=6e-8)


def test_escape_rates_and_final_rate_match_the_notes():
    assert float(escape_rate(2, 0.5, dps=15)) == pytest.approx(3.434e-2, rel=1e-3)
    assert float(specialised_rates(2, 0.5)[0]) / 0.5 == pytest.approx(-0.044185, abs=1e-6)


def test_plateau_length_grows_like_log_of_inverse_asymmetry():
    lam, dQ, dR = escape_direction(2, 0.5, dps=15)
    fp = symmetric_fixed_point(2, 0.5, dps=15)
    Q, R, _ = fp.state()
    Q, R = np.array(Q, dtype=float), np.array(R, dtype=float)
    spread = np.eye(2) - 0.5
    t = [crossing_time(float(fp.eg) / 2, alpha_max=3000, eta=0.5, Q0=Q + d * spread, R0=R + d * dR)
         for d in (1e-6, 1e-8)]
    assert (t[1] - t[0]) * lam / math.log(100) == pytest.approx(1, abs=1e-3)


def test_spectral_plateau_has_the_isotropic_height_and_a_faster_escape():
    _, eg = spectral_plateau(2, power_law_spectrum(8, 1.0))
    assert eg == pytest.approx(float(plateau_height(2)), abs=1e-12)
    assert spectral_escape_rate(2, power_law_spectrum(8, 1.0)) == pytest.approx(0.2439, abs=1e-4)


def test_memoised_averages_are_the_direct_numbers_at_each_precision():
    # the memo of rhs_parts is keyed by precision and exact entries: same numbers as no memo
    from workbench.teacher_student import fixed_points as fpm
    from workbench.teacher_student.averages import erf_i4
    C = [[mp.mpf(1) / (i + k + 1) + (i == k) for k in range(4)] for i in range(4)]
    for dps in (20, 40, 20):
        with mp.workdps(dps):
            direct = erf_i4(fpm._Sub(C, (0, 1, 2, 3)), mp)
            assert fpm._average(erf_i4, C, (0, 1, 2, 3)) == direct
            assert fpm._average(erf_i4, C, (0, 1, 2, 3)) == direct


def test_flint_eigenvalues_agree_with_mpmath():
    from workbench.teacher_student.fixed_points import _real_parts_of_eigenvalues, jacobian
    with mp.workdps(30):
        eye = [[mp.mpf(int(i == k)) for k in range(2)] for i in range(2)]
        J = jacobian(eye, [r[:] for r in eye], eye, mp.mpf("0.7"))
        got = sorted(_real_parts_of_eigenvalues(J))
        want = sorted(mp.re(x) for x in mp.eig(J, left=False, right=False))
        assert max(abs(a - b) for a, b in zip(got, want)) < mp.mpf(10) ** -27
