"""From a kernel's endpoint singularities to the decay law of its spectrum.

Theorem (Bietti & Bach 2021, Thm 1, with the constant corrected -- see
below).  Let ``kappa`` be smooth on (-1, 1) with

    kappa(1 - t)  = p_1(t)  + c_1  t^nu + o(t^nu),
    kappa(-1 + t) = p_-1(t) + c_-1 t^nu + o(t^nu),     t -> 0+,

``p_{+-1}`` polynomials and ``nu > 0`` not an integer.  Then on S^(d-1)
(probability measure)

    mu_k ~ C_{+-} k^-(d + 2 nu - 1),   + for even k, - for odd k,
    C_{+-} = -(c_1 +- c_-1) 2^(d+nu-2) Gamma(d/2) Gamma(nu + (d-1)/2) Gamma(nu+1) sin(pi nu) / pi^(3/2).

The constant follows from the one-endpoint integral
``int (1-t)^nu P_k (1-t^2)^((d-3)/2) dt = Gamma(k-nu)/Gamma(-nu) Gamma((d-1)/2)
Gamma(nu+(d-1)/2) 2^(nu+d-2) / Gamma(k+nu+d-1)`` (checked against quadrature in
the tests) and ``1/Gamma(-nu) = -sin(pi nu) Gamma(nu+1)/pi``.  Our reference
notes say the constant printed by Bietti & Bach is smaller by a factor 2; the
derivation ``kernel_spectra`` records what the computation shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from ..errors import InvalidParameter
from .catalog import U, kernel as as_kernel

__all__ = ["EndpointSingularity", "endpoint_singularities", "decay_constant", "DecayLaw",
           "leading_asymptotic", "general_decay_constant"]

_T = sp.Symbol("t", positive=True)


@dataclass(frozen=True)
class EndpointSingularity:
    """``kappa(+-(1 - t)) = polynomial + coeff t^nu + ...``: the leading non-integer power."""

    endpoint: int
    nu: sp.Expr | None
    coeff: sp.Expr


def _leading_fractional(expr, order=6):
    """Smallest non-integer power and its coefficient in the expansion of expr(t) at 0+.

    The series is taken term by term of the expanded expression and summed (linearity: the
    same expansion; sympy's series of a sum of arccos terms spends most of its time on the
    order bookkeeping of the whole, 2-3x the cost of the terms one by one)."""
    try:
        try:
            ser = sp.Add(*[sp.series(term, _T, 0, order).removeO()
                           for term in sp.Add.make_args(sp.expand(expr))])
        except Exception:     # a term alone may not expand (its singularity cancels in the sum)
            ser = sp.series(expr, _T, 0, order).removeO()
    except Exception as exc:  # sympy raises many types here
        raise InvalidParameter(f"cannot expand the kernel at the endpoint: {exc}") from None
    ser = sp.expand(ser)
    if ser.has(sp.log(_T)):
        raise InvalidParameter("the endpoint expansion has logarithms: the singularity "
                               "t^nu log t is outside the supported class")
    best = None
    for term in sp.Add.make_args(ser):
        coeff, power = term.as_coeff_exponent(_T)
        if coeff.has(_T) or not power.is_number:
            raise InvalidParameter(f"cannot classify the endpoint term {term}")
        if power.is_integer:
            continue
        if not power.is_positive:
            raise InvalidParameter(f"the kernel blows up at the endpoint (term {term})")
        if best is None or power < best[0]:
            best = (power, coeff)
        elif power == best[0]:
            best = (power, best[1] + coeff)
    return best


def endpoint_singularities(kern, order: int = 6) -> tuple[EndpointSingularity, EndpointSingularity]:
    """The leading non-integer powers at ``u = 1`` and ``u = -1`` (sympy series up to ``t^order``).

    Cached per expression: the series is the slow part (seconds) and does not depend on d.
    A kernel given as a callable uses its declared ``endpoints``.
    """
    kern = as_kernel(kern)
    if kern.expression is None:
        if kern.endpoints is None:
            raise InvalidParameter(f"kernel {kern.name} is a callable without declared endpoints: "
                                   "declare endpoints=((nu_1, c_1), (nu_-1, c_-1))")
        return tuple(EndpointSingularity(e, nu, c) for e, (nu, c) in zip((1, -1), kern.endpoints))
    return _endpoints(kern.expression, order)


@lru_cache(maxsize=256)
def _endpoints(expression, order):
    out = []
    for e in (1, -1):
        found = _leading_fractional(expression.subs(U, e * (1 - _T)), order)
        nu, c = found if found else (None, sp.Integer(0))
        out.append(EndpointSingularity(e, nu, sp.simplify(c)))
    return tuple(out)


def decay_constant(c_plus, c_minus, nu, d, parity: int):
    """``C`` of ``mu_k ~ C k^-(d+2nu-1)`` along even (``parity=0``) or odd (``1``) k."""
    nu, d = sp.sympify(nu), sp.Integer(d)
    c = c_plus + c_minus if parity == 0 else c_plus - c_minus
    return sp.simplify(-c * 2 ** (d + nu - 2) * sp.gamma(d / 2) * sp.gamma(nu + (d - 1) / 2)
                       * sp.gamma(nu + 1) * sp.sin(sp.pi * nu) / sp.pi ** sp.Rational(3, 2))


@dataclass(frozen=True)
class DecayLaw:
    """``mu_k ~ constants[parity] * k^-exponent`` (a zero constant: that parity decays faster)."""

    kernel: str
    d: int
    nu: sp.Expr
    exponent: sp.Expr
    constants: tuple[sp.Expr, sp.Expr]     # (even k, odd k)

    def leading(self, k: sp.Symbol, parity: int) -> sp.Expr:
        return self.constants[parity] * k ** (-self.exponent)

    @property
    def alpha(self) -> sp.Expr:
        """Index-ordered exponent: ``lambda_i ~ A i^-(1+alpha)`` with ``alpha = 2 nu/(d-1)``."""
        return 2 * self.nu / (self.d - 1)

    def index_constant(self) -> sp.Expr:
        """``A`` in ``lambda_i ~ A i^-(1+alpha)`` (index-ordered eigenvalues).

        Along one parity, ``sum_{k <= K} N(d, k) ~ K^(d-1)/(d-1)!``, so with ``P``
        parities of equal constant ``C``: ``A = C ((d-1)!/P)^-(1+alpha)``.
        """
        nonzero = [c for c in self.constants if c != 0]
        if len(nonzero) == 2 and sp.simplify(nonzero[0] - nonzero[1]) != 0:
            raise InvalidParameter("the two parities decay with different constants: the "
                                   "index-ordered sequence alternates and has no single A")
        P = len(nonzero)
        return sp.simplify(nonzero[0] * (sp.factorial(self.d - 1) / P) ** (-(1 + self.alpha)))

    def latex(self) -> str:
        from ..printing import latex
        k = sp.Symbol("k")
        parts = []
        for parity, c in enumerate(self.constants):
            word = "even" if parity == 0 else "odd"
            if c == 0:
                parts.append(rf"\mu_k = o\left(k^{{-{latex(self.exponent)}}}\right)\ (\text{{{word} }}k)")
            else:
                parts.append(rf"\mu_k \sim {latex(c * k ** -self.exponent)}\ (\text{{{word} }}k)")
        return r",\quad ".join(parts)

    def _repr_latex_(self):
        return f"${self.latex()}$"


def general_decay_constant():
    """The theorem's constant as a sympy expression in ``c_1, c_{-1}, nu, d`` (even k: +)."""
    c1, cm1, nu, d = sp.symbols("c_1 c_{-1} nu d")
    return (-(c1 + cm1) * 2 ** (d + nu - 2) * sp.gamma(d / 2) * sp.gamma(nu + (d - 1) / 2)
            * sp.gamma(nu + 1) * sp.sin(sp.pi * nu) / sp.pi ** sp.Rational(3, 2))



