"""A third-party topic, registered through the ``workbench.derivations`` entry-point group
and installed into a ``site-packages`` directory, gets the built-in topics' invalidation
guarantees: editing its claim module, a helper module of its own package, a global value
it reads or a declared input re-runs its claims; an edit elsewhere does not.

The package ``tptopic`` and its ``tptopic-0.1.dist-info`` (with ``entry_points.txt``) are
written into ``tmp_path/lib/site-packages``, which is put on ``sys.path``: found by
:mod:`importlib.metadata` exactly as a ``pip install``-ed distribution is.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from workbench import Store, current_report, verify
from workbench import dependencies as deps
from workbench.graph import build_graph
from workbench.hashing import effective_hashes
from workbench.loading import builtin_modules, load_module

FILES = {
    "__init__.py": "",
    "helper.py": """
        from .consts import OFFSET

        def value():
            return 3 + OFFSET
        """,
    "consts.py": "OFFSET = 0\n",
    "other.py": "UNUSED = 1\n",           # in the package, imported by nothing
    "data.csv": "1,2,3\n",
    "claims.py": """
        from pathlib import Path

        from workbench import Derivation

        from . import helper

        D = Derivation("tp")
        LIMIT = 5

        @D.claim("helper", statement="the helper's value is below LIMIT")
        def helper_claim():
            return helper.value() < LIMIT

        @D.claim("data", statement="the data sum to 6", inputs=["data.csv"])
        def data_claim():
            text = (Path(__file__).parent / "data.csv").read_text()
            return sum(int(v) for v in text.split(",")) == 6

        @D.claim("own", statement="two and two make four")
        def own_claim():
            return 2 + 2 == 4
        """,
}

# name: (claim, file, old, new): the edit makes the claim false
EDITS = {
    "helper-module": ("tp/helper", "helper.py", "3 + OFFSET", "7 + OFFSET"),
    "transitive-helper": ("tp/helper", "consts.py", "OFFSET = 0", "OFFSET = 9"),
    "global-value": ("tp/helper", "claims.py", "LIMIT = 5", "LIMIT = 1"),
    "claim-source": ("tp/own", "claims.py", "2 + 2 == 4", "2 + 2 == 5"),
    "declared-input": ("tp/data", "data.csv", "1,2,3", "1,2,4"),
}


class Installed:
    """``tptopic`` installed into a site-packages directory on ``sys.path``."""

    def __init__(self, site: Path):
        self.pkg = site / "tptopic"
        self.pkg.mkdir(parents=True)
        for name, text in FILES.items():
            (self.pkg / name).write_text(textwrap.dedent(text))
        info = site / "tptopic-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tptopic\nVersion: 0.1\n")
        (info / "entry_points.txt").write_text("[workbench.derivations]\ntp = tptopic.claims\n")
        self.store = Store(site / "store.sqlite")

    def edit(self, name, old, new):
        path = self.pkg / name
        text = path.read_text()
        assert text.count(old) == 1
        path.write_text(text.replace(old, new))

    def forget(self):
        for key in [k for k in sys.modules if k == "tptopic" or k.startswith("tptopic.")]:
            del sys.modules[key]
        importlib.invalidate_caches()

    def claims(self):
        """The claims of the registered third-party modules, imported afresh."""
        self.forget()
        mine = [m for m in builtin_modules() if m.startswith("tptopic")]
        return [c for name in mine for d in load_module(name) for c in d]

    def hashes(self):
        return effective_hashes(build_graph(self.claims()))


@pytest.fixture
def installed(tmp_path, monkeypatch):
    site = tmp_path / "lib" / "site-packages"
    monkeypatch.syspath_prepend(str(site.parent))     # created below; prepend needs a str only
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)   # no stale .pyc within one second
    pkg = Installed(site)
    importlib.invalidate_caches()
    deps._registered_roots.cache_clear()
    yield pkg
    pkg.store.close()
    pkg.forget()
    deps._registered_roots.cache_clear()


def test_the_topic_is_registered_and_installed(installed):
    assert "tptopic.claims" in builtin_modules()
    assert "site-packages" in Path(installed.pkg).parts
    assert {c.id for c in installed.claims()} == {"tp/helper", "tp/data", "tp/own"}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_an_edit_of_the_topic_re_runs_its_claim(installed, kind):
    cid, name, old, new = EDITS[kind]
    first = verify(installed.claims(), store=installed.store)
    assert all(r.status == "verified" for r in first.results.values())

    installed.edit(name, old, new)
    claims = installed.claims()
    assert effective_hashes(build_graph(claims))[cid] != first[cid].hash
    assert current_report(claims, installed.store)[cid].status == "unchecked"
    again = verify(claims, store=installed.store)
    assert not again[cid].cached
    assert again[cid].status == "failed"


def test_an_unrelated_edit_does_not_re_run_the_topic(installed, tmp_path):
    (tmp_path / "lib" / "site-packages" / "elsewhere.py").write_text("VALUE = 1\n")
    first = verify(installed.claims(), store=installed.store)
    installed.edit("other.py", "UNUSED = 1", "UNUSED = 2")
    (tmp_path / "lib" / "site-packages" / "elsewhere.py").write_text("VALUE = 2\n")
    again = verify(installed.claims(), store=installed.store)
    assert all(r.cached and r.status == "verified" for r in again.results.values())
    assert {cid: r.hash for cid, r in again.results.items()} == \
        {cid: r.hash for cid, r in first.results.items()}


def test_without_the_registration_the_installed_topic_would_not_be_hashed_by_source(installed):
    """The guarantee comes from the registration: the same files, unregistered, are an
    installed library (pinned by version, not hashed by content)."""
    path = str(installed.pkg / "helper.py")
    assert deps.is_ours("tptopic.helper", path)
    deps._registered_roots.cache_clear()
    (installed.pkg.parent / "tptopic-0.1.dist-info" / "entry_points.txt").write_text("")
    assert not deps.is_ours("tptopic.helper", path)
