"""Claims and the :class:`Derivation` that declares them.

A claim is a node of the derivation graph: an id ``topic/name``, a title, a
kind, a statement, its premises (``uses``), a source, and a check.  The check
is either the validator that belongs to the statement's type (an
:class:`~workbench.statements.Asymptotic` is checked by extrapolation, an
:class:`~workbench.statements.Equality` at random points, ...) or a user
function returning ``True``/``False`` or an :class:`~workbench.evidence.Evidence`.

Example
-------
>>> import mpmath as mp, sympy as sp
>>> D = Derivation("toy", title="Toy derivation")
>>> n = sp.Symbol("n", positive=True, integer=True)
>>> c = D.asymptotic("gamma-ratio", title="Gamma ratio",
...                  sequence=lambda n: mp.gamma(n + mp.mpf(1)/2) / mp.gamma(n),
...                  variable=n, leading=sp.sqrt(n))
>>> c.id, c.kind.value
('toy/gamma-ratio', 'asymptotic')
"""

from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from .errors import DuplicateClaim, MalformedStatement
from .statements import (Agreement, Asymptotic, Equality, Inequality, Statement,
                         coerce_statement)

__all__ = ["Kind", "Claim", "Derivation"]

# matched with fullmatch: `$` would also match before a trailing newline ("a\n" accepted)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


class Kind(str, Enum):
    """What sort of claim a node is (one LaTeX environment each)."""

    DEFINITION = "definition"
    LEMMA = "lemma"
    THEOREM = "theorem"
    ASYMPTOTIC = "asymptotic"
    CLOSURE = "closure"
    DUALITY = "duality"
    CONJECTURE = "conjecture"

    @classmethod
    def coerce(cls, value) -> "Kind":
        try:
            return value if isinstance(value, Kind) else cls(str(value))
        except ValueError:
            raise MalformedStatement(
                f"unknown claim kind {value!r}; choose one of {[k.value for k in cls]}") from None


@dataclass(frozen=True, eq=False)
class Claim:
    """One node of the derivation graph.

    Parameters
    ----------
    id : str
        ``topic/name``.
    title : str
    kind : Kind
    statement : Statement
    uses : tuple of str
        Ids of the premises (absolute).
    source : str
        Paper and equation, free text.
    check : callable, optional
        User check ``check(**params) -> bool | Evidence``; when absent the
        statement's validator runs.
    validator : object, optional
        Settings for the statement's validator (e.g. ``Extrapolation(digits=25)``);
        default chosen by statement type.
    params : dict
        Keyword parameters of the check (a check is a pure function of them).
    inputs : tuple of str
        Absolute paths of the data files the check reads; their content enters the hash.
    timeout : float, optional
        Seconds the check may run before it is stopped and recorded as an error;
        ``None`` uses the run's default (``verify --timeout``).  Not part of the hash.
    """

    id: str
    title: str
    kind: Kind
    statement: Statement
    uses: tuple[str, ...] = ()
    source: str = ""
    check: Callable | None = None
    validator: Any = None
    params: dict = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    timeout: float | None = None

    @property
    def topic(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[1]

    def __repr__(self):
        return f"Claim({self.id!r}, kind={self.kind.value!r})"

    def _repr_html_(self) -> str:
        uses = ", ".join(f"<code>{html.escape(u)}</code>" for u in self.uses) or "none"
        stmt = self.statement.latex()
        return (f"<div><b>{html.escape(self.kind.value.capitalize())}</b> "
                f"<code>{html.escape(self.id)}</code> &mdash; {html.escape(self.title)}<br/>"
                f"$$ {html.escape(stmt)} $$"
                f"<small>uses: {uses}; source: {html.escape(self.source or 'n/a')}</small></div>")

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.statement.latex()}$"


