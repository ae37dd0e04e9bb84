"""A noisy estimate agrees with a reference computation (in the mean over seeds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..errors import MalformedStatement
from .base import Statement

__all__ = ["Agreement"]


@dataclass(frozen=True, eq=False)
class Agreement(Statement):
    """A noisy estimate agrees with a reference computation: ``E[estimate] = reference``.

    ``estimate(seed, **params)`` returns a number or an array (one run with one
    seed); ``reference(**params)`` returns the value it should average to (a
    number or array of the same shape), or ``reference`` is that value itself.
    How agreement is judged (seeds, the number of standard errors, a systematic
    allowance) is the validator's policy:
    :class:`~workbench.validate.MeanWithinSE` by default.
    """

    shape = "agreement"

    estimate: Callable
    reference: Any
    quantity: str = r"\hat{X}"
    reference_label: str = r"X"

    def __post_init__(self):
        if not callable(self.estimate):
            raise MalformedStatement(f"estimate must be callable(seed, **params), got {self.estimate!r}")
        for what in ("quantity", "reference_label"):
            if not isinstance(getattr(self, what), str):
                raise MalformedStatement(f"{what} must be a LaTeX string, got {getattr(self, what)!r}")

    def latex(self) -> str:
        ref = self.reference_label
        ref = rf"\left({ref}\right)" if ref.lstrip().startswith("-") else ref
        return rf"\mathbb{{E}}\,{self.quantity} = {ref}"

    def text(self):
        return f"E[{self.quantity}] = {self.reference_label}"

    def parts(self):
        return {"type": "Agreement", "estimate": self.estimate, "reference": self.reference}
