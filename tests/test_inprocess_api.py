"""Store, select, current_report and the exporters called in-process (the CLI tests reach them
only through subprocesses): each asserts the behaviour a regression would change."""

import re

import pytest

from workbench import Derivation
from workbench.errors import WorkbenchError
from workbench.export.dot import to_dot
from workbench.export.latex import LatexExporter, export_latex, label_of
from workbench.graph import build_graph
from workbench.store import Store
from workbench.verify import current_report, select, verify


def _chain(top_holds=True):
    """t/base (holds) <- t/middle (fails) <- t/top; t/side (holds, independent)."""
    D = Derivation("t", title="chain")
    D.add("base", "$1 = 1$", check=lambda: True)
    D.add("middle", "$2 = 3$", uses=["base"], check=lambda: False)
    D.add("top", "the theorem", uses=["middle"], kind="theorem", check=lambda: top_holds)
    D.add("side", "$0 = 0$", check=lambda: True)
    return D


def test_select_by_id_topic_and_glob_in_order_without_duplicates():
    G = build_graph(_chain().claims)
    assert select(G, None) == ["t/base", "t/middle", "t/side", "t/top"]
    assert select(G, ["t/top", "t/s*", "t"]) == ["t/top", "t/side", "t/base", "t/middle"]
    with pytest.raises(WorkbenchError, match="no claim matches 't/nothing'"):
        select(G, ["t/top", "t/nothing"])


def test_store_records_and_finds_exactly_one_claim_version(tmp_path):
    D = _chain()
    with Store(tmp_path / "s.sqlite") as store:
        report = verify(D, store=store, isolate=False)
        ev = report.results["t/side"].evidence
        assert store.lookup("t/side", "not-its-hash") is None
        assert len(store.history("t/side")) == 1
        # a second run with the same claims reads the store and appends nothing
        again = verify(D, store=store, isolate=False)
        assert all(r.cached for r in again.results.values())
        assert len(store.history("t/side")) == 1
        run = store.history("t/side")[0]
        assert run.verdict == "verified" and run.evidence.summary == ev.summary
        assert store.lookup("t/side", run.claim_hash).evidence.verdict == "verified"


def test_current_report_reads_statuses_and_marks_stale_claims_unchecked(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        before = current_report(_chain(), store)
        assert {r.status for r in before.results.values()} == {"unchecked"}
        verify(_chain(), store=store, isolate=False)
        now = current_report(_chain(), store)
        assert {c: r.status for c, r in now.results.items()} == {
            "t/base": "verified", "t/middle": "failed", "t/top": "blocked", "t/side": "verified"}
        # editing top's check makes its stored result stale: unchecked, the rest unchanged
        edited = current_report(_chain(top_holds=False), store)
        assert edited.results["t/top"].status == "unchecked"
        assert edited.results["t/side"].status == "verified"
        assert current_report(_chain(), None).results["t/base"].status == "unchecked"


def test_dot_export_has_every_claim_its_status_and_every_edge(tmp_path):
    report = verify(_chain(), isolate=False)
    dot = to_dot(report, title="chain")
    assert dot.startswith('digraph "chain" {') and dot.rstrip().endswith("}")
    for cid, status in [("t/base", "verified"), ("t/middle", "failed"), ("t/top", "blocked")]:
        assert f'"{cid}" [label="{cid}\\n{status}"' in dot, cid
    edges = set(re.findall(r'"([^"]+)" -> "([^"]+)"', dot))
    assert edges == {("t/base", "t/middle"), ("t/middle", "t/top")}


def test_latex_export_labels_each_claim_and_links_its_premises(tmp_path):
    report = verify(_chain(), isolate=False)
    out = export_latex(report, tmp_path / "sub" / "chain.tex", LatexExporter(graphviz=False))
    tex = out.read_text()
    assert out.exists() and "\\begin{document}" in tex and tex.rstrip().endswith("\\end{document}")
    for cid in ("t/base", "t/middle", "t/top", "t/side"):
        assert tex.count(f"\\label{{{label_of(cid)}}}") == 1, cid
    assert "\\begin{theorem}" in tex               # t/top is a theorem
    top = tex[tex.index(f"\\label{{{label_of('t/top')}}}"):]
    assert f"\\cref{{{label_of('t/middle')}}}" in top[:2000]
