"""The order claims are listed in, shared by the exporters."""

from __future__ import annotations

import re

__all__ = ["natural_key"]

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> list:
    """Sort key ordering runs of digits by value: ``d2 < d3 < d10`` (ties keep text order).

    >>> sorted(["t/x-d10", "t/x-d2", "t/x-d3"], key=natural_key)
    ['t/x-d2', 't/x-d3', 't/x-d10']
    """
    return [(0, int(p), p) if p.isdigit() else (1, 0, p) for p in _DIGITS.split(text) if p]
