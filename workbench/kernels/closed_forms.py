"""Closed-form Funk-Hecke eigenvalues ``mu_k`` on S^(d-1) (probability measure).

Each function ``mu(d, k)`` returns ``mu_k`` at the current mpmath precision,
exactly 0 where parity forces it.  Sources: Bietti & Bach 2021 (arXiv
2009.14397) for the arc-cosine kernels; the formulas below were re-derived and
are checked against quadrature in ``tests/kernels``.

- ``kappa0(u) = 1 - arccos(u)/pi``:
  ``mu_0 = 1/2``; odd k: ``Gamma(d/2)^2 Gamma(k/2)^2 / (2 pi^2 Gamma((k+d)/2)^2)``;
  even k >= 2: 0.
- ``kappa1(u) = (sqrt(1-u^2) + u (pi - arccos u)) / pi``:
  ``mu_1 = 1/(2d)``; even k (k = 0 included):
  ``d Gamma(d/2)^2 Gamma((k-1)/2)^2 / (8 pi^2 Gamma((k+d+1)/2)^2)``; odd k >= 3: 0.
- ``kappa2(u) = (3u sqrt(1-u^2) + (pi - arccos u)(1 + 2u^2)) / pi`` (Cho & Saul 2009, n = 2:
  ``2 E[relu(w.x)^2 relu(w.y)^2]``, ``kappa2(1) = 3``):
  ``mu_0 = 1/2 + 1/d``, ``mu_2 = 2/(d(d+2))``; odd k:
  ``d (d+2) Gamma(d/2)^2 Gamma((k-2)/2)^2 / (8 pi^2 Gamma((k+d+2)/2)^2)``; even k >= 4: 0.
  (From ``kappa_n' = n^2 kappa_(n-1)`` and ``mu_k^(d)(f) = mu_(k-1)^(d+2)(f') / d`` (one
  integration by parts in the Rodrigues formula) applied to kappa1; ``mu_0`` from
  ``kappa2 = 3u kappa1 + (1 - u^2) kappa0``.)
- multiplication by ``u`` (from ``t P_k = k/(2k+d-2) P_{k-1} + (k+d-2)/(2k+d-2) P_{k+1}``):
  ``mu_k(u g) = k/(2k+d-2) mu_{k-1}(g) + (k+d-2)/(2k+d-2) mu_{k+1}(g)``, and
  ``mu_0(u g) = mu_1(g)``.
- ``exp(a u)``: ``mu_k = Gamma(d/2) (2/a)^(d/2-1) I_{k+d/2-1}(a)``.
"""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from ..errors import ConvergenceError

__all__ = ["arccos0", "arccos1", "arccos2", "times_u", "exponential", "monomial", "number",
           "one_minus_u_power", "laplace", "monomial_closed", "power_series"]


def number(x):
    """A sympy number as an mpf at the *current* precision (never frozen at 15 digits)."""
    return mp.mpf(x.p) / x.q if getattr(x, "is_Rational", False) else mp.mpf(sp.N(x, mp.mp.dps + 5))


def one_minus_u_power(nu):
    """``mu_k`` of ``(1-u)^nu``, ``nu > -1`` (a sympy or mpmath number)."""
    def mu(d: int, k: int):
        v = number(sp.sympify(nu)) if not isinstance(nu, mp.mpf) else nu
        rf = mp.rf(-v, k)
        if rf == 0:
            return mp.mpf(0)
        half = mp.mpf(d - 1) / 2
        c_d = mp.gamma(mp.mpf(d) / 2) / (mp.sqrt(mp.pi) * mp.gamma(half))
        return (c_d * rf * mp.gamma(half) * mp.mpf(2) ** (v + d - 2)
                * _ratio(v + half, k + v + d - 1))
    return mu


