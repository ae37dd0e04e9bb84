"""Dot-product kernels ``kappa(u)``, ``u = <x, y>`` on S^(d-1), by name or expression.

A :class:`Kernel` carries its sympy expression in the symbol :data:`U` (used for
the singularity analysis and for printing), an mpmath evaluator, and, when one
is known, a closed form for its Funk-Hecke eigenvalues.

Named kernels (normalisations as in Bietti & Bach 2021, ``kappa(1)`` in brackets):

=================  ==========================================================  =====
``arccos0``        ``1 - arccos(u)/pi``  (step-activation NNGP)                 1
``arccos1``        ``(sqrt(1-u^2) + u (pi - arccos u))/pi``  (ReLU NNGP)        1
``arccos2``        ``(3u sqrt(1-u^2) + (pi - arccos u)(1+2u^2))/pi`` (ReLU^2)  3
``relu_ntk``       ``u kappa0(u) + kappa1(u)``  (two-layer ReLU NTK, no bias)   2
``relu_ntk_bias``  ``(u + 1) kappa0(u) + kappa1(u)``  (with zero-init bias)     3
``laplace``        ``exp(-c sqrt(2 - 2u))`` = ``exp(-c |x - y|)``, ``c > 0``    1
``exponential``    ``exp(u / s^2)`` (Gaussian on the sphere), ``s > 0``          e^(1/s^2)
``polynomial``     ``sum_p coeffs[p] u^p``
``erf_nngp``       ``(2/pi) arcsin(beta u)``, ``beta = 2s^2/(1+2s^2)``                (2/pi) arcsin(beta)
``erf_ntk``        ``erf_nngp + (4/pi) u / ((1+2s^2) sqrt(1 - beta^2 u^2))``
=================  ==========================================================  =====

The erf kernels are those of ``f(x) = m^-1/2 sum_j a_j erf(w_j . x)`` with
``w_j ~ N(0, s^2 I_d)``, ``a_j ~ N(0, 1)``, unit inputs (Williams 1997):
``E[erf(w.x) erf(w.y)] = (2/pi) arcsin(2 s^2 u / (1 + 2 s^2))`` and
``E[erf'(w.x) erf'(w.y)] = (4/pi) / sqrt((1+2s^2)^2 - 4 s^4 u^2)``; the NTK sums the
gradients in a and in w (``erf_nngp + u E[erf' erf']``).  Both are analytic on
[-1, 1], so their spectra decay faster than any power; their eigenvalues come
from the power series (``closed_forms.power_series``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import mpmath as mp
import sympy as sp

from ..errors import InvalidParameter
from . import closed_forms as cf

__all__ = ["U", "Kernel", "kernel", "NAMED_KERNELS"]

#: The kernel variable ``u = <x, y>`` in [-1, 1].
U = sp.Symbol("u", real=True)


@dataclass(frozen=True, eq=False)
class Kernel:
    """A dot-product kernel on the sphere.

    Parameters
    ----------
    name : str
    expression : sympy expression in :data:`U`, optional
        Used for evaluation, printing and the singularity analysis.
    eigenvalue : callable ``(d, k) -> mpf``, optional
        Closed form of ``mu_k`` (at the current mpmath precision).
    function : callable, optional
        An mpmath callable ``kappa(u)`` for kernels without an expression.
    endpoints : ((nu_1, c_1), (nu_-1, c_-1)), optional
        Declared endpoint behaviour ``kappa(+-(1-t)) = polynomial + c t^nu + ...`` of a
        callable kernel (``(None, 0)`` for a smooth endpoint); needed by
        :func:`~workbench.kernels.leading_asymptotic` when there is no expression.
    parity : {+1, -1, None}
        Declared parity of a callable kernel (even/odd gives exact zeros).
    """

    name: str
    expression: sp.Expr | None = None
    eigenvalue: Callable | None = None
    function: Callable | None = None
    endpoints: tuple | None = None
    declared_parity: int | None = None
    _f: Callable = field(init=False, repr=False)

    def __post_init__(self):
        if self.expression is None:
            if self.function is None or not callable(self.function):
                raise InvalidParameter(f"kernel {self.name}: give a sympy expression in u or an "
                                       "mpmath callable (function=)")
            object.__setattr__(self, "_f", self.function)
            if self.endpoints is not None:
                object.__setattr__(self, "endpoints", _check_endpoints(self.name, self.endpoints))
            if self.declared_parity not in (None, 1, -1):
                raise InvalidParameter(f"kernel {self.name}: parity must be +1, -1 or None")
            self._check_on_interval()
            return
        expr = sp.sympify(self.expression)
        extra = expr.free_symbols - {U}
        if extra:
            raise InvalidParameter(
                f"kernel {self.name}: expression has free symbols {sorted(map(str, extra))} besides u")
        object.__setattr__(self, "expression", expr)
        object.__setattr__(self, "_f", sp.lambdify(U, expr, modules="mpmath"))
        self._check_on_interval()

    def _check_on_interval(self):
        """The kernel must be a finite real function on [-1, 1]."""
        with mp.workdps(20):        # a sanity check of the input, not a numerical result
            for u in ("-1", "-0.73", "-0.2", "0", "0.35", "0.9", "1"):
                try:
                    v = mp.mpmathify(self._f(mp.mpf(u)))
                except (ValueError, ZeroDivisionError, TypeError, ArithmeticError) as exc:
                    raise InvalidParameter(
                        f"kernel {self.name} is not a function on [-1, 1]: at u = {u}: {exc}") from None
                if isinstance(v, mp.mpc) and abs(v.imag) > 1e-15 * max(1, abs(v.real)):
                    raise InvalidParameter(
                        f"kernel {self.name} is not real on [-1, 1]: kappa({u}) = {v}")
                if not mp.isfinite(v):
                    raise InvalidParameter(
                        f"kernel {self.name} is not finite on [-1, 1]: kappa({u}) = {v}")

    def __call__(self, u):
        v = mp.mpmathify(self._f(u))
        return v.real if isinstance(v, mp.mpc) else v

    @property
    def parity(self) -> int | None:
        """+1 for an even kernel, -1 for an odd one, None otherwise (or as declared)."""
        if self.expression is None:
            return self.declared_parity
        e = self.expression
        if sp.simplify(e.subs(U, -U) - e) == 0:
            return 1
        if sp.simplify(e.subs(U, -U) + e) == 0:
            return -1
        return None

    def __repr__(self):
        return f"Kernel({self.name!r}, {self.expression})"

    def _repr_latex_(self):
        if self.expression is None:
            return None
        from ..printing import latex
        return f"$\\kappa(u) = {latex(self.expression)}$"

    @classmethod
    def from_callable(cls, function, name: str, endpoints=None, parity=None) -> "Kernel":
        """A kernel given as an mpmath callable, with its endpoint behaviour declared.

        >>> import mpmath as mp
        >>> k = Kernel.from_callable(lambda u: mp.sqrt(1 - u) + mp.mpf(1), "sqrt",
        ...                          endpoints=((sp.Rational(1, 2), 1), (None, 0)))
        >>> k.endpoints[0]
        (1/2, 1)
        """
        return cls(name, function=function, endpoints=endpoints, declared_parity=parity)


def _check_endpoints(name, endpoints):
    try:
        (nu1, c1), (nu2, c2) = endpoints
    except (TypeError, ValueError):
        raise InvalidParameter(f"kernel {name}: endpoints must be ((nu_1, c_1), (nu_-1, c_-1))") from None
    out = []
    for nu, c in ((nu1, c1), (nu2, c2)):
        nu = None if nu is None else sp.nsimplify(nu)
        if nu is not None and (not nu.is_positive or nu.is_integer):
            raise InvalidParameter(f"kernel {name}: an endpoint exponent must be a positive "
                                   f"non-integer (or None for a smooth endpoint), got {nu}")
        out.append((nu, sp.nsimplify(c) if nu is not None else sp.Integer(0)))
    return tuple(out)


_K0 = 1 - sp.acos(U) / sp.pi
_K1 = (sp.sqrt(1 - U ** 2) + U * (sp.pi - sp.acos(U))) / sp.pi
_K2 = (3 * U * sp.sqrt(1 - U ** 2) + (sp.pi - sp.acos(U)) * (1 + 2 * U ** 2)) / sp.pi


def _sum(*mus):
    return lambda d, k: mp.fsum(m(d, k) for m in mus)


def _named(name: str, **params) -> Kernel:
    if name == "arccos0":
        return Kernel(name, _K0, cf.arccos0)
    if name == "arccos1":
        return Kernel(name, _K1, cf.arccos1)
    if name == "arccos2":
        return Kernel(name, _K2, cf.arccos2)
    if name == "relu_ntk":
        return Kernel(name, U * _K0 + _K1, _sum(cf.times_u(cf.arccos0), cf.arccos1))
    if name == "relu_ntk_bias":
        return Kernel(name, (U + 1) * _K0 + _K1,
                      _sum(cf.times_u(cf.arccos0), cf.arccos0, cf.arccos1))
    if name == "laplace":
        c = sp.nsimplify(params.get("c", 1))
        if not c.is_positive:
            raise InvalidParameter(f"laplace kernel needs c > 0, got c={c}")
        return Kernel(f"laplace(c={c})", sp.exp(-c * sp.sqrt(2 - 2 * U)), cf.laplace(c))
    if name == "exponential":
        s = sp.nsimplify(params.get("s", 1))
        if not s.is_positive:
            raise InvalidParameter(f"exponential kernel needs s > 0, got s={s}")
        a = 1 / s ** 2
        return Kernel(f"exponential(s={s})", sp.exp(a * U), cf.exponential(a))
    if name in ("erf_nngp", "erf_ntk"):
        s = sp.nsimplify(params.get("s", 1))
        if not s.is_positive:
            raise InvalidParameter(f"{name} needs a weight scale s > 0, got s={s}")
        beta = 2 * s ** 2 / (1 + 2 * s ** 2)
        nngp = 2 / sp.pi * sp.asin(beta * U)

        def c_nngp(p, beta=beta):
            if p % 2 == 0:
                return mp.mpf(0)
            n = (p - 1) // 2
            b = cf.number(beta)
            return 2 / mp.pi * mp.binomial(2 * n, n) / (mp.mpf(4) ** n * p) * b ** p

        if name == "erf_nngp":
            return Kernel(f"erf_nngp(s={s})", nngp, cf.power_series(c_nngp))
        pref = 4 / (sp.pi * (1 + 2 * s ** 2))

        def c_ntk(p, beta=beta, pref=pref):
            if p % 2 == 0:
                return mp.mpf(0)
            n = (p - 1) // 2
            b = cf.number(beta)
            return c_nngp(p) + cf.number(pref) * mp.binomial(2 * n, n) / mp.mpf(4) ** n * b ** (2 * n)

        expr = nngp + pref * U / sp.sqrt(1 - beta ** 2 * U ** 2)
        return Kernel(f"erf_ntk(s={s})", expr, cf.power_series(c_ntk))
    if name == "polynomial":
        coeffs = [sp.nsimplify(c) for c in params.get("coeffs", ())]
        if not coeffs:
            raise InvalidParameter("polynomial kernel needs coeffs=[c0, c1, ...]")
        expr = sum(c * U ** p for p, c in enumerate(coeffs))
        mus = [(c, cf.monomial(p)) for p, c in enumerate(coeffs) if c != 0]
        return Kernel(f"polynomial{tuple(coeffs)}", expr,
                      lambda d, k: mp.fsum(cf.number(c) * m(d, k) for c, m in mus))
    raise InvalidParameter(f"unknown kernel {name!r}; named kernels: {', '.join(NAMED_KERNELS)}")


@lru_cache(maxsize=None)
def _named_cached(name: str) -> Kernel:
    return _named(name)


NAMED_KERNELS = ("arccos0", "arccos1", "arccos2", "relu_ntk", "relu_ntk_bias", "laplace", "exponential",
                 "polynomial", "erf_nngp", "erf_ntk")


def kernel(spec, **params) -> Kernel:
    """A :class:`Kernel` from a name (with parameters), a sympy expression in ``u``, or a Kernel.

    >>> kernel("relu_ntk").expression.subs(U, 1)
    2
    >>> kernel(U**2 + 1).name
    'u**2 + 1'
    """
    if isinstance(spec, Kernel):
        return spec
    if isinstance(spec, str):
        return _named_cached(spec) if not params else _named(spec, **params)
    try:
        expr = sp.sympify(spec)
    except (sp.SympifyError, TypeError):
        raise InvalidParameter(f"cannot read {spec!r} as a kernel (give a name or a sympy "
                               "expression in u)") from None
    if isinstance(expr, sp.Expr):   # accept any symbol named u, whatever its assumptions
        expr = expr.subs({s: U for s in expr.free_symbols if s.name == "u"})
    if isinstance(expr, sp.Expr) and expr.free_symbols <= {U} and expr.free_symbols:
        return Kernel(str(expr), expr)
    syms = {str(s) for s in getattr(expr, "free_symbols", ())}
    raise InvalidParameter(f"a kernel expression must depend on u = workbench.kernels.U only "
                           f"(found {sorted(syms)})")
