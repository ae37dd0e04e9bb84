"""The endpoint-singularity theorem's pieces, each against values derived by hand (independent of
the claims that use them): the endpoint expansions of arc-cosine kernels, and the decay constant
against the exact eigenvalues of (1 -+ u)^nu on the circle (d = 2) and on S^2 (d = 3)."""

import mpmath as mp
import pytest
import sympy as sp

from workbench.kernels.singularity import decay_constant, endpoint_singularities, general_decay_constant

NUS = [sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(3, 2)]


def _by_hand(nu, d):
    """``mu_k k^(d + 2 nu - 1) -> C`` for ``kappa(u) = (1 - u)^nu`` (c_1 = 1, c_-1 = 0):
    d = 2, Fourier coefficients of ``(2 sin^2(theta/2))^nu`` (G&R 3.631.12):
        mu_k = 2^-nu (-1)^k Gamma(2nu+1) / (Gamma(nu+k+1) Gamma(nu-k+1)) -> -2^-nu Gamma(2nu+1) sin(pi nu)/pi;
    d = 3, Legendre coefficients (1/2) int (1-u)^nu P_k (G&R 7.127):
        mu_k = -2^nu Gamma(nu+1)^2 sin(pi nu)/pi * Gamma(k-nu)/Gamma(k+nu+2) -> -2^nu Gamma(nu+1)^2 sin(pi nu)/pi.
    (Gamma reflection for 1/Gamma(nu-k+1); the exact forms are checked by quadrature below.)"""
    if d == 2:
        return -2 ** -nu * sp.gamma(2 * nu + 1) * sp.sin(sp.pi * nu) / sp.pi
    return -2 ** nu * sp.gamma(nu + 1) ** 2 * sp.sin(sp.pi * nu) / sp.pi


def test_the_hand_derived_eigenvalues_are_exact():
    # the two exact forms behind _by_hand, against direct quadrature at small k (nu = 1/3)
    nu = mp.mpf(1) / 3
    with mp.workdps(20):
        for k in (0, 1, 2, 5):
            circle = mp.quad(lambda th: (1 - mp.cos(th)) ** nu * mp.cos(k * th), [0, mp.pi]) / mp.pi
            assert abs(circle - 2 ** -nu * (-1) ** k * mp.gamma(2 * nu + 1)
                       * mp.rgamma(nu + k + 1) * mp.rgamma(nu - k + 1)) < 1e-15
            sphere = mp.quad(lambda u: (1 - u) ** nu * mp.legendre(k, u), [-1, 1]) / 2
            assert abs(sphere + 2 ** nu * mp.gamma(nu + 1) ** 2 * mp.sin(mp.pi * nu) / mp.pi
                       * mp.gamma(k - nu) / mp.gamma(k + nu + 2)) < 1e-15


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("nu", NUS)
def test_decay_constant_against_exact_eigenvalues(nu, d):
    want = _by_hand(nu, d)
    for parity in (0, 1):
        # (1 - u)^nu: the same constant on both parities
        assert abs(sp.N(decay_constant(1, 0, nu, d, parity) - want, 30)) < 1e-25
        # (1 + u)^nu = (1 - (-u))^nu: mu_k picks up (-1)^k, the odd constant changes sign
        assert abs(sp.N(decay_constant(0, 1, nu, d, parity) - (-1) ** parity * want, 30)) < 1e-25
    # linear in the coefficients
    assert sp.simplify(decay_constant(3, 0, nu, d, 0) - 3 * want) == 0


@pytest.mark.parametrize("d", [2, 3])
def test_general_decay_constant_is_the_theorem_at_every_point(d):
    expr = general_decay_constant()
    c1, cm1, nu, dd = (next(s for s in expr.free_symbols if s.name == n) for n in ("c_1", "c_{-1}", "nu", "d"))
    for n in NUS:
        value = expr.subs({c1: 1, cm1: 0, nu: n, dd: d})
        assert abs(sp.N(value - _by_hand(n, d), 30)) < 1e-25
        assert abs(sp.N(expr.subs({c1: 0, cm1: 1, nu: n, dd: d}) - _by_hand(n, d), 30)) < 1e-25


def test_endpoint_singularities_of_the_arc_cosine_kernels():
    # by hand, theta = arccos u ~ sqrt(2t) at u = 1 - t:
    # arccos0 = 1 - theta/pi: -sqrt(2)/pi t^(1/2) at u = 1, +sqrt(2)/pi t^(1/2) at u = -1;
    # arccos1 = (sin theta + (pi - theta) cos theta)/pi: +2 sqrt(2)/(3 pi) t^(3/2) at both ends
    # (the next test: 1.5 s of sympy series, so long-only)
    plus, minus = endpoint_singularities("arccos0")
    assert (plus.endpoint, minus.endpoint) == (1, -1)
    assert plus.nu == minus.nu == sp.Rational(1, 2)
    assert sp.simplify(plus.coeff + sp.sqrt(2) / sp.pi) == 0 and sp.simplify(minus.coeff - sp.sqrt(2) / sp.pi) == 0


@pytest.mark.long
def test_endpoint_singularities_of_arccos1():
    plus, minus = endpoint_singularities("arccos1")
    assert plus.nu == minus.nu == sp.Rational(3, 2)
    assert sp.simplify(plus.coeff - 2 * sp.sqrt(2) / (3 * sp.pi)) == 0
    assert sp.simplify(minus.coeff - 2 * sp.sqrt(2) / (3 * sp.pi)) == 0
