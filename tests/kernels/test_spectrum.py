"""Named kernels, their exact spectra, and the singularity-to-decay analysis."""

import mpmath as mp
import pytest
import sympy as sp

from workbench import Asymptotic, InvalidParameter
from workbench.kernels import (U, eigenvalue, kernel, leading_asymptotic, multiplicity,
                               sphere_eigenvalue_quadrature, sphere_eigenvalues)
from workbench.validate import validate_asymptotic

R = sp.Rational
CLOSED = ["arccos0", "arccos1", "relu_ntk", "relu_ntk_bias"]


@pytest.mark.parametrize("name", CLOSED + ["exponential"])
@pytest.mark.parametrize("d", [2, 4, 7])
def test_closed_forms_match_quadrature_to_25_digits(name, d):
    kern = kernel(name)
    for k in range(0, 7):
        with mp.workdps(40):
            closed = eigenvalue(kern, d, k, dps=40)
        quad = sphere_eigenvalue_quadrature(kern, d, k, dps=35)
        assert abs(closed - quad) <= mp.mpf(10) ** -25 * max(abs(closed), 1), (name, d, k)


def test_polynomial_kernel_matches_quadrature():
    kern = kernel("polynomial", coeffs=[1, R(1, 2), 0, 3, R(-1, 7)])
    for d in (2, 3, 6):
        for k in range(7):
            with mp.workdps(30):
                q = sphere_eigenvalue_quadrature(lambda u: 1 + u / 2 + 3 * u ** 3 - u ** 4 / 7, d, k)
                assert abs(eigenvalue(kern, d, k) - q) < mp.mpf(10) ** -25


@pytest.mark.parametrize("name, table", [
    # d = 3 tables of our reference notes (computed there with sympy): independent oracles
    ("arccos0", [R(1, 2), R(1, 8), 0, R(1, 128), 0, R(1, 512), 0, R(25, 32768), 0]),
    ("arccos1", [R(3, 8), R(1, 6), R(3, 128), 0, R(1, 1536), 0, R(3, 32768), 0, R(3, 131072)]),
    ("relu_ntk", [R(1, 2), R(1, 3), R(5, 64), 0, R(1, 192), 0, R(23, 16384), 0, R(19, 32768)]),
])
def test_reference_tables_d3(name, table):
    mus = sphere_eigenvalues(name, 3, 8, dps=40)
    with mp.workdps(40):
        for mu, exact in zip(mus, table):
            exact = R(exact)
            assert abs(mu - mp.mpf(exact.p) / exact.q) < mp.mpf(10) ** -35
    assert all(mus[k] == 0 for k, e in enumerate(table) if e == 0)   # exact zeros, not tiny numbers


@pytest.mark.parametrize("d", [2, 3, 5])
def test_mercer_sum_identity_for_smooth_kernels(d):
    # sum_k N(d, k) mu_k = kappa(1): e for exp(u), 2 + 1 + 5 = 8 for the polynomial
    for kern, value in [(kernel("exponential", s=1), lambda: mp.e),
                        (kernel("polynomial", coeffs=[2, 0, 1, 5]), lambda: mp.mpf(8))]:
        mus = sphere_eigenvalues(kern, d, 40, dps=30)
        with mp.workdps(30):
            total = mp.fsum(multiplicity(d, k) * m for k, m in enumerate(mus))
            assert abs(total - value()) < mp.mpf(10) ** -25


def test_quadrature_path_uses_parity_zeros():
    even = kernel(sp.cosh(U) + U ** 2)
    assert eigenvalue(even, 3, 5) == 0 and eigenvalue(even, 3, 4) != 0


def test_decay_laws_d3_match_the_notes():
    assert leading_asymptotic("arccos0", 3).constants == (0, 1 / sp.pi)
    assert leading_asymptotic("relu_ntk", 3).constants == (1 / sp.pi, 0)
    assert leading_asymptotic("relu_ntk_bias", 3).constants == (1 / sp.pi, 1 / sp.pi)
    law = leading_asymptotic("arccos1", 3)
    assert law.constants == (3 / sp.pi, 0) and law.exponent == 5 and law.alpha == R(3, 2)


