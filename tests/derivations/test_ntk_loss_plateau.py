"""``ntk_loss/no-bias-plateau-d*``: L(t) is computed from the no-bias spectrum and extrapolated in
t; the closed-form plateau is only the claimed limit, so a wrong constant or a spectrum without
the exact zeros is refuted."""

import dataclasses

import mpmath as mp
import pytest
import sympy as sp

from workbench_derivations import ntk_loss as N
from workbench.validate.dispatch import run_check


def _with_leading(claim, leading):
    return dataclasses.replace(claim, statement=dataclasses.replace(claim.statement, leading=leading))


def test_the_plateau_is_the_limit_of_the_loss_computed_from_the_spectrum():
    claim = N.D["no-bias-plateau-d3"]
    assert sp.simplify(claim.statement.leading - sp.Rational(1, 32)) == 0
    with mp.workdps(30):
        assert abs(N.no_bias_loss_from_spectrum(200, 3) - mp.mpf(1) / 32) < mp.mpf(10) ** -28
        assert N.no_bias_loss_from_spectrum(1, 3) > mp.mpf(1) / 32 + mp.mpf(10) ** -3
    ev = run_check(claim)
    assert ev.verdict == "verified", ev.summary


@pytest.mark.parametrize("delta", [sp.Rational(1, 10 ** 12), -sp.Rational(1, 100)])
def test_a_wrong_plateau_constant_is_refuted(delta):
    claim = N.D["no-bias-plateau-d3"]
    bad = _with_leading(claim, (sp.Rational(1, 32) + delta) * N.t ** 0)
    ev = run_check(bad)
    assert ev.verdict == "failed" and ev.outcome == "refuted", ev.summary


def test_a_spectrum_without_the_exact_zeros_is_refuted(monkeypatch):
    # if relu_ntk had small nonzero odd eigenvalues (here mu_k = k^-3), the loss would keep
    # falling below the closed-form plateau: the same claim must then fail
    true_eigenvalue = N.eigenvalue

    def perturbed(kern, d, k, dps=None):
        mu = true_eigenvalue(kern, d, k, dps)
        return mu if (k < 3 or k % 2 == 0) else mp.mpf(k) ** -3

    monkeypatch.setattr(N, "eigenvalue", perturbed)
    ev = run_check(N.D["no-bias-plateau-d3"])
    assert ev.verdict == "failed", ev.summary
