"""One error family: InvalidParameter for a bad argument to a science function, ConvergenceError
for a numerical method that did not converge (both WorkbenchErrors)."""

import mpmath as mp
import numpy as np
import pytest

import workbench
from workbench import ConvergenceError, InvalidParameter, MalformedStatement, WorkbenchError
from workbench import errors
from workbench.kernels import (eigenvalue, funk_hecke_constant, kernel, leading_asymptotic,
                               legendre_sphere, multiplicity, sphere_eigenvalue_quadrature,
                               sphere_eigenvalues)
from workbench.kernels.finite_width import empirical_ntk
from workbench.kernels.gram import gram_eigenvalues, sample_sphere
from workbench.kernels.quadrature import eigenvalues_by_quadrature
from workbench.scaling import loss_curve, loss_mp
from workbench.scaling.gd import sphere_points, train_relu_network
from workbench.scaling.interpolation import product_interpolation_error
from workbench.scaling.random_features import rf_trial
from workbench.scaling.ridge import effective_ridge, power_law_features
from workbench.scaling.targets import hemisphere_coefficient, jump_coefficient
from workbench.teacher_student import (I2, convergence_rate, erf_average_quadrature, escape_rate,
                                       gauss_hermite_average, integrate, linear_noise_floor,
                                       max_learning_rate, power_law_spectrum, simulate,
                                       specialised_rates, symmetric_fixed_point)
from workbench.teacher_student.dimensionless import goldt_parameters, regime
from workbench.teacher_student.spectral import spectral_plateau

Q0, R0 = [[0.5, 0.1], [0.1, 0.4]], [[0.3, 0.05], [0.0, 0.2]]


def test_the_family():
    for cls in (InvalidParameter, ConvergenceError):
        assert issubclass(cls, WorkbenchError)
        assert cls.__name__ in errors.__all__ and getattr(workbench, cls.__name__) is cls
    # old handlers keep working: `except ValueError` / `except ArithmeticError`
    assert issubclass(InvalidParameter, ValueError) and issubclass(ConvergenceError, ArithmeticError)
    assert not issubclass(InvalidParameter, MalformedStatement)


