"""A check cannot harm the run: each one runs in its own process (workbench.isolation)."""

import json
import os
import signal
import subprocess
import sys
import time

import mpmath as mp
import numpy as np
import pytest

from conftest import TOY, alive
from workbench import Derivation, verify
from workbench.errors import MalformedStatement


def test_a_hanging_check_times_out_and_the_others_still_run():
    D = Derivation("iso")

    @D.claim("hang", statement="never returns", timeout=2)
    def hang():
        time.sleep(1000)

    @D.claim("fine", statement="returns True")
    def fine():
        return True

    report = verify(D, jobs=1)
    assert report["iso/hang"].status == "error"
    assert "time limit of 2 s" in report["iso/hang"].evidence.summary
    assert report["iso/fine"].status == "verified"


def test_a_claim_timeout_overrides_the_run_default():
    D = Derivation("iso")

    @D.claim("slow-allowed", statement="sleeps 1.5 s, allowed 60 s", timeout=60)
    def slow_allowed():
        time.sleep(1.5)
        return True

    @D.claim("slow-default", statement="sleeps 30 s under the run's 1 s")
    def slow_default():
        time.sleep(30)
        return True

    report = verify(D, timeout=1, jobs=2)
    assert report["iso/slow-allowed"].status == "verified"
    assert "time limit of 1 s" in report["iso/slow-default"].evidence.summary


def test_processes_a_check_started_are_stopped_with_it(tmp_path):
    D = Derivation("iso")
    pidfile = tmp_path / "grandchild.pid"

    @D.claim("spawn", statement="starts a process and hangs", timeout=1)
    def spawn():
        p = subprocess.Popen(["sleep", "1000"])
        pidfile.write_text(str(p.pid))
        time.sleep(1000)

    assert verify(D)["iso/spawn"].status == "error"
    assert not alive(int(pidfile.read_text()))


@pytest.mark.parametrize("body, message", [
    (lambda: sys.exit(3), "check called sys.exit(3)"),
    (lambda: os._exit(4), "exited with code 4"),
    (lambda: os.kill(os.getpid(), signal.SIGSEGV), "killed by SIGSEGV"),
    (lambda: os.kill(os.getpid(), signal.SIGKILL), "killed by SIGKILL"),
])
def test_a_check_that_exits_or_crashes_is_an_error_and_the_run_goes_on(body, message):
    D = Derivation("iso")
    D.add("a-bad", "ends its process", check=body)
    D.add("b-fine", "returns True", check=lambda: True)
    report = verify(D, jobs=2)
    assert report["iso/a-bad"].status == "error"
    assert message in report["iso/a-bad"].evidence.summary
    assert report["iso/b-fine"].status == "verified"


def test_a_segfault_names_where_it_happened():
    D = Derivation("iso")

    @D.claim("segv", statement="segfaults")
    def segv():
        os.kill(os.getpid(), signal.SIGSEGV)

    ev = verify(D)["iso/segv"].evidence
    assert "Fatal Python error: Segmentation fault" in ev.summary and "in segv" in ev.summary
    assert "Current thread" in ev.details["stderr"]


def test_memory_exhaustion_is_an_error_naming_the_limit():
    D = Derivation("iso")

    @D.claim("hog", statement="allocates 50 GB")
    def hog():
        return np.ones(int(50e9 / 8)).sum() > 0

    @D.claim("small", statement="allocates 80 MB")
    def small():
        return np.ones(10 ** 7).sum() == 10 ** 7

    report = verify(D, memory_mb=4096)   # above the data the forked test process already holds
    ev = report["iso/hog"].evidence
    assert ev.verdict == "error" and ev.summary.startswith("MemoryError")
    assert "memory limit 4096 MiB" in ev.summary
    assert report["iso/small"].status == "verified"
    assert report["iso/small"].evidence.details["peak_rss_mb"] > 80


@pytest.mark.parametrize("isolate", [True, False])
def test_a_check_that_changes_mpmath_does_not_change_later_checks(isolate):
    D = Derivation("iso")

    @D.claim("a-raises", statement="sets dps 50 and pretty")
    def raises():
        mp.mp.dps = 50
        mp.mp.pretty = True
        return True

    @D.claim("b-sees-default", statement="runs at the default precision")
    def sees_default():
        return mp.mp.dps == 15 and mp.mp.pretty is False

    with mp.workdps(40):    # nor does the caller's precision reach a check
        report = verify(D, isolate=isolate)
        assert mp.mp.dps == 40
    assert report["iso/b-sees-default"].status == "verified"
    assert mp.mp.pretty is False


