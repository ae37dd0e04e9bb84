"""The printers: one per output, status looks defined once, `workbench list` with shapes and --json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sympy as sp

from workbench import Derivation, Evidence
from workbench.printing.style import STATUS
from workbench.verify import current_report

ENGINE = Path(__file__).resolve().parents[1] / "workbench"

CLAIMS = '''
import mpmath as mp, sympy as sp
from workbench import Derivation
print("noise at import time")
D = Derivation("pl")
n = sp.Symbol("n", positive=True, integer=True)
x = sp.Symbol("x", positive=True)
D.asymptotic("ratio", sequence=lambda n: mp.gamma(n + mp.mpf(1)/2) / mp.gamma(n), variable=n,
             leading=sp.sqrt(n), kind="theorem", title="Gamma ratio")
D.equality("square", sp.sqrt(x) ** 2, x)
D.add("words", "a sentence [red]with markup[/]", check=lambda: True, kind="conjecture")
D.agree("thirds", lambda k: mp.mpf(k) / 3, lambda k: k / mp.mpf(3), over=[1, 2], digits=20)
'''


def _file(tmp_path):
    f = tmp_path / "pl.py"
    f.write_text(CLAIMS)
    return ("--no-builtin", "--file", str(f))


def test_list_json_is_pure_json_with_role_shape_status_and_typed(run_cli, tmp_path):
    proc = run_cli("list", "--json", *_file(tmp_path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)                  # the import-time print went to stderr
    assert "noise at import time" in proc.stderr
    rows = {r["id"]: r for r in data["claims"]}
    assert rows["pl/ratio"] == {"id": "pl/ratio", "kind": "theorem", "shape": "asymptotic",
                                "status": "unchecked", "title": "Gamma ratio", "typed": True}
    assert rows["pl/words"]["shape"] == "free-form" and rows["pl/words"]["typed"] is False
    assert rows["pl/words"]["kind"] == "conjecture"
    assert rows["pl/thirds"]["shape"] == "agree" and rows["pl/square"]["shape"] == "equality"
    assert data["summary"] == {"claims": 4, "typed": 3, "free_form": 1, "typed_fraction": 0.75,
                               "shapes": {"agree": 1, "asymptotic": 1, "equality": 1, "free-form": 1},
                               "statuses": {"unchecked": 4}}


def test_list_json_status_follows_the_store(run_cli, tmp_path):
    args = _file(tmp_path)
    assert run_cli("verify", "pl/words", *args).returncode == 0
    data = json.loads(run_cli("list", "--json", *args).stdout)
    status = {r["id"]: r["status"] for r in data["claims"]}
    assert status["pl/words"] == "verified" and status["pl/ratio"] == "unchecked"
    assert data["summary"]["statuses"] == {"unchecked": 3, "verified": 1}


def test_list_shows_the_shape_column(run_cli, tmp_path):
    proc = run_cli("list", *_file(tmp_path))
    assert proc.returncode == 0, proc.stderr
    header = next(line for line in proc.stdout.splitlines() if line.startswith("claim")).split()
    assert header == ["claim", "kind", "shape", "status", "title"]
    row = next(line for line in proc.stdout.splitlines() if line.startswith("pl/ratio"))
    assert row.split()[1:4] == ["theorem", "asymptotic", "unchecked"]


def test_builtin_list_json_counts_free_form_claims(run_cli):
    from workbench.loading import load
    claims = load()
    proc = run_cli("list", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout)["summary"]
    free = sum(c.shape == "free-form" for c in claims)
    assert summary["claims"] == len(claims) and summary["free_form"] == free
    assert summary["typed"] == len(claims) - free


# -- one place for each look --------------------------------------------------------

def _engine_sources():
    return [(p, p.read_text()) for p in ENGINE.rglob("*.py")]


def test_status_colours_are_defined_only_in_style():
    colours = {v for s in STATUS.values() for v in (s.html, s.fill, s.tikz)}
    for path, text in _engine_sources():
        if path.name == "style.py":
            continue
        for colour in colours:
            assert colour not in text, f"{path} defines status colour {colour}"
        # a dict mapping a status to a colour or style, e.g. {"verified": "green", ...}
        assert not re.search(r"""["']verified["']\s*:\s*["'](#|green|red)""", text), path


def test_sympy_latex_goes_through_the_house_printer():
    for path, text in _engine_sources():
        if path.parts[-2:] == ("printing", "latex.py"):
            continue
        assert not re.search(r"\b(sp|sympy)\.latex\(|from sympy import .*\blatex\b", text), path


def test_html_and_dot_use_the_style_and_escape_user_text():
    from workbench.export import to_dot
    from workbench.printing.html import claim_html, evidence_html, report_html
    D = Derivation("h")
    c = D.add("a", "<b>sentence</b>", title="<script>x</script>", check=lambda: True)
    D.equality("e", sp.Integer(1), sp.Integer(1))
    report = current_report(D, None)
    assert "<script>" not in claim_html(c) and "&lt;script&gt;" in claim_html(c)
    assert claim_html(c) == c._repr_html_()
    assert f"color:{STATUS['unchecked'].html}" in report_html(report)
    assert report_html(report) == report._repr_html_()
    assert f'fillcolor="{STATUS["unchecked"].fill}"' in to_dot(report)
    ev = Evidence("failed", "a < b", measured={"x": {"value": "<1>", "digits": 3.0}})
    assert "&lt;1&gt;" in evidence_html(ev) and "<td>3.0</td>" in evidence_html(ev)


def test_verify_json_and_graph_json_carry_the_shape():
    from workbench.export import json as export_json
    D = Derivation("j")
    D.add("a", "words", check=lambda: True)
    report = current_report(D, None)
    claims = json.loads(report.to_json())["claims"]
    assert claims[0]["shape"] == "free-form" and claims[0]["kind"] == "lemma"
    nodes = json.loads(export_json.to_json_graph(report))["nodes"]
    assert nodes[0]["shape"] == "free-form" and nodes[0]["status"] == "unchecked"