def leading_asymptotic(kern, d: int) -> DecayLaw:
    """The decay law of ``mu_k`` on S^(d-1) from the kernel's endpoint singularities.

    Raises
    ------
    InvalidParameter
        If the kernel has no non-integer power at either endpoint (then, when it
        is smooth on [-1, 1], its spectrum decays faster than any power), or a
        singularity outside the supported class.
    """
    kern = as_kernel(kern)
    if not isinstance(d, int) or d < 2:
        raise InvalidParameter(f"the sphere S^(d-1) needs an integer dimension d >= 2, got {d!r}")
    plus, minus = endpoint_singularities(kern)
    nus = [s.nu for s in (plus, minus) if s.nu is not None]
    if not nus:
        raise InvalidParameter(f"kernel {kern.name} has no non-integer power at u = +-1 "
                               "(up to t^6): "
                               "no power-law decay (a kernel smooth on [-1, 1] decays faster "
                               "than any power)")
    nu = min(nus)
    c1 = plus.coeff if plus.nu == nu else sp.Integer(0)
    cm1 = minus.coeff if minus.nu == nu else sp.Integer(0)
    consts = (decay_constant(c1, cm1, nu, d, 0), decay_constant(c1, cm1, nu, d, 1))
    return DecayLaw(kern.name, d, nu, d + 2 * nu - 1, consts)
