"""Validator for :class:`~workbench.statements.Agreement`: a noisy estimate
(e.g. a simulation over seeds) against a reference computation (e.g. an ODE).

:class:`MeanWithinSE` holds the policy (seeds, ``k``, ``systematic``).  For each
component, with ``x_s`` the estimate for seed ``s``:
``mean = (1/S) sum_s x_s``, ``SE = std(x, ddof=1) / sqrt(S)``, and the claim
holds when ``|mean - reference| <= k SE + systematic``.  The evidence records
mean, SE, reference and the z-score ``(mean - reference)/SE`` per component.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..errors import MalformedStatement, SequenceError
from ..evidence import Evidence, Measured
from ..statements import Agreement
from .protocol import ValidatorBase, default_validator

__all__ = ["MeanWithinSE", "validate_agreement"]


def _as_array(value, what):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise SequenceError(f"{what} returned {value!r}, not a number or array of numbers") from None
    if not np.all(np.isfinite(arr)):
        raise SequenceError(f"{what} returned non-finite values: {arr}")
    return np.atleast_1d(arr)


@dataclass(frozen=True)
class MeanWithinSE(ValidatorBase):
    """Policy for an :class:`~workbench.statements.Agreement`: the mean over ``seeds`` is
    within ``k`` standard errors plus ``systematic`` of the reference, componentwise.

    ``systematic`` is a stated bound on the estimator's bias (finite size, finite time);
    ``k`` sets the false-alarm rate of a correct formula (about 0.3% per component at
    ``k = 3`` for a normal mean; a t statistic with few seeds has heavier tails).
    """

    seeds: tuple[int, ...] = tuple(range(8))
    k: float = 3.0
    systematic: float = 0.0

    statement_types = (Agreement,)

    def __post_init__(self):
        try:
            seeds = tuple(int(s) for s in self.seeds)
        except (TypeError, ValueError):
            raise MalformedStatement(f"seeds must be integers, got {self.seeds!r}") from None
        if len(seeds) < 2:
            raise MalformedStatement("MeanWithinSE needs at least 2 seeds to estimate a standard error")
        if len(set(seeds)) != len(seeds):
            raise MalformedStatement(f"seeds repeat: {seeds}")
        object.__setattr__(self, "seeds", seeds)
        for what in ("k", "systematic"):
            value = getattr(self, what)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise MalformedStatement(f"{what} must be a number, got {value!r}")
        if not (self.k > 0 and 0 <= self.systematic < float("inf")):
            raise MalformedStatement(f"need k > 0 and 0 <= systematic < inf, got k={self.k}, "
                                     f"systematic={self.systematic}")

    def check(self, statement: Agreement, params: dict | None = None) -> Evidence:
        self._require(statement)
        return validate_agreement(statement, params, self)


@default_validator.register
def _(statement: Agreement):
    return MeanWithinSE()


def validate_agreement(stmt: Agreement, params: dict | None = None,
                       policy: MeanWithinSE | None = None) -> Evidence:
    """Mean and standard error over seeds against the reference."""
    params = params or {}
    policy = policy or MeanWithinSE()
    t0 = time.perf_counter()
    samples = np.array([_as_array(stmt.estimate(seed, **params), f"estimate(seed={seed})")
                        for seed in policy.seeds])
    ref_raw = stmt.reference(**params) if callable(stmt.reference) else stmt.reference
    ref = _as_array(ref_raw, "reference")
    if ref.shape != samples.shape[1:]:
        raise SequenceError(f"reference has shape {ref.shape} but estimates have shape "
                            f"{samples.shape[1:]}")
    mean = samples.mean(axis=0)
    se = samples.std(axis=0, ddof=1) / np.sqrt(len(policy.seeds))
    gap = np.abs(mean - ref)
    bound = policy.k * se + policy.systematic
    ok = gap <= bound
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (mean - ref) / se, np.where(gap == 0, 0.0, np.inf))
    measured = {}
    for i in range(len(mean)):
        key = f"component {i}" if len(mean) > 1 else "value"
        measured[key] = Measured(value=repr(float(mean[i])), error=f"{se[i]:.3g}",
                                 claimed=repr(float(ref[i])))
    worst = int(np.argmax(np.abs(z)))
    summary = (f"mean over {len(policy.seeds)} seeds within {policy.k:g} SE + {policy.systematic:g} of "
               f"the reference (largest |z| = {abs(z[worst]):.2f})")
    verdict, outcome = "verified", "supported"
    if not ok.all():
        bad = int(np.flatnonzero(~ok)[0])
        summary = (f"refuted: component {bad}: mean {mean[bad]:.6g} +- {se[bad]:.2g} (SE) vs "
                   f"reference {ref[bad]:.6g}; gap {gap[bad]:.3g} > {policy.k:g} SE + "
                   f"{policy.systematic:g} = {bound[bad]:.3g}")
        verdict, outcome = "failed", "refuted"
    return Evidence(verdict, summary, outcome=outcome, methods=["mean and standard error over seeds"],
                    measured=measured, grid={"seeds": list(policy.seeds)},
                    details={"z": [float(x) for x in z], "k": policy.k, "systematic": policy.systematic},
                    runtime=time.perf_counter() - t0)
