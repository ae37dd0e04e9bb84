"""What a claim says: statements built from sympy objects.

Each statement type is a small immutable class that knows how to print itself
as LaTeX and what its parts are (for hashing); which validator checks it is
decided in :mod:`workbench.validate`, one validator per statement type.

Statement types
---------------
:class:`Asymptotic`
    ``a(n) ~ C n^e (log n)^q`` as ``n -> oo`` (integer ``n``, optionally along
    an arithmetic subsequence ``n = step*m + offset``) or ``t -> oo`` (real ``t``).
:class:`Equality`
    ``lhs = rhs`` for all values of the free symbols allowed by their sympy
    assumptions (and an optional ``where`` condition / ``domain`` box).
:class:`Inequality`
    A sympy relation ``<, <=, >, >=`` under the same conventions.
:class:`Agreement`
    Two computations agree: the mean over seeds of a noisy estimate equals a
    reference within ``k`` standard errors plus a stated systematic bound.
:class:`FreeForm`
    A sentence, checked by a user function.
"""


from __future__ import annotations

import sympy as sp

from ..errors import MalformedStatement
from .agreement import Agreement
from .agree import Agree
from .asymptotic import Asymptotic, split_leading
from .base import Statement, exact_floats
from .freeform import FreeForm
from .relations import Equality, Inequality

__all__ = ["Statement", "Asymptotic", "Equality", "Inequality", "Agreement", "Agree", "FreeForm",
           "split_leading", "exact_floats", "coerce_statement"]


def coerce_statement(statement) -> Statement:
    """A :class:`Statement` from a statement, a string or a sympy relation."""
    if isinstance(statement, Statement):
        return statement
    if isinstance(statement, str):
        return FreeForm(statement)
    if isinstance(statement, sp.Eq):
        return Equality(statement.lhs, statement.rhs)
    if isinstance(statement, sp.core.relational.Relational):
        return Inequality(statement)
    raise MalformedStatement(f"cannot read {statement!r} as a statement (give a Statement, a "
                             "sympy relation or a string)")
