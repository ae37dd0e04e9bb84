"""Zonal targets on S^(d-1): exact Funk-Hecke coefficients and their decay laws.

Convention (``workbench.scaling.targets``): uniform probability measure on S^(d-1); a zonal
target ``f(x) = g(<x, e>)`` has coefficients ``f_k = c_d int g P_k (1-t^2)^((d-3)/2) dt`` and
degree-k energy ``E_k = N(d, k) f_k^2``.  The family ``g = (t - a)_+^m / m!`` has a unit jump in
its m-th derivative on the circle ``<x, e> = a``; ``m = 0`` is the indicator of a cap.

Chain:

    jump-coefficients-d{d} --> jump-energy-recurrence-d{d} --> jump-tail-...
                                                (tail ~ S_inf K^-(1+2m), Darboux constant)
    jump-coefficients-d{d} --> hemisphere-gamma-form-d{d} --> hemisphere-energy-smooth-d{d}
        --> hemisphere-energy-decay-d{d}          (value {"C", "p"}: E_k ~ C k^-p on odd k)
        --> hemisphere-index-tail-d{d}            (value {"K", "kappa"}: s_n ~ K n^-kappa)

The index-ordered tail ``s_n`` (the target's energy beyond the n-th harmonic, harmonics in degree
order) is what a kernel whose eigenvalues decrease with the degree on both parities sees
(ntk_loss reads its value); its law is built from the degree law's value.

The tail exponent ``1 + 2m`` in the degree is ``kappa = (1 + 2m)/(d - 1)`` in index order (``n ~
K^(d-1)``), the "jump in the m-th derivative" law of our notes (kernels-scaling.md 1.3) on the
(d-1)-dimensional sphere.
"""

from __future__ import annotations

import math
from functools import lru_cache

import mpmath as mp
import sympy as sp

from workbench import Derivation, Evidence, Extrapolation, Measured, Memo
from workbench.integrals import quad_relative
from workbench.kernels import funk_hecke_constant, legendre_sphere, multiplicity
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


# ---------------------------------------------------------------------------
# Coefficients: closed form against quadrature, recurrence against closed form
# ---------------------------------------------------------------------------
def jump_closed_form(k, a, m, d):
    """``f_k`` of ``(t - a)_+^m / m!`` by the closed form (``a`` a rational as a string)."""
    return jump_coefficient(d, k, _mpq(a), m)


#: (a, m, d, binary precision, node) -> (g(cos th), [P_0(cos th), ..., P_KMAX(cos th)],
#: sin(th)^(d-2)): the quadratures of the 13 degrees of one (a, m, d) visit the same tanh-sinh
#: nodes; process-local (one check), keyed by everything the numbers depend on.
_NODES = Memo()
JUMP_KMAX = 12


def jump_quadrature(k, a, m, d):
    """``f_k`` of ``(t - a)_+^m / m!`` by tanh-sinh quadrature split at the jump.

    The integral of :func:`workbench.scaling.targets.zonal_coefficient_quadrature`
    (``c_d int_0^pi g(cos th) P_k(cos th) sin(th)^(d-2) dth``, split at ``th = acos a``), with
    the integrand's factors at each node computed once for all degrees ``k <= 12`` (the
    recurrence of ``P_k`` is the same sequence of operations: the same numbers)."""
    aa = _mpq(a)
    g = lambda t: (t - aa) ** m / mp.factorial(m) if t > aa else 0 * t  # noqa: E731
    kk = int(k)
    if kk > JUMP_KMAX:
        return zonal_coefficient_quadrature(g, d, kk, aa)

    def factors(th):
        key = (str(a), m, d, mp.mp.prec, th)
        if key not in _NODES:
            t = mp.cos(th)
            ps = [legendre_sphere(0, d, t)]
            p_prev, p = mp.mpf(1), t
            ps.append(p)
            for j in range(1, JUMP_KMAX):
                p_prev, p = p, ((2 * j + d - 2) * t * p - j * p_prev) / (j + d - 2)
                ps.append(p)
            _NODES[key] = (g(t), ps, mp.sin(th) ** (d - 2))
        return _NODES[key]

    def f(th):
        gt, ps, weight = factors(th)
        return gt * ps[kk] * weight

    return funk_hecke_constant(d) * quad_relative(f, [0, mp.acos(aa), mp.pi], f"f_{kk} of the jump (d={d})")


