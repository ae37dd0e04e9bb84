"""Equality and Inequality statements checked at special and random admissible points."""

import mpmath as mp
import pytest
import sympy as sp
from flint import ctx as flint_ctx

from workbench import Equality, Inequality, MalformedStatement, RandomPoints
from workbench.validate import validate_equality, validate_inequality
from workbench.validate.balls import NotBallable, ball
from workbench.validate.numeric import Evaluator
from workbench.validate.points import sample_points

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


# -- sampling --------------------------------------------------------------------------------------
y = sp.Symbol("y", positive=True)


def _values(expr, sym, settings=RandomPoints()):
    return [p[sym] for p in sample_points([sym], settings, exprs=[expr])]


def test_breakpoints_of_floor_min_abs_are_sampled_with_neighbours():
    assert {40, 41, 42} <= set(_values(sp.floor(n / 41), n))
    near = [v for v in _values(sp.Min(x, 100), x) if abs(v - 100) < 1e-6]
    assert 100 in near and any(v < 100 for v in near) and any(v > 100 for v in near)
    assert any(abs(v - sp.Rational(7, 3)) < 1e-9 for v in _values(sp.Abs(3 * r - 7), r))


def test_two_symbol_breakpoint_puts_points_on_the_diagonal():
    pts = sample_points([x, y], RandomPoints(), exprs=[sp.Max(x, y)])
    assert any(p[x] == p[y] for p in pts)


def test_random_magnitudes_are_wide_and_reproducible():
    reals = [abs(v) for v in _values(r, r, RandomPoints(points=200))]
    ints = _values(n, n, RandomPoints(points=200))
    assert max(reals) > 1e6 and min(v for v in reals if v) < 1e-6
    assert max(ints) > 10 ** 9 and all(v >= 1 for v in ints)
    assert _values(r, r, RandomPoints(seed=3)) == _values(r, r, RandomPoints(seed=3))
    assert _values(r, r, RandomPoints(seed=3)) != _values(r, r, RandomPoints(seed=4))


def test_domain_is_open_for_reals_closed_for_integers():
    vals = [p[r] for p in sample_points([r], RandomPoints(), domain={r: (0, 1)})]
    assert all(0 < v < 1 for v in vals)
    ints = {p[n] for p in sample_points([n], RandomPoints(), domain={n: (3, 6)})}
    assert ints == {3, 4, 5, 6}


# -- ball arithmetic ---------------------------------------------------------------------------------
ONE_ARG = [sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.asin, sp.acos, sp.atan,
           sp.sinh, sp.cosh, sp.tanh, sp.asinh, sp.acosh, sp.atanh, sp.gamma, sp.loggamma,
           sp.digamma, sp.erf, sp.erfc, sp.erfi, sp.factorial, sp.zeta, sp.LambertW, sp.Abs, sp.re,
           sp.im, sp.conjugate, sp.arg, sp.floor, sp.ceiling, sp.frac, sp.sign, sp.Heaviside,
           lambda a: sp.besselj(2, a), lambda a: sp.besselk(sp.Rational(1, 2), a),
           lambda a: sp.binomial(a, 3), lambda a: sp.polygamma(1, a), lambda a: sp.Min(a, 1),
           lambda a: sp.beta(a, sp.Rational(5, 2)), lambda a: sp.RisingFactorial(a, 4)]
AT = [sp.Rational(3, 7), sp.Float(2.5), sp.Integer(-3), sp.Float(-0.75), sp.Integer(5),
      sp.Float(1.5) + sp.Float(0.25) * sp.I, -2 + sp.Float(2.0 ** -30) * sp.I,
      -2 - sp.Float(2.0 ** -30) * sp.I]


@pytest.mark.parametrize("f", ONE_ARG, ids=lambda f: getattr(f, "__name__", "lambda"))
def test_ball_encloses_what_mpmath_computes(f):
    s = sp.Symbol("s")
    expr = f(s)
    compared = 0
    for value in AT:
        num = Evaluator([s], [expr])({s: value}, 40)
        try:
            b = ball(expr, {s: value}, 200)
        except NotBallable:
            continue
        if num is None or not b.is_finite():
            continue
        got = complex(b.mid())
        assert abs(complex(num[0]) - got) <= 1e-25 * max(1.0, abs(got)), (value, num[0], b)
        compared += 1
    assert compared >= 2


def test_flint_precision_is_restored():
    before = flint_ctx.prec
    validate_equality(Equality(sp.gamma(x + 1), x * sp.gamma(x)))
    assert flint_ctx.prec == before


# -- verdicts ----------------------------------------------------------------------------------------
def test_refutation_says_whether_it_is_proved():
    ev = validate_equality(Equality(sp.exp(sp.pi * sp.sqrt(163)), 640320 ** 3 + 744))
    assert ev.outcome == "refuted" and ev.details["rigorous"] is True
    # Piecewise has no ball mapping: refuted numerically (difference stable across precisions)
    ev = validate_equality(Equality(sp.Piecewise((r, r > 1), (-r, True)), sp.Abs(r)))
    assert ev.outcome == "refuted" and ev.details["rigorous"] is False
    assert sp.Piecewise((r, r > 1), (-r, True)).subs(r, sp.sympify(ev.details["counterexample"]["r"])) \
        != abs(sp.sympify(ev.details["counterexample"]["r"]))


def test_exact_rational_points_decide_ties():
    ev = validate_inequality(Inequality(sp.StrictGreaterThan((r - sp.Rational(1, 3)) ** 2, 0,
                                                             evaluate=False)))
    assert ev.outcome == "refuted" and ev.details["rigorous"]
    assert ev.details["counterexample"] == {"r": "1/3"}


def test_ball_arithmetic_overrules_mpmath_cancellation():
    # cosh^2 - sinh^2 loses every digit in mpmath for x > 70 at dps 110; balls raise their precision
    ev = validate_equality(Equality(sp.cosh(x) ** 2 - sp.sinh(x) ** 2, 1, domain={x: (50, 2000)}))
    assert ev.verdict == "verified", ev.summary
    assert ev.details["rigorous_points"] == ev.grid["evaluated"]


def test_huge_exponentials_are_skipped_not_hung():
    ev = validate_equality(Equality(sp.exp(sp.exp(x)) * (1 + x) - x * sp.exp(sp.exp(x)),
                                    sp.exp(sp.exp(x))))
    assert ev.grid["skipped"] > 0 and ev.outcome != "refuted"


def test_both_sides_vanishing_agree():
    ev = validate_equality(Equality(sp.sin(sp.pi * n, evaluate=False), 0))
    assert ev.verdict == "verified" and "vanish" in ev.summary
