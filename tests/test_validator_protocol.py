"""The validator protocol: a registry of defaults, user validators, the conformance battery,
and values along edges."""

import pickle
from dataclasses import dataclass

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

from workbench import (Agree, Agreement, Asymptotic, Derivation, Equality, Evidence, Extrapolation,
                       FreeForm, Inequality, MalformedStatement, MeanWithinSE, RandomPoints,
                       TwoPrecisions, ValidatorBase, default_validator, run_check)
from workbench.graph import build_graph
from workbench.hashing import effective_hashes
from workbench.validate import UserCheck, has_default_validator, validator_for
from workbench.validate.conformance import ConformanceError, check_validator

n = sp.Symbol("n", positive=True, integer=True)
x = sp.Symbol("x", positive=True)


def harmonic_tail(k):
    return 1 / mp.mpf(k) + 1 / mp.mpf(k) ** 2


def slow(k):
    return (1 + 1 / mp.sqrt(k)) / k


def noisy_mean(seed, shift=0.0):
    return np.random.default_rng(seed).normal(1.0 + shift, 1.0, 400).mean()


def biased_mean(seed):
    return noisy_mean(seed, 0.3)


def gamma_quad(s):
    return mp.quad(lambda t: t ** (s - 1) * mp.exp(-t), [0, 1, mp.inf])


def gamma_off(s):
    return mp.gamma(s) * (1 + mp.mpf(10) ** -12)


def gamma_drifting(s):
    return mp.gamma(s) + mp.mpf(10) ** (-(mp.mp.dps - 25))


BUILT_IN = [
    pytest.param(Extrapolation(), dict(
        verified=Asymptotic(n, 1 / n, sequence=harmonic_tail),
        refuted=Asymptotic(n, 2 / n, sequence=harmonic_tail),
        inconclusive=Asymptotic(n, 1 / n, sequence=slow)), Extrapolation(digits=21),
        id="Extrapolation"),
    pytest.param(RandomPoints(), dict(
        verified=Equality(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1),
        refuted=Equality(sp.sin(x) ** 2, sp.cos(x)),
        inconclusive=Equality(sp.cosh(x) ** 2 - sp.sinh(x) ** 2, 1)), RandomPoints(seed=1),
        id="RandomPoints"),
    pytest.param(MeanWithinSE(seeds=range(12)), dict(
        verified=Agreement(noisy_mean, 1.0), refuted=Agreement(biased_mean, 1.0), inconclusive=None),
        MeanWithinSE(seeds=range(12), k=4), id="MeanWithinSE"),
    pytest.param(TwoPrecisions(), dict(
        verified=Agree(mp.gamma, gamma_quad, over=[mp.mpf(3) / 2, 4], digits=20),
        refuted=Agree(gamma_off, gamma_quad, over=[2], digits=20),
        inconclusive=Agree(gamma_drifting, mp.gamma, over=[2], digits=20)), TwoPrecisions(extra=15),
        id="TwoPrecisions"),
]


@pytest.mark.parametrize("validator, cases, variant", BUILT_IN)
def test_every_built_in_validator_passes_the_battery(validator, cases, variant):
    passed = check_validator(validator, variant=variant, **cases)
    assert "refusal" in passed and "pure" in passed


def test_the_registry_gives_each_statement_type_its_default():
    assert isinstance(default_validator(Asymptotic(n, 1 / n, sequence=harmonic_tail)), Extrapolation)
    assert isinstance(default_validator(Equality(x, x)), RandomPoints)
    assert isinstance(default_validator(Inequality(sp.Symbol("y", real=True) > 0)), RandomPoints)
    assert isinstance(default_validator(Agreement(noisy_mean, 1.0)), MeanWithinSE)
    assert isinstance(default_validator(Agree(mp.exp, mp.exp, over=[1])), TwoPrecisions)
    assert not has_default_validator(FreeForm("words"))
    with pytest.raises(MalformedStatement, match="no default validator for FreeForm"):
        default_validator(FreeForm("words"))


# -- a user's own validator, for an existing statement type -------------------------------------
@dataclass(frozen=True)
class SignOfLimit(ValidatorBase):
    """A second validator for Asymptotic statements: only the sign of a(n) at a few large n."""

    at: tuple = (10 ** 6, 10 ** 7)
    statement_types = (Asymptotic,)

    def check(self, statement, params):
        self._require(statement)
        c = float(statement.constant)
        with mp.workdps(30):
            signs = {mp.sign(statement.sequence(m, **params)) for m in self.at}
        ok = signs == {mp.sign(c)}
        return Evidence.judge(ok, f"sign of a(n) at {self.at}: {signs}", methods=["sign"])


class Broken:
    """Not a validator: has check() but no fingerprint()."""

    def check(self, statement, params):
        return Evidence("verified", "trust me")


def test_a_user_validator_replaces_the_default_and_enters_the_hash():
    D = Derivation("user-validator")
    a = D.asymptotic("a", variable=n, leading=1 / n, sequence=harmonic_tail, validator=SignOfLimit())
    b = D.asymptotic("b", variable=n, leading=1 / n, sequence=harmonic_tail,
                     validator=SignOfLimit(at=(10 ** 5,)))
    assert validator_for(a) is a.validator
    ev = run_check(a)
    assert ev.verdict == "verified" and ev.methods == ["sign"]
    G = build_graph(list(D))
    h = effective_hashes(G)
    assert h["user-validator/a"] != h["user-validator/b"]     # same statement, other settings


