"""Run a claim's check: its user function, its ``validator=``, or its statement's default.

Every exception inside a check (and ``sys.exit``) becomes an ``error`` verdict
that keeps the message.  A check starts at mpmath's default precision (15
digits, not pretty) and whatever it does to the precision is undone after it.
Crashes, hangs and memory exhaustion are handled one level up, by running the
check in a child process (:mod:`workbench.isolation`).
"""

from __future__ import annotations

import time
import traceback

import mpmath as mp
import numpy as np

from ..evidence import Evidence
from .protocol import validator_for

__all__ = ["run_check", "UserCheck"]


class UserCheck:
    """A claim's own check function as a validator: ``func(**params) -> bool | Evidence``.

    When ``func`` has a parameter named ``premises`` it receives the values of the claim's
    premises (see :meth:`workbench.Derivation.add`), passed in ``params["premises"]``.
    """

    def __init__(self, func):
        self.func = func

    def fingerprint(self) -> str:
        return "UserCheck(" + getattr(self.func, "__qualname__", repr(self.func)) + ")"

    def check(self, statement, params: dict) -> Evidence:
        t0 = time.perf_counter()
        result = self.func(**params)
        dt = time.perf_counter() - t0
        name = getattr(self.func, "__qualname__", "check")
        if isinstance(result, Evidence):
            if not result.runtime:
                result.runtime = dt
            return result
        if isinstance(result, (bool, np.bool_)):
            return Evidence.from_bool(bool(result), f"user check {name}()", dt)
        if isinstance(result, np.generic):
            return Evidence.error(f"check {name}() returned the numpy {type(result).__name__} "
                                  f"{result}; expected True/False or Evidence", dt)
        return Evidence.error(f"check {name}() returned {result!r}; expected True/False or Evidence",
                              dt)

    def __reduce__(self):
        return (UserCheck, (self.func,))


def _arguments(claim) -> dict:
    params = dict(claim.params)
    if claim.check is not None and claim.wants_premises:
        params["premises"] = claim.given
    return params


def run_check(claim) -> Evidence:
    """The claim's own verdict (premises are not consulted).

    The check runs at mpmath's default precision (15 digits, ``pretty=False``) whatever the
    caller's, and the caller's settings are restored afterwards.  An exception or ``sys.exit``
    in the check becomes an ``error`` verdict; KeyboardInterrupt propagates.
    """
    t0 = time.perf_counter()
    pretty = mp.mp.pretty
    try:
        with mp.workdps(15):
            mp.mp.pretty = False
            validator = UserCheck(claim.check) if claim.check is not None else validator_for(claim)
            ev = validator.check(claim.statement, _arguments(claim))
            if not isinstance(ev, Evidence):
                ev = Evidence.error(f"validator {type(validator).__name__}.check returned "
                                    f"{type(ev).__name__}, not Evidence")
    except SystemExit as exc:
        return Evidence.error(f"check called sys.exit({exc.code!r})", time.perf_counter() - t0)
    except Exception as exc:  # a check may fail in any way; the run goes on
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{tb[-1].filename}:{tb[-1].lineno}" if tb else ""
        return Evidence.error(f"{type(exc).__name__}: {exc}", time.perf_counter() - t0,
                              where=where)
    finally:
        mp.mp.pretty = pretty
    if not ev.runtime:
        ev.runtime = time.perf_counter() - t0
    return ev
