"""Standard asymptotic facts the scaling-law derivations rest on.

Each claim is validated by the engine's asymptotic validator (Richardson and
Wynn-epsilon extrapolation at two precisions) from an exact evaluation of the
sequence; no claim uses the expansion it asserts to compute its sequence.

Conventions: ``n`` is a positive integer, ``t`` a positive real; ``Gamma`` is
Euler's Gamma function, ``zeta(s, a)`` the Hurwitz zeta function.
"""

import flint
import mpmath as mp
import sympy as sp

from workbench import Derivation, Extrapolation, Grid
from workbench.scaling.balls import GUARD_BITS, to_arb, to_mpf

D = Derivation("asymptotics", title="Asymptotic facts used throughout",
               source="DLMF chapters 5 and 25; Euler-Maclaurin")

n = sp.Symbol("n", positive=True, integer=True)
t = sp.Symbol("t", positive=True)
R = sp.Rational

# ---------------------------------------------------------------------------
# Gamma ratios: Gamma(n+a)/Gamma(n+b) = n^(a-b) (1 + (a-b)(a+b-1)/(2n) + O(n^-2))
# (DLMF 5.11.13, with G_1(a, b) = (a-b)(a+b-1)/2).
# ---------------------------------------------------------------------------
GAMMA_PAIRS = [(R(1, 2), 0), (1, R(1, 2)), (R(3, 2), R(1, 4)), (R(7, 3), R(-1, 2)), (0, R(3, 4))]


def _slug(a, b):
    return f"{a}_{b}".replace("/", "o").replace("-", "m")


def gamma_ratio_correction_sequence(k, a, b):
    """``k * (Gamma(k+a)/Gamma(k+b) * k^(b-a) - 1)``, exact at the working precision."""
    k = mp.mpf(k)
    a, b = mp.mpf(a.p) / a.q, mp.mpf(b.p) / b.q
    return k * (mp.exp(mp.loggamma(k + a) - mp.loggamma(k + b)) * k ** (b - a) - 1)


for a, b in GAMMA_PAIRS:
    a, b = R(a), R(b)
    lead = D.asymptotic(
        f"gamma-ratio-{_slug(a, b)}", title=f"Gamma ratio, a={a}, b={b}",
        expression=sp.gamma(n + a) / sp.gamma(n + b), variable=n, leading=n ** (a - b),
        source="DLMF 5.11.12")
    D.asymptotic(
        f"gamma-ratio-correction-{_slug(a, b)}",
        title=f"First correction of the Gamma ratio, a={a}, b={b}",
        sequence=lambda k, a=a, b=b: gamma_ratio_correction_sequence(k, a, b),
        sequence_name=(rf"n\left(\frac{{\Gamma(n+{sp.latex(a)})}}{{\Gamma(n+{sp.latex(b)})}}"
                       rf"n^{{{sp.latex(b - a)}}} - 1\right)"),
        variable=n, leading=(a - b) * (a + b - 1) / 2, uses=[lead.id],
        # the subtraction of 1 cancels ~log10(n) digits: work at 45/60 digits
        validator=Extrapolation(digits=20, dps=45),
        source="DLMF 5.11.13 (G_1(a,b) = (a-b)(a+b-1)/2)")

# ---------------------------------------------------------------------------
# Power sums: sum_{k<=n} k^a ~ n^(a+1)/(a+1) for a > -1.
# The partial sum is zeta(-a) - zeta(-a, n+1).  mpmath's Hurwitz zeta costs
# O(n) for Re(s) < 1, so zeta(s, N) is evaluated here by Euler-Maclaurin
# summation taken to working precision (hurwitz_zeta, tested against
# mpmath.zeta at moderate N in tests/derivations/test_asymptotics.py).
# Corrections: n^-1 and n^-(a+1) relative, so half-integer a has a correction
# series in powers of n^(-1/2).
# ---------------------------------------------------------------------------


def hurwitz_zeta(s, N):
    """``zeta(s, N) = sum_{k>=0} (N+k)^(-s)`` (analytically continued), N >= 1.

    Euler-Maclaurin after ``M`` direct terms, with ``N + M >= dps`` so that the
    Bernoulli series reaches the working precision before it diverges
    (its smallest term is about ``exp(-2 pi (N+M))``).
    """
    s, N = mp.mpf(s), mp.mpf(N)
    eps = mp.eps * mp.mpf(2) ** -10
    M = max(0, int(mp.mp.dps) - int(N))
    head = mp.fsum((N + k) ** (-s) for k in range(M))
    x = N + M
    total = x ** (1 - s) / (s - 1) + x ** (-s) / 2
    poch, j = s, 1           # poch = s (s+1) ... (s+2j-2)
    while True:
        term = mp.bernoulli(2 * j) / mp.factorial(2 * j) * poch * x ** (-s - 2 * j + 1)
        total += term
        if abs(term) < eps * abs(total):
            break
        poch *= (s + 2 * j - 1) * (s + 2 * j)
        j += 1
        if j > 10 * mp.mp.dps:
            raise ArithmeticError(f"Euler-Maclaurin for zeta({s}, {N}) did not converge")
    return head + total


