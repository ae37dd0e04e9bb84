"""The teacher-student derivations (saad_solla, worschech_rosenow, arnaboldi): structure and verification."""

import pytest

from workbench import build_graph, premises
from workbench.loading import load

TOPICS = ["saad_solla", "worschech_rosenow", "arnaboldi"]
# the heaviest checks (about 100 s of CPU together) are left to the long form; CI verifies every
# built-in claim after the tests (.ci/run), these included
HEAVY = ["saad_solla/ode-vs-sgd-N8000", "saad_solla/ode-sgd-gap-rate", "arnaboldi/sgd-collapse",
         "worschech_rosenow/erf-ode-exponent", "worschech_rosenow/plateau-length-grid",
         "arnaboldi/regime-map"]


def test_claims_rest_on_the_gaussian_averages():
    G = build_graph(load(builtin=True))
    for cid in ("saad_solla/plateau-length-K2-eta0.5", "worschech_rosenow/spectral-ode-vs-sgd",
                "arnaboldi/sgd-collapse"):
        assert "saad_solla/I3-erf" in premises(G, cid), cid


def _verify(verified, builtin_claims, heavy):
    ids = [c.id for c in builtin_claims if c.topic in TOPICS and (heavy or c.id not in HEAVY)]
    return verified(ids)


@pytest.mark.slow
def test_teacher_student_claims_verify_short_form(verified, builtin_claims):
    """Every claim but the heaviest (HEAVY)."""
    report = _verify(verified, builtin_claims, heavy=False)
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
    assert report["saad_solla/plateau-K2"].evidence.digits >= 30
    assert report["saad_solla/I4-erf-30-digits"].evidence.digits >= 30


@pytest.mark.long
def test_teacher_student_claims_verify(verified, builtin_claims):
    report = _verify(verified, builtin_claims, heavy=True)
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
    assert set(HEAVY) <= set(report.results)
