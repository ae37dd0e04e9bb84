"""Worschech & Rosenow headlines (issue 14): the power-law exponent on ODE trajectories, the
escape-rate limit against the notes, the plateau length across L and K.  Each check refutes its
claim when a premise's value or a stated constant is wrong."""

import dataclasses
import math

import pytest
import sympy as sp
from threadpoolctl import threadpool_limits

from workbench_derivations import worschech_rosenow as W
from workbench import Derivation
from workbench.hashing import own_hash
from workbench.validate.dispatch import run_check


def _check(claim, **params):
    """``run_check`` of the claim with some parameters replaced (one BLAS thread, as in verify)."""
    wrong = dataclasses.replace(claim, params={**claim.params, **params})
    with threadpool_limits(1):
        return run_check(wrong)


def test_extrapolation_recovers_a_known_limit_within_its_error_bar():
    for beta in (0.5, 1.0, 2.0):
        Ls = (16, 32, 64)
        c = [0.04 + 0.3 * L ** -beta + 0.5 * L ** (-2 * beta) for L in Ls]
        est, err, ratio = W.extrapolate_power(Ls, c, beta)
        assert abs(est - 0.04) <= err, (beta, est, err)
        assert abs(ratio / 2 ** beta - 1) < 0.2
    with pytest.raises(ValueError, match="geometric"):
        W.extrapolate_power((16, 32, 48), [1.0, 0.5, 0.4], 1.0)


def test_measured_rate_reads_the_slope_of_alpha_p_in_log_delta():
    # alpha_P = ln(1/delta)/0.05 + 7 exactly: rate 0.05, no change between pairs
    deltas = (1e-6, 1e-8, 1e-10)
    rate, err = W._measured_rate([-math.log(d) / 0.05 + 7 for d in deltas], deltas)
    assert abs(rate - 0.05) < 1e-12 and err < 1e-12


def test_escape_statement_carries_the_stated_limits():
    text = W.D["escape-rate-vs-L"].statement.text()
    for value in W.C_INF.values():
        assert value in text
    assert W.D["escape-rate-vs-L"].params["c_inf"] == {str(b): v for b, v in W.C_INF.items()}


def test_the_notes_limit_as_c_inf_refutes_escape_rate_vs_L():
    claim = W.D["escape-rate-vs-L"]
    ev = _check(claim, c_inf={**claim.params["c_inf"], "1.0": str(W.NOTES_C_LIMIT)})
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary
    # the measured limit is reported beside the (wrong) stated one
    assert ev.measured["c_inf(beta=1)"].claimed == "0.044"
    assert abs(float(ev.measured["c_inf(beta=1)"].value) - float(W.C_INF[1.0])) < 3e-6


@pytest.mark.long
def test_a_wrong_c_inf_at_beta_one_half_refutes_escape_rate_vs_L(long_form):
    claim = W.D["escape-rate-vs-L"]
    ev = _check(claim, c_inf={**claim.params["c_inf"], "0.5": "0.0320"})
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary


@pytest.mark.long
def test_a_wrong_escape_rate_refutes_plateau_length_grid(long_form):
    claim = W.D["plateau-length-grid"]
    assert claim.statement.text().count("0.142570") == 1
    # one rate 1e-4 (relative) off
    ev = _check(claim, rates={**claim.params["rates"], "3,4": "0.104343"})
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary
    assert ev.measured["lambda_esc/eta (ODE), K=3, L=4"].claimed == "0.104343"


def _premise_copy(premise, value):
    """A claim with the premise's id and statement but the given value (a throwaway derivation)."""
    T = Derivation(premise.topic)
    return T.add(premise.name, premise.statement, kind=premise.kind, check=premise.check,
                 params=premise.params, value=value)


def test_linear_ode_exponent_reads_its_exponent_from_the_premise():
    premise = W.D["linear-power-law"]
    assert premise.value == {"exponent": -W.BETA / (1 + W.BETA)}
    rebuilt = W.declare_ode_exponent(Derivation("worschech_rosenow"),
                                     ["linear-closed-form", _premise_copy(premise, premise.value)])
    built_in = W.D["linear-ode-exponent"]
    assert rebuilt.statement.text() == built_in.statement.text()
    assert "-1/3, -1/2, -2/3" in built_in.statement.text()


def test_a_wrong_premise_exponent_changes_and_refutes_linear_ode_exponent():
    premise = W.D["linear-power-law"]
    wrong = _premise_copy(premise, {"exponent": -W.BETA / (2 + W.BETA)})
    claim = W.declare_ode_exponent(Derivation("worschech_rosenow"), ["linear-closed-form", wrong])
    good = W.D["linear-ode-exponent"]
    assert claim.id == good.id and claim.statement.text() != good.statement.text()
    assert own_hash(claim) != own_hash(good)
    with threadpool_limits(1):
        ev = run_check(claim)
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary
    # the measured limit at beta = 1 is -1/2 within its error bar; the premise said -1/3
    limit = ev.measured["limit L -> oo, beta=1"]
    assert abs(float(limit.value) + 0.5) < 3 * float(limit.error) and limit.claimed == "-0.33333"
    assert sp.Rational(-1, 3) == wrong.value["exponent"].subs(W.BETA, 1)
