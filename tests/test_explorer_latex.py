"""LaTeX export polish (issue 15): long claim ids break at the margin, claims in a topic come
in natural order (d2, d3, ..., d10)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

TOPIC = Path(__file__).parent / "data" / "explorer_topic.py"
LONG = "explore/a-rather-long-claim-name-that-would-overflow-a-margin-d"


@pytest.fixture(scope="module")
def tex(tmp_path_factory):
    from workbench.export import export_latex
    from workbench.loading import load
    from workbench.verify import current_report
    out = tmp_path_factory.mktemp("latex") / "claims.tex"
    export_latex(current_report(load(builtin=False, files=(str(TOPIC),)), None), out)
    return out


def test_claims_of_a_topic_come_in_natural_order(tex):
    text = tex.read_text()
    where = [text.index(f"\\label{{claim:{LONG.replace('/', ':')}{d}}}") for d in (2, 3, 10)]
    assert where == sorted(where)
    # premises still come before the claims that use them
    assert text.index("claim:explore:gamma-ratio}") < text.index("claim:explore:power-law-fit}")


def test_claim_order_groups_each_topic_once():
    from workbench import Derivation
    from workbench.export.latex import claim_order
    from workbench.verify import current_report
    A, B = Derivation("a"), Derivation("b")
    A.claim("x-d10", statement="s")(lambda: True)
    B.claim("y", uses=["a/x-d10"], statement="s")(lambda: True)
    A.claim("x-d2", uses=["b/y"], statement="s")(lambda: True)   # a -> b -> a across topics
    order = claim_order(current_report([*A, *B], None))
    topics = [cid.split("/")[0] for cid in order]
    assert topics == sorted(topics, key=topics.index) and len(set(topics)) == 2
    assert sorted(order) == sorted(["a/x-d10", "a/x-d2", "b/y"])


@pytest.mark.latex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_long_claim_ids_break_instead_of_overflowing(tex):
    assert "\\allowbreak{}" in tex.read_text()
    for _ in range(2):
        res = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
                             cwd=tex.parent, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stdout[-3000:]
    log = (tex.parent / "claims.log").read_text(errors="replace")
    # each overfull box is reported with the start of the text it holds
    overfull = re.findall(r"Overfull \\hbox.*\n(.*)\n", log)
    assert not [o for o in overfull if "a-rather" in o or "overflow" in o], overfull
