"""Benchmark: warm no-op ``workbench verify`` of the built-in claims, manifests vs the old path.

Every built-in claim gets a stored, current result (recorded here: the checks are not run),
then, side by side in this run, each in a fresh process:
- the old path: ``verify`` with the manifests table emptied before each run, so every
  derivation module is imported and hashed (what a warm no-op cost before manifests);
- the new path: ``workbench verify`` with current manifests (no derivation module imported);
- ``workbench --help`` (start-up of the command).

Run: ``python bench/bench_manifest.py [REPEATS]``.  Not a test: nothing is asserted.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args, env):
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "workbench.cli", *args], env=env,
                         capture_output=True, text=True)
    return time.perf_counter() - t0, out


def main(repeats: int = 3):
    from workbench import Store, build_graph
    from workbench.evidence import Evidence
    from workbench.hashing import effective_hashes
    from workbench.loading import load

    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite"
        hashes = effective_hashes(build_graph(load()))
        with Store(path) as store:
            for cid, h in hashes.items():
                store.record(cid, h, Evidence("verified", "stored by the bench"))
        _cli("verify", "--store", str(path), env=env)           # writes the manifests
        old, new, helps = [], [], []
        for _ in range(repeats):
            with sqlite3.connect(path) as db:
                saved = db.execute("SELECT module, key, data, written FROM manifests").fetchall()
                db.execute("DELETE FROM manifests")
            t, out_old = _cli("verify", "--store", str(path), env=env)
            old.append(t)
            with sqlite3.connect(path) as db:                     # back to current manifests
                db.execute("DELETE FROM manifests")
                db.executemany("INSERT INTO manifests VALUES (?, ?, ?, ?)", saved)
            t, out_new = _cli("verify", "--store", str(path), env=env)
            new.append(t)
            helps.append(_cli("--help", env=env)[0])
        same = out_old.stdout.splitlines()[:-1] == out_new.stdout.splitlines()[:-1]
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"built-in claims: {len(hashes)}; load average at the end: {load_avg:.2f}; "
          f"median of {repeats}, each a fresh process")
    print(f"warm no-op, old path (imports all)  {statistics.median(old):7.3f} s   1.00x")
    print(f"warm no-op, manifests               {statistics.median(new):7.3f} s   "
          f"{statistics.median(old) / statistics.median(new):5.1f}x faster   same report: {same}")
    print(f"workbench --help                    {statistics.median(helps):7.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
