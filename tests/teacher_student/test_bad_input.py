"""Every bad input of the teacher-student tools gets a clear error naming the problem."""

import numpy as np
import pytest

from workbench import InvalidParameter
from workbench.teacher_student import (integrate, linear_error, linear_noise_floor, simulate,
                                       symmetric_fixed_point)

Q0, R0 = [[0.5, 0.1], [0.1, 0.4]], [[0.3, 0.05], [0.0, 0.2]]


@pytest.mark.parametrize("kwargs, message", [
    ({"eta": 0.0}, "eta .* must be positive"),
    ({"eta": -0.1}, "eta .* must be positive"),
    ({"eta": 0.5, "Q0": np.zeros((0, 0)), "R0": np.zeros((0, 2))}, "K >= 1"),
    ({"eta": 0.5, "R0": np.zeros((2, 0))}, r"M >= 1"),
    ({"eta": 0.5, "Q0": [[0.5, 0.1], [0.2, 0.4]]}, "symmetric"),
    ({"eta": 0.5, "Q0": [[0.5, 0.9], [0.9, 0.4]]}, "positive semi-definite"),
    ({"eta": 0.5, "T": [[1.0, 0.0], [0.0, 0.0]]}, "T must be positive definite"),
    ({"eta": 0.5, "R0": [[0.9, 0.0], [0.0, 0.2]]}, "R is inconsistent with Q and T"),
    ({"eta": 0.5, "activation": "softplus"}, "no closed form and no compiled quadrature"),
    ({"eta": 0.5, "activation": "relu"}, "simulate"),
    ({"eta": 0.5, "alphas": [2.0, 1.0]}, "strictly increasing"),
    ({"eta": 0.5, "spectrum": [1.0, -1.0]}, "positive numbers"),
    ({"eta": 0.5, "sigma": -1.0}, "sigma"),
])
def test_integrate_rejects(kwargs, message):
    args = {"Q0": Q0, "R0": R0, "alphas": [0.0, 1.0], **kwargs}
    with pytest.raises(InvalidParameter, match=message):
        integrate(**args)


@pytest.mark.parametrize("kwargs, message", [
    ({"N": 0}, r"N \(input dimension\) must be an integer >= 1"),
    ({"N": 10.5}, "N .* integer"),
    ({"N": 402, "spectrum": [1.0, 0.5, 0.25, 0.125]}, "multiple of the number of eigen-groups"),
    ({"N": 100, "max_bytes": 100}, "needs about"),
    ({"N": 100, "alphas": [0.0, 0.001]}, "closer than one step"),
    ({"N": 100, "seed": -1}, "seed"),
])
def test_simulate_rejects(kwargs, message):
    args = {"eta": 0.5, "alphas": [0.0, 1.0], "seed": 0, "Q0": Q0, "R0": R0, **kwargs}
    with pytest.raises(InvalidParameter, match=message):
        simulate(**args)


def test_learning_rate_above_the_stability_limit_is_refused_where_convergence_is_asked():
    with pytest.raises(InvalidParameter, match="stability limit"):
        linear_noise_floor(2, 1.5, 0.3)          # K eta = 3 > 2
    with pytest.raises(InvalidParameter, match="stability limit"):
        linear_error(K=2, eta=1.5, alphas=[1.0], eps0=1.0, sigma=0.3)


def test_fixed_point_needs_two_students():
    with pytest.raises(InvalidParameter, match="K must be an integer >= 2"):
        symmetric_fixed_point(1, 0.1)


def test_erf_convergence_rate_refuses_eta_above_eta_max():
    from workbench.teacher_student import convergence_rate
    assert convergence_rate(2, 0.5) == pytest.approx(2 * 0.044185 * 0.5, rel=1e-5)
    with pytest.raises(InvalidParameter, match=r"above the stability limit eta_max = 2.3068"):
        convergence_rate(2, 2.5)