def test_user_kernel_from_expression():
    law = leading_asymptotic(kernel((1 - sp.Symbol("u")) ** R(1, 3)), 4)
    assert law.nu == R(1, 3) and law.exponent == R(11, 3)
    assert law.constants[0] == law.constants[1] != 0


@pytest.mark.parametrize("name", CLOSED + ["laplace"])
def test_wrong_decay_constant_or_exponent_refuted_with_measured_values(name):
    d = 4
    law = leading_asymptotic(name, d)
    parity = 0 if law.constants[0] != 0 else 1
    k = sp.Symbol("k", positive=True, integer=True)
    seq = lambda kk: eigenvalue(name, d, kk)  # noqa: E731
    good = validate_asymptotic(Asymptotic(k, law.leading(k, parity), sequence=seq,
                                          subsequence=(2, parity)))
    assert good.verdict == "verified"
    wrong_c = validate_asymptotic(Asymptotic(k, 2 * law.leading(k, parity), sequence=seq,
                                             subsequence=(2, parity)))
    assert wrong_c.outcome == "refuted"
    with mp.workdps(40):
        measured = mp.mpf(wrong_c.measured["constant"].value)
        assert abs(measured - mp.mpf(sp.N(law.constants[parity], 45))) < mp.mpf(10) ** -20
    wrong_p = validate_asymptotic(Asymptotic(k, law.leading(k, parity) * k, sequence=seq,
                                             subsequence=(2, parity)))
    assert wrong_p.outcome == "refuted"
    with mp.workdps(40):
        assert abs(mp.mpf(wrong_p.measured["exponent"].value) + law.exponent) < mp.mpf(10) ** -20


def test_relu_ntk_d3_kmax_1000_has_exact_odd_zeros():
    # (its speed is measured in bench/bench_kernels.py, not asserted here)
    mus = sphere_eigenvalues("relu_ntk", 3, 1000, dps=30)
    assert len(mus) == 1001 and mus[999] == 0


@pytest.mark.parametrize("call, message", [
    (lambda: sphere_eigenvalues("relu_ntk", 1, 5), "d >= 2"),
    (lambda: eigenvalue("relu_ntk", 3, -1), "k must be an integer >= 0"),
    (lambda: sphere_eigenvalues("relu_ntk", 3, 10 ** 9), "MiB"),
    (lambda: sphere_eigenvalues(kernel(sp.exp(-(1 - U) ** R(1, 3))), 3, 5000), "no closed form"),
    (lambda: kernel(sp.sqrt(U)), "not real"),
    (lambda: kernel(1 / U), "not"),
    (lambda: kernel(sp.log(1 - U)), "not"),
    (lambda: kernel(U + sp.Symbol("x")), "u = workbench.kernels.U only"),
    (lambda: kernel("relu"), "unknown kernel"),
    (lambda: kernel("laplace", c=-1), "c > 0"),
    (lambda: leading_asymptotic(kernel((1 - U) * sp.log(1 - U + 1)), 3), "no non-integer power"),
    (lambda: leading_asymptotic(kernel((1 - U) ** 2 * sp.log(1 - U + sp.Rational(1, 10 ** 9))), 3),
     "no non-integer power"),
    (lambda: leading_asymptotic(kernel("exponential"), 3), "faster than any power"),
])
def test_bad_input(call, message):
    with pytest.raises(InvalidParameter, match=message):
        call()


def test_log_singularity_is_outside_the_supported_class():
    # (1-u)^2 log(1-u) -> 0 at u = 1 (finite), but t^2 log t is not a power: clear error
    kern = kernel(sp.Piecewise((0, sp.Eq(U, 1)), ((1 - U) ** 2 * sp.log(1 - U), True)))
    with pytest.raises(InvalidParameter, match="log|classify|expand"):
        leading_asymptotic(kern, 3)


def test_shared_node_quadrature_matches_closed_forms_and_adaptive_quadrature():
    from workbench.kernels.quadrature import eigenvalues_by_quadrature
    ntk = kernel("relu_ntk")
    mus = eigenvalues_by_quadrature(ntk, 4, 60, dps=30)
    with mp.workdps(40):
        for k in range(61):
            exact = eigenvalue(ntk, 4, k, dps=40)
            assert abs(mus[k] - exact) <= mp.mpf(10) ** -29 * max(abs(exact), mp.mpf(10) ** -10)
    lap = kernel("laplace")
    shared = eigenvalues_by_quadrature(lap, 3, 60, dps=30)    # series closed form vs 2 quadratures
    for k in (0, 7, 60):
        single = sphere_eigenvalue_quadrature(lap, 3, k, dps=30)
        with mp.workdps(30):
            assert abs(lap.eigenvalue(3, k) - single) <= mp.mpf(10) ** -27 * abs(single)
        with mp.workdps(30):
            assert abs(shared[k] - single) <= mp.mpf(10) ** -27 * abs(single)


