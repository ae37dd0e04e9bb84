"""Velikanov & Yarotsky's loss exponent xi(s, m, d): activation smoothness against target smoothness.

Kernels (Cho & Saul 2009 normalisation, ``kappa_s(u) = 2 E[relu(w.x)^s relu(w.y)^s]``, ``w ~
N(0, I)``, unit inputs; ``kappa_s(1) = (2s-1)!!``):

* NNGP of a ReLU^s network: ``kappa_s`` (arccos0, arccos1, arccos2 in workbench.kernels);
  its spectrum beyond degree s lives on one parity, ``k = s + 1 (mod 2)``.
* NTK of a two-layer ReLU^s network with a zero-initialised first-layer bias (as ntk_loss's
  relu_ntk_bias = ``Theta_1``): ``Theta_s = kappa_s + s^2 (u + 1) kappa_(s-1)`` (the gradients in
  the readout, the weights and the bias; ``sigma' = s relu^(s-1)``).  Both parities.  For s = 0
  the first-layer gradient of a step network vanishes almost everywhere: by convention the s = 0
  NTK is the NNGP ``kappa_0`` (only the readout trains).

Targets: ``g_m(<x, e>)`` with ``g_m(t) = t_+^m / m!`` (sphere_targets' jump family at a = 0, a
jump in the m-th derivative on the equator); beyond degree m its energy lives on the parity
``k = m + 1 (mod 2)``, ``E_k ~ C_E k^-(2+2m)`` (premises: sphere_targets'
``hemisphere-energy-decay-d{d}`` for m = 0, ``equator-jump-m{m}-energy-decay-d{d}`` here).

With ``mu_k ~ C_mu k^-p`` on the target's parity (kernel_spectra's decay claims; here for
arccos2 and Theta_2) and the tail ``sum_{k > K} E_k ~ C_T K^-(q)``, ``q = p_E - 1 = 1 + 2m``,
``C_T = C_E / (2 q)`` (one parity), gradient flow ``L(t) = (1/2) sum_k E_k exp(-2 mu_k t)``
obeys

    L(t) ~ (C_T / 2) Gamma(xi + 1) (2 C_mu t)^-xi,    xi = q / p = kappa / nu_index,

with ``kappa = (1 + 2m)/(d - 1)`` and ``nu_index = 1 + alpha = p/(d - 1)`` the index-order
exponents (``alpha = 2 nu/(d-1)``, nu the endpoint exponent: ``s + 1/2`` for the NNGP, ``s - 1/2``
for the NTK).  So ``xi = (1 + 2m)/(d - 1 + 2 nu)``.  Where the kernel vanishes on the target's
parity (the NNGP with ``s != m mod 2``) the loss has a plateau and no xi: the table says so.

Claims: ``xi-{kernel}-m{m}-d{d}`` (Equality: ``(p_E - 1)/p`` from the premises' values = the
closed form) for every kernel and target that share a parity, d = 2, 3, 4; the loss laws
``loss-{kernel}-m{m}-d{d}`` on the exact sums (flint balls, 20 digits) for :data:`LOSS_CASES`.
"""

from __future__ import annotations

import math

import flint
import mpmath as mp
import sympy as sp
from flint import arb

from workbench import Derivation, Extrapolation, Grid, Memo
from workbench.kernels import U, eigenvalue, kernel, leading_asymptotic
from workbench.kernels import closed_forms as cf
from workbench.kernels.catalog import Kernel
from workbench.scaling.balls import GUARD_BITS, gamma_ratio_arb, to_arb, to_mpf
from workbench.scaling.loss import loss_arb
from workbench.scaling.targets import jump_coefficient

from . import kernel_spectra as KS
from . import sphere_targets as ST

D = Derivation("xi_table", title="Loss exponent xi(s, m, d): activation and target smoothness",
               source="Velikanov & Yarotsky 2021 (xi = kappa/nu) with kernel_spectra and "
                      "sphere_targets as premises; Cho & Saul 2009 (arc-cosine kernels)")

