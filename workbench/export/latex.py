"""A standalone LaTeX document of a derivation graph.

Needs only fontenc, lmodern, amsmath, amssymb, amsthm, graphicx, hyperref and cleveref (plus
TikZ for the dependency figure when Graphviz is absent).  One theorem-like
environment per claim kind, a ``\\label`` per claim, a "Uses: \\cref{...}"
line, the statement via sympy's printer, the status and the evidence in one
line, and a dependency figure (a Graphviz-rendered PDF when ``dot`` is on the
PATH, else a layered TikZ drawing).

To change the look, subclass :class:`LatexExporter` and override
``render_<kind>`` (e.g. ``render_conjecture``) or :meth:`preamble`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx

from ..claims import Kind
from ..printing import latex, latex_text
from ..printing.style import STATUS
from ..statements import FreeForm
from .dot import to_dot
from .order import natural_key

__all__ = ["LatexExporter", "export_latex", "label_of", "breakable_id", "claim_order"]

#: ``<topic>/xi-<kernel>-m<m>-d<d>``: the claims whose ``xi`` values fill :meth:`LatexExporter.xi_table`
_XI_ID = re.compile(r"[^/]+/xi-(.+)-m(\d+)-d(\d+)")

ENVIRONMENTS = {
    Kind.DEFINITION: ("definition", "Definition", "definitions"),
    Kind.LEMMA: ("lemma", "Lemma", "lemmas"),
    Kind.THEOREM: ("theorem", "Theorem", "theorems"),
    Kind.CLOSURE: ("closure", "Closure", "closures"),
    Kind.CONJECTURE: ("conjecture", "Conjecture", "conjectures"),
}


_LABEL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")


def label_of(claim_id: str) -> str:
    """A LaTeX-safe label for a claim id, one-to-one (two ids never share a label).

    ``claim:`` + the id with ``/`` as ``:``; letters, digits and ``. - _`` are kept, any other
    character ``c`` is written ``+<hex code of c>+``.

    >>> label_of("toy/gamma-ratio"), label_of("t/a_b"), label_of("t/a b")
    ('claim:toy:gamma-ratio', 'claim:t:a_b', 'claim:t:a+20+b')
    """
    return "claim:" + "".join(c if c in _LABEL_SAFE else ":" if c == "/" else f"+{ord(c):x}+"
                              for c in claim_id)


#: Characters of a claim id after which a line may break (``\\texttt`` never hyphenates).
_BREAK_AFTER = frozenset("/-_.")


def breakable_name(name: str) -> str:
    """A claim's name as text that may break after each ``- _ .`` (hyphenation skips words
    holding hyphens); for a title left at its default."""
    return "".join(latex_text(ch, math=False) + ("\\allowbreak{}" if ch in _BREAK_AFTER else "")
                   for ch in name)


def breakable_id(claim_id: str) -> str:
    """A claim id in ``\\texttt``, with a permitted line break after every ``/ - _ .``: a long
    id breaks at the margin instead of overflowing it.

    >>> print(breakable_id("k/decay-d10"))
    \\texttt{k/\\allowbreak{}decay-\\allowbreak{}d10}
    """
    return "\\texttt{" + breakable_name(claim_id) + "}"


def claim_order(report) -> list[str]:
    """The claims of ``report`` topic by topic (topics in the order their first claim comes in a
    topological order), each topic's claims premises first and otherwise in natural order
    (``d2, d3, ..., d10``, see :func:`~workbench.export.order.natural_key`)."""
    G = report.graph.subgraph(report.results)
    topics: dict[str, list[str]] = {}
    for n in nx.lexicographical_topological_sort(G, key=natural_key):
        topics.setdefault(report.results[n].claim.topic, []).append(n)
    return [n for ids in topics.values()
            for n in nx.lexicographical_topological_sort(G.subgraph(ids), key=natural_key)]


class LatexExporter:
    """Render a :class:`~workbench.verify.Report` as a LaTeX document."""

    title = "Derivation graph"

    def preamble(self) -> str:
        envs = []
        # the theorem counter first: the other environments share it
        for kind in sorted(ENVIRONMENTS, key=lambda k: k is not Kind.THEOREM):
            env, name, plural = ENVIRONMENTS[kind]
            counter = "" if kind is Kind.THEOREM else "[theorem]"
            style = "definition" if kind in (Kind.DEFINITION, Kind.CONJECTURE) else "plain"
            envs.append(f"\\theoremstyle{{{style}}}\\newtheorem{{{env}}}{counter}{{{name}}}")
            envs.append(f"\\crefname{{{env}}}{{{name.lower()}}}{{{plural}}}"
                        f"\\Crefname{{{env}}}{{{name}}}{{{plural.capitalize()}}}")
        return "\n".join([
            r"\documentclass[11pt]{article}",
            # scalable fonts with every ASCII glyph (OT1 prints < > | as other glyphs, and an
            # italic \$ needs bitmap TS1 fonts)
            r"\usepackage[T1]{fontenc}\usepackage{lmodern}",
            r"\usepackage{amsmath,amssymb,amsthm}",
            r"\usepackage{graphicx}",
            r"\usepackage{tikz}" if not self._use_graphviz else "",
            r"\usepackage[hidelinks]{hyperref}",
            r"\usepackage[capitalise,noabbrev]{cleveref}",  # before \newtheorem: shared counters
            *envs,
            r"\newcommand{\claimstatus}[1]{\textsf{#1}}",
            # room to break a long claim id at one of its \allowbreak points rather than overflow
            r"\setlength{\emergencystretch}{3em}",
        ])

    def __init__(self, graphviz: bool | None = None):
        self._use_graphviz = shutil.which("dot") is not None if graphviz is None else graphviz

    # -- claims ------------------------------------------------------------
    def render(self, result) -> str:
        method = getattr(self, f"render_{result.claim.kind.value}", self.render_claim)
        return method(result)

    def render_claim(self, result) -> str:
        c = result.claim
        env = ENVIRONMENTS[c.kind][0]
        # the title in braces: a `]` in it would otherwise end the optional argument
        # a title left at its default (the claim's name) may break where the name may
        title = breakable_name(c.name) if c.title == c.name else latex_text(c.title)
        lines = [f"\\begin{{{env}}}[{{{title}}}]\\label{{{label_of(c.id)}}}",
                 f"{breakable_id(c.id)}.\\ "]
        if isinstance(c.statement, FreeForm):
            lines.append(latex_text(c.statement.sentence))
        else:
            lines.append(f"\\[ {c.statement.latex()} \\]")
        lines.append("\\end{" + env + "}")
        lines.append(self.render_meta(result))
        return "\n".join(lines)

    def render_meta(self, result) -> str:
        c = result.claim
        bits = []
        if c.uses:
            bits.append("\\emph{Uses:} \\cref{" + ",".join(label_of(u) for u in c.uses) + "}.")
        if c.source:
            bits.append(f"\\emph{{Source:}} {latex_text(c.source)}.")
        status = f"\\emph{{Status:}} \\claimstatus{{{result.status}}}"
        if result.evidence is not None:
            status += f" --- {latex_text(result.evidence.short(), math=False)}"
        bits.append(status + ".")
        return "\\par\\noindent{\\small " + "\\\\\n".join(bits) + "}\\medskip\n"

    # -- figure --------------------------------------------------------------
    def figure(self, report, graph_pdf: str | None) -> str:
        if graph_pdf:
            body = (f"\\includegraphics[width=\\linewidth,height=0.8\\textheight,"
                    f"keepaspectratio]{{{graph_pdf}}}")
        else:
            body = self.tikz(report)
        return ("\\begin{figure}[ht]\\centering\n" + body +
                "\n\\caption{Dependencies (premise $\\to$ claim), coloured by status.}\n"
                "\\end{figure}\n")

    def tikz(self, report) -> str:
        G = report.graph.subgraph(report.results)
        lines = ["\\resizebox{\\linewidth}{!}{\\begin{tikzpicture}[every node/.style="
                 "{draw,rounded corners,font=\\scriptsize,inner sep=2pt}]"]
        names = {n: f"n{i}" for i, n in enumerate(sorted(G))}
        for depth, layer in enumerate(nx.topological_generations(G)):
            for k, n in enumerate(sorted(layer)):
                fill = STATUS[report.results[n].status].tikz
                lines.append(f"\\node[fill={fill}] ({names[n]}) at ({4.2 * k:.1f},{-1.6 * depth:.1f}) "
                             f"{{\\texttt{{{latex_text(n, math=False)}}}}};")
        for u, v in G.edges():
            lines.append(f"\\draw[->] ({names[u]}) -- ({names[v]});")
        lines.append("\\end{tikzpicture}}")
        return "\n".join(lines)

    # -- the xi table ----------------------------------------------------------
    def xi_table(self, report, topic: str) -> str:
        """A tabular of ``xi`` over (kernel, m) x d built from the values of the claims
        ``{topic}/xi-<kernel>-m<m>-d<d>`` (value ``{"xi": ...}``) in the report, each cell marked
        with its claim's status; "" if the topic has none."""
        cells, ds = {}, set()
        for n, r in report.results.items():
            match = _XI_ID.fullmatch(n)
            value = r.claim.value if isinstance(r.claim.value, dict) else {}
            if r.claim.topic != topic or match is None or "xi" not in value:
                continue
            name, m, d = match.group(1), int(match.group(2)), int(match.group(3))
            cells[(name, m), d] = (value["xi"], r.status)
            ds.add(d)
        if not cells:
            return ""
        ds = sorted(ds)
        rows = sorted({key for key, _ in cells})
        lines = ["\\begin{table}[ht]\\centering", "\\begin{tabular}{ll" + "c" * len(ds) + "}",
                 "kernel & $m$ & " + " & ".join(f"$d={d}$" for d in ds) + " \\\\ \\hline"]
        for name, m in rows:
            row = []
            for d in ds:
                if ((name, m), d) in cells:
                    xi, status = cells[(name, m), d]
                    mark = "" if status == "verified" else f"\\,({latex_text(status, math=False)})"
                    row.append(f"${latex(xi)}${mark}")
                else:
                    row.append("--")
            lines.append(f"\\texttt{{{latex_text(name, math=False)}}} & {m} & " + " & ".join(row) + " \\\\")
        lines += ["\\end{tabular}",
                  "\\caption{Loss exponent $\\xi$ (Velikanov \\& Yarotsky) from the claims' values; "
                  "a (kernel, $m$) whose parities differ has no row (the loss plateaus); "
                  "-- marks a $d$ without a claim.}",
                  "\\end{table}"]
        return "\n".join(lines)

    # -- document -------------------------------------------------------------
    def document(self, report, graph_pdf: str | None = None) -> str:
        order = claim_order(report)
        counts = ", ".join(f"{v} {k}" for k, v in sorted(report.counts().items()))
        parts = [self.preamble(), r"\begin{document}",
                 f"\\title{{{latex_text(self.title)}}}\\date{{}}\\maketitle",
                 f"\\noindent {len(order)} claims: {latex_text(counts)}.",
                 self.figure(report, graph_pdf)]
        topic = None
        for n in order:
            r = report.results[n]
            if r.claim.topic != topic:
                topic = r.claim.topic
                name = latex_text(topic, math=False)
                # \texttt is not allowed in a PDF bookmark: give hyperref the plain text
                parts.append(f"\\section{{\\texorpdfstring{{\\texttt{{{name}}}}}{{{name}}}}}")
                parts.append(self.xi_table(report, topic))
            parts.append(self.render(r))
        parts.append(r"\end{document}")
        return "\n".join(p for p in parts if p) + "\n"


def export_latex(report, path, exporter: LatexExporter | None = None) -> Path:
    """Write ``path`` (a .tex file) and, with Graphviz, ``<stem>-graph.pdf`` beside it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    exporter = exporter or LatexExporter()
    graph_pdf = None
    if exporter._use_graphviz:
        pdf = path.with_name(path.stem + "-graph.pdf")
        proc = subprocess.run(["dot", "-Tpdf", "-o", str(pdf)], input=to_dot(report),
                              text=True, capture_output=True)
        if proc.returncode == 0:
            graph_pdf = pdf.name
        else:
            exporter = type(exporter)(graphviz=False)
    path.write_text(exporter.document(report, graph_pdf))
    return path
