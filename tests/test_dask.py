"""Checks and sweeps on Dask (workbench.executors): real scheduler and worker processes on
loopback; the same statuses and evidence as a local run; a worker killed mid-check costs a
re-run and nothing else; only the client writes the store."""

import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from workbench import Derivation, verify                            # noqa: E402
from workbench.errors import WorkbenchError                         # noqa: E402
from workbench.executors import Origin, Task, check_remotely, tasks  # noqa: E402
from workbench.loading import load_file                             # noqa: E402
from workbench.store import Store                                   # noqa: E402

pytestmark = pytest.mark.distributed

# Cheap claims: a validator's asymptotic claim, a failing and an erroring check, a claim
# resting on the failing one (blocked), and one that logs the pid of its parent process.
CLAIMS = '''
import os, time
import mpmath as mp, sympy as sp
from workbench import Derivation

D = Derivation("dk", title="claims for the Dask tests")
n = sp.Symbol("n", positive=True, integer=True)
D.asymptotic("gamma-ratio", sequence=lambda n: mp.gamma(n + mp.mpf(1)/2) / mp.gamma(n),
             variable=n, leading=sp.sqrt(n))

@D.claim("false-one", uses=["gamma-ratio"], statement="a(1) > 1")
def false_one():
    return mp.gamma(1.5) / mp.gamma(1) > 1

@D.claim("rests-on-false", uses=["false-one"], statement="blocked by false-one")
def rests_on_false():
    return True

@D.claim("boom", statement="raises")
def boom():
    raise RuntimeError("boom")

@D.claim("where", statement="notes its parent process and sleeps {sleep} s")
def where():
    with open({log!r}, "a") as f:
        f.write(f"{{os.getppid()}}\\n")
    time.sleep({sleep})
    return True
'''

EXPECTED = {"dk/gamma-ratio": "verified", "dk/false-one": "failed", "dk/rests-on-false": "blocked",
            "dk/boom": "error", "dk/where": "verified"}


def claim_file(tmp_path, sleep=0):
    log = tmp_path / "where.log"
    path = tmp_path / "claims.py"
    path.write_text(CLAIMS.format(log=str(log), sleep=sleep))
    return path, log


def numbers(ev):
    """What a check found, without its run time, memory or captured output."""
    d = ev.to_dict()
    return {k: d[k] for k in ("verdict", "outcome", "summary", "methods", "digits", "measured",
                              "grid", "precisions")}


def worker_pids(client):
    return set(client.run(os.getpid).values())


def local_cluster():
    """Two worker processes with one thread each; no dashboard, HTTP on a free port."""
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                    dashboard_address=None,
                                    scheduler_kwargs={"dashboard_address": ":0"})


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as c, distributed.Client(c) as client:
        yield c, client


def test_a_topic_on_dask_matches_the_local_run_and_runs_forked_on_the_workers(cluster, tmp_path):
    c, client = cluster
    path, log = claim_file(tmp_path)
    claims = load_file(path)
    with Store(tmp_path / "local.sqlite") as store:
        local = verify(claims, store=store, jobs=1)
    local_parent = {int(x) for x in log.read_text().split()}
    log.unlink()
    seen = []
    with Store(tmp_path / "dask.sqlite") as store:
        remote = verify(claims, store=store, scheduler=c.scheduler_address,
                        on_result=lambda r, done, total: seen.append(r.claim.id))
        for cid in EXPECTED:   # the client recorded each result once
            assert len(store.history(cid)) == 1
            assert store.lookup(cid, remote[cid].hash) is not None
    assert {i: r.status for i, r in local.results.items()} == EXPECTED
    assert {i: r.status for i, r in remote.results.items()} == EXPECTED
    for cid in EXPECTED:
        assert remote[cid].hash == local[cid].hash
        assert numbers(remote[cid].evidence) == numbers(local[cid].evidence), cid
    assert sorted(seen) == sorted(EXPECTED)
    # locally the check's parent is this process; on Dask, a worker (the check was forked there)
    assert local_parent == {os.getpid()}
    assert {int(x) for x in log.read_text().split()} <= worker_pids(client)


def test_simulate_seeds_on_dask_equals_the_local_run_in_order(cluster):
    from workbench.teacher_student import simulate_seeds
    _, client = cluster
    kw = dict(N=200, eta=0.5, alphas=[0.0, 1.0, 2.0], Q0=[[0.5, 0.1], [0.1, 0.4]],
              R0=[[0.3, 0.05], [0.0, 0.2]])
    seeds = [5, 3, 5, 8]
    local = simulate_seeds(seeds, jobs=1, **kw)
    remote = simulate_seeds(seeds, client=client, **kw)
    assert len(remote) == len(seeds)
    for a, b in zip(local, remote):
        assert np.array_equal(a.eg, b.eg) and np.array_equal(a.Q, b.Q) and np.array_equal(a.R, b.R)
    assert not np.array_equal(remote[0].eg, remote[1].eg)   # the order is the seeds' order


