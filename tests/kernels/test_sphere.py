"""Sphere harmonics and Funk-Hecke eigenvalues against independent computations."""

import mpmath as mp
import pytest

from workbench import InvalidParameter
from workbench.kernels import (funk_hecke_constant, legendre_sphere, multiplicity,
                               sphere_eigenvalue_quadrature)


@pytest.mark.parametrize("d", [2, 3, 4, 5, 7, 10])
def test_multiplicity_counts_harmonic_polynomials(d):
    # N(d, k) = dim(homogeneous polys of degree k) - dim(degree k-2) in d variables
    from math import comb
    for k in range(0, 12):
        hom = lambda j: comb(j + d - 1, d - 1) if j >= 0 else 0  # noqa: E731
        assert multiplicity(d, k) == hom(k) - hom(k - 2)


@pytest.mark.parametrize("d", [2, 3, 4, 6, 9])
def test_gegenbauer_normalisation_and_orthogonality(d):
    # tanh-sinh in t loses digits to 1 - t^2 near the ends when d = 2: work at 50 digits
    with mp.workdps(50):
        w = lambda t: funk_hecke_constant(d) * (1 - t * t) ** (mp.mpf(d - 3) / 2)  # noqa: E731
        assert abs(mp.quad(w, [-1, 0, 1]) - 1) < mp.mpf(10) ** -25       # a probability density
        for j, k in [(2, 3), (1, 5), (4, 4)]:
            assert legendre_sphere(k, d, mp.mpf(1)) == 1
            ip = mp.quad(lambda t: w(t) * legendre_sphere(j, d, t) * legendre_sphere(k, d, t),
                         [-1, 0, 1])
            expected = 1 / mp.mpf(multiplicity(d, k)) if j == k else 0
            assert abs(ip - expected) < mp.mpf(10) ** -25


def test_gegenbauer_matches_mpmath_closed_forms():
    with mp.workdps(30):
        t = mp.mpf("0.3")
        assert abs(legendre_sphere(7, 3, t) - mp.legendre(7, t)) < mp.mpf(10) ** -28
        assert abs(legendre_sphere(7, 2, t) - mp.chebyt(7, t)) < mp.mpf(10) ** -28
        lam = mp.mpf(3) / 2                                         # d = 5
        ref = mp.gegenbauer(6, lam, t) / mp.gegenbauer(6, lam, 1)
        assert abs(legendre_sphere(6, 5, t) - ref) < mp.mpf(10) ** -28


@pytest.mark.parametrize("d", [2, 3, 5, 8])
@pytest.mark.parametrize("k", [0, 1, 4, 9])
def test_exponential_kernel_matches_bessel_closed_form(d, k):
    """kappa(u) = exp(s u): mu_k = Gamma(d/2) (2/s)^(d/2-1) I_{k+d/2-1}(s), an independent formula."""
    s = mp.mpf("1.7")
    got = sphere_eigenvalue_quadrature(lambda u: mp.exp(s * u), d, k, dps=30)
    with mp.workdps(40):
        nu = mp.mpf(d) / 2 - 1
        ref = mp.gamma(mp.mpf(d) / 2) * (2 / s) ** nu * mp.besseli(k + nu, s)
        assert abs(got - ref) <= mp.mpf(10) ** -25 * abs(ref)


def test_one_endpoint_singularity_formula_from_the_reference_notes():
    """int (1-t)^nu P_k(t) (1-t^2)^((d-3)/2) dt
       = Gamma(k-nu)/Gamma(-nu) Gamma((d-1)/2) Gamma(nu+(d-1)/2) 2^(nu+d-2) / Gamma(k+nu+d-1)."""
    for nu, d, k in [(mp.mpf(1) / 2, 3, 5), (mp.mpf(3) / 2, 4, 7), (mp.mpf(1) / 2, 2, 4),
                     (mp.mpf(1) / 2, 10, 6)]:
        got = sphere_eigenvalue_quadrature(lambda t: (1 - t) ** nu, d, k, dps=30)
        with mp.workdps(40):
            ref = (mp.gamma(k - nu) / mp.gamma(-nu) * mp.gamma(mp.mpf(d - 1) / 2)
                   * mp.gamma(nu + mp.mpf(d - 1) / 2) * mp.mpf(2) ** (nu + d - 2)
                   / mp.gamma(k + nu + d - 1)) * funk_hecke_constant(d)
            assert abs(got - ref) <= mp.mpf(10) ** -25 * abs(ref), (nu, d, k)


@pytest.mark.parametrize("call", [
    lambda: multiplicity(1, 3), lambda: multiplicity(3, -1), lambda: multiplicity(2.5, 1),
    lambda: legendre_sphere(-2, 3, 0.1), lambda: sphere_eigenvalue_quadrature(mp.exp, 0, 1),
])
def test_bad_dimension_or_degree(call):
    with pytest.raises(InvalidParameter):
        call()
