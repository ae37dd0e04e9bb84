"""The derivation graph: construction errors, statuses and queries."""

import pytest

from workbench import CycleError, Derivation, DuplicateClaim, MalformedStatement, UnknownPremise
from workbench.graph import around, build_graph, premises, statuses, unblocks, why


def chain():
    D = Derivation("g")
    for name, uses in [("a", []), ("b", ["a"]), ("c", ["b"]), ("d", ["a"]), ("e", ["c", "d"])]:
        D.add(name, f"claim {name}", uses=uses, check=lambda: True)
    return D


def test_edges_point_from_premise_to_claim():
    G = build_graph(chain())
    assert ("g/a", "g/b") in G.edges and ("g/e", "g/c") not in G.edges


def test_transitive_queries():
    G = build_graph(chain())
    assert premises(G, "g/e") == {"g/a", "g/b", "g/c", "g/d"}
    assert unblocks(G, "g/b") == {"g/c", "g/e"}
    assert set(around(G, "g/c", 1)) == {"g/b", "g/c", "g/e"}
    assert set(around(G, "g/c", 0)) == {"g/c"}


def test_statuses_block_downstream_of_a_failure():
    G = build_graph(chain())
    own = {"g/a": "verified", "g/b": "failed", "g/c": "verified", "g/d": "verified"}
    st = statuses(G, own)
    assert st == {"g/a": "verified", "g/b": "failed", "g/c": "blocked", "g/d": "verified",
                  "g/e": "unchecked"}
    own["g/e"] = "verified"
    assert statuses(G, own)["g/e"] == "blocked"


def test_why_names_the_root_causes():
    G = build_graph(chain())
    own = {"g/a": "verified", "g/b": "error", "g/c": "verified", "g/d": "verified",
           "g/e": "verified"}
    assert why(G, own, "g/e") == [["g/b", "g/c", "g/e"]]
    assert why(G, own, "g/d") == []


def test_cycle_names_every_claim_on_it():
    D = Derivation("cyc")
    D.add("x", "x", uses=["z"], check=lambda: True)
    D.add("y", "y", uses=["x"], check=lambda: True)
    D.add("z", "z", uses=["y"], check=lambda: True)
    D.add("free", "free", check=lambda: True)
    with pytest.raises(CycleError) as info:
        build_graph(D)
    assert set(info.value.cycle) == {"cyc/x", "cyc/y", "cyc/z"}
    assert "->" in str(info.value)


def test_unknown_premise_names_claim_and_premise():
    D = Derivation("u")
    D.add("a", "a", uses=["nowhere", "other/thing"], check=lambda: True)
    with pytest.raises(UnknownPremise, match=r"u/a uses 'u/nowhere'.*u/a uses 'other/thing'"):
        build_graph(D)


def test_duplicate_ids():
    D = Derivation("d")
    D.add("a", "a", check=lambda: True)
    with pytest.raises(DuplicateClaim, match="d/a"):
        D.add("a", "again", check=lambda: True)
    E = Derivation("d")
    E.add("a", "a", check=lambda: True)
    with pytest.raises(DuplicateClaim, match="d/a"):
        build_graph(list(D) + list(E))


@pytest.mark.parametrize("call", [
    lambda D: D.add("bad/name", "x", check=lambda: True),
    lambda D: D.add("x", "free-form without check"),
    lambda D: D.add("x", 42, check=lambda: True),
    lambda D: D.add("x", "s", kind="proposition", check=lambda: True),
    lambda D: D.add("x", "s", check="not callable"),
    lambda D: D.add("x", "", check=lambda: True),
])
def test_malformed_declarations(call):
    with pytest.raises(MalformedStatement):
        call(Derivation("m"))
