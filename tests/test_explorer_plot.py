"""``workbench plot`` draws from the stored evidence (issue 15, item 2): the asymptotic
validator stores its series, the plot evaluates nothing unless nothing is stored or
``--rerun`` is given, and the legend shows the claimed law on one readable line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

COUNTED = Path(__file__).parent / "data" / "explorer_counted.py"


def test_plot_draws_the_stored_series_and_evaluates_only_when_asked(tmp_path):
    calls = tmp_path / "calls"
    env = dict(os.environ, EXPLORER_CALLS=str(calls))

    def cli(*args):
        proc = subprocess.run([sys.executable, "-m", "workbench.cli", *args, "--no-builtin",
                               "--file", str(COUNTED), "--store", str(tmp_path / "s.sqlite")],
                              env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def evaluations():
        n = len(calls.read_text().splitlines()) if calls.exists() else 0
        calls.unlink(missing_ok=True)
        return n
    out = tmp_path / "p.png"
    assert "from the stored result" not in cli("plot", "counted/gamma-ratio", "-o", str(out))
    assert evaluations() > 0                    # nothing stored: the sequence is computed
    cli("verify")
    assert evaluations() > 0
    assert "(from the stored result)" in cli("plot", "counted/gamma-ratio", "-o", str(out))
    assert evaluations() == 0 and out.read_bytes()[:4] == b"\x89PNG"
    assert "from the stored result" not in cli("plot", "counted/gamma-ratio", "--rerun", "-o", str(out))
    assert evaluations() > 0


def test_the_asymptotic_validator_stores_the_series_it_computed():
    import mpmath as mp
    from workbench import Derivation, run_check
    D = Derivation("t")
    n = sp.Symbol("n", positive=True, integer=True)
    c = D.asymptotic("g", sequence=lambda n: mp.gamma(n + mp.mpf(1) / 2) / mp.gamma(n),
                     variable=n, leading=sp.sqrt(n))
    ev = run_check(c)
    plot = ev.details["plot"]
    assert ev.verdict == "verified" and len(plot["x"]) == len(plot["y"]) == len(plot["law"]) >= 12
    # the residual |a / leading - 1| ~ 1/(8n), at the working precision
    for x, r in zip(plot["x"], plot["abs_residual"]):
        assert r == pytest.approx(1 / (8 * x), rel=0.1)
    assert plot["law_label"] == "claimed: $n^{1/2}$"


@pytest.mark.parametrize("leading, label", [
    ("sqrt(n)", "$n^{1/2}$"),
    ("9/(pi*n**5)", r"$(9 / \pi)\,n^{-5}$"),
    ("Rational(2, 5)*n**Rational(5, 2)", r"$(2/5)\,n^{5/2}$"),
    ("2**Rational(2, 3)*gamma(Rational(4, 3))/(8*pi**Rational(2, 3))*n**Rational(-1, 3)",
     r"$0.0826047\,n^{-1/3}$"),
    ("-1/(8*n)", r"$(-1/8)\,n^{-1}$"),
    ("3*n**2*log(n)", r"$3\,n^{2}\,(\log n)$"),
])
def test_the_legend_shows_the_law_on_one_line(leading, label):
    from matplotlib.mathtext import MathTextParser
    from workbench.plotting.sources import law_label
    from workbench.statements import Asymptotic
    n = sp.Symbol("n", positive=True, integer=True)
    stmt = Asymptotic(variable=n, leading=sp.sympify(leading, locals={"n": n}),
                      expression=sp.gamma(n))
    assert law_label(stmt) == label
    assert "frac" not in label
    MathTextParser("path").parse(label)         # matplotlib can typeset it