k = sp.Symbol("k", positive=True, integer=True)
t = sp.Symbol("t", positive=True)
R = sp.Rational
DIMENSIONS = (2, 3, 4)
ORDERS = (0, 1, 2)            # s (activation) and m (target)


def _c0(d):
    return 2 ** (d - 1) * sp.gamma(R(d, 2)) ** 2 / sp.pi ** 2


# ---------------------------------------------------------------------------
# The kernels: name -> (kernel, nu, parities carrying the power law)
# ---------------------------------------------------------------------------
THETA2 = Kernel("relu2_ntk_bias",
                kernel("arccos2").expression + 4 * (U + 1) * kernel("arccos1").expression,
                lambda d, kk: mp.fsum([cf.arccos2(d, kk), 4 * cf.times_u(cf.arccos1)(d, kk),
                                       4 * cf.arccos1(d, kk)]))

#: (label, s, "NNGP"/"NTK") -> kernel name; the s = 0 NTK is the NNGP by convention
TABLE_KERNELS = {("NNGP", 0): "arccos0", ("NNGP", 1): "arccos1", ("NNGP", 2): "arccos2",
                 ("NTK", 0): "arccos0", ("NTK", 1): "relu_ntk_bias", ("NTK", 2): "relu2_ntk_bias"}
#: endpoint exponent nu and the parities of k on which mu_k follows the power law
KERNEL_LAWS = {"arccos0": (R(1, 2), (1,)), "arccos1": (R(3, 2), (0,)), "arccos2": (R(5, 2), (1,)),
               "relu_ntk_bias": (R(1, 2), (0, 1)), "relu2_ntk_bias": (R(3, 2), (0, 1))}


def kernel_of(name):
    return THETA2 if name == "relu2_ntk_bias" else kernel(name)


def target_parity(m):
    return (m + 1) % 2


def kernel_premise_id(name, d, parity):
    word = "even" if parity == 0 else "odd"
    topic = "kernel_spectra" if name in KS.KERNELS else "xi_table"
    return f"{topic}/{name}-decay-{word}-d{d}"


def target_premise_id(m, d):
    return (f"sphere_targets/hemisphere-energy-decay-d{d}" if m == 0
            else f"xi_table/equator-jump-m{m}-energy-decay-d{d}")


# ---------------------------------------------------------------------------
# Eigenvalues and energies as smooth functions of the degree (flint balls and series)
# ---------------------------------------------------------------------------
def _ratio(x, a, b):
    """``Gamma(x + a) / Gamma(x + b)``, ``x`` an arb/arb_series, ``a, b`` rationals (shifted so
    that both are >= 0; x must then stay positive)."""
    a, b = sp.Rational(a), sp.Rational(b)
    if a == b:
        return arb(1)
    if (a - b).is_integer and a > b:            # a finite product: exact, no Gamma functions
        return 1 / _ratio(x, b, a)
    shift = int(max(0, math.ceil(-min(a, b))))
    return gamma_ratio_arb(x - shift, arb(int((a + shift).p)) / int((a + shift).q),
                           arb(int((b + shift).p)) / int((b + shift).q))


def _pi2():
    return arb.pi() ** 2


def arccos_mu_arb(s, d, kk):
    """``mu_k(kappa_s)`` on its nonzero parity as a smooth function of the real degree ``kk``
    (``k > s``): ``A_s Gamma((k-s)/2)^2 / Gamma((k+d+s)/2)^2`` with ``A_0 = Gamma(d/2)^2/(2 pi^2)``,
    ``A_1 = d Gamma(d/2)^2/(8 pi^2)``, ``A_2 = d(d+2) Gamma(d/2)^2/(8 pi^2)`` (closed_forms)."""
    A = {0: arb(1) / 2, 1: arb(d) / 8, 2: arb(d * (d + 2)) / 8}[s]
    r = _ratio(kk / 2, sp.Rational(-s, 2), sp.Rational(d + s, 2))
    return A * (arb(d) / 2).gamma() ** 2 * r * r / _pi2()


