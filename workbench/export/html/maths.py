"""Statements as MathML: the house printer's LaTeX converted by ``latex2mathml``.

Chromium (>= 109), Firefox and Safari render presentation MathML natively, so the site ships
no JavaScript maths renderer.  A formula the converter cannot read is shown as its LaTeX
source in ``<code>`` (never dropped, never a traceback).
"""

from __future__ import annotations

import re
from html import escape

__all__ = ["mathml", "sentence_html", "statement_html"]

# a $...$ segment of a sentence (an escaped \$ is text)
_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.S)


def mathml(tex: str, display: bool = True) -> str:
    """``<math>`` for ``tex``; ``<code class="tex">`` with the source when it cannot be converted."""
    from latex2mathml.converter import convert
    try:
        return convert(tex, display="block" if display else "inline")
    except Exception:                    # the converter's errors are of many types
        return f'<code class="tex">{escape(tex)}</code>'


def sentence_html(sentence: str) -> str:
    """A sentence with ``$...$`` maths: the text escaped, each maths segment as inline MathML."""
    out, last = [], 0
    for m in _MATH.finditer(sentence):
        out.append(escape(sentence[last:m.start()].replace(r"\$", "$")))
        out.append(mathml(m.group(1), display=False))
        last = m.end()
    out.append(escape(sentence[last:].replace(r"\$", "$")))
    return "".join(out)


def statement_html(statement) -> str:
    """A claim's statement: a free-form sentence as text with inline maths, anything else as
    one display formula."""
    from ...statements import FreeForm
    if isinstance(statement, FreeForm):
        return f'<p class="sentence">{sentence_html(statement.sentence)}</p>'
    return f'<div class="formula">{mathml(statement.latex())}</div>'