def test_a_claim_edited_since_the_client_loaded_it_is_refused_by_the_worker(cluster, tmp_path):
    c, _ = cluster
    path, _ = claim_file(tmp_path)
    claims = load_file(path)
    # the worker loads the file as it is now: the check of false-one returns another value
    path.write_text(path.read_text().replace("> 1\n", "> 0.5\n"))
    report = verify(claims, scheduler=c.scheduler_address)
    ev = report["dk/false-one"].evidence
    assert ev.verdict == "error" and "refused by the Dask worker" in ev.summary
    assert ev.details["client_hash"] != ev.details["worker_hash"]
    assert report["dk/gamma-ratio"].status == "verified"   # unchanged claims still run


def test_a_task_with_another_hash_is_refused_and_one_with_the_right_hash_runs(tmp_path):
    path, _ = claim_file(tmp_path)
    claims = load_file(path)
    claim = next(c for d in claims for c in d if c.id == "dk/false-one")
    task = tasks([claim])[0]
    assert task.origin == Origin(file=str(path.resolve()))
    from workbench.evidence import Evidence
    ran = Evidence.from_json(check_remotely(task, timeout=60, memory_mb=None))
    assert ran.verdict == "failed"
    bad = Evidence.from_json(check_remotely(Task(task.origin, task.claim_id, "0" * 64),
                                            timeout=60, memory_mb=None))
    assert bad.verdict == "error" and "000000000000" in bad.summary
    missing = Evidence.from_json(check_remotely(Task(task.origin, "dk/nope", "0" * 64),
                                                timeout=60, memory_mb=None))
    assert missing.verdict == "error" and "defines no claim dk/nope" in missing.summary


def test_a_claim_no_worker_can_load_is_refused_before_anything_runs():
    D = Derivation("local-only")   # held by no module: a worker could not find it
    D.add("a", "true", check=lambda: True)
    with pytest.raises(WorkbenchError, match="cannot send local-only/a"):
        verify(D, executor="dask")
    with pytest.raises(WorkbenchError, match="not 'local'"):
        verify(D, executor="local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(WorkbenchError, match="unknown executor"):
        verify(D, executor="ray")


def test_a_worker_killed_mid_check_costs_a_rerun_and_each_claim_one_result(tmp_path):
    path, log = claim_file(tmp_path, sleep=3)
    claims = load_file(path)
    killed = []

    def kill_the_first_worker_that_runs_where():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if log.exists() and log.read_text().strip():
                pid = int(log.read_text().split()[0])
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.05)

    with local_cluster() as c, Store(tmp_path / "store.sqlite") as store:
        killer = threading.Thread(target=kill_the_first_worker_that_runs_where)
        killer.start()
        seen = []
        report = verify(claims, store=store, scheduler=c.scheduler_address,
                        on_result=lambda r, done, total: seen.append(r.claim.id))
        killer.join()
        assert {i: r.status for i, r in report.results.items()} == EXPECTED
        assert sorted(seen) == sorted(EXPECTED)          # one result per claim, none lost
        for cid in EXPECTED:
            assert len(store.history(cid)) == 1, cid     # and recorded once
    parents = [int(x) for x in log.read_text().split()]
    assert killed and parents[0] == killed[0]           # the kill landed mid-check...
    assert len(parents) == 2 and parents[1] != killed[0]   # ...and another worker re-ran it


def test_cli_runs_on_a_dask_cluster_it_starts(run_cli, tmp_path):
    path, _ = claim_file(tmp_path)
    proc = run_cli("verify", "--no-builtin", "--file", str(path), "--executor", "dask",
                   "--jobs", "2")
    assert proc.returncode == 1, proc.stderr   # false-one fails
    lines = {ln.split()[1].rstrip(":"): ln.split()[0] for ln in proc.stdout.splitlines()
             if ln.split() and ln.split()[0] in ("verified", "failed", "error", "blocked")}
    assert lines == EXPECTED


def test_verify_help_documents_jobs_executor_scheduler_and_timeout():
    out = subprocess.run([sys.executable, "-m", "workbench.cli", "verify", "--help"],
                         capture_output=True, text=True, check=True).stdout
    out = " ".join(out.split())   # as one line: click wraps the help text
    cores = len(os.sched_getaffinity(0))
    assert f"the usable cores: {cores}" in out
    for option in ("--executor [local|dask]", "--scheduler tcp://HOST:PORT", "--timeout"):
        assert option in out
