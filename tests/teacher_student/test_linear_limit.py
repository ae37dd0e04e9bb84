"""linear.linear_stability_limit against the integrated ODE (an independent code path)."""

import numpy as np
import pytest

from workbench.teacher_student import integrate, power_law_spectrum
from workbench.teacher_student.linear import linear_stability_limit


@pytest.mark.parametrize("K,scale", [(2, 3.0), (3, 1.0)])
def test_linear_ode_decays_just_below_the_limit_and_grows_just_above(K, scale):
    # a non-uniform spectrum of mean != 1 (a factor 2, K or L error moves the limit by 2x or more)
    lam = power_law_spectrum(4, 1.0) * scale
    limit = linear_stability_limit(K, lam)
    start = dict(Q0=np.eye(K) * 0.3, R0=np.full((K, K), 0.05), spectrum=lam, alphas=[0.0, 200.0, 400.0])
    below = integrate("linear", eta=0.98 * limit, **start).eg
    above = integrate("linear", eta=1.02 * limit, **start).eg
    assert below[2] < below[1] < below[0]
    assert above[2] > above[1] > above[0]
