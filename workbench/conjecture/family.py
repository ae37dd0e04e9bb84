"""Families: ``conjecture(f, "k", family={"d": range(2, 13)})``.

Each member ``f(k, d=value)`` is measured as an ordinary conjecture (:func:`.core.conjecture`),
in parallel -- ``jobs`` forked worker processes (the function is inherited by the fork, so
lambdas and closures need no pickling), or the workers of a Dask ``client`` (the function
then travels by cloudpickle; a CLI expression pickles by its text).  Then a formula in the
family parameter is guessed (:mod:`.guess`): the exponent and the log power as rational
functions of ``d``, the constant as a Gamma product (hypergeometric term), each fitted on
some members and confirmed on held-out members at the digits each member was measured to.

The result is a :class:`~.core.Conjecture` whose ``members`` maps each value to its own
conjecture and whose ``family_formula`` is ``{"exponent", "log_power", "constant"}`` (sympy
expressions in ``d``; ``None`` for a part no formula was confirmed for); its ``law`` is
``constant(d) k^exponent(d) log(k)^log_power(d)`` when all three were confirmed.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import time

import mpmath as mp
import sympy as sp

from ..errors import InvalidParameter
from ..evidence import Evidence
from .guess import Guess, fit_rational, guess_hypergeometric

__all__ = ["family_values", "measure_members", "conjecture_family"]

_JOB = {}     # the forked workers' view of the function being measured


def family_values(family) -> tuple[str, list[int]]:
    """``(name, values)`` of a ``{name: iterable of integers}`` with one name and >= 4
    distinct integer values (:class:`InvalidParameter` otherwise)."""
    if not isinstance(family, dict) or len(family) != 1:
        raise InvalidParameter(f"family must be one {{name: values}}, e.g. {{'d': range(2, 13)}}, "
                               f"got {family!r}")
    (name, values), = family.items()
    if not isinstance(name, str) or not name.isidentifier():
        raise InvalidParameter(f"the family parameter must be a name, got {name!r}")
    try:
        given = list(values)
        vals = sorted({int(v) for v in given if int(v) == v and not isinstance(v, bool)})
        complete = len(vals) == len(given)
    except (TypeError, ValueError):
        vals, complete = [], False
    if not complete or len(vals) < 4:
        raise InvalidParameter(f"family {name} needs at least 4 distinct integer values, "
                               f"got {values!r}")
    return name, vals


def _strip(c):
    """A member's conjecture without its (possibly unpicklable) sequence."""
    c.sequence = None
    return c


def _measure(name, value, kwargs, f):
    from .core import conjecture
    return _strip(conjecture(functools.partial(f, **{name: value}), **kwargs))


def _forked(args):
    name, value, kwargs = args
    return _measure(name, value, kwargs, _JOB["f"])


def _remote(args):
    name, value, kwargs, f = args
    return _measure(name, value, kwargs, f)


def measure_members(f, name, values, kwargs, jobs=None, client=None) -> dict:
    """``{value: Conjecture}`` of ``f(v, name=value)`` for each value, in ``jobs`` forked
    processes (default: the usable cores) or on a Dask ``client``; the results do not depend
    on where they ran."""
    from ..executors import usable_cores
    if client is not None:
        futures = client.map(_remote, [(name, v, kwargs, f) for v in values], pure=False,
                             key=[f"conjecture-{name}{v}-{os.urandom(4).hex()}" for v in values])
        found = client.gather(futures)
    else:
        jobs = min(len(values), jobs or usable_cores())
        if jobs <= 1 or multiprocessing.current_process().daemon:   # a daemon cannot fork a pool
            found = [_measure(name, v, kwargs, f) for v in values]
        else:
            _JOB["f"] = f
            try:
                with multiprocessing.get_context("fork").Pool(jobs) as pool:
                    found = pool.map(_forked, [(name, v, kwargs) for v in values], chunksize=1)
            finally:
                _JOB.clear()
    out = {}
    for v, c in zip(values, found):
        c.sequence = functools.partial(f, **{name: v})
        out[v] = c
    return out


def _exact_values(members, attr):
    vals = {v: getattr(c, attr) for v, c in members.items()}
    return vals if all(isinstance(x, sp.Basic) and x.is_Rational for x in vals.values()) else None


