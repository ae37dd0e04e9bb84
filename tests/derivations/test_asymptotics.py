"""The built-in derivation `asymptotics`: its helpers and its claims."""

import mpmath as mp
import pytest
import sympy as sp

from workbench_derivations import asymptotics as A



@pytest.mark.parametrize("s", [mp.mpf(-0.5), mp.mpf(0.5), mp.mpf(-1.5), mp.mpf(-2), mp.mpf(3.25)])
@pytest.mark.parametrize("N", [1, 7, 300])
def test_hurwitz_zeta_matches_mpmath(s, N):
    with mp.workdps(40):
        mine, ref = A.hurwitz_zeta(s, N), mp.zeta(s, N)
        assert abs(mine - ref) <= mp.mpf(10) ** -36 * max(abs(ref), 1)


def test_power_sum_is_the_partial_sum():
    with mp.workdps(30):
        a = sp.Rational(1, 2)
        direct = mp.fsum(mp.sqrt(k) for k in range(1, 101))
        assert abs(A.power_sum(100, a) - direct) < mp.mpf(10) ** -25


def test_mellin_sum_matches_direct_summation_at_small_t():
    with mp.workdps(30):
        s, q, t = sp.Rational(1), sp.Rational(2), mp.mpf(3)
        direct = mp.nsum(lambda k: k ** -2 * mp.exp(-t / k ** 2), [1, mp.inf])
        assert abs(A.mellin_sum(t, s, q) - direct) < mp.mpf(10) ** -25


def test_gamma_correction_sequence_against_expansion():
    # n (Gamma(n+a)/Gamma(n+b) n^(b-a) - 1) -> (a-b)(a+b-1)/2 with an O(1/n) error
    with mp.workdps(30):
        val = A.gamma_ratio_correction_sequence(10 ** 6, sp.Rational(1, 2), sp.Integer(0))
        assert abs(val - mp.mpf(-1) / 8) < 1e-6


def test_every_builtin_asymptotic_claim_verifies_to_20_digits(verified):
    report = verified(["asymptotics"])
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
    for r in report.results.values():
        assert r.evidence.digits >= 20
