"""Built-in derivations `sphere_targets` and `ntk_loss`: the xi chain for the ReLU NTK."""

import dataclasses

import mpmath as mp
import pytest
import sympy as sp

from workbench_derivations import ntk_loss as N

from workbench.graph import build_graph, statuses, why
from workbench.loading import load
from workbench.validate.dispatch import run_check


def test_leading_constant_from_premises_equals_the_degree_form():
    # index-order (Lambda, K) and degree-wise (C_d, tail) give the same constant: the
    # ((d-1)!/2) factors cancel
    for d in (2, 3, 4):
        C = 2 ** (d - 1) * sp.gamma(sp.Rational(d, 2)) ** 2 / sp.pi ** 2
        degree_form = (C / (4 * sp.factorial(d - 2)) * sp.gamma(1 + sp.Rational(1, d))
                       * (2 * C * N.t) ** sp.Rational(-1, d))
        leading = N.D[f"xi-relu-ntk-bias-hemisphere-d{d}"].statement.leading
        assert sp.simplify(leading / degree_form - 1) == 0


def test_exact_loss_at_large_t_is_close_to_the_prediction():
    with mp.workdps(30):
        L = N.hemisphere_loss(10 ** 9, 3)
        leading = N.D["xi-relu-ntk-bias-hemisphere-d3"].statement.leading
        lead = mp.mpf(sp.N(leading.subs(N.t, 10 ** 9), 30))
    assert 0 < abs(L / lead - 1) < 1e-12


def test_a_broken_kernel_exponent_blocks_the_loss_exponent_claims():
    claims = load(builtin=True)
    by_id = {c.id: c for c in claims}
    pid = "kernel_spectra/relu_ntk_bias-decay-odd-d3"
    good = by_id[pid]
    k = good.statement.variable
    # edit the kernel exponent: mu_k ~ C k^-4 instead of k^-3
    broken = dataclasses.replace(good, statement=dataclasses.replace(
        good.statement, leading=good.statement.leading * k ** -1))
    ev = run_check(broken)
    assert ev.verdict == "failed" and ev.outcome == "refuted"
    claims = [broken if c.id == pid else c for c in claims]
    G = build_graph(claims)
    own = {c.id: "verified" for c in claims}
    own[pid] = ev.verdict
    status = statuses(G, own)
    xi = "ntk_loss/xi-relu-ntk-bias-hemisphere-d3"
    assert status[xi] == "blocked"
    assert [pid, xi] in why(G, own, xi) or any(ch[0] == pid and ch[-1] == xi for ch in why(G, own, xi))
    # the other dimensions do not depend on it
    assert status["ntk_loss/xi-relu-ntk-bias-hemisphere-d2"] == "verified"


@pytest.mark.slow
def test_sphere_targets_and_ntk_loss_claims_verify_short_form(verified):
    report = verified(["sphere_targets/jump-coefficients-d3", "sphere_targets/jump-tail-d3-a3o10-m0",
                       "ntk_loss/no-bias-plateau-d3", "ntk_loss/xi-relu-ntk-bias-hemisphere-d2"])
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad


@pytest.mark.long
def test_sphere_targets_and_ntk_loss_claims_verify(verified):
    report = verified(["sphere_targets", "ntk_loss"])
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad


@pytest.mark.slow
def test_bahri_regimes_claims_verify(verified):
    # about 20 s with 2 workers: the full module also in the short form
    report = verified(["bahri_regimes"])
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
