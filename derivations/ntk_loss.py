"""Loss exponent of gradient flow for the two-layer ReLU NTK on S^(d-1) and a hemisphere target.

Convention: kernel gradient flow ``df/dt = -T_K (f - f*)`` from ``f = 0`` with
``(T_K g)(x) = E_{x'~tau} K(<x, x'>) g(x')`` (``tau`` the uniform probability measure on
S^(d-1)), ``K = relu_ntk_bias = (u+1) kappa0 + kappa1`` (kernel_spectra's normalisation,
``K(1) = 3``).  Then ``L(t) = (1/2) E (f - f*)^2 = (1/2) sum_k E_k exp(-2 mu_k t)``, with ``E_k``
the target's degree-k energy (sphere_targets) and ``mu_k`` the Funk-Hecke eigenvalues.

The chain (seed 000, Velikanov & Yarotsky): the index-ordered eigenvalues ``lambda_n ~ Lambda
n^-nu`` (kernel_spectra: ``nu = 1 + 1/(d-1)``, ``Lambda = A``) and the target's index-ordered tail
``s_n ~ K n^-kappa`` (sphere_targets: ``kappa = 1/(d-1)``) give ``L(t) ~ (K/2) Gamma(kappa/nu + 1)
(2 Lambda t)^(-kappa/nu)``: ``xi = 1/d``.  Index order: ``n(K) ~ P K^(d-1)/(d-1)!`` modes have
degree <= K (``P = 2``: both parities of the NTK are non-zero), so ``s_n`` at ``n(K)`` is the
degree tail ``sum_{odd k >= K} E_k ~ C_d / (2 (d-2)!) K^-1``.

For odd ``k >= 3``, ``mu_k(relu_ntk_bias) = mu_k(kappa0) = 2 f_k^2`` (f the hemisphere): the
exact sum is a sum of Gamma ratios, evaluated at 45+ digits by Euler-Maclaurin.

Without the bias, ``mu_k(relu_ntk) = 0`` for odd ``k >= 3``: the hemisphere's odd part beyond
degree 1 is never learned, and the loss tends to ``L_inf = (1/2) sum_{odd k >= 3} E_k =
(1/2) (1/4 - d Gamma(d/2)^2 / (4 pi Gamma((d+1)/2)^2)) > 0``.
"""

from __future__ import annotations

import math

import mpmath as mp
import sympy as sp

from workbench import Derivation, Evidence, Extrapolation, Grid, Measured
from workbench.kernels import eigenvalue, kernel, multiplicity
from workbench.scaling import loss_mp
from workbench.scaling.targets import gamma_ratio, hemisphere_coefficient, hemisphere_energy

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


