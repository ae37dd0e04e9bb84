"""Claim hashes change exactly when what the check computes changes."""

import mpmath as mp
import sympy as sp

from workbench import Derivation
from workbench.hashing import effective_hashes, own_hash
from workbench.graph import build_graph

n = sp.Symbol("n", positive=True, integer=True)


def helper(k):
    return mp.mpf(k)


def helper2(k):
    return mp.mpf(k) + 0


def make(a, uses_helper=helper, leading=n):
    D = Derivation("h")
    D.asymptotic("x", variable=n, leading=leading, sequence=lambda k, a=a: uses_helper(k) * a)
    return D["x"]


def test_hash_is_deterministic():
    assert own_hash(make(1)) == own_hash(make(1))


def test_default_arguments_and_statement_enter_the_hash():
    assert own_hash(make(1)) != own_hash(make(2))
    assert own_hash(make(1)) != own_hash(make(1, leading=2 * n))


def test_helper_functions_enter_the_hash():
    assert own_hash(make(1)) != own_hash(make(1, uses_helper=helper2))


def test_effective_hash_follows_premises():
    def build(flag):
        D = Derivation("p")
        D.add("a", "a", check=(lambda: True) if flag else (lambda: 1 == 1))
        D.add("b", "b", uses=["a"], check=lambda: True)
        D.add("c", "c", check=lambda: True)
        return effective_hashes(build_graph(D))
    h1, h2 = build(True), build(False)
    assert h1["p/a"] != h2["p/a"] and h1["p/b"] != h2["p/b"]
    assert h1["p/c"] == h2["p/c"]
