"""Zonal targets on the sphere S^(d-1): exact Funk-Hecke coefficients and their decay.

Convention: ``tau`` is the uniform *probability* measure on S^(d-1), ``P_k`` the Gegenbauer
polynomial of dimension d with ``P_k(1) = 1`` (:func:`workbench.kernels.legendre_sphere`).
A zonal target ``f(x) = g(<x, e>)`` expands as ``f = sum_k f_k N(d, k) P_k(<x, e>)`` with

    f_k = c_d int_{-1}^{1} g(t) P_k(t) (1 - t^2)^((d-3)/2) dt,   c_d = Gamma(d/2) / (sqrt(pi) Gamma((d-1)/2)),

and the degree-k block carries ``E_k = ||proj_k f||^2 = N(d, k) f_k^2`` (Parseval:
``sum_k E_k = E[f^2]``).  Under kernel gradient flow ``df/dt = -T_K (f - f*)`` from ``f = 0``,
``L(t) = (1/2) sum_k E_k exp(-2 mu_k t)``.

The family here: ``g(t) = (t - a)_+^m / m!`` -- a jump of size 1 in the m-th derivative across
the circle ``<x, e> = a`` (``m = 0``: the indicator of the spherical cap ``<x, e> >= a``).
Closed form (m + 1 integrations by parts with ``(1-t^2)^(lam-1/2) C_k^lam = -(2 lam / (k (k +
2 lam))) d/dt[(1-t^2)^(lam+1/2) C_(k-1)^(lam+1)]``, ``lam = (d-2)/2``), for ``k > m``:

    f_k = c_d k! Gamma(2 lam + 1) / (Gamma(k + 2 lam) k (k + 2 lam))
          prod_{j=1}^{m} 2 (lam + j) / ((k - j)(k + j + 2 lam))
          (1 - a^2)^(lam + m + 1/2) C_(k-m-1)^(lam+m+1)(a).

Its decay (Darboux's asymptotic of ``C_n^mu(cos theta)``, ``a = cos theta``):
``E_k = 2 B^2 / (d-2)! k^-(2+2m) [cos^2((k + lam) theta - (lam + m + 1) pi / 2) + O(1/k)]`` with
``B = c_d (d-2)! sin(theta)^(lam+m) / (Gamma(d/2) 2^lam)``, so the tail
``S(K) = sum_{k >= K} E_k ~ B^2 / ((d-2)! (1 + 2m)) K^-(1+2m)``: in index order (``n ~
K^(d-1) / (d-1)!``) ``kappa = (1 + 2m)/(d - 1)``.

The hemisphere (``a = 0, m = 0``) has ``f_k`` only on odd k (and ``f_0 = 1/2``), a Gamma ratio:
``f_k = (-1)^((k-1)/2) Gamma(d/2) Gamma(k/2) / (2 pi Gamma((k+d)/2))`` -- the Funk-Hecke
coefficient of a step neuron, so ``mu_k(kappa0) = 2 f_k^2``.
"""

from __future__ import annotations

import mpmath as mp

from ..errors import InvalidParameter
from ..integrals import quad_relative
from ..kernels import funk_hecke_constant, legendre_sphere, multiplicity

__all__ = ["jump_coefficient", "zonal_coefficient_quadrature", "hemisphere_coefficient",
           "degree_multiplicity", "gamma_ratio", "hemisphere_energy",
           "hemisphere_energy_arb", "jump_tail_constant", "jump_energies", "jump_norm2"]


def _check(d, a, m):
    if not isinstance(d, int) or d < 2:
        raise InvalidParameter(f"the sphere S^(d-1) needs an integer dimension d >= 2, got d={d!r}")
    if not isinstance(m, int) or m < 0:
        raise InvalidParameter(f"the derivative order m must be an integer >= 0, got m={m!r}")
    if not -1 < a < 1:
        raise InvalidParameter(f"the cap boundary <x, e> = a needs -1 < a < 1, got a={a}")


def _check_k(k):
    if int(k) != k or k < 0:
        raise InvalidParameter(f"the degree k must be an integer >= 0, got k={k!r}")


def zonal_coefficient_quadrature(g, d: int, k: int, a=None):
    """``f_k = c_d int g(t) P_k(t) (1-t^2)^((d-3)/2) dt`` by tanh-sinh quadrature in the angle.

    ``g`` is an mpmath callable on [-1, 1]; ``a`` a point where it is not smooth (the
    interval is split there so the quadrature converges at full precision).
    """
    if not isinstance(d, int) or d < 2:
        raise InvalidParameter(f"the sphere S^(d-1) needs an integer dimension d >= 2, got d={d!r}")
    _check_k(k)
    f = lambda th: g(mp.cos(th)) * legendre_sphere(int(k), d, mp.cos(th)) * mp.sin(th) ** (d - 2)  # noqa: E731
    points = [0, mp.pi] if a is None else [0, mp.acos(a), mp.pi]
    return funk_hecke_constant(d) * quad_relative(f, points, f"the zonal coefficient f_{k} (d={d})")


