"""Expressions typed by a user (the CLI's ``EXPR`` and ``--leading``), parsed safely.

The text is parsed with :mod:`ast` and refused unless every node is arithmetic
(``+ - * / ** %``, unary minus), a number, a string argument, the variable, a whitelisted
constant, or a call of a whitelisted function by its bare name: mpmath functions
(:data:`FUNCTIONS`) and :data:`workbench.quantities.QUANTITIES`.  No attribute access, no
subscripts, no lambdas, no other names: nothing but the whitelist can run.

Numbers keep their meaning at any precision: ``/`` is mpmath's division (``1/k`` is not a
float), ``**`` stays exact on integers, and a decimal ``0.1`` is the decimal, not its binary
approximation.  :class:`Sequence` (the text and the variable; it pickles, and hashes by its
text) is what ``--write`` puts into a derivation file.
"""

from __future__ import annotations

import ast
from functools import lru_cache

import mpmath as mp
import sympy as sp

from ..errors import InvalidParameter

__all__ = ["FUNCTIONS", "CONSTANTS", "Sequence", "parse", "parse_sympy"]

#: function name -> (mpmath name, sympy name)
FUNCTIONS = {n: (n, n) for n in ("sqrt", "exp", "log", "sin", "cos", "tan", "asin", "acos",
                                  "atan", "sinh", "cosh", "tanh", "gamma", "loggamma",
                                  "factorial", "binomial", "zeta", "harmonic", "erf", "erfc",
                                  "besseli", "besselj", "besselk", "floor", "ceiling", "beta",
                                  "digamma", "polylog", "expm1", "log1p", "atan2")}
FUNCTIONS.update({"abs": ("fabs", "Abs"), "Abs": ("fabs", "Abs"), "ceil": ("ceil", "ceiling"),
                  "ceiling": ("ceil", "ceiling"), "rgamma": ("rgamma", None),
                  "rf": ("rf", "rf"), "ff": ("ff", "ff"), "polygamma": ("polygamma", "polygamma")})

#: constant name -> (mpmath name, sympy constant)
CONSTANTS = {"pi": ("pi", sp.pi), "E": ("e", sp.E), "e": ("e", sp.E), "euler": ("euler", sp.EulerGamma),
             "EulerGamma": ("euler", sp.EulerGamma), "catalan": ("catalan", sp.Catalan),
             "Catalan": ("catalan", sp.Catalan)}

_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.USub, ast.UAdd)


def _quantities():
    from ..quantities import QUANTITIES
    return QUANTITIES


def _check(tree, variable, allow_quantities, params=()):
    """Raise :class:`InvalidParameter` unless ``tree`` uses only the whitelist (and the
    variable and the family ``params``)."""
    callables = set(FUNCTIONS) | (set(_quantities()) if allow_quantities else set())
    seen_var = False
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.Load, ast.keyword) + _OPS):
            continue
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            if not isinstance(node.op, _OPS):
                raise InvalidParameter(f"operator {type(node.op).__name__} is not allowed")
            continue
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in callables:
                what = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
                raise InvalidParameter(f"unknown function {what!r}; allowed: "
                                       f"{', '.join(sorted(callables))}")
            continue
        if isinstance(node, ast.Name):
            if node.id == variable:
                seen_var = True
            elif node.id not in params and node.id not in CONSTANTS and node.id not in callables:
                raise InvalidParameter(f"unknown name {node.id!r} (the variable is {variable!r}; "
                                       f"constants: {', '.join(CONSTANTS)})")
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)) \
                and not isinstance(node.value, bool):
            continue
        raise InvalidParameter(f"{type(node).__name__} is not allowed in an expression "
                               f"({ast.unparse(node) if hasattr(node, 'lineno') else ''})")
    if not seen_var:
        raise InvalidParameter(f"the expression does not contain the variable {variable!r}")


def _tree(text, variable, allow_quantities=True, params=()):
    if not isinstance(text, str) or not text.strip():
        raise InvalidParameter("empty expression")
    if not variable.isidentifier():
        raise InvalidParameter(f"variable {variable!r} is not a name")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise InvalidParameter(f"malformed expression {text!r}: {exc.msg}") from None
    for p in params:
        if not p.isidentifier() or p == variable or p in CONSTANTS or p in FUNCTIONS:
            raise InvalidParameter(f"family parameter {p!r} must be a new name")
    _check(tree, variable, allow_quantities, params)
    return tree


