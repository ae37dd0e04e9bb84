"""The derivation graph as JSON (nodes with status, edges premise -> claim)."""

from __future__ import annotations

import json

__all__ = ["to_json_graph"]


def to_json_graph(report) -> str:
    nodes = [{"id": cid, "kind": r.claim.kind.value, "title": r.claim.title, "status": r.status,
              "uses": list(r.claim.uses)} for cid, r in report.results.items()]
    edges = [{"source": u, "target": cid} for cid, r in report.results.items()
             for u in r.claim.uses if u in report.results]
    return json.dumps({"nodes": nodes, "edges": edges}, indent=2)
