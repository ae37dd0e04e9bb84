"""What a claim's result depends on besides its own functions: source files, the engine,
library versions and declared input files (the coarse layer of :mod:`workbench.hashing`).

Which files are *ours* (hashed by content) and which are *installed* (pinned by version):

- ``workbench`` itself, wherever it is installed: the source of the whole package
  (:func:`engine_digest`), so a validator or engine fix invalidates every stored result --
  except the modules that only present results (:data:`PRESENTATION`: the command line and
  the exports), which no check can reach (a test scans the imports);
- any module whose top-level package is registered in the ``workbench.derivations``
  entry-point group (the built-in ``workbench_derivations`` and third-party topics), even
  when it is installed into site-packages;
- any other module whose file is outside the standard library and site-/dist-packages
  (user files, helper modules next to them, a project's own packages).

Everything else (stdlib, third-party distributions) is covered by :func:`library_versions`.

:func:`module_closure` starts from modules and follows, transitively, every ``import`` /
``from ... import`` in their source (found with :mod:`ast`, anywhere in the file, relative
imports resolved, ``importlib.import_module("literal")`` included; located without
importing), every parent package, and the modules that the loaded module objects reference
at run time (module-typed globals, the ``__module__`` of function and class globals).

A module that declares claims (it holds a :class:`~workbench.claims.Derivation` at module
level) contributes its top-level code *except* function definitions and claim declarations:
those are hashed per claim, by value, by the fine-grained layer, so editing one claim
re-runs that claim and its dependents only.  Any other ours module contributes its full text.

File digests are cached per process by ``(path, mtime_ns, size)``; a file modified less
than :data:`RACY_SECONDS` before it was read is re-read every time (its mtime might not
change on the next edit), as in git's "racily clean" rule.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.machinery
import importlib.util
import os
import site
import sys
import sysconfig
import time
import types
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .errors import MissingInput

__all__ = ["LIBRARIES", "PRESENTATION", "library_versions", "engine_digest", "file_digest", "input_digests",
           "is_ours", "module_closure", "closure_digest"]

#: Distributions whose versions enter every claim hash.
LIBRARIES = ("numpy", "scipy", "mpmath", "sympy", "numba", "python-flint", "networkx")
#: A file modified less than this long before it was read is not trusted from the cache.
RACY_SECONDS = 2.0
_ENGINE = "workbench"


# -- files -----------------------------------------------------------------------------
_FILES: dict[str, tuple[tuple, str]] = {}       # path -> ((mtime_ns, size), digest)
_TEXTS: dict[str, bytes] = {}                    # digest -> content (of .py files, for ast)


def file_digest(path: str | os.PathLike) -> str:
    """sha256 of a file's content (cached while its mtime and size are unchanged)."""
    path = os.fspath(path)
    st = os.stat(path)
    key = (st.st_mtime_ns, st.st_size)
    hit = _FILES.get(path)
    if hit is not None and hit[0] == key:
        return hit[1]
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if time.time_ns() - st.st_mtime_ns > RACY_SECONDS * 1e9:
        _FILES[path] = (key, digest)
    if path.endswith(".py"):
        _TEXTS[digest] = data
    return digest


@lru_cache(maxsize=4096)
def _tree(digest: str) -> ast.Module | None:
    try:
        return ast.parse(_TEXTS[digest])
    except (SyntaxError, ValueError):
        return None


def input_digests(claim) -> list[str]:
    """Content digests of the claim's declared input files, in declared order.

    Raises :class:`~workbench.errors.MissingInput` naming the claim and the path when a
    declared input is not a readable file.
    """
    out = []
    for path in getattr(claim, "inputs", ()):
        try:
            out.append(file_digest(path))
        except OSError as exc:
            raise MissingInput(f"{claim.id}: declared input {path} cannot be read "
                               f"({exc.strerror or exc})") from None
    return out


# -- the engine and the libraries ------------------------------------------------------
#: modules of ``workbench`` that only present results: the command line and the exports (the
#: HTML explorer, LaTeX, DOT, JSON).  No other module of the package and no derivation imports
#: them (tests/test_invalidation.py scans the imports), so no check can reach them and an edit
#: there cannot change a verdict: they are left out of :func:`engine_digest`, and rebuilding
#: the explorer or adding a CLI option does not re-run every claim.
PRESENTATION = ("cli.py", "__main__.py", "export/", "conjecture/command.py")


def is_presentation(relative: str) -> bool:
    """Whether a path inside the ``workbench`` package (posix, relative) is presentation only."""
    return any(relative == p or (p.endswith("/") and relative.startswith(p)) for p in PRESENTATION)


def engine_digest() -> str:
    """Digest of the source of the ``workbench`` package: every ``.py`` file except the
    :data:`PRESENTATION` modules."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root).as_posix()
        if not is_presentation(rel):
            h.update(f"{rel}={file_digest(f)};".encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """Python's version and those of :data:`LIBRARIES` (``absent`` if not installed)."""
    out = {"python": sys.version}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


# -- which modules are ours ------------------------------------------------------------
@lru_cache(maxsize=1)
def _installed_prefixes() -> tuple[str, ...]:
    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths.update(site.getsitepackages() if hasattr(site, "getsitepackages") else ())
    paths.add(site.getusersitepackages())
    return tuple(os.path.join(os.path.realpath(p), "") for p in paths if p)


@lru_cache(maxsize=1)
def _registered_roots() -> frozenset[str]:
    """Top-level packages of the modules registered as derivations (always ours)."""
    from .loading import builtin_modules
    return frozenset(name.split(".")[0] for name in builtin_modules())


@lru_cache(maxsize=None)
def _installed(path: str) -> bool:
    real = os.path.realpath(path)
    parts = Path(real).parts
    return "site-packages" in parts or "dist-packages" in parts or real.startswith(_installed_prefixes())


def is_ours(name: str, path: str | None) -> bool:
    """True when module ``name`` (file ``path``) is hashed by source, not by version.

    The engine (``workbench``) is excluded: :func:`engine_digest` covers all of it.
    """
    top = name.split(".")[0]
    if top == _ENGINE or not path or not os.path.isfile(path):
        return False
    return top in _registered_roots() or not _installed(path)


def _find_spec(name: str, search):
    """The spec of ``name`` from the meta-path finders (as the import system asks them, so an
    editable install's finder is consulted too), given its parent's search locations;
    nothing is imported (finders only look)."""
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        if find is None:
            continue
        try:
            spec = find(name, search)
        except (ImportError, ValueError, TypeError, AttributeError):
            continue
        if spec is not None:
            return spec
    return None


def _locate(name: str, loaded: bool = True) -> str | None:
    """The file of module ``name``, without importing it (parent packages are not imported).

    With ``loaded`` (the default) a module already imported answers with its ``__file__``
    (and an imported parent with its ``__path__``); ``loaded=False`` looks at the files only,
    as a fresh process would (used by :mod:`workbench.manifest`).
    """
    mod = sys.modules.get(name) if loaded else None
    if mod is not None:
        return getattr(mod, "__file__", None)
    parts = name.split(".")
    search, spec = None, None
    for i in range(len(parts)):
        sub = ".".join(parts[:i + 1])
        parent_loaded = sys.modules.get(sub) if loaded else None
        if parent_loaded is not None:
            search, spec = getattr(parent_loaded, "__path__", None), parent_loaded.__spec__
        else:
            if i > 0 and search is None:
                return None
            spec = _find_spec(sub, search)
            if spec is None:
                return None
            search = spec.submodule_search_locations
        if i < len(parts) - 1 and search is None:
            return None
    return spec.origin if spec is not None and spec.has_location else None


# -- the imports and the hashed text of one module -------------------------------------
def _package_of(name: str, path: str) -> str:
    mod = sys.modules.get(name)
    if mod is not None and getattr(mod, "__package__", None) is not None:
        return mod.__package__
    return name if Path(path).name == "__init__.py" else name.rpartition(".")[0]


@lru_cache(maxsize=4096)
def _static_imports(digest: str, package: str) -> frozenset[str]:
    """Modules named by the import statements of the ``.py`` file with this content digest."""
    tree = _tree(digest)
    out: set[str] = set()
    if tree is None:
        return frozenset()

    def resolve(mod, level):
        try:
            return importlib.util.resolve_name("." * level + (mod or ""), package) if level else mod
        except (ImportError, ValueError):
            return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = resolve(node.module, node.level)
            if base:
                out.add(base)
                out.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__")):
            out.add(node.args[0].value)
    return frozenset(m for m in out if m)


def _declarations() -> frozenset[str]:
    from .claims import Derivation
    return Derivation.DECLARATIONS


def _declares(node, derivations: set[str]) -> bool:
    """A call ``D.<declaration>(...)`` on a module-level Derivation ``D``."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in _declarations() and isinstance(node.func.value, ast.Name)
            and node.func.value.id in derivations)


@lru_cache(maxsize=1024)
def _masked_digest(digest: str, derivations: frozenset[str]) -> str:
    """Digest of the module's top-level code without function bodies and claim declarations."""
    tree = _tree(digest)
    out = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorators = [ast.dump(d) for d in stmt.decorator_list if not _declares(d, derivations)]
            out.append(f"def {stmt.name} @{decorators}")
        elif isinstance(stmt, ast.Expr) and _declares(stmt.value, derivations):
            continue
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and _declares(stmt.value, derivations):
            continue
        else:
            out.append(ast.dump(stmt))
    return "masked:" + hashlib.sha256("\n".join(out).encode()).hexdigest()


def _module_derivations(name: str) -> set[str]:
    from .claims import Derivation
    mod = sys.modules.get(name)
    if mod is None:
        return set()
    return {k for k, v in vars(mod).items() if isinstance(v, Derivation)}


def _runtime_refs(name: str) -> set[str]:
    mod = sys.modules.get(name)
    out: set[str] = set()
    if mod is None:
        return out
    for value in list(vars(mod).values()):
        if isinstance(value, types.ModuleType):
            if not value.__name__.startswith(name + "."):   # not a package's own submodules
                out.add(value.__name__)
        elif isinstance(value, (types.FunctionType, type)):
            m = getattr(value, "__module__", None)
            if isinstance(m, str):
                out.add(m)
    return out


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


class ModuleInfo:
    """One ours module: the digest of its hashed text and the modules it depends on."""

    __slots__ = ("name", "digest", "deps")

    def __init__(self, name: str, path: str):
        self.name = name
        derivations = _module_derivations(name)
        content = file_digest(path)
        tree = _tree(content) if path.endswith(".py") else None
        if tree is not None and derivations:
            self.digest = _masked_digest(content, frozenset(derivations))
        else:
            self.digest = content
        deps = set(_parents(name)) | _runtime_refs(name)
        if tree is not None:
            deps |= _static_imports(content, _package_of(name, path))
        deps.discard(name)
        self.deps = frozenset(deps)


def module_closure(names, memo: dict | None = None) -> dict[str, str]:
    """``{module: digest}`` for the ours modules among ``names`` and everything they
    import, transitively.  ``memo`` (module name -> ModuleInfo or None) may be shared
    between calls within one hashing pass."""
    memo = {} if memo is None else memo
    out: dict[str, str] = {}
    stack = list(names)
    visited: set[str] = set()
    while stack:
        name = stack.pop()
        if name in visited:
            continue
        visited.add(name)
        if name not in memo:
            path = _locate(name)
            memo[name] = ModuleInfo(name, path) if is_ours(name, path) else None
        info = memo[name]
        if info is not None:
            out[name] = info.digest
            stack.extend(info.deps)
    return out


def closure_digest(names, memo: dict | None = None) -> str:
    """One digest for :func:`module_closure` of ``names``."""
    closure = module_closure(names, memo)
    return hashlib.sha256(";".join(f"{k}={v}" for k, v in sorted(closure.items())).encode()).hexdigest()