def laplace(c):
    """``mu_k`` of ``exp(-c sqrt(2-2u))`` by the series in ``(1-u)^(n/2)``:
    ``exp(-c sqrt2 (1-u)^(1/2)) = sum_n (-c sqrt2)^n / n! (1-u)^(n/2)``, so
    ``mu_k = sum_n (-c sqrt2)^n / n! mu_k((1-u)^(n/2))`` (:func:`one_minus_u_power`).

    Only two terms are evaluated from Gamma functions: ``n = 1`` and ``n = 2k`` (the even terms
    with ``n < 2k`` vanish: ``(1-u)^(n/2)`` is then a polynomial of degree below k).  Along
    each parity of n the terms follow from the exact ratio

        t_(n+2) / t_n = 4 c^2 (v+1) (v + (d-1)/2) / ((n+1)(n+2) (v+1-k) (k+v+d-1)),  v = n/2,

    (from ``(-v)_k``, ``Gamma(v + (d-1)/2)``, ``Gamma(k+v+d-1)`` and ``2^(v+d-2)`` in the closed
    form of :func:`one_minus_u_power`).  The terms are summed in the order of n, with 20 guard
    digits (they alternate in sign), until two consecutive terms are below the working
    precision past ``n = 4c + 20``."""
    def mu(d: int, k: int):
        cc = number(sp.sympify(c))
        with mp.workdps(mp.mp.dps + 20):       # terms alternate in sign: guard digits
            eps = mp.eps * mp.mpf(2) ** -20
            a = -cc * mp.sqrt(2)                # t_n = a^n / n! mu_k((1-u)^(n/2))
            four_c2 = 4 * cc * cc
            odd = a * one_minus_u_power(mp.mpf(1) / 2)(d, k)              # t_1
            even = one_minus_u_power(mp.mpf(0))(d, k)                     # t_0 (0 unless k = 0)
            total, n, small = mp.mpf(0), 0, 0
            while True:
                if n % 2:
                    term = odd
                elif n < 2 * k:
                    term = mp.mpf(0)
                elif n == 2 * k and k > 0:
                    term = even = (a ** n / mp.factorial(n)) * one_minus_u_power(mp.mpf(k))(d, k)
                else:
                    term = even
                total += term
                small = small + 1 if abs(term) <= eps * abs(total) else 0
                if n > 4 * cc + 20 and small >= 2:
                    break
                if n % 2 or n >= 2 * k:        # advance the chain of this parity to n + 2
                    # the ratio above with v = n/2, as integers: (v+1) cancels against (n+2)
                    nxt = term * four_c2 * (n + d - 1) / ((n + 1) * (n + 2 - 2 * k) * (n + 2 * k + 2 * d - 2))
                    if n % 2:
                        odd = nxt
                    else:
                        even = nxt
                n += 1
                if n > 100000:
                    raise ConvergenceError("Laplace eigenvalue series did not converge")
        return +total
    return mu


def monomial_closed(d: int, k: int, p: int):
    """``mu_k(u^p)`` in closed form (Azevedo & Menegatto; restated by Murray et al. 2022,
    converted to S^(d-1) with the probability measure):
    ``Gamma(d/2) p! Gamma((p-k+1)/2) / (2^k sqrt(pi) (p-k)! Gamma((p-k+1)/2 + k + (d-1)/2))``
    for ``p >= k`` of the same parity, else 0.  Tested against :func:`monomial`."""
    if p < k or (p - k) % 2:
        return mp.mpf(0)
    h = mp.mpf(p - k + 1) / 2
    return (mp.gamma(mp.mpf(d) / 2) * mp.factorial(p) * mp.gamma(h)
            / (mp.mpf(2) ** k * mp.sqrt(mp.pi) * mp.factorial(p - k)
               * mp.gamma(h + k + mp.mpf(d - 1) / 2)))


def power_series(coefficient, radius_margin=None):
    """``mu_k`` of ``sum_p coefficient(p) u^p`` (a power series converging on [-1, 1]):
    ``mu_k = sum_{j >= 0} coefficient(k+2j) mu_k(u^(k+2j))``, summed until the terms
    stay below the working precision.

    The monomial eigenvalues follow from :func:`monomial_closed` by the exact ratio
    ``mu_k(u^(p+2)) / mu_k(u^p) = (p+1)(p+2) / ((p-k+2)(p+k+d))`` from
    ``mu_k(u^k) = Gamma(d/2) k! / (2^k Gamma(k+d/2))``, and each ``coefficient(p)`` is
    computed once per working precision (the same numbers serve every ``d`` and ``k``).
    """
    memo = {}                                  # (binary precision, p) -> coefficient(p)

    def coeff(p):
        key = (mp.mp.prec, p)
        if key not in memo:
            memo[key] = mp.mpf(coefficient(p))
        return memo[key]

    def mu(d: int, k: int):
        with mp.workdps(mp.mp.dps + 10):
            eps = mp.eps * mp.mpf(2) ** -10
            total, small, j = mp.mpf(0), 0, 0
            m = mp.gamma(mp.mpf(d) / 2) * mp.factorial(k) / (mp.mpf(2) ** k * mp.gamma(k + mp.mpf(d) / 2))
            while small < 3:
                p = k + 2 * j
                term = coeff(p) * m
                total += term
                small = small + 1 if abs(term) <= eps * abs(total) else 0
                m = m * ((p + 1) * (p + 2)) / ((p - k + 2) * (p + k + d))
                j += 1
                if j > 200000:
                    raise ConvergenceError("power series of the kernel converges too slowly")
        return +total
    return mu