def jump_coefficient(d: int, k: int, a, m: int = 0):
    """``f_k`` of ``g(t) = (t - a)_+^m / m!`` on S^(d-1), exactly (module docstring).

    ``m = 0`` is the indicator of the cap ``<x, e> >= a``.  For ``k <= m`` (finitely many
    degrees, where the closed form does not apply) the polynomial integral is done by quadrature.

    >>> import mpmath as mp
    >>> float(jump_coefficient(3, 1, mp.mpf(0)))    # hemisphere on S^2: f_1 = 1/4
    0.25
    """
    a = mp.mpf(a)
    _check(d, a, m)
    _check_k(k)
    k = int(k)
    if k <= m:
        return zonal_coefficient_quadrature(lambda t: (t - a) ** m / mp.factorial(m) if t > a else 0 * t,
                                            d, k, a)
    lam = mp.mpf(d - 2) / 2
    r = mp.factorial(k) * mp.gamma(2 * lam + 1) / (mp.gamma(k + 2 * lam) * k * (k + 2 * lam))
    for j in range(1, m + 1):
        r *= 2 * (lam + j) / ((k - j) * (k + j + 2 * lam))
    return (funk_hecke_constant(d) * r * (1 - a * a) ** (lam + m + mp.mpf(1) / 2)
            * gegenbauer(k - m - 1, lam + m + 1, a))


def gegenbauer(n: int, mu, a):
    """``C_n^mu(a)`` by the three-term recurrence (exact zeros, e.g. odd n at a = 0, stay exact;
    mpmath's hypergeometric form cannot converge to a zero)."""
    c_prev, c = mp.mpf(0), mp.mpf(1)
    for j in range(1, int(n) + 1):
        c_prev, c = c, (2 * (j + mu - 1) * a * c - (j + 2 * mu - 2) * c_prev) / j
    return c


def gamma_ratio(z, a, b):
    """``Gamma(z + a) / Gamma(z + b)`` for real ``z > 0`` (``a, b >= 0``), accurate at any ``z``,
    at the working mpmath precision.

    Evaluated in flint balls (:func:`workbench.scaling.balls.gamma_ratio_arb`, C, 10x faster
    than mpmath): a product when ``b - a`` is a small positive integer, else the two Gamma
    functions with ``log2(z log z)`` extra bits (what the ratio cancels at large ``z``), and
    beyond ``z = 2^prec`` the first two terms of the asymptotic series.  The ball must be
    accurate to the working precision (else :class:`~workbench.errors.ConvergenceError`).
    """
    import flint

    from .balls import GUARD_BITS, gamma_ratio_arb, to_arb, to_mpf
    with flint.ctx.workprec(mp.mp.prec + GUARD_BITS):
        return to_mpf(gamma_ratio_arb(to_arb(mp.mpf(z)), to_arb(mp.mpf(a)), to_arb(mp.mpf(b))))


def degree_multiplicity(d: int, k):
    """``N(d, k) = (2k + d - 2) (k + 1) (k + 2) ... (k + d - 3) / (d - 2)!`` for real ``k >= 1``.

    (Equal to :func:`workbench.kernels.multiplicity` at integers; the real form is what
    Euler-Maclaurin sums need.  ``d = 2``: 2.)
    """
    k = mp.mpf(k)
    if d == 2:
        return mp.mpf(2)
    return (2 * k + d - 2) * mp.fprod(k + j for j in range(1, d - 2)) / mp.factorial(d - 2)


def hemisphere_coefficient(d: int, k):
    """``f_k`` of the hemisphere indicator ``<x, e> >= 0`` on S^(d-1): 1/2 at ``k = 0``,
    ``(-1)^((k-1)/2) Gamma(d/2) Gamma(k/2) / (2 pi Gamma((k+d)/2))`` at odd ``k``, 0 at even
    ``k >= 2``.

    >>> float(hemisphere_coefficient(3, 3))      # -Gamma(3/2) Gamma(3/2) / (2 pi Gamma(3))
    -0.0625
    """
    _check_k(k)
    k = int(k)
    if k == 0:
        return mp.mpf(1) / 2
    if k % 2 == 0:
        return mp.mpf(0)
    sign = -1 if (k - 1) // 2 % 2 else 1
    return sign * mp.gamma(mp.mpf(d) / 2) * mp.gamma(mp.mpf(k) / 2) / (2 * mp.pi * mp.gamma(mp.mpf(k + d) / 2))


