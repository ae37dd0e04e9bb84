"""The derivation graph as JSON (nodes with status, edges premise -> claim); printed by
:func:`workbench.printing.json.graph_json`."""

from __future__ import annotations

from ..printing.json import graph_json as to_json_graph

__all__ = ["to_json_graph"]