def times_u_arb(mu, d, kk):
    """``mu_k(u g) = k/(2k+d-2) mu_(k-1)(g) + (k+d-2)/(2k+d-2) mu_(k+1)(g)``."""
    return (kk * mu(kk - 1) + (kk + d - 2) * mu(kk + 1)) / (2 * kk + d - 2)


def kernel_mu_arb(name, d, kk, parity):
    """mu_k of a table kernel at degree ``kk`` of the given parity (k beyond the low degrees)."""
    if name.startswith("arccos"):
        s = int(name[-1])
        return arccos_mu_arb(s, d, kk) if parity == (s + 1) % 2 else arb(0)
    s = 1 if name == "relu_ntk_bias" else 2
    prev = lambda x: arccos_mu_arb(s - 1, d, x)  # noqa: E731   kappa_(s-1), parity s
    total = arccos_mu_arb(s, d, kk) if parity == (s + 1) % 2 else arb(0)
    if parity == s % 2:
        total += s * s * prev(kk)
    else:
        total += s * s * times_u_arb(prev, d, kk)
    return total


def jump_energy_arb(m, d, kk):
    """``E_k = N(d, k) f_k^2`` of ``t_+^m/m!`` at a degree ``k = m + 1 (mod 2)``, ``k > m``, as a
    smooth function of the real degree: sphere_targets' closed form at ``a = 0`` with
    ``C_n^mu(0) = (-1)^(n/2) Gamma(mu + n/2)/(Gamma(mu) (n/2)!)``, ``n = k - m - 1``."""
    c = (m + 1) // 2
    half = (kk - m - 1) / 2 + c                       # n/2 + c, with n/2 = j - c at k = 2j + parity
    mu = sp.Rational(d, 2) + m
    gam = _ratio(half, mu - c, 1 - c) / (arb(d) / 2 + m).gamma()   # Gamma(mu + n/2)/(Gamma(mu) (n/2)!)
    prod = 1
    for i in range(1, m + 1):
        prod = prod * (d - 2 + 2 * i) / ((kk - i) * (kk + i + d - 2))
    c_d = (arb(d) / 2).gamma() / (arb.pi().sqrt() * (arb(d - 1) / 2).gamma())
    # N(d,k) f_k^2 = (2k+d-2) Gamma(d-1) c_d^2 [Gamma(k+1)/Gamma(k+d-2)] (prod gam / (k(k+d-2)))^2
    g = _ratio(kk, 1, d - 2)
    return (2 * kk + d - 2) * arb(d - 1).gamma() * c_d ** 2 * g * (prod * gam / (kk * (kk + d - 2))) ** 2


def _mp(f, *args):
    """``f(*args)`` in balls at the working mpmath precision, as an mpf."""
    with flint.ctx.workprec(mp.mp.prec + GUARD_BITS):
        return to_mpf(f(*[to_arb(a) if isinstance(a, mp.mpf) else a for a in args]), mp.mp.prec)


# ---------------------------------------------------------------------------
# Premises that the graph lacked: arccos2, Theta_2, the equator jumps m = 1, 2
# ---------------------------------------------------------------------------
def arccos2_quadrature(kk, d):
    return KS.quadrature_eigenvalue(kk, "arccos2", d)


def arccos2_closed(kk, d):
    return KS.closed_form_eigenvalue(kk, "arccos2", d)


def theta2_closed(kk, d):
    """mu_k(Theta_2) from the closed forms (arccos2 + 4 (u+1) arccos1, the u-recurrence)."""
    return eigenvalue(THETA2, d, kk)


def theta2_quadrature(kk, d):
    """mu_k(Theta_2) by tanh-sinh quadrature of its expression (all degrees in one rule)."""
    key = ("relu2_ntk_bias", d, mp.mp.prec, mp.mp.dps)
    if key not in _THETA2_QUAD:
        from workbench.kernels.quadrature import eigenvalues_by_quadrature
        _THETA2_QUAD[key] = eigenvalues_by_quadrature(THETA2, d, KS.SMALL_K)
    return _THETA2_QUAD[key][kk]


