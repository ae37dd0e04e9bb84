"""Claims and the :class:`Derivation` that declares them.

A claim is a node of the derivation graph: an id ``topic/name``, a title, a
kind (its role: lemma, theorem, ...), a statement (whose type is the claim's
shape), its premises (``uses``), a source, and a check.  The check is the
validator registered for the statement's type (an
:class:`~workbench.statements.Asymptotic` is checked by extrapolation, an
:class:`~workbench.statements.Equality` at random points, ...), any other
validator passed as ``validator=``, or a user function returning
``True``/``False`` or an :class:`~workbench.evidence.Evidence`.  A claim may
declare the value it establishes and build its statement from its premises'
values (:mod:`workbench.premises`).

Example
-------
>>> import mpmath as mp, sympy as sp
>>> D = Derivation("toy", title="Toy derivation")
>>> n = sp.Symbol("n", positive=True, integer=True)
>>> c = D.asymptotic("gamma-ratio", title="Gamma ratio",
...                  sequence=lambda n: mp.gamma(n + mp.mpf(1)/2) / mp.gamma(n),
...                  variable=n, leading=sp.sqrt(n))
>>> c.id, c.kind.value, c.shape
('toy/gamma-ratio', 'lemma', 'asymptotic')
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from .errors import DuplicateClaim, MalformedStatement
from .premises import Premises, is_builder
from .statements import (Agree, Agreement, Asymptotic, Equality, Inequality, Statement,
                         coerce_statement)

__all__ = ["Kind", "Claim", "Derivation"]

# matched with fullmatch: `$` would also match before a trailing newline ("a\n" accepted)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


class Kind(str, Enum):
    """A claim's role in the argument (one LaTeX environment each).

    What the claim states -- an asymptotic law, an equality, a duality -- is its
    statement's ``shape``, not its kind.
    """

    DEFINITION = "definition"
    LEMMA = "lemma"
    THEOREM = "theorem"
    CLOSURE = "closure"
    CONJECTURE = "conjecture"

    @classmethod
    def coerce(cls, value) -> "Kind":
        try:
            return value if isinstance(value, Kind) else cls(str(value))
        except ValueError:
            shape = " (that is a statement's shape, which comes from its type; the kind is " \
                    "the claim's role)" if str(value) in ("asymptotic", "duality", "equality") else ""
            raise MalformedStatement(
                f"unknown claim kind {value!r}{shape}; choose one of {[k.value for k in cls]}") from None


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
    value : object, optional
        What the claim establishes (a sympy expression, a number, an object such as a
        decay law), handed to the claims that use it (:mod:`workbench.premises`).
    given : Premises
        The values of the premises, read when the claim was declared (part of the hash).
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
    value: Any = None
    given: Premises | None = None

    @property
    def shape(self) -> str:
        """What the statement says (``asymptotic``, ``equality``, ``agree``, ``free-form``, ...)."""
        return self.statement.shape

    @property
    def wants_premises(self) -> bool:
        """Whether the claim's check function takes the premises' values (a ``premises`` parameter)."""
        import inspect
        try:
            return "premises" in inspect.signature(self.check).parameters
        except (TypeError, ValueError):
            return False

    @property
    def topic(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[1]

    def __repr__(self):
        return f"Claim({self.id!r}, kind={self.kind.value!r})"

    def _repr_html_(self) -> str:
        from .printing.html import claim_html
        return claim_html(self)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.statement.latex()}$"


class Derivation:
    """A named collection of claims (one module of a paper's argument).

    Claims are declared with :meth:`asymptotic`, :meth:`equality`,
    :meth:`inequality`, :meth:`agreement`, or the :meth:`claim` decorator for
    a user check; ``uses`` names premises by ``name`` (same derivation) or by
    full id ``topic/name``.
    """

    #: The methods that declare a claim.  The coarse hash of a module leaves calls to them
    #: out (:mod:`workbench.dependencies`): each claim's own hash covers its declaration.
    DECLARATIONS = frozenset({"add", "asymptotic", "equality", "inequality", "agree",
                              "agreement", "claim"})

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
            params: dict | None = None, inputs=(), timeout: float | None = None,
            value=None) -> Claim:
        """Add a claim with any statement; the other declaration methods call this.

        ``statement`` is a :class:`~workbench.statements.Statement` (or a string for a
        free-form statement, or a sympy relation), or a function of the premises' values
        returning one (see :mod:`workbench.premises`); so may ``value`` be.  ``uses`` names
        premises by ``name`` (same derivation), full id ``topic/name``, or :class:`Claim`
        object.  ``validator`` is any object following the validator protocol
        (:mod:`workbench.validate.protocol`); by default the statement type's registered
        validator decides the claim, or ``check`` when given.  ``inputs`` lists the data
        files the check reads (paths relative to the directory of the file that created
        the derivation); their content is part of the claim's hash.
        """
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise MalformedStatement(f"claim name {name!r} in {self.topic} must be a word "
                                     "(letters, digits, - _ .), without '/'")
        cid = f"{self.topic}/{name}"
        if cid in self._claims:
            raise DuplicateClaim(f"duplicate claim id {cid}")
        uses, given = self._premises(cid, uses)
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                    or not 0 < timeout < float("inf")):
            raise MalformedStatement(f"{cid}: timeout must be a positive number of seconds, "
                                     f"got {timeout!r}")
        if check is not None and not callable(check):
            raise MalformedStatement(f"{cid}: check must be callable, got {check!r}")
        if check is not None and validator is not None:
            raise MalformedStatement(f"{cid}: give either a check function or a validator, not both")
        try:
            statement = coerce_statement(statement(given) if is_builder(statement) else statement)
            value = value(given) if is_builder(value) else value
        except MalformedStatement as exc:
            raise MalformedStatement(f"{cid}: {exc}" if not str(exc).startswith(cid) else str(exc)) \
                from None
        from .validate import check_conforms, has_default_validator
        if validator is not None:
            check_conforms(validator, statement, cid)
        elif check is None and not has_default_validator(statement):
            raise MalformedStatement(f"{cid}: a {type(statement).__name__} statement has no default "
                                     "validator: give a check function or a validator=")
        claim = Claim(id=cid, title=title or name, kind=Kind.coerce(kind), statement=statement,
                      uses=uses, source=source, check=check, validator=validator,
                      params=dict(params or {}), inputs=self._inputs(cid, inputs), timeout=timeout,
                      value=value, given=given)
        self._claims[cid] = claim
        return claim

    def _premises(self, cid, uses) -> tuple[tuple[str, ...], Premises]:
        """Premise ids (absolute, in order, without repeats) and the values known now."""
        if isinstance(uses, (str, Claim)):
            uses = [uses]
        ids, values, missing = [], {}, {}
        for u in uses:
            if isinstance(u, Claim):
                premise = u
            elif isinstance(u, str) and u:
                premise = self._claims.get(self._absolute(u))
            else:
                raise MalformedStatement(f"{cid}: premise {u!r} is not a claim id")
            pid = premise.id if premise is not None else self._absolute(u)
            ids.append(pid)
            if premise is None:
                missing[pid] = ("is not declared yet here: to use its value, pass its Claim "
                                "object in uses= (imported from its module)")
            elif premise.value is None:
                missing[pid] = "declares no value"
            else:
                values[pid] = premise.value
        return tuple(dict.fromkeys(ids)), Premises(cid, values, missing)

    def _inputs(self, cid, inputs) -> tuple[str, ...]:
        if isinstance(inputs, (str, os.PathLike)):
            inputs = [inputs]
        out = []
        for p in inputs:
            if not isinstance(p, (str, os.PathLike)) or not str(p):
                raise MalformedStatement(f"{cid}: input {p!r} is not a file path")
            out.append(str((self._base / p).resolve()))
        return tuple(out)

    def _build(self, name, uses, make):
        """Build a statement with ``make(given)``, naming the claim in any error."""
        cid = f"{self.topic}/{name}"
        _, given = self._premises(cid, uses)
        try:
            return make(given)
        except MalformedStatement as exc:
            raise MalformedStatement(str(exc) if str(exc).startswith(cid) else f"{cid}: {exc}") \
                from None

    @staticmethod
    def _resolved(x, given):
        return x(given) if is_builder(x) else x

    def asymptotic(self, name: str, *, variable, leading, sequence: Callable | None = None,
                   expression=None, subsequence=None, corrections=1, sequence_name=None,
                   title: str = "", kind="lemma", uses=(), source: str = "",
                   validator=None, digits: int | None = None, params=None, inputs=(),
                   timeout=None, value=None) -> Claim:
        """Declare ``a(variable) ~ leading``; see :class:`~workbench.statements.Asymptotic`.

        ``leading`` may be a function of the premises' values.  ``digits`` is shorthand for
        ``validator=Extrapolation(digits=...)``.
        """
        stmt = self._build(name, uses, lambda g: Asymptotic(
            variable=variable, leading=self._resolved(leading, g), sequence=sequence,
            expression=expression, subsequence=subsequence, corrections=corrections,
            name=sequence_name))
        from .validate import Extrapolation
        validator = _with_digits(validator, digits, Extrapolation)
        return self.add(name, stmt, title=title, kind=kind, uses=uses, source=source,
                        validator=validator, params=params, inputs=inputs, timeout=timeout,
                        value=value)

    def equality(self, name: str, lhs, rhs, *, where=None, domain=None, title: str = "",
                 kind="lemma", uses=(), source: str = "", validator=None,
                 digits: int | None = None, inputs=(), timeout=None, value=None) -> Claim:
        """Declare ``lhs = rhs``; see :class:`~workbench.statements.Equality`.

        ``lhs`` and ``rhs`` may be functions of the premises' values.
        """
        stmt = self._build(name, uses, lambda g: Equality(
            self._resolved(lhs, g), self._resolved(rhs, g), where=where, domain=domain or {}))
        from .validate import RandomPoints
        validator = _with_digits(validator, digits, RandomPoints)
        return self.add(name, stmt, title=title, kind=kind, uses=uses, source=source,
                        validator=validator, inputs=inputs, timeout=timeout, value=value)

    def inequality(self, name: str, relation, *, where=None, domain=None, title: str = "",
                   kind="lemma", uses=(), source: str = "", validator=None, inputs=(),
                   timeout=None, value=None) -> Claim:
        """Declare a relation ``<, <=, >, >=``; see :class:`~workbench.statements.Inequality`."""
        stmt = self._build(name, uses, lambda g: Inequality(
            self._resolved(relation, g), where=where, domain=domain or {}))
        return self.add(name, stmt, title=title, kind=kind, uses=uses, source=source,
                        validator=validator, inputs=inputs, timeout=timeout, value=value)

    def agree(self, name: str, lhs: Callable, rhs: Callable, *, over, digits: int = 20,
              zero_scale=1, lhs_label=None, rhs_label=None, over_label=None, params=None,
              title: str = "", kind="lemma", uses=(), source: str = "", validator=None,
              inputs=(), timeout=None, value=None) -> Claim:
        """Declare that two computations agree to ``digits`` digits at the points ``over``;
        see :class:`~workbench.statements.Agree` (checked by
        :class:`~workbench.validate.TwoPrecisions` unless ``validator=`` says otherwise)."""
        stmt = self._build(name, uses, lambda g: Agree(
            lhs, rhs, over=tuple(over), digits=digits, zero_scale=zero_scale, lhs_label=lhs_label,
            rhs_label=rhs_label, over_label=over_label))
        return self.add(name, stmt, title=title, kind=kind, uses=uses, source=source,
                        validator=validator, params=params, inputs=inputs, timeout=timeout,
                        value=value)

    def agreement(self, name: str, *, estimate: Callable, reference, seeds=None,
                  k: float | None = None, systematic: float | None = None, quantity=r"\hat{X}",
                  reference_label="X", params=None, title: str = "", kind="lemma", uses=(),
                  source: str = "", validator=None, inputs=(), timeout=None, value=None) -> Claim:
        """Declare that a noisy estimate agrees with a reference; see
        :class:`~workbench.statements.Agreement`.

        ``seeds``, ``k`` and ``systematic`` are shorthand for
        ``validator=MeanWithinSE(seeds=..., k=..., systematic=...)``.
        """
        stmt = self._build(name, uses, lambda g: Agreement(
            estimate=estimate, reference=reference, quantity=quantity,
            reference_label=reference_label))
        policy = {key: v for key, v in (("seeds", seeds), ("k", k), ("systematic", systematic))
                  if v is not None}
        if policy:
            if validator is not None:
                raise MalformedStatement(f"{self.topic}/{name}: give either seeds/k/systematic "
                                         "or validator=, not both")
            from .validate import MeanWithinSE
            if "seeds" in policy:
                policy["seeds"] = tuple(policy["seeds"])
            try:
                validator = MeanWithinSE(**policy)
            except MalformedStatement as exc:
                raise MalformedStatement(f"{self.topic}/{name}: {exc}") from None
        return self.add(name, stmt, title=title, kind=kind, uses=uses, source=source,
                        validator=validator, params=params, inputs=inputs, timeout=timeout,
                        value=value)

    def claim(self, name: str, *, statement, title: str = "", kind="lemma", uses=(),
              source: str = "", params=None, inputs=(), timeout=None, value=None):
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
                     check=func, params=params, inputs=inputs, timeout=timeout, value=value)
            return func
        return decorate


def _with_digits(validator, digits, settings_class):
    """``settings_class(digits=digits)`` as the validator, when ``digits`` is given."""
    if digits is None:
        return validator
    if validator is not None:
        raise MalformedStatement("give either digits= or validator=, not both")
    return settings_class(digits=digits)
