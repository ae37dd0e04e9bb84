"""Sample points for Equality/Inequality validation: special values, breakpoints, wide random draws.

Every symbol gets values allowed by its sympy assumptions (``integer``,
``positive``, ``nonnegative``, ``negative``, ``nonpositive``, ``nonzero``,
``even``, ``odd``, ``real``, ``imaginary``; no assumption means complex),
from three sources:

* **special values** -- 0, +-1, +-2, +-3, +-1/2, +-3/2, +-1/3, +-2/3, 10, 100, and
  for complex symbols i, -i, 1+i and points just above and below the negative
  real axis (branch cuts);
* **breakpoints** -- where a side is not smooth: the arguments of
  ``floor``/``ceiling``/``frac`` equal to a small integer, of
  ``Abs``/``sign``/``Heaviside`` equal to 0, two arguments of ``Min``/``Max``
  equal, a ``Piecewise`` or ``where`` condition's two sides equal,
  ``Mod(a, q)`` with ``a/q`` an integer.  Solved exactly when the equation is a polynomial of
  degree <= 4 in one symbol (other symbols fixed at admissible values); each
  breakpoint comes with its neighbours (+-1 for integers, +-2^-40 relative
  for reals);
* **random values** (``settings.points`` of them, reproducible by seed) --
  reals log-uniform in magnitude over 1e-8..1e8, integers half uniform on
  1..50 and half log-uniform on 1..1e12, complex numbers with log-uniform
  modulus 1e-8..1e8 and uniform argument.

``domain={s: (lo, hi)}`` makes ``s`` real and keeps it in the open interval
(closed for integer symbols), with points close to both ends; ``where`` is
imposed by rejection.  Every sampled real is an exact binary number or a
small rational, so that ball arithmetic and mpmath see the same point.
"""

from __future__ import annotations

import itertools
import math
import random

import sympy as sp

from ..errors import MalformedStatement

__all__ = ["sample_points", "breakpoint_equations", "format_point"]

_R = sp.Rational
_SPECIAL_REALS = [sp.Integer(v) for v in (0, 1, -1, 2, -2, 3, -3, 10, -10, 100)] + [
    _R(1, 2), _R(-1, 2), _R(3, 2), _R(-3, 2), _R(1, 3), _R(-1, 3), _R(2, 3), _R(-2, 3)]
_SPECIAL_INTEGERS = [sp.Integer(v) for v in (0, 1, -1, 2, -2, 3, -3, 4, 5, 7, 10, -10, 100)]
_TINY = sp.Float(2.0 ** -40, 17)            # relative offset of a breakpoint's neighbours
_CUT = sp.Float(2.0 ** -30, 17)             # distance to the negative real axis (branch cut)
_SPECIAL_COMPLEX = [sp.I, -sp.I, 1 + sp.I, -1 - sp.I, _R(1, 2) - sp.I / 3,
                    -2 + _CUT * sp.I, -2 - _CUT * sp.I, _R(-1, 2) + _CUT * sp.I,
                    _R(-1, 2) - _CUT * sp.I, 2 + _CUT * sp.I]
_CHECKED = ("integer", "positive", "negative", "nonnegative", "nonpositive", "nonzero", "zero",
            "even", "odd", "real", "imaginary")


def _float(v: float) -> sp.Float:
    """An exact binary float as a sympy Float (17 digits print it exactly enough to round-trip)."""
    return sp.Float(v, 17)


def _kind(sym) -> str:
    if sym.is_integer:
        return "integer"
    if sym.is_imaginary:
        return "imaginary"
    if sym.is_real or sym.is_extended_real:
        return "real"
    return "complex"


def _admissible(sym, value) -> bool:
    """``value`` does not contradict an assumption of ``sym``."""
    for key in _CHECKED:
        want = getattr(sym, f"is_{key}")
        if want is None:
            continue
        have = getattr(value, f"is_{key}")
        if have is not None and have != want:
            return False
    return True


def _in_box(value, box, integer: bool) -> bool:
    lo, hi = box
    return lo <= value <= hi if integer else lo < value < hi


