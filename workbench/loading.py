"""Finding claims: built-in derivation modules (entry points) and user files.

Built-in derivations are registered under the entry-point group
``workbench.derivations`` (see ``pyproject.toml``), so the engine never
imports the ``derivations`` package by name and other packages can add
their own.  A user file is any Python file that creates :class:`Derivation`
objects at module level.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import traceback
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from .claims import Claim, Derivation
from .errors import LoadError, WorkbenchError

__all__ = ["Sources", "builtin_modules", "load_module", "load_file", "load"]

GROUP = "workbench.derivations"


def builtin_modules() -> list[str]:
    """Module names registered as built-in derivations, sorted."""
    return sorted({ep.value for ep in entry_points(group=GROUP)})


def _derivations_in(module) -> list[Derivation]:
    found, seen = [], set()
    for value in vars(module).values():
        if isinstance(value, Derivation) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
    return found


def _import_error(what, exc) -> LoadError:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    if isinstance(exc, WorkbenchError):
        return LoadError(f"{what}: {exc}")
    return LoadError(f"{what} does not import: {type(exc).__name__}: {exc}{where}")


def load_module(name: str) -> list[Derivation]:
    """Import a derivation module by name and return the derivations it defines."""
    try:
        module = importlib.import_module(name)
    except Exception as exc:
        raise _import_error(f"derivation module {name}", exc) from None
    return _derivations_in(module)


def load_file(path: str | Path) -> list[Derivation]:
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

    def load(self) -> list[Claim]:
        return load(self.builtin, self.files)


def load(builtin: bool = True, files=()) -> list[Claim]:
    """All claims from the built-in derivations and the given files."""
    derivations: list[Derivation] = []
    if builtin:
        for name in builtin_modules():
            derivations.extend(load_module(name))
    for f in files:
        derivations.extend(load_file(f))
    claims, seen = [], set()
    for d in derivations:
        for c in d:
            if id(c) not in seen:
                seen.add(id(c))
                claims.append(c)
    return claims
