"""Where each claim's files live in the site, and links between them (relative, for file://)."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["page_of", "plot_of", "link", "node_id"]


def page_of(claim_id: str) -> str:
    """``claims/<topic>/<name>.html`` (relative to the site's root)."""
    topic, name = claim_id.split("/", 1)
    return f"claims/{topic}/{name}.html"


def plot_of(claim_id: str) -> str:
    topic, name = claim_id.split("/", 1)
    return f"plots/{topic}/{name}.svg"


def link(target: str, depth: int) -> str:
    """A URL for the root-relative ``target`` from a page ``depth`` folders below the root."""
    return "../" * depth + quote(target)


def node_id(claim_id: str) -> str:
    """The DOM id of a claim's node in the index's graph."""
    return "claim:" + claim_id
