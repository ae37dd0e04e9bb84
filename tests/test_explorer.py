"""``workbench export html``: the static site of the derivation graph (no browser here; the
Chromium test is tests/test_explorer_browser.py)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

TOPIC = Path(__file__).parent / "data" / "explorer_topic.py"
IDS = ["explore/gamma-ratio", "explore/power-law-fit", "explore/false-one", "explore/rests-on-false"]


class Links(HTMLParser):
    """Every href/src of a page, and the ids of its elements."""

    def __init__(self):
        super().__init__()
        self.urls, self.ids, self.tags = [], set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("href", "src", "xlink:href")]
        if "id" in a:
            self.ids.add(a["id"])


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text())
    return p


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site of the explorer topic from a store where it was verified (one run each, and a
    second run of power-law-fit)."""
    import subprocess
    import sys
    root = tmp_path_factory.mktemp("explorer")
    store = root / "store.sqlite"

    def cli(*args):
        proc = subprocess.run([sys.executable, "-m", "workbench.cli", *args, "--no-builtin",
                               "--file", str(TOPIC), "--store", str(store)],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode in (0, 1), proc.stderr
        return proc
    cli("verify")
    cli("verify", "--force", "explore/power-law-fit")
    out = cli("export", "html", str(root / "site"))
    return root, cli, out


def test_every_claim_has_a_page_and_a_node_in_the_graph(site):
    root, _, out = site
    index = parse(root / "site" / "index.html")
    for cid in IDS:
        assert f"claim:{cid}" in index.ids                     # the SVG node
        assert f"row-claim:{cid}" in index.ids                 # the table row
        assert (root / "site" / "claims" / f"{cid}.html").is_file()
    text = (root / "site" / "index.html").read_text()
    assert 'data-count="1">1 failed' in text and 'data-count="1">1 blocked' in text
    assert "wrote" in out.stdout


def test_every_link_is_local_and_resolves(site):
    root = site[0] / "site"
    for page in root.rglob("*.html"):
        for url in parse(page).urls:
            assert not re.match(r"[a-z]+:|//", url), f"{page.name} links outside the site: {url}"
            target = (page.parent / url.split("#")[0]).resolve()
            assert target.is_file(), f"{page.name} links to a missing file {url}"


def test_claim_page_shows_maths_evidence_links_code_and_history(site):
    root = site[0] / "site"
    page = root / "claims" / "explore" / "gamma-ratio.html"
    text = page.read_text()
    assert "<math" in text and "<msqrt>" in text                    # sqrt(n), as MathML
    assert "exponent 1/2 and constant 1 confirmed" in text and "dps" not in text.split("precisions")[0][-5:]
    assert 'href="../../claims/explore/power-law-fit.html"' in text   # a dependent
    fit = (root / "claims" / "explore" / "power-law-fit.html").read_text()
    assert 'href="../../claims/explore/gamma-ratio.html"' in fit       # its premise
    assert '<span class="nf">power_law_fit</span>' in fit              # the check, highlighted
    assert "explorer_topic.py, line" in fit
    assert fit.count("<td>current</td>") == 2                           # two stored runs
    assert 'src="../../plots/explore/power-law-fit.svg"' in fit
    svg = (root / "plots" / "explore" / "power-law-fit.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg


def test_blocked_claim_shows_the_chain_to_the_failing_premise(site):
    root = site[0] / "site"
    text = (root / "claims" / "explore" / "rests-on-false.html").read_text()
    chain = text.split('<ul class="why">')[1].split("</ul>")[0]
    assert chain.index("explore/false-one") < chain.index("explore/rests-on-false")
    assert "false_one() returned False" in chain
    assert '<ul class="why">' not in (root / "claims" / "explore" / "power-law-fit.html").read_text()


def test_regenerating_rewrites_only_what_changed(site):
    root, cli, _ = site
    manifest = json.loads((root / "site" / "manifest.json").read_text())
    assert "claims/explore/gamma-ratio.html" in manifest
    again = cli("export", "html", str(root / "site"))
    assert again.stdout.startswith("wrote 0 files")
    page = root / "site" / "claims" / "explore" / "gamma-ratio.html"
    runs = page.read_text().count("<td>current</td>")
    cli("verify", "--force", "explore/gamma-ratio")      # one more run in its history only
    third = cli("export", "html", str(root / "site"))
    assert third.stdout.startswith("wrote 1 files"), third.stdout
    assert page.read_text().count("<td>current</td>") == runs + 1


def test_a_formula_mathml_cannot_read_is_shown_as_its_source():
    from workbench.export.html.maths import mathml, sentence_html
    assert mathml(r"\frac{1}{2}").startswith("<math")
    assert mathml(r"\frac{1}{").startswith('<code class="tex">')
    text = sentence_html(r"costs \$5 and $x^2 < 1$ <b>")
    assert "costs $5" in text and "<math" in text and "&lt;b&gt;" in text


def test_natural_order_puts_d2_before_d10():
    from workbench.export.order import natural_key
    ids = ["t/laplace-decay-even-d10", "t/laplace-decay-even-d2", "t/laplace-decay-even-d3", "t/b"]
    assert sorted(ids, key=natural_key) == ["t/b", "t/laplace-decay-even-d2",
                                            "t/laplace-decay-even-d3", "t/laplace-decay-even-d10"]


def test_a_removed_claim_loses_its_page(tmp_path):
    from workbench import Derivation
    from workbench.export.html import export_html
    from workbench.verify import current_report
    D = Derivation("gone")
    D.claim("kept", statement="$a$")(lambda: True)
    D.claim("dropped", statement="$b$")(lambda: True)
    export_html(current_report(D, None), tmp_path)
    assert (tmp_path / "claims" / "gone" / "dropped.html").is_file()
    E = Derivation("gone")
    E.claim("kept", statement="$a$")(lambda: True)
    site = export_html(current_report(E, None), tmp_path)
    assert not (tmp_path / "claims" / "gone" / "dropped.html").exists()
    assert (tmp_path / "claims" / "gone" / "kept.html").is_file() and site.written == ["index.html"]


@pytest.mark.parametrize("problem", ["file in the way", "no graphviz"])
def test_bad_output_or_missing_graphviz_is_a_one_line_error(tmp_path, problem):
    import os
    import subprocess
    import sys
    target, env = tmp_path / "site", dict(os.environ)
    if problem == "file in the way":                 # a file where a folder must go
        (tmp_path / "plain").write_text("not a folder")
        target = tmp_path / "plain" / "site"
    else:
        env["PATH"] = str(tmp_path)             # no `dot` there
    proc = subprocess.run([sys.executable, "-m", "workbench.cli", "export", "html", str(target),
                           "--no-builtin", "--file", str(TOPIC), "--store", str(tmp_path / "s.sqlite")],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert ("cannot write the site" if problem == "file in the way" else "Graphviz") in proc.stderr