class Derivation:
    """A named collection of claims (one module of a paper's argument).

    Claims are declared with :meth:`asymptotic`, :meth:`equality`,
    :meth:`inequality`, :meth:`agreement`, or the :meth:`claim` decorator for
    a user check; ``uses`` names premises by ``name`` (same derivation) or by
    full id ``topic/name``.
    """

    def __init__(self, topic: str, title: str = "", source: str = ""):
        if not isinstance(topic, str) or not _NAME.fullmatch(topic):
            raise MalformedStatement(f"derivation topic {topic!r} must be a word (letters, digits, - _ .)")
        self.topic = topic
        self.title = title or topic
        self.source = source
        self._claims: dict[str, Claim] = {}
        # declared inputs are relative to the directory of the file that creates the derivation
        caller = sys._getframe(1).f_globals.get("__file__")
        self._base = Path(caller).resolve().parent if caller else Path.cwd()

    # -- container protocol ----------------------------------------------
    def __iter__(self):
        return iter(self._claims.values())

    def __len__(self):
        return len(self._claims)

    def __getitem__(self, name: str) -> Claim:
        return self._claims[self._absolute(name)]

    def __repr__(self):
        return f"Derivation({self.topic!r}, {len(self)} claims)"

    @property
    def claims(self) -> list[Claim]:
        return list(self._claims.values())

    def _absolute(self, name: str) -> str:
        return name if "/" in name else f"{self.topic}/{name}"

    # -- declaring claims ---------------------------------------------------
    def add(self, name: str, statement, *, title: str = "", kind="lemma", uses=(),
            source: str = "", check: Callable | None = None, validator=None,
            params: dict | None = None, inputs=(), timeout: float | None = None) -> Claim:
        """Add a claim with any statement; the other declaration methods call this.

        ``inputs`` lists the data files the check reads (paths relative to the directory of
        the file that created the derivation); their content is part of the claim's hash.
        """
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise MalformedStatement(f"claim name {name!r} in {self.topic} must be a word "
                                     "(letters, digits, - _ .), without '/'")
        cid = f"{self.topic}/{name}"
        if cid in self._claims:
            raise DuplicateClaim(f"duplicate claim id {cid}")
        if isinstance(uses, str):
            uses = [uses]
        for u in uses:
            if not isinstance(u, str) or not u:
                raise MalformedStatement(f"{cid}: premise {u!r} is not a claim id")
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                    or not 0 < timeout < float("inf")):
            raise MalformedStatement(f"{cid}: timeout must be a positive number of seconds, "
                                     f"got {timeout!r}")
        if check is not None and not callable(check):
            raise MalformedStatement(f"{cid}: check must be callable, got {check!r}")
        try:
            statement = coerce_statement(statement)
        except MalformedStatement as exc:
            raise MalformedStatement(f"{cid}: {exc}") from None
        if check is None and not isinstance(statement, (Asymptotic, Equality, Inequality, Agreement)):
            raise MalformedStatement(f"{cid}: a free-form statement needs a check function")
        claim = Claim(id=cid, title=title or name, kind=Kind.coerce(kind), statement=statement,
                      uses=tuple(dict.fromkeys(self._absolute(u) for u in uses)),
                      source=source, check=check, validator=validator, params=dict(params or {}),
                      inputs=self._inputs(cid, inputs), timeout=timeout)
        self._claims[cid] = claim
        return claim

    def _inputs(self, cid, inputs) -> tuple[str, ...]:
        if isinstance(inputs, (str, os.PathLike)):
            inputs = [inputs]
        out = []
        for p in inputs:
            if not isinstance(p, (str, os.PathLike)) or not str(p):
                raise MalformedStatement(f"{cid}: input {p!r} is not a file path")
            out.append(str((self._base / p).resolve()))
        return tuple(out)

    def _statement(self, name, cls, /, *args, **kwargs):
        try:
            return cls(*args, **kwargs)
        except MalformedStatement as exc:
            raise MalformedStatement(f"{self.topic}/{name}: {exc}") from None

    def asymptotic(self, name: str, *, variable, leading, sequence: Callable | None = None,
                   expression=None, subsequence=None, corrections=1, sequence_name=None,
                   title: str = "", kind="asymptotic", uses=(), source: str = "",
                   validator=None, digits: int | None = None, params=None, inputs=(),
                   timeout=None) -> Claim:
        """Declare ``a(variable) ~ leading``; see :class:`~workbench.statements.Asymptotic`.

        ``digits`` is shorthand for ``validator=Extrapolation(digits=...)``.
        """
        stmt = self._statement(name, Asymptotic, variable=variable, leading=leading,
                               sequence=sequence, expression=expression, subsequence=subsequence,
                               corrections=corrections, name=sequence_name)
        validator = _with_digits(validator, digits, "Extrapolation")
        return self.add(name, stmt, title=title, kind=kind, uses=uses, source=source,
                        validator=validator, params=params, inputs=inputs, timeout=timeout)

    def equality(self, name: str, lhs, rhs, *, where=None, domain=None, title: str = "",
                 kind="lemma", uses=(), source: str = "", validator=None,
                 digits: int | None = None, inputs=(), timeout=None) -> Claim:
        """Declare ``lhs = rhs``; see :class:`~workbench.statements.Equality`."""
        stmt = self._statement(name, Equality, lhs, rhs, where=where, domain=domain or {})
        validator = _with_digits(validator, digits, "RandomPoints")
        return self.add(name, stmt, title=title, kind=kind, uses=uses, source=source,
                        validator=validator, inputs=inputs, timeout=timeout)

    def inequality(self, name: str, relation, *, where=None, domain=None, title: str = "",
                   kind="lemma", uses=(), source: str = "", validator=None, inputs=(),
                   timeout=None) -> Claim:
        """Declare a relation ``<, <=, >, >=``; see :class:`~workbench.statements.Inequality`."""
        stmt = self._statement(name, Inequality, relation, where=where, domain=domain or {})
        return self.add(name, stmt, title=title, kind=kind, uses=uses, source=source,
                        validator=validator, inputs=inputs, timeout=timeout)

    def agreement(self, name: str, *, estimate: Callable, reference, seeds=tuple(range(8)),
                  k: float = 3.0, systematic: float = 0.0, quantity=r"\hat{X}",
                  reference_label="X", params=None, title: str = "", kind="lemma", uses=(),
                  source: str = "", inputs=(), timeout=None) -> Claim:
        """Declare that a noisy estimate agrees with a reference; see
        :class:`~workbench.statements.Agreement`."""
        stmt = self._statement(name, Agreement, estimate=estimate, reference=reference,
                               seeds=tuple(seeds), k=k, systematic=systematic,
                               quantity=quantity, reference_label=reference_label)
        return self.add(name, stmt, title=title, kind=kind, uses=uses, source=source,
                        params=params, inputs=inputs, timeout=timeout)

    def claim(self, name: str, *, statement, title: str = "", kind="lemma", uses=(),
              source: str = "", params=None, inputs=(), timeout=None):
        """Decorator: the function is the claim's check.

        >>> D = Derivation("doc")
        >>> @D.claim("two", statement="$1 + 1 = 2$")
        ... def two():
        ...     return 1 + 1 == 2
        >>> D["two"].check is two
        True
        """
        def decorate(func):
            self.add(name, statement, title=title, kind=kind, uses=uses, source=source,
                     check=func, params=params, inputs=inputs, timeout=timeout)
            return func
        return decorate


def _with_digits(validator, digits, cls_name):
    if digits is None:
        return validator
    if validator is not None:
        raise MalformedStatement("give either digits= or validator=, not both")
    from . import validate
    return getattr(validate, cls_name)(digits=digits)