def jump_energies_recurrence(a, m, d, kmax=12):
    """``[E_0, ..., E_kmax]`` by the three-term recurrence in the degree."""
    return jump_energies(d, kmax, _mpq(a), m)


def jump_energies_direct(a, m, d, kmax=12):
    """``[E_0, ..., E_kmax]`` as ``N(d, k) f_k^2`` from the closed form, degree by degree."""
    aa = _mpq(a)
    return [multiplicity(d, kk) * jump_coefficient(d, kk, aa, m) ** 2 for kk in range(kmax + 1)]


JUMP_POINTS = [{"k": kk, "a": str(a), "m": m} for a, m in JUMP_CASES for kk in range(13)]
JUMP_LATEX = r"(a, m) \in \{(\tfrac{3}{10}, 0), (-\tfrac{2}{5}, 1), (\tfrac{1}{10}, 2), (0, 0)\}"

for d in DIMENSIONS:
    D.agree(f"jump-coefficients-d{d}", jump_closed_form, jump_quadrature, over=JUMP_POINTS,
            digits=30, params={"d": d},
            lhs_label=rf"c_{d}\,\frac{{k!\,\Gamma(2\lambda+1)}}{{\Gamma(k+2\lambda)\,k(k+2\lambda)}}"
                      rf"\prod_{{j=1}}^m\frac{{2(\lambda+j)}}{{(k-j)(k+j+2\lambda)}}"
                      rf"(1-a^2)^{{\lambda+m+\frac12}}C_{{k-m-1}}^{{\lambda+m+1}}(a)",
            rhs_label=rf"c_{d}\int_{{-1}}^1 \frac{{(t-a)_+^m}}{{m!}} P_k(t)(1-t^2)^{{\frac{{{d - 3}}}{{2}}}}dt",
            over_label=rf"k \le 12,\ {JUMP_LATEX},\ \lambda = \tfrac{{{d - 2}}}{{2}}",
            kind="lemma",
            title=f"Funk-Hecke coefficients of targets with a jump in the m-th derivative, d={d}",
            source="m+1 integrations by parts with the Gegenbauer Rodrigues identity (derived here)")
    D.agree(f"jump-energy-recurrence-d{d}", jump_energies_recurrence, jump_energies_direct,
            over=[{"a": str(a), "m": m} for a, m in JUMP_CASES], digits=30, params={"d": d},
            lhs_label=r"E_k^{\mathrm{recurrence}}", rhs_label=r"N(d,k)\,f_k^2",
            over_label=rf"k \le 12,\ {JUMP_LATEX},\ d = {d}",
            kind="lemma", uses=[f"jump-coefficients-d{d}"],
            title=f"The three-term recurrence in k gives the energies N(d,k) f_k^2, d={d}",
            source="three-term recurrence of Gegenbauer polynomials in the degree")


# ---------------------------------------------------------------------------
# The hemisphere
# ---------------------------------------------------------------------------
def _hemisphere_scale(d):
    """``2 pi / Gamma(d/2)``: both sides of ``hemisphere-gamma-form`` are scaled by it, so that
    the compared numbers are irrational.  (For odd d the ``f_k`` are rationals, often dyadic:
    the same long mantissa at both working precisions, which the two-precision validator
    cannot tell from a precision-blind computation.)"""
    return 2 * mp.pi / mp.gamma(mp.mpf(d) / 2)


def jump_at_hemisphere(k, d):
    """``(2 pi / Gamma(d/2)) f_k`` of the hemisphere from the general closed form (``a = 0, m = 0``)."""
    return _hemisphere_scale(d) * jump_coefficient(d, k, 0, 0)


def hemisphere_gamma(k, d):
    """``(2 pi / Gamma(d/2)) f_k`` of the hemisphere with ``f_k`` the Gamma ratio
    (:func:`hemisphere_coefficient`)."""
    return _hemisphere_scale(d) * hemisphere_coefficient(d, k)


def hemisphere_energy_smooth(j, d):
    """``E_k`` at ``k = 2j + 1`` from the smooth-in-j form (:func:`hemisphere_energy`)."""
    return hemisphere_energy(d, j)


