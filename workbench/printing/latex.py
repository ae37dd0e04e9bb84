"""LaTeX in the workbench's house style: sympy objects and free text.

One printer, a subclass of sympy's :class:`~sympy.printing.latex.LatexPrinter`
that writes Landau symbols as ``\\mathcal{O}(...)`` (sympy's default prints
``O(x; x \\to \\infty)``), plus a helper to escape free text for LaTeX.  Every
piece of LaTeX the workbench writes (statements' formulas, plot labels, the LaTeX
document of :mod:`workbench.export.latex`) prints sympy objects with :func:`latex`
and free text with :func:`latex_text`.
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


# the ten LaTeX specials, plus the three characters OT1 text fonts print as other glyphs
_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}
# characters that break maths mode too (a comment, a macro parameter, an alignment tab)
_MATH_SPECIAL = "%#&"
# pandoc's rule: maths opens with `$` + non-space, closes with non-space + `$` not followed by
# a digit ("costs $5 or $6" has no maths)
_MATH_SPAN = re.compile(r"\$([^\s$](?:[^$]*[^\s$])?)\$(?!\d)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def _escape(text: str) -> str:
    return "".join(_SPECIAL.get(c, c) for c in text)


def _math(span: str) -> str | None:
    """The maths between two ``$`` with ``% # &`` escaped, or None when its braces do not
    balance (an unbalanced brace would swallow or close the enclosing group)."""
    out, depth, i = [], 0, 0
    while i < len(span):
        c = span[i]
        if c == "\\":                       # a control sequence or an escaped character
            if i + 1 == len(span):          # a final backslash would escape the closing $
                return None
            out.append(span[i:i + 2])
            i += 2
            continue
        if c in "{}":
            depth += 1 if c == "{" else -1
            if depth < 0:
                return None
        out.append("\\" + c if c in _MATH_SPECIAL else c)
        i += 1
    return "".join(out) if depth == 0 else None


def latex_text(text: str, *, math: bool = True) -> str:
    """Escape free text for LaTeX; the result is safe in running text and in any macro or
    environment argument (wrapped in braces where it is an optional ``[...]`` argument).

    Guarantees: every LaTeX special character outside maths (``\\ & % # _ $ { } ~ ^``, and
    ``< > |``) prints as itself; newlines and other control characters become spaces (no
    paragraph break can end an argument early).  With ``math=True`` a ``$...$`` span whose
    braces balance is kept as maths, with ``% # &`` escaped inside it (the rest of the span is
    the author's LaTeX); as in pandoc, a span opens with ``$`` and a non-space and closes with
    a non-space and a ``$`` not followed by a digit.  Any other ``$`` (unmatched, ``$$``, or
    around a span whose braces do not balance) prints literally.  With ``math=False`` every
    ``$`` is literal (for machine-made text such as evidence summaries).

    >>> latex_text("a_n > 0 for $n \\\\ge 1$ & more")
    'a\\\\_n \\\\textgreater{} 0 for $n \\\\ge 1$ \\\\& more'
    >>> latex_text("costs $5 or $6, not $x$")
    'costs \\\\$5 or \\\\$6, not $x$'
    >>> latex_text("$x$ and $", math=False)
    '\\\\$x\\\\$ and \\\\$'
    """
    text = _CONTROL.sub(" ", str(text))
    if not math:
        return _escape(text)
    out, end = [], 0
    for m in _MATH_SPAN.finditer(text):
        inner = _math(m.group(1))
        if inner is not None:
            out.append(_escape(text[end:m.start()]) + f"${inner}$")
            end = m.end()
    out.append(_escape(text[end:]))
    return "".join(out)