def test_laplace_series_by_term_ratios_is_the_sum_of_the_gamma_terms():
    """The ratio recurrence in n gives the terms a^n/n! mu_k((1-u)^(n/2)) of the series."""
    from workbench.kernels import closed_forms as cf
    for c in (1, R(1, 3)):
        lap = cf.laplace(c)
        for d, k in ((2, 0), (3, 1), (3, 8), (5, 13), (10, 40)):
            with mp.workdps(40):
                a = -cf.number(sp.Rational(c)) * mp.sqrt(2)
                direct = mp.nsum(lambda n: a ** n / mp.factorial(n)
                                 * cf.one_minus_u_power(mp.mpf(int(n)) / 2)(d, k), [0, mp.inf])
                assert abs(lap(d, k) - direct) <= mp.mpf(10) ** -37 * abs(direct), (c, d, k)


def test_laplace_kmax_200_by_the_generic_path_follows_its_decay_law():
    # the generic path (expression only), not the series closed form; its speed is measured in
    # bench/bench_kernels.py, not asserted here
    from workbench.kernels.quadrature import eigenvalues_by_quadrature
    mus = eigenvalues_by_quadrature(kernel("laplace"), 3, 200, dps=30)
    law = leading_asymptotic("laplace", 3)          # mu_k ~ k^-3 / 2, both parities
    with mp.workdps(30):
        ratio = mus[200] * 200 ** 3 / mp.mpf(sp.N(law.constants[0], 30))
    assert abs(ratio - 1) < 0.02                    # 1 + O(1/k) at k = 200


def test_monomial_closed_form_matches_recurrence():
    from workbench.kernels.closed_forms import monomial, monomial_closed
    with mp.workdps(30):
        for d in (2, 3, 6):
            for p in (0, 1, 4, 7):
                for k in range(p + 2):
                    assert abs(monomial_closed(d, k, p) - monomial(p)(d, k)) < mp.mpf(10) ** -27


@pytest.mark.parametrize("name", ["erf_nngp", "erf_ntk"])
@pytest.mark.parametrize("s", [1, 3])
def test_erf_kernels_power_series_matches_quadrature(name, s):
    kern = kernel(name, s=s)
    for d in (2, 5):
        for k in (0, 1, 3, 6):
            closed = eigenvalue(kern, d, k, dps=30)
            quad = sphere_eigenvalue_quadrature(kern, d, k, dps=30)
            with mp.workdps(30):
                if closed == 0:                 # odd kernels: even degrees vanish exactly
                    assert k % 2 == 0 and abs(quad) < mp.mpf(10) ** -28
                else:
                    assert abs(closed - quad) <= mp.mpf(10) ** -26 * abs(closed)


def test_callable_kernel_with_declared_endpoints():
    from workbench.kernels import Kernel
    # the Laplace kernel given only as an mpmath callable, endpoints declared by hand
    f = lambda u: mp.exp(-mp.sqrt(2 - 2 * u))  # noqa: E731
    k = Kernel.from_callable(f, "laplace-callable", endpoints=((R(1, 2), -sp.sqrt(2)), (None, 0)))
    law = leading_asymptotic(k, 3)
    assert law.constants == leading_asymptotic("laplace", 3).constants
    mus = sphere_eigenvalues(k, 3, 20, dps=30)
    with mp.workdps(30):
        ref = kernel("laplace").eigenvalue(3, 20)
        assert abs(mus[20] - ref) < mp.mpf(10) ** -28 * abs(ref)
    with pytest.raises(InvalidParameter, match="declared endpoints"):
        leading_asymptotic(Kernel.from_callable(f, "undeclared"), 3)
    with pytest.raises(InvalidParameter, match="non-integer"):
        Kernel.from_callable(f, "bad", endpoints=((2, 1), (None, 0)))
    with pytest.raises(InvalidParameter, match="not real|not finite|not a function"):
        Kernel.from_callable(lambda u: mp.sqrt(u), "sqrt-u")