_THETA2_QUAD = Memo()    # process-local: (d, precision) -> spectrum (hashes see its type only)


def endpoint_analysis_arccos2_theta2():
    """sympy's endpoint expansion reproduces the stated nu and constants of arccos2 and Theta_2."""
    from workbench import Evidence
    bad = []
    for name in ("arccos2", "relu2_ntk_bias"):
        nu, parities = KERNEL_LAWS[name]
        for d in DIMENSIONS:
            law = leading_asymptotic(kernel_of(name), d)
            if law.nu != nu:
                bad.append(f"{name} d={d}: nu={law.nu}")
            for parity in (0, 1):
                stated = decay_constant(name, d) if parity in parities else 0
                if sp.simplify(law.constants[parity] - stated) != 0:
                    bad.append(f"{name} d={d} parity {parity}: {law.constants[parity]} vs {stated}")
    return Evidence.judge(not bad, "; ".join(bad) or "nu = 5/2 (arccos2), 3/2 (Theta_2) and the "
                          "decay constants for d = 2, 3, 4 follow from the endpoint expansions",
                          methods=["sympy series at u = +-1", "Bietti-Bach theorem constant"])


def decay_constant(name, d):
    """``C`` in ``mu_k ~ C k^-(d + 2 nu - 1)``: arccos2 ``4 d (d+2) C_0(d)`` (odd k), Theta_2
    ``4 d C_0(d)`` (both parities: ``8 kappa_1`` at u = 1, ``(u+1)`` kills u = -1), ``C_0 =
    2^(d-1) Gamma(d/2)^2/pi^2`` (derived here from the closed forms' Gamma ratios)."""
    return {"arccos2": 4 * d * (d + 2), "relu2_ntk_bias": 4 * d}[name] * _c0(d)


def energy_constant(d):
    """``E_k ~ C_E k^-(2+2m)`` on the parity m+1: ``C_E = 2^(d-1) Gamma(d/2)^2/(pi^2 (d-2)!)``,
    the same for every m (f_k ~ 2^(d/2-1) Gamma(d/2)/pi k^(-d/2-m), N ~ 2k^(d-2)/(d-2)!)."""
    return _c0(d) / sp.factorial(d - 2)


def jump_energy_closed(kk, m, d):
    """``N(d,k) f_k^2`` of ``t_+^m/m!`` from sphere_targets' closed form (Gegenbauer recurrence)."""
    from workbench.kernels import multiplicity
    return multiplicity(d, kk) * jump_coefficient(d, kk, 0, m) ** 2


def jump_energy_smooth(kk, m, d):
    return _mp(lambda x: jump_energy_arb(m, d, x), mp.mpf(kk))


D.add("arccos2-theta2-endpoint-analysis",
      r"$\kappa_2$: $\nu = 5/2$, $\mu_k \sim 4d(d+2)C_0(d)k^{-(d+4)}$ on odd $k$; "
      r"$\Theta_2 = \kappa_2 + 4(u+1)\kappa_1$: $\nu = 3/2$, $\mu_k \sim 4dC_0(d)k^{-(d+2)}$ on both "
      r"parities ($C_0 = 2^{d-1}\Gamma(d/2)^2/\pi^2$, $d = 2, 3, 4$)",
      kind="lemma", check=endpoint_analysis_arccos2_theta2,
      uses=["kernel_spectra/singularity-decay-theorem"],
      title="Endpoint singularities of the ReLU^2 NNGP and NTK",
      source="sympy series of the kernels at u = +-1 with the Bietti-Bach theorem")

