"""Guessing a formula in a family parameter ``d`` from per-member measurements.

Two guessers, both *fit on some members and confirmed on the others* (the held-out
members), never on a member they were fitted to:

:func:`fit_rational`
    exact values ``y(d)`` (sympy Rationals: an exponent, a log power) as a rational function
    ``P(d)/Q(d)`` of total degree ``<= MAX_DEGREE``: the lowest degree whose interpolant
    through the first ``n + 1`` members reproduces every other member exactly.
:func:`guess_hypergeometric`
    a constant ``C(d)`` known numerically (mpf, to some digits per member) as a
    *hypergeometric term*: for a step ``s`` (1, then 2 -- parity and half-integer Gammas
    make 2 the natural step), the ratios ``R(d) = C(d+s)/C(d)`` divided by the first one
    must be rationals (continued fractions, denominators ``<= 10^((D-4)/2)``), and those
    a rational function ``g`` of ``d`` (:func:`fit_rational`, with the held-out ratios
    confirmed exactly); then ``R(d) = c prod(d - a_i) / prod(d - b_j)`` has the solution

        ``C(d) = A * (c s^(na-nb))^(d/s) * prod Gamma((d - a_i)/s) / prod Gamma((d - b_j)/s)``

    with one ``A`` per residue class of ``d`` mod ``s`` (a single ``A`` when they agree).
    ``c s^(na-nb)`` and ``A`` are looked for in the closed-form basis
    (:func:`~.identify.identify`).  The formula is then evaluated at every held-out member
    and must reproduce its measured constant **to the digits that member was confirmed
    to**; otherwise it is rejected and nothing is proposed.

A constant whose ratios are not rational, or not a rational function of small degree
confirmed on the held-out members, is reported as *not hypergeometric in d* (with the
reason); no formula is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import mpmath as mp
import sympy as sp
from sympy.polys.polyfuncs import rational_interpolate

from .identify import identify

__all__ = ["MAX_DEGREE", "MIN_HELD_OUT", "Guess", "fit_rational", "guess_hypergeometric",
           "as_rational"]

#: largest total degree (numerator + denominator) of a fitted rational function
MAX_DEGREE = 4

#: members that must be held out of a fit to confirm it
MIN_HELD_OUT = 2


@dataclass
class Guess:
    """A formula (``None`` when nothing was confirmed), the members it was fitted on, the
    held-out members that confirmed it, and what was found or why nothing was."""

    formula: sp.Expr | None
    fitted: list = field(default_factory=list)
    confirmed: list = field(default_factory=list)
    note: str = ""
    closed_form: bool = True
    details: dict = field(default_factory=dict)

    def record(self) -> dict:
        return {"formula": None if self.formula is None else str(self.formula),
                "fitted": list(self.fitted), "confirmed": list(self.confirmed),
                "closed_form": self.closed_form and self.formula is not None,
                "note": self.note, **self.details}


def as_rational(x, digits: float) -> sp.Rational | None:
    """``x`` (an mpf known to ``digits`` significant digits) as the rational ``p/q`` within
    ``|x| 10^-digits`` of it with ``q <= 10^((digits - 4)/2)`` (so that a random number has
    such an approximation with probability about ``10^-4``), or ``None``."""
    if x == 0:
        return sp.Integer(0)
    bound = int(10 ** max(0.0, (digits - 4) / 2))
    if bound < 1:
        return None
    man, exp = mp.mpf(x).man_exp
    exact = Fraction(int(man)) * (Fraction(2) ** int(exp))
    close = exact.limit_denominator(bound)
    with mp.workdps(int(digits) + 15):
        err = abs(mp.mpf(close.numerator) / close.denominator - x)
        if err > abs(x) * mp.mpf(10) ** (-digits):
            return None
    return sp.Rational(close.numerator, close.denominator)


def _interpolant(points, p, q, x):
    """The rational function of degrees ``(p, q)`` through ``points`` (``p + q + 1`` of them)."""
    if p + q == 0:
        return sp.Integer(points[0][1])
    try:
        g = sp.cancel(rational_interpolate(points, p, X=x))
    except (ZeroDivisionError, ValueError, sp.PolynomialError, TypeError):
        return None
    if g.has(sp.nan, sp.zoo, sp.oo):
        return None
    return g


def _reproduces(g, x, points):
    for xi, yi in points:
        den = sp.denom(g).subs(x, xi)
        if den == 0 or g.subs(x, xi) != yi:
            return False
    return True


def fit_rational(values: dict, x: sp.Symbol, members_of=None, max_degree=MAX_DEGREE,
                 min_held_out=MIN_HELD_OUT) -> Guess:
    """The lowest-degree rational function ``g(x)`` with ``g(x_i) = values[x_i]`` (exact
    sympy Rationals) fitted on the first ``n + 1`` points and reproducing every other point
    exactly.  ``members_of(points)`` names the members a set of points rests on (default:
    the points themselves); at least ``min_held_out`` members must be outside the fit."""
    members_of = members_of or (lambda pts: set(pts))
    pts = sorted(values)
    everyone = members_of(pts)
    limit = ""
    for n in range(0, max_degree + 1):
        fit_pts = pts[:n + 1]
        fitted = members_of(fit_pts)
        held = sorted(everyone - fitted)
        if len(fit_pts) < n + 1 or len(held) < min_held_out:
            limit = (f"; degree {n} would leave fewer than {min_held_out} members held out "
                     f"(more members needed)")
            max_degree = n - 1
            break
        data = [(xi, values[xi]) for xi in fit_pts]
        rest = [(xi, values[xi]) for xi in pts[n + 1:]]
        for q in range(0, n + 1):          # polynomials first
            g = _interpolant(data, n - q, q, x)
            if g is not None and _reproduces(g, x, data) and _reproduces(g, x, rest):
                return Guess(sp.factor(g), sorted(fitted), held,
                             f"degree ({n - q}, {q}) rational function of {x}, fitted on "
                             f"{x} = {_list(fit_pts)}, exact on {x} = {_list(pts[n + 1:])}")
    return Guess(None, note=f"no rational function of {x} of degree <= {max_degree} fitted on some "
                            f"members reproduces the others{limit}")


def _list(xs):
    return ", ".join(str(v) for v in xs)


def _linear_roots(poly, x):
    """``(leading coefficient, [roots with multiplicity])`` when ``poly`` factors into linear
    factors over Q, else ``None``."""
    lc, factors = sp.factor_list(sp.Poly(poly, x))
    roots = []
    for f, m in factors:
        if f.degree() != 1:
            return None
        a, b = f.all_coeffs()
        lc *= a ** m
        roots += [sp.Rational(-b, a)] * m
    return sp.Rational(lc), roots


def _identified(value, digits, basis):
    """``value`` as a closed form in the basis, else a Float to ``digits``."""
    hit = identify(value, digits, basis) if digits >= 8 else None
    if hit is not None:
        return hit.form, True, hit.record()
    return sp.Float(mp.nstr(value, int(digits) + 2), int(digits) + 2), False, None


def _agree(formula, x, d, value, digits):
    """Digits to which ``formula`` at ``x = d`` agrees with ``value``."""
    with mp.workdps(int(digits) + 15):
        f = mp.mpf(sp.N(formula.subs(x, d), int(digits) + 15))
        if value == 0:
            return float("inf") if f == 0 else 0.0
        err = abs(f / value - 1)
        return float("inf") if err == 0 else float(-mp.log10(err))


def guess_hypergeometric(constants: dict, digits: dict, x: sp.Symbol, basis=None,
                         steps=(1, 2)) -> Guess:
    """``C(x)`` as a Gamma product (see the module docstring) from ``constants[d]`` (mpf at
    a precision above ``digits[d]``, the digits member ``d`` was confirmed to)."""
    reasons = []
    for s in steps:
        guess = _guess_step(constants, digits, x, basis, s)
        if guess.formula is not None:
            return guess
        reasons.append(f"step {s}: {guess.note}")
    return Guess(None, note=f"no hypergeometric term in {x} confirmed: " + "; ".join(reasons),
                 closed_form=False)


def _guess_step(constants, digits, x, basis, s) -> Guess:
    members = sorted(d for d in constants if constants[d] != 0)
    pts = [d for d in members if d + s in constants and constants[d + s] != 0]
    if len(pts) < MIN_HELD_OUT + 1:
        return Guess(None, note=f"fewer than {MIN_HELD_OUT + 1} ratios C({x}+{s})/C({x})")
    dps = int(max(digits.values())) + 15
    with mp.workdps(dps):
        ratio = {d: constants[d + s] / constants[d] for d in pts}
        rdig = {d: min(digits[d], digits[d + s]) - 0.5 for d in pts}
        d0 = pts[0]
        rho = {}
        for d in pts:
            r = as_rational(ratio[d] / ratio[d0], min(rdig[d], rdig[d0]) - 0.5)
            if r is None:
                return Guess(None, note=f"C({d + s})/C({d}) over C({d0 + s})/C({d0}) is not a "
                                        f"rational to {min(rdig[d], rdig[d0]) - 0.5:.0f} digits")
            rho[d] = r
    fit = fit_rational(rho, x, members_of=lambda ps: set(ps) | {p + s for p in ps})
    if fit.formula is None:
        return Guess(None, note=f"the ratios C({x}+{s})/C({x}) are rational but {fit.note}")
    num, den = sp.fraction(sp.cancel(fit.formula))
    top, bottom = _linear_roots(num, x), _linear_roots(den, x)
    if top is None or bottom is None:
        return Guess(None, note=f"C({x}+{s})/C({x}) = {fit.formula} * const does not factor into "
                                f"linear factors over Q")
    (lc_n, alphas), (lc_d, betas) = top, bottom
    with mp.workdps(dps):
        # R(d) = R(d0) g(d) = c prod(d - a)/prod(d - b); the Gamma product gains s^(nb-na)
        c = ratio[d0] * mp.mpf(lc_n.p) / lc_n.q / (mp.mpf(lc_d.p) / lc_d.q)
        r_val = c * mp.mpf(s) ** (len(alphas) - len(betas))
        r_form, r_closed, r_rec = _identified(r_val, rdig[d0] - 1, basis)
    gamma_part = sp.Mul(*[sp.gamma((x - a) / s) for a in alphas]) / sp.Mul(
        *[sp.gamma((x - b) / s) for b in betas])
    for d in members:
        args = [(d - a) / s for a in alphas + betas]
        if any(arg.is_integer and arg <= 0 for arg in map(sp.Rational, args)):
            return Guess(None, note=f"the Gamma product has a pole or zero at {x} = {d}")
    G = r_form ** (x / s) * gamma_part
    anchors, amps = {}, {}
    for cls in range(s):
        in_cls = [d for d in members if d % s == cls]
        if not in_cls:
            continue
        a0 = in_cls[0]
        with mp.workdps(dps):
            g0 = mp.mpf(sp.N(G.subs(x, a0), dps))
            amps[cls] = (constants[a0] / g0, digits[a0] - 1)
        anchors[cls] = a0
    with mp.workdps(dps):
        values = [v for v, _ in amps.values()]
        dig = min(dg for _, dg in amps.values())
        single = all(abs(v / values[0] - 1) <= mp.mpf(10) ** (-dig) for v in values)
        forms = {}
        closed = r_closed
        for cls, (v, dg) in amps.items():
            form, ok, _ = _identified(v, dg, basis)
            forms[cls] = form
            closed = closed and ok
            if single:
                break
    if single:
        formula = forms[next(iter(forms))] * G
    else:
        formula = sp.Piecewise(*[(forms[cls] * G, sp.Eq(sp.Mod(x, s), cls)) for cls in forms])
    formula = sp.powsimp(formula)
    fitted = sorted(set(fit.fitted) | set(anchors.values()))
    held = [d for d in members if d not in fitted]
    confirmed, failed = [], []
    for d in held:
        agree = _agree(formula, x, d, constants[d], digits[d])
        (confirmed if agree >= digits[d] - 1 else failed).append((d, agree))
    details = {"step": s,
               "ratio": f"C({x}+{s})/C({x}) = {sp.factor(c_expr(r_form, s, alphas, betas, x))}",
               "ratio_fit": fit.note,
               "held_out_digits": {str(d): "exact" if a == float("inf") else round(a, 1)
                                   for d, a in confirmed + failed}}
    if r_rec:
        details["r_identification"] = r_rec
    if failed or len(confirmed) < MIN_HELD_OUT:
        bad = ", ".join(f"{x} = {d} ({a:.1f} digits of {digits[d]:.0f})" for d, a in failed)
        return Guess(None, fitted, [d for d, _ in confirmed],
                     note=f"{formula} fits {x} = {_list(fitted)} but fails on held-out {bad}",
                     closed_form=False, details=details)
    return Guess(formula, fitted, [d for d, _ in confirmed],
                 note=f"Gamma product from C({x}+{s})/C({x}) ({fit.note}); held-out members "
                      f"{x} = {_list(d for d, _ in confirmed)} reproduced to their digits",
                 closed_form=closed, details=details)


def c_expr(r, s, alphas, betas, x):
    """``C(x+s)/C(x)`` of the Gamma product (for the record)."""
    return r * sp.Mul(*[(x - a) / s for a in alphas]) / sp.Mul(*[(x - b) / s for b in betas])
