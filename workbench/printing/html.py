"""HTML for notebooks: the ``_repr_html_`` of claims, evidence and reports delegate here.

Every piece of user text (ids, titles, sources, summaries, measured values) is escaped; a
statement's formula is shown as ``$$ ... $$`` for MathJax.  Status colours come from
:mod:`workbench.printing.style`.
"""

from __future__ import annotations

from html import escape

from .style import STATUS

__all__ = ["claim_html", "evidence_html", "report_html"]


def claim_html(claim) -> str:
    """A claim: role, id, title, formula, premises and source."""
    uses = ", ".join(f"<code>{escape(u)}</code>" for u in claim.uses) or "none"
    return (f"<div><b>{escape(claim.kind.value.capitalize())}</b> "
            f"<code>{escape(claim.id)}</code> &mdash; {escape(claim.title)}<br/>"
            f"$$ {escape(claim.statement.latex())} $$"
            f"<small>uses: {uses}; source: {escape(claim.source or 'n/a')}</small></div>")


def evidence_html(ev) -> str:
    """Evidence: verdict, outcome, summary, the one-line description, and its measured values."""
    rows = "".join(
        f"<tr><td>{escape(k)}</td><td><code>{escape(m.value)}</code></td>"
        f"<td>{escape(m.error or '')}</td><td><code>{escape(m.claimed or '')}</code></td>"
        f"<td>{'' if m.digits is None else f'{m.digits:.1f}'}</td></tr>"
        for k, m in ev.measured.items()
    )
    table = (
        "<table><tr><th>quantity</th><th>measured</th><th>error</th><th>claimed</th>"
        f"<th>digits</th></tr>{rows}</table>" if rows else ""
    )
    return (f"<div><b>{escape(ev.verdict)}</b> ({escape(ev.outcome)}): "
            f"{escape(ev.summary)}<br/><small>{escape(ev.short())}</small>{table}</div>")


def report_html(report) -> str:
    """A report: one row per claim with its role, its status (coloured) and its evidence."""
    rows = []
    for r in report.results.values():
        ev = escape(r.evidence.summary) if r.evidence else ""
        rows.append(f"<tr><td><code>{escape(r.claim.id)}</code></td>"
                    f"<td>{r.claim.kind.value}</td>"
                    f"<td style='color:{STATUS[r.status].html}'><b>{r.status}</b></td>"
                    f"<td>{ev}</td></tr>")
    return ("<table><tr><th>claim</th><th>kind</th><th>status</th><th>evidence</th></tr>"
            + "".join(rows) + "</table>")
