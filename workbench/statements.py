"""What a claim says: statements built from sympy objects.

Each statement type is a small immutable class that knows how to print itself
as LaTeX and what its parts are (for hashing); which validator checks it is
decided in :mod:`workbench.validate`, one validator per statement type.

Statement types
---------------
:class:`Asymptotic`
    ``a(n) ~ C n^e (log n)^q`` as ``n -> oo`` (integer ``n``, optionally along
    an arithmetic subsequence ``n = step*m + offset``) or ``t -> oo`` (real ``t``).
:class:`Equality`
    ``lhs = rhs`` for all values of the free symbols allowed by their sympy
    assumptions (and an optional ``where`` condition / ``domain`` box).
:class:`Inequality`
    A sympy relation ``<, <=, >, >=`` under the same conventions.
:class:`Agreement`
    Two computations agree: the mean over seeds of a noisy estimate equals a
    reference within ``k`` standard errors plus a stated systematic bound.
:class:`FreeForm`
    A sentence, checked by a user function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import sympy as sp

from .errors import MalformedStatement
from .printing import latex, latex_text

__all__ = ["Statement", "Asymptotic", "Equality", "Inequality", "Agreement", "FreeForm",
           "split_leading", "exact_floats"]


class Statement:
    """Base class: a statement prints as LaTeX and lists its parts for hashing."""

    def latex(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def text(self) -> str:
        """Plain-text form for terminals."""
        return self.latex()

    def parts(self) -> dict[str, Any]:  # pragma: no cover - abstract
        """The data that determines the statement (hashed by the result store)."""
        raise NotImplementedError

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"


def _sym(x, what: str):
    try:
        return sp.sympify(x)
    except (sp.SympifyError, TypeError) as exc:
        raise MalformedStatement(f"{what} is not a sympy expression: {x!r} ({exc})") from None


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


def exact_floats(expr):
    """``expr`` with every Float replaced by the rational number it is written as.

    A Float is taken at its exact decimal value (``Float("1.41421356237")`` is
    ``141421356237/10^11``, ``Float("1e-50")`` is ``10^-50``): a claim means what it
    says, and a nearby closed form (``sqrt(2)``) is never substituted for it.

    >>> exact_floats(sp.Float("1.5") * sp.Symbol("n") ** sp.Float("0.25"))
    3*n**(1/4)/2
    """
    floats = expr.atoms(sp.Float)
    if not floats:
        return expr
    return expr.xreplace({f: sp.Rational(str(f)) for f in floats})


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


@dataclass(frozen=True, eq=False)
class Agreement(Statement):
    """A noisy estimate agrees with a reference computation.

    ``estimate(seed, **params)`` returns a number or an array (one run with one
    seed); ``reference(**params)`` returns the value it should average to (a
    number or array of the same shape), or ``reference`` is that value itself.
    The claim is that ``|mean - reference| <= k * stderr + systematic``
    componentwise, with the mean and standard error over ``seeds``.
    """

    estimate: Callable
    reference: Any
    seeds: tuple[int, ...] = tuple(range(8))
    k: float = 3.0
    systematic: float = 0.0
    quantity: str = r"\hat{X}"
    reference_label: str = r"X"

    def __post_init__(self):
        if not callable(self.estimate):
            raise MalformedStatement(f"estimate must be callable(seed, **params), got {self.estimate!r}")
        seeds = tuple(int(s) for s in self.seeds)
        if len(seeds) < 2:
            raise MalformedStatement("an Agreement needs at least 2 seeds to estimate a standard error")
        if len(set(seeds)) != len(seeds):
            raise MalformedStatement(f"seeds repeat: {seeds}")
        object.__setattr__(self, "seeds", seeds)
        if not (self.k > 0 and self.systematic >= 0):
            raise MalformedStatement("need k > 0 and systematic >= 0")

    def latex(self) -> str:
        sys_part = rf" + {self.systematic:g}" if self.systematic else ""
        ref = self.reference_label
        ref = rf"\left({ref}\right)" if ref.lstrip().startswith("-") else ref
        return (rf"\left|\langle {self.quantity} \rangle_{{\text{{{len(self.seeds)} seeds}}}} - "
                rf"{ref}\right| \le {self.k:g}\,\mathrm{{SE}}{sys_part}")

    def text(self):
        return (f"mean over {len(self.seeds)} seeds of {self.quantity} = {self.reference_label} "
                f"within {self.k:g} SE + {self.systematic:g}")

    def parts(self):
        return {"type": "Agreement", "estimate": self.estimate, "reference": self.reference,
                "seeds": self.seeds, "k": self.k, "systematic": self.systematic}


@dataclass(frozen=True, eq=False)
class FreeForm(Statement):
    """A statement in words (``$...$`` spans are maths), checked by a user function."""

    sentence: str

    def __post_init__(self):
        if not isinstance(self.sentence, str) or not self.sentence.strip():
            raise MalformedStatement(f"a free-form statement must be a non-empty string, got {self.sentence!r}")

    def latex(self) -> str:
        return r"\text{" + latex_text(self.sentence) + "}"

    def text(self):
        return self.sentence

    def parts(self):
        return {"type": "FreeForm", "sentence": self.sentence}

    def _repr_latex_(self):
        return None  # plain text renders better as HTML


def coerce_statement(statement) -> Statement:
    """A :class:`Statement` from a statement, a string or a sympy relation."""
    if isinstance(statement, Statement):
        return statement
    if isinstance(statement, str):
        return FreeForm(statement)
    if isinstance(statement, sp.Eq):
        return Equality(statement.lhs, statement.rhs)
    if isinstance(statement, sp.core.relational.Relational):
        return Inequality(statement)
    raise MalformedStatement(f"cannot read {statement!r} as a statement (give a Statement, a "
                             "sympy relation or a string)")