def hemisphere_energy_direct(j, d):
    """``N(d, k) f_k^2`` at ``k = 2j + 1`` from the integer multiplicity and the Gamma ratio."""
    return multiplicity(d, 2 * j + 1) * hemisphere_coefficient(d, 2 * j + 1) ** 2


def _energy_constant(d):
    """``E_k ~ C_d / (d-2)! k^-2`` on odd k, ``C_d = 2^(d-1) Gamma(d/2)^2 / pi^2``."""
    return 2 ** (d - 1) * sp.gamma(sp.Rational(d, 2)) ** 2 / sp.pi ** 2 / sp.factorial(d - 2)


def harmonics_up_to(d, K):
    """Number of spherical harmonics of degree ``<= K`` on S^(d-1): ``sum_{k <= K} N(d, k) =
    binom(K+d-1, d-1) + binom(K+d-2, d-1)`` (exact)."""
    return math.comb(K + d - 1, d - 1) + math.comb(K + d - 2, d - 1)


#: below this index the tail is summed term by term, beyond it by Euler-Maclaurin (mpmath)
TAIL_DIRECT = 4096


#: Process-local memos (one check's process under ``workbench verify``), keyed by everything
#: the numbers depend on (d, the index, the binary working precision): the tails at the
#: sampled K share most head terms and, below 2 TAIL_DIRECT, the whole Euler-Maclaurin tail.
#: They are ``lru_cache``s, which claim hashes see as code: a module-level dict would be
#: hashed by its contents, so a claim's hash would change with what had run in the process.
@lru_cache(maxsize=None)
def _energy_at(d, j, prec):
    with mp.workprec(prec):
        return hemisphere_energy(d, j)


def _energy(d, j):
    """:func:`hemisphere_energy` ``(d, j)`` at the working precision, computed once per process."""
    return _energy_at(d, j, mp.mp.prec)


@lru_cache(maxsize=None)
def _em_tail_at(d, start, prec):
    with mp.workprec(prec):
        return mp.nsum(lambda j: hemisphere_energy(d, j), [start, mp.inf], method="euler-maclaurin")


def _em_tail(d, start):
    """``sum_{j >= start} E_(2j+1)`` by Euler-Maclaurin (``mp.nsum``) at the working precision,
    computed once per process."""
    return _em_tail_at(d, start, mp.mp.prec)


def hemisphere_tail(d, K):
    """``sum_{odd k > K} E_k`` of the hemisphere for odd ``K``: the terms up to
    :data:`TAIL_DIRECT` directly, the rest by Euler-Maclaurin (``mp.nsum``), both at the
    working precision plus guard digits.  (Terms and tails are remembered per precision, so
    the sampled K cost ~4096 terms and one tail per precision, not per K; same numbers.)"""
    j0 = (int(K) + 1) // 2
    with mp.workdps(mp.mp.dps + 10):
        start = max(j0, TAIL_DIRECT)
        head = mp.fsum(_energy(d, j) for j in range(j0, start))
        tail = _em_tail(d, start)
        return +(head + tail)


def index_tail_law(decay, d):
    """The index-ordered tail ``s_n ~ K n^-kappa`` implied by the degree law ``E_k ~ C k^-p`` on
    odd ``k`` (``decay = {"C", "p"}``) and the harmonic count ``n(K) ~ 2 K^(d-1)/(d-1)!``:
    ``sum_{odd k > K} E_k ~ C/(2(p-1)) K^-(p-1)``, so ``kappa = (p-1)/(d-1)`` and
    ``K = C/(2(p-1)) ((d-1)!/2)^-kappa``."""
    C, p = decay["C"], decay["p"]
    kappa = (p - 1) / sp.Integer(d - 1)
    return {"K": C / (2 * (p - 1)) * (sp.factorial(d - 1) / 2) ** (-kappa), "kappa": kappa}


def index_tail_sequence(K, d, kappa):
    """``s_{n(K)} n(K)^kappa`` at odd degree ``K``: the tail beyond the last harmonic of degree
    ``K`` (index ``n(K)``, :func:`harmonics_up_to`), scaled by the claimed power."""
    n = harmonics_up_to(d, int(K))
    return hemisphere_tail(d, K) * mp.mpf(n) ** mp.mpf(kappa)