def test_a_user_validator_passes_the_battery():
    check_validator(SignOfLimit(), verified=Asymptotic(n, 1 / n, sequence=harmonic_tail),
                    refuted=Asymptotic(n, -1 / n, sequence=harmonic_tail), variant=SignOfLimit(at=(5,)))


def test_non_conforming_validators_are_refused_at_declaration():
    D = Derivation("bad-validator")
    with pytest.raises(MalformedStatement, match="no fingerprint"):
        D.asymptotic("a", variable=n, leading=1 / n, sequence=harmonic_tail, validator=Broken())
    with pytest.raises(MalformedStatement, match="RandomPoints does not check Asymptotic"):
        D.asymptotic("b", variable=n, leading=1 / n, sequence=harmonic_tail, validator=RandomPoints())
    with pytest.raises(MalformedStatement, match="no default validator"):
        D.add("c", "a sentence and no check")


@dataclass(frozen=True)
class Leaky(ValidatorBase):
    statement_types = (Equality,)

    def check(self, statement, params):
        mp.mp.dps = 50                 # the fault under test: global precision changed
        return Evidence("verified", "ok")


class Forgetful(SignOfLimit):
    def fingerprint(self):
        return "Forgetful"


def test_the_battery_catches_an_impure_validator():
    try:
        with pytest.raises(ConformanceError, match=r"\[pure\]"):
            check_validator(Leaky(), verified=Equality(x, x), refuted=Equality(x, x + 1))
    finally:
        mp.mp.dps = 15


def test_the_battery_catches_a_validator_that_ignores_its_settings():
    with pytest.raises(ConformanceError, match=r"\[protocol\].*same"):
        check_validator(Forgetful(), verified=Asymptotic(n, 1 / n, sequence=harmonic_tail),
                        refuted=Asymptotic(n, -1 / n, sequence=harmonic_tail), variant=Forgetful(at=(5,)))


def test_the_battery_catches_a_wrong_verdict():
    with pytest.raises(ConformanceError, match=r"\[verdicts\]"):
        check_validator(SignOfLimit(), verified=Asymptotic(n, 1 / n, sequence=harmonic_tail),
                        refuted=Asymptotic(n, 2 / n, sequence=harmonic_tail))   # same sign: not refuted


def test_user_checks_are_validators_too():
    v = UserCheck(lambda: True)
    assert v.check(FreeForm("x"), {}).verdict == "verified"
    assert pickle.loads(pickle.dumps(UserCheck(noisy_mean))).fingerprint() == UserCheck(noisy_mean).fingerprint()


# -- values along edges ---------------------------------------------------------------------------
def _chain(nu_value):
    D = Derivation("values")
    D.equality("nu", sp.Integer(3) / 2, nu_value, value=nu_value)
    D.equality("kappa", sp.Integer(1) / 2, sp.Integer(1) / 2, value=sp.Integer(1) / 2)
    xi = D.equality("xi", lambda p: p["kappa"] / p["nu"], sp.Rational(1, 3), uses=["nu", "kappa"])
    return D, xi


def test_a_dependent_reads_its_premises_values():
    D, xi = _chain(sp.Rational(3, 2))
    assert xi.statement.lhs == sp.Rational(1, 3) and dict(xi.given) == {
        "values/nu": sp.Rational(3, 2), "values/kappa": sp.Rational(1, 2)}
    assert run_check(xi).verdict == "verified"


def test_a_changed_premise_value_changes_and_fails_the_dependent():
    _, good = _chain(sp.Rational(3, 2))
    D, bad = _chain(sp.Rational(8, 5))             # a premise now finds another exponent
    assert bad.statement.lhs == sp.Rational(5, 16)
    assert run_check(bad).outcome == "refuted"
    D_good, _ = _chain(sp.Rational(3, 2))
    h_good = effective_hashes(build_graph(list(D_good)))["values/xi"]
    h_bad = effective_hashes(build_graph(list(D)))["values/xi"]
    assert h_good != h_bad


def test_missing_premise_values_are_named():
    D = Derivation("values-missing")
    D.equality("plain", x, x)
    with pytest.raises(MalformedStatement, match="values-missing/plain declares no value"):
        D.equality("uses-plain", lambda p: p["plain"], 1, uses=["plain"])
    with pytest.raises(MalformedStatement, match="other/thing is not declared yet here"):
        D.equality("uses-other", lambda p: p["other/thing"], 1, uses=["other/thing"])
    with pytest.raises(MalformedStatement, match="not among its premises"):
        D.equality("uses-nothing", lambda p: p["ghost"], 1)


def test_claim_objects_carry_values_across_derivations():
    A = Derivation("values-a")
    law = A.equality("law", 1, 1, value={"nu": sp.Rational(3, 2)})
    B = Derivation("values-b")
    c = B.equality("uses-law", lambda p: p["values-a/law"]["nu"] * 2, 3, uses=[law])
    assert c.uses == ("values-a/law",) and run_check(c).verdict == "verified"


def test_a_check_function_receives_the_premises():
    D = Derivation("values-check")
    D.equality("nu", 1, 1, value=sp.Integer(7))
    seen = {}

    def check(premises, scale):
        seen.update(premises)
        return premises["nu"] * scale == 14
    c = D.add("uses", "nu times two is 14", check=check, params={"scale": 2}, uses=["nu"])
    assert run_check(c).verdict == "verified" and seen == {"values-check/nu": 7}
