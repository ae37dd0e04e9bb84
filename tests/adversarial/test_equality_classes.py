"""Hostile Equality/Inequality claims, one class per way a random-point validator can be fooled.

Each class has at least 5 false and 5 true claims written from the class's description.  The
bar: no false claim verified, no true claim refuted -- and, stronger, each false claim here is
refuted and each true claim verified.  Hypothesis generates more at the end.
"""

import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbench import Equality, Inequality
from workbench.validate import validate_equality, validate_inequality

R = sp.Rational
x = sp.Symbol("x", positive=True)
u = sp.Symbol("u", positive=True)
r = sp.Symbol("r", real=True)
k = sp.Symbol("k", integer=True, positive=True)
z = sp.Symbol("z")


def held(rel, a, b):
    """A relation sympy must not simplify to True/False before the validator sees it."""
    return Inequality(rel(a, b, evaluate=False))


def check(stmt, truth):
    if isinstance(stmt, Equality):
        assert stmt.lhs != stmt.rhs, "a trivial identity tests nothing"
        ev = validate_equality(stmt)
    else:
        ev = validate_inequality(stmt)
    if truth:
        assert ev.verdict == "verified", ev.summary
    else:
        assert ev.outcome == "refuted", ev.summary
        assert "counterexample" in ev.details


def cases(false, true):
    return [pytest.param(s, False, id=f"false:{i}") for i, s in enumerate(false)] + \
           [pytest.param(s, True, id=f"true:{i}") for i, s in enumerate(true)]


# -- 1. range: failures only at large (or tiny) arguments ---------------------------------------
RANGE = cases(
    false=[Equality(sp.floor(k / 41), 0),
           Equality(sp.Min(x, 100), x),
           held(sp.StrictLessThan, 2 ** k, k ** 12),
           held(sp.LessThan, x ** 2, 10 ** 6 * x),
           Equality(sp.Max(k, 10 ** 6), 10 ** 6),
           held(sp.StrictLessThan, sp.floor(sp.log(x, 10)), 5),
           held(sp.StrictLessThan, sp.tanh(x - 10 ** 4), 0),
           held(sp.StrictGreaterThan, sp.log(x), -15)],            # fails below x = 3e-7
    true=[Equality(sp.gamma(x + 1), x * sp.gamma(x)),
          Equality((x + 1) ** 2, x ** 2 + 2 * x + 1),
          Equality(sp.factorial(k + 1), (k + 1) * sp.factorial(k)),
          held(sp.GreaterThan, 2 ** k, k + 1),
          held(sp.LessThan, sp.log(1 + x), x),
          Equality(sp.binomial(k + 1, 2), k * (k + 1) / 2),
          held(sp.StrictLessThan, sp.atan(x), sp.pi / 2),
          held(sp.StrictGreaterThan, sp.sqrt(x ** 2 + 1), x)])


@pytest.mark.parametrize("stmt, truth", RANGE)
def test_range(stmt, truth):
    check(stmt, truth)


# -- 2. special points: integers, 0, +-1, rationals, non-smooth places --------------------------
SPECIAL = cases(
    false=[Equality(sp.floor(r) + sp.floor(-r), -1),
           held(sp.StrictGreaterThan, r ** 2 + 1, 2 * r),
           held(sp.StrictGreaterThan, sp.Abs(r), 0),
           Equality(sp.sign(r) ** 2, 1),
           Equality(sp.ceiling(r) - sp.floor(r), 1),
           held(sp.StrictGreaterThan, (r - R(1, 3)) ** 2, 0),
           held(sp.StrictGreaterThan, sp.Abs(x - 1), 0),
           held(sp.StrictGreaterThan, (k - 5) ** 2, 0),
           Equality(sp.Max(r, R(7, 3)) - sp.Min(r, R(7, 3)), sp.Abs(r) - R(7, 3))],
    true=[Equality(sp.floor(r) + sp.floor(-r), -1, where=sp.Ne(sp.frac(r), 0)),
          held(sp.GreaterThan, r ** 2 + 1, 2 * r),
          held(sp.LessThan, sp.floor(r), r),
          held(sp.LessThan, sp.ceiling(r) - sp.floor(r), 1),
          Equality(2 * sp.Heaviside(r), 1 + sp.sign(r)),
          Equality(sp.Max(r, 0) + sp.Min(r, 0), r),
          Equality(sp.Abs(r), sp.Max(r, -r)),
          held(sp.GreaterThan, sp.floor(2 * x), 2 * sp.floor(x))])


@pytest.mark.parametrize("stmt, truth", SPECIAL)
def test_special_points(stmt, truth):
    check(stmt, truth)