def _ratio(x, y):
    """``Gamma(x) / Gamma(y)`` without overflow or cancellation (y - x may be non-integer)."""
    return mp.gammaprod([x], [y])


def arccos0(d: int, k: int):
    """``mu_k`` of ``kappa0(u) = 1 - arccos(u)/pi`` (the ReLU-derivative / step kernel)."""
    if k == 0:
        return mp.mpf(1) / 2
    if k % 2 == 0:
        return mp.mpf(0)
    r = mp.gamma(mp.mpf(d) / 2) * _ratio(mp.mpf(k) / 2, mp.mpf(k + d) / 2)
    return r * r / (2 * mp.pi ** 2)


def arccos1(d: int, k: int):
    """``mu_k`` of ``kappa1(u) = (sqrt(1-u^2) + u (pi - arccos u))/pi`` (the ReLU NNGP)."""
    if k == 1:
        return 1 / mp.mpf(2 * d)
    if k % 2 == 1:
        return mp.mpf(0)
    r = mp.gamma(mp.mpf(d) / 2) * _ratio(mp.mpf(k - 1) / 2, mp.mpf(k + d + 1) / 2)
    return d * r * r / (8 * mp.pi ** 2)


def arccos2(d: int, k: int):
    """``mu_k`` of ``kappa2(u) = (3u sqrt(1-u^2) + (pi - arccos u)(1 + 2u^2))/pi`` (the ReLU^2 NNGP)."""
    if k == 0:
        return mp.mpf(1) / 2 + mp.mpf(1) / d
    if k == 2:
        return mp.mpf(2) / (d * (d + 2))
    if k % 2 == 0:
        return mp.mpf(0)
    r = mp.gamma(mp.mpf(d) / 2) * _ratio(mp.mpf(k - 2) / 2, mp.mpf(k + d + 2) / 2)
    return d * (d + 2) * r * r / (8 * mp.pi ** 2)


def times_u(mu):
    """The eigenvalue function of ``u g(u)`` from that of ``g`` (three-term recurrence)."""
    def mu_u(d: int, k: int):
        if k == 0:
            return mu(d, 1)
        a = mp.mpf(k) / (2 * k + d - 2)
        b = mp.mpf(k + d - 2) / (2 * k + d - 2)
        return a * mu(d, k - 1) + b * mu(d, k + 1)
    return mu_u


def exponential(a):
    """``mu_k`` of ``exp(a u)``: ``Gamma(d/2) (2/a)^(d/2-1) I_{k+d/2-1}(a)`` (``a`` a sympy number)."""
    def mu(d: int, k: int):
        nu = mp.mpf(d) / 2 - 1
        x = number(sp.sympify(a))
        return mp.gamma(mp.mpf(d) / 2) * (2 / x) ** nu * mp.besseli(k + nu, x)
    return mu


def monomial(p: int):
    """``mu_k`` of ``u^p``: zero for k > p and for k of the other parity than p.

    Built by applying :func:`times_u` p times to the constant 1, as a table
    (``O(p^2)`` operations at the current precision).
    """
    def mu(d: int, k: int):
        if k > p or (p - k) % 2:
            return mp.mpf(0)
        row = [mp.mpf(1)]                     # mu_j(u^0), j = 0
        for q in range(p):                    # row_j = mu_j(u^q), j = 0..q
            nxt = []
            for j in range(q + 2):
                lo = row[j - 1] if 1 <= j <= q + 1 and j - 1 < len(row) else 0
                hi = row[j + 1] if j + 1 < len(row) else 0
                if j == 0:
                    nxt.append(hi)
                else:
                    nxt.append((j * lo + (j + d - 2) * hi) / mp.mpf(2 * j + d - 2))
            row = nxt
        return row[k]
    return mu
