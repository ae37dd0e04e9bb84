"""Values along edges in the xi chain: ntk_loss builds xi and the loss law from its premises' values.

A throwaway derivation declares a copy of a premise (same id, same statement) whose value is
changed, and the dependents are declared on it with the same builder as the built-in ones
(:func:`derivations.ntk_loss.declare_xi_claims`): the dependent's statement and hash change,
and its check refutes it.
"""

import dataclasses

import pytest
import sympy as sp

from workbench_derivations import ntk_loss as N
from workbench_derivations import sphere_targets as ST
from workbench import Derivation, Extrapolation, Grid
from workbench.hashing import own_hash
from workbench.validate.dispatch import run_check

R = sp.Rational


def _copy(premise, value):
    """A claim with the premise's id and statement but the given value (a throwaway derivation)."""
    topic, name = premise.id.split("/", 1)
    T = Derivation(topic)
    return T.add(name, premise.statement, kind=premise.kind, validator=premise.validator,
                 params=premise.params, value=value)


def _declare(d, spectrum, target):
    return N.declare_xi_claims(Derivation("ntk_loss"), d, spectrum, target,
                               uses=[f"odd-eigenvalues-d{d}", f"kernel_spectra/relu_ntk_bias-decay-odd-d{d}",
                                     "velikanov_yarotsky/xi-3o2_1_1_1"])


def test_xi_claims_read_nu_and_kappa_from_the_premises():
    for d in N.XI_DIMENSIONS:
        nu = N.spectrum_premise(d).value["nu"]
        kappa = N.target_premise(d).value["kappa"]
        assert (nu, kappa) == (1 + R(1, d - 1), R(1, d - 1))
        xi = N.D[f"xi-exponent-d{d}"]
        assert xi.statement.lhs == kappa / nu and xi.value == R(1, d)
        law = N.D[f"xi-relu-ntk-bias-hemisphere-d{d}"].statement
        assert sp.simplify(law.leading.diff(N.t) * N.t / law.leading + R(1, d)) == 0


def test_the_built_in_claims_equal_a_rebuild_from_the_same_values():
    # the builder is deterministic: the same premise values give the same statements and hashes
    d = 3
    xi, law = _declare(d, _copy(N.spectrum_premise(d), N.spectrum_premise(d).value),
                       _copy(N.target_premise(d), N.target_premise(d).value))
    for rebuilt in (xi, law):
        built_in = N.D[rebuilt.name]
        assert rebuilt.statement.text() == built_in.statement.text()
        assert own_hash(rebuilt) == own_hash(built_in)


@pytest.mark.parametrize("which", ["nu", "kappa"])
def test_a_changed_premise_value_changes_and_refutes_xi_exponent(which):
    d = 3
    spectrum, target = N.spectrum_premise(d), N.target_premise(d)
    if which == "nu":
        spectrum = _copy(spectrum, {**spectrum.value, "nu": spectrum.value["nu"] + R(1, 10)})
    else:
        target = _copy(target, {**target.value, "kappa": target.value["kappa"] + R(1, 10)})
    xi, law = _declare(d, spectrum, target)
    good = N.D[f"xi-exponent-d{d}"]
    assert xi.id == good.id and xi.statement.lhs != good.statement.lhs
    assert own_hash(xi) != own_hash(good)
    ev = run_check(xi)
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary
    good_law = N.D[f"xi-relu-ntk-bias-hemisphere-d{d}"]
    assert law.statement.leading != good_law.statement.leading
    assert own_hash(law) != own_hash(good_law)


@pytest.mark.slow
def test_a_changed_nu_refutes_the_loss_law(long_form):
    d = 2
    spectrum = N.spectrum_premise(d)
    bad = _copy(spectrum, {**spectrum.value, "nu": spectrum.value["nu"] + R(1, 10)})
    _, law = _declare(d, bad, N.target_premise(d))
    if not long_form:   # a shorter grid: the exponent is off by 1/20
        law = dataclasses.replace(law, validator=Extrapolation(
            digits=10, dps=30, grid=Grid(start=16, ratio=2 ** d, points=10)))
    ev = run_check(law)
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary


def test_a_changed_degree_law_changes_the_index_tail_and_xi():
    # sphere_targets: the index-ordered tail is built from the degree law's value {C, p}
    d = 3
    decay = ST.D[f"hemisphere-energy-decay-d{d}"]
    assert decay.value == {"C": 1 / sp.pi, "p": 2}
    good = ST.D[f"hemisphere-index-tail-d{d}"]
    assert good.value == ST.index_tail_law(decay.value, d) and good.value["kappa"] == R(1, d - 1)
    bad_decay = _copy(decay, {**decay.value, "p": 3})
    T = Derivation("sphere_targets")
    tail = T.asymptotic(good.name, variable=good.statement.variable, subsequence=(2, 1),
                        sequence=good.statement.sequence,
                        leading=lambda p: ST.index_tail_law(p[decay.id], d)["K"] * ST.k ** 0,
                        value=lambda p: ST.index_tail_law(p[decay.id], d), uses=[bad_decay])
    assert tail.value["kappa"] == R(2, d - 1) and tail.statement.leading != good.statement.leading
    xi, _ = _declare(d, N.spectrum_premise(d), tail)
    assert xi.statement.lhs == R(2, d - 1) / (1 + R(1, d - 1))
    assert run_check(xi).outcome == "refuted"
