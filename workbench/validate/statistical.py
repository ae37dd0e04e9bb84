"""Validator for :class:`~workbench.statements.Agreement`: a noisy estimate
(e.g. a simulation over seeds) against a reference computation (e.g. an ODE).

For each component, with ``x_s`` the estimate for seed ``s``:
``mean = (1/S) sum_s x_s``, ``SE = std(x, ddof=1) / sqrt(S)``, and the claim
holds when ``|mean - reference| <= k SE + systematic``.  The evidence records
mean, SE, reference and the z-score ``(mean - reference)/SE`` per component.
"""

from __future__ import annotations

import time

import numpy as np

from ..errors import SequenceError
from ..evidence import Evidence, Measured
from ..statements import Agreement

__all__ = ["validate_agreement"]


def _as_array(value, what):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise SequenceError(f"{what} returned {value!r}, not a number or array of numbers") from None
    if not np.all(np.isfinite(arr)):
        raise SequenceError(f"{what} returned non-finite values: {arr}")
    return np.atleast_1d(arr)


def validate_agreement(stmt: Agreement, params: dict | None = None) -> Evidence:
    """Mean and standard error over seeds against the reference."""
    params = params or {}
    t0 = time.perf_counter()
    samples = np.array([_as_array(stmt.estimate(seed, **params), f"estimate(seed={seed})")
                        for seed in stmt.seeds])
    ref_raw = stmt.reference(**params) if callable(stmt.reference) else stmt.reference
    ref = _as_array(ref_raw, "reference")
    if ref.shape != samples.shape[1:]:
        raise SequenceError(f"reference has shape {ref.shape} but estimates have shape "
                            f"{samples.shape[1:]}")
    mean = samples.mean(axis=0)
    se = samples.std(axis=0, ddof=1) / np.sqrt(len(stmt.seeds))
    gap = np.abs(mean - ref)
    bound = stmt.k * se + stmt.systematic
    ok = gap <= bound
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (mean - ref) / se, np.where(gap == 0, 0.0, np.inf))
    measured = {}
    for i in range(len(mean)):
        key = f"component {i}" if len(mean) > 1 else "value"
        measured[key] = Measured(value=repr(float(mean[i])), error=f"{se[i]:.3g}",
                                 claimed=repr(float(ref[i])))
    worst = int(np.argmax(np.abs(z)))
    summary = (f"mean over {len(stmt.seeds)} seeds within {stmt.k:g} SE + {stmt.systematic:g} of "
               f"the reference (largest |z| = {abs(z[worst]):.2f})")
    verdict, outcome = "verified", "supported"
    if not ok.all():
        bad = int(np.flatnonzero(~ok)[0])
        summary = (f"refuted: component {bad}: mean {mean[bad]:.6g} +- {se[bad]:.2g} (SE) vs "
                   f"reference {ref[bad]:.6g}; gap {gap[bad]:.3g} > {stmt.k:g} SE + "
                   f"{stmt.systematic:g} = {bound[bad]:.3g}")
        verdict, outcome = "failed", "refuted"
    return Evidence(verdict, summary, outcome=outcome, methods=["mean and standard error over seeds"],
                    measured=measured, grid={"seeds": list(stmt.seeds)},
                    details={"z": [float(x) for x in z], "k": stmt.k, "systematic": stmt.systematic},
                    runtime=time.perf_counter() - t0)
