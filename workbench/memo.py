"""``Memo``: a process-local memo that claim hashes do not see into.

A claim's hash covers the code and the global values its functions reach
(:mod:`workbench.hashing`).  A memo filled while checks run (quadrature nodes, a spectrum
shared by the degrees of one check) is a global value too, but its contents are results of
that same code: hashing them would make a claim's hash depend on what happened to run
earlier in the process (a notebook, a test session), and a current result would look stale.
A ``Memo`` is a ``dict`` whose hash is its type alone.

Rules for a memo: key it by *everything* the stored value depends on (the arguments and the
binary working precision ``mp.mp.prec``), store only values that are pure functions of the
key, and never read it to decide anything else.  ``functools.lru_cache`` on a function is
the other way: hashes see the wrapped function's code.

>>> _NODES = Memo()
>>> _NODES[("arccos1", 3, 113)] = 0.5
>>> isinstance(_NODES, dict)
True
"""

from __future__ import annotations

__all__ = ["Memo"]


class Memo(dict):
    """A ``dict`` used as a process-local memo (see the module docstring)."""

    __slots__ = ()

    def __repr__(self):
        return f"Memo({len(self)} entries)"
