"""Content hashes of claims, so that a stored result is reused only for the
exact computation that produced it.

A claim's *own* hash covers: its id, kind, statement (sympy ``srepr``), the
source code of every function it runs (check, sequence, estimate) together with
the functions and constants they reach through globals and closures (within
the defining module and the ``workbench`` package), the validator settings,
the check's parameters, and the workbench version.  The *effective* hash
also covers the effective hashes of the premises (a Merkle hash), so editing
a claim invalidates it and everything downstream of it, and nothing else.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import types
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from ._version import __version__

__all__ = ["own_hash", "effective_hashes", "fingerprint"]

_STDLIB_PREFIXES = ("builtins", "math", "mpmath", "sympy", "numpy", "scipy", "numba",
                    "networkx", "functools", "itertools", "collections", "typing")


def _is_ours(module_name: str | None, home: str | None) -> bool:
    if not module_name:
        return False
    if module_name == home or module_name.split(".")[0] in ("workbench", "derivations"):
        return True
    return False


def _code_fingerprint(code) -> str:
    """Bytecode and constants (nested code objects recursively, without addresses)."""
    consts = [_code_fingerprint(c) if isinstance(c, types.CodeType) else repr(c)
              for c in code.co_consts]
    return f"{code.co_name}:{code.co_code.hex()}:{consts}:{code.co_names}"


@lru_cache(maxsize=4096)
def _source_of_code(code) -> str:
    """Source text of a code object or class, cached: inspect.getsource re-tokenises
    (and for classes re-parses) the whole file on every call."""
    try:
        return inspect.getsource(code)
    except (OSError, TypeError):
        return ""


def _function_fingerprint(func, seen, home):
    code = getattr(func, "__code__", None)
    parts = [getattr(func, "__qualname__", repr(func))]
    if code is not None:
        parts.append(_source_of_code(code))
    if code is not None:   # two lambdas on one source line differ here
        parts.append(_code_fingerprint(code))
    if getattr(func, "__defaults__", None):
        parts.append(fingerprint(func.__defaults__, seen, home))
    if getattr(func, "__kwdefaults__", None):
        parts.append(fingerprint(func.__kwdefaults__, seen, home))
    closure = getattr(func, "__closure__", None)
    if closure:
        for cell in closure:
            try:
                parts.append(fingerprint(cell.cell_contents, seen, home))
            except ValueError:  # empty cell
                parts.append("<empty>")
    if code is not None:
        g = getattr(func, "__globals__", {})
        for name in _global_names(code):
            if name in g:
                parts.append(name + "=" + fingerprint(g[name], seen, home, shallow=True))
    return "|".join(parts)


def _global_names(code) -> list[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names.update(_global_names(const))
    return sorted(names)


def fingerprint(obj: Any, seen: set | None = None, home: str | None = None,
                shallow: bool = False) -> str:
    """A deterministic text standing for ``obj``'s content (for hashing).

    Functions contribute their source and (recursively) the functions and
    constants they use from the same module or from workbench/derivations;
    third-party objects contribute only their name (their version is pinned
    by the environment).
    """
    seen = set() if seen is None else seen
    if isinstance(obj, (str, int, float, bool, type(None), complex)):
        return repr(obj)
    if isinstance(obj, sp.Basic):
        return sp.srepr(obj)
    if isinstance(obj, np.ndarray):
        return "ndarray:" + hashlib.sha256(np.ascontiguousarray(obj).tobytes()).hexdigest() + str(obj.shape)
    if isinstance(obj, (list, tuple)):
        return type(obj).__name__ + "(" + ",".join(fingerprint(x, seen, home) for x in obj) + ")"
    if isinstance(obj, dict):
        items = sorted((fingerprint(k, seen, home), fingerprint(v, seen, home)) for k, v in obj.items())
        return "dict(" + ",".join(f"{k}:{v}" for k, v in items) + ")"
    if isinstance(obj, (set, frozenset)):
        return "set(" + ",".join(sorted(fingerprint(x, seen, home) for x in obj)) + ")"
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return type(obj).__name__ + fingerprint(
            {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}, seen, home)
    if isinstance(obj, types.ModuleType):
        return f"module:{obj.__name__}"
    if isinstance(obj, (types.FunctionType, types.MethodType, type)) or callable(obj):
        mod = getattr(obj, "__module__", None)
        key = id(obj)
        name = f"{mod}.{getattr(obj, '__qualname__', type(obj).__name__)}"
        if key in seen:
            return f"ref:{name}"
        if home is None:
            home = mod
        if not _is_ours(mod, home):
            return f"ext:{name}"
        seen.add(key)
        if isinstance(obj, types.MethodType):
            return _function_fingerprint(obj.__func__, seen, home)
        if isinstance(obj, type):
            return f"class:{name}:" + _source_of_code(obj)
        if isinstance(obj, types.FunctionType):
            return _function_fingerprint(obj, seen, home)
        # a callable instance (e.g. a numba dispatcher): use its Python function if any
        inner = getattr(obj, "py_func", None)
        if inner is not None:
            return _function_fingerprint(inner, seen, home)
        return f"callable:{name}:{type(obj).__name__}"
    if shallow:
        return f"obj:{type(obj).__module__}.{type(obj).__qualname__}"
    return f"obj:{type(obj).__module__}.{type(obj).__qualname__}:{obj!r}"


def own_hash(claim) -> str:
    """Hash of everything that determines a claim's own verdict."""
    parts = {
        "id": claim.id, "kind": claim.kind.value, "workbench": __version__,
        "statement": claim.statement.parts(), "check": claim.check,
        "validator": claim.validator, "params": claim.params,
    }
    text = fingerprint(parts)
    return hashlib.sha256(text.encode()).hexdigest()


def effective_hashes(G) -> dict[str, str]:
    """Merkle hashes: own hash plus the effective hashes of the premises."""
    import networkx as nx
    out = {}
    for n in nx.lexicographical_topological_sort(G):
        claim = G.nodes[n]["claim"]
        premise_part = ",".join(f"{p}={out[p]}" for p in sorted(G.predecessors(n)))
        out[n] = hashlib.sha256((own_hash(claim) + "|" + premise_part).encode()).hexdigest()
    return out
