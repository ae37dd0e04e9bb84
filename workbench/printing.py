"""LaTeX printing of sympy objects in the workbench's house style.

One printer, a subclass of sympy's :class:`~sympy.printing.latex.LatexPrinter`
that writes Landau symbols as ``\\mathcal{O}(...)`` (sympy's default prints
``O(x; x \\to \\infty)``), plus a helper to escape free text for LaTeX.
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["latex", "latex_text"]


class WorkbenchLatexPrinter(LatexPrinter):
    """sympy's LaTeX printer with ``\\mathcal{O}`` for :class:`sympy.Order`."""

    def _print_Order(self, expr):
        return r"\mathcal{O}\left(" + self._print(expr.expr) + r"\right)"


def latex(expr, **settings) -> str:
    """LaTeX for a sympy expression (or anything sympify accepts).

    >>> import sympy as sp
    >>> n = sp.Symbol("n")
    >>> latex(sp.O(1/n, (n, sp.oo)))
    '\\\\mathcal{O}\\\\left(\\\\frac{1}{n}\\\\right)'
    """
    return WorkbenchLatexPrinter(settings).doprint(sp.sympify(expr))


_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def _escape(text: str) -> str:
    return "".join(_SPECIAL.get(c, c) for c in text)


def latex_text(text: str) -> str:
    """Escape free text for LaTeX, keeping ``$...$`` math spans verbatim.

    >>> latex_text("a_n > 0 for $n \\\\ge 1$ & more")
    'a\\\\_n > 0 for $n \\\\ge 1$ \\\\& more'
    """
    parts = re.split(r"(\$[^$]*\$)", text)
    return "".join(p if (p.startswith("$") and p.endswith("$") and len(p) > 1) else _escape(p)
                   for p in parts)
