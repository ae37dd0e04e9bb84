"""Packaging: the distribution's layout, and an environment where it is not installed.

The repository's ``derivations/`` folder is installed as ``workbench_derivations``; every
package of the source tree must be listed in ``pyproject.toml`` (``packages.find`` cannot
rename a folder, so a new sub-package that is not listed would be missing from the wheel).
"""

from __future__ import annotations

import ast
import logging
import subprocess
import sys
import textwrap
from importlib.metadata import EntryPoint, PackageNotFoundError
from pathlib import Path

import pytest

from workbench import loading
from workbench._version import __version__
from workbench.errors import DuplicateClaim, LoadError

from conftest import TOY

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
pytestmark = pytest.mark.skipif(not PYPROJECT.is_file(), reason="needs the source checkout")


def _pyproject():
    tomllib = pytest.importorskip("tomllib")
    return tomllib.loads(PYPROJECT.read_text())


def _source_packages() -> set[str]:
    """Import names of the packages in the source tree, ``derivations`` renamed."""
    out = set()
    for folder, name in (("workbench", "workbench"), ("derivations", "workbench_derivations")):
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            out.add(".".join((name, *rel)))
    return out


def test_every_source_package_is_installed_and_derivations_is_renamed():
    conf = _pyproject()
    setuptools = conf["tool"]["setuptools"]
    assert set(setuptools["packages"]) == _source_packages()
    assert setuptools["package-dir"] == {"workbench_derivations": "derivations"}
    assert not any(p.split(".")[0] == "derivations" for p in setuptools["packages"])
    assert conf["project"]["name"] == "scaling-workbench"
    assert conf["project"]["scripts"] == {"workbench": "workbench.cli:main"}


def test_every_topic_module_is_registered_under_its_installed_name():
    registered = _pyproject()["project"]["entry-points"]["workbench.derivations"]
    modules = {p.stem for p in (ROOT / "derivations").glob("*.py") if p.stem != "__init__"}
    assert registered == {m: f"workbench_derivations.{m}" for m in modules}


@pytest.mark.parametrize("path", sorted((ROOT / "derivations").glob("*.py")), ids=lambda p: p.stem)
def test_topic_modules_import_each_other_relatively(path):
    """An absolute ``derivations.X`` import fails once installed; ``workbench_derivations.X``
    fails in a checkout run by file: only a relative import works under either name."""
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"):
            names = [str(node.args[0].value)]
        for name in names:
            assert name.split(".")[0] not in ("derivations", "workbench_derivations"), \
                f"{path.name}:{node.lineno}: import {name} absolutely; use a relative import"


# -- nothing registered: a checkout that was never installed ---------------------------
def _not_installed(monkeypatch, dist_present=False):
    monkeypatch.setattr(loading, "entry_points", lambda **kw: ())

    class Dist:
        version = "0.1.0"

    def distribution(name):
        assert name == "scaling-workbench"
        if dist_present:
            return Dist()
        raise PackageNotFoundError(name)
    monkeypatch.setattr(loading, "distribution", distribution)


def test_an_uninstalled_checkout_says_to_install_it(monkeypatch):
    _not_installed(monkeypatch)
    with pytest.raises(LoadError, match=r"no built-in derivations are registered: workbench .* is "
                                        r"not installed in this environment; run `pip install -e \.`"):
        loading.load()
    assert loading.load(builtin=False, files=[TOY])       # --no-builtin --file still works


def test_an_install_that_registers_nothing_is_called_broken(monkeypatch):
    _not_installed(monkeypatch, dist_present=True)
    with pytest.raises(LoadError, match=r"installed scaling-workbench 0\.1\.0 declares no entry "
                                        r"points in group workbench\.derivations"):
        loading.load()


def test_an_uninstalled_checkout_with_files_warns_and_loads_them(monkeypatch, caplog):
    _not_installed(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="workbench"):
        claims = loading.load(files=[TOY])
    assert claims and {c.id.split("/")[0] for c in claims} == {"toy"}
    assert "not installed in this environment" in caplog.text


def test_a_topic_registered_twice_is_a_duplicate_naming_both_modules(monkeypatch, tmp_path):
    """E.g. a stale install under the old names beside the current one: one clear error,
    not every claim loaded twice."""
    for pkg in ("wb_old", "wb_new"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
        (tmp_path / pkg / "topic.py").write_text(
            "from workbench import Derivation\nD = Derivation('dup')\n"
            "D.add('a', 'a', check=lambda: True)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = (EntryPoint("topic", "wb_old.topic", loading.GROUP),
           EntryPoint("topic", "wb_new.topic:D", loading.GROUP))          # module:attr form
    monkeypatch.setattr(loading, "entry_points", lambda **kw: eps)
    assert loading.builtin_modules() == ["wb_new.topic", "wb_old.topic"]
    with pytest.raises(DuplicateClaim, match=r"duplicate claim id dup/a: declared in wb_new\.topic, "
                                             r"registered by .* and in wb_old\.topic, .*stale install"):
        loading.load()
    monkeypatch.setattr(loading, "entry_points", lambda **kw: eps[:1])
    assert [c.id for c in loading.load()] == ["dup/a"]
    with pytest.raises(DuplicateClaim, match=r"dup/a: declared in wb_old\.topic, .* and in "
                                             r".*topic\.py$"):                # no stale-install hint
        loading.load(files=[tmp_path / "wb_new" / "topic.py"])


def test_registered_but_not_importable_is_called_stale_metadata(monkeypatch, tmp_path):
    """Entry points found (e.g. a ``*.egg-info`` left in a checkout) but no package."""
    (tmp_path / "wb_half").mkdir()
    (tmp_path / "wb_half" / "__init__.py").write_text("")
    (tmp_path / "wb_half" / "topic.py").write_text("import wb_no_such_library\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = (EntryPoint("gone", "wb_absent_pkg.topic", loading.GROUP),
           EntryPoint("half", "wb_half.topic", loading.GROUP))
    monkeypatch.setattr(loading, "entry_points", lambda **kw: eps)
    with pytest.raises(LoadError, match=r"wb_absent_pkg\.topic is registered by .* but "
                                        r"wb_absent_pkg is not installed .* `pip install -e \.`"):
        loading.load_module("wb_absent_pkg.topic")
    with pytest.raises(LoadError, match=r"wb_half\.topic does not import: ModuleNotFoundError: "
                                        r"No module named 'wb_no_such_library'"):
        loading.load_module("wb_half.topic")     # its own import fails: not called stale


# the `python -m workbench` command, with importlib.metadata seeing no installation
UNINSTALLED = textwrap.dedent("""
    import importlib.metadata as m, runpy, sys
    def missing(name):
        raise m.PackageNotFoundError(name)
    m.entry_points = lambda **kw: m.EntryPoints(())
    m.distribution = missing
    sys.argv = ["workbench", *sys.argv[1:]]
    runpy.run_module("workbench", run_name="__main__", alter_sys=True)
    """)


def test_python_m_workbench_in_an_uninstalled_checkout_says_what_to_do(tmp_path):
    proc = subprocess.run([sys.executable, "-c", UNINSTALLED, "list"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("error: no built-in derivations are registered")
    assert "not installed in this environment" in line and "pip install -e ." in line
    assert "--no-builtin" not in line


def test_python_m_workbench_runs_the_command(tmp_path):
    proc = subprocess.run([sys.executable, "-c", UNINSTALLED, "--version"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"workbench, version {__version__}"