def _random_value(sym, rng: random.Random, box):
    kind = _kind(sym)
    if box is not None:
        lo, hi = box
        if kind == "integer":
            return sp.Integer(rng.randint(math.ceil(lo), math.floor(hi)))
        if lo > 0 and hi / lo > 100:
            return _float(10 ** rng.uniform(math.log10(lo), math.log10(hi)))
        return _float(rng.uniform(lo, hi))
    sign = rng.choice((-1, 1))
    if kind == "integer":
        mag = rng.randint(1, 50) if rng.random() < 0.5 else int(10 ** rng.uniform(0, 12))
        return sp.Integer(sign * mag)
    mag = _float(10 ** rng.uniform(-8, 8))
    if kind == "real":
        return sign * mag
    if kind == "imaginary":
        return sign * mag * sp.I
    phase = rng.uniform(-math.pi, math.pi)
    return _float(float(mag) * math.cos(phase)) + _float(float(mag) * math.sin(phase)) * sp.I


def _flip_sign(sym, value):
    """Random draws take a random sign; flip it when the assumptions want the other one."""
    if not _admissible(sym, value) and _admissible(sym, -value):
        return -value
    return value


def _draw(sym, rng, box):
    return _flip_sign(sym, _random_value(sym, rng, box))


def _specials(sym, box):
    kind = _kind(sym)
    if kind == "integer":
        values = list(_SPECIAL_INTEGERS)
    elif kind == "imaginary":
        values = [v * sp.I for v in _SPECIAL_REALS if v != 0]
    else:
        values = list(_SPECIAL_REALS) + (_SPECIAL_COMPLEX if kind == "complex" and box is None else [])
    if box is not None:
        lo, hi = (sp.nsimplify(b) for b in box)
        if kind == "integer":
            values += [sp.ceiling(lo), sp.floor(hi)]
        else:
            width = min(hi - lo, 1)
            values += [_float(float(lo + width * _TINY)), _float(float(hi - width * _TINY)),
                       (lo + hi) / 2]
        values = [v for v in values if _in_box(v, (lo, hi), kind == "integer")]
    return values


# -- breakpoints ----------------------------------------------------------------------------------

def breakpoint_equations(expr) -> list:
    """Expressions ``g`` with ``g = 0`` where ``expr`` is not smooth (see the module docstring)."""
    eqs = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.floor, sp.ceiling, sp.frac)):
            eqs += [node.args[0] - m for m in range(-2, 4)]
        elif isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
            eqs.append(node.args[0])
        elif isinstance(node, (sp.Min, sp.Max)):
            eqs += [a - b for a, b in itertools.combinations(node.args, 2)]
        elif isinstance(node, sp.Mod):
            eqs += [node.args[0] / node.args[1] - m for m in range(-2, 4)]
        elif isinstance(node, sp.Piecewise):
            for _, cond in node.args:
                if isinstance(cond, sp.core.relational.Relational):
                    eqs.append(cond.lhs - cond.rhs)
    return [e for e in dict.fromkeys(eqs) if e.free_symbols]


def _real_roots(g, sym) -> list:
    """Real roots of ``g(sym) = 0`` when it is a polynomial of degree <= 4 (after clearing
    denominators); exact rationals for degree 1, floats otherwise.  [] when not cheap."""
    try:
        num = sp.numer(sp.together(g))
        poly = sp.Poly(num, sym)
    except (sp.PolynomialError, sp.GeneratorsNeeded, TypeError, ValueError):
        return []
    if not 1 <= poly.degree() <= 4 or not all(c.is_number and c.is_real for c in poly.all_coeffs()):
        return []
    if poly.degree() == 1:
        a, b = poly.all_coeffs()
        root = -b / a
        return [root] if root.is_real else []
    try:
        roots = poly.nroots(n=20)
    except (sp.PolynomialError, ValueError, TypeError):
        return []
    return [sp.nsimplify(r, rational=True) if abs(r) < 1e15 else r
            for r in roots if r.is_real]


def _around(root, sym):
    """A breakpoint and its neighbours, as values a symbol of this kind can take."""
    if not root.is_real or not root.is_finite:
        return []
    if _kind(sym) == "integer":
        c = sp.floor(root)
        return [c - 1, c, c + 1, c + 2] if c != root else [c - 1, c, c + 1]
    r = float(root)
    step = float(_TINY) * max(abs(r), 1.0)
    near = [_float(r - step), _float(r + step)]
    exact = root if (root.is_Rational and abs(root.q) < 10 ** 6) else _float(r)
    return [exact] + near


