"""workbench.conjecture: measurement, closed forms, residues, check and to_claim, on sequences
written here (not the built-in claims)."""

import mpmath as mp
import pytest
import sympy as sp

from workbench import Derivation, InvalidParameter
from workbench.conjecture import conjecture, identify
from workbench.quantities import mu
from workbench.validate import run_check


def exact(x):
    return mp.mpf(x)


@pytest.fixture(scope="module")
def arccos1_even():
    return conjecture(lambda k: mu("arccos1", 5, k), "k", subsequence=(2, 0))


def test_exponent_and_closed_form_constant(arccos1_even):
    c = arccos1_even
    k = c.variable
    assert c.exponent == -7 and c.log_power == 0
    assert c.constant == 45 / sp.pi and c.closed_form
    assert sp.simplify(c.law - 45 / (sp.pi * k ** 7)) == 0
    assert c.status == "supported" and c.digits >= 40
    rec = c.evidence.details["identification"]["constant"]
    assert rec["max_coefficient"] == 2 and "pi" in c.evidence.details["basis"]
    assert c.evidence.details["identification"]["confirmation"]["constant_digits"] >= 40


def test_log_power_and_rational_exponent():
    c = conjecture(lambda k: 3 / (exact(k) ** 1.5 * mp.log(k)), "k")
    assert (c.exponent, c.log_power, c.constant) == (sp.Rational(-3, 2), -1, 3)
    assert c.status == "supported"


def test_real_variable_constant_combination():
    # t^2 (1/2 + pi/4) (1 + 1/t): a rational combination of the basis
    c = conjecture(lambda t: t ** 2 * (mp.mpf(1) / 2 + mp.pi / 4) * (1 + 1 / t), "t", integer=False)
    assert c.exponent == 2 and c.constant == sp.Rational(1, 2) + sp.pi / 4 and c.closed_form


def test_residue_classes_with_their_laws():
    c = conjecture(lambda k: (1 + (k % 3 == 0)) / exact(k), "k")
    k = c.variable
    assert c.residues == {"k = 0 mod 3": 2 / k, "k = 1 mod 3": 1 / k, "k = 2 mod 3": 1 / k}
    assert c.law == 2 / k and c.law_subsequence == (3, 0)


def test_parity_zeros_are_a_residue_law():
    c = conjecture(lambda k: mu("arccos1", 5, k), "k")
    assert c.residues["k = 1 mod 2"] == 0
    assert c.law_subsequence == (2, 0) and c.constant == 45 / sp.pi


def test_no_closed_form_in_the_basis():
    c = conjecture(lambda k: mp.e ** (exact(1) / 3) / exact(k) ** 2 * (1 + 1 / exact(k)), "k")
    assert not c.closed_form and isinstance(c.constant, sp.Float)
    assert abs(float(c.constant) - float(mp.e ** (mp.mpf(1) / 3))) < 1e-14
    assert c.digits >= 20 and "no closed form in this basis to 20 digits" in c.evidence.summary


def test_near_coincidence_rejected_at_twice_the_precision():
    # pi^2/6 to 17 digits, not beyond: PSLQ proposes it at 15 digits, the re-measure at 30 refuses
    c = conjecture(lambda k: (mp.pi ** 2 / 6 + mp.mpf(10) ** -17) / exact(k) ** 2
                   * (1 + 1 / exact(k)), "k", digits=15)
    ident = c.evidence.details["identification"]
    assert ident["constant"]["form"] == "pi**2/6"
    assert "rejected" in ident and not c.closed_form
    assert c.constant != sp.pi ** 2 / 6 and c.exponent == -2


def test_not_asymptotic_is_inconclusive_with_what_was_measured():
    c = conjecture(lambda k: mp.sin(k), "k")
    assert c.status == "inconclusive" and c.law is None
    c = conjecture(lambda t: (2 + mp.sin(2 * mp.pi * mp.log(t) / mp.log(2)) / 10) / t, "t",
                   integer=False)
    # exact 2/t on the primary grid (log2 t integer), log-periodic on the guard lattice
    assert c.status == "inconclusive" and not c.closed_form
    assert "unsupported_closed_form" in c.evidence.details["identification"]


def test_check_verdicts(arccos1_even):
    k = arccos1_even.variable
    assert arccos1_even.check(45 / (sp.pi * k ** 7)).verdict == "verified"
    wrong = arccos1_even.check(9 / (2 * sp.pi) * k ** -7)
    assert wrong.outcome == "refuted" and "14.3239448782705802" in wrong.summary
    assert arccos1_even.check(45 / sp.pi * k ** -6).outcome == "refuted"
    shallow = conjecture(lambda k: mu("arccos1", 5, k), "k", subsequence=(2, 0), digits=60)
    assert shallow.check(45 / (sp.pi * k ** 7)).outcome == "inconclusive"


def test_to_claim_round_trip(arccos1_even):
    D = Derivation("conj-test")
    claim = arccos1_even.to_claim(D, "arccos1-d5")
    assert claim.kind.value == "conjecture" and claim.statement.subsequence == (2, 0)
    assert run_check(claim).verdict == "verified"


def test_identify_user_basis_and_errors():
    with mp.workdps(40):
        x = mp.sqrt(5) * mp.pi / 7
        assert identify(x, 25, basis={"pi": sp.pi, "sqrt5": sp.sqrt(5)}).form == sp.sqrt(5) * sp.pi / 7
        assert identify(mp.gamma(mp.mpf(1) / 4) ** 2 / mp.sqrt(mp.pi), 25).form == \
            sp.gamma(sp.Rational(1, 4)) ** 2 / sp.sqrt(sp.pi)
    with pytest.raises(InvalidParameter, match="unknown basis constant"):
        identify(mp.mpf(2), 20, basis=["pi", "nope"])


@pytest.mark.parametrize("bad", [dict(digits=2), dict(variable="1k"), dict(grid="x")])
def test_bad_arguments(bad):
    with pytest.raises(InvalidParameter):
        conjecture(lambda k: 1 / exact(k), **bad)


def test_corrections_in_powers_of_t_to_the_minus_half():
    def a(t):   # 2/t + t^-3/2 (1 + O(1/t)): corrections t^(-j/2)
        t = mp.mpf(t)
        return 2 / t + mp.gamma(t) / mp.gamma(t + mp.mpf(3) / 2)
    c = conjecture(a, "t", integer=False, corrections=sp.Rational(1, 2), digits=12)
    assert (c.exponent, c.constant, c.closed_form) == (-1, 2, True)
    assert c.status == "supported" and c.corrections == sp.Rational(1, 2)
    assert c.to_claim(Derivation("corr-test"), "half").statement.corrections == sp.Rational(1, 2)


@pytest.mark.long      # about 20 s: the retry runs the measurement twice more
def test_log_corrections_retry_reaches_the_digits():
    # corrections k^-1 log k: the plain model stalls near 6 digits, the log-shaped one does not
    c = conjecture(lambda k: (3 + mp.log(k) / k) / exact(k) ** 2, "k", digits=15)
    assert c.status == "supported" and c.digits >= 15
    assert c.corrections.has(sp.log) and "kept" in c.evidence.details["log_corrections_retry"]
    assert abs(float(c.constant) - 3) < 1e-14
    plain = conjecture(lambda k: (3 + mp.log(k) / k) / exact(k) ** 2, "k", digits=15,
                       log_retry=False)
    assert plain.status == "inconclusive" and plain.digits < 15