def power_sum(k, a):
    """``sum_{j=1}^{k} j^a`` at the working precision, as ``zeta(-a) - zeta(-a, k+1)``."""
    a = mp.mpf(a.p) / a.q
    return mp.zeta(-a) - hurwitz_zeta(-a, k + 1)


for a in (R(2), R(1, 2), R(-1, 2), R(3, 2)):
    step = 1 if a.is_integer else R(1, 2)
    D.asymptotic(
        f"power-sum-{_slug(a, 'x').rstrip('_x')}", title=f"Power sum with a={a}",
        sequence=lambda k, a=a: power_sum(k, a),
        sequence_name=rf"\sum_{{k=1}}^{{n}} k^{{{sp.latex(a)}}}",
        variable=n, leading=n ** (a + 1) / (a + 1), corrections=step,
        validator=Extrapolation(digits=20, dps=40, grid=Grid(start=16, ratio=2, points=24)),
        source="Euler-Maclaurin; DLMF 25.11.5")

# ---------------------------------------------------------------------------
# Mellin-type sums: sum_{n>=1} n^(-1-s) exp(-t n^(-q)) ~ Gamma(s/q) t^(-s/q) / q  (t -> oo).
# The sum equals the integral over (0, oo) up to corrections smaller than any
# power of t (Euler-Maclaurin with a summand flat at 0).  It is evaluated as a
# direct sum up to N ~ 6 t^(1/q) plus an Euler-Maclaurin tail (mpmath.sumem).
# ---------------------------------------------------------------------------
MELLIN_CASES = [(1, 2, 16), (R(1, 2), 1, 12), (2, R(3, 2), 16)]   # (s, q, grid points)


def hurwitz_zeta(sigma, a):
    """``zeta(sigma, a) = sum_{j >= 0} (a + j)^-sigma`` at the working precision, from an arb
    ball (an inaccurate ball raises ConvergenceError instead of returning digits)."""
    with flint.ctx.workprec(mp.mp.prec + GUARD_BITS):
        return to_mpf(to_arb(mp.mpf(sigma)).zeta(to_arb(mp.mpf(a))), mp.mp.prec)


def mellin_sum(tt, s, q):
    """``sum_{n>=1} n^(-1-s) exp(-t n^(-q))`` at the working precision.

    Direct sum for ``n <= N`` with ``N >= 4 t^(1/q)``; the tail is summed
    exactly by expanding the exponential, ``sum_{n>N} = sum_m (-t)^m/m!
    zeta(1+s+qm, N+1)`` (Hurwitz zeta), which converges since ``t N^-q <= 4^-q``.
    The Hurwitz zeta is python-flint's ball (mpmath's ``zeta(22, 370)`` is only 1e-9
    accurate at 40 digits, which the validator's precision comparison caught).
    """
    s, q, tt = mp.mpf(s.p) / s.q, mp.mpf(q.p) / q.q, mp.mpf(tt)
    N = int(4 * tt ** (1 / q)) + 8
    head = mp.fsum(k ** (-1 - s) * mp.exp(-tt * mp.mpf(k) ** (-q)) for k in range(1, N + 1))
    tail, m, term = mp.mpf(0), 0, mp.mpf(1)
    while True:
        piece = term * hurwitz_zeta(1 + s + q * m, N + 1)
        tail += piece
        if abs(piece) < mp.eps * abs(tail):
            return head + tail
        m += 1
        term *= -tt / m


for s, q, points in MELLIN_CASES:
    s, q = R(s), R(q)
    D.asymptotic(
        f"mellin-sum-{_slug(s, q)}", title=f"Power-exponential sum, s={s}, q={q}",
        sequence=lambda tt, s=s, q=q: mellin_sum(tt, s, q),
        sequence_name=rf"\sum_{{n\ge1}} n^{{-1-{sp.latex(s)}}} e^{{-t n^{{-{sp.latex(q)}}}}}",
        variable=t, leading=sp.gamma(s / q) * t ** (-s / q) / q,
        # corrections are smaller than any power of t but only kick in once the
        # sum has many terms (N ~ t^(1/q)): longer grids where terms are cheap
        validator=Extrapolation(digits=20, dps=40, grid=Grid(start=1, ratio=2, points=points)),
        source="Mellin transform: integral_0^oo x^(-1-s) exp(-t x^-q) dx = Gamma(s/q) t^(-s/q)/q")
