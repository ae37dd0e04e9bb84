"""Loss exponent of gradient flow for the two-layer ReLU NTK on S^(d-1) and a hemisphere target.

Convention: kernel gradient flow ``df/dt = -T_K (f - f*)`` from ``f = 0`` with
``(T_K g)(x) = E_{x'~tau} K(<x, x'>) g(x')`` (``tau`` the uniform probability measure on
S^(d-1)), ``K = relu_ntk_bias = (u+1) kappa0 + kappa1`` (kernel_spectra's normalisation,
``K(1) = 3``).  Then ``L(t) = (1/2) E (f - f*)^2 = (1/2) sum_k E_k exp(-2 mu_k t)``, with ``E_k``
the target's degree-k energy (sphere_targets) and ``mu_k`` the Funk-Hecke eigenvalues.

The chain (seed 000, Velikanov & Yarotsky): the index-ordered eigenvalues ``lambda_n ~ Lambda
n^-nu`` (kernel_spectra's ``relu_ntk_bias-index-order-d{d}``, value ``{"Lambda", "nu"}``) and the
target's index-ordered tail ``s_n ~ K n^-kappa`` (sphere_targets' ``hemisphere-index-tail-d{d}``,
value ``{"K", "kappa"}``) give ``L(t) ~ (K/2) Gamma(kappa/nu + 1) (2 Lambda t)^(-kappa/nu)``.  Both
``xi-exponent-d{d}`` (``kappa/nu = 1/d``) and the loss law ``xi-relu-ntk-bias-hemisphere-d{d}``
are built from those values (:func:`declare_xi_claims`): if a premise's law changes, these
statements change with it and fail; nothing is retyped here.

For odd ``k >= 3``, ``mu_k(relu_ntk_bias) = mu_k(kappa0) = 2 f_k^2`` (f the hemisphere): the
exact sum is a sum of Gamma ratios, evaluated at 45+ digits by Euler-Maclaurin.

Without the bias, ``mu_k(relu_ntk) = 0`` for odd ``k >= 3``: the hemisphere's odd part beyond
degree 1 is never learned, and the loss tends to ``L_inf = (1/2) sum_{odd k >= 3} E_k =
(1/2) (1/4 - d Gamma(d/2)^2 / (4 pi Gamma((d+1)/2)^2)) > 0``.  ``no-bias-plateau-d{d}``
computes ``L(t)`` from the no-bias spectrum itself (every ``mu_k`` from the kernel's closed form,
no zero assumed) and extrapolates it in t; the closed form is only the claimed limit.
"""

from __future__ import annotations

import math

import mpmath as mp
import sympy as sp
from flint import arb

from workbench import Derivation, Evidence, Extrapolation, Grid, Measured
from workbench.kernels import eigenvalue, kernel, multiplicity
from workbench.scaling.balls import gamma_ratio_arb
from workbench.scaling.loss import loss_arb
from workbench.scaling.targets import (gamma_ratio, hemisphere_coefficient, hemisphere_energy,
                                       hemisphere_energy_arb)

from . import kernel_spectra as KS
from . import sphere_targets as ST

D = Derivation("ntk_loss", title="Loss exponent of the ReLU NTK on the sphere, hemisphere target",
               source="Velikanov & Yarotsky 2021 (xi = kappa/nu) with kernel_spectra and "
                      "sphere_targets as premises")

t = sp.Symbol("t", positive=True)
d_s = sp.Symbol("d", positive=True)
XI_DIMENSIONS = (2, 3, 4)
PLATEAU_DIMENSIONS = (2, 3, 4, 5)
R = sp.Rational


def odd_eigenvalue(d, j):
    """``mu_k(kappa0) = Gamma(d/2)^2 Gamma(k/2)^2 / (2 pi^2 Gamma((k+d)/2)^2)`` at ``k = 2j+1``, real j."""
    return gamma_ratio(j, mp.mpf(1) / 2, mp.mpf(1 + d) / 2) ** 2 * mp.gamma(mp.mpf(d) / 2) ** 2 / (2 * mp.pi ** 2)


