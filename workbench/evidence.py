"""Verdicts and the evidence they carry.

A check never stores a bare "passed": an :class:`Evidence` records what was
computed (method, grid, precisions), what was measured (values with error
estimates, next to the claimed values), how many digits agree, and how long
it took.  Evidence is plain data: it round-trips through JSON (the result
store keeps it that way) and pickles (worker processes send it back).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Evidence", "Measured", "VERDICTS", "OUTCOMES"]

#: Verdict of a claim's *own* check (premises are not consulted here).
VERDICTS = ("verified", "failed", "error")

#: Finer outcome inside a verdict: a ``failed`` check is either a refutation
#: (the computation contradicts the claim) or inconclusive (it could not
#: confirm the requested number of digits).
OUTCOMES = ("supported", "refuted", "inconclusive", "error")


@dataclass
class Measured:
    """A measured quantity: value and error estimate, beside the claimed value.

    Values are kept as strings so that 30+ significant digits survive JSON.
    """

    value: str
    error: str | None = None
    claimed: str | None = None
    digits: float | None = None

    def as_float(self) -> float:
        return float(self.value)


@dataclass
class Evidence:
    """What a check found.

    Parameters
    ----------
    verdict : {"verified", "failed", "error"}
        Verdict of the claim's own check.
    summary : str
        One line a person reads first ("exponent 1/2 and constant 1 agree to
        26 digits", "refuted: measured exponent 0.5000... not 0.6").
    outcome : {"supported", "refuted", "inconclusive", "error"}
        Finer reading of the verdict.
    methods : list of str
        The independent methods used (e.g. ``["richardson", "wynn-epsilon"]``).
    digits : float or None
        Digits to which the claim was confirmed (the minimum over methods,
        precisions and quantities), when the notion applies.
    measured : dict of str -> Measured
        Measured values with error estimates and the claimed values.
    grid : dict
        Where the computation looked (sample points, n-grid, seeds).
    precisions : list of int
        Working precisions (decimal digits) of the runs.
    details : dict
        Anything else worth keeping (JSON-serialisable).
    runtime : float
        Wall-clock seconds of the check.
    """

    verdict: str
    summary: str
    outcome: str = "supported"
    methods: list[str] = field(default_factory=list)
    digits: float | None = None
    measured: dict[str, Measured] = field(default_factory=dict)
    grid: dict[str, Any] = field(default_factory=dict)
    precisions: list[int] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    runtime: float = 0.0

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, got {self.outcome!r}")
        self.measured = {
            k: (v if isinstance(v, Measured) else Measured(**v)) for k, v in self.measured.items()
        }

    # -- constructors -----------------------------------------------------
    @classmethod
    def error(cls, message: str, runtime: float = 0.0, **details) -> "Evidence":
        return cls("error", message, outcome="error", runtime=runtime, details=dict(details))

    @classmethod
    def judge(cls, ok: bool, summary: str, **fields) -> "Evidence":
        """``verified``/``supported`` when ``ok``, else ``failed``/``refuted``; other fields as given."""
        ok = bool(ok)
        return cls("verified" if ok else "failed", summary,
                   outcome="supported" if ok else "refuted", **fields)

    @classmethod
    def from_bool(cls, value: bool, method: str, runtime: float = 0.0) -> "Evidence":
        """Evidence for a user check that returned a plain boolean."""
        if value:
            return cls("verified", f"{method} returned True", methods=[method], runtime=runtime)
        return cls("failed", f"{method} returned False", outcome="refuted",
                   methods=[method], runtime=runtime)

    # -- serialisation ----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Evidence":
        return cls(**data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, default=str)

    @classmethod
    def from_json(cls, text: str) -> "Evidence":
        return cls.from_dict(json.loads(text))

    # -- display ----------------------------------------------------------
    def short(self) -> str:
        """A one-line description: summary, methods, precisions and run time."""
        parts = [self.summary]
        if self.methods:
            parts.append("methods: " + ", ".join(self.methods))
        if self.precisions:
            parts.append("dps " + "/".join(str(p) for p in self.precisions))
        parts.append(f"{self.runtime:.2f} s")
        return "; ".join(parts)

    def _repr_html_(self) -> str:
        from .printing.html import evidence_html
        return evidence_html(self)
