"""Finding claims: built-in derivation modules (entry points) and user files.

Built-in derivations are registered under the entry-point group
``workbench.derivations`` by the ``scaling-workbench`` distribution (see
``pyproject.toml``; the repository's ``derivations/`` folder is installed as
``workbench_derivations``), so the engine never imports them by name and other
packages can add their own modules to the group.  A user file is any Python
file that creates :class:`Derivation` objects at module level.

An environment where nothing is registered (a checkout that was never
``pip install``-ed) is reported, with what to do, instead of loading no claims.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import sys
import traceback
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution, entry_points
from pathlib import Path

from .errors import DuplicateClaim, LoadError, WorkbenchError

# workbench.claims (and through it sympy) is imported when claims are loaded, not with this
# module: the CLI and the manifest path (workbench.manifest) need the registrations only

__all__ = ["Sources", "builtin_modules", "unregistered_reason", "load_module", "load_file",
           "load"]

#: The entry-point group of derivation modules (built-in and third-party).
GROUP = "workbench.derivations"
#: The distribution that installs the engine and registers the built-in derivations.
DISTRIBUTION = "scaling-workbench"

log = logging.getLogger(__name__)


def _dist_name(ep) -> str:
    """The distribution that registers ``ep``, with where its metadata was found."""
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "an unknown distribution"
    return f"{dist.name} {dist.version} (metadata in {dist.locate_file('')})"


def _registrations() -> dict[str, str]:
    """``{module: "registered by <distribution> (metadata in <dir>)"}`` for the group."""
    out: dict[str, str] = {}
    for ep in entry_points(group=GROUP):
        out.setdefault(ep.module, f"registered by {_dist_name(ep)}")
    return out


def builtin_modules() -> list[str]:
    """Module names registered in the entry-point group (``module`` or ``module:attr``), sorted."""
    return sorted(_registrations())


def unregistered_reason() -> str:
    """Why no derivation module is registered, and what to do (call when there is none).

    Decided from the distribution metadata, not from an error message: either the
    ``scaling-workbench`` distribution is not installed in this environment (a checkout
    run through ``PYTHONPATH`` or ``python -m workbench``), or it is installed but
    registers nothing (a broken install).
    """
    here = Path(__file__).resolve().parent.parent
    try:
        dist = distribution(DISTRIBUTION)
    except PackageNotFoundError:
        return (f"no built-in derivations are registered: workbench (imported from {here}) is not "
                f"installed in this environment; run `pip install -e .` in the checkout "
                f"(or pass --file with your own claims)")
    return (f"no built-in derivations are registered: the installed {DISTRIBUTION} {dist.version} "
            f"declares no entry points in group {GROUP} (a broken install); reinstall it with "
            f"`pip install -e .` in the checkout (or pass --file with your own claims)")


def _derivations_in(module) -> list:
    from .claims import Derivation
    found, seen = [], set()
    for value in vars(module).values():
        if isinstance(value, Derivation) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
    return found


def claims_of(derivations) -> list:
    """The claims of ``derivations``, in order, each once (a Derivation may be reached twice)."""
    claims, seen = [], set()
    for d in derivations:
        for c in d:
            if id(c) not in seen:
                seen.add(id(c))
                claims.append(c)
    return claims


def _import_error(what, exc) -> LoadError:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    if isinstance(exc, WorkbenchError):
        return LoadError(f"{what}: {exc}")
    return LoadError(f"{what} does not import: {type(exc).__name__}: {exc}{where}")


def _not_installed(name: str, exc: ModuleNotFoundError) -> LoadError | None:
    """The error for a registered module whose own package is missing (stale metadata)."""
    parts = name.split(".")
    if exc.name not in {".".join(parts[:i]) for i in range(1, len(parts) + 1)}:
        return None                     # the module exists; something it imports is missing
    by = _registrations().get(name, "not registered")
    return LoadError(f"derivation module {name} is {by} but {exc.name} is not installed in "
                     f"this environment (stale metadata); reinstall that distribution (in a "
                     f"workbench checkout: `pip install -e .`) or delete its metadata folder")


def load_module(name: str) -> list:
    """Import a derivation module by name and return the derivations it defines."""
    try:
        module = importlib.import_module(name)
    except Exception as exc:
        missing = _not_installed(name, exc) if isinstance(exc, ModuleNotFoundError) else None
        raise (missing or _import_error(f"derivation module {name}", exc)) from None
    return _derivations_in(module)


def load_file(path: str | Path) -> list:
    """Execute a claim file and return the derivations it defines."""
    path = Path(path).resolve()
    if not path.is_file():
        raise LoadError(f"claim file {path} does not exist")
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:10]
    modname = f"workbench_user_{path.stem.replace('-', '_')}_{digest}"
    if modname in sys.modules:
        return _derivations_in(sys.modules[modname])
    spec = importlib.util.spec_from_file_location(modname, path)
    if spec is None or spec.loader is None:
        raise LoadError(f"claim file {path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[modname] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:
        del sys.modules[modname]
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise _import_error(f"claim file {path}", exc) from None
    found = _derivations_in(module)
    if not found:
        raise LoadError(f"claim file {path} defines no Derivation at module level")
    return found


@dataclass(frozen=True)
class Sources:
    """Where claims come from: built-in derivations and/or files (picklable)."""

    builtin: bool = True
    files: tuple[str, ...] = ()

    def load(self) -> list:
        return load(self.builtin, self.files)


def load(builtin: bool = True, files=()) -> list:
    """All claims from the built-in derivations and the given files.

    When built-in derivations are asked for but none is registered: with no ``files``,
    raises :class:`~workbench.errors.LoadError` saying why (:func:`unregistered_reason`);
    with files, logs that reason as a warning and loads the files.  A claim id declared by
    two different modules (e.g. the same topic registered by a stale install under another
    name) raises :class:`~workbench.errors.DuplicateClaim` naming both.
    """
    sources: list[tuple[str, bool, list[Derivation]]] = []   # (where, registered, derivations)
    if builtin:
        registered = _registrations()
        if not registered:
            if not files:
                raise LoadError(unregistered_reason())
            log.warning("%s; loading the --file claims only", unregistered_reason())
        for name in sorted(registered):
            sources.append((f"{name}, {registered[name]}", True, load_module(name)))
    for f in files:
        sources.append((str(f), False, load_file(f)))
    claims, seen, origin = [], set(), {}
    for where, is_registered, derivations in sources:
        for d in derivations:
            for c in d:
                if id(c) in seen:           # one Derivation reached from two places
                    continue
                if c.id in origin:
                    first, both = origin[c.id]
                    hint = ("; if one is a stale install, uninstall it or delete its metadata "
                            "folder" if both and is_registered else "")
                    raise DuplicateClaim(f"duplicate claim id {c.id}: declared in {first} "
                                         f"and in {where}{hint}")
                seen.add(id(c))
                origin[c.id] = (where, is_registered)
                claims.append(c)
    return claims
