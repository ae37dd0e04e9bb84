"""Run a claim's check: its user function, or the validator of its statement type.

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

from ..errors import MalformedStatement
from ..evidence import Evidence
from ..statements import Agreement, Asymptotic, Equality, Inequality
from .asymptotic import Extrapolation, validate_asymptotic
from .equality import RandomPoints, validate_equality, validate_inequality
from .statistical import validate_agreement

__all__ = ["run_check"]

_SETTINGS = {Asymptotic: Extrapolation, Equality: RandomPoints, Inequality: RandomPoints}


def _validator_for(claim):
    stmt = claim.statement
    for cls, settings_cls in _SETTINGS.items():
        if isinstance(stmt, cls):
            settings = claim.validator if claim.validator is not None else settings_cls()
            if not isinstance(settings, settings_cls):
                raise MalformedStatement(f"{claim.id}: a {cls.__name__} statement takes "
                                         f"{settings_cls.__name__} settings, got {settings!r}")
            if cls is Asymptotic:
                return lambda: validate_asymptotic(stmt, settings, claim.params)
            if cls is Equality:
                return lambda: validate_equality(stmt, settings)
            return lambda: validate_inequality(stmt, settings)
    if isinstance(stmt, Agreement):
        return lambda: validate_agreement(stmt, claim.params)
    raise MalformedStatement(f"{claim.id}: no validator for {type(stmt).__name__}; give a check")


def _user_check(claim):
    def run():
        t0 = time.perf_counter()
        result = claim.check(**claim.params)
        dt = time.perf_counter() - t0
        name = getattr(claim.check, "__qualname__", "check")
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
    return run


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
            runner = _user_check(claim) if claim.check is not None else _validator_for(claim)
            ev = runner()
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
