"""Fault class: quadrature with an absolute tolerance returns small integrals with few digits.

mpmath's ``quad`` stops when successive degrees agree to ``2^-prec`` absolutely, so an
integral of size 1e-25 at 30 digits had ~5 correct digits and an error estimate that looked
converged.  In the loss ``L(t) ~ t^-xi`` at large ``t`` this biased the values smoothly in
``t``, and the extrapolation turned the bias into a confident wrong constant (two correct
xi-table laws were refuted, 2e-4 off).  The references here are exact: for a pure power-law
spectrum the Mellin transform of ``sum_n n^-q exp(-2 t n^-p)`` has a single pole to the right,
so ``L(t) = Gamma((q-1)/p)/(2p) (2t)^(-(q-1)/p)`` up to a remainder ``exp(-c t^(1/(p+1)))``
that is far below 30 digits at the times used.
"""

import mpmath as mp
import pytest

from workbench.errors import ConvergenceError
from workbench.integrals import quad_relative
from workbench.scaling.loss import loss_arb, loss_mp


def _power_law_loss(p, q, t):
    P, Q = mp.mpf(p), mp.mpf(q)
    return mp.gamma((Q - 1) / P) / (2 * P) * (2 * t) ** (-(Q - 1) / P)


@pytest.mark.parametrize("p, q", [(2, 3), (7, 9), (1.5, 2.2)])
@pytest.mark.parametrize("exponent", [20, 30, 40])
@pytest.mark.parametrize("evaluator", ["mp", "arb"])
def test_loss_of_a_power_law_spectrum_is_exact_to_the_working_precision_at_huge_t(p, q, exponent, evaluator):
    with mp.workdps(30):
        t = mp.mpf(10) ** exponent
        P, Q = mp.mpf(p), mp.mpf(q)
        if evaluator == "mp":
            value = loss_mp(lambda n: n ** -P, lambda n: n ** -Q, t)
        else:
            value = loss_arb(lambda n: n ** -float(p), lambda n: n ** -float(q), t)
        exact = _power_law_loss(p, q, t)
        assert abs(value / exact - 1) < mp.mpf(10) ** -27


@pytest.mark.parametrize("start", [5, 30, 300])
def test_a_small_integral_keeps_its_relative_digits(start):
    """exp(-5 y) on [start, oo): mpmath.quad alone was 3.7e-5 off at start = 30 (30 digits)."""
    with mp.workdps(30):
        value = quad_relative(lambda y: mp.exp(-5 * y), [start, mp.inf])
        exact = mp.exp(-5 * mp.mpf(start)) / 5
        assert abs(value / exact - 1) < mp.mpf(10) ** -27


def test_the_unsafe_rule_really_fails_here():
    """The premise of the class: without rescaling, the same integral loses its digits."""
    with mp.workdps(30):
        plain = mp.quad(lambda y: mp.exp(-5 * y), [30, mp.inf])
        assert abs(plain * 5 * mp.exp(150) - 1) > mp.mpf(10) ** -10


def test_a_huge_integral_keeps_its_relative_digits():
    with mp.workdps(30):
        value = quad_relative(lambda y: mp.exp(300 - y * y), [-mp.inf, 0, mp.inf])
        assert abs(value / (mp.exp(300) * mp.sqrt(mp.pi)) - 1) < mp.mpf(10) ** -27


def test_an_unresolved_integral_is_an_error_not_digits():
    """A rule capped at a low degree cannot resolve 1/sqrt(x) oscillating: it must say so."""
    with mp.workdps(30):
        with pytest.raises(ConvergenceError, match="short of"):
            quad_relative(lambda x: mp.cos(200 * x) / mp.sqrt(x), [0, 1], maxdegree=3)


def test_an_integrand_zero_at_every_node_is_zero():
    with mp.workdps(30):
        assert quad_relative(lambda x: mp.mpf(0), [0, 1]) == 0


def test_cancellation_is_bounded_by_the_integral_of_the_modulus():
    """int_0^pi sin(x) cos(x) dx = 0: the promise is an error below 10^(3-dps) int |f| (= 1)."""
    with mp.workdps(30):
        assert abs(quad_relative(lambda x: mp.sin(x) * mp.cos(x), [0, mp.pi])) < mp.mpf(10) ** -27


