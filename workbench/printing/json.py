"""JSON of results, reports, claim lists and the derivation graph (``--json`` outputs).

Every function returns plain data or a JSON string; non-JSON values (sympy numbers in
evidence details, say) are written with ``str``.  The store keeps evidence with
:meth:`~workbench.evidence.Evidence.to_json`, its own storage format, not printed here.
"""

from __future__ import annotations

import json

__all__ = ["result_dict", "report_json", "claim_row", "claims_json", "graph_json"]


def result_dict(result) -> dict:
    """One claim's state after a run: id, role, shape, title, status, own verdict, premises,
    hash and evidence."""
    c = result.claim
    return {"id": c.id, "kind": c.kind.value, "shape": c.shape, "title": c.title,
            "status": result.status, "own_verdict": result.own, "cached": result.cached,
            "uses": list(c.uses), "hash": result.hash,
            "evidence": result.evidence.to_dict() if result.evidence else None}


def report_json(report) -> str:
    """``{"claims": [result_dict, ...]}`` in the report's order (``verify --json``)."""
    return json.dumps({"claims": [result_dict(r) for r in report.results.values()]},
                      indent=2, default=str)


def claim_row(result) -> dict:
    """A claim as ``workbench list --json`` prints it: ``typed`` is true unless the statement is
    free-form (a sentence checked by a hand-written function, which no tool can look into)."""
    c = result.claim
    return {"id": c.id, "kind": c.kind.value, "shape": c.shape, "status": result.status,
            "title": c.title, "typed": c.shape != "free-form"}


def claims_json(report) -> str:
    """``{"claims": [claim_row, ...], "summary": {...}}``: the summary counts the claims, the
    typed ones, the free-form ones, and the claims per shape and per status."""
    rows = [claim_row(r) for r in report.results.values()]
    typed = sum(r["typed"] for r in rows)

    def count(key):
        out: dict[str, int] = {}
        for r in rows:
            out[r[key]] = out.get(r[key], 0) + 1
        return dict(sorted(out.items()))
    summary = {"claims": len(rows), "typed": typed, "free_form": len(rows) - typed,
               "typed_fraction": round(typed / len(rows), 4) if rows else None,
               "shapes": count("shape"), "statuses": count("status")}
    return json.dumps({"claims": rows, "summary": summary}, indent=2)


def graph_json(report) -> str:
    """The graph: nodes (id, role, shape, title, status, premises) and edges premise -> claim."""
    nodes = [{"id": cid, "kind": r.claim.kind.value, "shape": r.claim.shape, "title": r.claim.title,
              "status": r.status, "uses": list(r.claim.uses)} for cid, r in report.results.items()]
    edges = [{"source": u, "target": cid} for cid, r in report.results.items()
             for u in r.claim.uses if u in report.results]
    return json.dumps({"nodes": nodes, "edges": edges}, indent=2)
