"""The built-in derivation `velikanov_yarotsky`: xi = kappa/nu on exact power-law sequences."""

import os

import mpmath as mp
import pytest
import sympy as sp

from workbench_derivations import velikanov_yarotsky as V
from workbench import verify
from workbench.loading import load


def test_first_correction_formula_against_the_exact_sum():
    # t^(1/nu) (L/lead - 1) at t = 1e9 is the derived constant up to O(t^(-1/nu))
    nu, kappa = sp.Rational(2), sp.Rational(1, 2)
    with mp.workdps(30):
        seq = V.correction_sequence(10 ** 9, nu, kappa, 1, 1)
        const = mp.mpf(sp.N(V.correction_constant(nu, kappa, 1), 30))
        assert abs(seq / const - 1) < 1e-3


@pytest.mark.slow
def test_velikanov_yarotsky_claims_verify():
    ids = ["velikanov_yarotsky"]
    if os.environ.get("WORKBENCH_SHORT") == "1":
        ids = ["velikanov_yarotsky/mellin-integral", "velikanov_yarotsky/compiled-sum",
               "velikanov_yarotsky/xi-3o2_1_1_1"]
    report = verify(load(builtin=True), ids, jobs=2)
    bad = {i: r.evidence.summary for i, r in report.results.items() if r.status != "verified"}
    assert not bad
    assert report["velikanov_yarotsky/xi-2_1o2_1_1"].evidence.digits >= 20