def _constants(members, variable):
    """``({value: mpf}, {value: digits})`` of the members' law constants (every digit the law
    carries; closed forms at the digits they were confirmed to)."""
    consts, digits = {}, {}
    for val, c in members.items():
        if c.law is None or c.status != "supported" or not c.digits:
            continue
        const = c.law / (variable ** c.exponent * sp.log(variable) ** c.log_power)
        if const.has(variable):
            continue
        dg = float(c.digits)
        with mp.workdps(int(dg) + 20):
            consts[val] = mp.mpf(sp.N(const, int(dg) + 20))
        digits[val] = dg
    return consts, digits


def _guess_exact(members, attr, x, what):
    vals = _exact_values(members, attr)
    if vals is None:
        return Guess(None, note=f"the {what} of some members is not an exact rational",
                     closed_form=False)
    return fit_rational(vals, x)


def conjecture_family(f, variable, family, *, jobs=None, client=None, basis=None, text=None,
                      **kwargs):
    """See the module docstring; ``kwargs`` are :func:`.core.conjecture`'s."""
    from .core import Conjecture, _settings, _variable
    t0 = time.perf_counter()
    name, values = family_values(family)
    if not callable(f):
        raise InvalidParameter(f"a family needs a callable f(v, {name}=...), got {f!r}")
    v = _variable(variable, kwargs.get("integer"))
    settings = _settings(kwargs.get("digits", 20), kwargs.get("grid"))
    member_kwargs = dict(kwargs, variable=v, basis=basis, text=text)
    members = measure_members(f, name, values, member_kwargs, jobs, client)
    x = sp.Symbol(name, integer=True, positive=all(val > 0 for val in values))
    measured = {val: c for val, c in members.items() if c.status == "supported"}
    skipped = [val for val in values if val not in measured]
    exp_guess = _guess_exact(measured, "exponent", x, "exponent")
    log_guess = _guess_exact(measured, "log_power", x, "log power")
    consts, digits = _constants(measured, v)
    const_guess = guess_hypergeometric(consts, digits, x, basis)
    formula = {"exponent": exp_guess.formula, "log_power": log_guess.formula,
               "constant": const_guess.formula}
    law = None
    if all(g is not None for g in formula.values()):
        law = formula["constant"] * v ** formula["exponent"] * sp.log(v) ** formula["log_power"]
    subs = {str(c.law_subsequence) for c in measured.values()}
    c = Conjecture(v, f, kwargs.get("subsequence"), settings, exponent=formula["exponent"],
                   log_power=formula["log_power"], constant=formula["constant"],
                   closed_form=law is not None and const_guess.closed_form, law=law, text=text)
    c.family = (x, list(values))
    c.members = members
    c.family_formula = formula
    held = sorted(set(const_guess.confirmed) & set(exp_guess.confirmed)) if law is not None else []
    c.digits = min((digits[val] for val in held), default=0.0)
    guesses = {"exponent": exp_guess.record(), "log_power": log_guess.record(),
               "constant": const_guess.record()}
    if law is not None:
        summary = (f"family {name} = {values[0]}..{values[-1]}: {law}; constant fitted on "
                   f"{name} = {_join(const_guess.fitted)}, confirmed on held-out "
                   f"{name} = {_join(const_guess.confirmed)}; exponent {formula['exponent']} "
                   f"fitted on {_join(exp_guess.fitted)}, exact on {_join(exp_guess.confirmed)}")
    else:
        missing = [k for k, g in formula.items() if g is None]
        summary = (f"family {name} = {values[0]}..{values[-1]}: no formula for the "
                   + ", ".join(missing) + "; " + "; ".join(
                       f"{k}: {guesses[k]['note']}" for k in missing)
                   + "".join(f"; {k} = {g}" for k, g in formula.items() if g is not None))
    if skipped:
        summary += f"; members {name} = {_join(skipped)} measured no supported law"
    if len(subs) > 1:
        summary += f"; the members' laws hold on different subsequences ({', '.join(sorted(subs))})"
    details = {"family": {"name": name, "values": values}, "guesses": guesses,
               "members": {str(val): {"law": None if m.law is None else str(m.law),
                                      "status": m.status, "digits": m.digits,
                                      "subsequence": list(m.law_subsequence) if m.law_subsequence
                                      else None}
                           for val, m in members.items()},
               "skipped": skipped}
    c.evidence = Evidence("verified" if law is not None else "failed", summary,
                          outcome="supported" if law is not None else "inconclusive",
                          methods=["per-member measurement", "rational fit (exponent)",
                                   "hypergeometric guess (constant)", "held-out confirmation"],
                          digits=c.digits, details=details, runtime=time.perf_counter() - t0)
    return c


def _join(xs):
    return ", ".join(str(v) for v in xs) or "none"
