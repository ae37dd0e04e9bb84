"""A conformance battery for validators, in the spirit of scikit-learn's ``check_estimator``.

:func:`check_validator` runs a validator on statements whose verdicts are known and checks
what the runner relies on:

* **protocol** -- ``check`` and ``fingerprint`` exist; ``fingerprint()`` is a non-empty
  string, the same on every call, and different for a differently configured validator
  (``variant=``);
* **picklable** -- the validator survives ``pickle`` with the same fingerprint and the same
  verdicts (checks run in worker processes);
* **pure** -- two runs give the same verdict, summary and measured values; mpmath's
  precision and ``pretty`` flag, Python's and numpy's global random states and the
  statement itself are left as they were;
* **well-formed evidence** -- an :class:`~workbench.evidence.Evidence` whose verdict and
  outcome agree (verified/supported, failed/refuted, failed/inconclusive), which survives
  a JSON round trip, with digits ``None`` or a finite non-negative number;
* **verdicts** -- ``verified`` on the true statement, ``refuted`` on the false one and
  ``inconclusive`` on the undecidable one (when the validator can say so: pass
  ``inconclusive=None`` for a validator that never does, e.g. a statistical test);
* **refusal** -- a statement of a type it does not check is refused with a
  :class:`~workbench.errors.MalformedStatement` (or ``accepts`` says no).

Use it in your own tests::

    from workbench.validate.conformance import check_validator

    def test_my_validator_conforms():
        check_validator(MyValidator(), verified=true_stmt, refuted=false_stmt,
                        inconclusive=None, variant=MyValidator(tolerance=2))
"""

from __future__ import annotations

import math
import pickle
import random

import mpmath as mp
import numpy as np

from ..errors import MalformedStatement
from ..evidence import Evidence
from ..statements import FreeForm

__all__ = ["check_validator", "ConformanceError"]

_PAIRS = {("verified", "supported"), ("failed", "refuted"), ("failed", "inconclusive"),
          ("error", "error")}


class ConformanceError(AssertionError):
    """A validator breaks the protocol; the message names the check and what was seen."""


def _fail(check: str, message: str):
    raise ConformanceError(f"[{check}] {message}")


def _state():
    return (mp.mp.dps, mp.mp.pretty, random.getstate(), repr(np.random.get_state()[1][:8]),
            np.random.get_state()[2])


def _run(validator, statement, params, what):
    before_state = _state()
    before_stmt = repr(statement.parts()) if hasattr(statement, "parts") else None
    try:
        ev = validator.check(statement, dict(params))
    except Exception as exc:  # noqa: BLE001 - reported as a failure of the battery
        _fail("evidence", f"check() on the {what} statement raised {type(exc).__name__}: {exc}")
    if _state() != before_state:
        _fail("pure", f"check() on the {what} statement changed global state (mpmath precision "
                      "or pretty flag, or a global random state)")
    if before_stmt is not None and repr(statement.parts()) != before_stmt:
        _fail("pure", f"check() mutated the {what} statement")
    _well_formed(ev, what)
    return ev


def _well_formed(ev, what):
    if not isinstance(ev, Evidence):
        _fail("evidence", f"check() on the {what} statement returned {type(ev).__name__}, "
                          "not Evidence")
    if (ev.verdict, ev.outcome) not in _PAIRS:
        _fail("evidence", f"verdict {ev.verdict!r} with outcome {ev.outcome!r} on the {what} statement")
    if not isinstance(ev.summary, str) or not ev.summary.strip():
        _fail("evidence", f"empty summary on the {what} statement")
    if ev.digits is not None and not (isinstance(ev.digits, (int, float)) and math.isfinite(ev.digits)
                                      and ev.digits >= 0):
        _fail("evidence", f"digits {ev.digits!r} on the {what} statement (need None or a finite "
                          "number >= 0)")
    try:
        back = Evidence.from_json(ev.to_json())
    except Exception as exc:  # noqa: BLE001
        _fail("evidence", f"evidence of the {what} statement does not survive JSON: {exc}")
    if back.verdict != ev.verdict or back.measured.keys() != ev.measured.keys():
        _fail("evidence", f"evidence of the {what} statement changes in a JSON round trip")


