"""The built-in derivation `velikanov_yarotsky`: xi = kappa/nu on exact power-law sequences."""


import mpmath as mp
import pytest
import sympy as sp

from workbench_derivations import velikanov_yarotsky as V
from workbench import Agree
from workbench.validate import validate_agree


def test_first_correction_formula_against_the_exact_sum():
    # t^(1/nu) (L/lead - 1) at t = 1e9 is the derived constant up to O(t^(-1/nu))
    nu, kappa = sp.Rational(2), sp.Rational(1, 2)
    with mp.workdps(30):
        seq = V.correction_sequence(10 ** 9, nu, kappa, 1, 1)
        const = mp.mpf(sp.N(V.correction_constant(nu, kappa, 1), 30))
        assert abs(seq / const - 1) < 1e-3


def _gamma_without_the_plus_one(kappa, nu, a):
    k, n, aa = mp.mpf(kappa), mp.mpf(nu), mp.mpf(a)
    return mp.gamma(k / n) * aa ** (-k / n)


def test_mellin_quadrature_refutes_a_wrong_closed_form():
    stmt = Agree(V.mellin_quadrature, _gamma_without_the_plus_one, over=V.MELLIN_POINTS[:1], digits=30)
    assert validate_agree(stmt).outcome == "refuted"


def test_the_compiled_float_sum_is_never_verified_beyond_double_precision():
    """13 digits (1e-13 relative) as before; a double cannot be shown to agree to 17."""
    assert V.D["compiled-sum"].statement.digits == 13
    stmt = Agree(V.compiled_loss, V.exact_loss, over=[{"t": 100}], digits=17)
    assert validate_agree(stmt).verdict != "verified"


@pytest.mark.slow
def test_velikanov_yarotsky_claims_verify_short_form(verified):
    report = verified(["velikanov_yarotsky/mellin-integral", "velikanov_yarotsky/mellin-antiderivative",
                       "velikanov_yarotsky/compiled-sum", "velikanov_yarotsky/xi-3o2_1_1_1"])
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
    assert report["velikanov_yarotsky/xi-2_1o2_1_1"].evidence.digits >= 20


@pytest.mark.long
def test_velikanov_yarotsky_claims_verify(verified):
    report = verified(["velikanov_yarotsky"])
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
