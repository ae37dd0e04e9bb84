"""The `workbench` command end to end (fresh processes, a private result store)."""

import json
import re
import time

import mpmath as mp
import pytest

from conftest import HAS_PDFLATEX, TOY

WRONG = '''
import mpmath as mp, sympy as sp
from workbench import Derivation
D = Derivation("wrong")
n = sp.Symbol("n", positive=True, integer=True)
D.asymptotic("gamma-ratio", sequence=lambda n: mp.gamma(n + mp.mpf(1)/2) / mp.gamma(n),
             variable=n, leading=n**sp.Rational(3, 5))
'''


def statuses(proc):
    return {c["id"]: c["status"] for c in json.loads(proc.stdout)["claims"]}


def test_toy_acceptance(run_cli):
    proc = run_cli("verify", "--no-builtin", "--file", str(TOY), "--json")
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"claims"}
    st = {c["id"]: c["status"] for c in data["claims"]}
    assert st == {"toy/gamma-ratio": "verified", "toy/positive": "verified",
                  "toy/false-one": "failed", "toy/c": "blocked"}
    for c in data["claims"]:
        assert {"id", "kind", "status", "evidence"} <= set(c)
    ev = next(c for c in data["claims"] if c["id"] == "toy/gamma-ratio")["evidence"]
    assert ev["digits"] >= 20 and ev["methods"] == ["richardson", "wynn-epsilon"]


def test_exit_code_zero_when_all_selected_verified(run_cli):
    proc = run_cli("verify", "--no-builtin", "--file", str(TOY), "toy/positive")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified  toy/positive" in proc.stdout


def test_wrong_asymptotic_refuted_with_measured_exponent(run_cli, tmp_path):
    f = tmp_path / "wrong.py"
    f.write_text(WRONG)
    proc = run_cli("verify", "--no-builtin", "--file", str(f), "--json")
    assert proc.returncode == 1
    ev = json.loads(proc.stdout)["claims"][0]["evidence"]
    assert ev["outcome"] == "refuted"
    value = mp.mpf(ev["measured"]["exponent"]["value"])
    assert abs(value - mp.mpf(1) / 2) < mp.mpf(10) ** -15        # >= 15 digits of 1/2
    assert "measured exponent 0.500000000000000000" in ev["summary"]
    assert float(ev["measured"]["exponent"]["error"]) < 1e-15


def test_second_run_reruns_nothing(run_cli):
    # all built-in derivations are loaded; the first run verifies a subset, not every claim.
    # (The no-op run's wall time is measured in bench/bench_verify.py, not asserted here.)
    ids = ("asymptotics/gamma-ratio*", "toy", "sphere_targets/jump-coefficients-d3")
    first = run_cli("verify", *ids, "--file", str(TOY))
    first_runs = json.loads(run_cli("verify", *ids, "--file", str(TOY), "--json").stdout)
    assert first.returncode in (0, 1) and first_runs["claims"]
    second = run_cli("verify", *ids, "--file", str(TOY), "--json")
    claims = json.loads(second.stdout)["claims"]
    # every claim with a stored verdict is served from the store; none re-ran
    assert all(c["cached"] for c in claims), [c["id"] for c in claims if not c["cached"]]
    # the text summary counts them: nothing run, every claim from the store (not "10 checks run",
    # not "0 from the store", which the line also prints when nothing was stored)
    text = run_cli("verify", *ids, "--file", str(TOY)).stdout
    assert len(claims) > 0
    assert re.search(rf"(?<!\d)0 checks run, {len(claims)} from the store", text), text[-300:]


def test_editing_a_claim_reruns_it_and_its_dependents_only(run_cli, tmp_path):
    f = tmp_path / "toy.py"
    f.write_text(TOY.read_text())
    run_cli("verify", "--no-builtin", "--file", str(f))
    f.write_text(TOY.read_text().replace("range(1, 50)", "range(1, 60)"))   # edit `positive`
    proc = run_cli("verify", "--no-builtin", "--file", str(f), "--json")
    rerun = {c["id"] for c in json.loads(proc.stdout)["claims"] if not c["cached"]}
    assert rerun == {"toy/positive", "toy/false-one", "toy/c"}