def odd_eigenvalue_arb(d, j, ratio=None):
    """:func:`odd_eigenvalue` in flint balls (``j`` an arb or arb_series), for :func:`loss_arb`;
    ``ratio`` is ``Gamma(j + 1/2) / Gamma(j + (d+1)/2)`` if already known."""
    from flint import arb
    if ratio is None:
        ratio = gamma_ratio_arb(j, arb(1) / 2, arb(1 + d) / 2)
    return ratio ** 2 * (arb(d) / 2).gamma() ** 2 / (2 * arb.pi() ** 2)


def _same_argument_memo(f):
    """``f(j)`` remembered for the last ``j`` *object* (arb balls are immutable, and the memo
    holds a reference, so ``is`` means the same value at the same flint precision): loss_arb
    asks for ``mu(j)`` and ``E(j)`` of one ``j`` in turn, and both start from one Gamma ratio."""
    last = [None, None]

    def g(j):
        if last[0] is not j:
            last[0], last[1] = j, f(j)
        return last[1]
    return g


def hemisphere_loss(tt, d, bias=True):
    """``L(t) = (1/2) sum_k E_k exp(-2 mu_k t)`` for the hemisphere and the ReLU NTK, exactly.

    Degrees 0 and 1 directly (exact mu_0, mu_1 of the kernel); odd ``k = 2j+1 >= 3`` by
    :func:`workbench.scaling.loss.loss_arb` (flint balls) over ``j >= 1`` (with bias) -- or as the constant they
    contribute (without bias, where ``mu_k = 0``).
    """
    tt = mp.mpf(tt)
    kern = kernel("relu_ntk_bias" if bias else "relu_ntk")
    head = mp.fsum(multiplicity(d, kk) * hemisphere_coefficient(d, kk) ** 2
                   * mp.exp(-2 * eigenvalue(kern, d, kk) * tt) for kk in (0, 1)) / 2
    if bias:
        # mu_k and E_k share the ratio Gamma(j + 1/2) / Gamma(j + (d+1)/2): one evaluation per j
        ratio = _same_argument_memo(lambda j: gamma_ratio_arb(j, arb(1) / 2, arb(1 + d) / 2))
        return head + loss_arb(lambda j: odd_eigenvalue_arb(d, j, ratio(j)),
                               lambda j: hemisphere_energy_arb(d, j, ratio(j)), tt, direct=1000, order=6)
    return head + odd_energy_beyond_one(d) / 2


def odd_energy_beyond_one(d):
    """``sum_{odd k >= 3} E_k`` by mpmath's nsum (Euler-Maclaurin / Richardson)."""
    return mp.nsum(lambda j: hemisphere_energy(d, j), [1, mp.inf])


def plateau_closed_form(d):
    """``L_inf = (1/2) (1/4 - d Gamma(d/2)^2 / (4 pi Gamma((d+1)/2)^2))`` (sympy)."""
    d = sp.Integer(d)
    return R(1, 2) * (R(1, 4) - d * sp.gamma(d / 2) ** 2 / (4 * sp.pi * sp.gamma((d + 1) / 2) ** 2))


# ---------------------------------------------------------------------------
# The eigenvalues along odd k, and the exponent
# ---------------------------------------------------------------------------
def _odd_scale(d):
    """``(pi / Gamma(d/2))^2``: both sides of ``odd-eigenvalues`` are scaled by it so that the
    compared numbers are irrational (for odd d the eigenvalues are rationals, often dyadic: the
    same long mantissa at both working precisions, which the two-precision validator cannot tell
    from a precision-blind computation)."""
    return (mp.pi / mp.gamma(mp.mpf(d) / 2)) ** 2


def bias_odd_eigenvalue(k, d):
    """``s mu_k`` of relu_ntk_bias (closed form, ``s`` = :func:`_odd_scale`), twice: against the
    two forms of ``rhs``."""
    mu = _odd_scale(d) * eigenvalue(kernel("relu_ntk_bias"), d, k)
    return mu, mu


