"""A conjecture in a notebook: its law, closed form, digits and a plot.

:func:`conjecture_latex` and :func:`conjecture_html` back ``Conjecture._repr_latex_`` and
``_repr_html_`` (every piece of text escaped; formulas as ``$...$`` for MathJax; measured
constants shown to 15 significant digits, the law keeps them all).  :func:`plot_conjecture`
draws the sequence against the law with the residual ``|a/law - 1|`` below, through
:func:`workbench.plotting.plot_claim` (the law is made a claim of a scratch derivation, so the
drawing is the one ``workbench plot`` makes for an asymptotic claim).
"""

from __future__ import annotations

import base64
import io
from html import escape

import sympy as sp

from ..printing import latex

__all__ = ["conjecture_latex", "conjecture_html", "plot_conjecture", "SHOWN_DIGITS"]

#: significant digits of a measured constant in the rendered law
SHOWN_DIGITS = 15


def _shown(expr):
    if expr is None:
        return None
    return expr.xreplace({f: sp.Float(f, SHOWN_DIGITS) for f in expr.atoms(sp.Float)})


def _name(c):
    return rf"a({c.variable})" if not c.family else rf"a({c.variable}, {c.family[0]})"


def conjecture_latex(c) -> str:
    """``$a(k) \\sim law$`` with its status and digits (``?`` when no law was measured)."""
    law = latex(_shown(c.law)) if c.law is not None else r"\text{?}"
    cf = r",\ \text{closed form}" if c.closed_form else ""
    return (rf"$\displaystyle {_name(c)} \sim {law}\quad(\text{{{c.status}}},\ "
            rf"{c.digits:g}\ \text{{digits}}{cf})$")


def _math(expr):
    return "?" if expr is None else f"${escape(latex(_shown(expr)))}$"


def conjecture_html(c, plot: bool = True) -> str:
    """The law, closed form, digits, residue classes or family members, the evidence summary,
    and (``plot``) the plot as an inline PNG (a line saying why when it cannot be drawn)."""
    rows = [("law", _math(c.law)), ("status", escape(f"{c.status}, {c.digits:g} digits")),
            ("exponent", _math(c.exponent)), ("log power", _math(c.log_power)),
            ("constant", _math(c.constant) + (" (closed form)" if c.closed_form else ""))]
    rows += [(escape(k), _math(law)) for k, law in c.residues.items()]
    if c.family:
        x = c.family[0]
        rows += [(escape(f"{x} = {val}"), _math(m.law) + escape(f" ({m.status}, {m.digits:g} digits)"))
                 for val, m in c.members.items()]
    table = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows)
    summary = escape(c.evidence.summary) if c.evidence else ""
    title = escape(c.text) if c.text else f"${escape(_name(c))}$"
    figure = ""
    if plot and c.law is not None:
        figure = _png(c)
    return (f"<div><b>Conjecture</b> {title}<table>{table}</table>"
            f"<small>{summary}</small>{figure}</div>")


def _png(c) -> str:
    from ..plotting import PlotError
    try:
        import matplotlib.pyplot as plt
        fig = plot_conjecture(c)
    except (PlotError, ImportError) as exc:
        return f"<br/><small>(no plot: {escape(str(exc))})</small>"
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    plt.close(fig)
    return f'<br/><img src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}"/>'


def plot_conjecture(c, ax=None, member=None, points=None, leading=None):
    """Draw the sequence against ``leading`` (default: the measured law) on its grid, with
    ``|a/law - 1|`` below (:func:`workbench.plotting.plot_claim`); a family draws ``member``
    (default: its last).  Raises :class:`~workbench.plotting.PlotError` when no law was
    measured."""
    from ..claims import Derivation
    from ..plotting import PlotError, plot_claim
    if c.family:
        x, values = c.family
        member = values[-1] if member is None else member
        if member not in c.members:
            raise PlotError(f"{member} is not a member of the family {x} = {values}")
        law = c.law if leading is None else leading
        if law is None:
            raise PlotError("this family has no confirmed formula to draw against")
        return plot_conjecture(c.members[member], ax, points=points,
                               leading=sp.sympify(law).subs(x, member))
    if c.law is None and leading is None:
        raise PlotError("this conjecture measured no law to draw against")
    scratch = Derivation("conjecture")
    against = _shown(leading if leading is not None else c.law)
    claim = c.to_claim(scratch, "measured", leading=leading, title=f"{c.text or 'a'} against {against}")
    return plot_claim(claim, ax=ax, points=points)
