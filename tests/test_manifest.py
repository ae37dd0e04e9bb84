"""Manifests (workbench.manifest): a warm no-op verify imports no derivation module, gives the
report of the full path, and every kind of edit a hash depends on defeats the manifest.

A small topic package ``mftopic`` is written into ``tmp_path/lib`` and registered by patching
the entry-point lookup (``workbench.loading._registrations``); runs are in-process with
``isolate=False`` and the package's modules are dropped from ``sys.modules`` before each run,
so "imported" means imported by that run.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbench import Store, verify
from workbench import dependencies as deps
from workbench import loading
from workbench.graph import build_graph
from workbench.hashing import effective_hashes
from workbench.loading import Sources

ROOT = Path(__file__).resolve().parent.parent

FILES = {
    "__init__.py": "",
    "helper.py": """
        def value():
            return 3
        """,
    "data.csv": "1,2,3\n",
    "claims.py": """
        import os

        from workbench import Derivation

        from . import helper

        SCALE = int(os.environ.get("MFTOPIC_SCALE", "1"))
        D = Derivation("mf")

        @D.claim("helper", statement="the helper's value is 3")
        def helper_claim():
            return helper.value() == 3

        @D.claim("data", statement="the declared data are there", inputs=["data.csv"])
        def data_claim():
            return True

        @D.claim("own", statement="two and two make four")
        def own_claim():
            return 2 + 2 == 4

        @D.claim("scaled", statement="the scale is positive", uses=["own"])
        def scaled_claim():
            return SCALE > 0
        """,
    "extra.py": """
        from workbench import Derivation

        E = Derivation("mfextra")

        @E.claim("one", statement="one is one")
        def one():
            return 1 == 1
        """,
    "reads.py": """
        from pathlib import Path

        from workbench import Derivation

        LIMIT = int((Path(__file__).parent / "data.csv").read_text().split(",")[0])
        R = Derivation("mfreads")

        @R.claim("limit", statement="the first datum is 1")
        def limit():
            return LIMIT == 1
        """,
}


class Topic:
    def __init__(self, tmp_path, monkeypatch, modules=("mftopic.claims",)):
        self.lib = tmp_path / "lib"
        self.pkg = self.lib / "mftopic"
        self.pkg.mkdir(parents=True)
        for name, text in FILES.items():
            (self.pkg / name).write_text(textwrap.dedent(text))
        self.store = Store(tmp_path / "store.sqlite")
        self.monkeypatch = monkeypatch
        monkeypatch.syspath_prepend(str(self.lib))
        monkeypatch.delenv("MFTOPIC_SCALE", raising=False)
        self.register(*modules)

    def register(self, *modules):
        self.monkeypatch.setattr(loading, "_registrations",
                                 lambda: {m: "registered by mftopic 0.1 (test)" for m in modules})
        deps._registered_roots.cache_clear()

    def edit(self, name, old, new):
        path = self.pkg / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))

    def run(self):
        """``(report, imported modules of the package, claims whose check ran)``."""
        for m in [m for m in sys.modules if m.split(".")[0] == "mftopic"]:
            del sys.modules[m]
        report = verify(Sources(), store=self.store, isolate=False, jobs=1)
        imported = {m for m in sys.modules if m.startswith("mftopic.") and m != "mftopic.helper"}
        ran = {i for i, r in report.results.items() if not r.cached}
        return report, imported, ran


@pytest.fixture
def topic(tmp_path, monkeypatch):
    t = Topic(tmp_path, monkeypatch)
    yield t
    t.store.close()
    deps._registered_roots.cache_clear()


def _full_hashes():
    return effective_hashes(build_graph(loading.load()))


def test_warm_noop_imports_nothing_and_reports_as_the_full_path(topic):
    first, imported, ran = topic.run()
    assert imported == {"mftopic.claims"} and ran == set(first.results)
    second, imported, ran = topic.run()
    assert imported == set() and ran == set()
    assert {i: (r.status, r.hash) for i, r in second.results.items()} == \
        {i: (r.status, r.hash) for i, r in first.results.items()}
    assert {i: r.hash for i, r in second.results.items()} == _full_hashes()
    assert second.counts() == {"verified": 4}
    assert type(second["mf/own"].claim).__name__ == "ClaimStub"
    assert second["mf/scaled"].claim.uses == ("mf/own",)


# kind of edit -> (apply it, claims that must re-run, or None: at least the named one)
EDITS = {
    "claim-file": (lambda t: t.edit("claims.py", "2 + 2 == 4", "2 + 2 == 4 and True"),
                   {"mf/own", "mf/scaled"}),
    "helper-module": (lambda t: t.edit("helper.py", "return 3", "return 1 + 2"), {"mf/helper"}),
    "input-file": (lambda t: t.edit("data.csv", "1,2,3", "1,2,4"), {"mf/data"}),
    "environment-variable": (lambda t: t.monkeypatch.setenv("MFTOPIC_SCALE", "2"), {"mf/scaled"}),
    "engine-file": (lambda t: t.monkeypatch.setattr(deps, "engine_digest", lambda: "edited"), None),
    "library-version": (lambda t: t.monkeypatch.setattr(
        deps, "library_versions", lambda v=deps.library_versions(): {**v, "sympy": "0.0"}), None),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_each_kind_of_edit_defeats_the_manifest(topic, kind):
    topic.run()
    assert topic.run()[1] == set()                   # the manifest is current
    apply, must = EDITS[kind]
    apply(topic)
    report, imported, ran = topic.run()
    assert imported == {"mftopic.claims"}
    assert {i: r.hash for i, r in report.results.items()} == _full_hashes()
    if must is None:                                 # engine and libraries: everything re-runs
        assert ran == set(report.results)
    elif kind == "helper-module":                   # the coarse layer: the module's claims
        assert must <= ran
    else:                                            # the fine-grained layer: only those
        assert ran == must
    assert topic.run()[1:] == (set(), set())         # and the new manifest serves again


def test_a_new_entry_point_defeats_every_manifest(topic):
    topic.run()
    topic.register("mftopic.claims", "mftopic.extra")
    report, imported, ran = topic.run()
    assert imported == {"mftopic.claims", "mftopic.extra"}
    assert ran == {"mfextra/one"}                    # hashes unchanged: nothing else re-runs
    assert "mfextra/one" in report.results
    assert topic.run()[1:] == (set(), set())


def test_a_claim_that_must_run_imports_its_module(topic):
    first, _, _ = topic.run()
    with sqlite3.connect(topic.store.path) as db:   # its stored result is gone
        db.execute("DELETE FROM runs WHERE claim_id = 'mf/own'")
    report, imported, ran = topic.run()
    assert imported == {"mftopic.claims"} and ran == {"mf/own"}
    assert report.counts() == {"verified": 4}


@pytest.mark.parametrize("damage", ["garbage", "tampered-hash", "foreign-module"])
def test_a_corrupted_or_foreign_row_is_ignored(topic, damage):
    topic.register("mftopic.claims", "mftopic.extra")
    topic.run()
    with sqlite3.connect(topic.store.path) as db:
        rows = dict(db.execute("SELECT module, data FROM manifests"))
        if damage == "garbage":
            db.execute("UPDATE manifests SET data = '{not json' WHERE module = 'mftopic.claims'")
        elif damage == "tampered-hash":
            data = json.loads(rows["mftopic.claims"])
            data["claims"][0]["own"] = "0" * 64
            db.execute("UPDATE manifests SET data = ? WHERE module = 'mftopic.claims'",
                       (json.dumps(data, sort_keys=True),))
        else:                                        # the extra module's row filed under claims
            db.execute("DELETE FROM manifests WHERE module = 'mftopic.claims'")
            db.execute("UPDATE manifests SET module = 'mftopic.claims' WHERE module = 'mftopic.extra'")
    report, imported, ran = topic.run()
    assert "mftopic.claims" in imported and ran <= {"mfextra/one"}
    assert {i: r.hash for i, r in report.results.items()} == _full_hashes()
    assert report.counts() == {"verified": 5}


def test_a_module_that_reads_a_file_at_import_is_never_manifested(topic):
    topic.register("mftopic.reads")
    topic.run()
    report, imported, ran = topic.run()
    assert imported == {"mftopic.reads"} and ran == set()
    topic.edit("data.csv", "1,2,3", "2,2,3")         # the value read at import changes
    report, imported, ran = topic.run()
    assert ran == {"mfreads/limit"} and report["mfreads/limit"].status == "failed"


@pytest.mark.filterwarnings("ignore:cannot hash")
def test_a_claim_that_cannot_be_hashed_stably_is_never_manifested(topic):
    topic.edit("claims.py", "SCALE = int(", "import threading\nLOCK = threading.Lock()\nSCALE = int(")
    topic.edit("claims.py", "return SCALE > 0", "return SCALE > 0 and LOCK is not None")
    topic.run()
    report, imported, ran = topic.run()
    assert imported == {"mftopic.claims"} and "mf/scaled" in ran
    with sqlite3.connect(topic.store.path) as db:
        assert db.execute("SELECT count(*) FROM manifests").fetchone()[0] == 0


def _env():
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


HEAVY = ("sympy", "numpy", "numba", "scipy", "mpmath", "networkx", "matplotlib", "flint")


def test_import_workbench_and_the_cli_load_no_science_package():
    code = ("import sys, workbench, workbench.cli; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_builtin_warm_noop_imports_no_derivation_and_prints_the_same_report(tmp_path):
    """The built-in claims with every current result stored: the first run (full path, it
    writes the manifests) and the second (manifests) print the same lines, and the second
    imports no derivation module, no numba and no sympy."""
    from workbench.evidence import Evidence
    claims = loading.load()
    path = tmp_path / "store.sqlite"
    with Store(path) as store:                       # every result stored and current
        for cid, h in effective_hashes(build_graph(claims)).items():
            store.record(cid, h, Evidence("verified", "stored for the test"))
    run = ("import sys, runpy; sys.argv = ['workbench', 'verify', '--store', sys.argv[1]]\n"
           "try:\n    runpy.run_module('workbench.cli', run_name='__main__')\n"
           "except SystemExit as e:\n    code = e.code\n"
           "print('MODULES', sorted(m for m in sys.modules if m.split('.')[0] in "
           f"{('workbench_derivations',) + HEAVY!r} and m.count('.') == 0 or "
           "m.startswith('workbench_derivations.')), code)\n")
    outs = [subprocess.run([sys.executable, "-c", run, str(path)], env=_env(), capture_output=True,
                           text=True, timeout=600).stdout.splitlines() for _ in range(2)]
    first, second = outs
    assert first[:-2] == second[:-2]                 # claim lines (the last two: summary, modules)
    assert first[-2].split(";")[:2] == second[-2].split(";")[:2]
    assert "0 checks run" in second[-2]
    assert "workbench_derivations.ntk_loss" in first[-1]
    assert second[-1] == "MODULES ['networkx'] 0"
