"""Velikanov & Yarotsky 2021 (arXiv 2105.00507): loss asymptotics of linearised gradient flow.

Convention (kernels-scaling.md 1.1): gradient flow with learning rate 1 on the population loss of
the linearised model, time ``t``; ``L(t) = (1/2) sum_n c_n^2 exp(-2 lambda_n t)`` with kernel
eigenvalues ``lambda_n`` (index order, decreasing) and initial-error coefficients ``c_n``.

The theorem: ``lambda_n ~ Lambda n^-nu`` and ``sum_{k>=n} c_k^2 ~ K n^-kappa`` give
``L(t) ~ (K/2) Gamma(kappa/nu + 1) (2 Lambda t)^(-kappa/nu)``: ``xi = kappa/nu``.

Here it is checked on exact power-law sequences ``lambda_n = Lambda n^-nu``,
``c_n^2 = K (n^-kappa - (n+1)^-kappa)`` (so the tail is exactly ``K n^-kappa``), summed at
30-45 digits (Euler-Maclaurin tail, :func:`workbench.scaling.loss_mp`) and extrapolated in
``t``; the first correction is derived here (replace ``c_n^2`` by ``K kappa int_n^{n+1}
s^(-kappa-1) ds``; the floor of ``s`` costs half a derivative on average):

    L(t) = (K/2) Gamma(kappa/nu + 1) a^(-kappa/nu) [1 - (kappa/2) Gamma((kappa+1)/nu + 1)
           / Gamma(kappa/nu + 1) a^(-1/nu) + O(a^(-2/nu))],   a = 2 Lambda t.

The correction depends on how the tail is realised (this ``c_n^2``), the leading term does not.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from workbench import Derivation, Evidence, Extrapolation, Grid, Measured
from workbench.scaling import loss_curve, loss_mp

D = Derivation("velikanov_yarotsky", title="Loss asymptotics of gradient flow from spectra",
               source="Velikanov & Yarotsky 2021, arXiv 2105.00507 (NeurIPS 2021)")

t = sp.Symbol("t", positive=True)
nu_s, kappa_s, Lam_s, K_s = sp.symbols("nu kappa Lambda K", positive=True)
R = sp.Rational

XI_CASES = [(R(2), R(1, 2), 1, 1), (R(3, 2), R(1), 1, 1), (R(3, 2), R(1, 2), 2, 3), (R(4, 3), R(1, 3), 1, 1)]


def _slug(*xs):
    return "_".join(str(x).replace("/", "o") for x in xs)


def _mpq(x):
    x = sp.Rational(x)
    return mp.mpf(x.p) / x.q


def power_law_loss(tt, nu, kappa, Lam, K):
    """``L(t)`` for ``lambda_n = Lambda n^-nu``, ``c_n^2 = K (n^-kappa - (n+1)^-kappa)``, exactly."""
    nu, kappa, Lam, K = _mpq(nu), _mpq(kappa), _mpq(Lam), _mpq(K)
    # n^-kappa - (n+1)^-kappa without cancellation at large n (the Euler-Maclaurin integral
    # reaches n ~ 10^100): n^-kappa (1 - (1 + 1/n)^-kappa) = -n^-kappa expm1(-kappa log1p(1/n))
    c2 = lambda n: -K * n ** -kappa * mp.expm1(-kappa * mp.log1p(1 / n))  # noqa: E731
    return loss_mp(lambda n: Lam * n ** -nu, c2, tt)


def leading_term(nu, kappa, Lam, K):
    return K / 2 * sp.gamma(kappa / nu + 1) * (2 * Lam * t) ** (-kappa / nu)


def correction_constant(nu, kappa, Lam):
    return -kappa / 2 * sp.gamma((kappa + 1) / nu + 1) / sp.gamma(kappa / nu + 1) * (2 * Lam) ** (-1 / nu)


def correction_sequence(tt, nu, kappa, Lam, K):
    """``t^(1/nu) (L(t) / leading(t) - 1)``."""
    tt = mp.mpf(tt)
    lead = mp.mpf(sp.N(leading_term(nu, kappa, Lam, K).subs(t, 1), mp.mp.dps + 10)) * tt ** (-_mpq(kappa) / _mpq(nu))
    return tt ** (1 / _mpq(nu)) * (power_law_loss(tt, nu, kappa, Lam, K) / lead - 1)


@D.claim("mellin-integral", kind="lemma",
         statement=r"$\int_0^\infty \kappa s^{-\kappa-1} e^{-a s^{-\nu}}\,ds = "
                   r"\Gamma\!\left(\frac{\kappa}{\nu}+1\right) a^{-\kappa/\nu}$ for $\kappa, \nu, a > 0$",
         title="The integral behind xi = kappa/nu", source="substitution u = a s^-nu")
def mellin_integral():
    # F(s) = (kappa/nu) a^(-kappa/nu) Gamma(kappa/nu, a s^-nu) is an antiderivative; it is checked
    # at random points by differentiating it numerically (mpmath, 40 digits), and the integral
    # itself by tanh-sinh quadrature.  (sympy's simplify/limit do not finish on this symbolic form.)
    rng = np.random.default_rng(0)
    worst = mp.mpf(0)
    with mp.workdps(40):
        for _ in range(5):
            k, n, aa = (mp.mpf(str(round(x, 6))) for x in rng.uniform([0.2, 0.5, 0.1], [3, 4, 50]))
            # in y = log s both ends decay exponentially (tanh-sinh reaches full precision)
            # (below y0 the integrand is under exp(-300): cut there, mpmath's exp of huge arguments is slow)
            y0 = -mp.log(300 / aa) / n
            lhs = mp.quad(lambda y: k * mp.exp(-k * y - aa * mp.exp(-n * y)), [y0, y0 / 2, 0, mp.inf])
            rhs = mp.gamma(k / n + 1) * aa ** (-k / n)
            worst = max(worst, abs(lhs / rhs - 1))
            F = lambda x: k / n * aa ** (-k / n) * mp.gammainc(k / n, aa * x ** (-n))  # noqa: E731
            x0 = mp.mpf("1.7")
            worst = max(worst, abs(mp.diff(F, x0) / (k * x0 ** (-k - 1) * mp.exp(-aa * x0 ** (-n))) - 1))
    digits = float(-mp.log10(worst)) if worst else 40.0
    ok = digits >= 30
    return Evidence.judge(ok, f"the incomplete-Gamma antiderivative differentiates back and tanh-sinh "
                              f"agrees at 5 random "
                              f"(kappa, nu, a) to {digits:.1f} digits",
                          methods=["antiderivative, mp.diff", "mpmath quad at 40 digits"], digits=digits,
                          precisions=[40])


XI_IDS = []
for nu, kappa, Lam, K in XI_CASES:
    lead = leading_term(nu, kappa, Lam, K)
    c = D.asymptotic(
        f"xi-{_slug(nu, kappa, Lam, K)}",
        title=f"L(t) ~ C t^-xi with xi = kappa/nu = {kappa / nu} (nu={nu}, kappa={kappa}, Lambda={Lam}, K={K})",
        sequence=lambda tt, nu=nu, kappa=kappa, Lam=Lam, K=K: power_law_loss(tt, nu, kappa, Lam, K),
        sequence_name=(rf"\tfrac12\sum_n {K} (n^{{-{sp.latex(kappa)}}}-(n+1)^{{-{sp.latex(kappa)}}})"
                       rf"e^{{-2\cdot{Lam}\, t\, n^{{-{sp.latex(nu)}}}}}"),
        variable=t, leading=lead, corrections=1 / nu, uses=["mellin-integral"], kind="theorem",
        # Wynn's epsilon (no assumption on the corrections) needs about two grid points per
        # correction t^(-j/nu) it removes, and the extra digits of dps 45/60: a long grid (the
        # cost of a term does not grow with t)
        validator=Extrapolation(digits=20, dps=45, grid=Grid(start=16, ratio=2, points=26)),
        source="Velikanov & Yarotsky 2021, Theorem 1 (as in kernels-scaling.md 1.1)")
    XI_IDS.append(c.id)
    D.asymptotic(
        f"xi-correction-{_slug(nu, kappa, Lam, K)}",
        title=f"First correction to L(t), nu={nu}, kappa={kappa}, Lambda={Lam}, K={K}",
        sequence=lambda tt, nu=nu, kappa=kappa, Lam=Lam, K=K: correction_sequence(tt, nu, kappa, Lam, K),
        sequence_name=r"t^{1/\nu}\left(L(t)/L_{\mathrm{lead}}(t) - 1\right)",
        variable=t, leading=correction_constant(nu, kappa, Lam), corrections=1 / nu, uses=[c.id],
        # L/lead - 1 cancels about (1/nu) log10 t digits: work at 45 digits
        validator=Extrapolation(digits=20, dps=60, grid=Grid(start=16, ratio=2, points=26)),
        source="derived here (module docstring)")


@D.claim("compiled-sum", kind="lemma", uses=XI_IDS[:1],
         statement=r"the compiled float64 sum (moment expansion of the small-$\lambda$ tail) equals the "
                   r"exact sum to $10^{-13}$ relative, for $10^6$ modes and $t \in [1, 10^{10}]$",
         title="The float64 loss sum is exact to double precision", source="workbench.scaling.loss_curve")
def compiled_sum():
    N = 10 ** 6
    n = np.arange(1, N + 1, dtype=float)
    ts = np.geomspace(1, 1e10, 11)
    fast = loss_curve(n ** -2.0, n ** -0.5 - (n + 1) ** -0.5, ts)
    worst = 0.0
    with mp.workdps(30):
        for tt, f in zip(ts, fast):
            exact = loss_mp(lambda k: k ** -2, lambda k: k ** -mp.mpf(0.5) - (k + 1) ** -mp.mpf(0.5),
                            tt, modes=N)
            worst = max(worst, abs(float(f / exact) - 1))
    return Evidence.judge(worst < 1e-13, f"float64 = 30-digit sum to {worst:.1g} (relative) at 11 times",
                          methods=["numba loop with moment tail", "mpmath Euler-Maclaurin"],
                          measured={"max relative difference": Measured(f"{worst:.2g}")})
