"""Arnaboldi, Stephan, Krzakala & Loureiro 2023 (arXiv 2302.05882): dimensionless ODEs for
online SGD, one description from gradient flow to high-dimensional SGD; the regime map of
Veiga et al. 2022 (arXiv 2202.00293).

Conventions (our notes section 4; :mod:`workbench.teacher_student.dimensionless`): student
``(1/p) sum_j g(w_j.x/sqrt d)``, target ``(1/k) sum_r g(w*_r.x/sqrt d) + sqrt(Delta) zeta``,
``g = erf(x/sqrt 2)``, step ``gamma``, time ``t = nu gamma/(p d)``, risk without the noise term.

Chain:

    saad_solla/I3-erf, I4-erf --> dimensionless-ode (their equations = our closure in t)
        --> replica-collapse (ODE: only gamma/p matters) --> sgd-collapse (SGD across d, p, gamma)
        --> gradient-flow-limit (R_{gamma/p} - R_GF ~ gamma/p)
        --> regime-map (noise floor ~ gamma/p ~ d^-(kappa+delta))
"""

from __future__ import annotations

import math

import numpy as np

from workbench import Derivation, Evidence, Measured
from workbench.teacher_student import integrate
from workbench.teacher_student.averages import erf_i2, erf_i3, erf_i4, erf_j2
from workbench.teacher_student.closure import rhs
from workbench.teacher_student.dimensionless import (goldt_parameters, integrate_dimensionless,
                                                     regime, simulate_dimensionless)

D = Derivation("arnaboldi", title="Dimensionless ODEs of online SGD and the regime map",
               source="Arnaboldi et al. 2023, arXiv 2302.05882; Veiga et al. 2022, arXiv 2202.00293")

PREMISES = ["saad_solla/I3-erf", "saad_solla/I4-erf", "saad_solla/eg-formula"]


class _Sub:
    def __init__(self, C, idx):
        self.C, self.idx = C, idx

    def __getitem__(self, ij):
        return self.C[self.idx[ij[0]], self.idx[ij[1]]]


def arnaboldi_flow(Q, Mo, P, gamma, Delta):
    """Their ODE in ``t`` transcribed from our notes section 4 (``erf.pyx: erf_updates``)."""
    p, k = Mo.shape
    C = np.block([[Q, Mo], [Mo.T, P]])
    S, T = range(p), range(p, p + k)          # student and teacher indices in C
    i3 = lambda a, b, c: erf_i3(_Sub(C, (a, b, c)))  # noqa: E731
    i4 = lambda a, b, c, d: erf_i4(_Sub(C, (a, b, c, d)))  # noqa: E731
    dM = np.array([[sum(i3(j, p + r, s) for s in T) / k - sum(i3(j, p + r, l) for l in S) / p
                    for r in range(k)] for j in S])
    dQ = np.empty((p, p))
    for j in S:
        for l in S:
            first = (sum(i3(j, l, r) for r in T) / k - sum(i3(j, l, m) for m in S) / p
                     + sum(i3(l, j, r) for r in T) / k - sum(i3(l, j, m) for m in S) / p)
            noise = (sum(i4(j, l, o, q) for o in S for q in S) / p ** 2
                     - 2 * sum(i4(j, l, o, r) for o in S for r in T) / (p * k)
                     + sum(i4(j, l, r, s) for r in T for s in T) / k ** 2
                     + Delta * erf_j2(_Sub(C, (j, l))))
            dQ[j, l] = first + gamma / p * noise
    risk = (sum(erf_i2(_Sub(C, (a, b))) for a in T for b in T) / (2 * k * k)
            - sum(erf_i2(_Sub(C, (a, b))) for a in S for b in T) / (p * k)
            + sum(erf_i2(_Sub(C, (a, b))) for a in S for b in S) / (2 * p * p))
    return dQ, dM, risk


@D.claim("dimensionless-ode", kind="closure", uses=PREMISES,
         statement=r"with $N=d$, $K=p$, $v=1/p$, $v^*=1/k$, $\eta=\gamma$, $\sigma^2=\Delta$ the Goldt closure "
                   r"in $t = \alpha\gamma/p$ is Arnaboldi et al.'s ODE: "
                   r"$\dot M = \tfrac1k\sum_s I_3(j,r,s) - \tfrac1p\sum_l I_3(j,r,l)$, "
                   r"$\dot Q = [\ldots] + \tfrac{\gamma}{p}[\ldots I_4 + \Delta J_2]$",
         title="Arnaboldi et al.'s dimensionless ODE is the Goldt closure in t = alpha gamma/p",
         source="Arnaboldi et al. 2023; IdePHICS/DimensionlessDynamicsSGD erf.pyx (our notes 4)")
