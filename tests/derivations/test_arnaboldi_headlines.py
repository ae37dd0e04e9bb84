"""Arnaboldi et al. headlines (issue 14): random-student collapse, the mean-field limit, the
noise-dominated regime with SGD, and the measured regime map.  Each claim is refuted when a
typed constant or the reference it is compared with is wrong; the exchangeable reduction that
serves as the mean-field reference equals the compiled p x p ODE at finite p."""

import math

import numpy as np
import pytest

from workbench import Derivation
from workbench.errors import InvalidParameter
from workbench.teacher_student.dimensionless import integrate_dimensionless
from workbench.teacher_student.exchangeable import exchangeable_risk
from workbench.validate.dispatch import run_check
from workbench_derivations import arnaboldi as A


def _rebuilt(name, **params):
    """The built-in claim's statement and check, with other parameters (a throwaway derivation)."""
    claim = A.D[name]
    assert set(params) <= set(claim.params), params
    return Derivation("arnaboldi").add(name, claim.statement, check=claim.check, kind=claim.kind,
                                       params={**claim.params, **params})


def _refuted(claim):
    ev = run_check(claim)
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary
    return ev


@pytest.mark.parametrize("p", [3, 5])
def test_the_exchangeable_reduction_is_the_full_ode_at_finite_p(p):
    a, b, m, k, x, noise = 0.6, 0.15, 0.2, 2, 0.3, 0.4
    times = [0.5, 2.0]
    Q0 = np.full((p, p), b) + (a - b) * np.eye(p)
    full = integrate_dimensionless(p=p, k=k, gamma=x * p, Q0=Q0, M0=np.full((p, k), m), noise=noise,
                                   times=times).risk
    reduced = exchangeable_risk(p=p, k=k, x=x, a=a, b=b, m=m, times=times, noise=noise)
    assert np.max(np.abs(reduced - full)) < 1e-9
    # and the p = inf limit differs from both (the limit is not the finite-p system)
    limit = exchangeable_risk(p=math.inf, k=k, x=x, a=a, b=b, m=m, times=times, noise=noise)
    assert np.min(np.abs(limit - full)) > 1e-3


@pytest.mark.parametrize("p, a, b, m", [(4, 0.5, 0.6, 0.1), (math.inf, 0.5, 0.01, 0.1), (1, 1.0, 0.0, 0.0)])
def test_a_start_that_is_no_covariance_is_refused(p, a, b, m):
    with pytest.raises(InvalidParameter):
        exchangeable_risk(p=p, k=2, x=0.1, a=a, b=b, m=m, times=[1.0])


def test_random_collapse_is_refuted_at_fixed_gamma_instead_of_fixed_gamma_over_p():
    ev = _refuted(_rebuilt("random-collapse", lr_exponent=0.0))
    # at fixed gamma the widths p = 8, 16 run at gamma/p = 1/8, 1/16: their curves part by far more than 15%
    assert float(ev.measured["max |R_8 - R_16|/R_16"].value) > 0.3


def test_mean_field_limit_is_refuted_by_a_large_p_ode_without_the_noise_term():
    ev = _refuted(_rebuilt("mean-field-limit", reference_noise=0.0))
    limit = ev.measured["R_inf(t=4)"]
    assert abs(float(limit.value) - float(limit.claimed)) > 100 * float(limit.error)


def test_noise_dominated_sgd_is_refuted_by_a_ten_percent_smaller_label_noise():
    claim = A.D["noise-dominated-sgd"]
    wrong = Derivation("arnaboldi").agreement(
        "noise-dominated-sgd", estimate=A.sgd_floors, reference=lambda: A.ode_floors(noise=0.45),
        seeds=range(16), k=3.5)
    assert claim.statement.estimate is A.sgd_floors
    _refuted(wrong)


def test_regime_map_is_refuted_when_the_diagram_says_otherwise():
    # the noise-dominated path typed as the Saad-Solla line
    _refuted(_rebuilt("regime-map", diagram=((0.0, -0.3, "blue"),)))


def test_the_measured_label_reads_the_exponent_with_its_error():
    ds = A.REGIME["ds"]
    assert A.measured_label(np.array([1.0, 1.0, 1.0]))[2] == "constant"
    assert A.measured_label(np.array([float(d) ** 0.3 for d in ds]))[2] == "grows"
    assert A.measured_label(np.array([float(d) ** -0.5 for d in ds]))[2] == "vanishes"
    # a bent curve whose local exponents straddle the band is not labelled
    assert A.measured_label(np.array([1.0, 1.0, 4.0 ** 0.25]))[2] == "undecided"
