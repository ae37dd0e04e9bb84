"""The precision rule (workbench/precision.py): numerical code computes at the ambient mpmath
precision, all the way down; an explicit ``dps=`` is honoured exactly and locally."""

import doctest

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from sympy.utilities.lambdify import implemented_function

import workbench.precision
from workbench import Derivation, Extrapolation, RandomPoints, run_check
from workbench.kernels import Kernel, eigenvalue, leading_asymptotic, sphere_eigenvalues
from workbench.kernels import closed_forms as cf
from workbench.teacher_student import I2, erf_average_quadrature, symmetric_fixed_point
from workbench.teacher_student import fixed_points as fps

k = sp.Symbol("k", positive=True, integer=True)
n = sp.Symbol("n", positive=True, integer=True)


@pytest.fixture
def ratio_dps(monkeypatch):
    """The precisions at which the closed forms' Gamma ratio (the leaf of ``arccos0``'s
    eigenvalues, hence of ``eigenvalue("arccos0", ...)``) is evaluated."""
    seen = []
    original = cf._ratio

    def recording(x, y):
        seen.append(mp.mp.dps)
        return original(x, y)
    monkeypatch.setattr(cf, "_ratio", recording)
    return seen


def test_docstring_examples():
    result = doctest.testmod(workbench.precision)
    assert result.attempted > 0 and result.failed == 0


def test_asymptotic_claim_at_dps_45_reaches_the_leaf_at_45_and_60(ratio_dps):
    # a library call without dps inside the sequence: no bridge needed
    D = Derivation("precision_probe")
    claim = D.asymptotic("arccos0-odd-d3", variable=k,
                         leading=leading_asymptotic("arccos0", 3).leading(k, 1),
                         sequence=lambda kk: eigenvalue("arccos0", 3, kk), subsequence=(2, 1),
                         validator=Extrapolation(digits=20, dps=45))
    ev = run_check(claim)
    assert ev.verdict == "verified", ev.summary
    assert ratio_dps and min(ratio_dps) >= 45
    assert max(ratio_dps) >= 60          # the confirming run at dps + 15
    assert ev.digits >= 20


def test_equality_claim_at_dps_45_reaches_the_leaf_at_45_and_65(ratio_dps):
    # mu_k(arccos0) on S^2 for odd k = Gamma(3/2)^2 Gamma(k/2)^2 / (2 pi^2 Gamma((k+3)/2)^2)
    mu = implemented_function("mu", lambda m: eigenvalue("arccos0", 3, 2 * int(m) + 1))
    kk = 2 * n + 1
    closed = sp.gamma(sp.Rational(3, 2)) ** 2 * sp.gamma(kk / 2) ** 2 / (
        2 * sp.pi ** 2 * sp.gamma((kk + 3) / 2) ** 2)
    D = Derivation("precision_probe")
    claim = D.equality("arccos0-closed-form", mu(n), closed, domain={n: (1, 10 ** 6)},
                       validator=RandomPoints(points=6, digits=40, dps=45))
    ev = run_check(claim)
    assert ev.verdict == "verified", ev.summary
    assert ratio_dps and min(ratio_dps) >= 45
    assert max(ratio_dps) >= 65          # the confirming rung at dps + 20
    assert ev.digits >= 40


def test_explicit_dps_is_honoured_inside_and_the_caller_keeps_its_precision():
    seen = []

    def kappa(u):                            # a kernel without closed form: quadrature
        seen.append(mp.mp.dps)
        return mp.exp(u)
    probe = Kernel("exp-callable", function=kappa)
    seen.clear()                             # (the constructor's sanity check at 20 digits)
    got = eigenvalue(probe, 3, 2, dps=40)
    assert mp.mp.dps == 15
    assert min(seen) >= 50                   # dps 40 + 10 guard digits (+ mpmath's own), no lower
    with mp.workdps(45):
        exact = cf.exponential(sp.Integer(1))(3, 2)
        assert abs(got - exact) < mp.mpf(10) ** -38 * exact     # not rounded to 15 digits
    seen.clear()
    mus = sphere_eigenvalues(probe, 3, 4, dps=40)              # the shared-node quadrature
    assert mp.mp.dps == 15 and min(seen) >= 50
    with mp.workdps(45):
        assert abs(mus[2] - exact) < mp.mpf(10) ** -38 * exact


def test_explicit_dps_of_a_fixed_point_reaches_every_callee(monkeypatch):
    seen = []
    original = fps.rhs_parts

    def recording(Q, R, T):
        seen.append(mp.mp.dps)
        return original(Q, R, T)
    monkeypatch.setattr(fps, "rhs_parts", recording)
    with mp.workdps(20):
        fp = symmetric_fixed_point(2, 0, dps=40)
        assert mp.mp.dps == 20
    assert min(seen) >= 50                   # 40 + 10 guard digits (findroot adds its own)
    with mp.workdps(50):
        assert abs(fp.r - 1 / mp.sqrt(6)) < mp.mpf(10) ** -40   # r = 1/sqrt(K(2K-1)) at eta = 0


def test_without_dps_a_call_computes_at_the_ambient_precision():
    with mp.workdps(80):
        exact = cf.arccos0(3, 7)
    with mp.workdps(50):
        v50 = eigenvalue("arccos0", 3, 7)
    v15 = eigenvalue("arccos0", 3, 7)
    with mp.workdps(80):
        assert abs(v50 - exact) < mp.mpf(10) ** -48 * exact
        assert mp.mpf(10) ** -30 * exact < abs(v15 - exact) < mp.mpf(10) ** -14 * exact
        assert v50 != v15 and abs(v50 - v15) < mp.mpf(10) ** -14 * exact   # differ beyond digit 16


def test_ambient_precision_is_not_capped_at_an_old_default():
    # the old defaults (30 digits) would cap these at about 35-40 digits
    C = [[mp.mpf(1), mp.mpf("0.3")], [mp.mpf("0.3"), mp.mpf("0.8")]]
    with mp.workdps(60):
        quad = erf_average_quadrature(C, "I2")
        assert abs(quad - I2(C)) < mp.mpf(10) ** -55
    with mp.workdps(60):
        fp = symmetric_fixed_point(2, 0)
        assert abs(fp.r - 1 / mp.sqrt(6)) < mp.mpf(10) ** -55
        assert abs(fp.q - mp.mpf(1) / 3) < mp.mpf(10) ** -55


def test_float_consumers_get_double_precision_at_the_default():
    # a float checker needs no dps: at the default 15 digits the value is correct to a double
    with mp.workdps(40):
        exact = float(cf.arccos1(3, 40))
    assert float(eigenvalue("arccos1", 3, 40)) == pytest.approx(exact, rel=4 * np.finfo(float).eps)
