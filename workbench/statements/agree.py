"""Two computations of the same quantity agree: ``lhs(x) = rhs(x)`` at given points, to N digits.

The commonest check in a derivation compares two independent computations: a closed
form against quadrature, a series against its sum, a recursion against a direct
formula.  :class:`Agree` states that comparison so that the graph, the store, the
plotter and the exporters can see it; :class:`~workbench.validate.TwoPrecisions`
checks it (each side computed at two working precisions, digits reached per point).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import MalformedStatement
from ..printing import latex_text
from .base import Statement

__all__ = ["Agree"]


def _label(func) -> str:
    name = getattr(func, "__name__", None) or type(func).__name__
    return r"\mathrm{" + latex_text(name, math=False) + "}"


def _point(p, where):
    if isinstance(p, Mapping):
        bad = [k for k in p if not isinstance(k, str) or not k.isidentifier()]
        if bad:
            raise MalformedStatement(f"{where}: point {dict(p)!r} has keys {bad} that are not "
                                     "argument names")
        return dict(p)
    if isinstance(p, (str, bytes)) or p is None:
        raise MalformedStatement(f"{where}: point {p!r} is neither a number nor a mapping of "
                                 "keyword arguments")
    return p


def point_label(p) -> str:
    """``k=3, d=4`` for a mapping point, ``repr`` for a single value."""
    if isinstance(p, Mapping):
        return ", ".join(f"{k}={v}" for k, v in p.items())
    return str(p)


@dataclass(frozen=True, eq=False)
class Agree(Statement):
    """``lhs(x) = rhs(x)`` at every point ``x`` of ``over``, to ``digits`` significant digits.

    Parameters
    ----------
    lhs, rhs : callable
        The two computations.  Each is called as ``f(**point, **params)`` for a mapping
        point (``{"k": 3}``) or ``f(point, **params)`` for a single value, at the ambient
        mpmath precision (the validator sets it: see :mod:`workbench.precision`), and returns
        a number (``mpf``, ``mpc``, ``int``, ``Fraction``, a sympy number, a float) or a
        flat sequence of numbers (compared componentwise).
    over : sequence
        The points (at least one).
    digits : int
        Significant digits to which the two sides must agree, relative to the larger of
        ``|lhs|`` and ``|rhs|``.
    zero_scale : number
        When exactly one side is exactly zero (a parity zero of a closed form, say), the other
        side must satisfy ``|other| <= 10^-digits * zero_scale``; when both are exactly zero
        they agree to all digits.
    lhs_label, rhs_label : str, optional
        LaTeX of the two sides (default: the functions' names).
    over_label : str, optional
        LaTeX describing the points (default: the list of points).
    """

    shape = "agree"

    lhs: Callable
    rhs: Callable
    over: tuple = field(default=())
    digits: int = 20
    zero_scale: Any = 1
    lhs_label: str | None = None
    rhs_label: str | None = None
    over_label: str | None = None

    def __post_init__(self):
        for side in ("lhs", "rhs"):
            if not callable(getattr(self, side)):
                raise MalformedStatement(f"Agree: {side} must be callable, got {getattr(self, side)!r}")
        if isinstance(self.over, (str, bytes, Mapping)) or not hasattr(self.over, "__iter__"):
            raise MalformedStatement(f"Agree: over must be a sequence of points, got {self.over!r}")
        points = tuple(_point(p, "Agree") for p in self.over)
        if not points:
            raise MalformedStatement("Agree: over has no points")
        object.__setattr__(self, "over", points)
        if isinstance(self.digits, bool) or not isinstance(self.digits, numbers.Integral) \
                or not 1 <= self.digits <= 1000:
            raise MalformedStatement(f"Agree: digits must be an integer in 1..1000, got {self.digits!r}")
        object.__setattr__(self, "digits", int(self.digits))
        if isinstance(self.zero_scale, bool) or not isinstance(self.zero_scale, numbers.Real) \
                or not 0 < self.zero_scale < float("inf"):
            raise MalformedStatement(f"Agree: zero_scale must be a positive number, got {self.zero_scale!r}")
        for what in ("lhs_label", "rhs_label", "over_label"):
            value = getattr(self, what)
            if value is not None and not isinstance(value, str):
                raise MalformedStatement(f"Agree: {what} must be a LaTeX string, got {value!r}")

    def _over_latex(self) -> str:
        if self.over_label is not None:
            return self.over_label
        shown = [point_label(p) for p in self.over[:6]]
        more = ", ..." if len(self.over) > 6 else ""
        return r"\text{" + latex_text("; ".join(shown) + more, math=False) + "}"

    def latex(self) -> str:
        lhs = self.lhs_label or _label(self.lhs)
        rhs = self.rhs_label or _label(self.rhs)
        return (rf"{lhs} = {rhs} \qquad (\text{{to {self.digits} digits at }} {self._over_latex()})")

    def text(self):
        lhs = getattr(self.lhs, "__name__", "lhs")
        rhs = getattr(self.rhs, "__name__", "rhs")
        return f"{lhs} = {rhs} to {self.digits} digits at {len(self.over)} points"

    def parts(self):
        return {"type": "Agree", "lhs": self.lhs, "rhs": self.rhs, "over": self.over,
                "digits": self.digits, "zero_scale": self.zero_scale}