def step_neuron_forms(k, d):
    """``s (2 f_k^2, Gamma-ratio form)``: the hemisphere's squared coefficient and :func:`odd_eigenvalue`."""
    s = _odd_scale(d)
    return s * 2 * hemisphere_coefficient(d, k) ** 2, s * odd_eigenvalue(d, (k - 1) // 2)


def no_bias_odd_eigenvalue(k, d):
    """``mu_k`` of relu_ntk (no bias), closed form."""
    return eigenvalue(kernel("relu_ntk"), d, k)


def zero(k, d):
    """The exact zero."""
    return 0


ODD_K = list(range(3, 42, 2))
#: ``no-bias-odd-zero``: a side that is exactly 0 against one that is not must be below
#: ``10^-digits * ZERO_SCALE``: effectively exact zeros
ZERO_SCALE = 1e-300

for d in PLATEAU_DIMENSIONS:
    D.agree(f"odd-eigenvalues-d{d}", bias_odd_eigenvalue, step_neuron_forms, over=ODD_K, digits=35,
            params={"d": d},
            lhs_label=rf"\frac{{\pi^2}}{{\Gamma({sp.latex(R(d, 2))})^2}}\,\mu_k(\mathrm{{relu\_ntk\_bias}})",
            rhs_label=(rf"\frac{{\pi^2}}{{\Gamma({sp.latex(R(d, 2))})^2}}\,2f_k^2 = "
                       rf"\frac{{\Gamma(k/2)^2}}{{2\Gamma((k+{d})/2)^2}}"),
            over_label=rf"k\ \mathrm{{odd}},\ 3 \le k \le 41,\ \text{{on }} S^{{{d - 1}}}",
            kind="lemma",
            uses=[f"kernel_spectra/relu_ntk_bias-exact-d{d}", f"sphere_targets/hemisphere-gamma-form-d{d}"],
            title=f"ReLU NTK (bias) eigenvalues on odd degrees are the hemisphere's squared coefficients, d={d}",
            source="kernels-scaling.md 3.3 (mu_k(u kappa0) vanishes on odd k >= 3)")
    D.agree(f"no-bias-odd-zero-d{d}", no_bias_odd_eigenvalue, zero, over=ODD_K, digits=35,
            zero_scale=ZERO_SCALE, params={"d": d}, lhs_label=r"\mu_k(\mathrm{relu\_ntk})", rhs_label="0",
            over_label=rf"k\ \mathrm{{odd}},\ 3 \le k \le 41,\ \text{{on }} S^{{{d - 1}}}",
            kind="lemma", uses=[f"kernel_spectra/relu_ntk-exact-d{d}"],
            title=f"The ReLU NTK without bias vanishes on odd degrees k >= 3, d={d}",
            source="kernels-scaling.md 3.2 (odd coefficients of the no-bias NTK vanish)")


# ---------------------------------------------------------------------------
# The exponent xi = kappa/nu and the loss law, from the premises' values
# ---------------------------------------------------------------------------
def spectrum_premise(d):
    """``kernel_spectra/relu_ntk_bias-index-order-d{d}``: value ``{"Lambda", "nu"}``, lambda_i ~ Lambda i^-nu."""
    return KS.D[f"relu_ntk_bias-index-order-d{d}"]


def target_premise(d):
    """``sphere_targets/hemisphere-index-tail-d{d}``: value ``{"K", "kappa"}``, s_n ~ K n^-kappa."""
    return ST.D[f"hemisphere-index-tail-d{d}"]


def xi_from(premises, spectrum_id, target_id):
    """``xi = kappa / nu`` from the premises' values."""
    return premises[target_id]["kappa"] / premises[spectrum_id]["nu"]


def leading_from(premises, spectrum_id, target_id):
    """``(K/2) Gamma(xi + 1) (2 Lambda t)^-xi``, ``xi = kappa/nu``, with ``Lambda, nu`` and
    ``K, kappa`` the premises' values (Velikanov & Yarotsky's Theorem 1 for
    ``L = (1/2) sum_n s'_n exp(-2 lambda_n t)``)."""
    spectrum, target = premises[spectrum_id], premises[target_id]
    xi = target["kappa"] / spectrum["nu"]
    return sp.powsimp(target["K"] / 2 * sp.gamma(xi + 1) * (2 * spectrum["Lambda"] * t) ** (-xi))


def declare_xi_claims(D, d, spectrum, target, uses=()):
    """Declare ``xi-exponent-d{d}`` (``kappa/nu = 1/d``) and ``xi-relu-ntk-bias-hemisphere-d{d}``
    (the loss law) on ``D``, built from the values of the premises ``spectrum`` (``{"Lambda",
    "nu"}``) and ``target`` (``{"K", "kappa"}``), both :class:`~workbench.claims.Claim` objects.
    ``uses`` adds premises that carry no value.  Returns the two claims."""
    sid, tid = spectrum.id, target.id
    xi = D.equality(
        f"xi-exponent-d{d}", lambda p: xi_from(p, sid, tid), R(1, d),
        title=f"xi = kappa/nu = 1/{d} for the ReLU NTK (bias) and the hemisphere, d={d}",
        uses=[spectrum, target, "velikanov_yarotsky/mellin-integral"],
        value=lambda p: xi_from(p, sid, tid),
        source="V&Y's xi = kappa/nu with nu (kernel_spectra) and kappa (sphere_targets) read from "
               "the premises' values")
    law = D.asymptotic(
        f"xi-relu-ntk-bias-hemisphere-d{d}",
        title=f"Gradient-flow loss of the ReLU NTK (bias) on S^{d - 1}, hemisphere target: t^-1/{d}",
        sequence=lambda tt, d=d: hemisphere_loss(tt, d),
        sequence_name=r"\tfrac12\sum_k N(d,k) f_k^2 e^{-2\mu_k t}",
        variable=t, leading=lambda p: leading_from(p, sid, tid), corrections=R(1, d),
        kind="theorem", uses=[xi, spectrum, target, *uses],
        # corrections in t^(-1/d): ratio 2^d makes their rates 2^-j, well separated for Wynn
        validator=Extrapolation(digits=20, dps=45, grid=Grid(start=16, ratio=2 ** d, points=22)),
        source="Velikanov & Yarotsky 2021 Theorem 1 applied to the premises' values")
    return xi, law


for d in XI_DIMENSIONS:
    declare_xi_claims(D, d, spectrum_premise(d), target_premise(d),
                      uses=[f"odd-eigenvalues-d{d}", f"kernel_spectra/relu_ntk_bias-decay-odd-d{d}",
                            "velikanov_yarotsky/xi-3o2_1_1_1"])


# ---------------------------------------------------------------------------
# Without the bias: a plateau
# ---------------------------------------------------------------------------
def plateau_value(d):
    """``L_inf`` from its closed form (sympy, evaluated at the working precision)."""
    return mp.mpf(sp.N(plateau_closed_form(d), mp.mp.dps + 10))


def no_bias_loss_from_spectrum(tt, d):
    """``L(t) = (1/2) sum_k E_k exp(-2 mu_k t)`` without the bias, every ``mu_k`` from the
    kernel's closed form (``workbench.kernels.eigenvalue`` of relu_ntk, the spectrum that
    ``kernel_spectra/relu_ntk-exact-d{d}`` checks against quadrature): nothing here assumes
    which eigenvalues vanish.  Degrees 0 and 1 directly, the odd degrees ``k = 2j+1 >= 3`` by
    mpmath's nsum (Richardson on integer j, the eigenvalue evaluated at each ``k``); the even
    degrees ``>= 2`` carry no energy (the hemisphere is 1/2 plus an odd function)."""
    tt = mp.mpf(tt)
    kern = kernel("relu_ntk")
    head = mp.fsum(multiplicity(d, kk) * hemisphere_coefficient(d, kk) ** 2
                   * mp.exp(-2 * eigenvalue(kern, d, kk) * tt) for kk in (0, 1))
    odd = mp.nsum(lambda j: hemisphere_energy(d, j) * mp.exp(-2 * eigenvalue(kern, d, 2 * int(j) + 1) * tt),
                  [1, mp.inf])
    return (head + odd) / 2


def hemisphere_energy_total(d):
    """``E_0 + E_1 + sum_{odd k >= 3} E_k = 1/4 + d f_1^2 + sum`` (the sum by nsum)."""
    return mp.mpf(1) / 4 + d * hemisphere_coefficient(d, 1) ** 2 + odd_energy_beyond_one(d)


def half(d):
    """``E[f^2] = 1/2`` for the hemisphere indicator."""
    return R(1, 2)


for d in PLATEAU_DIMENSIONS:
    D.agree(f"odd-energy-parseval-d{d}", hemisphere_energy_total, half, over=[{"d": d}], digits=30,
            lhs_label=r"E_0 + E_1 + \sum_{\mathrm{odd}\ k\ge3} E_k", rhs_label=r"\mathbb{E}f^2 = \tfrac12",
            over_label=rf"d = {d}", kind="lemma", uses=[f"sphere_targets/hemisphere-energy-smooth-d{d}"],
            title=f"Parseval for the hemisphere: the odd-degree sum (nsum) completes E[f^2] = 1/2, d={d}",
            source="Parseval; the sum by mpmath nsum")
    D.asymptotic(
        f"no-bias-plateau-d{d}",
        title=f"Without bias the NTK never learns odd degrees >= 3: the loss tends to L_inf, d={d}",
        sequence=lambda tt, d=d: no_bias_loss_from_spectrum(tt, d),
        sequence_name=r"\tfrac12\sum_k N(d,k) f_k^2 e^{-2\mu_k(\mathrm{relu\_ntk}) t}",
        variable=t, leading=plateau_closed_form(d) * t ** 0, kind="theorem",
        uses=[f"no-bias-odd-zero-d{d}", f"odd-energy-parseval-d{d}", f"kernel_spectra/relu_ntk-exact-d{d}"],
        # the approach is exponential (rate 2 min(mu_0, mu_1) = 2/d): below 10^-35 from
        # t ~ 40 d on, so the grid t = 4d..2^9 4d shows both the approach and the limit
        validator=Extrapolation(digits=25, dps=35, grid=Grid(start=4 * d, ratio=2, points=10)),
        source="derived here from kernels-scaling.md 3.2-3.3 (mu_k(relu_ntk) = 0 for odd k >= 3): "
               "L(t) from the spectrum, its limit extrapolated in t, against the closed form")
    D.inequality(f"plateau-positive-d{d}", sp.Gt(plateau_closed_form(d), 0, evaluate=False),
                 kind="lemma", uses=[f"no-bias-plateau-d{d}"],
                 title=f"The no-bias plateau is positive, d={d}",
                 source="closed form of L_inf")


def bias_removes_plateau():
    """With the bias the loss at ``t = 10^12`` is below a tenth of the no-bias plateau."""
    measured, ok = {}, True
    with mp.workdps(40):
        for d in PLATEAU_DIMENSIONS:
            closed = plateau_value(d)
            with_bias = hemisphere_loss(10 ** 12, d, bias=True)
            ok &= bool(with_bias < closed / 10)
            measured[f"d={d}: L(10^12) with bias"] = Measured(mp.nstr(with_bias, 6), None,
                                                              f"< L_inf/10 = {mp.nstr(closed / 10, 6)}")
    return Evidence.judge(ok, f"with the bias L(10^12) < L_inf/10 for d = {list(PLATEAU_DIMENSIONS)}",
                          methods=["exact loss sum"], measured=measured, precisions=[40])


D.add("bias-removes-plateau",
      r"with the bias (relu\_ntk\_bias) the hemisphere loss falls below the no-bias plateau: "
      rf"$L(10^{{12}}) < L_\infty/10$ on $S^{{d-1}}$, $d \in \{{{', '.join(map(str, PLATEAU_DIMENSIONS))}\}}$",
      kind="lemma", check=bias_removes_plateau,
      uses=[f"no-bias-plateau-d{d}" for d in PLATEAU_DIMENSIONS]
           + [f"odd-eigenvalues-d{d}" for d in PLATEAU_DIMENSIONS],
      title="The bias term removes the plateau (odd degrees are learned)",
      source="contrast of kernels-scaling.md 3.2 and 3.3")


# ---------------------------------------------------------------------------
# Real gradient descent of a wide ReLU network (independent of the spectral formulas)
# ---------------------------------------------------------------------------
def gd_exponent(d, M, T, widths, seeds):
    """Measured loss exponent of GD on ``t in [T/10, T]`` against the kernel flow.

    ``L`` is the loss on M fixed points (workbench.scaling.gd, eta = 1, t = steps).  The
    infinite-width prediction on the same points is exact: ``(1/2M) sum_i c_i^2 (1 -
    lambda_i)^(2t)`` from the Gram matrix of relu_ntk_bias.  The measured exponent at widths m
    and 4m is extrapolated in ``m^-1/2`` (the order of the tangent-kernel fluctuations); the bar
    is 3 standard errors (seeds) plus a quarter of the width step (the next order).
    """
    import numpy as np
    from workbench.kernels.gram import gram_matrix
    from workbench.plotting import series
    from workbench.scaling import loss_curve
    from workbench.scaling.gd import sphere_points, train_relu_network
    X = sphere_points(d, M)
    y = (X[:, -1] >= 0).astype(float)
    steps = np.unique(np.geomspace(T // 10, T, 6).astype(int))
    lam, V = np.linalg.eigh(gram_matrix(kernel("relu_ntk_bias"), X) / M)
    c2 = (V.T @ y) ** 2 / M
    kernel_gd = np.array([0.5 * np.sum(c2 * (1 - lam) ** (2 * s)) for s in steps])
    s_kernel = math.log(kernel_gd[-1] / kernel_gd[0]) / math.log(steps[-1] / steps[0])
    # the population flow (all degrees) on the same window
    ks = [kk for kk in range(20000) if kk <= 1 or kk % 2 == 1]
    mu = np.array([float(eigenvalue(kernel("relu_ntk_bias"), d, kk)) for kk in ks])
    E = np.array([multiplicity(d, kk) * float(hemisphere_coefficient(d, kk)) ** 2 for kk in ks])
    order = np.argsort(-mu)
    pop = loss_curve(mu[order], E[order], steps.astype(float))
    s_pop = math.log(pop[-1] / pop[0]) / math.log(steps[-1] / steps[0])
    slopes, runs = [], {}
    for m in widths:
        r = np.array([train_relu_network(X, y, m, 1.0, steps, s) for s in seeds])
        sl = np.log(r[:, -1] / r[:, 0]) / math.log(steps[-1] / steps[0])
        slopes.append((float(sl.mean()), float(sl.std(ddof=1) / math.sqrt(len(seeds)))))
        runs[m] = r
    (s1, e1), (s2, e2) = slopes[-2], slopes[-1]
    s_inf = s2 + (s2 - s1)                          # Richardson in m^-1/2 with m2 = 4 m1
    se = math.hypot(2 * e2, e1)
    bar = 3 * se + abs(s2 - s1) / 4
    ok = abs(s_inf - s_kernel) <= bar and abs(s_pop - s_kernel) < 0.01
    big = runs[widths[-1]]
    plot = series(steps, big.mean(0), big.std(0, ddof=1) / math.sqrt(len(seeds)), kernel_gd,
                  xlabel="t = eta x steps", ylabel="L (population on M points)",
                  label=f"GD, width {widths[-1]} ({len(seeds)} seeds)", law_label="kernel gradient descent (infinite width)")
    measured = {f"exponent, width {m}": Measured(f"{s:.4f}", f"{e:.4f}") for m, (s, e) in zip(widths, slopes)}
    measured["exponent, width -> inf"] = Measured(f"{s_inf:.4f}", f"{bar:.4f}", f"{s_kernel:.4f}")
    return Evidence.judge(ok, f"GD exponent on t = {steps[0]}..{steps[-1]}: {s1:.3f}, {s2:.3f} at widths "
                              f"{widths[-2]}, {widths[-1]} -> {s_inf:.3f} +- {bar:.3f} (width -> inf); "
                              f"kernel flow on the same points {s_kernel:.3f}, on the sphere {s_pop:.3f} "
                              f"(-> -xi = -1/{d} as t -> inf)",
                          methods=["numba GD of a two-layer ReLU network", "Gram-matrix kernel GD",
                                   "width extrapolation"], measured=measured, details={"plot": plot})


GD_SETTINGS = {2: dict(M=256, T=100, widths=(4096, 16384), seeds=(0, 1, 2)),
               3: dict(M=512, T=100, widths=(1024, 4096), seeds=(0, 1, 2, 3, 4, 5))}
for d, settings in GD_SETTINGS.items():
    D.add(f"gd-relu-network-d{d}",
          rf"gradient descent of a wide two-layer ReLU network with bias on $S^{{{d - 1}}}$, hemisphere target: "
          rf"its loss exponent (width $\to\infty$) is the kernel flow's, which tends to $-\xi = -1/{d}$",
          kind="lemma", check=gd_exponent, params={"d": d, **settings},
          uses=[f"xi-relu-ntk-bias-hemisphere-d{d}"],
          title=f"Real GD of a wide ReLU network follows the NTK loss law, d={d}",
          source="independent checker: workbench.scaling.gd")
