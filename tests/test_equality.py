"""Equality and Inequality statements checked at random admissible points."""

import mpmath as mp
import pytest
import sympy as sp

from workbench import Equality, Inequality, MalformedStatement, RandomPoints
from workbench.validate import validate_equality, validate_inequality

n = sp.Symbol("n", positive=True, integer=True)
x = sp.Symbol("x", positive=True)
z = sp.Symbol("z")          # no assumptions: complex
r = sp.Symbol("r", real=True)


def test_true_identity_verified_to_requested_digits():
    ev = validate_equality(Equality(sp.gamma(x + 1), x * sp.gamma(x)))
    assert ev.verdict == "verified"
    assert ev.digits >= 20
    # 32 random points plus the special values allowed for x > 0 (1, 2, 3, 10, 100, 1/2, ...)
    assert ev.grid["random"] == 32 and ev.grid["evaluated"] == ev.grid["n_points"] > 32
    assert ev.precisions == [30, 50]
    assert ev.details["rigorous_points"] == ev.grid["evaluated"]     # all confirmed by balls


def test_legendre_duplication_holds_for_complex_arguments():
    lhs = sp.gamma(z) * sp.gamma(z + sp.Rational(1, 2))
    rhs = 2 ** (1 - 2 * z) * sp.sqrt(sp.pi) * sp.gamma(2 * z)
    assert validate_equality(Equality(lhs, rhs)).verdict == "verified"


def test_false_identity_refuted_with_counterexample():
    ev = validate_equality(Equality(sp.gamma(n + 1), n ** n))
    assert ev.outcome == "refuted"
    pt = ev.details["counterexample"]
    k = int(pt["n"])
    assert mp.factorial(k) != mp.mpf(k) ** k       # the counterexample really is one


def test_almost_identity_refuted_beyond_float_precision():
    # exp(pi sqrt(58)) = 24591257752 - 1.8e-7: equal to 17 digits, invisible in float64
    lhs = sp.exp(sp.pi * sp.sqrt(58)) * x
    rhs = 24591257752 * x
    ev = validate_equality(Equality(lhs, rhs))
    assert ev.outcome == "refuted"


def test_assumptions_matter():
    # sqrt(z^2) = z is false for complex z (sympy's default), true for positive x
    assert validate_equality(Equality(sp.sqrt(z ** 2), z)).outcome == "refuted"
    assert validate_equality(Equality(sp.sqrt(x ** 2), x)).verdict == "verified"


def test_where_and_domain_restrict_sampling():
    stmt = Equality(sp.Abs(r), r, where=r > 0, domain={r: (-5, 5)})
    ev = validate_equality(stmt)
    assert ev.verdict == "verified"
    assert all(0 < sp.sympify(p["r"]) < 5 for p in ev.grid["points"])


def test_unsatisfiable_condition_is_a_clear_error():
    with pytest.raises(MalformedStatement, match="satisf"):
        validate_equality(Equality(r, r, where=sp.And(r > 1, r < 0)),
                          RandomPoints(max_tries=50))


def test_inequality_true_and_false():
    assert validate_inequality(Inequality(sp.log(1 + x) <= x)).verdict == "verified"
    ev = validate_inequality(Inequality(sp.log(1 + x) >= x))
    assert ev.outcome == "refuted" and "counterexample" in ev.details


def test_strict_inequality_at_equality_is_refuted():
    # 2^n >= n + 1 with equality at n = 1: the strict version fails there
    assert validate_inequality(Inequality(2 ** n >= n + 1)).verdict == "verified"
    ev = validate_inequality(Inequality(2 ** n > n + 1), RandomPoints(points=60))
    assert ev.outcome == "refuted"


@pytest.mark.parametrize("make", [
    lambda: Inequality(sp.Eq(x, x)),
    lambda: Inequality("not a relation ((("),
    lambda: Equality(x, x, domain={n: (0, 1)}),
    lambda: Equality(x, x, domain={x: (2, 1)}),
    lambda: Equality(x, x, where="banana"),
])
def test_malformed(make):
    with pytest.raises(MalformedStatement):
        make()


def test_latex_names_assumptions():
    tex = Equality(sp.gamma(n + 1), n * sp.gamma(n)).latex()
    assert r"\mathbb{Z}_{>0}" in tex