def dimensionless_ode(samples=4):
    worst = 0.0
    for seed in range(samples):
        rng = np.random.default_rng(seed)
        p, k = (2, 1) if seed % 2 else (3, 2)
        A = rng.standard_normal((p + k, p + k + 2))
        C = A @ A.T / (p + k + 2)
        Q, Mo, P = C[:p, :p], C[:p, p:], C[p:, p:]
        gamma, Delta = 0.3 + seed, 0.1 * seed
        dQ, dM, risk = arnaboldi_flow(Q, Mo, P, gamma, Delta)
        kw = goldt_parameters(p=p, k=k, gamma=gamma, noise=Delta)
        y = np.concatenate([Q.ravel(), Mo.ravel(), kw["v0"]])
        r = rhs(y, p, P[None], np.ones(1), kw["vstar"], gamma, 0.0, Delta, 0.0, 1) * p / gamma
        ours = integrate("erf", eta=gamma, Q0=Q, R0=Mo, T=P, v0=kw["v0"], vstar=kw["vstar"],
                         alphas=[0.0]).eg[0]
        scale = max(np.abs(dQ).max(), np.abs(dM).max())
        worst = max(worst, np.abs(r[:p * p] - dQ.ravel()).max() / scale,
                    np.abs(r[p * p:p * p + p * k] - dM.ravel()).max() / scale, abs(ours - risk) / risk)
    return Evidence.judge(worst < 1e-12, f"transcribed equations = (p/gamma) x our right-hand side, and "
                                         f"their risk = our eps_g, to {worst:.1g} on {samples} random states",
                          methods=["their ODE transcribed (closed-form averages)", "compiled closure"],
                          details={"max_relative_difference": worst})


# ---------------------------------------------------------------------------
# Collapse under the dimensionless time
# ---------------------------------------------------------------------------
BASE_Q = np.array([[0.6, 0.1], [0.1, 0.5]])
BASE_M = np.array([[0.3, 0.05], [0.0, 0.25]])
TIMES = [0.5, 1.0, 2.0, 4.0]
CONFIGS = [(1000, 2, 0.5), (2000, 4, 1.0), (4000, 8, 2.0)]      # (d, p, gamma): gamma/p = 1/4


def replicas(p):
    """``p`` students, copies of the two base students (``p/2`` each): exact under SGD and the ODE."""
    idx = np.arange(p) % 2
    return BASE_Q[np.ix_(idx, idx)], BASE_M[idx]


@D.claim("replica-collapse", kind="lemma", uses=["dimensionless-ode"],
         statement=r"students that coincide stay coincident, and then the risk in $t$ depends on "
                   r"$(\gamma, p)$ only through $\gamma/p$: curves with equal $\gamma/p$ coincide, "
                   r"and changing $\gamma/p$ moves them",
         title="Only gamma/p matters (ODE, replicated students)", source="Arnaboldi et al. 2023")
def replica_collapse():
    curves = {}
    for d, p, g in CONFIGS:
        Q0, M0 = replicas(p)
        curves[(p, g)] = integrate_dimensionless(p=p, k=2, gamma=g, Q0=Q0, M0=M0, times=TIMES).risk
    ref = curves[(2, 0.5)]
    spread = max(float(np.max(np.abs(c - ref) / ref)) for c in curves.values())
    Q0, M0 = replicas(2)
    other = integrate_dimensionless(p=2, k=2, gamma=1.0, Q0=Q0, M0=M0, times=TIMES).risk
    moved = float(np.max(np.abs(other - ref) / ref))
    ok = spread < 1e-8 and moved > 1e-2
    return Evidence.judge(ok, f"gamma/p = 1/4 at p = 2, 4, 8: curves agree to {spread:.1g}; "
                              f"gamma/p = 1/2 moves the curve by {moved:.2%}",
                          methods=["ODE in t (DOP853, rtol 1e-10)"],
                          measured={f"R(t={t})": Measured(f"{r:.8f}") for t, r in zip(TIMES, ref)})


def sgd_curves(seed):
    out = []
    for d, p, g in CONFIGS:
        Q0, M0 = replicas(p)
        out.append(simulate_dimensionless(d=d, p=p, k=2, gamma=g, Q0=Q0, M0=M0, times=TIMES,
                                          seed=seed).risk)
    return np.concatenate(out)


def ode_curves():
    Q0, M0 = replicas(2)
    return np.tile(integrate_dimensionless(p=2, k=2, gamma=0.5, Q0=Q0, M0=M0, times=TIMES).risk,
                   len(CONFIGS))


D.agreement("sgd-collapse", estimate=sgd_curves, reference=ode_curves, seeds=range(12), k=4.0,
            uses=["replica-collapse"], quantity=r"R^{\mathrm{SGD}}_{d,p,\gamma}(t)",
            reference_label=r"R^{\mathrm{ODE}}_{\gamma/p}(t)",
            title="SGD at (d, p, gamma) = (1000, 2, 0.5), (2000, 4, 1), (4000, 8, 2) collapses in t",
            source="Arnaboldi et al. 2023 (dimensionless time)")