for d in DIMENSIONS:
    D.agree(f"hemisphere-gamma-form-d{d}", jump_at_hemisphere, hemisphere_gamma,
            over=list(range(40)), digits=35, params={"d": d},
            lhs_label=r"\frac{2\pi}{\Gamma(d/2)}\,f_k\big|_{a=0,\,m=0}",
            rhs_label=(rf"\frac{{\pi}}{{\Gamma({sp.latex(sp.Rational(d, 2))})}}\,[k=0] + "
                       rf"[k\ \mathrm{{odd}}]\,(-1)^{{(k-1)/2}}\frac{{\Gamma(k/2)}}{{\Gamma((k+{d})/2)}}"),
            over_label=r"0 \le k < 40", kind="lemma", uses=[f"jump-coefficients-d{d}"],
            title=f"The hemisphere's coefficients are a Gamma ratio, d={d}",
            source="a = 0, m = 0 of the closed form; C_(2j)^mu(0) = (-1)^j (mu)_j / j!")
    D.agree(f"hemisphere-energy-smooth-d{d}", hemisphere_energy_smooth, hemisphere_energy_direct,
            over=list(range(20)), digits=35, params={"d": d},
            lhs_label=(r"\frac{N(d,2j+1)\,\Gamma(d/2)^2}{4\pi^2}\left(\frac{\Gamma(j+\frac12)}"
                       r"{\Gamma(j+\frac{d+1}{2})}\right)^2"),
            rhs_label=r"N(d,k)\,f_k^2\big|_{k=2j+1}", over_label=rf"0 \le j < 20,\ d = {d}",
            kind="lemma", uses=[f"hemisphere-gamma-form-d{d}"],
            title=f"The hemisphere's energy in odd degree k = 2j+1 as a smooth function of j, d={d}",
            source="Gamma-ratio form of f_k")
    decay = D.asymptotic(
        f"hemisphere-energy-decay-d{d}",
        title=f"Energy of the hemisphere in degree k decays like k^-2, d={d}",
        sequence=lambda kk, d=d: hemisphere_energy(d, (int(kk) - 1) // 2),
        sequence_name=r"E_k = N(d,k)\,f_k^2",
        variable=k, leading=_energy_constant(d) * k ** -2, subsequence=(2, 1),
        uses=[f"hemisphere-energy-smooth-d{d}"],
        value={"C": _energy_constant(d), "p": 2},       # E_k ~ C k^-p on odd k
        source="Stirling for the Gamma ratio; N(d,k) ~ 2 k^(d-2)/(d-2)!")
    # the index-ordered tail: its exponent and constant come from the degree law (the premise's
    # value), and the sequence is scaled by the premise's kappa
    law = index_tail_law(decay.value, d)
    D.asymptotic(
        f"hemisphere-index-tail-d{d}",
        title=f"Index-ordered tail of the hemisphere, d={d}: s_n ~ K n^-kappa",
        sequence=lambda KK, d=d, kappa=law["kappa"]: index_tail_sequence(KK, d, kappa),
        sequence_name=(rf"n(K)^{{{sp.latex(law['kappa'])}}}\sum_{{\mathrm{{odd}}\ k > K}} E_k,\ "
                       r"n(K) = \#\{\text{harmonics of degree} \le K\}"),
        variable=k, subsequence=(2, 1), corrections=1,
        leading=lambda p, d=d: index_tail_law(p[f"hemisphere-energy-decay-d{d}"], d)["K"] * k ** 0,
        uses=[decay],
        value=lambda p, d=d: index_tail_law(p[f"hemisphere-energy-decay-d{d}"], d),
        validator=Extrapolation(residues=1),
        source="the degree law summed over odd k > K, in the degree order of the harmonics "
               "(n(K) ~ 2 K^(d-1)/(d-1)!)")


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
          uses=[f"jump-coefficients-d{d}", f"jump-energy-recurrence-d{d}"],
          title=f"Tail of a target with a jump in derivative {m} at a={a}, d={d}: K^-{1 + 2 * m}",
          source="Darboux asymptotics of Gegenbauer polynomials (Szego 8.21.14); derived here")
