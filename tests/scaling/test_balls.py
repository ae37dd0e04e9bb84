"""flint-ball evaluations (workbench.scaling.balls, loss_arb) against the mpmath routines they
replace in the slow claims: the same values to the working precision at 30 and 50 digits."""

import flint
import mpmath as mp
import pytest
from flint import arb, arb_series, fmpq

from workbench.errors import ConvergenceError
from workbench.scaling import loss_mp
from workbench.scaling.balls import (GUARD_BITS, expm1, gamma_ratio_arb, log1p, series_length, to_arb,
                                     to_mpf)
from workbench.scaling.loss import loss_arb
from workbench.scaling.targets import gamma_ratio, hemisphere_energy, hemisphere_energy_arb

DIGITS = (30, 50)


def _gamma_ratio_reference(z, a, b):
    """The mpmath implementation that :func:`gamma_ratio` replaced: ``Gamma(z + a) / Gamma(z + b)`` for real ``z > 0``, accurate at any ``z``.

    At large ``z``, forming ``z + a`` at the working precision rounds ``a`` away (``10^100 + 1/2``
    at 30 digits), and ``log Gamma(z + a) - log Gamma(z + b)`` cancels ``log2(z log z)`` bits.
    Both are done with that many extra bits, so the ratio keeps the working precision.  Beyond
    ``z = 2^prec`` the first two terms of the asymptotic series are exact to the precision.
    """
    z = mp.mpf(z)
    if z < 64:
        return mp.gamma(z + a) / mp.gamma(z + b)
    a, b = mp.mpf(a), mp.mpf(b)
    if z > 2 ** mp.mp.prec:       # 1/z below the precision: z^(a-b) (1 + (a-b)(a+b-1)/(2z)) is exact
        return z ** (a - b) * (1 + (a - b) * (a + b - 1) / (2 * z))
    extra = int(mp.log(z * mp.log(z), 2)) + 20 + max(0, int(mp.log(z, 2)))
    with mp.workprec(mp.mp.prec + extra):
        value = mp.exp(mp.loggamma(z + a) - mp.loggamma(z + b))
    return +value



def close(x, y, dps, ulps=8):
    """``|x/y - 1|`` within a few units in the last place of ``dps`` digits."""
    return abs(x / y - 1) <= ulps * mp.mpf(10) ** -dps


def in_balls(f, *args):
    """``f(*args)`` in flint at the working mpmath precision plus guard bits, back as an mpf."""
    with flint.ctx.workprec(mp.mp.prec + GUARD_BITS):
        return to_mpf(f(*args))


@pytest.mark.parametrize("dps", DIGITS)
def test_conversion_is_exact_both_ways(dps):
    with mp.workdps(dps):
        for x in (mp.mpf(2) / 3, -mp.pi, mp.mpf(10) ** 300 / 7, mp.mpf(0)):
            with flint.ctx.workprec(mp.mp.prec + GUARD_BITS):
                assert to_mpf(to_arb(x)) == x


def test_an_inaccurate_ball_is_refused_not_rounded():
    with mp.workdps(30), pytest.raises(ConvergenceError, match="accurate to"):
        to_mpf(arb(1, 1e-10))


def test_flint_precision_and_series_length_are_restored():
    prec, cap = flint.ctx.prec, flint.ctx.cap
    with mp.workdps(40):
        loss_arb(lambda n: n ** -2, lambda n: 1 / (n * (n + 1)), 10, modes=200)
        with series_length(5):
            assert flint.ctx.cap == 5
    assert (flint.ctx.prec, flint.ctx.cap) == (prec, cap)


@pytest.mark.parametrize("dps", DIGITS)
@pytest.mark.parametrize("a, b", [(fmpq(1, 2), fmpq(2)), (fmpq(1, 2), fmpq(5, 2)), (fmpq(0), fmpq(1, 3))])
def test_gamma_ratio_matches_the_mpmath_routine(dps, a, b):
    """Every branch: integer difference (a product), Gamma at the midpoint with extra bits,
    and the two-term asymptotic beyond 2^prec."""
    with mp.workdps(dps):
        am, bm = mp.mpf(int(a.p)) / int(a.q), mp.mpf(int(b.p)) / int(b.q)
        for z in (mp.mpf(70) / 3, mp.mpf(10) ** 7 / 3, mp.mpf(10) ** 40 / 3, mp.mpf(10) ** 400 / 3):
            new = in_balls(lambda: gamma_ratio_arb(to_arb(z), arb(a), arb(b)))
            assert close(new, _gamma_ratio_reference(z, am, bm), dps, ulps=50), (z, a, b)
            assert close(gamma_ratio(z, am, bm), _gamma_ratio_reference(z, am, bm), dps, ulps=50)


def test_gamma_ratio_of_a_ball_covers_the_ratio_over_the_ball():
    with flint.ctx.workprec(120):
        z = arb(1000, 1e-6)
        r = gamma_ratio_arb(z, arb(0), arb(1) / 3)
        for edge in (arb(1000) - arb(1e-6), arb(1000) + arb(1e-6)):
            assert r.overlaps(edge.gamma() / (edge + arb(1) / 3).gamma())