# ---------------------------------------------------------------------------
# Gradient-flow limit and the regime map
# ---------------------------------------------------------------------------
def _risk(x, times, p=2, noise=0.0):
    """Risk at ``times`` for ``gamma/p = x`` (``x = 0``: gradient flow, via a tiny gamma)."""
    Q0, M0 = replicas(p)
    gamma = max(x, 1e-9) * p
    return integrate_dimensionless(p=p, k=2, gamma=gamma, Q0=Q0, M0=M0, times=times, noise=noise,
                                   rtol=1e-12).risk


@D.claim("gradient-flow-limit", kind="lemma", uses=["replica-collapse"],
         statement=r"$R_{\gamma/p}(t) - R_{\mathrm{GF}}(t) = c(t)\,\gamma/p + O((\gamma/p)^2)$: "
                   r"classical gradient flow is the $\gamma/p\to0$ limit",
         title="Gradient flow as the small-gamma/p limit", source="Arnaboldi et al. 2023, regime (i)")
def gradient_flow_limit():
    times = [1.0, 2.0]
    gf = _risk(0.0, times)
    xs = [0.04, 0.02, 0.01, 0.005]
    diffs = np.array([_risk(x, times) - gf for x in xs])
    ratios = diffs[:-1] / diffs[1:]
    ok = bool(np.all(np.abs(ratios[-1] - 2) < 0.02))
    return Evidence.judge(ok, "halving gamma/p halves the distance to gradient flow: ratios "
                              + ", ".join(f"{r:.4f}" for r in ratios[-1]) + " (-> 2)",
                          methods=["ODE in t at rtol 1e-12"],
                          measured={f"ratio at gamma/p={x}": Measured(", ".join(f"{r:.5f}" for r in rr), None, "2")
                                    for x, rr in zip(xs[1:], ratios)},
                          details={"plot": _distance_series(xs, diffs[:, -1], times[-1])})


def _distance_series(xs, distance, t):
    """``|R_x - R_GF|`` at time ``t`` against ``x = gamma/p``, with the linear law ``c x`` whose
    ``c`` is read at the smallest ``x`` (the claim: the distance is linear in ``x``)."""
    from workbench.plotting import series
    c = distance[-1] / xs[-1]
    return series(xs, np.abs(distance), law=np.abs(c) * np.array(xs), xlabel="gamma/p",
                  ylabel=f"|R - R_GF| at t = {t:g}", label="ODE at rtol 1e-12",
                  law_label="linear in gamma/p")


def noise_floor(x, Delta=0.1):
    """Long-time risk of the noisy problem at ``gamma/p = x`` (replicated students, p = 2)."""
    return float(_risk(x, [400.0 / max(x, 0.05)], noise=Delta)[-1])


@D.claim("regime-map", kind="lemma", uses=["gradient-flow-limit"],
         statement=r"with label noise the final risk is $\propto \gamma/p$ for small $\gamma/p$; along "
                   r"$\gamma=\gamma_0 d^{-\delta}$, $p=d^{\kappa}$ it scales as $d^{-(\kappa+\delta)}$: it vanishes "
                   r"for $\kappa+\delta>0$ (gradient flow: classical if $\kappa=0$, mean-field if $\kappa>0$), stays "
                   r"finite for $\kappa+\delta=0$ (Saad-Solla), and grows for $\kappa+\delta<0$ (noise-dominated)",
         title="Regime map from the noise term gamma/p", source="Veiga et al. 2022; Arnaboldi et al. 2023")
def regime_map():
    xs = np.array([0.02, 0.01, 0.005])
    floors = np.array([noise_floor(x) for x in xs])
    slope = float(np.polyfit(np.log(xs), np.log(floors), 1)[0])
    ok = abs(slope - 1) < 0.02
    measured = {f"floor at gamma/p={x}": Measured(f"{f:.6g}") for x, f in zip(xs, floors)}
    measured["d log floor / d log(gamma/p)"] = Measured(f"{slope:.4f}", None, "1")
    cases = {(0.0, 0.5): "classical gradient flow", (0.5, 0.0): "mean-field gradient flow",
             (0.5, -0.5): "high-dimensional SGD (Saad-Solla)", (0.5, -0.6): "noise-dominated",
             (0.0, -0.6): "no deterministic limit"}
    for (kappa, delta), want in cases.items():
        reg = regime(kappa, delta)
        trend = "vanishes" if reg.noise_exponent < 0 else ("constant" if reg.noise_exponent == 0 else "grows")
        ok &= reg.name == want
        measured[f"kappa={kappa}, delta={delta}"] = Measured(f"{reg.name}; gamma/p ~ d^{reg.noise_exponent:+g}, "
                                                             f"so the floor {trend}",
                                                             None, want)
    return Evidence.judge(ok, f"final risk ~ (gamma/p)^{slope:.3f}; the regime map classifies the five "
                              f"test paths as expected",
                          methods=["ODE in t to t = 400/max(gamma/p, 0.05)", "regime()"], measured=measured)
