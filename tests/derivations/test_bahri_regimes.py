"""bahri_regimes: the exponents come from the premises and the simulations are held against the
laws directly; a wrong premise value or a wrong typed exponent is refuted.

A throwaway derivation declares a copy of a premise (same id, same statement) with a changed
value, and the dependent is rebuilt on it with the same arguments as the built-in one.
"""

import dataclasses

import numpy as np
import pytest
import sympy as sp

from threadpoolctl import threadpool_limits

from workbench import Derivation
from workbench.hashing import own_hash
from workbench.kernels import eigenvalue, kernel, multiplicity
from workbench.scaling.sphere_regression import relu_ntk_bias, relu_ntk_bias_spectrum
from workbench.validate.dispatch import run_check
from workbench_derivations import bahri_regimes as B

R = sp.Rational


def _copy(premise, value):
    """A claim with the premise's id and statement but the given value (a throwaway derivation)."""
    topic, name = premise.id.split("/", 1)
    T = Derivation(topic)
    return T.add(name, premise.statement, kind=premise.kind, validator=premise.validator,
                 params=premise.params, value=value)


def test_the_spectrum_in_double_precision_is_the_closed_form():
    ntk = kernel("relu_ntk_bias")
    for d in (2, 3, 5):
        mu, mult = relu_ntk_bias_spectrum(d, 30)
        ref = np.array([float(eigenvalue(ntk, d, k)) for k in range(31)])
        assert np.max(np.abs(mu / ref - 1)) < 1e-12
        assert [int(m) for m in mult] == [int(multiplicity(d, k)) for k in range(31)]
    u = np.linspace(-1, 1, 9)
    assert np.allclose(relu_ntk_bias(u), [float(ntk(x)) for x in u], rtol=1e-14, atol=1e-15)


def test_the_ntk_exponent_is_read_from_the_premise():
    for d in (2, 3):
        claim = B.D[f"ntk-sphere-resolution-limited-d{d}"]
        nu = B.ntk_premise(d).value["nu"]
        assert nu == 1 + R(1, d - 1)
        assert claim.value == {"alpha": R(1, d - 1)}
        assert sp.latex(R(1, d - 1)) in claim.statement.text()


def test_the_built_in_ntk_claim_equals_a_rebuild_from_the_same_value():
    d = 3
    rebuilt = B.declare_ntk_claim(Derivation("bahri_regimes"), d,
                                  _copy(B.ntk_premise(d), B.ntk_premise(d).value))
    good = B.D[f"ntk-sphere-resolution-limited-d{d}"]
    assert rebuilt.statement.text() == good.statement.text() and own_hash(rebuilt) == own_hash(good)


def test_a_wrong_nu_changes_and_refutes_the_ntk_exponent():
    d = 2
    good = B.D[f"ntk-sphere-resolution-limited-d{d}"]
    premise = B.ntk_premise(d)
    wrong = _copy(premise, {**premise.value, "nu": premise.value["nu"] + R(1, 10)})
    bad = B.declare_ntk_claim(Derivation("bahri_regimes"), d, wrong)
    assert bad.id == good.id and bad.value == {"alpha": R(11, 10)}
    assert bad.statement.text() != good.statement.text()
    assert own_hash(bad) != own_hash(good)
    with threadpool_limits(1):        # as workbench verify runs checks (isolation.py)
        ev = run_check(bad)
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary


def test_the_teacher_average_is_the_trace_of_the_quadratic_form():
    # the loss is omega^T A omega: its average over omega ~ N(0, I) is sum_i L(e_i), each L(e_i)
    # from random_features' own loss with the same samples and projection
    import math
    from workbench.scaling.random_features import _loss, standard_normal
    from workbench.scaling.rf_teacher_average import rf_averaged_trials_grid
    from workbench.scaling.ridge import power_law_features
    lam = power_law_features(40, 0.7)
    sq = np.sqrt(lam)
    pairs = [(10, math.inf), (math.inf, 10), (10, 30), (30, 10)]
    averaged = rf_averaged_trials_grid([5], pairs, lam)[:, 0]
    _, r_x, r_w = (np.random.default_rng(s) for s in np.random.SeedSequence(5).spawn(3))
    W = standard_normal(r_w, 30, 40)
    X = standard_normal(r_x, 30, 40) * sq
    for (Dn, Pn), value in zip(pairs, averaged):
        trace = sum(_loss(lam, sq, e, X, W, X @ e, X @ W.T, Dn, Pn, 0.0) for e in np.eye(40))
        assert value == pytest.approx(trace, rel=1e-10)


def test_a_wrong_variance_exponent_is_refuted():
    good = B.D["variance-limited-P"]
    assert good.params["exponent"] == -1
    bad = dataclasses.replace(good, params={**good.params, "exponent": -0.9})
    with threadpool_limits(1):        # as workbench verify runs checks (isolation.py)
        ev = run_check(bad)
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary
    assert "|s - (-0.9)|" in ev.summary


def test_a_wrong_resolution_exponent_is_refuted():
    good = B.D["resolution-limited-D-alpha1"]
    assert good.params["exponent"] == -1.0
    bad = dataclasses.replace(good, params={**good.params, "exponent": -0.9})
    with threadpool_limits(1):        # as workbench verify runs checks (isolation.py)
        ev = run_check(bad)
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary
