"""Equalities and inequalities between sympy expressions, for all admissible values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..errors import MalformedStatement
from ..printing import latex
from .base import Statement, _sym

__all__ = ["Equality", "Inequality"]


def _check_where(where, symbols):
    if where is None:
        return None
    w = _sym(where, "where")
    if not isinstance(w, (sp.core.relational.Relational, sp.logic.boolalg.BooleanFunction)):
        raise MalformedStatement(f"where must be a sympy condition such as x > 0, got {where!r}")
    extra = w.free_symbols - symbols
    if extra:
        raise MalformedStatement(f"where uses {sorted(map(str, extra))}, which the statement does not")
    return w


def _check_domain(domain, symbols):
    domain = dict(domain or {})
    for s, box in domain.items():
        if s not in symbols:
            raise MalformedStatement(f"domain names {s}, which is not a free symbol of the statement")
        try:
            lo, hi = (float(x) for x in box)
        except (TypeError, ValueError):
            raise MalformedStatement(f"domain of {s} must be (low, high) numbers, got {box!r}") from None
        if not lo < hi:
            raise MalformedStatement(f"domain of {s} is empty: ({lo}, {hi})")
    return domain


def _assumption_latex(symbols) -> str:
    words = []
    for s in sorted(symbols, key=str):
        if s.is_integer and s.is_positive:
            words.append(rf"{latex(s)} \in \mathbb{{Z}}_{{>0}}")
        elif s.is_integer and s.is_nonnegative:
            words.append(rf"{latex(s)} \in \mathbb{{Z}}_{{\ge 0}}")
        elif s.is_integer:
            words.append(rf"{latex(s)} \in \mathbb{{Z}}")
        elif s.is_positive:
            words.append(rf"{latex(s)} > 0")
        elif s.is_nonnegative:
            words.append(rf"{latex(s)} \ge 0")
        elif s.is_negative:
            words.append(rf"{latex(s)} < 0")
        elif s.is_real:
            words.append(rf"{latex(s)} \in \mathbb{{R}}")
        else:
            words.append(rf"{latex(s)} \in \mathbb{{C}}")
    return ",\\ ".join(words)


@dataclass(frozen=True, eq=False)
class Equality(Statement):
    """``lhs = rhs`` for all admissible values of the free symbols.

    Admissible values come from each symbol's sympy assumptions (``positive``,
    ``integer``, ``real``; a symbol with no assumptions is complex), restricted
    by ``domain`` (``{symbol: (low, high)}``) and the condition ``where``.
    """

    shape = "equality"

    lhs: sp.Expr
    rhs: sp.Expr
    where: Any = None
    domain: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "lhs", _sym(self.lhs, "lhs"))
        object.__setattr__(self, "rhs", _sym(self.rhs, "rhs"))
        object.__setattr__(self, "where", _check_where(self.where, self.symbols))
        object.__setattr__(self, "domain", _check_domain(self.domain, self.symbols))

    @property
    def symbols(self):
        return (self.lhs.free_symbols | self.rhs.free_symbols)

    def latex(self) -> str:
        cond = _assumption_latex(self.symbols)
        if self.where is not None:
            cond += (",\\ " if cond else "") + latex(self.where)
        tail = rf" \qquad ({cond})" if cond else ""
        return f"{latex(self.lhs)} = {latex(self.rhs)}{tail}"

    def text(self):
        return f"{self.lhs} = {self.rhs}"

    def parts(self):
        return {"type": "Equality", "lhs": sp.srepr(self.lhs), "rhs": sp.srepr(self.rhs),
                "where": None if self.where is None else sp.srepr(self.where),
                "domain": sorted((str(k), v) for k, v in self.domain.items()),
                "assumptions": sorted((str(s), sorted(s.assumptions0.items())) for s in self.symbols)}


@dataclass(frozen=True, eq=False)
class Inequality(Statement):
    """A sympy relation (``<``, ``<=``, ``>``, ``>=``) for all admissible values."""

    shape = "inequality"

    relation: Any
    where: Any = None
    domain: dict = field(default_factory=dict)

    def __post_init__(self):
        rel = _sym(self.relation, "relation")
        if not isinstance(rel, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
            raise MalformedStatement(
                f"an Inequality needs a relation <, <=, > or >= between expressions, got {self.relation!r}"
                + (" (it simplified to a constant: is it trivially true/false?)"
                   if rel in (sp.true, sp.false) else ""))
        object.__setattr__(self, "relation", rel)
        object.__setattr__(self, "where", _check_where(self.where, self.symbols))
        object.__setattr__(self, "domain", _check_domain(self.domain, self.symbols))

    @property
    def symbols(self):
        return self.relation.free_symbols

    def latex(self) -> str:
        cond = _assumption_latex(self.symbols)
        if self.where is not None:
            cond += (",\\ " if cond else "") + latex(self.where)
        tail = rf" \qquad ({cond})" if cond else ""
        return latex(self.relation) + tail

    def text(self):
        return str(self.relation)

    def parts(self):
        return {"type": "Inequality", "relation": sp.srepr(self.relation),
                "where": None if self.where is None else sp.srepr(self.where),
                "domain": sorted((str(k), v) for k, v in self.domain.items()),
                "assumptions": sorted((str(s), sorted(s.assumptions0.items())) for s in self.symbols)}


