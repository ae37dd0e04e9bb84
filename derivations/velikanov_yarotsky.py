"""Velikanov & Yarotsky 2021 (arXiv 2105.00507): loss asymptotics of linearised gradient flow.

Convention (kernels-scaling.md 1.1): gradient flow with learning rate 1 on the population loss of
the linearised model, time ``t``; ``L(t) = (1/2) sum_n c_n^2 exp(-2 lambda_n t)`` with kernel
eigenvalues ``lambda_n`` (index order, decreasing) and initial-error coefficients ``c_n``.

The theorem: ``lambda_n ~ Lambda n^-nu`` and ``sum_{k>=n} c_k^2 ~ K n^-kappa`` give
``L(t) ~ (K/2) Gamma(kappa/nu + 1) (2 Lambda t)^(-kappa/nu)``: ``xi = kappa/nu``.

Here it is checked on exact power-law sequences ``lambda_n = Lambda n^-nu``,
``c_n^2 = K (n^-kappa - (n+1)^-kappa)`` (so the tail is exactly ``K n^-kappa``), summed at
30-60 digits (Euler-Maclaurin tail, :func:`workbench.scaling.loss.loss_arb`: flint balls) and extrapolated in
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

from workbench import Derivation, Extrapolation, Grid, TwoPrecisions
from flint import fmpq
from workbench.scaling import loss_curve, loss_mp
from workbench.scaling.balls import expm1, log1p
from workbench.integrals import quad_relative
from workbench.scaling.loss import loss_arb

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
    # the terms in flint balls (loss_arb); the parameters as exact rationals (fmpq)
    nu, kappa, Lam, K = (fmpq(sp.Rational(x).p, sp.Rational(x).q) for x in (nu, kappa, Lam, K))
    # n^-kappa - (n+1)^-kappa without cancellation at large n (the Euler-Maclaurin integral
    # reaches n ~ 10^100): n^-kappa (1 - (1 + 1/n)^-kappa) = -n^-kappa expm1(-kappa log1p(1/n))
    c2 = lambda n: -K * n ** -kappa * expm1(-kappa * log1p(1 / n))  # noqa: E731
    return loss_arb(lambda n: Lam * n ** -nu, c2, tt)


def leading_term(nu, kappa, Lam, K):
    return K / 2 * sp.gamma(kappa / nu + 1) * (2 * Lam * t) ** (-kappa / nu)


def correction_constant(nu, kappa, Lam):
    return -kappa / 2 * sp.gamma((kappa + 1) / nu + 1) / sp.gamma(kappa / nu + 1) * (2 * Lam) ** (-1 / nu)


def correction_sequence(tt, nu, kappa, Lam, K):
    """``t^(1/nu) (L(t) / leading(t) - 1)``."""
    tt = mp.mpf(tt)
    lead = mp.mpf(sp.N(leading_term(nu, kappa, Lam, K).subs(t, 1), mp.mp.dps + 10)) * tt ** (-_mpq(kappa) / _mpq(nu))
    return tt ** (1 / _mpq(nu)) * (power_law_loss(tt, nu, kappa, Lam, K) / lead - 1)


def _mellin_points():
    """Five (kappa, nu, a) drawn once from a seeded generator, kept as exact decimal strings."""
    rng = np.random.default_rng(0)
    draws = rng.uniform([0.2, 0.5, 0.1], [3, 4, 50], size=(5, 3))
    return [{"kappa": str(round(kk, 6)), "nu": str(round(nn, 6)), "a": str(round(aa, 6))}
            for kk, nn, aa in draws]


MELLIN_POINTS = _mellin_points()
MELLIN_X0 = "1.7"       # where the antiderivative is differentiated


def mellin_quadrature(kappa, nu, a):
    """``int_0^oo kappa s^(-kappa-1) exp(-a s^-nu) ds`` by tanh-sinh quadrature in ``y = log s``
    (both ends then decay exponentially), at the working precision.  Below ``y0`` the integrand
    is under ``exp(-300)`` of its scale and is cut (mpmath's exp of huge arguments is slow)."""
    k, n, aa = mp.mpf(kappa), mp.mpf(nu), mp.mpf(a)
    y0 = -mp.log(300 / aa) / n
    return quad_relative(lambda y: k * mp.exp(-k * y - aa * mp.exp(-n * y)), [y0, y0 / 2, 0, mp.inf],
                         "the Mellin integral")


def mellin_closed_form(kappa, nu, a):
    """``Gamma(kappa/nu + 1) a^(-kappa/nu)`` at the working precision."""
    k, n, aa = mp.mpf(kappa), mp.mpf(nu), mp.mpf(a)
    return mp.gamma(k / n + 1) * aa ** (-k / n)


def mellin_antiderivative_slope(kappa, nu, a):
    """``F'(x0)`` by numerical differentiation (mpmath ``diff``) of the antiderivative
    ``F(s) = (kappa/nu) a^(-kappa/nu) Gamma(kappa/nu, a s^-nu)`` (upper incomplete Gamma)."""
    k, n, aa = mp.mpf(kappa), mp.mpf(nu), mp.mpf(a)
    F = lambda x: k / n * aa ** (-k / n) * mp.gammainc(k / n, aa * x ** (-n))  # noqa: E731
    return mp.diff(F, mp.mpf(MELLIN_X0))


def mellin_integrand(kappa, nu, a):
    """The integrand ``kappa s^(-kappa-1) exp(-a s^-nu)`` at ``s = x0``."""
    k, n, aa = mp.mpf(kappa), mp.mpf(nu), mp.mpf(a)
    x0 = mp.mpf(MELLIN_X0)
    return k * x0 ** (-k - 1) * mp.exp(-aa * x0 ** (-n))


_MELLIN_OVER = r"5 \text{ random } (\kappa, \nu, a) \in [0.2, 3] \times [0.5, 4] \times [0.1, 50]"

# (sympy's simplify/limit do not finish on the symbolic form: the antiderivative is checked
# by differentiating it numerically, the integral by quadrature; both to 30 digits as before)
D.agree("mellin-antiderivative", mellin_antiderivative_slope, mellin_integrand,
        over=MELLIN_POINTS, digits=30,
        lhs_label=(r"\frac{d}{ds}\Big[\frac{\kappa}{\nu} a^{-\kappa/\nu}"
                   r"\Gamma\big(\tfrac{\kappa}{\nu}, a s^{-\nu}\big)\Big]_{s=1.7}"),
        rhs_label=r"\kappa s^{-\kappa-1} e^{-a s^{-\nu}}\Big|_{s=1.7}", over_label=_MELLIN_OVER,
        title="An antiderivative of the Mellin integrand (incomplete Gamma)",
        source="substitution u = a s^-nu")

D.agree("mellin-integral", mellin_quadrature, mellin_closed_form, over=MELLIN_POINTS, digits=30,
        lhs_label=r"\int_0^\infty \kappa s^{-\kappa-1} e^{-a s^{-\nu}}\,ds",
        rhs_label=r"\Gamma\!\left(\frac{\kappa}{\nu}+1\right) a^{-\kappa/\nu}",
        over_label=_MELLIN_OVER, uses=["mellin-antiderivative"],
        title="The integral behind xi = kappa/nu",
        source="substitution u = a s^-nu (the antiderivative's limits at 0 and oo)")


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


COMPILED_MODES = 10 ** 6


def compiled_loss(t):
    """``L(t)`` for ``lambda_n = n^-2``, ``c_n^2 = n^-1/2 - (n+1)^-1/2``, ``n <= 10^6``: the
    compiled float64 sum (moment expansion of the small-lambda tail).  Precision-blind: the
    same double at every working precision."""
    n = np.arange(1, COMPILED_MODES + 1, dtype=float)
    return loss_curve(n ** -2.0, n ** -0.5 - (n + 1) ** -0.5, np.array([float(t)]))[0]


def exact_loss(t):
    """The same sum by :func:`workbench.scaling.loss_mp` (Euler-Maclaurin) at the working
    precision."""
    return loss_mp(lambda k: k ** -2, lambda k: -k ** -mp.mpf(0.5) * mp.expm1(-mp.log1p(1 / k) / 2),
                   mp.mpf(t), modes=COMPILED_MODES)


# The float64 side cannot be refuted by two precisions (it does not follow them): a wrong
# compiled sum makes this claim inconclusive, not refuted.  13 digits = 1e-13 relative, as before.
D.agree("compiled-sum", compiled_loss, exact_loss, over=[{"t": 10 ** j} for j in range(11)],
        digits=13, validator=TwoPrecisions(dps=30, extra=10), uses=XI_IDS[:1],
        lhs_label=r"L_{\mathrm{float64}}(t)", rhs_label=r"L_{\mathrm{mpmath}}(t)",
        over_label=r"t = 10^0, 10^1, \ldots, 10^{10};\ \lambda_n = n^{-2},\ "
                   r"c_n^2 = n^{-1/2} - (n+1)^{-1/2},\ n \le 10^6",
        title="The float64 loss sum is exact to double precision",
        source="workbench.scaling.loss_curve")
