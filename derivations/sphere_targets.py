"""Zonal targets on S^(d-1): exact Funk-Hecke coefficients and their decay laws.

Convention (``workbench.scaling.targets``): uniform probability measure on S^(d-1); a zonal
target ``f(x) = g(<x, e>)`` has coefficients ``f_k = c_d int g P_k (1-t^2)^((d-3)/2) dt`` and
degree-k energy ``E_k = N(d, k) f_k^2``.  The family ``g = (t - a)_+^m / m!`` has a unit jump in
its m-th derivative on the circle ``<x, e> = a``; ``m = 0`` is the indicator of a cap.

Chain:

    jump-coefficients-d{d} --> jump-tail-...           (tail ~ S_inf K^-(1+2m), Darboux constant)
    jump-coefficients-d{d} --> hemisphere-gamma-form-d{d} --> hemisphere-energy-decay-d{d}

The tail exponent ``1 + 2m`` in the degree is ``kappa = (1 + 2m)/(d - 1)`` in index order (``n ~
K^(d-1)``), the "jump in the m-th derivative" law of our notes (kernels-scaling.md 1.3) on the
(d-1)-dimensional sphere.
"""

from __future__ import annotations

import math

import mpmath as mp
import sympy as sp

from workbench import Derivation, Evidence, Measured
from workbench.scaling.targets import (hemisphere_coefficient, hemisphere_energy, jump_coefficient,
                                       jump_energies, jump_norm2, jump_tail_constant,
                                       zonal_coefficient_quadrature)

D = Derivation("sphere_targets", title="Zonal targets on the sphere: Funk-Hecke coefficients",
               source="Funk-Hecke formula; Rodrigues-type identity for Gegenbauer polynomials; "
                      "Darboux asymptotics (Szego 8.21)")

k = sp.Symbol("k", positive=True, integer=True)
DIMENSIONS = (2, 3, 4, 5)
JUMP_CASES = [(sp.Rational(3, 10), 0), (sp.Rational(-2, 5), 1), (sp.Rational(1, 10), 2), (0, 0)]
TAIL_CASES = [(2, sp.Rational(-1, 2), 1), (3, sp.Rational(3, 10), 0), (3, 0, 1), (4, sp.Rational(1, 5), 0)]


def _mpq(x):
    x = sp.Rational(x)
    return mp.mpf(x.p) / x.q


def _digits(err, scale):
    return 40.0 if err == 0 else float(-mp.log10(err / abs(scale)))


def jump_coefficients_check(d):
    """Closed form = tanh-sinh quadrature (split at the jump), k <= 12; recurrence = closed form."""
    worst, measured = math.inf, {}
    with mp.workdps(40):
        for a, m in JUMP_CASES:
            aa = _mpq(a)
            g = lambda t, aa=aa, m=m: (t - aa) ** m / mp.factorial(m) if t > aa else 0 * t  # noqa: E731
            recurrence = jump_energies(d, 12, aa, m)
            for kk in range(13):
                closed = jump_coefficient(d, kk, aa, m)
                quad = zonal_coefficient_quadrature(g, d, kk, aa)
                dig = _digits(abs(quad - closed), closed) if closed != 0 else _digits(abs(quad), 1)
                from workbench.kernels import multiplicity
                rec = recurrence[kk]
                direct = multiplicity(d, kk) * closed ** 2
                if direct != 0:
                    dig = min(dig, _digits(abs(rec - direct), direct))
                worst = min(worst, dig)
            measured[f"a={a},m={m},f_12"] = Measured(mp.nstr(closed, 25), None, mp.nstr(quad, 25),
                                                     round(min(dig, 35), 1))
    ok = worst >= 30
    return Evidence.judge(ok, f"closed form = quadrature and recurrence to {min(worst, 38):.1f} digits "
                              f"for k <= 12 at (a, m) = {[(str(a), m) for a, m in JUMP_CASES]}",
                          methods=["closed form", "tanh-sinh quadrature split at t = a",
                                   "three-term recurrence in k"], digits=min(worst, 38),
                          measured=measured, precisions=[40])


for d in DIMENSIONS:
    D.add(f"jump-coefficients-d{d}",
          rf"$f_k$ of $(t-a)_+^m/m!$ on $S^{{{d - 1}}}$: $c_d\,\frac{{k!\,\Gamma(2\lambda+1)}}"
          rf"{{\Gamma(k+2\lambda)\,k(k+2\lambda)}}\prod_{{j=1}}^m\frac{{2(\lambda+j)}}{{(k-j)(k+j+2\lambda)}}"
          rf"(1-a^2)^{{\lambda+m+\frac12}}C_{{k-m-1}}^{{\lambda+m+1}}(a)$, $\lambda=\frac{{d-2}}{{2}}$",
          kind="lemma", check=jump_coefficients_check, params={"d": d},
          title=f"Funk-Hecke coefficients of targets with a jump in the m-th derivative, d={d}",
          source="m+1 integrations by parts with the Gegenbauer Rodrigues identity (derived here)")