@pytest.mark.parametrize("dps", DIGITS)
def test_expm1_and_log1p_keep_tiny_arguments(dps):
    with mp.workdps(dps):
        for x in (mp.mpf(10) ** -5, mp.mpf(10) ** -40, -mp.mpf(10) ** -200, mp.mpf(2) ** -(10 ** 6)):
            assert close(in_balls(expm1, to_arb(x)), mp.expm1(x), dps, ulps=2)
            assert close(in_balls(log1p, to_arb(x)), mp.log1p(x), dps, ulps=2)


def test_series_forms_give_the_derivatives():
    """expm1 / log1p / gamma_ratio of ``x0 + h`` give the Taylor coefficients of mpmath's functions."""
    with mp.workdps(30), flint.ctx.workprec(mp.mp.prec + GUARD_BITS), series_length(6):
        x0 = mp.mpf(3) / 1000
        s = arb_series([to_arb(x0), 1])
        for ball, ref in ((expm1(s), mp.expm1), (log1p(s), mp.log1p),
                          (gamma_ratio_arb(s + 40, arb(0), arb(1) / 3), lambda x: mp.gamma(x + 40) / mp.gamma(x + 40 + mp.mpf(1) / 3))):
            expected = mp.taylor(ref, x0, 5)
            for c, e in zip(ball.coeffs(), expected):
                assert abs(to_mpf(c, 60) - e) <= mp.mpf(10) ** -25 * (1 + abs(e))


@pytest.mark.parametrize("dps", DIGITS)
def test_hemisphere_energy_in_balls_matches_mpmath(dps):
    with mp.workdps(dps):
        for d in (2, 3, 4, 5):
            for j in (mp.mpf(1), mp.mpf(37) / 2, mp.mpf(10) ** 9 + mp.mpf(1) / 3):
                assert close(in_balls(hemisphere_energy_arb, d, to_arb(j)), hemisphere_energy(d, j), dps, ulps=50)


def _power_law(mode, nu, kappa):
    """``lambda_n = n^-nu``, ``c_n^2 = n^-kappa - (n+1)^-kappa``, written without cancellation."""
    if mode == "mp":
        nu, kappa = mp.mpf(int(nu.p)) / int(nu.q), mp.mpf(int(kappa.p)) / int(kappa.q)
        return lambda n: n ** -nu, lambda n: -n ** -kappa * mp.expm1(-kappa * mp.log1p(1 / n))
    return lambda n: n ** -nu, lambda n: -n ** -kappa * expm1(-kappa * log1p(1 / n))


@pytest.mark.parametrize("dps", DIGITS)
@pytest.mark.parametrize("nu, kappa", [(fmpq(2), fmpq(1, 2)), (fmpq(4, 3), fmpq(1, 3))])
def test_loss_arb_matches_loss_mp_on_power_laws(dps, nu, kappa):
    """The velikanov_yarotsky sequence: infinite modes (the Euler-Maclaurin integral to n ~ e^10^19)."""
    with mp.workdps(dps):
        for t in (16, 16 * 2 ** 20):
            new = loss_arb(*_power_law("arb", nu, kappa), t)
            assert close(new, loss_mp(*_power_law("mp", nu, kappa), t), dps)


@pytest.mark.parametrize("dps", DIGITS)
def test_loss_arb_matches_loss_mp_with_finite_modes(dps):
    with mp.workdps(dps):
        for t, modes in ((0.5, 50), (50, 3000), (10, 10 ** 8)):
            new = loss_arb(lambda k: k ** -2, lambda k: 1 / (k * (k + 1)), t, modes=modes)
            old = loss_mp(lambda k: k ** -2, lambda k: 1 / (k * (k + 1)), t, modes=modes)
            assert close(new, old, dps)


@pytest.mark.parametrize("dps", DIGITS)
def test_loss_arb_matches_loss_mp_on_the_hemisphere(dps):
    """The ntk_loss sequence (Gamma ratios in j), d = 2 (a product) and d = 3 (Gamma at the midpoint)."""
    from workbench_derivations.ntk_loss import odd_eigenvalue, odd_eigenvalue_arb
    with mp.workdps(dps):
        for d, t in ((2, 4096), (3, 16), (3, 2 ** 43)):
            new = loss_arb(lambda j: odd_eigenvalue_arb(d, j), lambda j: hemisphere_energy_arb(d, j), t,
                           direct=1000, order=6)
            old = loss_mp(lambda j: odd_eigenvalue(d, j), lambda j: hemisphere_energy(d, j), t,
                          direct=1000, order=6)
            # loss_mp's numerical derivatives cost it up to ~2 digits at 30 (loss_arb's are exact)
            assert close(new, old, dps, ulps=500)


def test_loss_arb_refuses_bad_time():
    from workbench import InvalidParameter
    with pytest.raises(InvalidParameter, match="t must be positive"):
        loss_arb(lambda k: k ** -2, lambda k: k ** -2, -1)
