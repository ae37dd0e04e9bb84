"""The result store: one SQLite file of verification runs.

Location: ``--store PATH`` on the command line, else the environment variable
``WORKBENCH_STORE``, else ``.workbench/results.sqlite`` in the working
directory.  Each row is one run of one claim's own check, keyed by the
claim's effective hash (see :mod:`workbench.hashing`); a result is reused
only for the same hash, so a stale result is never reported as current.

The store never loses or invents a result:

- a row whose evidence cannot be read is treated as missing (the claim is run
  again), with one warning line (logger ``workbench.store``);
- :meth:`Store.ensure_writable` fails with a :class:`WorkbenchError` naming
  the path and the problem before a run starts;
- writes wait for a lock held by another process (SQLite's busy timeout, then
  retries with exponential backoff); when they still fail, :meth:`Store.record`
  raises :class:`StoreBusy` and the caller keeps the result;
- the file is in WAL mode: concurrent runs read while one writes, and a
  process killed mid-write leaves the file readable (SQLite's atomic commit).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ._version import __version__
from .errors import WorkbenchError
from .evidence import Evidence

__all__ = ["Store", "Run", "StoreBusy", "default_store_path"]

log = logging.getLogger(__name__)

#: Seconds SQLite itself waits for a lock before an attempt fails.
BUSY_TIMEOUT = 5.0
#: Seconds :meth:`Store.record` keeps retrying (with exponential backoff) after that.
RETRY_FOR = 60.0


class StoreBusy(WorkbenchError):
    """A result could not be written: the store stayed locked (or failed) through every retry."""

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

# a separate statement: a read-only store made before manifests existed still opens
_MANIFEST_SCHEMA = """
CREATE TABLE IF NOT EXISTS manifests (
    module TEXT NOT NULL,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    written REAL NOT NULL,
    PRIMARY KEY (module, key)
);
"""

#: Manifest rows kept per derivation module (the newest; older keys are dropped).
MANIFESTS_KEPT = 4


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


def _is_busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


class Store:
    """SQLite-backed store of runs; ``Store(":memory:")`` keeps nothing on disk.

    Opening creates the file (and its directory) when missing; a path that cannot hold a
    store (its parent is a file, a directory, an unreadable file) is a :class:`WorkbenchError`.
    ``timeout`` is how many seconds SQLite waits for a lock before an attempt fails, and
    ``retry_for`` how many more seconds :meth:`record` keeps retrying.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, timeout: float = BUSY_TIMEOUT,
                 retry_for: float = RETRY_FOR):
        self.path = str(default_store_path() if path is None else path)
        self.retry_for = retry_for
        if self.path != ":memory:":
            self._prepare_directory(Path(self.path))
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise WorkbenchError(f"cannot open the result store {self.path}: {exc}") from None
        try:
            self._db.executescript(_MANIFEST_SCHEMA)
        except sqlite3.Error:   # read-only: no manifests are kept, lookups find none
            pass
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error:   # a read-only store can still be read
            pass

    def _prepare_directory(self, path: Path) -> None:
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise WorkbenchError(f"cannot open the result store {path}: "
                                         f"{parent} is a file, not a directory")
                break
        if path.is_dir():
            raise WorkbenchError(f"cannot open the result store {path}: it is a directory")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkbenchError(f"cannot create the directory of the result store {path}: "
                                 f"{exc.strerror or exc}") from None

    def ensure_writable(self) -> None:
        """Raise :class:`WorkbenchError` unless results can be written (nothing is changed).

        A store that is merely locked by another process counts as writable (writes wait).
        """
        db = self._db
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            db.commit()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(f"PRAGMA user_version = {int(version)}")
            finally:
                db.rollback()
        except sqlite3.Error as exc:
            if _is_busy(exc):
                return
            raise WorkbenchError(f"the result store {self.path} is not writable: {exc}") from None

    def close(self):
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def record(self, claim_id: str, claim_hash: str, evidence: Evidence, started: float | None = None):
        """Append a run.  A locked store is retried with exponential backoff for ``retry_for``
        seconds; then, or on any other database error, :class:`StoreBusy` is raised (the
        result was not written and nothing half-written remains)."""
        row = (claim_id, claim_hash, evidence.verdict, evidence.to_json(),
               time.time() if started is None else started, evidence.runtime, __version__)
        give_up, pause = time.monotonic() + self.retry_for, 0.05
        while True:
            try:
                with self._db:  # one transaction: committed, or rolled back on error
                    self._db.execute(
                        "INSERT INTO runs (claim_id, claim_hash, verdict, evidence, started, "
                        "runtime, version) VALUES (?, ?, ?, ?, ?, ?, ?)", row)
                return
            except sqlite3.Error as exc:
                if not _is_busy(exc) or time.monotonic() + pause > give_up:
                    raise StoreBusy(f"the result of {claim_id} was not stored in {self.path}: "
                                    f"{exc}") from None
                time.sleep(pause)
                pause = min(2 * pause, 2.0)

    def _row(self, row) -> Run | None:
        """The run of a row, or None (with one warning line) when its evidence is unreadable."""
        cid, h, verdict, ev, started, version = row
        try:
            evidence = Evidence.from_json(ev)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            reason = (str(exc).splitlines() or [""])[0][:200]
            log.warning("the stored result of %s (hash %s...) is unreadable and is ignored: %s: %s",
                        cid, str(h)[:12], type(exc).__name__, reason)
            return None
        return Run(cid, h, verdict, evidence, started, version)

    def lookup(self, claim_id: str, claim_hash: str) -> Run | None:
        """The newest readable run of exactly this claim version, or None."""
        rows = self._db.execute(
            "SELECT claim_id, claim_hash, verdict, evidence, started, version FROM runs "
            "WHERE claim_id = ? AND claim_hash = ? ORDER BY id DESC LIMIT 1",
            (claim_id, claim_hash)).fetchall()
        return self._row(rows[0]) if rows else None

    def last_runtime(self, claim_id: str) -> float | None:
        """Run time of the newest run of a claim (any version), or None."""
        row = self._db.execute("SELECT runtime FROM runs WHERE claim_id = ? ORDER BY id DESC LIMIT 1",
                               (claim_id,)).fetchone()
        return row[0] if row else None

    # -- manifests of derivation modules (see workbench.manifest) ---------------------------
    def manifests(self, module: str) -> list[tuple[str, str]]:
        """``(key, data)`` of the manifest rows of a derivation module, newest first.  The rows
        are read as stored: :mod:`workbench.manifest` validates them (a bad row is ignored)."""
        try:
            return [(str(k), str(d)) for k, d in self._db.execute(
                "SELECT key, data FROM manifests WHERE module = ? ORDER BY written DESC",
                (module,)).fetchall()]
        except sqlite3.Error as exc:
            log.debug("the manifests of %s cannot be read and are ignored: %s", module, exc)
            return []

    def record_manifest(self, module: str, key: str, data: str) -> bool:
        """Keep a manifest row (replacing one of the same key; only the newest
        :data:`MANIFESTS_KEPT` per module stay).  Best effort: False when the store would not
        take it (a manifest is only a shortcut; results are never at stake)."""
        try:
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO manifests (module, key, data, written) "
                                 "VALUES (?, ?, ?, ?)", (module, key, data, time.time()))
                self._db.execute(
                    "DELETE FROM manifests WHERE module = ? AND key NOT IN (SELECT key FROM "
                    "manifests WHERE module = ? ORDER BY written DESC LIMIT ?)",
                    (module, module, MANIFESTS_KEPT))
            return True
        except sqlite3.Error as exc:
            log.debug("manifest of %s not stored: %s", module, exc)
            return False

    def history(self, claim_id: str) -> list[Run]:
        """All readable runs of a claim, newest first (any version)."""
        rows = self._db.execute(
            "SELECT claim_id, claim_hash, verdict, evidence, started, version FROM runs "
            "WHERE claim_id = ? ORDER BY id DESC", (claim_id,)).fetchall()
        return [run for run in map(self._row, rows) if run is not None]