for d in DIMENSIONS:
    D.agree(f"arccos2-exact-d{d}", arccos2_closed, arccos2_quadrature,
            over=[{"kk": kk} for kk in range(KS.SMALL_K + 1)], digits=25, zero_scale=1,
            params={"d": d}, validator=KS.EXACT_PRECISIONS,
            lhs_label=r"\mu_k^{\text{closed form}}(\kappa_2)", rhs_label=r"\mu_k^{\text{quadrature}}(\kappa_2)",
            over_label=rf"k = 0, \ldots, {KS.SMALL_K} \text{{ on }} S^{{{d - 1}}}",
            title=f"Exact eigenvalues of arccos2 (ReLU^2 NNGP), d={d}",
            source="derived here: kappa_n' = n^2 kappa_(n-1) and mu_k^(d)(f) = mu_(k-1)^(d+2)(f')/d")
    D.asymptotic(f"arccos2-decay-odd-d{d}", title=f"Decay of the arccos2 spectrum, d={d}, odd k",
                 sequence=lambda kk, d=d: eigenvalue(kernel("arccos2"), d, kk),
                 sequence_name=r"\mu_k(\kappa_2)", variable=k,
                 leading=decay_constant("arccos2", d) * k ** -(d + 4), subsequence=(2, 1),
                 uses=[f"arccos2-exact-d{d}", "arccos2-theta2-endpoint-analysis"],
                 value={"C": decay_constant("arccos2", d), "p": sp.Integer(d + 4)},
                 source="Gamma ratios of the closed form; Bietti & Bach 2021 Thm 1")
    for parity, word in ((0, "even"), (1, "odd")):
        D.asymptotic(f"relu2_ntk_bias-decay-{word}-d{d}",
                     title=f"Decay of the ReLU^2 NTK (bias) spectrum, d={d}, {word} k",
                     sequence=lambda kk, d=d: theta2_closed(kk, d),
                     sequence_name=r"\mu_k(\Theta_2)", variable=k,
                     leading=decay_constant("relu2_ntk_bias", d) * k ** -(d + 2), subsequence=(2, parity),
                     uses=["arccos2-theta2-endpoint-analysis", f"arccos2-exact-d{d}",
                           f"kernel_spectra/arccos1-exact-d{d}"] + (["relu2_ntk_bias-exact-d3"] if d == 3 else []),
                     value={"C": decay_constant("relu2_ntk_bias", d), "p": sp.Integer(d + 2)},
                     source="closed forms with the u-recurrence; Bietti & Bach 2021 Thm 1")
    for m in (1, 2):
        parity = target_parity(m)
        D.agree(f"equator-jump-m{m}-gamma-form-d{d}", jump_energy_smooth, jump_energy_closed,
                over=[{"kk": kk} for kk in range(m + 1, 60) if kk % 2 == parity], digits=30,
                params={"m": m, "d": d},
                lhs_label=r"(2k+d-2)\Gamma(d-1)c_d^2\frac{\Gamma(k+1)}{\Gamma(k+d-2)}\Big(\frac{\prod_i"
                          r"(d-2+2i)/((k-i)(k+i+d-2))\,\Gamma(\mu+n/2)}{k(k+d-2)\Gamma(\mu)(n/2)!}\Big)^2",
                rhs_label=r"N(d,k) f_k^2\big|_{a=0}",
                over_label=rf"k \equiv {parity} \pmod 2,\ {m} < k < 60,\ m = {m},\ d = {d}",
                kind="lemma", uses=[f"sphere_targets/jump-coefficients-d{d}"],
                title=f"Energy of the equator jump in derivative {m} as a smooth function of k, d={d}",
                source="sphere_targets' closed form at a = 0; C_n^mu(0) in Gamma form")
        D.asymptotic(f"equator-jump-m{m}-energy-decay-d{d}",
                     title=f"Energy of t_+^{m}/{m}! on S^{d - 1} decays like k^-{2 + 2 * m}",
                     sequence=lambda kk, m=m, d=d: jump_energy_smooth(kk, m, d),
                     sequence_name=rf"E_k\big(t_+^{m}/{m}!\big)", variable=k,
                     leading=energy_constant(d) * k ** -(2 + 2 * m), subsequence=(2, parity),
                     uses=[f"equator-jump-m{m}-gamma-form-d{d}"],
                     value={"C": energy_constant(d), "p": sp.Integer(2 + 2 * m)},
                     source="Stirling for the Gamma form; N(d,k) ~ 2 k^(d-2)/(d-2)!")