def test_force_reruns_everything(run_cli):
    run_cli("verify", "--no-builtin", "--file", str(TOY))
    proc = run_cli("verify", "--no-builtin", "--file", str(TOY), "--json", "--force")
    assert not any(c["cached"] for c in json.loads(proc.stdout)["claims"])


def test_parallel_jobs_give_identical_results(run_cli):
    ids = ("asymptotics/gamma-ratio*", "asymptotics/power-sum*", "toy")   # 13 built-in claims
    one = run_cli("verify", *ids, "--file", str(TOY), "--json", "--force", "--jobs", "1")
    two = run_cli("verify", *ids, "--file", str(TOY), "--json", "--force", "--jobs", "2")
    strip = lambda p: {c["id"]: (c["status"], c["evidence"]["summary"], c["evidence"]["measured"])  # noqa: E731
                       for c in json.loads(p.stdout)["claims"]}
    assert strip(one) == strip(two)


def test_show_why_history_graph(run_cli):
    run_cli("verify", "--no-builtin", "--file", str(TOY))
    args = ("--no-builtin", "--file", str(TOY))
    show = run_cli("show", "toy/gamma-ratio", *args)
    assert show.returncode == 0
    assert "dependents:     toy/c, toy/false-one, toy/positive" in show.stdout
    assert "exponent[richardson,dps30]" in show.stdout
    why = run_cli("why", "toy/c", *args)
    assert "toy/false-one -> toy/c" in why.stdout and "returned False" in why.stdout
    # a verified claim: the chain it rests on, premise by premise, with each one's verdict
    held = run_cli("why", "toy/positive", *args).stdout
    assert "toy/positive is verified" in held
    assert "<- toy/gamma-ratio [lemma] verified: exponent" in held, held
    hist = run_cli("history", "toy/gamma-ratio", *args)
    assert "verified" in hist.stdout and "yes" in hist.stdout
    graph = json.loads(run_cli("graph", "--format", "json", *args).stdout)
    assert {"source": "toy/positive", "target": "toy/false-one"} in graph["edges"]
    dot = run_cli("graph", *args).stdout
    assert '"toy/gamma-ratio" -> "toy/positive";' in dot


def test_list_marks_stale_results_unchecked(run_cli, tmp_path):
    f = tmp_path / "toy.py"
    f.write_text(TOY.read_text())
    run_cli("verify", "--no-builtin", "--file", str(f))
    f.write_text(TOY.read_text().replace("range(1, 50)", "range(1, 70)"))
    out = run_cli("list", "--no-builtin", "--file", str(f)).stdout
    line = next(l for l in out.splitlines() if l.startswith("toy/positive"))
    assert "unchecked" in line


@pytest.mark.parametrize("body, message", [
    ("import nonexistent_module_xyz\n", "does not import: ModuleNotFoundError"),
    ("x = 1/0\n", "ZeroDivisionError"),
    ("x = 1\n", "defines no Derivation"),
    ("from workbench import Derivation\nD = Derivation('c')\n"
     "D.add('a', 'a', uses=['b'], check=lambda: True)\nD.add('b', 'b', uses=['a'], check=lambda: True)\n",
     "cycle: c/a -> c/b -> c/a"),
    ("from workbench import Derivation\nD = Derivation('c')\n"
     "D.add('a', 'a', uses=['ghost'], check=lambda: True)\n", "c/a uses 'c/ghost'"),
    ("from workbench import Derivation\nD = Derivation('c')\n"
     "D.add('a', 'a', check=lambda: True)\nD.add('a', 'a', check=lambda: True)\n",
     "duplicate claim id c/a"),
    ("import sympy as sp\nfrom workbench import Derivation\nD = Derivation('c')\n"
     "n = sp.Symbol('n', integer=True, positive=True)\n"
     "D.asymptotic('a', variable=n, leading=sp.exp(n), sequence=lambda k: k)\n", "not of the form"),
])
def test_bad_input_gets_a_one_line_error(run_cli, tmp_path, body, message):
    f = tmp_path / "bad.py"
    f.write_text(body)
    proc = run_cli("verify", "--no-builtin", "--file", str(f))
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_file_and_unknown_id(run_cli):
    assert "does not exist" in run_cli("verify", "--file", "nope.py").stderr
    proc = run_cli("show", "no/such-claim", "--no-builtin", "--file", str(TOY))
    assert proc.returncode == 2 and "no claim matches" in proc.stderr


