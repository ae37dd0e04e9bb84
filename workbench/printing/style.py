"""How each status looks, in every output: the one place its labels and colours are defined.

A status is one of :data:`workbench.graph.STATUSES` (``verified failed error blocked
unchecked``); a check's own verdict is one of :data:`workbench.evidence.VERDICTS`.  The
terminal, HTML, DOT and TikZ printers all read their colours from :data:`STATUS`, so a new
status (or a new colour) is added here once.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["StatusStyle", "STATUS", "OWN_LABEL"]


@dataclass(frozen=True)
class StatusStyle:
    """The look of one status.

    ``terminal`` is a rich style; ``html`` a text colour readable on white; ``fill`` a light
    background (DOT nodes); ``tikz`` an xcolor expression (TikZ node fill).
    """

    terminal: str
    html: str
    fill: str
    tikz: str


STATUS: dict[str, StatusStyle] = {
    "verified": StatusStyle("green", "#1a7f37", "#9CEC8B", "green!30"),
    "failed": StatusStyle("red", "#cf222e", "#FF9C9C", "red!30"),
    "error": StatusStyle("magenta", "#8250df", "#D8B4FE", "violet!25"),
    "blocked": StatusStyle("yellow", "#bf8700", "#FFE08A", "yellow!40"),
    "unchecked": StatusStyle("dim", "#6e7781", "#E5E7EB", "gray!20"),
}

#: Progress label of a claim's own verdict (not a status: a status needs the premises too).
OWN_LABEL = {"verified": "check passed", "failed": "check failed", "error": "check error"}