@pytest.mark.parametrize("call, names", [
    # kernels
    (lambda: kernel("relu"), "unknown kernel 'relu'"),
    (lambda: kernel("laplace", c=-1), "c > 0"),
    (lambda: multiplicity(1, 3), "d=1"),
    (lambda: legendre_sphere(-1, 3, 0.5), "k=-1"),
    (lambda: funk_hecke_constant(1), "d=1"),
    (lambda: sphere_eigenvalue_quadrature(mp.exp, 3, -1), "k=-1"),
    (lambda: eigenvalue("relu_ntk", 1, 2), "d=1"),
    (lambda: eigenvalue("relu_ntk", 3, 2, dps=0), "dps=0"),
    (lambda: eigenvalue("relu_ntk", 3, 2, dps=2.5), "dps=2.5"),
    (lambda: sphere_eigenvalues("relu_ntk", 3, 10 ** 9), "kmax=1000000000"),
    (lambda: eigenvalues_by_quadrature(mp.exp, 3, 4, max_halvings=0), "max_halvings"),
    (lambda: leading_asymptotic("exponential", 3), "kernel exponential.*no non-integer power"),
    (lambda: leading_asymptotic("relu_ntk", 1), "dimension d"),
    (lambda: sample_sphere(0, 3, 0), "n >= 1"),
    (lambda: gram_eigenvalues("relu_ntk", 3, 200_000, 0), "n=200000"),
    (lambda: empirical_ntk(sample_sphere(2, 3, 0), sample_sphere(2, 3, 1), 0, 0), "width m"),
    # teacher-student
    (lambda: integrate(eta=-1, Q0=Q0, R0=R0, alphas=[0, 1]), "eta"),
    (lambda: simulate(eta=0.5, N=0, alphas=[0, 1], seed=0, Q0=Q0, R0=R0), "N"),
    (lambda: symmetric_fixed_point(1, 0.1), "K must"),
    (lambda: symmetric_fixed_point(2, 0.1, dps=-3), "dps=-3"),
    (lambda: escape_rate(2, -0.5), "eta must be positive"),
    (lambda: specialised_rates(0, 0.5), "K must"),
    (lambda: max_learning_rate(2, bracket=(3.0, 4.0)), "bracket"),
    (lambda: convergence_rate(2, 2.5), "eta = 2.5 is above the stability limit"),
    (lambda: linear_noise_floor(2, 1.5, 0.3), "eta = 1.5"),
    (lambda: erf_average_quadrature(np.eye(2), "I7"), "which='I7'"),
    (lambda: erf_average_quadrature(-np.eye(2), "I2"), "covariance"),
    (lambda: I2(np.ones((3, 3))), "covariance must be 2x2"),
    (lambda: gauss_hermite_average(np.eye(2), "erf", "I2", points=400), "points"),
    (lambda: goldt_parameters(p=0, k=1, gamma=1.0), "p .student width"),
    (lambda: regime(-1, 0), "kappa"),
    (lambda: power_law_spectrum(0, 1.0), "L must"),
    (lambda: spectral_plateau(2, [1.0, -1.0]), "spectrum"),
    # scaling
    (lambda: loss_curve([1.0, 2.0], [1.0, 1.0], [1.0]), "eigenvalues must be non-increasing"),
    (lambda: loss_curve([1.0], [1.0], [-1.0]), "times t"),
    (lambda: loss_mp(lambda j: j ** -2, lambda j: j ** -2, -1), "t must be positive"),
    (lambda: power_law_features(0, 1.0), "features S"),
    (lambda: effective_ridge([1.0, 0.5], 10, ridge=-1), "ridge"),
    (lambda: jump_coefficient(1, 2, 0.5), "d=1"),
    (lambda: jump_coefficient(3, 2, 1.5), "a=1.5"),
    (lambda: hemisphere_coefficient(3, -1), "k=-1"),
    (lambda: sphere_points(4, 10), "d=4"),
    (lambda: train_relu_network(sphere_points(2, 16), np.ones(16), 4, -1.0, [1], 0), "eta=-1"),
    (lambda: product_interpolation_error(lambda x: x, 1, 2), "n=1"),
    (lambda: rf_trial(0, 10, 5, [1.0, 0.5], ridge=-1.0), "ridge"),
])
def test_a_bad_argument_raises_invalid_parameter_naming_it(call, names):
    with pytest.raises(InvalidParameter, match=names) as info:
        call()
    assert "\n" not in str(info.value)            # one line for the CLI


def test_quadrature_with_an_iteration_cap_it_cannot_meet():
    kink = lambda u: abs(u - mp.mpf(3) / 10)      # noqa: E731 - not smooth inside (-1, 1)
    with pytest.raises(ConvergenceError, match="did not reach 15 digits .* in 1 halvings"):
        eigenvalues_by_quadrature(kink, 3, 8, max_halvings=1)


def test_root_finder_without_a_root_near_the_start():
    with pytest.raises(ConvergenceError, match="no symmetric fixed point found for K=2") as info:
        symmetric_fixed_point(2, 50.0)
    assert "\n" not in str(info.value)


def test_diverging_ode():
    # linear activation far above its stability limit: the overlaps blow up
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(ConvergenceError,
                                                                     match="ODE integration failed"):
        integrate("linear", eta=5.0, Q0=np.eye(2) * 1.01, R0=np.eye(2) * 0.995, alphas=[0.0, 1e4])


def test_a_convergence_error_in_a_check_is_an_error_verdict_naming_the_class():
    from workbench import Derivation, run_check
    D = Derivation("errors_probe")
    D.add("fixed-point", "a fixed point far above the plateau's range", check=lambda: bool(
        symmetric_fixed_point(2, 50.0)))
    ev = run_check(D["fixed-point"])
    assert ev.verdict == "error" and ev.summary.startswith("ConvergenceError: no symmetric fixed point")
