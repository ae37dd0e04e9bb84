"""Rigorous enclosures of sympy expressions at a point, with python-flint's ``acb`` balls.

:func:`ball` evaluates an expression whose free symbols are given exact values
(integers, rationals, binary floats, or complex numbers built from them) and
returns an ``acb`` ball guaranteed to contain the exact value -- or raises
:class:`NotBallable` when the expression uses something not mapped here, or a
real-only function (``floor``, ``Min``, ...) meets an argument that is not
certainly real.  Callers then fall back to mpmath; nothing is ever guessed.

The mapping follows sympy's (= mpmath's) principal branches, which are also
Arb's: ``log``, ``sqrt`` and non-integer powers are continuous from above on
the negative real axis.
"""

from __future__ import annotations

import flint
import sympy as sp
from flint import acb, arb, fmpq, fmpz

__all__ = ["NotBallable", "ball", "ballable", "bits_for_digits", "exact_values"]


class NotBallable(Exception):
    """The expression (or this point) cannot be enclosed by the mapping in this module."""


def bits_for_digits(dps: int) -> int:
    """Working precision in bits that carries ``dps`` decimal digits plus guard bits."""
    return int(dps * 3.3219280948873626) + 16


def _exact_real(x) -> arb:
    if isinstance(x, sp.Integer):
        return arb(fmpz(int(x)))
    if isinstance(x, sp.Rational):
        return arb(fmpq(int(x.p), int(x.q)))
    if isinstance(x, sp.Float):
        sign, man, exp, _ = x._mpf_
        if not man and exp:
            raise NotBallable(f"non-finite float {x}")
        value = arb(fmpz(-int(man) if sign else int(man))) * arb(2) ** int(exp)
        return value
    raise NotBallable(f"cannot enclose the number {x}")


def _number(x) -> acb:
    re, im = x.as_real_imag()
    return acb(_exact_real(re), _exact_real(im))


def _real_arg(z: acb) -> arb:
    if not z.imag.is_zero():
        raise NotBallable("a real-only function got an argument that is not certainly real")
    return z.real


def _floor(z):
    return acb(_real_arg(z).floor())


def _ceiling(z):
    return acb(_real_arg(z).ceil())


def _frac(z):
    x = _real_arg(z)
    return acb(x - x.floor())


def _sign(z):
    if z.imag.is_zero():
        return acb(z.real.sgn())
    if z.is_zero():
        return acb(0)
    return z / abs(z)


def _heaviside(z, h0=None):
    x = _real_arg(z)
    half = acb(fmpq(1, 2)) if h0 is None else h0
    if x > 0:
        return acb(1)
    if x < 0:
        return acb(0)
    if x.is_zero():
        return half
    raise NotBallable("Heaviside of a ball that contains 0")


def _min(*zs):
    out = _real_arg(zs[0])
    for z in zs[1:]:
        out = out.min(_real_arg(z))
    return acb(out)


def _max(*zs):
    out = _real_arg(zs[0])
    for z in zs[1:]:
        out = out.max(_real_arg(z))
    return acb(out)


def _binomial(n, k):
    if k.is_exact() and k.imag.is_zero() and k.real.is_integer():
        kk = int(k.real.unique_fmpz())
        if kk < 0:
            return acb(0)
        return (n - kk + 1).rising(kk) / acb(kk + 1).gamma()
    return (n + 1).gamma() / ((k + 1).gamma() * (n - k + 1).gamma())


def _polygamma(n, z):
    if not (n.is_exact() and n.imag.is_zero() and n.real.is_integer() and n.real >= 0):
        raise NotBallable("polygamma of non-integer order (conventions differ)")
    return z.polygamma(n)


def _zeta(s, a=None):
    return s.zeta() if a is None else s.zeta(a)