def _same(a: Evidence, b: Evidence) -> bool:
    return (a.verdict, a.outcome, a.summary, {k: (m.value, m.claimed) for k, m in a.measured.items()}) \
        == (b.verdict, b.outcome, b.summary, {k: (m.value, m.claimed) for k, m in b.measured.items()})


def _protocol(validator, variant):
    for method in ("check", "fingerprint"):
        if not callable(getattr(validator, method, None)):
            _fail("protocol", f"{validator!r} has no {method}() method")
    fp = validator.fingerprint()
    if not isinstance(fp, str) or not fp:
        _fail("protocol", f"fingerprint() returned {fp!r}, not a non-empty string")
    if validator.fingerprint() != fp:
        _fail("protocol", "fingerprint() differs between two calls")
    if variant is not None and variant.fingerprint() == fp:
        _fail("protocol", f"fingerprint() is the same for {validator!r} and {variant!r}: a change "
                          "of settings would not re-run the claim")
    return fp


def _picklable(validator, fp):
    try:
        copy = pickle.loads(pickle.dumps(validator))
    except Exception as exc:  # noqa: BLE001
        _fail("picklable", f"{validator!r} does not pickle: {exc}")
    if copy.fingerprint() != fp:
        _fail("picklable", "the unpickled validator has another fingerprint")
    return copy


def _refusal(validator):
    stranger = FreeForm("a sentence no validator of typed statements checks")
    accepts = getattr(validator, "accepts", None)
    if callable(accepts) and not accepts(stranger):
        return
    try:
        ev = validator.check(stranger, {})
    except MalformedStatement:
        return
    except Exception as exc:  # noqa: BLE001
        _fail("refusal", f"a FreeForm statement raised {type(exc).__name__} ({exc}), not "
                         "MalformedStatement")
    if isinstance(ev, Evidence) and ev.verdict == "verified":
        _fail("refusal", "a FreeForm statement it cannot check was verified")


def check_validator(validator, *, verified, refuted, inconclusive=None, params=None,
                    variant=None, refuses_foreign=True) -> list[str]:
    """Run the battery; raise :class:`ConformanceError` at the first violation.

    Parameters
    ----------
    validator : object
        The validator under test.
    verified, refuted, inconclusive : Statement or None
        Statements on which it must return verified / refuted / inconclusive
        (``inconclusive=None``: the validator never returns that outcome).
    params : dict
        Keyword parameters passed to ``check`` with every statement.
    variant : object, optional
        The same validator with other settings (its fingerprint must differ).
    refuses_foreign : bool
        Check that a statement of a foreign type is refused (a validator that accepts
        every statement, like a user check, passes ``False``).

    Returns the names of the checks that passed.
    """
    params = params or {}
    fp = _protocol(validator, variant)
    copy = _picklable(validator, fp)
    cases = [("verified", verified, "supported"), ("refuted", refuted, "refuted")]
    if inconclusive is not None:
        cases.append(("inconclusive", inconclusive, "inconclusive"))
    for what, statement, outcome in cases:
        first = _run(validator, statement, params, what)
        if first.outcome != outcome:
            _fail("verdicts", f"the {what} statement came out {first.verdict}/{first.outcome}: "
                              f"{first.summary}")
        if not _same(first, _run(validator, statement, params, what)):
            _fail("pure", f"two runs on the {what} statement disagree")
        if not _same(first, _run(copy, statement, params, what)):
            _fail("picklable", f"the unpickled validator disagrees on the {what} statement")
    if refuses_foreign:
        _refusal(validator)
    return ["protocol", "picklable", "pure", "evidence", "verdicts"] + (
        ["refusal"] if refuses_foreign else [])
