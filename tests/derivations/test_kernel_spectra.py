"""The built-in derivation `kernel_spectra`: structure and verification."""

import os

import pytest

from workbench_derivations import kernel_spectra as K
from workbench import build_graph, premises, verify
from workbench.loading import load


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


@pytest.mark.slow
def test_kernel_spectra_claims_verify():
    """All of them; with WORKBENCH_SHORT=1 (CI) the d <= 4 ones and everything they use."""
    short = os.environ.get("WORKBENCH_SHORT") == "1"
    ids = (["kernel_spectra/*-d2", "kernel_spectra/*-d3", "kernel_spectra/*-d4",
            "kernel_spectra/bietti-bach-constant"] if short else ["kernel_spectra"])
    report = verify(load(builtin=True), ids, jobs=2)
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
    assert report["kernel_spectra/bietti-bach-constant"].evidence.digits >= 20