def _breakpoints_1d(eqs, sym) -> list:
    values = []
    for g in eqs:
        if g.free_symbols == {sym}:
            for root in _real_roots(g, sym):
                values += _around(root, sym)
    return values


def _breakpoint_points(eqs, make_base) -> list:
    """Points on multi-symbol breakpoints: fix all symbols but one at random admissible values,
    then solve for the last one (a few base points per equation)."""
    points = []
    for g in eqs:
        free = sorted(g.free_symbols, key=str)
        if len(free) < 2:
            continue
        for trial in range(3):
            base = make_base()
            sym = free[trial % len(free)]
            rest = {s: v for s, v in base.items() if s != sym}
            for value in _breakpoints_1d([g.xreplace(rest)], sym):
                points.append({**base, sym: value})
    return points


# -- assembling points -----------------------------------------------------------------------------

def _condition_holds(where, pt) -> bool:
    if where is None:
        return True
    ok = where.xreplace(pt)
    if ok not in (sp.true, sp.false):
        ok = where.subs(pt)
    if ok not in (sp.true, sp.false):
        raise MalformedStatement(f"cannot decide the condition {where} at {format_point(pt)}")
    return ok is sp.true


def _candidates(sym, box, eqs):
    values = _specials(sym, box) + _breakpoints_1d(eqs, sym)
    keep = []
    for v in values:
        if _admissible(sym, v) and (box is None or _in_box(v, box, _kind(sym) == "integer")):
            keep.append(v)
    return list(dict.fromkeys(keep))


def sample_points(symbols, settings, where=None, domain=None, exprs=()):
    """Admissible points, each a ``{symbol: sympy number}``: special values and breakpoints of
    ``exprs`` first, then ``settings.points`` random draws.  Reproducible by ``settings.seed``.

    Raises :class:`MalformedStatement` when ``where`` cannot be decided at a point, or when
    fewer than ``settings.points`` random points satisfy it in ``settings.max_tries`` draws.
    """
    symbols = sorted(symbols, key=str)
    if not symbols:
        return [{}]
    rng = random.Random(settings.seed)
    domain = {s: tuple(float(b) for b in box) for s, box in (domain or {}).items()}
    eqs = [g for e in exprs for g in breakpoint_equations(e)]
    if where is not None:
        eqs += [r.lhs - r.rhs for r in where.atoms(sp.core.relational.Relational)
                if (r.lhs - r.rhs).free_symbols]

    def random_point():
        return {s: _draw(s, rng, domain.get(s)) for s in symbols}

    special = []
    per_symbol = {s: _candidates(s, domain.get(s), eqs) for s in symbols}
    for s in symbols:
        for v in per_symbol[s]:
            pt = {t: (rng.choice(per_symbol[t]) if per_symbol[t] and rng.random() < 0.5
                      else _draw(t, rng, domain.get(t))) for t in symbols if t != s}
            pt[s] = v
            special.append(pt)
    special += _breakpoint_points(eqs, random_point)

    points, seen = [], set()
    for pt in special:
        key = tuple(pt[s] for s in symbols)
        ok = all(_admissible(s, pt[s]) and (s not in domain or _in_box(
            pt[s], domain[s], _kind(s) == "integer")) for s in symbols)
        if ok and key not in seen and _condition_holds(where, pt):
            seen.add(key)
            points.append(pt)
    drawn = tries = 0
    while drawn < settings.points:
        tries += 1
        if tries > settings.max_tries:
            raise MalformedStatement(
                f"could not draw {settings.points} points satisfying {where} in "
                f"{settings.max_tries} tries (found {drawn}): is the condition satisfiable?")
        pt = random_point()
        if _condition_holds(where, pt):
            points.append(pt)
            drawn += 1
    return points


def format_point(pt) -> dict:
    """``{name: value}`` with values as exact-enough strings (floats round-trip)."""
    return {str(k): str(v) for k, v in pt.items()}