def hemisphere_energy(d: int, j):
    """``E_k = N(d, k) f_k^2`` of the hemisphere at the odd degree ``k = 2j + 1``, real ``j >= 0``
    (smooth in j): ``N(d, k) Gamma(d/2)^2 Gamma(k/2)^2 / (4 pi^2 Gamma((k+d)/2)^2)``."""
    j = mp.mpf(j)
    ratio = gamma_ratio(j, mp.mpf(1) / 2, mp.mpf(1 + d) / 2) ** 2
    return degree_multiplicity(d, 2 * j + 1) * mp.gamma(mp.mpf(d) / 2) ** 2 * ratio / (4 * mp.pi ** 2)


def hemisphere_energy_arb(d: int, j, ratio=None):
    """:func:`hemisphere_energy` in flint balls: ``j`` an ``arb`` or an ``arb_series`` (for
    exact derivatives in j), at flint's ambient precision (for :func:`workbench.scaling.loss.loss_arb`);
    ``ratio`` is ``Gamma(j + 1/2) / Gamma(j + (d+1)/2)`` if already known."""
    from flint import arb

    from .balls import gamma_ratio_arb
    if ratio is None:
        ratio = gamma_ratio_arb(j, arb(1) / 2, arb(1 + d) / 2)
    k = 2 * j + 1
    mult = arb(2) if d == 2 else (2 * k + d - 2) * _rising_poly(k, d - 3) / arb.fac_ui(d - 2)
    return mult * (arb(d) / 2).gamma() ** 2 * ratio ** 2 / (4 * arb.pi() ** 2)


def _rising_poly(k, m):
    """``(k + 1) (k + 2) ... (k + m)`` (1 for ``m <= 0``), for balls and series alike."""
    out = 1
    for i in range(1, m + 1):
        out = (k + i) * out
    return out


def jump_energies(d: int, kmax: int, a, m: int = 0):
    """``[E_0, ..., E_kmax]``, ``E_k = N(d, k) f_k^2`` of ``(t - a)_+^m / m!``, exactly.

    The Gegenbauer values come from the three-term recurrence in the degree
    (``n C_n^mu = 2 (n + mu - 1) a C_(n-1)^mu - (n + 2 mu - 2) C_(n-2)^mu``), forward-stable for
    ``|a| < 1`` and fast at any kmax (mpmath's hypergeometric ``gegenbauer`` is slow at large n).
    """
    a = mp.mpf(a)
    _check(d, a, m)
    _check_k(kmax)
    lam = mp.mpf(d - 2) / 2
    mu = lam + m + 1
    pref = funk_hecke_constant(d) * (1 - a * a) ** (lam + m + mp.mpf(1) / 2) * mp.gamma(2 * lam + 1)
    out = [multiplicity(d, k) * jump_coefficient(d, k, a, m) ** 2 for k in range(min(m, kmax) + 1)]
    c_prev, c = mp.mpf(0), mp.mpf(1)              # C_(-1), C_0
    # k! / Gamma(k + 2 lam) by its ratio recurrence, from k = m + 1
    ratio = mp.exp(mp.loggamma(m + 2) - mp.loggamma(m + 1 + 2 * lam))
    for k in range(m + 1, kmax + 1):
        n = k - m - 1
        if n >= 1:
            c_prev, c = c, (2 * (n + mu - 1) * a * c - (n + 2 * mu - 2) * c_prev) / n
            ratio *= k / (k - 1 + 2 * lam)
        r = ratio / (k * (k + 2 * lam))
        for j in range(1, m + 1):
            r *= 2 * (lam + j) / ((k - j) * (k + j + 2 * lam))
        out.append(multiplicity(d, k) * (pref * r * c) ** 2)
    return out


def jump_norm2(d: int, a, m: int = 0):
    """``E[f^2] = c_d int_a^1 ((t - a)^m / m!)^2 (1 - t^2)^((d-3)/2) dt`` (= ``sum_k E_k``)."""
    a = mp.mpf(a)
    _check(d, a, m)
    f = lambda th: ((mp.cos(th) - a) ** m / mp.factorial(m)) ** 2 * mp.sin(th) ** (d - 2)  # noqa: E731
    return funk_hecke_constant(d) * quad_relative(f, [0, mp.acos(a)], "the jump's norm E[f^2]")


def jump_tail_constant(d: int, a, m: int = 0):
    """``S_inf`` in ``sum_{k >= K} E_k ~ S_inf K^-(1+2m)``: ``B^2 / ((d-2)! (1 + 2m))``,
    ``B = c_d (d-2)! sin(theta)^(lam+m) / (Gamma(d/2) 2^lam)``, ``a = cos(theta)``, ``lam = (d-2)/2``."""
    a = mp.mpf(a)
    _check(d, a, m)
    lam = mp.mpf(d - 2) / 2
    B = (funk_hecke_constant(d) * mp.factorial(d - 2) * mp.sqrt(1 - a * a) ** (lam + m)
         / (mp.gamma(mp.mpf(d) / 2) * 2 ** lam))
    return B ** 2 / (mp.factorial(d - 2) * (1 + 2 * m))