D.agree("relu2_ntk_bias-exact-d3", theta2_closed, theta2_quadrature,
        over=[{"kk": kk} for kk in range(KS.SMALL_K + 1)], digits=25, zero_scale=1,
        params={"d": 3}, validator=KS.EXACT_PRECISIONS,
        lhs_label=r"\mu_k^{\text{closed form}}(\Theta_2)", rhs_label=r"\mu_k^{\text{quadrature}}(\Theta_2)",
        over_label=r"k = 0, \ldots, 8 \text{ on } S^2", uses=["arccos2-exact-d3"],
        title="Exact eigenvalues of the ReLU^2 NTK with bias, kappa2 + 4(u+1) kappa1, d=3",
        source="closed forms of arccos1, arccos2 and the u-recurrence")


# ---------------------------------------------------------------------------
# The table: xi = (p_E - 1)/p from the premises' values, for every kernel and target that
# share a parity (the others plateau)
# ---------------------------------------------------------------------------
def law_applies(name, m):
    """The kernel's power law covers the target's parity (else the loss has a plateau)."""
    return target_parity(m) in KERNEL_LAWS[name][1]


def xi_closed_form(name, m, d):
    """``(1 + 2m)/(d - 1 + 2 nu)``: kappa/nu_index with kappa = (1+2m)/(d-1), nu_index = 1 + 2nu/(d-1)."""
    nu = KERNEL_LAWS[name][0]
    return R(1 + 2 * m, d - 1 + 2 * nu)


def premise_ids(name, m, d):
    return kernel_premise_id(name, d, target_parity(m)), target_premise_id(m, d)


def premise(cid):
    """The :class:`~workbench.claims.Claim` of a premise id (its module's derivation)."""
    topic, name = cid.split("/", 1)
    return {"kernel_spectra": KS.D, "sphere_targets": ST.D, "xi_table": D}[topic][name]


def xi_from(premises, kid, tid):
    """``xi = (p_E - 1)/p`` (= kappa/nu_index: the (d-1)'s cancel) from the premises' values."""
    return (sp.sympify(premises[tid]["p"]) - 1) / sp.sympify(premises[kid]["p"])


def leading_from(premises, kid, tid):
    """``(C_T/2) Gamma(xi+1) (2 C_mu t)^-xi``, ``C_T = C_E/(2(p_E - 1))`` (the tail over one
    parity), ``xi = (p_E - 1)/p``, from the premises' values (V&Y Theorem 1 in degree form)."""
    kern, target = premises[kid], premises[tid]
    q = sp.sympify(target["p"]) - 1
    xi = q / sp.sympify(kern["p"])
    C_T = target["C"] / (2 * q)
    return sp.powsimp(C_T / 2 * sp.gamma(xi + 1) * (2 * kern["C"] * t) ** (-xi))


TABLE_NAMES = ("arccos0", "arccos1", "arccos2", "relu_ntk_bias", "relu2_ntk_bias")
for name in TABLE_NAMES:
    for m in ORDERS:
        if not law_applies(name, m):
            continue
        for d in DIMENSIONS:
            kid, tid = premise_ids(name, m, d)
            D.equality(f"xi-{name}-m{m}-d{d}", lambda p, kid=kid, tid=tid: xi_from(p, kid, tid),
                       xi_closed_form(name, m, d), uses=[premise(kid), premise(tid), "velikanov_yarotsky/mellin-integral"],
                       value=lambda p, kid=kid, tid=tid: {"xi": xi_from(p, kid, tid)},
                       title=f"xi = kappa/nu_index for {name} and the equator jump in derivative {m}, d={d}",
                       source="V&Y xi = kappa/nu with p (kernel decay) and p_E (target energy decay) "
                              "read from the premises' values")


