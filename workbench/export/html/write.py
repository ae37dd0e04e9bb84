"""Incremental writing: a page is rendered only when the inputs it is made from changed.

``DIR/manifest.json`` maps each written file (relative path) to the SHA-256 of its inputs
(a JSON-able value given by the caller).  :meth:`Site.page` renders and writes a file only
when its key differs from the manifest's or the file is missing, so regenerating after a
change rewrites only the pages whose claims (or neighbours, or stored runs) changed.  Files
are written atomically (a temporary file renamed over the old one).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from ...errors import WorkbenchError

__all__ = ["Site", "inputs_key"]

MANIFEST = "manifest.json"


def inputs_key(inputs) -> str:
    """SHA-256 of the canonical JSON of ``inputs`` (non-JSON values by ``str``)."""
    data = json.dumps(inputs, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


def write_atomic(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(data.encode() if isinstance(data, str) else data)
    os.replace(tmp, path)


class Site:
    """The output folder and its manifest; ``written`` and ``kept`` list what a run did."""

    def __init__(self, root):
        self.root = Path(root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:          # a file in the way, no permission, a full disk
            raise WorkbenchError(f"cannot write the site into {self.root}: "
                                 f"{exc.strerror or exc}") from None
        try:
            old = json.loads((self.root / MANIFEST).read_text())
            self._old = old if isinstance(old, dict) else {}
        except (OSError, ValueError):
            self._old = {}
        self._new: dict[str, str] = {}
        self.written: list[str] = []
        self.kept: list[str] = []

    def current(self, rel: str, key: str) -> bool:
        """Whether ``rel`` exists and was made from inputs with this key."""
        return self._old.get(rel) == key and (self.root / rel).is_file()

    def stale(self, rel: str, inputs) -> bool:
        """Record ``rel``'s inputs; True when the file must be (re)written, which the caller
        then does (and reports with :meth:`wrote`)."""
        key = inputs_key(inputs)
        self._new[rel] = key
        if self.current(rel, key):
            self.kept.append(rel)
            return False
        return True

    def wrote(self, rel: str) -> None:
        self.written.append(rel)

    def forget(self, rel: str) -> None:
        """``rel`` could not be made: it is not in the manifest (the next run tries again)."""
        self._new.pop(rel, None)

    def page(self, rel: str, inputs, render: Callable[[], str | bytes]) -> bool:
        """Write ``render()`` to ``rel`` unless it is current; True when it was written."""
        if not self.stale(rel, inputs):
            return False
        write_atomic(self.root / rel, render())
        self.wrote(rel)
        return True

    def close(self) -> None:
        """Save the manifest (files of earlier runs that this run did not make are dropped
        from it and deleted when they were pages of claims that no longer exist)."""
        for rel in set(self._old) - set(self._new):
            stale = self.root / rel
            if stale.is_file() and rel.startswith(("claims/", "plots/")):
                stale.unlink()
        write_atomic(self.root / MANIFEST, json.dumps(self._new, sort_keys=True, indent=0))
