"""The derivation graph in Graphviz DOT: colour = status, shape = kind."""

from __future__ import annotations

from ..printing.style import STATUS

__all__ = ["to_dot", "KIND_SHAPES"]

#: Node shape per claim role (:class:`~workbench.claims.Kind`); colours are the statuses' fills.
KIND_SHAPES = {"definition": "box", "lemma": "ellipse", "theorem": "doubleoctagon",
               "closure": "hexagon", "conjecture": "note"}


def _q(text: str) -> str:
    # claim ids are words (letters, digits, - _ . /): only quotes need escaping
    return '"' + text.replace('"', '\\"') + '"'


def to_dot(report, title: str = "derivation") -> str:
    """DOT source for the claims of a :class:`~workbench.verify.Report`.

    >>> from workbench import Derivation
    >>> from workbench.verify import current_report
    >>> D = Derivation("t"); _ = D.add("a", "$a$", check=lambda: True)
    >>> print(to_dot(current_report(D, None)).splitlines()[3])
      "t/a" [label="t/a\\nunchecked", shape=ellipse, style=filled, fillcolor="#..."];
    """
    lines = [f"digraph {_q(title)} {{", "  rankdir=LR;",
             '  node [fontname="Helvetica", fontsize=10];']
    for cid, r in report.results.items():
        lines.append(f"  {_q(cid)} [label={_q(cid + chr(92) + 'n' + r.status)}, "
                     f"shape={KIND_SHAPES[r.claim.kind.value]}, style=filled, "
                     f"fillcolor={_q(STATUS[r.status].fill)}];")
    for cid, r in report.results.items():
        for u in r.claim.uses:
            if u in report.results:
                lines.append(f"  {_q(u)} -> {_q(cid)};")
    lines.append("}")
    return "\n".join(lines) + "\n"