def test_a_complex_integrand_is_refused_by_name():
    from workbench.errors import InvalidParameter
    with mp.workdps(30):
        with pytest.raises(InvalidParameter, match="the phase integral: the integrand must be real"):
            quad_relative(lambda x: mp.expj(x), [0, 1], "the phase integral")


# --- the same fault seen by the asymptotic validator ------------------------------------
# Sequences whose implementation loses digits smoothly in the variable: the loss of
# accuracy looks like a correction term to the extrapolation.  Whatever the claim, such a
# sequence must not be verified or refuted on the strength of its unreliable digits.

import sympy as sp  # noqa: E402

from workbench import Asymptotic, Extrapolation, Grid  # noqa: E402
from workbench.validate import validate_asymptotic  # noqa: E402

T = sp.Symbol("t", positive=True)


def _tail_by_plain_quad(tt):
    """int_{log t}^oo 5 exp(-5 y) dy = t^-5, by mpmath.quad with its absolute tolerance."""
    return mp.quad(lambda y: 5 * mp.exp(-5 * y), [mp.log(tt), mp.inf])


def _drifting(tt):
    """t^-2 (1 + 10^-12 log t) below 40 digits, exact above: a precision-dependent bias."""
    bias = mp.mpf(10) ** -12 * mp.log(tt) if mp.mp.dps < 40 else 0
    return tt ** -2 * (1 + bias)


@pytest.mark.parametrize("sequence, leading", [
    (_tail_by_plain_quad, T ** -5), (_tail_by_plain_quad, sp.Rational(10001, 10000) * T ** -5),
    (_drifting, T ** -2), (_drifting, sp.Rational(1000001, 1000000) * T ** -2)])
def test_a_sequence_that_loses_digits_gives_no_verdict(sequence, leading):
    stmt = Asymptotic(T, leading, sequence=sequence, corrections=1)
    ev = validate_asymptotic(stmt, Extrapolation(digits=10, dps=30, grid=Grid(start=16, ratio=4, points=12)))
    assert ev.outcome == "inconclusive", ev.summary
    assert "accurate to only" in ev.summary


def test_the_same_tail_by_the_relative_rule_is_verified():
    def tail(tt):
        return quad_relative(lambda y: 5 * mp.exp(-5 * y), [mp.log(tt), mp.inf])
    stmt = Asymptotic(T, T ** -5, sequence=tail, corrections=1)
    ev = validate_asymptotic(stmt, Extrapolation(digits=10, dps=30, grid=Grid(start=16, ratio=4, points=12)))
    assert ev.outcome == "supported", ev.summary


def test_no_quadrature_bypasses_the_relative_rule():
    """The class is closed at its source: mp.quad appears only inside workbench.integrals."""
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [f"{p.relative_to(root)}:{i}" for folder in ("workbench", "derivations")
                 for p in sorted((root / folder).rglob("*.py")) if p.name != "integrals.py"
                 for i, line in enumerate(p.read_text().splitlines(), 1)
                 if re.search(r"\bmp(math)?\.quad\(", line) and not line.lstrip().startswith("#")]
    assert not offenders, f"mp.quad outside workbench/integrals.py: {offenders}"


def test_the_mellin_sum_keeps_its_digits_where_mpmaths_hurwitz_zeta_does_not():
    """mpmath's zeta(22, 370) is 1e-9 accurate at 40 digits (an internal absolute cut-off); the
    built-in Mellin sums use an arb ball instead, found by the validator's precision check."""
    from workbench_derivations.asymptotics import hurwitz_zeta, mellin_sum
    with mp.workdps(80):
        ref_z, ref_s = hurwitz_zeta(22, 370), mellin_sum(8192, sp.Integer(1), sp.Integer(2))
    with mp.workdps(40):
        assert abs(mp.zeta(22, 370) / ref_z - 1) > mp.mpf(10) ** -20      # the premise
        assert abs(hurwitz_zeta(22, 370) / ref_z - 1) < mp.mpf(10) ** -38
        assert abs(mellin_sum(8192, sp.Integer(1), sp.Integer(2)) / ref_s - 1) < mp.mpf(10) ** -37
