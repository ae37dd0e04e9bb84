"""The asymptotic validator: verifies true claims to 20+ digits, refutes false ones
with the measured values, and never claims more digits than are true."""

import mpmath as mp
import pytest
import sympy as sp

from workbench import Asymptotic, Extrapolation, Grid, MalformedStatement
from workbench.validate import validate_asymptotic

n = sp.Symbol("n", positive=True, integer=True)
t = sp.Symbol("t", positive=True)
HALF = mp.mpf(1) / 2


def gamma_ratio(k):
    return mp.gamma(k + HALF) / mp.gamma(k)


def test_gamma_ratio_verified_to_20_digits():
    ev = validate_asymptotic(Asymptotic(n, sp.sqrt(n), sequence=gamma_ratio))
    assert ev.verdict == "verified"
    assert ev.digits >= 20
    assert ev.methods == ["richardson", "wynn-epsilon"]
    assert ev.precisions == [30, 45]
    # every method at every precision on every lattice is recorded with an error bar:
    # 2 primary runs + 12 residue lattices (every class mod m <= 12), 2 methods each
    assert len([k for k in ev.measured if k.startswith("exponent[")]) == 28
    assert len([k for k in ev.measured if k.startswith("constant[")]) == 28
    labels = [lat["label"] for lat in ev.grid["lattices"]]
    assert labels[:2] == ["primary", "primary"]
    assert {f"residue {c} mod 27720" for c in range(12)} <= set(labels)
    assert ev.grid["range"][0] == "16"                 # the evidence states the range it saw


def test_wrong_exponent_refuted_with_measured_exponent():
    ev = validate_asymptotic(Asymptotic(n, n ** sp.Rational(3, 5), sequence=gamma_ratio))
    assert ev.verdict == "failed" and ev.outcome == "refuted"
    measured = ev.measured["exponent"]
    assert abs(mp.mpf(measured.value) - HALF) < 1e-15
    assert mp.mpf(measured.error) < 1e-15
    assert "0.5000000000000000" in ev.summary
    assert ev.details["identified_exponent"] == "1/2"


def test_wrong_constant_refuted_with_measured_constant():
    ev = validate_asymptotic(Asymptotic(n, 2 * sp.sqrt(n), sequence=gamma_ratio))
    assert ev.outcome == "refuted"
    assert abs(mp.mpf(ev.measured["constant"].value) - 1) < 1e-20


def test_constant_off_in_the_20th_digit_is_not_verified():
    lead = (1 + sp.Rational(1, 10 ** 21)) * sp.sqrt(n)
    ev = validate_asymptotic(Asymptotic(n, lead, sequence=gamma_ratio),
                             Extrapolation(digits=22, dps=32))
    assert ev.verdict == "failed"


def _true_errors_within_bars(ev, exponent, constant):
    for key, m in ev.measured.items():
        truth = exponent if key.startswith("exponent") else constant
        assert abs(mp.mpf(m.value) - truth) <= mp.mpf(m.error), key


def test_slow_sqrt_correction_not_overclaimed():
    """a(n) = (1 + n^-1/2)/n with Richardson assuming powers of 1/n."""
    stmt = Asymptotic(n, 1 / n, sequence=lambda k: (1 + 1 / mp.sqrt(k)) / k)
    ev = validate_asymptotic(stmt)
    assert ev.verdict == "failed" and ev.outcome == "inconclusive"
    assert ev.digits < 5
    assert "n^-0.50" in ev.summary       # the hint names the correction it saw
    with mp.workdps(50):
        _true_errors_within_bars(ev, -1, 1)


def test_declared_sqrt_correction_verifies():
    # half-integer correction series: Wynn needs the rates 4^(-m/2) well apart (ratio 4)
    stmt = Asymptotic(n, 1 / n, sequence=lambda k: (1 + 1 / mp.sqrt(k)) / k,
                      corrections=sp.Rational(1, 2))
    ev = validate_asymptotic(stmt, Extrapolation(grid=Grid(start=16, ratio=4, points=16)))
    assert ev.verdict == "verified", ev.summary


