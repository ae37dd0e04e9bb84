"""Claim hashes change exactly when what the check computes changes."""

import functools
import os
import subprocess
import sys
import threading
import types

import mpmath as mp
import numpy as np
import pytest
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


# -- values of referenced globals (what changes at run time without a source edit) --------
LIMIT = mp.mpf(1) / 3
SETTINGS = types.SimpleNamespace(bound=2)
TABLE = np.arange(4.0)


class Scaler:
    def __init__(self, factor):
        self.factor = factor

    def apply(self, k):
        return self.factor * k


def free(check):
    D = Derivation("v")
    D.add("c", "a check", check=check)
    return D["c"]


def uses_limit():
    return LIMIT < 1


def uses_settings():
    return SETTINGS.bound > 1


def uses_table():
    return TABLE.sum() > 0


def test_global_mpf_value_enters_the_hash(monkeypatch):
    before = own_hash(free(uses_limit))
    monkeypatch.setattr(sys.modules[__name__], "LIMIT", mp.mpf(1) / 7)
    assert own_hash(free(uses_limit)) != before


def test_mpf_is_hashed_at_full_precision():
    with mp.workdps(40):
        a, b = mp.mpf(1) / 3, mp.mpf(1) / 3 + mp.mpf(10) ** -35
    assert own_hash(free(lambda: a > 0)) != own_hash(free(lambda: b > 0))


def test_object_attribute_enters_the_hash(monkeypatch):
    before = own_hash(free(uses_settings))
    monkeypatch.setattr(SETTINGS, "bound", 3)
    assert own_hash(free(uses_settings)) != before


def test_numpy_array_content_enters_the_hash(monkeypatch):
    before = own_hash(free(uses_table))
    monkeypatch.setattr(sys.modules[__name__], "TABLE", np.arange(4.0) + 1)
    assert own_hash(free(uses_table)) != before


def test_partial_arguments_enter_the_hash():
    def at_least(a, b):
        return a >= b
    assert own_hash(free(functools.partial(at_least, 3, 2))) != own_hash(
        free(functools.partial(at_least, 1, 2)))
    assert own_hash(free(functools.partial(at_least, 3, b=2))) != own_hash(
        free(functools.partial(at_least, 3, b=1)))


def test_bound_method_self_enters_the_hash():
    assert own_hash(free(Scaler(2).apply)) != own_hash(free(Scaler(3).apply))
    assert own_hash(free(Scaler(2).apply)) == own_hash(free(Scaler(2).apply))


def test_lambdified_expression_enters_the_hash():
    t = sp.Symbol("t")
    f2, f3 = sp.lambdify(t, t**2, "mpmath"), sp.lambdify(t, t**3, "mpmath")
    assert own_hash(free(f2)) == own_hash(free(sp.lambdify(t, t**2, "mpmath")))
    assert own_hash(free(f2)) != own_hash(free(f3))
    g2, g3 = (lambda: f2(3) == 9), (lambda: f3(3) == 9)   # reached through a closure
    assert own_hash(free(g2)) != own_hash(free(g3))


def test_an_unhashable_value_changes_the_hash_every_time(monkeypatch):
    import workbench.hashing as hashing
    monkeypatch.setattr(hashing, "_warned", set())   # warned once per type per process
    lock = threading.Lock()          # cannot be pickled nor walked
    claim = free(lambda: lock is not None)
    with pytest.warns(RuntimeWarning, match="cannot hash"):
        assert own_hash(claim) != own_hash(claim)


SET_CHECK = '''
import sympy as sp
from workbench import Derivation
from workbench.hashing import own_hash
D = Derivation("s")
D.add("c", "members", check=lambda: "b" in {"a", "b", "c", "d"}, params={})
print(own_hash(D["c"]))
'''


def test_hash_is_stable_across_processes_with_set_constants(tmp_path):
    f = tmp_path / "set_check.py"
    f.write_text(SET_CHECK)
    outs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, str(f)], env=env, capture_output=True, text=True,
                              timeout=120, check=True)
        outs.add(proc.stdout.strip())
    assert len(outs) == 1


# -- a claim's hash does not depend on what ran earlier in the process -------------------------
from workbench import Memo   # noqa: E402

_MEMO = Memo()
_TABLE = {"scale": 2}


def _memoised_square(n):
    if n not in _MEMO:
        _MEMO[n] = n * n * _TABLE["scale"]
    return _MEMO[n]


def test_a_filled_memo_leaves_the_hash_and_a_changed_dict_changes_it(monkeypatch):
    D = Derivation("memo")
    c = D.add("square", "n^2 scale", check=lambda: _memoised_square(3) == 18)
    before = own_hash(c)
    _memoised_square(3)
    _memoised_square(5)
    assert len(_MEMO) == 2 and own_hash(c) == before
    monkeypatch.setitem(_TABLE, "scale", 3)     # an ordinary dict is a value: it is hashed
    assert own_hash(c) != before


def test_builtin_hashes_do_not_change_when_their_memos_fill():
    """The built-in checks' process-local memos (kernel_spectra, sphere_targets) filled by
    calling the functions that use them, as a notebook or an earlier test would."""
    from workbench.loading import load
    from workbench_derivations import kernel_spectra as K
    from workbench_derivations import sphere_targets as ST
    G = build_graph(load(builtin=True))
    before = effective_hashes(G)
    with mp.workdps(20):
        K.quadrature_eigenvalue(2, "arccos1", 3)
        K.closed_form_eigenvalue(2, "polynomial", 3, K.POLYNOMIAL)
        ST.jump_quadrature(2, "3/10", 0, 3)
        ST.hemisphere_tail(3, 4097)
    assert effective_hashes(build_graph(load(builtin=True))) == before