def _shared_node_sums_in_mpmath(kappa, d, K, h, dps):
    """The previous implementation of the shared-node sums (mpmath numbers throughout): the
    oracle for the fixed-point recurrence."""
    from workbench.kernels.quadrature import tanh_sinh_angle_nodes
    acc = [mp.mpf(0)] * (K + 1)
    for th, w in tanh_sinh_angle_nodes(h, dps):
        t = mp.cos(th)
        f = kappa(t) * mp.sin(th) ** (d - 2) * w
        p_prev, p = mp.mpf(1), t
        acc[0] += f
        acc[1] += f * t
        for j in range(1, K):
            p_prev, p = p, ((2 * j + d - 2) * t * p - j * p_prev) / (j + d - 2)
            acc[j + 1] += f * p
    return acc


@pytest.mark.parametrize("d", [2, 3, 5])
def test_fixed_point_recurrence_equals_the_mpmath_sums(d):
    from workbench.kernels.quadrature import _sums, tanh_sinh_angle_nodes
    lap = kernel(sp.exp(-sp.sqrt(2 - 2 * U)))
    h = mp.mpf(2) ** -5
    with mp.workdps(40):
        ref = _shared_node_sums_in_mpmath(lap, d, 50, h, 40)
        got = _sums(lap, d, 50, tanh_sinh_angle_nodes(h, 40), 40, lambda k: False)
        top = max(abs(x) for x in ref)
        assert max(abs(a - b) for a, b in zip(got, ref)) < top * mp.mpf(10) ** -38


def test_refined_rule_is_the_rule_of_half_the_step():
    """Coarse sums halved plus the odd nodes are the sums of the rule of step h/2."""
    from workbench.kernels.quadrature import _sums, tanh_sinh_angle_nodes
    kern = kernel("arccos1")
    h = mp.mpf(2) ** -4
    with mp.workdps(40):
        def rule(step, odd=False):
            return _sums(kern, 3, 20, tanh_sinh_angle_nodes(step, 40, odd), 40, lambda k: False)
        refined = [a / 2 + b for a, b in zip(rule(h), rule(h / 2, odd=True))]
        assert max(abs(a - b) for a, b in zip(refined, rule(h / 2))) < mp.mpf(10) ** -40


@pytest.mark.parametrize("d, ks", [(3, [0, 1, 7, 50, 200]), (2, [0, 3, 40]), (5, [2, 31])])
def test_generic_path_agrees_with_adaptive_quadrature_to_30_digits(d, ks):
    """The generic (expression-only) path against one adaptive quadrature per degree and, for
    d = 3, the Laplace series closed form, to 30 digits."""
    from workbench.kernels.quadrature import eigenvalues_by_quadrature
    lap = kernel(sp.exp(-sp.sqrt(2 - 2 * U)))
    mus = eigenvalues_by_quadrature(lap, d, max(ks), dps=30)
    series = sphere_eigenvalues(kernel("laplace"), d, max(ks), dps=30)
    for k in ks:
        with mp.workdps(30):
            assert abs(mus[k] - series[k]) <= mp.mpf(10) ** -29 * abs(series[k]), (d, k)
        if k <= 50:
            single = sphere_eigenvalue_quadrature(lap, d, k, dps=30)
            with mp.workdps(30):
                assert abs(mus[k] - single) <= mp.mpf(10) ** -29 * abs(single), (d, k)


def test_guard_is_raised_when_the_refined_rule_shows_smaller_eigenvalues():
    """exp(u) on S^3: eigenvalues fall by ~60 orders up to k = 30; the previous loop stopped
    with a ConvergenceError because it never raised the guard after the first rule."""
    from workbench.kernels.quadrature import eigenvalues_by_quadrature
    kern = kernel("exponential", s=1)
    mus = eigenvalues_by_quadrature(kern, 4, 30, dps=30)
    exact = sphere_eigenvalues(kern, 4, 30, dps=30)
    with mp.workdps(30):
        assert all(abs(a - b) <= mp.mpf(10) ** -29 * abs(b) for a, b in zip(mus, exact))
