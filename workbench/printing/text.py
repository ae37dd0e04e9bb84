"""Terminal output: the rich tables and lines the CLI prints.

Every user string (ids, titles, summaries) is printed as is: never read as rich markup (a
title may contain ``[red]`` or ``[/]``) nor as emoji codes.  Status colours come from
:mod:`workbench.printing.style`.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from .style import STATUS

__all__ = ["plain", "line", "status_text", "summary_table", "list_table", "progress_line",
           "result_line", "claim_section", "why_section", "history_table"]


def plain(value) -> Text:
    """Text printed as is: no rich markup, no emoji."""
    return Text(str(value))


def line(*parts) -> Text:
    """A line from plain strings and ``(string, style)`` pairs, none of them read as markup."""
    return Text.assemble(*((p[0], p[1]) if isinstance(p, tuple) else str(p) for p in parts))


def status_text(status: str) -> Text:
    """A status (or a verdict) in its colour."""
    return Text(status, style=STATUS[status].terminal)


def progress_line(result, done: int, total: int) -> str:
    """``[3/10] check passed verifying/x (0.12 s)``: a claim's own check as it finishes."""
    from .style import OWN_LABEL
    tag = " (stored)" if result.cached else f" ({result.evidence.runtime:.2f} s)"
    return f"[{done}/{total}] {OWN_LABEL[result.own]:12s} {result.claim.id}{tag}"


def result_line(cid: str, result) -> str:
    """``verified  t/a: summary``: one claim's status after a run, for a non-terminal stdout."""
    ev = result.evidence.summary if result.evidence else ""
    return f"{result.status:9s} {cid}: {ev}"


def summary_table(report, only=None) -> Table:
    """The claims of a report (those in ``only`` when given): id, role, status, evidence."""
    t = Table(show_lines=False, box=None, pad_edge=False)
    t.add_column("claim", no_wrap=True)
    t.add_column("kind")
    t.add_column("status")
    t.add_column("evidence", overflow="fold")
    for cid, r in report.results.items():
        if only is not None and cid not in only:
            continue
        ev = line(r.evidence.summary if r.evidence else "", *([(" (stored)", "dim")] if r.cached else []))
        t.add_row(plain(cid), plain(r.claim.kind.value), status_text(r.status), ev)
    return t


def list_table(report) -> Table:
    """``workbench list``: id, role (kind), shape, status and title of each claim."""
    t = Table(box=None, pad_edge=False)
    for col in ("claim", "kind", "shape", "status", "title"):
        t.add_column(col)
    for cid, r in report.results.items():
        t.add_row(plain(cid), plain(r.claim.kind.value), plain(r.claim.shape),
                  status_text(r.status), plain(r.claim.title))
    return t


def claim_section(report, cid, premises: list[str], dependents: list[str]) -> list[Text]:
    """``workbench show``: statement, premises, dependents, status and evidence of one claim."""
    r = report.results[cid]
    c = r.claim
    out = [line((c.id, "bold"), f" ({c.kind.value}, {c.shape}): {c.title}"),
           plain(f"statement: {c.statement.text()}"),
           plain(f"latex:     {c.statement.latex()}"),
           plain(f"source:    {c.source or 'n/a'}"),
           plain(f"uses:      {', '.join(c.uses) or 'none'}"),
           plain(f"premises (all): {', '.join(premises) or 'none'}"),
           plain(f"dependents:     {', '.join(dependents) or 'none'}"),
           line("status:    ", (r.status, STATUS[r.status].terminal))]
    if r.evidence:
        ev = r.evidence
        out.append(plain(f"evidence:  {ev.short()}"))
        for k, m in ev.measured.items():
            extra = f" +- {m.error}" if m.error else ""
            claimed = f"  (claimed {m.claimed})" if m.claimed else ""
            digits = f"  [{m.digits:g} digits]" if m.digits is not None else ""
            out.append(plain(f"  {k}: {m.value}{extra}{claimed}{digits}"))
        if ev.grid:
            out.append(plain(f"  grid: {ev.grid}"))
    return out


def why_section(report, cid, chains, own: dict[str, str]) -> list[Text]:
    """``workbench why``: a claim's status and, unless verified, each chain of premises that
    blocks it with the reason at its root (``own``: each claim's own verdict)."""
    status = report.results[cid].status
    if status == "verified":
        out = [line(f"{cid} is ", ("verified", STATUS["verified"].terminal),
                    ": its check and all its premises hold." if report.graph.in_degree(cid) else
                    ": its check holds (it has no premises).")]
        return out + support_tree(report, cid)
    out = [line(f"{cid} is ", (status, STATUS[status].terminal), ".")]
    for chain in chains:
        root = report.results[chain[0]]
        reason = root.evidence.summary if root.evidence else "no current result (run verify)"
        out.append(plain(f"  {' -> '.join(chain)}"))
        out.append(line(f"    {chain[0]} is ", (own[chain[0]], STATUS[own[chain[0]]].terminal),
                        f": {reason}"))
    return out


#: characters of a premise's verdict shown in the support tree
SUMMARY_WIDTH = 110


def support_tree(report, cid) -> list[Text]:
    """The chain a verified claim rests on: its premises, depth first, each with its kind, its
    status and the start of its verdict; a premise met again is named, not expanded."""
    G, out, seen = report.graph, [], set()

    def visit(node, depth):
        for premise in sorted(G.predecessors(node)):
            result = report.results.get(premise)
            status = result.status if result is not None else "unchecked"
            kind = G.nodes[premise]["claim"].kind.value
            pad = "  " * depth
            if premise in seen:
                out.append(plain(f"{pad}<- {premise} (above)"))
                continue
            seen.add(premise)
            summary = result.evidence.summary if result is not None and result.evidence else ""
            if len(summary) > SUMMARY_WIDTH:
                summary = summary[:SUMMARY_WIDTH - 3] + "..."
            out.append(line(f"{pad}<- {premise} [{kind}] ", (status, STATUS[status].terminal),
                            f": {summary}" if summary else ""))
            visit(premise, depth + 1)

    visit(cid, 1)
    return out


def history_table(runs, current_hash: str) -> Table:
    """``workbench history``: one row per stored run, newest first, marking the current version."""
    t = Table(box=None, pad_edge=False)
    for col in ("when", "verdict", "version", "current", "summary"):
        t.add_column(col)
    for r in runs:
        t.add_row(plain(r.when), status_text(r.verdict), plain(r.version),
                  plain("yes" if r.claim_hash == current_hash else "stale"),
                  plain(r.evidence.summary))
    return t
