"""The built-in derivation `kernel_spectra`: structure and verification."""


import mpmath as mp
import pytest
import sympy as sp

from workbench_derivations import kernel_spectra as K
from workbench import Agree, Equality, MalformedStatement, RandomPoints, build_graph, premises
from workbench.loading import load
from workbench.validate import validate_agree
from workbench.validate.equality import validate_equality


def test_every_decay_claim_rests_on_the_theorem_and_the_exact_values():
    G = build_graph(load(builtin=True))
    for d in K.DIMENSIONS:
        pre = premises(G, f"kernel_spectra/relu_ntk-decay-even-d{d}")
        assert {"kernel_spectra/singularity-decay-theorem", "kernel_spectra/one-endpoint-integral",
                f"kernel_spectra/relu_ntk-exact-d{d}", "kernel_spectra/relu_ntk-endpoint-analysis",
                "asymptotics/gamma-ratio-1o2_0"} <= pre


def test_both_parities_only_for_the_kernel_with_bias():
    ids = {c.id for c in K.D}
    assert "kernel_spectra/relu_ntk_bias-decay-odd-d5" in ids
    assert "kernel_spectra/relu_ntk-decay-odd-d5" not in ids     # odd mu_k vanish for k >= 3


def test_the_theorem_rests_on_ten_asymptotic_instances_of_the_integral():
    theorem = K.D["singularity-decay-theorem"]
    instances = [c for c in K.D if c.name.startswith("singularity-decay-nu")]
    assert len(instances) == 2 * len(K.THEOREM_CASES) == 10
    assert {c.id for c in instances} <= set(theorem.uses)
    for c in instances:
        assert c.shape == "asymptotic"
        assert {"kernel_spectra/one-endpoint-integral", *K.GAMMA_PREMISES} <= set(c.uses)


def test_exact_claims_compare_k_0_to_8_to_25_digits_with_exact_zeros():
    exact = [c for c in K.D if "-exact-d" in c.name]
    assert len(exact) == 81
    for c in exact:
        assert isinstance(c.statement, Agree)
        assert c.statement.digits >= 25 and c.statement.zero_scale == 1
        assert [p["k"] for p in c.statement.over] == list(range(K.SMALL_K + 1))


def test_a_closed_form_off_by_1e_20_is_refuted_by_the_quadrature():
    """The quadrature side follows the working precision, so the exact claims can refute."""
    def wrong(k, name, d):
        return K.closed_form_eigenvalue(k, name, d) * (1 + mp.mpf(10) ** -20)
    stmt = Agree(wrong, K.quadrature_eigenvalue, over=[{"k": 4}], digits=25)
    ev = validate_agree(stmt, {"name": "arccos1", "d": 3}, K.EXACT_PRECISIONS)
    assert ev.outcome == "refuted"
    assert 19 < ev.digits < 21


def test_a_parity_zero_is_exact_and_the_quadrature_vanishes_to_25_digits():
    stmt = K.D["relu_ntk-exact-d3"].statement
    stmt = Agree(stmt.lhs, stmt.rhs, over=[{"k": 3}], digits=25)   # odd k >= 3: mu_k = 0
    with mp.workdps(35):
        assert K.closed_form_eigenvalue(3, "relu_ntk", 3) == 0
    ev = validate_agree(stmt, {"name": "relu_ntk", "d": 3}, K.EXACT_PRECISIONS)
    assert ev.verdict == "verified"


def test_the_theorem_constant_is_read_from_the_integral_value():
    lhs = K.D["singularity-decay-theorem"].statement.lhs
    assert lhs == K.theorem_constant_from_integral({"one-endpoint-integral": K.ONE_ENDPOINT})
    doubled = K.theorem_constant_from_integral({"one-endpoint-integral": 2 * K.ONE_ENDPOINT})
    assert sp.simplify(doubled / lhs) == 2
    with pytest.raises(MalformedStatement):
        K.theorem_constant_from_integral({"one-endpoint-integral": K.ONE_ENDPOINT * K.k})


def test_the_theorem_equality_refutes_the_constant_printed_by_bietti_bach():
    stmt = K.D["singularity-decay-theorem"].statement
    half = Equality(stmt.lhs, stmt.rhs / 2, domain=stmt.domain)      # the published constant
    assert validate_equality(half, RandomPoints()).outcome == "refuted"


def test_mercer_sum_follows_the_working_precision():
    with mp.workdps(60):
        total, target = K.mercer_sum(3, "exponential"), K.kernel_at_one(3, "exponential")
        assert abs(total - mp.e) < mp.mpf(10) ** -57 and target == +mp.e


SHORT_FORM = ["kernel_spectra/*-d2", "kernel_spectra/*-d3", "kernel_spectra/bietti-bach-constant"]


@pytest.mark.slow
def test_kernel_spectra_claims_verify_short_form(verified):
    """The d <= 3 claims and everything they use."""
    report = verified(SHORT_FORM)
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
    assert report["kernel_spectra/bietti-bach-constant"].evidence.digits >= 20


@pytest.mark.long
def test_kernel_spectra_claims_verify(verified):
    report = verified(["kernel_spectra"])
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
    assert len(report.results) > 250


def test_the_quadrature_side_is_one_rule_per_precision_and_follows_it():
    """quadrature_eigenvalue shares one rule over k <= 8 per precision: its values at dps 35
    and 45 are distinct computations, each correct to its precision."""
    at = {}
    for dps in (35, 45):
        with mp.workdps(dps):
            at[dps] = [K.quadrature_eigenvalue(kk, "arccos1", 4) for kk in range(K.SMALL_K + 1)]
    with mp.workdps(60):
        exact = [K.closed_form_eigenvalue(kk, "arccos1", 4) for kk in range(K.SMALL_K + 1)]
        for dps, values in at.items():
            for kk, (q, e) in enumerate(zip(values, exact)):
                assert abs(q - e) <= mp.mpf(10) ** (2 - dps) * max(abs(e), 1), (dps, kk)
        assert any(a != b for a, b in zip(at[35], at[45]))
        odd = at[45][3]                                   # a parity zero, computed, not assumed
        assert odd != 0 and abs(odd) < mp.mpf(10) ** -40
