"""A statement in words, checked by a user function."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import MalformedStatement
from ..printing import latex_text
from .base import Statement

__all__ = ["FreeForm"]


@dataclass(frozen=True, eq=False)
class FreeForm(Statement):
    """A statement in words (``$...$`` spans are maths), checked by a user function."""

    shape = "free-form"

    sentence: str

    def __post_init__(self):
        if not isinstance(self.sentence, str) or not self.sentence.strip():
            raise MalformedStatement(f"a free-form statement must be a non-empty string, got {self.sentence!r}")

    def latex(self) -> str:
        return r"\text{" + latex_text(self.sentence) + "}"

    def text(self):
        return self.sentence

    def parts(self):
        return {"type": "FreeForm", "sentence": self.sentence}

    def _repr_latex_(self):
        return None  # plain text renders better as HTML


