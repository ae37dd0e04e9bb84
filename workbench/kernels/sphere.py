"""Harmonic analysis on the sphere S^(d-1), d >= 2: multiplicities, Gegenbauer
polynomials and the Funk-Hecke eigenvalues of dot-product kernels.

Normalisation
-------------
``sigma`` is the uniform *probability* measure on S^(d-1).  For a kernel
``kappa(<x, y>)`` the eigenvalue on degree-k spherical harmonics is (Funk-Hecke)

    mu_k = c_d  int_{-1}^{1} kappa(t) P_k(t) (1 - t^2)^((d-3)/2) dt,
    c_d  = Gamma(d/2) / (sqrt(pi) Gamma((d-1)/2)),

with ``P_k`` the Gegenbauer polynomial of dimension d normalised to
``P_k(1) = 1`` (Legendre for d = 3, Chebyshev ``T_k`` for d = 2).  The
harmonics of degree k span a space of dimension ``N(d, k)``, and
``sum_k N(d, k) mu_k = kappa(1)``.

This slice holds the generic quadrature path (any kernel given as an mpmath
callable); closed forms and the fast paths come with the kernel catalogue.
"""

from __future__ import annotations

from math import comb

import mpmath as mp

from ..errors import InvalidParameter
from ..integrals import quad_relative
from ..precision import local

__all__ = ["multiplicity", "legendre_sphere", "funk_hecke_constant",
           "sphere_eigenvalue_quadrature"]


def _check_d(d):
    if not isinstance(d, int) or isinstance(d, bool) or d < 2:
        raise InvalidParameter(f"the sphere S^(d-1) needs an integer dimension d >= 2, got d={d!r}")


def _check_k(k):
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise InvalidParameter(f"the degree k must be an integer >= 0, got k={k!r}")


def multiplicity(d: int, k: int) -> int:
    """Dimension ``N(d, k)`` of the degree-k spherical harmonics on S^(d-1).

    ``N(d, 0) = 1`` and ``N(d, k) = (2k+d-2)/k * binom(k+d-3, k-1)`` for k >= 1.

    >>> [multiplicity(3, k) for k in range(5)]
    [1, 3, 5, 7, 9]
    >>> [multiplicity(2, k) for k in range(4)]
    [1, 2, 2, 2]
    """
    _check_d(d)
    _check_k(k)
    if k == 0:
        return 1
    return (2 * k + d - 2) * comb(k + d - 3, k - 1) // k   # exact: k divides the product


def legendre_sphere(k: int, d: int, t):
    """``P_k(t)``: the Gegenbauer polynomial of dimension d with ``P_k(1) = 1``.

    Three-term recurrence (stable on [-1, 1]):
    ``P_{j+1} = ((2j+d-2) t P_j - j P_{j-1}) / (j+d-2)``, ``P_0 = 1``, ``P_1 = t``.

    >>> import mpmath as mp
    >>> legendre_sphere(2, 3, mp.mpf(0.5))      # Legendre: (3t^2 - 1)/2
    mpf('-0.125')
    >>> legendre_sphere(3, 2, mp.mpf(0.5))      # Chebyshev: cos(3 arccos t)
    mpf('-1.0')
    """
    _check_d(d)
    _check_k(k)
    return _legendre(k, d, t)


def _legendre(k, d, t):
    """:func:`legendre_sphere` without argument checks (for quadrature inner loops)."""
    if k == 0:
        return mp.mpf(1) + 0 * t
    p_prev, p = mp.mpf(1), t
    for j in range(1, k):
        p_prev, p = p, ((2 * j + d - 2) * t * p - j * p_prev) / (j + d - 2)
    return p


def funk_hecke_constant(d: int):
    """``c_d = Gamma(d/2) / (sqrt(pi) Gamma((d-1)/2))``: the density of ``t = <x, y>``
    under sigma is ``c_d (1 - t^2)^((d-3)/2)`` on [-1, 1]."""
    _check_d(d)
    return mp.gamma(mp.mpf(d) / 2) / (mp.sqrt(mp.pi) * mp.gamma(mp.mpf(d - 1) / 2))


def sphere_eigenvalue_quadrature(kappa, d: int, k: int, dps: int | None = None):
    """``mu_k`` of the kernel ``kappa`` (an mpmath callable on [-1, 1]) by quadrature.

    In the angle ``t = cos(theta)`` the weight becomes ``sin(theta)^(d-2)`` and an
    endpoint singularity ``(1 -+ t)^nu`` of the kernel becomes an algebraic
    singularity at ``theta = 0, pi``, which tanh-sinh quadrature resolves.  One
    interval [0, pi] is enough: tanh-sinh raises its degree until the oscillations
    of ``P_k`` are resolved (splitting into ~k/4 pieces was measured 4-6x slower at
    the same accuracy).  Cost grows like ``k^2`` (the recurrence is O(k) per node):
    this is the generic path, not the fast one.
    The result is computed at ``dps + 10`` digits (guard) and returned at ``dps``
    (default: the ambient precision).
    """
    _check_d(d)
    _check_k(k)
    with local(dps) as digits:
        with mp.workdps(digits + 10):
            def integrand(theta):
                t = mp.cos(theta)
                return kappa(t) * _legendre(k, d, t) * mp.sin(theta) ** (d - 2)
            value = funk_hecke_constant(d) * quad_relative(integrand, [0, mp.pi], f"mu_{k} (d={d})")
        return +value
