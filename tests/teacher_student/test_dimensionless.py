"""The dimensionless parametrisation (Arnaboldi et al. 2023) and the regime map."""

import numpy as np
import pytest

from workbench import InvalidParameter
from workbench.teacher_student.dimensionless import (goldt_parameters, integrate_dimensionless,
                                                     regime, to_alpha)


def test_mapping_to_the_goldt_model():
    kw = goldt_parameters(p=4, k=2, gamma=0.8, noise=0.25)
    assert np.allclose(kw["v0"], 0.25) and np.allclose(kw["vstar"], 0.5)
    assert kw["eta"] == 0.8 and kw["sigma"] == pytest.approx(0.5)
    assert to_alpha(2.0, p=4, gamma=0.8) == pytest.approx(10.0)


@pytest.mark.parametrize("kappa, delta, name", [
    (0.0, 0.5, "classical gradient flow"), (1.0, 0.0, "mean-field gradient flow"),
    (0.5, -0.5, "high-dimensional SGD (Saad-Solla)"), (0.5, -0.6, "noise-dominated"),
    (0.0, -0.6, "no deterministic limit")])
def test_regime_map(kappa, delta, name):
    r = regime(kappa, delta)
    assert r.name == name and r.noise_exponent == pytest.approx(-(kappa + delta))


def test_regime_rejects_negative_width_exponent():
    with pytest.raises(InvalidParameter, match="kappa >= 0"):
        regime(-1, 0)


def test_only_gamma_over_p_matters_for_replicated_students():
    Qb, Mb = np.array([[0.6, 0.1], [0.1, 0.5]]), np.array([[0.3, 0.05], [0.0, 0.25]])
    idx = np.arange(4) % 2
    a = integrate_dimensionless(p=2, k=2, gamma=0.5, Q0=Qb, M0=Mb, times=[1.0, 2.0]).risk
    b = integrate_dimensionless(p=4, k=2, gamma=1.0, Q0=Qb[np.ix_(idx, idx)], M0=Mb[idx],
                                times=[1.0, 2.0]).risk
    assert np.allclose(a, b, rtol=1e-9)