def hemisphere_loss(tt, d, bias=True):
    """``L(t) = (1/2) sum_k E_k exp(-2 mu_k t)`` for the hemisphere and the ReLU NTK, exactly.

    Degrees 0 and 1 directly (exact mu_0, mu_1 of the kernel); odd ``k = 2j+1 >= 3`` by
    :func:`workbench.scaling.loss_mp` over ``j >= 1`` (with bias) -- or as the constant they
    contribute (without bias, where ``mu_k = 0``).
    """
    tt = mp.mpf(tt)
    kern = kernel("relu_ntk_bias" if bias else "relu_ntk")
    head = mp.fsum(multiplicity(d, kk) * hemisphere_coefficient(d, kk) ** 2
                   * mp.exp(-2 * eigenvalue(kern, d, kk) * tt) for kk in (0, 1)) / 2
    if bias:
        return head + loss_mp(lambda j: odd_eigenvalue(d, j), lambda j: hemisphere_energy(d, j), tt,
                              direct=1000, order=6)
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
def odd_eigenvalues_check(d):
    """mu_k(relu_ntk_bias) = 2 f_k^2 = odd_eigenvalue for odd 3 <= k <= 41; mu_k(relu_ntk) = 0 there."""
    worst, nonzero = math.inf, []
    with mp.workdps(40):
        for kk in range(3, 42, 2):
            mu = eigenvalue(kernel("relu_ntk_bias"), d, kk, dps=40)
            two_f2 = 2 * hemisphere_coefficient(d, kk) ** 2
            smooth = odd_eigenvalue(d, (kk - 1) // 2)
            err = max(abs(mu - two_f2), abs(mu - smooth))
            worst = min(worst, 40.0 if err == 0 else float(-mp.log10(err / mu)))
            if eigenvalue(kernel("relu_ntk"), d, kk, dps=40) != 0:
                nonzero.append(kk)
    ok = worst >= 35 and not nonzero
    return Evidence.judge(ok, f"mu_k(relu_ntk_bias) = 2 f_k^2 = Gamma-ratio form to {min(worst, 40):.1f} "
                              f"digits for odd 3 <= k <= 41; mu_k(relu_ntk) = 0 exactly there"
                              + (f" (except k = {nonzero})" if nonzero else ""),
                          methods=["kernel closed forms", "hemisphere coefficients"], digits=min(worst, 40),
                          precisions=[40])


for d in PLATEAU_DIMENSIONS:
    D.add(f"odd-eigenvalues-d{d}",
          rf"on $S^{{{d - 1}}}$, odd $k\ge3$: $\mu_k(\mathrm{{relu\_ntk\_bias}}) = \mu_k(\kappa_0) = 2f_k^2 = "
          rf"\frac{{\Gamma(d/2)^2\Gamma(k/2)^2}}{{2\pi^2\Gamma((k+d)/2)^2}}$, $\mu_k(\mathrm{{relu\_ntk}}) = 0$",
          kind="lemma", check=odd_eigenvalues_check, params={"d": d},
          uses=[f"kernel_spectra/relu_ntk_bias-exact-d{d}", f"kernel_spectra/relu_ntk-exact-d{d}",
                f"sphere_targets/hemisphere-gamma-form-d{d}"],
          title=f"ReLU NTK eigenvalues on odd degrees are the hemisphere's squared coefficients, d={d}",
          source="kernels-scaling.md 3.3 (mu_k(u kappa0) vanishes on odd k >= 3)")

# symbolic: index-order exponents from the premises (alpha = 2 nu_s/(d-1), nu_s = 1/2; kappa = 1/(d-1))
NU_INDEX = 1 + 2 * R(1, 2) / (d_s - 1)
KAPPA_INDEX = 1 / (d_s - 1)
D.equality("xi-exponent", KAPPA_INDEX / NU_INDEX, 1 / d_s,
           title="xi = kappa/nu = 1/d for the ReLU NTK (bias) and a cap indicator",
           uses=["kernel_spectra/relu_ntk_bias-index-order-d3", "sphere_targets/hemisphere-energy-decay-d3",
                 "velikanov_yarotsky/mellin-integral"],
           source="nu = 1 + 1/(d-1) (index order), kappa = 1/(d-1): V&Y's xi = kappa/nu")


def leading_from_premises(d):
    """``(K/2) Gamma(kappa/nu + 1) (2 Lambda t)^(-kappa/nu)`` with the premises' index-order constants.

    ``Lambda = A = C_d ((d-1)!/2)^-(1+alpha)`` (kernel_spectra, both parities with
    ``C_d = 2^(d-1) Gamma(d/2)^2 / pi^2``); ``K = C_d / (2 (d-2)!) ((d-1)!/2)^(-1/(d-1))``
    (sphere_targets' degree tail ``C_d/(d-2)! k^-2`` on odd k, half the degrees).
    """
    d = sp.Integer(d)
    C = 2 ** (d - 1) * sp.gamma(d / 2) ** 2 / sp.pi ** 2
    alpha = 1 / (d - 1)
    Lam = C * (sp.factorial(d - 1) / 2) ** (-(1 + alpha))
    K = C / (2 * sp.factorial(d - 2)) * (sp.factorial(d - 1) / 2) ** (-1 / (d - 1))
    nu, kappa = 1 + alpha, 1 / (d - 1)
    return sp.powsimp(K / 2 * sp.gamma(kappa / nu + 1) * (2 * Lam * t) ** (-kappa / nu))


for d in XI_DIMENSIONS:
    D.asymptotic(
        f"xi-relu-ntk-bias-hemisphere-d{d}",
        title=f"Gradient-flow loss of the ReLU NTK (bias) on S^{d - 1}, hemisphere target: t^-1/{d}",
        sequence=lambda tt, d=d: hemisphere_loss(tt, d),
        sequence_name=r"\tfrac12\sum_k N(d,k) f_k^2 e^{-2\mu_k t}",
        variable=t, leading=leading_from_premises(d), corrections=R(1, d), kind="theorem",
        uses=[f"odd-eigenvalues-d{d}", "xi-exponent", f"kernel_spectra/relu_ntk_bias-index-order-d{d}",
              f"kernel_spectra/relu_ntk_bias-decay-odd-d{d}", f"sphere_targets/hemisphere-energy-decay-d{d}",
              "velikanov_yarotsky/xi-3o2_1_1_1"],
        # corrections in t^(-1/d): ratio 2^d makes their rates 2^-j, well separated for Wynn
        validator=Extrapolation(digits=20, dps=45, grid=Grid(start=16, ratio=2 ** d, points=22)),
        source="Velikanov & Yarotsky 2021 Theorem 1 applied to the premises (constant derived here)")


def no_bias_plateau(d):
    """The no-bias loss tends to L_inf > 0: closed form = Parseval sum = the loss at t = 10^6."""
    with mp.workdps(40):
        closed = mp.mpf(sp.N(plateau_closed_form(d), 50))
        summed = odd_energy_beyond_one(d) / 2
        # Parseval: E_0 + E_1 + sum_{odd k>=3} E_k = E[f^2] = 1/2
        parseval = (mp.mpf(1) / 4 + d * hemisphere_coefficient(d, 1) ** 2 + 2 * summed)
        late = hemisphere_loss(10 ** 6, d, bias=False)
        with_bias = hemisphere_loss(10 ** 12, d, bias=True)
    err = max(abs(summed - closed), abs(late - closed), abs(parseval - mp.mpf(1) / 2))
    digits = 40.0 if err == 0 else float(-mp.log10(err / closed))
    ok = digits >= 30 and closed > 0 and with_bias < closed / 10
    return Evidence.judge(ok, f"L_inf = {mp.nstr(closed, 12)}: closed form = sum over odd k >= 3 = L(10^6) "
                              f"to {min(digits, 38):.1f} digits, Parseval to 1/2 holds; with the bias "
                              f"L(10^12) = {mp.nstr(with_bias, 4)}",
                          methods=["mpmath nsum", "exact loss sum"], digits=min(digits, 38),
                          measured={"L_inf": Measured(mp.nstr(closed, 20)),
                                    "L(10^12) with bias": Measured(mp.nstr(with_bias, 6))},
                          precisions=[40])


for d in PLATEAU_DIMENSIONS:
    D.add(f"no-bias-plateau-d{d}",
          rf"ReLU NTK without bias on $S^{{{d - 1}}}$: the hemisphere loss tends to "
          rf"$L_\infty = {sp.latex(plateau_closed_form(d))} > 0$, the energy of odd degrees $k \ge 3$ "
          rf"(where $\mu_k = 0$); the loss tends to 0 only for targets with no such component",
          kind="theorem", check=no_bias_plateau, params={"d": d},
          uses=[f"odd-eigenvalues-d{d}", f"sphere_targets/hemisphere-gamma-form-d{d}"],
          title=f"Without bias the NTK never learns odd degrees >= 3: loss plateau, d={d}",
          source="kernels-scaling.md 3.2 (odd coefficients of the no-bias NTK vanish); derived here")


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
