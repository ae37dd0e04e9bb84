"""Closed forms for measured constants: integer relations (PSLQ) over a documented basis.

A measured value ``x`` (known to ``D`` digits) is looked for in two shapes:

*product of powers*
    ``x = +- 2^r2 3^r3 5^r5 7^r7 prod_b b^s_b`` with rational exponents: an integer relation
    ``a_0 log|x| + sum_p a_p log p + sum_b a_b log b = 0`` found by :func:`mpmath.pslq`
    (``r = -a_p/a_0``), so rationals, ``sqrt 2``, ``9/(2 pi)``, ``Gamma(1/4)^2/sqrt(pi)`` are
    all one search;
*rational combination*
    ``x = q_0 + sum_b q_b b``: a relation ``a_0 x + a_1 + sum_b a_b b = 0``.

The **default basis** (:data:`BASIS`): ``pi``, ``sqrt2``, ``sqrt3``, ``log2``, Euler's
``gamma``, ``zeta3``, Catalan's ``catalan``, ``gamma13 = Gamma(1/3)``, ``gamma14 =
Gamma(1/4)`` (``sqrt2``/``sqrt3`` are redundant with the primes in the product search and
used only in the combination search).  A user basis is a list of these names and/or a
dict ``{name: sympy constant}``.

A relation with coefficients at most ``H`` among ``n`` numbers exists by chance at ``D``
digits with probability about ``(2H + 1)^n / 10^D``: :class:`Identification` reports
``H``, ``n``, ``D`` and that estimate.  A candidate found here is only a *candidate*:
:mod:`workbench.conjecture` proposes it after re-measuring the value at twice the
precision on a longer grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath as mp
import sympy as sp

from ..errors import InvalidParameter

__all__ = ["BASIS", "PRIMES", "Identification", "identify", "resolve_basis"]

#: the default basis: name -> sympy constant
BASIS = {"pi": sp.pi, "sqrt2": sp.sqrt(2), "sqrt3": sp.sqrt(3), "log2": sp.log(2),
         "gamma": sp.EulerGamma, "zeta3": sp.zeta(3), "catalan": sp.Catalan,
         "gamma13": sp.gamma(sp.Rational(1, 3)), "gamma14": sp.gamma(sp.Rational(1, 4))}

#: primes whose powers the product search allows (rationals and their roots)
PRIMES = (2, 3, 5, 7)

#: largest relation coefficient searched (products / combinations)
MAXCOEFF = {"product": 12, "combination": 12}

#: PSLQ iterations before a search gives up (a relation of this height is found in far fewer)
MAXSTEPS = 2000


@dataclass(frozen=True)
class Identification:
    """A candidate closed form and what it rests on."""

    form: sp.Expr
    shape: str             # "product" or "combination"
    relation: tuple        # the integer relation found
    names: tuple           # what each coefficient multiplies
    digits: float          # digits at which the relation was sought

    @property
    def height(self) -> int:
        """The largest coefficient of the relation."""
        return max(abs(a) for a in self.relation)

    @property
    def chance(self) -> float:
        """About the probability that a relation this small exists by chance."""
        n = sum(1 for a in self.relation if a) or 1
        return min(1.0, float((2 * self.height + 1)) ** n / 10 ** self.digits)

    def record(self) -> dict:
        return {"form": str(self.form), "shape": self.shape,
                "relation": dict(zip(self.names, map(int, self.relation))),
                "max_coefficient": self.height, "digits": round(self.digits, 1),
                "chance_estimate": f"{self.chance:.1g}"}


def resolve_basis(basis=None) -> dict:
    """The basis as ``{name: sympy constant}`` (``None``: :data:`BASIS`)."""
    if basis is None:
        return dict(BASIS)
    if isinstance(basis, str):
        basis = [b.strip() for b in basis.split(",") if b.strip()]
    out = {}
    items = basis.items() if isinstance(basis, dict) else ((b, None) for b in basis)
    for name, value in items:
        if value is None:
            if name not in BASIS:
                raise InvalidParameter(f"unknown basis constant {name!r}; known: "
                                       f"{', '.join(BASIS)} (or give {{name: sympy constant}})")
            value = BASIS[name]
        value = sp.sympify(value)
        if value.free_symbols or not value.is_number or not (value.is_positive):
            raise InvalidParameter(f"basis constant {name} = {value} must be a positive number")
        out[str(name)] = value
    return out


@lru_cache(maxsize=256)
def _value(v: sp.Expr, dps: int):
    """``v`` as an mpf to ``dps`` digits (sympy's evalf is slow: once per constant and precision)."""
    with mp.workdps(dps):
        return mp.mpf(sp.N(v, dps + 5))


def _height_ok(rel, bound):
    return rel is not None and max(abs(a) for a in rel) <= bound and rel[0] != 0


def _product(x, basis, tol, bound):
    consts = [(str(p), sp.Integer(p)) for p in PRIMES]
    consts += [(n, v) for n, v in basis.items()
               if not _is_prime_power_root(v)]
    vec = [mp.log(abs(x))] + [mp.log(_value(v, mp.mp.dps)) for _, v in consts]
    rel = mp.pslq(vec, tol=tol, maxcoeff=bound, maxsteps=MAXSTEPS)
    if not _height_ok(rel, bound):
        return None
    a0 = rel[0]
    form = sp.Integer(1 if x > 0 else -1)
    for (_, v), a in zip(consts, rel[1:]):
        if a:
            form *= v ** sp.Rational(-a, a0)
    return sp.nsimplify(form) if form.is_rational else form, tuple(rel), ("log|x|",) + tuple(
        n for n, _ in consts)


def _is_prime_power_root(v):
    """``sqrt2``, ``sqrt3``...: a root of a rational (the primes already cover it)."""
    b, e = v.as_base_exp()
    return b.is_Rational and e.is_Rational


def _combination(x, basis, tol, bound):
    names = list(basis)
    vec = [x, mp.mpf(1)] + [_value(basis[n], mp.mp.dps) for n in names]
    rel = mp.pslq(vec, tol=tol, maxcoeff=bound, maxsteps=MAXSTEPS)
    if not _height_ok(rel, bound):
        return None
    a0 = rel[0]
    form = sp.Rational(-rel[1], a0) + sum(
        (sp.Rational(-a, a0) * basis[n] for n, a in zip(names, rel[2:]) if a), sp.Integer(0))
    return form, tuple(rel), ("x", "1") + tuple(names)


def identify(x, digits: float, basis=None) -> Identification | None:
    """A closed form for ``x`` (an mpf known to ``digits`` significant digits) in ``basis``,
    or ``None``.  Products of powers are tried first, rational combinations only when no
    product is found; the form is re-evaluated and must match ``x`` to ``digits``.

    >>> import mpmath as mp
    >>> with mp.workdps(30):
    ...     print(identify(45 / mp.pi, 25).form, identify(mp.pi**2/6, 25).form)
    45/pi pi**2/6
    """
    basis = resolve_basis(basis)
    if x == 0:
        return Identification(sp.Integer(0), "product", (1,), ("x",), digits)
    found = []
    with mp.workdps(int(digits) + 10):
        x = +mp.mpf(x)       # rounded here, not at the caller's (lower) precision
        if abs(abs(x) - 1) <= mp.mpf(10) ** -digits:    # log|x| = 0: PSLQ needs no zero
            return Identification(sp.Integer(int(mp.sign(x))), "product", (1,), ("x",), digits)
        tol = abs(x) * mp.mpf(10) ** (-digits)
        for shape, search in (("product", _product), ("combination", _combination)):
            if shape == "combination" and tol < mp.mpf(2) ** -(mp.mp.prec + 50):
                continue      # |x| below its own precision: PSLQ's fixed point has no tolerance
            hit = search(x, basis, tol if shape == "combination" else mp.mpf(10) ** (-digits),
                         MAXCOEFF[shape])
            if hit is None:
                continue
            form, rel, names = hit
            value = mp.mpf(sp.N(form, int(digits) + 15))
            if abs(value - x) <= abs(x) * mp.mpf(10) ** (1 - digits):
                found.append(Identification(form, shape, rel, names, digits))
                break   # a product of powers is the simpler shape: no combination search
    if not found:
        return None
    return min(found, key=lambda f: (f.height, len(str(f.form))))
