"""kernel_spectra claims whose checks used to be unable to fail (issue 14): each computes
something independent of its statement, and a wrong constant is refuted."""

import dataclasses

import pytest
import sympy as sp

from workbench_derivations import kernel_spectra as K
from workbench import Derivation
from workbench.validate.dispatch import run_check


def test_erf_ratio_limit_is_extrapolated_not_read_at_one_node():
    ev = run_check(K.D["erf-no-power-law"])
    assert ev.verdict == "verified", ev.summary
    # the last node alone is 1.4e-4 off: a 7% (or 1e-3) tolerance would pass wrong limits
    assert "last gap 0.000142" in ev.summary


def test_a_wrong_erf_ratio_limit_is_refuted():
    for wrong in (K.ERF_RATIO_LIMIT * (1 + sp.Rational(1, 10 ** 9)),    # off by 1e-9
                  (3 - sp.sqrt(5)) / 2):                                  # rho^-1 for rho^-2
        claim = K.declare_erf_ratio(Derivation("kernel_spectra"), limit=wrong)
        ev = run_check(claim)
        assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary


def test_the_erf_endpoint_analysis_finds_no_power_law():
    assert run_check(K.D["erf_ntk-endpoint-analysis"]).verdict == "verified"


def test_the_gram_rate_band_is_statistical_only():
    for name, d in K.GRAM_CASES:
        policy = K.D[f"{name}-gram-d{d}"].validator
        assert policy.systematic == 0 and policy.k == K.GRAM_K


@pytest.mark.slow
def test_a_wrong_gram_rate_is_refuted(long_form):
    # relu_ntk_bias, d=3: slope -1.009 +- 0.035 (6 seeds); -1.2 and n^-1/2 (what gram.py used
    # to say) are both outside 3.5 standard errors (~8 s each)
    for wrong in (-1.2, -0.5) if long_form else (-1.2,):
        claim = K.declare_gram(Derivation("kernel_spectra"), "relu_ntk_bias", 3, reference=wrong)
        ev = run_check(claim)
        assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary


def test_the_printed_constant_as_transcribed_is_half_the_computed_one():
    ev = run_check(K.D["bietti-bach-constant"])
    assert ev.verdict == "verified", ev.summary
    # d- and nu-independent: the instances span nu = 1/3..5/2 and d = 2..10
    nus = {case[4] for case in K.BB_CASES}
    ds = {case[5] for case in K.BB_CASES}
    assert len(nus) >= 4 and {2, 3, 4, 5, 7, 10} <= ds


def test_a_printed_constant_taken_at_face_value_is_refuted():
    # if the transcribed formula were right (ratio 1, not 2), the instances and the symbolic
    # comparison would fail
    claim = K.D["bietti-bach-constant"]
    face_value = dataclasses.replace(claim, statement=dataclasses.replace(claim.statement, rhs=sp.Integer(1)))
    assert run_check(face_value).outcome == "refuted"
    for instance in (K.BB_INSTANCES[0], K.BB_INSTANCES[-1]):      # (1-u)^(1/2), d=2; arccos0, d=10
        wrong = dataclasses.replace(instance, statement=dataclasses.replace(
            instance.statement, leading=sp.Integer(1) * K.k ** 0))
        ev = run_check(wrong)
        assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary
