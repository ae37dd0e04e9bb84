"""A stored result is reused only if nothing it depends on changed.

Each scenario writes a user claim file and helper modules into a temporary directory,
verifies the claim into a private store (verified), edits ONE dependency so that the claim
becomes false, and shows that the stored result is no longer served: the current report
says ``unchecked`` and a new verify runs the check again and finds it ``failed``.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from workbench import Store, current_report, verify
from workbench import dependencies as deps
from workbench.errors import MissingInput
from workbench.graph import build_graph
from workbench.hashing import effective_hashes
from workbench.loading import load_file

HEAD = """\
import functools, types
import mpmath as mp, sympy as sp
from workbench import Derivation
D = Derivation("inv")
n = sp.Symbol("n", positive=True, integer=True)
"""


class Project:
    """A claim file ``claims.py`` and its helpers in one directory (on ``sys.path``)."""

    def __init__(self, root: Path):
        self.root = root
        self.store = Store(root / "store.sqlite")

    def write(self, name: str, text: str, head: bool = False):
        (self.root / name).write_text((HEAD if head else "") + textwrap.dedent(text))

    def edit(self, name: str, old: str, new: str):
        path = self.root / name
        text = path.read_text()
        assert text.count(old) == 1, f"{old!r} not once in {name}"
        path.write_text(text.replace(old, new))

    def forget(self):
        """Drop this directory's modules so the next load executes the edited files."""
        for key, mod in list(sys.modules.items()):
            f = getattr(mod, "__file__", None)
            if f and Path(f).resolve().is_relative_to(self.root.resolve()):
                del sys.modules[key]
        importlib.invalidate_caches()

    def claims(self):
        self.forget()
        return [c for d in load_file(self.root / "claims.py") for c in d]

    def hashes(self):
        return effective_hashes(build_graph(self.claims()))


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)   # no stale .pyc within one second
    p = Project(tmp_path)
    yield p
    p.store.close()
    p.forget()


# name: (files {name: text}, the edit (file, old, new) that makes inv/x false)
SCENARIOS = {
    "module-attribute": ({
        "helper.py": """
            import mpmath as mp
            def seq(k):
                return mp.mpf(k) / 2
            """,
        "claims.py": """
            import helper
            D.asymptotic("x", variable=n, leading=n / 2, sequence=lambda k: helper.seq(k))
            """}, ("helper.py", "/ 2", "/ 3")),
    "import-inside-function": ({
        "helper2.py": "VALUE = 1\n",
        "claims.py": """
            @D.claim("x", statement="the helper's value is one")
            def x():
                import helper2
                return helper2.VALUE == 1
            """}, ("helper2.py", "VALUE = 1", "VALUE = 2")),
    "partial": ({
        "helper.py": """
            def at_least(a, b):
                return a >= b
            """,
        "claims.py": """
            import helper
            D.add("x", "3 >= 2", check=functools.partial(helper.at_least, 3, 2))
            """}, ("claims.py", "helper.at_least, 3, 2", "helper.at_least, 1, 2")),
    "global-mpf": ({
        "claims.py": """
            LIMIT = mp.mpf("0.5")
            @D.claim("x", statement="1/3 < LIMIT")
            def x():
                return mp.mpf(1) / 3 < LIMIT
            """}, ("claims.py", '"0.5"', '"0.25"')),
    "object-attribute": ({
        "claims.py": """
            class Settings:
                pass
            S = Settings()
            S.bound = 2
            @D.claim("x", statement="1 < bound")
            def x():
                return 1 < S.bound
            """}, ("claims.py", "S.bound = 2", "S.bound = 0")),
    "lambdified": ({
        "claims.py": """
            t = sp.Symbol("t")
            f = sp.lambdify(t, t**2, "mpmath")
            @D.claim("x", statement="f(3) = 9")
            def x():
                return f(3) == 9
            """}, ("claims.py", "t**2", "t**3")),
    "helper-in-free-form-check": ({
        "helper.py": """
            def is_small(v):
                return v < 10
            """,
        "claims.py": """
            from helper import is_small
            @D.claim("x", statement="5 is small")
            def x():
                return is_small(5)
            """}, ("helper.py", "v < 10", "v < 3")),
    "transitive-import": ({
        "helper.py": """
            from helper2 import LIMIT
            def bound():
                return LIMIT
            """,
        "helper2.py": "LIMIT = 10\n",
        "claims.py": """
            import helper
            @D.claim("x", statement="the bound exceeds 5")
            def x():
                return helper.bound() > 5
            """}, ("helper2.py", "LIMIT = 10", "LIMIT = 1")),
    "declared-input": ({
        "data.csv": "1,2,3\n",
        "claims.py": """
            from pathlib import Path
            @D.claim("x", statement="the data sum to 6", inputs=["data.csv"])
            def x():
                text = (Path(__file__).parent / "data.csv").read_text()
                return sum(int(v) for v in text.split(",")) == 6
            """}, ("data.csv", "1,2,3", "1,2,4")),
}


def _write(project, files):
    for name, text in files.items():
        project.write(name, text, head=(name == "claims.py"))


@pytest.mark.parametrize("kind", sorted(SCENARIOS))
def test_editing_a_dependency_invalidates_the_stored_result(project, kind):
    files, (name, old, new) = SCENARIOS[kind]
    _write(project, files)
    first = verify(project.claims(), store=project.store)
    assert first["inv/x"].status == "verified", first["inv/x"].evidence.summary

    project.edit(name, old, new)
    claims = project.claims()
    assert effective_hashes(build_graph(claims))["inv/x"] != first["inv/x"].hash
    assert current_report(claims, project.store)["inv/x"].status == "unchecked"
    again = verify(claims, store=project.store)
    assert not again["inv/x"].cached
    assert again["inv/x"].status == "failed"


def test_unchanged_files_serve_the_stored_result(project):
    files, _ = SCENARIOS["transitive-import"]
    _write(project, files)
    verify(project.claims(), store=project.store)
    again = verify(project.claims(), store=project.store)
    assert again["inv/x"].cached and again["inv/x"].status == "verified"


def test_editing_an_unrelated_module_does_not_invalidate(project):
    files, _ = SCENARIOS["transitive-import"]
    _write(project, files)
    project.write("unrelated.py", "VALUE = 1\n")
    before = project.hashes()
    project.edit("unrelated.py", "VALUE = 1", "VALUE = 2")
    assert project.hashes() == before


def test_editing_one_claim_keeps_its_siblings(project):
    project.write("claims.py", """
        @D.claim("x", statement="one")
        def x():
            return 1 + 1 == 2
        @D.claim("y", statement="two")
        def y():
            return 2 + 2 == 4
        D.add("z", "three", check=lambda: 3 > 2)
        """, head=True)
    before = project.hashes()
    project.edit("claims.py", "2 + 2 == 4", "2 + 2 != 5")
    project.edit("claims.py", "3 > 2", "3 > 1")
    after = project.hashes()
    assert after["inv/x"] == before["inv/x"]
    assert after["inv/y"] != before["inv/y"] and after["inv/z"] != before["inv/z"]


def test_every_declaration_method_is_masked_from_the_module_digest(project):
    """Editing one claim declared by any declaration method (agree, agreement, asymptotic, ...)
    re-runs that claim only: the module's coarse digest leaves every declaration call out."""
    from workbench import Derivation
    public = {m for m in vars(Derivation) if not m.startswith("_") and callable(getattr(Derivation, m))}
    assert public - {"claims"} == set(Derivation.DECLARATIONS)
    project.write("claims.py", """
        import mpmath as mp
        def one(k):
            return mp.mpf(k)
        D.agree("a", one, one, over=[1, 2], digits=10)
        D.agree("b", one, one, over=[3], digits=10)
        D.agreement("c", estimate=lambda seed: 1.0 + seed * 0, reference=1.0, seeds=[0, 1])
        D.agreement("e", estimate=lambda seed: 2.0 + seed * 0, reference=2.0, seeds=[0, 1])
        """, head=True)
    before = project.hashes()
    project.edit("claims.py", "over=[3]", "over=[3, 4]")
    project.edit("claims.py", "reference=2.0", "reference=2.0, k=4")
    after = project.hashes()
    assert after["inv/a"] == before["inv/a"] and after["inv/c"] == before["inv/c"]
    assert after["inv/b"] != before["inv/b"] and after["inv/e"] != before["inv/e"]


def test_top_level_code_of_the_claim_file_invalidates_all_its_claims(project):
    project.write("claims.py", """
        SCALE = 2
        @D.claim("x", statement="one")
        def x():
            return 1 + 1 == 2
        """, head=True)
    before = project.hashes()
    project.edit("claims.py", "SCALE = 2", "SCALE = 3")   # not referenced by x, still hashed
    assert project.hashes()["inv/x"] != before["inv/x"]


def test_a_change_of_the_engine_source_invalidates(project, monkeypatch):
    files, _ = SCENARIOS["global-mpf"]
    _write(project, files)
    claims = project.claims()
    verify(claims, store=project.store)
    assert current_report(claims, project.store)["inv/x"].status == "verified"
    real = deps.engine_digest()
    monkeypatch.setattr(deps, "engine_digest", lambda: real + "-validator-fix")
    assert current_report(claims, project.store)["inv/x"].status == "unchecked"