@pytest.mark.parametrize("seq", [
    lambda k: (1 + 1 / mp.log(k)) / k,          # 1/log n corrections
    lambda k: (mp.log(k) + mp.euler) / (k * mp.log(k)),
])
def test_logarithmic_corrections_not_overclaimed(seq):
    ev = validate_asymptotic(Asymptotic(n, 1 / n, sequence=seq))
    assert ev.verdict == "failed"
    assert ev.digits < 4
    with mp.workdps(50):
        _true_errors_within_bars(ev, -1, 1)


def test_log_power_in_leading_term():
    stmt = Asymptotic(n, sp.log(n) / n, sequence=lambda k: mp.log(k) * (1 + 1 / mp.mpf(k)) / k)
    ev = validate_asymptotic(stmt)
    assert ev.verdict == "verified", ev.summary


def test_subsequence_parity():
    # a(n) = (1 + (-1)^n) / n^2: ~ 2 n^-2 along even n, zero along odd n
    seq = lambda k: (1 + (-1) ** k) / mp.mpf(k) ** 2  # noqa: E731
    even = Asymptotic(n, 2 / n ** 2, sequence=seq, subsequence=(2, 0))
    assert validate_asymptotic(even).verdict == "verified"
    odd = Asymptotic(n, 2 / n ** 2, sequence=seq, subsequence=(2, 1))
    ev = validate_asymptotic(odd)
    assert ev.outcome == "refuted" and "= 0 at every node" in ev.summary


def test_real_variable():
    # t -> oo: (1 + 1/t) e^{...}-free example with a real grid
    stmt = Asymptotic(t, 3 * t ** sp.Rational(-3, 2),
                      sequence=lambda x: 3 * x ** mp.mpf(-1.5) * (1 + 1 / x + 1 / x ** 2),
                      )
    ev = validate_asymptotic(stmt, Extrapolation(grid=Grid(start=1.5, ratio=2, points=18)))
    assert ev.verdict == "verified", ev.summary


def test_expression_instead_of_sequence():
    stmt = Asymptotic(n, n ** 2 / 2, expression=sp.binomial(n, 2))
    assert validate_asymptotic(stmt).verdict == "verified"


def test_precision_is_isolated():
    seen = []
    validate_asymptotic(Asymptotic(n, sp.sqrt(n), sequence=lambda k: seen.append(mp.mp.dps)
                                   or gamma_ratio(k)))
    assert set(seen) == {30, 45}
    assert mp.mp.dps == 15


@pytest.mark.parametrize("bad, message", [
    (lambda k: "oops", "not a number"),
    (lambda k: None, "not a number"),
    (lambda k: mp.nan, "nan"),
    (lambda k: mp.mpc(1, 1), "complex"),
])
def test_sequence_returning_non_numbers_is_a_clear_error(bad, message):
    from workbench import SequenceError
    with pytest.raises(SequenceError, match=message):
        validate_asymptotic(Asymptotic(n, 1 / n, sequence=bad))


@pytest.mark.parametrize("kwargs, message", [
    ({"leading": sp.exp(n)}, "not of the form"),
    ({"leading": 0 * n}, "constant 0"),
    ({"leading": sp.Symbol("c") * n}, "free symbols"),
    ({"leading": n, "sequence": 3}, "callable"),
    ({"leading": n, "corrections": -1}, "positive"),
    ({"leading": n, "subsequence": (0, 1)}, "step >= 1"),
])
def test_malformed_asymptotic_statements(kwargs, message):
    kwargs.setdefault("sequence", lambda k: k)
    with pytest.raises(MalformedStatement, match=message):
        Asymptotic(n, **kwargs)


def test_latex_of_asymptotic():
    s = Asymptotic(n, sp.sqrt(n), expression=sp.gamma(n + sp.Rational(1, 2)) / sp.gamma(n),
                   subsequence=(2, 1))
    tex = s.latex()
    assert r"\sim \sqrt{n}" in tex and r"\pmod{2}" in tex and r"\Gamma" in tex
