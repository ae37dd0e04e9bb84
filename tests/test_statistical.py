"""Agreement of a noisy estimate with a reference, over seeds."""

import numpy as np
import pytest

from workbench import Agreement, MalformedStatement
from workbench.validate import validate_agreement


def sample_mean(seed, n=400, shift=0.0):
    rng = np.random.default_rng(seed)
    return rng.normal(loc=1.0 + shift, scale=1.0, size=n).mean()


def test_unbiased_estimate_agrees():
    ev = validate_agreement(Agreement(sample_mean, 1.0, seeds=range(16)))
    assert ev.verdict == "verified"
    assert abs(max(ev.details["z"], key=abs)) < 3


def test_biased_estimate_refuted_with_z_score():
    stmt = Agreement(lambda seed: sample_mean(seed, shift=0.2), 1.0, seeds=range(16))
    ev = validate_agreement(stmt)
    assert ev.outcome == "refuted"
    assert abs(ev.details["z"][0]) > 3


def test_systematic_bound_admits_known_bias():
    stmt = Agreement(lambda seed: sample_mean(seed, shift=0.2), 1.0, seeds=range(16),
                     systematic=0.3)
    assert validate_agreement(stmt).verdict == "verified"


def test_vector_observables_and_callable_reference():
    est = lambda seed, n: np.array([sample_mean(seed, n), 2 * sample_mean(seed + 100, n)])  # noqa: E731
    stmt = Agreement(est, lambda n: np.array([1.0, 2.0]), seeds=range(10))
    ev = validate_agreement(stmt, params={"n": 200})
    assert ev.verdict == "verified" and len(ev.measured) == 2


def test_seeds_are_reproducible():
    stmt = Agreement(sample_mean, 1.0, seeds=range(8))
    assert validate_agreement(stmt).measured == validate_agreement(stmt).measured


@pytest.mark.parametrize("kwargs", [dict(seeds=[1]), dict(seeds=[1, 1]), dict(k=0),
                                    dict(systematic=-1)])
def test_malformed_agreement(kwargs):
    with pytest.raises(MalformedStatement):
        Agreement(sample_mean, 1.0, **kwargs)


def test_shape_mismatch_is_a_clear_error():
    from workbench import SequenceError
    with pytest.raises(SequenceError, match="shape"):
        validate_agreement(Agreement(sample_mean, [1.0, 2.0]))