# ---------------------------------------------------------------------------
# The loss laws on the exact sums
# ---------------------------------------------------------------------------
#: tail degrees k = 2(n + HEAD_PAIRS) + parity, n >= 1; all lower degrees summed exactly
HEAD_PAIRS = 3
#: digits and grid points of the loss laws: 10 digits on 8 points (the four laws verify to 11.1,
#: 11.4, 14.5 and 15.1 digits; 10 points give 14-18 for 40% more CPU); 20 digits on 22 points
#: at 45/60 (as ntk_loss's) would cost 3-4x the CPU
LOSS_DIGITS = 10
LOSS_POINTS = 8


def exact_loss(tt, name, m, d):
    """``L(t) = (1/2) sum_k E_k exp(-2 mu_k t)`` for ``t_+^m/m!`` and a table kernel, exactly:
    degrees below ``2 HEAD_PAIRS + 2 + parity`` from the exact closed forms (both parities;
    sphere_targets' jump_coefficient, the kernel's eigenvalue), the rest of the target's parity
    by :func:`workbench.scaling.loss.loss_arb` (flint balls, Euler-Maclaurin) on the smooth forms."""
    tt = mp.mpf(tt)
    q = target_parity(m)
    first = 2 * (HEAD_PAIRS + 1) + q
    kern = kernel_of(name)
    head = mp.fsum(jump_energy_closed(kk, m, d) * mp.exp(-2 * eigenvalue(kern, d, kk) * tt)
                   for kk in range(first)) / 2
    degree = lambda n: 2 * (n + HEAD_PAIRS) + q  # noqa: E731
    return head + loss_arb(lambda n: kernel_mu_arb(name, d, degree(n), q),
                           lambda n: jump_energy_arb(m, d, degree(n)), tt, direct=100, order=6)


#: (kernel, m, d) of the loss laws checked on the exact sums (4-8 s CPU each, so a subset):
#: the ReLU^2 NTK with the m = 1 jump at d = 3 and the m = 2 jump at d = 4, the ReLU NNGP with the
#: m = 1 jump at d = 2, the ReLU^2 NNGP with the m = 2 jump at d = 3 (the ReLU NTK with m = 0 is
#: ntk_loss's chain).  The ReLU NTK with m = 2 at d = 3 also verifies (15.7 digits, 5.5 s): left
#: out for the CPU budget.
LOSS_CASES = [("relu2_ntk_bias", 1, 3), ("arccos1", 1, 2), ("arccos2", 2, 3), ("relu2_ntk_bias", 2, 4)]
for name, m, d in LOSS_CASES:
    kid, tid = premise_ids(name, m, d)
    p_mu = KERNEL_LAWS[name][0] * 2 + d - 1
    D.asymptotic(
        f"loss-{name}-m{m}-d{d}",
        title=f"Gradient-flow loss of {name} on S^{d - 1}, target t_+^{m}/{m}!: t^-{xi_closed_form(name, m, d)}",
        sequence=lambda tt, name=name, m=m, d=d: exact_loss(tt, name, m, d),
        sequence_name=rf"\tfrac12\sum_k E_k(t_+^{m}/{m}!)\,e^{{-2\mu_k t}}", variable=t,
        leading=lambda p, kid=kid, tid=tid: leading_from(p, kid, tid), corrections=1 / p_mu,
        kind="theorem", uses=[f"xi-{name}-m{m}-d{d}", premise(kid), premise(tid)],
        # corrections in t^(-1/p): ratio 2^p makes their rates 2^-j; the start t = 16^p puts
        # the first correction at 1/16
        validator=Extrapolation(digits=LOSS_DIGITS, dps=30,
                                grid=Grid(start=16 ** int(p_mu), ratio=2 ** int(p_mu), points=LOSS_POINTS)),
        source="Velikanov & Yarotsky 2021 Theorem 1 applied to the premises' values")
