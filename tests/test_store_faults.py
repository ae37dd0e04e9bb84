"""The result store never loses or invents a result: unreadable rows, read-only files,
locks held by other processes, concurrent runs, and a run killed mid-way."""

import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import TOY, alive
from workbench import Derivation, Store, verify

SLOW = '''
import os, time
from pathlib import Path
from workbench import Derivation
D = Derivation("slow")
PIDS = Path({pids!r})

def make(k):
    def check():
        (PIDS / str(os.getpid())).write_text(str(k))
        time.sleep({sleep})
        return True
    return check

for k in range({n}):
    D.add(f"c{{k}}", f"claim {{k}}", check=make(k))
'''


def slow_file(tmp_path, n, sleep):
    pids = tmp_path / "pids"
    pids.mkdir(exist_ok=True)
    f = tmp_path / "slow.py"
    f.write_text(SLOW.format(pids=str(pids), n=n, sleep=sleep))
    return f, pids


def start_cli(store, *args):
    env = dict(os.environ, WORKBENCH_STORE=str(store))
    return subprocess.Popen([sys.executable, "-m", "workbench.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stored(store) -> dict[str, list[str]]:
    db = sqlite3.connect(store)
    try:
        out: dict[str, list[str]] = {}
        for cid, verdict in db.execute("SELECT claim_id, verdict FROM runs ORDER BY id"):
            out.setdefault(cid, []).append(verdict)
        return out
    except sqlite3.OperationalError:       # no table yet
        return {}
    finally:
        db.close()


def wait_for_rows(store, k, proc, limit=120):
    t0 = time.monotonic()
    while sum(map(len, stored(store).values())) < k:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() - t0 < limit, "no result stored in time"
        time.sleep(0.05)


# -- stored errors and unreadable rows ----------------------------------------------
def test_a_stored_error_is_run_again_but_a_stored_failure_is_reused(tmp_path):
    flag = tmp_path / "flag"
    D = Derivation("s")

    @D.claim("flaky", statement="fails to run until the flag exists")
    def flaky():
        if not flag.exists():
            raise RuntimeError("no flag yet")
        return True

    D.add("false", "is false", check=lambda: False)
    with Store(tmp_path / "s.sqlite") as store:
        first = verify(D, store=store)
        assert first["s/flaky"].status == "error"
        flag.write_text("")
        second = verify(D, store=store)
        assert second["s/flaky"].status == "verified" and not second["s/flaky"].cached
        assert second["s/false"].status == "failed" and second["s/false"].cached


@pytest.mark.parametrize("garbage", ['{"verdict": "verif', '{"verdict": "bogus", "summary": ""}',
                                     '{"no": "fields"}', "[]"])
def test_an_unreadable_stored_result_is_run_again_with_one_warning(run_cli, tmp_path, garbage):
    store = tmp_path / "store.sqlite"
    run_cli("verify", "--no-builtin", "--file", str(TOY))
    with sqlite3.connect(store) as db:
        db.execute("UPDATE runs SET evidence = ? WHERE claim_id = 'toy/positive'", (garbage,))
    proc = run_cli("verify", "--no-builtin", "--file", str(TOY), "--json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ")
    assert "toy/positive" in warnings[0] and "unreadable" in warnings[0]
    claims = {c["id"]: c for c in json.loads(proc.stdout)["claims"]}
    assert claims["toy/positive"]["status"] == "verified" and not claims["toy/positive"]["cached"]
    assert all(claims[i]["cached"] for i in ("toy/gamma-ratio", "toy/false-one", "toy/c"))
    # history skips the broken row (with its warning) instead of failing
    with Store(store) as s:
        assert [r.verdict for r in s.history("toy/positive")] == ["verified"]


# -- stores that cannot be written --------------------------------------------------
MARKER = '''
from pathlib import Path
from workbench import Derivation
D = Derivation("m")

@D.claim("marks", statement="leaves a file behind")
def marks():
    Path({marker!r}).write_text("ran")
    return True
'''


@pytest.fixture
def read_only():
    """Make a file read-only even for root (chattr +i), undone afterwards."""
    made = []

    def make(path):
        if os.geteuid() == 0:
            if shutil.which("chattr") is None or \
                    subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
                pytest.skip("running as root and cannot make a file immutable here")
            made.append(path)
        else:
            path.chmod(0o444)
    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_store_is_refused_before_any_check_runs(run_cli, tmp_path, read_only):
    store = tmp_path / "store.sqlite"
    Store(store).close()
    read_only(store)
    marker = tmp_path / "marker"
    f = tmp_path / "marks.py"
    f.write_text(MARKER.format(marker=str(marker)))
    proc = run_cli("verify", "--no-builtin", "--file", str(f))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert str(store) in proc.stderr and "not writable" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not marker.exists()
    listing = run_cli("list", "--no-builtin", "--file", str(f))   # reading still works
    assert listing.returncode == 0 and "m/marks" in listing.stdout


def test_a_store_path_under_a_file_is_refused(run_cli, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    store = blocker / "sub" / "store.sqlite"
    marker = tmp_path / "marker"
    f = tmp_path / "marks.py"
    f.write_text(MARKER.format(marker=str(marker)))
    proc = run_cli("verify", "--no-builtin", "--file", str(f), "--store", str(store))
    assert proc.returncode == 2
    assert f"{blocker} is a file, not a directory" in proc.stderr
    assert "Traceback" not in proc.stderr and not marker.exists()


# -- locks and concurrency ------------------------------------------------------------
def test_a_store_locked_mid_run_gets_every_result_afterwards(tmp_path):
    store = tmp_path / "store.sqlite"
    f, _ = slow_file(tmp_path, n=5, sleep=0.7)
    proc = start_cli(store, "verify", "--no-builtin", "--file", str(f))
    wait_for_rows(store, 1, proc)
    other = sqlite3.connect(store, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")          # another process holds a write transaction...
    assert sum(map(len, stored(store).values())) < 5
    time.sleep(6)                             # ...for longer than SQLite's busy timeout (5 s)
    other.execute("COMMIT")
    other.close()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert stored(store) == {f"slow/c{k}": ["verified"] for k in range(5)}
    assert "not stored" not in err


def test_results_a_locked_store_will_not_take_are_kept_and_reported(tmp_path, caplog):
    D = Derivation("s")
    D.add("a", "true", check=lambda: True)
    D.add("b", "false", uses=["a"], check=lambda: False)
    path = tmp_path / "s.sqlite"
    with Store(path, timeout=0.1, retry_for=0.3) as store:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")      # held through the whole run
        with caplog.at_level(logging.WARNING, logger="workbench"):
            report = verify(D, store=store)
        other.execute("ROLLBACK")
        other.close()
        assert {i: r.status for i, r in report.results.items()} == {"s/a": "verified",
                                                                    "s/b": "failed"}
        assert sorted(report.unstored) == ["s/a", "s/b"]
        assert sum("kept in this run's report only" in m for m in caplog.messages) == 2
        assert stored(path) == {}             # nothing invented...
        again = verify(D, store=store)        # ...and the next run stores them
        assert not again.unstored and stored(path) == {"s/a": ["verified"], "s/b": ["failed"]}


def test_two_concurrent_runs_on_one_store_both_complete(tmp_path):
    store = tmp_path / "store.sqlite"
    f, _ = slow_file(tmp_path, n=4, sleep=0.3)
    procs = [start_cli(store, "verify", "--no-builtin", "--file", str(f), "--json") for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert all(c["status"] == "verified" for c in json.loads(out)["claims"])
        assert "warning" not in err
    rows = stored(store)
    assert set(rows) == {f"slow/c{k}" for k in range(4)}
    assert all(set(v) == {"verified"} for v in rows.values())


def test_sigkill_mid_run_leaves_a_readable_store_and_no_orphans(tmp_path):
    store = tmp_path / "store.sqlite"
    f, pids = slow_file(tmp_path, n=6, sleep=1.0)
    proc = start_cli(store, "verify", "--no-builtin", "--file", str(f), "--jobs", "2")
    wait_for_rows(store, 2, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    children = [int(p.name) for p in pids.iterdir()]
    t0 = time.monotonic()                     # the checks' processes die with their parent
    while any(alive(pid) for pid in children) and time.monotonic() - t0 < 10:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in children)
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    done_before = set(stored(store))
    assert len(done_before) >= 2
    again = start_cli(store, "verify", "--no-builtin", "--file", str(f), "--json")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    claims = {c["id"]: c for c in json.loads(out)["claims"]}
    assert {i for i, c in claims.items() if c["cached"]} == done_before
    assert all(c["status"] == "verified" for c in claims.values())


