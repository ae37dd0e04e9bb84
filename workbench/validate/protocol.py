"""The validator protocol and the registry of default validators.

A **validator** is any object with

``check(statement, params) -> Evidence``
    Decide the statement; ``params`` are the claim's keyword parameters (passed on to the
    statement's callables).  A pure function of the statement, the parameters and the
    validator's own settings: no global state, the same verdict every time.
``fingerprint() -> str``
    A stable text that changes whenever the validator's settings change; it enters the
    claim's hash (the validator's code enters it through the hash of the source).

and, optionally, ``accepts(statement) -> bool`` (checked when a claim is declared, so that a
validator given to the wrong statement type is refused at once).  Validators must pickle:
checks run in worker processes.

Each statement type has one **default validator**, declared next to the validator with
:func:`default_validator`'s ``register`` (a :func:`functools.singledispatch` registry on
the statement's type)::

    @default_validator.register
    def _(statement: MyStatement):
        return MyValidator()

A claim may pass ``validator=`` any conforming object instead (see ``docs/extending.md``);
:func:`workbench.validate.conformance.check_validator` tests a validator against the protocol.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, Protocol, runtime_checkable

from ..errors import MalformedStatement

__all__ = ["Validator", "ValidatorBase", "default_validator", "has_default_validator",
           "validator_for", "check_conforms"]


@runtime_checkable
class Validator(Protocol):
    """What the runner needs from a validator (structural: no base class is required)."""

    def check(self, statement, params: dict) -> Any: ...

    def fingerprint(self) -> str: ...


class ValidatorBase:
    """Convenience base for validators written as frozen dataclasses.

    Gives :meth:`fingerprint` (class name and field values) and :meth:`accepts` from the
    class attribute ``statement_types``; subclasses write :meth:`check`.
    """

    statement_types: tuple[type, ...] = ()

    def check(self, statement, params: dict):  # pragma: no cover - abstract
        raise NotImplementedError

    def accepts(self, statement) -> bool:
        return not self.statement_types or isinstance(statement, self.statement_types)

    def fingerprint(self) -> str:
        cls = type(self)
        if dataclasses.is_dataclass(self):
            fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self))
        else:
            fields = ", ".join(f"{k}={v!r}" for k, v in sorted(vars(self).items()))
        return f"{cls.__module__}.{cls.__qualname__}({fields})"

    def _require(self, statement):
        """Raise a clear error when ``statement`` is not a type this validator checks."""
        if not self.accepts(statement):
            names = " or ".join(t.__name__ for t in self.statement_types)
            raise MalformedStatement(f"{type(self).__name__} checks {names} statements, "
                                     f"not {type(statement).__name__}")


@functools.singledispatch
def default_validator(statement):
    """The default validator for ``statement`` (dispatch on its type)."""
    raise MalformedStatement(f"no default validator for {type(statement).__name__} statements: "
                             "give the claim a check function or a validator=")


def has_default_validator(statement) -> bool:
    """Whether a default validator is registered for ``statement``'s type."""
    return default_validator.dispatch(type(statement)) is not default_validator.registry[object]


def check_conforms(validator, statement=None, where: str = "") -> None:
    """Raise :class:`MalformedStatement` unless ``validator`` follows the protocol (and, when it
    says which statements it accepts, accepts ``statement``)."""
    prefix = f"{where}: " if where else ""
    for method in ("check", "fingerprint"):
        if not callable(getattr(validator, method, None)):
            raise MalformedStatement(f"{prefix}{validator!r} is not a validator: it has no "
                                     f"{method}() method (see docs/extending.md)")
    accepts = getattr(validator, "accepts", None)
    if statement is not None and callable(accepts) and not accepts(statement):
        raise MalformedStatement(f"{prefix}{type(validator).__name__} does not check "
                                 f"{type(statement).__name__} statements")


def validator_for(claim):
    """The validator that decides ``claim``: its own ``validator=``, else its statement's default."""
    if claim.validator is not None:
        return claim.validator
    return default_validator(claim.statement)