class _Numeric(ast.NodeTransformer):
    """``a / b`` -> ``_div(a, b)``, ``a ** b`` -> ``_pow(a, b)``, ``0.1`` -> ``_dec('0.1')``."""

    def visit_BinOp(self, node):
        self.generic_visit(node)
        helper = {ast.Div: "_div", ast.Pow: "_pow"}.get(type(node.op))
        if helper is None:
            return node
        return ast.copy_location(ast.Call(ast.Name(helper, ast.Load()), [node.left, node.right], []),
                                 node)

    def visit_Constant(self, node):
        if isinstance(node.value, float):
            return ast.copy_location(ast.Call(ast.Name("_dec", ast.Load()),
                                              [ast.Constant(repr(node.value))], []), node)
        return node


def _pow(a, b):
    if isinstance(a, int) and isinstance(b, int) and b >= 0:
        return a ** b
    return mp.power(a, b)


@lru_cache(maxsize=64)
def _compiled(text, variable, params=()):
    tree = _Numeric().visit(_tree(text, variable, params=params))
    return compile(ast.fix_missing_locations(tree), f"<{text}>", "eval")


def _namespace():
    ns = {name: getattr(mp, m) for name, (m, _) in FUNCTIONS.items()}
    ns.update({name: getattr(mp, m) for name, (m, _) in CONSTANTS.items()})
    ns.update(_quantities())
    ns.update(_div=mp.fdiv, _pow=_pow, _dec=mp.mpf, __builtins__={})
    return ns


class Sequence:
    """``a(v)`` from the text of an expression in ``variable`` (checked when made); a family
    member's expression also uses the ``params`` names, given as keywords:
    ``Sequence("d/k", "k", ("d",))(3, d=2)``.

    >>> import mpmath as mp
    >>> with mp.workdps(20):
    ...     print(Sequence("1/k + 0.1", "k")(3), Sequence("d/k", "k", ("d",))(4, d=2))
    0.43333333333333333333 0.5
    """

    def __init__(self, text: str, variable: str, params=()):
        params = tuple(params)
        _compiled(text, variable, params)
        self.text, self.variable, self.params = text, variable, params

    def __call__(self, v, **params):
        if set(params) != set(self.params):
            raise InvalidParameter(f"{self.text!r} needs the parameters "
                                   f"{', '.join(self.params) or 'none'}, "
                                   f"got {', '.join(params) or 'none'}")
        ns = _namespace()
        ns.update(params)
        ns[self.variable] = v
        return eval(_compiled(self.text, self.variable, self.params), ns)   # noqa: S307

    def __repr__(self):
        extra = f", {self.params!r}" if self.params else ""
        return f"Sequence({self.text!r}, {self.variable!r}{extra})"


def parse(text: str, variable: str = "k", params=()) -> Sequence:
    """The :class:`Sequence` of ``text``; :class:`InvalidParameter` for anything but the
    whitelist (plus the family ``params``), a malformed text, or a variable that does not
    occur."""
    return Sequence(text, variable, params)


def parse_sympy(text: str, symbol: sp.Symbol, params=()):
    """``text`` (a leading term such as ``45/(pi*k**7)``) as an exact sympy expression in
    ``symbol`` (and the family parameters, sympy Symbols); same whitelist, without the
    quantities."""
    tree = _tree(text, symbol.name, allow_quantities=False, params=tuple(p.name for p in params))
    ns = {name: getattr(sp, s) for name, (_, s) in FUNCTIONS.items() if s and hasattr(sp, s)}
    ns.update({name: c for name, (_, c) in CONSTANTS.items()})
    ns.update({p.name: p for p in params})
    ns.update({symbol.name: symbol, "__builtins__": {}})

    class _Exact(ast.NodeTransformer):
        def visit_Constant(self, node):
            if isinstance(node.value, (int, float)):
                fn = "_int" if isinstance(node.value, int) else "_float"
                return ast.copy_location(ast.Call(ast.Name(fn, ast.Load()),
                                                  [ast.Constant(repr(node.value))], []), node)
            return node
    ns.update(_int=sp.Integer, _float=sp.Rational)
    code = compile(ast.fix_missing_locations(_Exact().visit(tree)), "<leading>", "eval")
    try:
        return sp.sympify(eval(code, ns))   # noqa: S307 - whitelisted AST
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        raise InvalidParameter(f"cannot evaluate {text!r}: {exc}") from None
