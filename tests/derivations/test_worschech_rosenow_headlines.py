"""Worschech & Rosenow headlines (issue 14): the escape-rate limit against the notes, the plateau
length across L and K.  Each check refutes its claim when a stated constant is wrong."""

import dataclasses

import pytest
from threadpoolctl import threadpool_limits

from workbench_derivations import worschech_rosenow as W
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
    with pytest.raises(ValueError, match="doubling"):
        W.extrapolate_power((16, 32, 48), [1.0, 0.5, 0.4], 1.0)


def test_measured_rate_reads_the_slope_of_alpha_p_in_log_delta():
    # alpha_P = ln(1/delta)/0.05 + 7 exactly: rate 0.05, no change between pairs
    deltas = (1e-6, 1e-8, 1e-10)
    rate, err = W._measured_rate([-__import__("math").log(d) / 0.05 + 7 for d in deltas], deltas)
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
