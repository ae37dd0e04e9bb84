"""``a(v) ~ C v^e (log v)^q``: the statement of an asymptotic law."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from ..errors import MalformedStatement
from ..printing import latex
from .base import Statement, _sym, exact_floats

__all__ = ["Asymptotic", "split_leading"]


def split_leading(leading, variable: sp.Symbol):
    """Split a leading term ``C * v**e * log(v)**q`` into ``(C, e, q)``.

    >>> n = sp.Symbol("n", positive=True)
    >>> split_leading(3*sp.sqrt(n)*sp.log(n)/sp.pi, n)
    (3/pi, 1/2, 1)
    """
    expr = sp.powsimp(sp.expand_power_base(_sym(leading, "leading"), force=True), force=True)
    if expr == 0:
        raise MalformedStatement(f"leading term {leading} has constant 0")
    const, rest = expr.as_independent(variable, as_Add=False)
    e, q = sp.Integer(0), sp.Integer(0)
    for factor in sp.Mul.make_args(rest):
        base, exp = factor.as_base_exp()
        if base == variable and not exp.has(variable):
            e += exp
        elif base == sp.log(variable) and not exp.has(variable):
            q += exp
        elif factor != 1:
            raise MalformedStatement(
                f"leading term {leading} is not of the form C*{variable}**e*log({variable})**q "
                f"(cannot read the factor {factor})")
    if const == 0:
        raise MalformedStatement(f"leading term {leading} has constant 0")
    return const, e, q



@dataclass(frozen=True, eq=False)
class Asymptotic(Statement):
    """``a(v) ~ leading`` as ``v -> oo``, with ``leading = C v^e (log v)^q``.

    Parameters
    ----------
    variable : sympy.Symbol
        ``n`` with ``integer=True`` (a sequence) or a real symbol ``t``.
    leading : sympy expression
        The claimed leading term. Its constant ``C``, exponent ``e`` and
        log power ``q`` must be numbers (no free symbols besides ``variable``).
    sequence : callable, optional
        ``a(v)`` computed exactly at the current mpmath precision (it is
        called inside ``mp.workdps``); integer variables get a Python ``int``,
        real variables an ``mpf``.
    expression : sympy expression, optional
        ``a(v)`` as a sympy expression; used for printing and, when no
        ``sequence`` is given, evaluated with mpmath.
    subsequence : (step, offset), optional
        Only ``v = step*m + offset``, ``m -> oo`` (e.g. parity patterns).
    corrections : sympy number or expression, optional
        The step ``w`` of the correction series ``a(v) = leading * (1 + c1 v^-w
        + c2 v^-2w + ...)`` assumed by Richardson extrapolation (default 1,
        i.e. powers of ``1/v``).  The second method (Wynn's epsilon on a
        geometric grid) does not assume it.  An expression ``v^-w (log v)^i``
        declares logarithmic corrections: the series is then taken in
        ``v^(-k w) (log v)^j``, ``k >= 1``, ``|j| <= |i|``, and extrapolated by
        generalised Richardson and a least-squares fit in those shapes.
        Floats anywhere in ``leading`` or ``corrections`` are taken at their
        exact decimal value (:func:`exact_floats`).
    name : str, optional
        LaTeX for ``a(v)`` when no expression is given (default ``a(n)``).
    """

    shape = "asymptotic"

    variable: sp.Symbol
    leading: sp.Expr
    sequence: Callable | None = None
    expression: sp.Expr | None = None
    subsequence: tuple[int, int] | None = None
    corrections: sp.Expr = sp.Integer(1)
    name: str | None = None
    constant: sp.Expr = field(init=False)
    exponent: sp.Expr = field(init=False)
    log_power: sp.Expr = field(init=False)
    log_corrections: int = field(init=False)

    def __post_init__(self):
        if not isinstance(self.variable, sp.Symbol):
            raise MalformedStatement(f"variable must be a sympy Symbol, got {self.variable!r}")
        object.__setattr__(self, "leading", exact_floats(_sym(self.leading, "leading")))
        if self.sequence is None and self.expression is None:
            raise MalformedStatement("an Asymptotic needs a sequence (callable) or an expression")
        if self.sequence is not None and not callable(self.sequence):
            raise MalformedStatement(f"sequence must be callable, got {self.sequence!r}")
        if self.expression is not None:
            object.__setattr__(self, "expression", _sym(self.expression, "expression"))
            extra = self.expression.free_symbols - {self.variable}
            if extra and self.sequence is None:
                raise MalformedStatement(
                    f"expression has free symbols {sorted(map(str, extra))} besides {self.variable}")
        c, e, q = split_leading(self.leading, self.variable)
        for what, val in (("constant", c), ("exponent", e), ("log power", q)):
            if val.free_symbols:
                raise MalformedStatement(
                    f"the {what} of the leading term {self.leading} must be a number, "
                    f"but has free symbols {sorted(map(str, val.free_symbols))}")
        if not c.is_real:
            raise MalformedStatement(f"the constant {c} of the leading term must be real")
        object.__setattr__(self, "constant", c)
        object.__setattr__(self, "exponent", e)
        object.__setattr__(self, "log_power", q)
        w, j = _correction_shape(exact_floats(_sym(self.corrections, "corrections")), self.variable)
        object.__setattr__(self, "corrections", w)
        object.__setattr__(self, "log_corrections", j)
        if self.subsequence is not None:
            try:
                step, offset = (int(x) for x in self.subsequence)
            except (TypeError, ValueError):
                raise MalformedStatement(
                    f"subsequence must be (step, offset) integers, got {self.subsequence!r}") from None
            if step < 1 or not self.is_integer:
                raise MalformedStatement("subsequence needs an integer variable and step >= 1")
            object.__setattr__(self, "subsequence", (step, offset % step))

    @property
    def is_integer(self) -> bool:
        return bool(self.variable.is_integer)

    def _lhs(self) -> str:
        if self.expression is not None:
            return latex(self.expression)
        return self.name or f"a({latex(self.variable)})"

    def latex(self) -> str:
        v = latex(self.variable)
        cond = rf"{v} \to \infty"
        if self.subsequence is not None:
            step, offset = self.subsequence
            cond += rf",\ {v} \equiv {offset} \pmod{{{step}}}"
        return rf"{self._lhs()} \sim {latex(self.leading)} \qquad ({cond})"

    def text(self) -> str:
        lhs = str(self.expression) if self.expression is not None else f"a({self.variable})"
        sub = ""
        if self.subsequence is not None:
            sub = f", {self.variable} = {self.subsequence[1]} mod {self.subsequence[0]}"
        return f"{lhs} ~ {self.leading} as {self.variable} -> oo{sub}"

    def parts(self):
        return {"type": "Asymptotic", "variable": sp.srepr(self.variable),
                "leading": sp.srepr(self.leading), "sequence": self.sequence,
                "expression": None if self.expression is None else sp.srepr(self.expression),
                "subsequence": self.subsequence, "corrections": sp.srepr(self.corrections),
                "log_corrections": self.log_corrections}


def _correction_shape(expr, variable):
    """``(w, |i|)`` from a correction step ``w`` or a shape ``v^-w (log v)^i``."""
    if expr.is_number:
        w, i = expr, sp.Integer(0)
    else:
        try:
            _, e, i = split_leading(expr, variable)
        except MalformedStatement:
            raise MalformedStatement(
                f"corrections must be a positive number w or a shape {variable}**-w * "
                f"log({variable})**i, got {expr}") from None
        w = -e
    if not (w.is_number and w.is_positive):
        raise MalformedStatement(f"corrections must decay: the step w must be a positive number, "
                                 f"got {w} from {expr}")
    if not (i.is_integer and abs(i) <= 4):
        raise MalformedStatement(f"the log power of the corrections must be an integer with |i| <= 4, "
                                 f"got {i}")
    return w, int(abs(i))


