"""Agreement of a noisy estimate with a reference, over seeds."""

import numpy as np
import pytest

from workbench import Agreement, MalformedStatement, MeanWithinSE
from workbench.validate import validate_agreement


def sample_mean(seed, n=400, shift=0.0):
    rng = np.random.default_rng(seed)
    return rng.normal(loc=1.0 + shift, scale=1.0, size=n).mean()


def test_unbiased_estimate_agrees():
    ev = MeanWithinSE(seeds=range(16)).check(Agreement(sample_mean, 1.0), {})
    assert ev.verdict == "verified"
    assert abs(max(ev.details["z"], key=abs)) < 3


def test_biased_estimate_refuted_with_z_score():
    stmt = Agreement(lambda seed: sample_mean(seed, shift=0.2), 1.0)
    ev = MeanWithinSE(seeds=range(16)).check(stmt, {})
    assert ev.outcome == "refuted"
    assert abs(ev.details["z"][0]) > 3


def test_systematic_bound_admits_known_bias():
    stmt = Agreement(lambda seed: sample_mean(seed, shift=0.2), 1.0)
    assert MeanWithinSE(seeds=range(16), systematic=0.3).check(stmt, {}).verdict == "verified"


def test_vector_observables_and_callable_reference():
    est = lambda seed, n: np.array([sample_mean(seed, n), 2 * sample_mean(seed + 100, n)])  # noqa: E731
    stmt = Agreement(est, lambda n: np.array([1.0, 2.0]))
    ev = MeanWithinSE(seeds=range(10)).check(stmt, {"n": 200})
    assert ev.verdict == "verified" and len(ev.measured) == 2


def test_seeds_are_reproducible():
    stmt = Agreement(sample_mean, 1.0)
    assert validate_agreement(stmt).measured == validate_agreement(stmt).measured


@pytest.mark.parametrize("kwargs", [dict(seeds=[1]), dict(seeds=[1, 1]), dict(k=0),
                                    dict(systematic=-1)])
def test_malformed_policy(kwargs):
    with pytest.raises(MalformedStatement):
        MeanWithinSE(**kwargs)


def test_policy_of_another_statement_type_is_refused():
    from workbench import Derivation
    D = Derivation("stat-policy")
    with pytest.raises(MalformedStatement, match="MeanWithinSE does not check Equality"):
        D.equality("e", 1, 1, validator=MeanWithinSE())


def test_shape_mismatch_is_a_clear_error():
    from workbench import SequenceError
    with pytest.raises(SequenceError, match="shape"):
        validate_agreement(Agreement(sample_mean, [1.0, 2.0]))
