"""spectral.specialised_spectrum_rates against the mpmath linearisation (fixed_points), and
dimensionless.simulate_dimensionless against the ODE in the same time variable."""

import mpmath as mp
import numpy as np

from workbench.teacher_student import specialised_rates
from workbench.teacher_student.dimensionless import integrate_dimensionless, simulate_dimensionless
from workbench.teacher_student.spectral import specialised_spectrum_rates


def _first_order_rates(K):
    """The eta -> 0 rates of the isotropic closure: mpmath Jacobian at eta = 1e-12, divided by eta."""
    with mp.workdps(30):
        return np.array([float(r) / 1e-12 for r in specialised_rates(K, mp.mpf("1e-12"), dps=30)])


def test_one_group_of_eigenvalue_one_gives_the_isotropic_first_order_rates():
    ev = specialised_spectrum_rates(2, [1.0])
    # the compiled state carries Q_12 and Q_21: their antisymmetric combination is an exact zero
    # mode (the docstring's "nonzero eigenvalues" includes it); the rest are the isotropic rates
    nonzero = ev[np.abs(ev) > 1e-10]
    ref = _first_order_rates(2)
    assert nonzero.size == ref.size == 7
    np.testing.assert_allclose(nonzero, ref, rtol=1e-6)
    assert nonzero[0] == np.max(nonzero) and abs(nonzero[0] + 0.044185) < 1e-6     # notes 1.4


def test_two_equal_groups_contain_the_isotropic_rates():
    # lambda = (1, 1) is the isotropic input split in two: its modes include the isotropic ones
    ev = specialised_spectrum_rates(2, [1.0, 1.0])
    for r in _first_order_rates(2):
        assert np.min(np.abs(ev - r)) < 1e-6 * abs(r), r


def test_simulate_dimensionless_agrees_with_the_ode_in_dimensionless_time():
    start = dict(p=2, k=2, gamma=1.0, Q0=[[0.5, 0.1], [0.1, 0.4]], M0=[[0.3, 0.05], [0.0, 0.2]],
                 times=[0.5, 1.0, 2.0])
    ode = integrate_dimensionless(**start)
    runs = [simulate_dimensionless(d=2000, seed=s, **start) for s in range(10)]
    np.testing.assert_allclose(runs[0].t, start["times"], rtol=1e-3)    # steps round t to 1/(d gamma/p)
    risk = np.array([r.risk for r in runs])
    se = risk.std(axis=0, ddof=1) / np.sqrt(len(runs))
    assert np.all(np.abs(risk.mean(axis=0) - ode.risk) < 4 * se + 0.02 * ode.risk), (risk.mean(0), ode.risk)
    assert ode.risk[-1] < ode.risk[0]