# -- 3. relative comparison: tiny sides compared to their own size -------------------------------
RELATIVE = cases(
    false=[Equality(sp.exp(-10000 * x), 2 * sp.exp(-10000 * x)),
           Equality(1 / sp.factorial(k + 40), 2 / sp.factorial(k + 40)),
           Equality(x ** -30, 2 * x ** -30),
           Equality(sp.exp(-x ** 2) * (1 + R(1, 10 ** 6)), sp.exp(-x ** 2)),
           Equality(sp.exp(-10 ** 6 - x), 0),
           Equality(sp.erfc(x + 30), 0),
           Equality(sp.gamma(x + 60) ** -1, (x + 60) * sp.gamma(x + 60) ** -1)],
    true=[Equality(1 / sp.factorial(k + 40), 1 / ((k + 40) * sp.factorial(k + 39))),
          Equality(sp.gamma(x + 50) ** -1 * (x + 49), sp.gamma(x + 49) ** -1),
          Equality(sp.erfc(x + 30), 1 - sp.erf(x + 30), domain={x: (0, 10)}),
          Equality(1 / sp.gamma(x + 1), 1 / (x * sp.gamma(x))),
          Equality(sp.exp(-10 ** 4 * x) * (1 + x), sp.exp(-10 ** 4 * x) + x * sp.exp(-10 ** 4 * x)),
          Equality(x ** -40 * (x + 1), x ** -39 + x ** -40)])


@pytest.mark.parametrize("stmt, truth", RELATIVE)
def test_relative(stmt, truth):
    check(stmt, truth)


# -- 4. exactness: a difference that does not shrink with precision refutes, however small ------
EXACT = cases(
    false=[Equality(sp.exp(sp.pi * sp.sqrt(163)), 640320 ** 3 + 744),
           Equality(sp.exp(sp.pi * sp.sqrt(163)) * x, (640320 ** 3 + 744) * x),
           Equality(sp.exp(sp.pi * sp.sqrt(58)), 24591257752),
           Equality(sp.pi, R(31415926535897932384626433832795028841, 10 ** 37)),
           Equality(sp.sqrt(2) * x, R(14142135623730950488016887242097, 10 ** 31) * x),
           Equality(sp.zeta(2), sp.pi ** 2 / 6 + R(1, 10 ** 35)),
           Equality(sp.gamma(x + 1), x * sp.gamma(x) * (1 + R(1, 10 ** 25)))],
    true=[Equality(sp.atan(1 / x) + sp.atan(x), sp.pi / 2),
          Equality(sp.gamma(x) * sp.gamma(1 - x), sp.pi / sp.sin(sp.pi * x), domain={x: (0, 1)}),
          Equality(sp.binomial(2 * k, k), sp.factorial(2 * k) / sp.factorial(k) ** 2),
          Equality(sp.sqrt(x) * sp.sqrt(x + 1), sp.sqrt(x ** 2 + x)),
          Equality(sp.log(x * u), sp.log(x) + sp.log(u)),
          Equality(sp.cos(2 * r), 1 - 2 * sp.sin(r) ** 2),
          Equality(sp.gamma(z) * sp.gamma(z + R(1, 2)),
                   2 ** (1 - 2 * z) * sp.sqrt(sp.pi) * sp.gamma(2 * z))])


@pytest.mark.parametrize("stmt, truth", EXACT)
def test_exactness(stmt, truth):
    check(stmt, truth)


# -- 5. inequalities between tiny quantities: ties decided relative to the sides -----------------
TINY = cases(
    false=[held(sp.StrictGreaterThan, sp.exp(-u), sp.exp(-u)),
           held(sp.StrictLessThan, sp.exp(-u), sp.exp(-u) / 2),
           held(sp.StrictLessThan, u ** -20, 0),
           held(sp.StrictLessThan, 1 / sp.factorial(k + 40), 1 / sp.factorial(k + 41)),
           held(sp.StrictGreaterThan, sp.exp(-10 ** 4 * u), sp.exp(-10 ** 4 * u) * (1 + sp.exp(-u))),
           held(sp.StrictGreaterThan, sp.erfc(u + 20), sp.exp(-(u + 20) ** 2)),
           held(sp.GreaterThan, u ** -30, 2 * u ** -30)],
    true=[held(sp.StrictGreaterThan, sp.exp(-u), sp.exp(-u) / 2),
          held(sp.StrictGreaterThan, u ** -20, 0),
          held(sp.StrictGreaterThan, 1 / sp.factorial(k + 40), 1 / sp.factorial(k + 41)),
          held(sp.StrictLessThan, sp.erfc(u + 20), sp.exp(-(u + 20) ** 2)),
          held(sp.GreaterThan, sp.exp(-10 ** 4 * u), sp.exp(-10 ** 4 * u)),
          held(sp.StrictGreaterThan, sp.exp(-u ** 2) * u ** -10, 0),
          held(sp.LessThan, u ** -30 / (1 + u ** -40), u ** -30)])


