"""The result store: one SQLite file of verification runs.

Location: ``--store PATH`` on the command line, else the environment variable
``WORKBENCH_STORE``, else ``.workbench/results.sqlite`` in the working
directory.  Each row is one run of one claim's own check, keyed by the
claim's effective hash (see :mod:`workbench.hashing`); a result is reused
only for the same hash, so a stale result is never reported as current.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ._version import __version__
from .evidence import Evidence

__all__ = ["Store", "Run", "default_store_path"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id TEXT NOT NULL,
    claim_hash TEXT NOT NULL,
    verdict TEXT NOT NULL,
    evidence TEXT NOT NULL,
    started REAL NOT NULL,
    runtime REAL NOT NULL,
    version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_claim ON runs (claim_id, claim_hash);
"""


def default_store_path() -> Path:
    env = os.environ.get("WORKBENCH_STORE")
    return Path(env) if env else Path.cwd() / ".workbench" / "results.sqlite"


@dataclass(frozen=True)
class Run:
    """One stored run of a claim's own check."""

    claim_id: str
    claim_hash: str
    verdict: str
    evidence: Evidence
    started: float
    version: str

    @property
    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started))


class Store:
    """SQLite-backed store of runs; ``Store(":memory:")`` keeps nothing on disk."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = str(default_store_path() if path is None else path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            from .errors import WorkbenchError
            raise WorkbenchError(f"cannot open the result store {self.path}: {exc}") from None

    def close(self):
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def record(self, claim_id: str, claim_hash: str, evidence: Evidence, started: float | None = None):
        self._db.execute(
            "INSERT INTO runs (claim_id, claim_hash, verdict, evidence, started, runtime, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (claim_id, claim_hash, evidence.verdict, evidence.to_json(),
             time.time() if started is None else started, evidence.runtime, __version__))
        self._db.commit()

    def _row(self, row) -> Run:
        cid, h, verdict, ev, started, version = row
        return Run(cid, h, verdict, Evidence.from_json(ev), started, version)

    def lookup(self, claim_id: str, claim_hash: str) -> Run | None:
        """The newest run of exactly this claim version, or None."""
        row = self._db.execute(
            "SELECT claim_id, claim_hash, verdict, evidence, started, version FROM runs "
            "WHERE claim_id = ? AND claim_hash = ? ORDER BY id DESC LIMIT 1",
            (claim_id, claim_hash)).fetchone()
        return self._row(row) if row else None

    def last_runtime(self, claim_id: str) -> float | None:
        """Run time of the newest run of a claim (any version), or None."""
        row = self._db.execute("SELECT runtime FROM runs WHERE claim_id = ? ORDER BY id DESC LIMIT 1",
                               (claim_id,)).fetchone()
        return row[0] if row else None

    def history(self, claim_id: str) -> list[Run]:
        """All runs of a claim, newest first (any version)."""
        rows = self._db.execute(
            "SELECT claim_id, claim_hash, verdict, evidence, started, version FROM runs "
            "WHERE claim_id = ? ORDER BY id DESC", (claim_id,)).fetchall()
        return [self._row(r) for r in rows]