def hemisphere_gamma_form(d):
    """The hemisphere's f_k = Gamma ratio (= step-neuron coefficient) = general closed form."""
    worst = math.inf
    with mp.workdps(40):
        for kk in range(0, 40):
            general = jump_coefficient(d, kk, 0, 0)
            gamma_form = hemisphere_coefficient(d, kk)
            err = abs(general - gamma_form)
            worst = min(worst, _digits(err, gamma_form) if gamma_form != 0 else _digits(err, 1))
            if kk % 2 == 1:
                smooth = hemisphere_energy(d, (kk - 1) // 2)
                from workbench.kernels import multiplicity
                worst = min(worst, _digits(abs(smooth - multiplicity(d, kk) * gamma_form ** 2), smooth))
    ok = worst >= 35
    return Evidence.judge(ok, f"Gamma-ratio form = general closed form to {min(worst, 40):.1f} digits for "
                              f"k < 40 (even k >= 2 vanish exactly)", digits=min(worst, 40),
                          methods=["closed form", "Gamma ratio"], precisions=[40])


def _energy_constant(d):
    """``E_k ~ C_d / (d-2)! k^-2`` on odd k, ``C_d = 2^(d-1) Gamma(d/2)^2 / pi^2``."""
    return 2 ** (d - 1) * sp.gamma(sp.Rational(d, 2)) ** 2 / sp.pi ** 2 / sp.factorial(d - 2)


for d in DIMENSIONS:
    D.add(f"hemisphere-gamma-form-d{d}",
          rf"hemisphere on $S^{{{d - 1}}}$: $f_0=\frac12$, $f_k = (-1)^{{(k-1)/2}}\frac{{\Gamma(d/2)\Gamma(k/2)}}"
          rf"{{2\pi\Gamma((k+d)/2)}}$ ($k$ odd), $f_k=0$ ($k\ge2$ even)",
          kind="lemma", check=hemisphere_gamma_form, params={"d": d}, uses=[f"jump-coefficients-d{d}"],
          title=f"The hemisphere's coefficients are a Gamma ratio, d={d}",
          source="a = 0, m = 0 of the closed form; C_(2j)^mu(0) = (-1)^j (mu)_j / j!")
    D.asymptotic(
        f"hemisphere-energy-decay-d{d}",
        title=f"Energy of the hemisphere in degree k decays like k^-2, d={d}",
        sequence=lambda kk, d=d: hemisphere_energy(d, (int(kk) - 1) // 2),
        sequence_name=r"E_k = N(d,k)\,f_k^2",
        variable=k, leading=_energy_constant(d) * k ** -2, subsequence=(2, 1),
        uses=[f"hemisphere-gamma-form-d{d}"],
        source="Stirling for the Gamma ratio; N(d,k) ~ 2 k^(d-2)/(d-2)!")


def jump_tail_check(d, a, m):
    """``S(K) K^(1+2m) / S_inf - 1 = O(1/K)`` (the oscillating Darboux correction).

    ``S(K) = E[f^2] - sum_{k<K} E_k`` (Parseval; exact).  With ``r(K) = K |residual|``, the claim
    holds if ``max r`` over ``10^3 <= K <= 10^4`` is at most 1.25 x its max over ``10^2 <= K <
    10^3`` plus 0.1: a residual decaying like ``1/K``.  A wrong ``S_inf`` makes ``r`` grow 10x per
    decade, a ``K^-1/2`` residual 3.2x.
    """
    with mp.workdps(40):
        aa = _mpq(a)
        S_inf = jump_tail_constant(d, aa, m)
        norm2 = jump_norm2(d, aa, m)
        kmax = 10 ** 4
        energies = jump_energies(d, kmax, aa, m)
        partial = mp.fsum(energies[:100])
        first, second = mp.mpf(0), mp.mpf(0)
        for K in range(100, kmax + 1):
            resid = (norm2 - partial) * mp.mpf(K) ** (1 + 2 * m) / S_inf - 1
            if K < 1000:
                first = max(first, abs(resid) * K)
            else:
                second = max(second, abs(resid) * K)
            if K < kmax:
                partial += energies[K]
    ok = second <= 1.25 * first + 0.1
    return Evidence.judge(ok, f"S(K) K^{1 + 2 * m} / S_inf - 1 = {mp.nstr(resid, 3)} at K = 10^4; "
                              f"max K |residual| = {mp.nstr(first, 3)} on K = 10^2..10^3 and "
                              f"{mp.nstr(second, 3)} on 10^3..10^4 (a 1/K residual)",
                          methods=["Parseval with exact coefficients at 40 digits"],
                          measured={"S_inf": Measured(mp.nstr(S_inf, 20)),
                                    "max K|r|, K<10^3": Measured(mp.nstr(first, 4)),
                                    "max K|r|, K>=10^3": Measured(mp.nstr(second, 4))})


for d, a, m in TAIL_CASES:
    aa = sp.Rational(a)
    theta_sin = sp.sqrt(1 - aa ** 2)
    D.add(f"jump-tail-d{d}-a{str(a).replace('/', 'o').replace('-', 'm')}-m{m}",
          rf"$\sum_{{k\ge K}}E_k = S_\infty K^{{-{1 + 2 * m}}}\,(1+O(1/K))$ on $S^{{{d - 1}}}$, $a={sp.latex(aa)}$, "
          rf"$m={m}$, $S_\infty = \frac{{B^2}}{{(d-2)!(1+2m)}}$, "
          rf"$B=\frac{{c_d (d-2)!\,\sin\theta^{{\lambda+m}}}}{{\Gamma(d/2)2^\lambda}}$ "
          rf"($\sin\theta = {sp.latex(theta_sin)}$)",
          kind="lemma", check=jump_tail_check, params={"d": d, "a": str(a), "m": m},
          uses=[f"jump-coefficients-d{d}"],
          title=f"Tail of a target with a jump in derivative {m} at a={a}, d={d}: K^-{1 + 2 * m}",
          source="Darboux asymptotics of Gegenbauer polynomials (Szego 8.21.14); derived here")
