"""The derivation graph: a networkx DiGraph with an edge premise -> claim.

Plain functions over the graph, networkx-style:

- :func:`build_graph` (checks for duplicate ids, unknown premises, cycles)
- :func:`premises` (transitive), :func:`unblocks` (transitive), :func:`around`
- :func:`statuses` (combine each claim's own verdict with its premises')
- :func:`why` (the failures that block a claim)

Status of a claim
-----------------
``error``      its own check raised;
``failed``     its own check did not confirm it;
``blocked``    its own check passed, but a premise is not ``verified``;
``verified``   its own check passed and every premise is verified;
``unchecked``  no current result for its own check.
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx

from .errors import CycleError, DuplicateClaim, UnknownPremise

__all__ = ["STATUSES", "build_graph", "premises", "unblocks", "around", "statuses", "why",
           "topological_order"]

STATUSES = ("verified", "failed", "error", "blocked", "unchecked")


def build_graph(claims: Iterable) -> nx.DiGraph:
    """A DiGraph of claims (node attribute ``claim``), edges premise -> claim.

    Raises
    ------
    DuplicateClaim
        Two claims share an id.
    UnknownPremise
        A claim uses an id no claim has (all such ids are listed).
    CycleError
        The premises form a cycle (the whole cycle is named).

    Examples
    --------
    >>> from workbench import Derivation
    >>> D = Derivation("g")
    >>> _ = D.add("a", "$a$", check=lambda: True)
    >>> _ = D.add("b", "$b$", uses=["a"], check=lambda: True)
    >>> sorted(build_graph(D).edges())
    [('g/a', 'g/b')]
    """
    G = nx.DiGraph()
    for c in claims:
        if c.id in G:
            raise DuplicateClaim(f"duplicate claim id {c.id}")
        G.add_node(c.id, claim=c)
    missing = [(c.id, u) for c in (G.nodes[n]["claim"] for n in G) for u in c.uses if u not in G]
    if missing:
        raise UnknownPremise("unknown premise" + ("s" if len(missing) > 1 else "") + ": " +
                             "; ".join(f"{cid} uses {u!r}, which no claim has" for cid, u in missing))
    for n in list(G):
        for u in G.nodes[n]["claim"].uses:
            G.add_edge(u, n)
    try:
        cycle = nx.find_cycle(G)
    except nx.NetworkXNoCycle:
        return G
    raise CycleError([edge[0] for edge in cycle])


def premises(G: nx.DiGraph, claim_id: str) -> set[str]:
    """All claims ``claim_id`` rests on (transitively)."""
    return nx.ancestors(G, claim_id)


def unblocks(G: nx.DiGraph, claim_id: str) -> set[str]:
    """All claims that rest on ``claim_id`` (transitively)."""
    return nx.descendants(G, claim_id)


def around(G: nx.DiGraph, claim_id: str, depth: int = 1) -> nx.DiGraph:
    """The subgraph of claims within ``depth`` edges of ``claim_id`` (either direction)."""
    if depth < 0:
        raise ValueError("depth must be >= 0")
    near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), claim_id,
                                                 cutoff=depth)
    return G.subgraph(near).copy()


def topological_order(G: nx.DiGraph) -> list[str]:
    """Claims with every premise before the claims that use it (ties by id)."""
    return list(nx.lexicographical_topological_sort(G))


def statuses(G: nx.DiGraph, own: dict[str, str]) -> dict[str, str]:
    """Status of every claim from the own verdicts (``verified``/``failed``/``error``).

    Claims missing from ``own`` are ``unchecked``.
    """
    out: dict[str, str] = {}
    for n in topological_order(G):
        mine = own.get(n)
        if mine is None:
            out[n] = "unchecked"
        elif mine != "verified":
            out[n] = mine
        elif all(out[p] == "verified" for p in G.predecessors(n)):
            out[n] = "verified"
        else:
            out[n] = "blocked"
    return out


def why(G: nx.DiGraph, own: dict[str, str], claim_id: str) -> list[list[str]]:
    """Chains of premises explaining why ``claim_id`` is not verified.

    ``own`` maps claim ids to their *own* verdicts (missing means unchecked).
    Each chain runs from a root cause (the claim itself or a premise whose own
    check is failed, error or unchecked) to ``claim_id``; empty when nothing
    blocks it.
    """
    def bad(n):
        return own.get(n, "unchecked") != "verified"
    chains = [[claim_id]] if bad(claim_id) else []
    for p in sorted(premises(G, claim_id)):
        if bad(p):
            chains.append(nx.shortest_path(G, p, claim_id))
    return chains