@pytest.mark.parametrize("stmt, truth", TINY)
def test_tiny_inequalities(stmt, truth):
    check(stmt, truth)


# -- generated claims ----------------------------------------------------------------------------
_rationals = st.fractions(min_value=-50, max_value=50, max_denominator=50).map(
    lambda f: R(f.numerator, f.denominator))
_few = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@_few
@given(a=_rationals, b=_rationals)
def test_generated_polynomial_identities_verify(a, b):
    lhs = (r + a) * (r + b)
    rhs = r ** 2 + (a + b) * r + a * b
    assume(lhs != rhs)
    check(Equality(lhs, rhs), True)


@_few
@given(a=_rationals.filter(lambda q: q != 0), digits=st.integers(1, 40), which=st.integers(0, 2))
def test_generated_perturbed_identities_are_refuted(a, digits, which):
    eps = R(1, 10 ** digits)
    coeffs = [1, 2 * a, a ** 2]
    coeffs[which] += eps * (coeffs[which] if coeffs[which] != 0 else 1)
    check(Equality((r + a) ** 2, coeffs[0] * r ** 2 + coeffs[1] * r + coeffs[2]), False)


@_few
@given(p=st.integers(-6, 6), q=st.integers(-6, 6), m=st.integers(1, 200), j=st.integers(0, 6))
def test_generated_monomial_inequalities(p, q, m, j):
    # x^q > t^(q-p) x^p with t = m / 2^j: the sides cross at x = t
    if p == q:
        return
    t = R(m, 2 ** j)
    lo, hi = min(p, q), max(p, q)
    big, small = x ** hi, t ** (hi - lo) * x ** lo
    check(held(sp.StrictGreaterThan, big, small), False)                   # fails for x <= t
    check(Inequality(sp.StrictGreaterThan(big, small, evaluate=False), where=x > t), True)
    check(Inequality(sp.StrictGreaterThan(big, small, evaluate=False), where=x >= t), False)
    check(Inequality(sp.GreaterThan(big, small, evaluate=False), where=x >= t), True)


# -- beyond the precision: the answer may be "inconclusive", never the wrong one -------------------
BEYOND = [
    pytest.param(Equality(sp.cosh(x) ** 2 - sp.sinh(x) ** 2, 1), True, id="cancellation-true"),
    pytest.param(held(sp.StrictLessThan, sp.exp(x), sp.exp(x) + 1), True, id="strict-below-resolution"),
    pytest.param(Equality(sp.erfc(x + 30), 1 - sp.erf(x + 30)), True, id="erfc-cancellation"),
    pytest.param(held(sp.StrictGreaterThan, sp.sin(sp.pi * k, evaluate=False), 0), False,
                 id="numeric-tie-strict-false"),
    pytest.param(held(sp.GreaterThan, sp.cosh(x) ** 2, sp.sinh(x) ** 2 + 2), False,
                 id="cancellation-false"),
]


@pytest.mark.parametrize("stmt, truth", BEYOND)
def test_beyond_precision_never_wrong(stmt, truth):
    ev = validate_equality(stmt) if isinstance(stmt, Equality) else validate_inequality(stmt)
    assert ev.outcome != ("refuted" if truth else "supported"), ev.summary


# -- the same without ball arithmetic (a function it cannot enclose, or a broken enclosure) -------
# mpmath alone: a side that cancels completely is exactly 0 at every working precision, so a
# difference that looks "stable" between two precisions proves nothing there.
def _no_balls(monkeypatch):
    from workbench.validate import point_verdicts
    from workbench.validate.balls import NotBallable

    def refuse(*args, **kwargs):
        raise NotBallable("disabled for this test")
    monkeypatch.setattr(point_verdicts, "ball", refuse)


@pytest.mark.parametrize("stmt", [
    Equality(sp.erfc(x + 30), 1 - sp.erf(x + 30)),
    Equality(1 - sp.tanh(x + 60), 2 / (sp.exp(2 * x + 120) + 1)),
    Equality(sp.exp(-x - 200), sp.cosh(x + 200) - sp.sinh(x + 200)),
], ids=["erfc", "tanh", "cosh-sinh"])
def test_a_side_that_cancels_to_zero_never_refutes_without_balls(stmt, monkeypatch):
    _no_balls(monkeypatch)
    ev = validate_equality(stmt)
    assert ev.outcome != "refuted", ev.summary


@pytest.mark.parametrize("stmt", [
    Equality(sp.exp(-x), 0),                       # a side written as 0 still refutes
    Equality(sp.erfc(x + 30), 2 - sp.erf(x + 30)),
], ids=["literal-zero", "off-by-one"])
def test_a_false_identity_is_still_refuted_without_balls(stmt, monkeypatch):
    _no_balls(monkeypatch)
    assert validate_equality(stmt).outcome == "refuted"