def test_sys_exit_in_process_is_an_error_too():
    D = Derivation("iso")
    D.add("a-exit", "exits", check=lambda: sys.exit(3))
    D.add("b-fine", "fine", check=lambda: True)
    report = verify(D, isolate=False)
    assert "sys.exit(3)" in report["iso/a-exit"].evidence.summary
    assert report["iso/b-fine"].status == "verified"


def test_numpy_bool_is_a_bool_and_other_numpy_scalars_are_refused():
    D = Derivation("iso")
    D.add("np-true", "numpy True", check=lambda: np.float64(2.0) > 1)
    D.add("np-false", "numpy False", check=lambda: np.float64(0.5) > 1)
    D.add("np-float", "a float, not a verdict", check=lambda: np.float64(0.5))
    report = verify(D)
    assert report["iso/np-true"].status == "verified"
    assert report["iso/np-false"].status == "failed"
    assert report["iso/np-float"].status == "error"
    assert "numpy float64 0.5; expected True/False" in report["iso/np-float"].evidence.summary


def test_jobs_do_not_change_the_verdicts():
    D = Derivation("iso")
    D.add("exit", "exits", check=lambda: sys.exit(2))
    D.add("false", "false", check=lambda: False)
    D.add("seeded", "seeded", check=lambda: np.random.default_rng(1).random() < 0.6)
    D.add("raises", "raises", check=lambda: 1 / 0)
    D.add("true", "true", uses=["false"], check=lambda: True)
    keep = lambda r: {i: (x.status, x.evidence.verdict, x.evidence.summary)  # noqa: E731
                      for i, x in r.results.items()}
    assert keep(verify(D, jobs=1)) == keep(verify(D, jobs=2)) == keep(verify(D, jobs=5))


def test_a_bad_timeout_is_refused_at_declaration():
    D = Derivation("iso")
    for k, bad in enumerate((0, -1, "10", float("inf"), True)):
        with pytest.raises(MalformedStatement, match="timeout must be a positive number"):
            D.add(f"t{k}", "x", check=lambda: True, timeout=bad)
    assert D.add("ok", "x", check=lambda: True, timeout=2.5).timeout == 2.5


NOISY = '''
import os, sys
from workbench import Derivation
print("printed at import time")
D = Derivation("noisy")

@D.claim("talks", statement="prints 10 kB to stdout and stderr")
def talks():
    for k in range(1000):
        print(f"out {k:5d}")
        print(f"err {k:5d}", file=sys.stderr)
    os.write(1, b"C-level stdout\\n")
    return True

@D.claim("quiet", statement="prints nothing")
def quiet():
    return True
'''


@pytest.mark.parametrize("isolate", [True, False])
def test_json_stays_valid_whatever_a_check_prints(run_cli, tmp_path, isolate):
    f = tmp_path / "noisy.py"
    f.write_text(NOISY)
    extra = () if isolate else ("--no-isolate",)
    proc = run_cli("verify", "--no-builtin", "--file", str(f), "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    claims = {c["id"]: c for c in json.loads(proc.stdout)["claims"]}
    assert "printed at import time" in proc.stderr
    if isolate:
        details = claims["noisy/talks"]["evidence"]["details"]
        assert details["stdout"].endswith("out   999\nC-level stdout\n")
        assert details["stderr"].endswith("err   999\n")
        assert details["stdout"].startswith("out     0\nout     1\n")
        assert "bytes in all, cut here" in details["stdout"] and len(details["stdout"]) < 2100
        assert "stdout" not in claims["noisy/quiet"]["evidence"]["details"]


def test_timeout_option_and_progress_labels(run_cli, tmp_path):
    f = tmp_path / "slow.py"
    f.write_text("import time\nfrom workbench import Derivation\nD = Derivation('s')\n"
                 "@D.claim('sleepy', statement='sleeps 60 s')\ndef sleepy():\n"
                 "    time.sleep(60)\n    return True\n")
    proc = run_cli("verify", "--no-builtin", "--file", str(f), "--timeout", "1")
    assert proc.returncode == 1
    assert "check error  s/sleepy" in proc.stdout
    assert "time limit of 1 s" in proc.stdout


def test_progress_line_does_not_call_a_blocked_claim_verified(run_cli):
    proc = run_cli("verify", "--no-builtin", "--file", str(TOY))
    lines = proc.stdout.splitlines()
    assert any(line.startswith("[") and "check passed toy/c " in line for line in lines)
    assert "blocked   toy/c:" in proc.stdout
    assert not any("verified" in line and "toy/c" in line for line in lines)
