"""The base class of statements and the helpers every statement type uses."""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..errors import MalformedStatement

__all__ = ["Statement", "exact_floats", "sympify"]


class Statement:
    """Base class of what a claim says.

    A statement type is a small frozen dataclass that validates its own fields (raising
    :class:`~workbench.errors.MalformedStatement`), prints itself (:meth:`latex`,
    :meth:`text`) and lists the data that determine it (:meth:`parts`, hashed by the store).
    ``shape`` names what sort of statement it is (``"asymptotic"``, ``"equality"``, ...);
    a claim's *role* (lemma, theorem, ...) is its :class:`~workbench.claims.Kind`.

    Which validator checks a statement by default is declared next to the validator, with
    :func:`workbench.validate.default_validator`; see ``docs/extending.md``.
    """

    shape = "statement"

    def latex(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def text(self) -> str:
        """Plain-text form for terminals."""
        return self.latex()

    def parts(self) -> dict[str, Any]:  # pragma: no cover - abstract
        """The data that determines the statement (hashed by the result store)."""
        raise NotImplementedError

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"



def sympify(x, what: str):
    try:
        return sp.sympify(x)
    except (sp.SympifyError, TypeError) as exc:
        raise MalformedStatement(f"{what} is not a sympy expression: {x!r} ({exc})") from None



def exact_floats(expr):
    """``expr`` with every Float replaced by the rational number it is written as.

    A Float is taken at its exact decimal value (``Float("1.41421356237")`` is
    ``141421356237/10^11``, ``Float("1e-50")`` is ``10^-50``): a claim means what it
    says, and a nearby closed form (``sqrt(2)``) is never substituted for it.

    >>> exact_floats(sp.Float("1.5") * sp.Symbol("n") ** sp.Float("0.25"))
    3*n**(1/4)/2
    """
    floats = expr.atoms(sp.Float)
    if not floats:
        return expr
    return expr.xreplace({f: sp.Rational(str(f)) for f in floats})



_sym = sympify