_FUNCS = {
    sp.exp: acb.exp, sp.log: acb.log, sp.sin: acb.sin, sp.cos: acb.cos, sp.tan: acb.tan,
    sp.cot: acb.cot, sp.sec: acb.sec, sp.csc: acb.csc, sp.asin: acb.asin, sp.acos: acb.acos,
    sp.atan: acb.atan, sp.sinh: acb.sinh, sp.cosh: acb.cosh, sp.tanh: acb.tanh,
    sp.asinh: acb.asinh, sp.acosh: acb.acosh, sp.atanh: acb.atanh, sp.gamma: acb.gamma,
    sp.loggamma: acb.lgamma, sp.digamma: acb.digamma, sp.erf: acb.erf, sp.erfc: acb.erfc,
    sp.erfi: acb.erfi, sp.factorial: lambda z: (z + 1).gamma(), sp.binomial: _binomial,
    sp.zeta: _zeta, sp.besselj: lambda nu, z: z.bessel_j(nu),
    sp.bessely: lambda nu, z: z.bessel_y(nu), sp.besseli: lambda nu, z: z.bessel_i(nu),
    sp.besselk: lambda nu, z: z.bessel_k(nu), sp.polygamma: _polygamma,
    sp.beta: lambda a, b: a.gamma() * b.gamma() / (a + b).gamma(),
    sp.RisingFactorial: lambda a, n: a.rising(n), sp.LambertW: lambda z: z.lambertw(),
    sp.floor: _floor, sp.ceiling: _ceiling, sp.frac: _frac, sp.sign: _sign,
    sp.Heaviside: _heaviside, sp.Min: _min, sp.Max: _max,
    sp.Abs: lambda z: acb(abs(z)), sp.re: lambda z: acb(z.real), sp.im: lambda z: acb(z.imag),
    sp.conjugate: acb.conjugate, sp.arg: lambda z: acb(z.arg()),
}
_CONSTANTS = {sp.pi: lambda: acb.pi(), sp.E: lambda: acb(1).exp(),
              sp.EulerGamma: lambda: acb(arb.const_euler()),
              sp.Catalan: lambda: acb(arb.const_catalan())}


def ballable(expr) -> bool:
    """Every node of ``expr`` has a mapping here (a cheap structural test; a particular point
    may still raise :class:`NotBallable`)."""
    for node in sp.preorder_traversal(expr):
        if node.is_Symbol or node.is_Number or node in _CONSTANTS or node is sp.I:
            continue
        if isinstance(node, (sp.Add, sp.Mul, sp.Pow)):
            continue
        if node.func not in _FUNCS:
            return False
    return True


def _pow(base: acb, exponent, env) -> acb:
    if exponent.is_Integer:
        return base ** fmpz(int(exponent))
    if exponent == sp.S.Half:
        return base.sqrt()
    if exponent == -sp.S.Half:
        return base.rsqrt()
    return base ** _eval(exponent, env)


def _eval(expr, env) -> acb:
    if expr in env:
        return env[expr]
    if expr.is_Symbol:
        raise NotBallable(f"no value for {expr}")
    if expr.is_Number or expr is sp.I:
        return _number(expr)
    if expr in _CONSTANTS:
        return _CONSTANTS[expr]()
    if isinstance(expr, sp.Add):
        out = acb(0)
        for a in expr.args:
            out += _eval(a, env)
        return out
    if isinstance(expr, sp.Mul):
        out = acb(1)
        for a in expr.args:
            out *= _eval(a, env)
        return out
    if isinstance(expr, sp.Pow):
        return _pow(_eval(expr.base, env), expr.exp, env)
    f = _FUNCS.get(expr.func)
    if f is None:
        raise NotBallable(f"no ball mapping for {expr.func}")
    return f(*(_eval(a, env) for a in expr.args))


def ball(expr, point: dict, bits: int) -> acb:
    """An ``acb`` ball containing the exact value of ``expr`` at ``point`` (symbol -> sympy
    number), computed at ``bits`` of working precision.  Raises :class:`NotBallable`."""
    with flint.ctx.workprec(bits):
        env = {s: _number(v) for s, v in point.items()}
        return _eval(expr, env)


def exact_values(exprs, point: dict):
    """The exact values (sympy Rationals) of rational functions with rational coefficients at a
    rational point, or ``None`` when that does not apply (a float or irrational anywhere, a pole)."""
    if not all(isinstance(v, sp.Rational) for v in point.values()):
        return None
    syms = list(point)
    out = []
    for e in exprs:
        if syms and not e.is_rational_function(*syms):
            return None
        v = e.xreplace(point)
        if not isinstance(v, sp.Rational):
            return None
        out.append(v)
    return out
