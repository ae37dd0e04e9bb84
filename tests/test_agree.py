"""Agree: two computations of one quantity, compared at two working precisions."""

import math
from fractions import Fraction

import mpmath as mp
import pytest

from workbench import Agree, Derivation, MalformedStatement, TwoPrecisions, run_check
from workbench.validate import validate_agree


def gamma_closed(x):
    return mp.gamma(x)


def gamma_integral(x):
    return mp.quad(lambda t: t ** (x - 1) * mp.exp(-t), [0, 1, mp.inf])


def test_closed_form_against_quadrature_is_verified_per_point():
    stmt = Agree(gamma_closed, gamma_integral, over=[mp.mpf(3) / 2, 2, 5], digits=20)
    ev = validate_agree(stmt)
    assert ev.verdict == "verified", ev.summary
    assert ev.precisions == [30, 40]
    assert len(ev.measured) == 3 and all(m.digits >= 20 for m in ev.measured.values())
    assert ev.details["series"]["digits"] and ev.digits >= 20


def test_almost_right_constant_is_refuted_with_the_point():
    wrong = lambda x: mp.gamma(x) * (1 + mp.mpf(10) ** -12)  # noqa: E731
    ev = validate_agree(Agree(wrong, gamma_integral, over=[2, 3], digits=20))
    assert ev.outcome == "refuted"
    assert "refuted at 2" in ev.summary


def test_fault_on_odd_points_only_is_found():
    def lhs(n):
        return mp.mpf(n) ** 2 + (mp.mpf(10) ** -25 if n % 2 else 0)
    ev = validate_agree(Agree(lhs, lambda n: mp.mpf(n) ** 2, over=range(2, 9), digits=30),
                        {}, TwoPrecisions(dps=40))
    assert ev.outcome == "refuted" and "refuted at 3" in ev.summary


def test_precision_blind_side_is_never_a_counterexample():
    """A double-precision side that misses at digit 15 cannot refute a 20-digit claim: it is
    not known to be accurate there, so the verdict is inconclusive."""
    blind = lambda x: float(mp.gamma(x)) * (1 + 3e-15)  # noqa: E731
    ev = validate_agree(Agree(blind, gamma_closed, over=[mp.mpf(1) / 3], digits=20))
    assert ev.outcome == "inconclusive", ev.summary


def test_a_side_that_is_inaccurate_at_the_lower_precision_is_inconclusive():
    """A truncated series whose error is fixed (not shrinking with precision) agrees only
    to ~12 digits at both precisions; each side is stable, so it IS a counterexample; but a
    side whose value moves between the precisions at the disagreement is undecided."""
    def moving(x):
        # accuracy tied to the working precision: ~ 10^-(dps - 25)
        return mp.exp(x) + mp.mpf(10) ** (-(mp.mp.dps - 25))
    ev = validate_agree(Agree(moving, mp.exp, over=[1], digits=20))
    assert ev.outcome == "inconclusive", ev.summary


def test_exact_zero_against_tiny_and_against_small():
    tiny = lambda k: mp.mpf(10) ** -(mp.mp.dps - 2)  # noqa: E731
    zero = lambda k: mp.mpf(0)  # noqa: E731
    assert validate_agree(Agree(zero, tiny, over=[1], digits=20)).verdict == "verified"
    small = lambda k: mp.mpf(10) ** -15  # noqa: E731
    assert validate_agree(Agree(zero, small, over=[1], digits=20)).outcome == "refuted"
    both = validate_agree(Agree(zero, zero, over=[1, 2], digits=20))
    assert both.verdict == "verified" and math.isinf(min(both.details["series"]["digits"])) is False


def test_exact_types_and_vectors():
    ev = validate_agree(Agree(lambda n: Fraction(1, n), lambda n: 1 / mp.mpf(n), over=[3, 7], digits=25))
    assert ev.verdict == "verified", ev.summary
    vec = Agree(lambda x: [mp.sin(x), mp.cos(x)], lambda x: (mp.cos(mp.pi / 2 - x), mp.sin(mp.pi / 2 - x)),
                over=[{"x": mp.mpf(1) / 7}], digits=25)
    assert validate_agree(vec).verdict == "verified"
    bad = Agree(lambda x: [mp.sin(x), mp.cos(x)], lambda x: (mp.sin(x), mp.cos(x) * (1 + 1e-9)),
                over=[{"x": 1}], digits=25)
    assert validate_agree(bad).outcome == "refuted"


def test_keyword_points_and_params_reach_both_sides():
    seen = []

    def lhs(k, d, scale):
        seen.append((k, d, scale, mp.mp.dps))
        return mp.mpf(k * d * scale)
    stmt = Agree(lhs, lambda k, d, scale: k * d * scale, over=[{"k": 1, "d": 2}], digits=10)
    assert validate_agree(stmt, {"scale": 3}, TwoPrecisions(dps=45)).verdict == "verified"
    assert seen == [(1, 2, 3, 45), (1, 2, 3, 55)]


@pytest.mark.parametrize("bad, match", [
    (dict(lhs=1), "lhs must be callable"), (dict(over=[]), "no points"), (dict(over="abc"), "sequence"),
    (dict(digits=0), "digits"), (dict(digits=2.5), "digits"), (dict(zero_scale=-1), "zero_scale"),
    (dict(over=[{"1k": 2}]), "argument names"), (dict(over=[None]), "neither"),
])
def test_malformed_agree(bad, match):
    kwargs = dict(lhs=mp.exp, rhs=mp.exp, over=[1], digits=10) | bad
    with pytest.raises(MalformedStatement, match=match):
        Agree(**kwargs)


@pytest.mark.parametrize("result", ["1.0", None, True, float("nan"), [], mp.mpf("inf")])
def test_a_side_returning_a_non_number_is_a_clear_error(result):
    D = Derivation("agree-bad")
    c = D.agree("x", lambda k: result, lambda k: 1, over=[1], digits=5)
    ev = run_check(c)
    assert ev.verdict == "error" and "lhs at 1" in ev.summary


def test_settings_that_cannot_confirm_are_refused():
    stmt = Agree(mp.exp, mp.exp, over=[1], digits=30)
    with pytest.raises(MalformedStatement, match="cannot confirm"):
        validate_agree(stmt, {}, TwoPrecisions(dps=20))


def test_two_double_precision_sides():
    """Both sides precision-blind (floats): agreement verifies to the digits a double holds;
    a disagreement is inconclusive, never a refutation (neither side is known to be accurate)."""
    import math as m
    same = validate_agree(Agree(lambda x: m.exp(x), lambda x: m.exp(x), over=[0.3, 1.7], digits=12))
    assert same.verdict == "verified", same.summary
    off = validate_agree(Agree(lambda x: m.exp(x), lambda x: m.exp(x) * (1 + 1e-9), over=[0.3], digits=12))
    assert off.outcome == "inconclusive", off.summary
    dyadic = validate_agree(Agree(lambda k: mp.mpf(3) / 2 ** 40, lambda k: mp.mpf(3) / 2 ** 40, over=[1],
                                  digits=20))
    assert dyadic.verdict == "verified"