def test_exception_in_check_is_error_and_run_continues(run_cli, tmp_path):
    f = tmp_path / "err.py"
    f.write_text("from workbench import Derivation\nD = Derivation('e')\n"
                 "@D.claim('boom', statement='explodes')\ndef boom():\n    raise RuntimeError('kaboom')\n"
                 "@D.claim('fine', statement='fine')\ndef fine():\n    return True\n")
    st = statuses(run_cli("verify", "--no-builtin", "--file", str(f), "--json"))
    assert st == {"e/boom": "error", "e/fine": "verified"}
    out = run_cli("show", "e/boom", "--no-builtin", "--file", str(f)).stdout
    assert "RuntimeError: kaboom" in out


@pytest.mark.latex
@pytest.mark.skipif(not HAS_PDFLATEX, reason="pdflatex not installed")
def test_latex_export_compiles_without_undefined_references(run_cli, tmp_path):
    import subprocess
    run_cli("verify", "--no-builtin", "--file", str(TOY))   # evidence lines for the toy claims
    out = tmp_path / "doc" / "claims.tex"
    proc = run_cli("export", "latex", "-o", str(out), "--file", str(TOY))
    assert proc.returncode == 0, proc.stderr
    tex = out.read_text()
    assert r"\begin{lemma}" in tex and r"\label{claim:toy:gamma-ratio}" in tex
    assert r"\cref{claim:toy:gamma-ratio}" in tex
    for _ in range(2):
        res = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", out.name],
                             cwd=out.parent, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stdout[-3000:]
    log = (out.parent / "claims.log").read_text()
    assert "undefined" not in log.lower(), [l for l in log.splitlines() if "ndefined" in l]
    assert (out.parent / "claims.pdf").stat().st_size > 10_000


def test_plot_draws_an_asymptotic_claim_and_refuses_a_claim_without_data(run_cli, tmp_path):
    args = ("--no-builtin", "--file", str(TOY))
    out = tmp_path / "gamma.png"
    done = run_cli("plot", "toy/gamma-ratio", "-o", str(out), *args)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    bad = run_cli("plot", "toy/positive", "-o", str(tmp_path / "x.png"), *args)
    assert bad.returncode != 0 and "nothing to plot" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr


def test_plot_series_residuals_follow_the_data():
    import matplotlib
    matplotlib.use("Agg")
    from workbench import Derivation, Evidence
    from workbench.plotting import plot_claim, series
    D = Derivation("plot_toy")
    c = D.add("s", "a series", check=lambda: True)
    ev = Evidence("verified", "ok", details={"plot": series([1, 2, 4], [1.1, 0.5, 0.25], [0.05, 0.02, 0.01],
                                                             [1.0, 0.5, 0.25])})
    fig = plot_claim(c, ev)
    bottom = fig.axes[1]
    ys = bottom.lines[0].get_ydata() if bottom.lines else None
    # the errorbar residuals: 0.1, 0, 0
    import numpy as np
    assert np.allclose(ys, [0.1, 0.0, 0.0])
