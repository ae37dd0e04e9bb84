"""Values along edges: what a claim establishes, handed to the claims that use it.

A claim may declare the value it establishes (``value=``): a sympy expression, a number,
or an object such as :class:`~workbench.kernels.DecayLaw`.  A dependent that names it in
``uses=`` receives it, in a :class:`Premises` mapping, to build its own statement
(``statement=lambda premises: ...``), its value (``value=lambda premises: ...``) or its
check (a check function with a parameter named ``premises``).  Values are read when the
dependent is declared, so its statement is built from what the premises say *now*: if a
premise's value changes, the dependent's statement changes with it (and so does its hash),
and it can fail; it never stays verified by retyped algebra.

A premise's value is available when the premise is in the same derivation and declared
earlier, or when ``uses=`` names the premise's :class:`~workbench.claims.Claim` object
itself (imported from its module).

>>> import sympy as sp
>>> from workbench import Derivation
>>> D = Derivation("doc-premises")
>>> nu = D.equality("nu", sp.Integer(2) - 1, 1, value=sp.Integer(1))
>>> D.equality("twice", lambda p: 2 * p["nu"], 2, uses=["nu"]).statement.text()
'2 = 2'
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import MalformedStatement

__all__ = ["Premises", "is_builder"]


def is_builder(obj) -> bool:
    """Whether ``obj`` is a function of the premises' values (a plain function or lambda)."""
    import types
    return isinstance(obj, (types.FunctionType, types.MethodType))


class Premises(Mapping):
    """The values of a claim's premises, by full id and (same topic) by short name.

    Only premises that declare a value appear; asking for another one raises a
    :class:`~workbench.errors.MalformedStatement` that says why it is missing.
    """

    def __init__(self, owner: str, values: dict, missing: dict):
        self._owner = owner
        self._values = dict(values)          # full id -> value
        self._missing = dict(missing)        # full id -> reason
        topic = owner.split("/", 1)[0]
        self._alias = {cid.split("/", 1)[1]: cid for cid in list(values) + list(missing)
                       if cid.split("/", 1)[0] == topic}

    def _key(self, key: str) -> str:
        return self._alias.get(key, key)

    def __getitem__(self, key):
        cid = self._key(key)
        if cid in self._values:
            return self._values[cid]
        if cid in self._missing:
            raise MalformedStatement(f"{self._owner}: premise {cid} {self._missing[cid]}")
        raise MalformedStatement(f"{self._owner}: {key!r} is not among its premises "
                                 f"{sorted(self._values) + sorted(self._missing)}")

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __repr__(self):
        return f"Premises({self._owner!r}, {sorted(self._values)})"

    def __reduce__(self):
        return (Premises, (self._owner, self._values, self._missing))
