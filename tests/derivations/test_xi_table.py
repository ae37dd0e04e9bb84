"""xi_table: the xi table and the loss laws are built from the premises' values, and a wrong
premise value (or a wrong closed form) is refuted by the checks."""

import dataclasses

import mpmath as mp
import pytest
import sympy as sp

from workbench import Derivation
from workbench.kernels import eigenvalue, kernel, sphere_eigenvalue_quadrature
from workbench.validate.dispatch import run_check
from workbench_derivations import xi_table as X

R = sp.Rational


def _copy(premise, value):
    topic, name = premise.id.split("/", 1)
    return Derivation(topic).add(name, premise.statement, kind=premise.kind,
                                 validator=premise.validator, params=premise.params, value=value)


def test_arccos2_closed_form_matches_quadrature():
    with mp.workdps(30):
        for d in (2, 3, 5):
            for kk in range(7):
                exact = eigenvalue(kernel("arccos2"), d, kk)
                quad = sphere_eigenvalue_quadrature(kernel("arccos2"), d, kk)
                assert abs(exact - quad) < mp.mpf(10) ** -25


def test_xi_table_entries_are_kappa_over_nu_index():
    # xi = (1 + 2m)/(d - 1 + 2 nu): NNGP nu = s + 1/2, NTK nu = s - 1/2
    assert X.D["xi-arccos2-m2-d3"].value["xi"] == R(5, 7)
    assert X.D["xi-relu2_ntk_bias-m1-d4"].value["xi"] == R(3, 6)
    assert X.D["xi-relu_ntk_bias-m0-d3"].value["xi"] == R(1, 3)
    assert not X.law_applies("arccos1", 0) and not X.law_applies("arccos0", 1)


@pytest.mark.parametrize("which", ["kernel", "target"])
def test_a_wrong_premise_exponent_refutes_the_xi_claim(which):
    kid, tid = X.premise_ids("relu2_ntk_bias", 1, 3)
    kern, target = X.premise(kid), X.premise(tid)
    if which == "kernel":
        kern = _copy(kern, {**kern.value, "p": kern.value["p"] + 1})
    else:
        target = _copy(target, {**target.value, "p": target.value["p"] + 2})
    T = Derivation("xi_table")
    claim = T.equality("xi-relu2_ntk_bias-m1-d3", lambda p: X.xi_from(p, kid, tid),
                       X.xi_closed_form("relu2_ntk_bias", 1, 3), uses=[kern, target])
    assert run_check(claim).outcome == "refuted"


def test_a_wrong_premise_constant_refutes_the_loss_law():
    built = X.D["loss-arccos1-m1-d2"]
    kid, tid = X.premise_ids("arccos1", 1, 2)
    kern = _copy(X.premise(kid), {**X.premise(kid).value, "C": X.premise(kid).value["C"] * R(11, 10)})
    target = X.premise(tid)
    claim = Derivation("xi_table").asymptotic(
        "loss-arccos1-m1-d2", sequence=lambda tt: X.exact_loss(tt, "arccos1", 1, 2), variable=X.t,
        leading=lambda p: X.leading_from(p, kid, tid), corrections=built.statement.corrections,
        uses=[kern, target],
        # 5 nodes instead of 8 (half the CPU): the correct premise is only inconclusive there, the
        # 10% wrong one is refuted, so the test still tells a premise that flows from one that does not
        validator=dataclasses.replace(built.validator, grid=dataclasses.replace(built.validator.grid, points=5),
                                      extra_points=1))
    assert run_check(claim).outcome == "refuted"


def test_a_wrong_energy_constant_refutes_the_target_decay():
    built = X.D["equator-jump-m2-energy-decay-d3"]
    stmt = dataclasses.replace(built.statement, leading=built.statement.leading * R(21, 20))
    assert run_check(dataclasses.replace(built, statement=stmt)).outcome == "refuted"


def _report(claims, status="verified"):
    from types import SimpleNamespace
    return SimpleNamespace(results={c.id: SimpleNamespace(claim=c, status=status) for c in claims})


def test_latex_export_tabulates_xi_from_the_claims_values():
    from workbench.export.latex import LatexExporter
    claims = [c for c in X.D.claims if c.name.startswith("xi-")]
    tex = LatexExporter(graphviz=False).xi_table(_report(claims), "xi_table")
    assert r"\begin{tabular}{llccc}" in tex and "$d=2$ & $d=3$ & $d=4$" in tex
    row = next(line for line in tex.splitlines() if line.startswith(r"\texttt{arccos2} & 2 &"))
    assert row.split("&")[2:] == [r" $\frac{5}{6}$ ", r" $\frac{5}{7}$ ", r" $\frac{5}{8}$ \\"]
    # a kernel that misses the target's parity has no row; a claim's value, not a retyped number
    assert r"\texttt{arccos1} & 0" not in tex
    wrong = _copy(claims[0], {"xi": R(7, 3)})
    assert "$\\frac{7}{3}$" in LatexExporter(graphviz=False).xi_table(_report([wrong]), "xi_table")
    assert LatexExporter(graphviz=False).xi_table(_report(claims), "ntk_loss") == ""


def test_latex_xi_table_marks_claims_that_are_not_verified():
    from workbench.export.latex import LatexExporter
    claims = [X.D["xi-arccos1-m1-d3"]]
    tex = LatexExporter(graphviz=False).xi_table(_report(claims, status="failed"), "xi_table")
    assert r"$\frac{3}{5}$\,(failed)" in tex