def test_the_engine_digest_covers_the_validators():
    import workbench.validate.extrapolation as ex
    root = Path(deps.__file__).resolve().parent
    assert Path(ex.__file__).resolve().is_relative_to(root)
    assert deps.engine_digest() == deps.engine_digest()


def test_a_library_version_change_invalidates(project, monkeypatch):
    files, _ = SCENARIOS["global-mpf"]
    _write(project, files)
    claims = project.claims()
    verify(claims, store=project.store)
    table = dict(deps.library_versions())
    table["mpmath"] = table["mpmath"] + ".post1"
    monkeypatch.setattr(deps, "library_versions", lambda: table)
    assert current_report(claims, project.store)["inv/x"].status == "unchecked"
    assert {"python", "numpy", "scipy", "mpmath", "sympy", "numba", "networkx"} <= set(table)


def test_a_missing_input_is_an_error_naming_the_claim_and_path(project):
    files, _ = SCENARIOS["declared-input"]
    _write(project, files)
    (project.root / "data.csv").unlink()
    with pytest.raises(MissingInput, match=r"inv/x: declared input .*data\.csv"):
        project.hashes()


def test_inputs_are_relative_to_the_declaring_file(project):
    files, _ = SCENARIOS["declared-input"]
    _write(project, files)
    (claim,) = project.claims()
    assert claim.inputs == (str((project.root / "data.csv").resolve()),)


def test_a_registered_topic_installed_in_site_packages_is_hashed_by_source(tmp_path, monkeypatch):
    pkg = tmp_path / "lib" / "site-packages" / "mytopic"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    path = str(pkg / "__init__.py")
    assert not deps.is_ours("mytopic", path)                       # an installed library
    monkeypatch.setattr(deps, "_registered_roots", lambda: frozenset({"mytopic"}))
    assert deps.is_ours("mytopic", path)                           # registered: ours
    assert deps.is_ours("mytopic.helpers", path)


def test_the_engine_and_libraries_are_not_hashed_by_file(tmp_path):
    import numpy
    import workbench.validate
    assert not deps.is_ours("numpy", numpy.__file__)
    assert not deps.is_ours("json", importlib.import_module("json").__file__)
    assert not deps.is_ours("workbench.validate", workbench.validate.__file__)  # engine_digest
    (tmp_path / "mine.py").write_text("")
    assert deps.is_ours("mine", str(tmp_path / "mine.py"))


def _digest_with_one_file_changed(monkeypatch, relative):
    """engine_digest() when the file ``relative`` (inside workbench/) reads differently."""
    root = Path(deps.__file__).resolve().parent
    real = deps.file_digest

    def fake(path):
        p = Path(path).resolve()
        return real(path) + ("-edited" if p == (root / relative).resolve() else "")
    monkeypatch.setattr(deps, "file_digest", fake)
    try:
        return deps.engine_digest()
    finally:
        monkeypatch.setattr(deps, "file_digest", real)


@pytest.mark.parametrize("relative, counts", [
    ("validate/asymptotic_verdict.py", True), ("integrals.py", True), ("printing/latex.py", True),
    ("plotting/sources.py", True), ("cli.py", False), ("export/html/claim.py", False),
    ("export/latex.py", False), ("conjecture/command.py", False)])
def test_the_engine_digest_skips_only_presentation_modules(monkeypatch, relative, counts):
    before = deps.engine_digest()
    assert (_digest_with_one_file_changed(monkeypatch, relative) != before) is counts


def _imported_modules(path, package):
    """Absolute names of the modules that a source file imports (relative imports resolved)."""
    import ast
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)
    return out


def test_no_check_can_reach_a_presentation_module():
    """The premise of leaving PRESENTATION out of the engine digest: no other engine module and
    no built-in derivation imports one of them (a check reaches the engine only by imports)."""
    root = Path(deps.__file__).resolve().parent
    repo = root.parent

    def presentation_name(name):
        if not name.startswith("workbench."):
            return False
        rel = name[len("workbench."):].replace(".", "/")
        return deps.is_presentation(rel + ".py") or deps.is_presentation(rel + "/")

    offenders = []
    sources = [(f, "workbench." + ".".join(f.relative_to(root).with_suffix("").parts))
               for f in root.rglob("*.py") if not deps.is_presentation(f.relative_to(root).as_posix())]
    sources += [(f, "workbench_derivations." + f.stem) for f in (repo / "derivations").glob("*.py")]
    for f, module in sources:
        package = module if f.name == "__init__.py" else module.rsplit(".", 1)[0]
        if f.name == "__init__.py":
            package = module.removesuffix(".__init__")
        bad = sorted(n for n in _imported_modules(f, package) if presentation_name(n))
        if bad:
            offenders.append(f"{f.relative_to(repo)} imports {bad}")
    assert not offenders, offenders
