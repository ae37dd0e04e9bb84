"""Benchmark: the verify runner on the built-in derivations, as a new user runs it.

Prints, in one run, each measured here (``workbench verify`` in fresh processes):
- the **cold** run: empty store and empty numba cache, default ``--jobs`` (the usable cores),
  with its wall time, the time per topic (sum of the checks' run times), the ten slowest claims
  and the largest peak RSS of a check;
- the **warm no-op**: the same command again (everything stored and current);
- the same cold run at ``--jobs 1``, and the ratio of the two cold runs.

Run: ``python bench/bench_verify.py [--skip-jobs1]``.  Not a test: nothing is asserted.
It takes as long as two full verifications (about 2 x the cold time).

``python bench/bench_verify.py --validators [REV]`` instead times the asymptotic
validator on every built-in asymptotic claim, against the validator as it was at git
revision ``REV`` (default ``3acc30e``, before the soundness work: one lattice, two
precisions), loaded from git into this process and run side by side on the same claims.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


def _workbench(args, env):
    """Run the ``workbench`` command of this interpreter; (wall seconds, parsed --json output)."""
    cmd = [sys.executable, "-m", "workbench.cli", *args]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return wall, (json.loads(proc.stdout) if "--json" in args else None)


def cold_run(tmp: Path, jobs: int | None):
    """Verify everything into a new store with a new numba cache; (wall, claims JSON)."""
    label = f"jobs{jobs or 'default'}"
    cache = tmp / f"numba-{label}"
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    args = ["verify", "--json", "--store", str(tmp / f"{label}.sqlite")]
    if jobs is not None:
        args += ["--jobs", str(jobs)]
    wall, out = _workbench(args, env)
    return wall, out["claims"], env, args


def report(claims) -> None:
    counts = defaultdict(int)
    per_topic = defaultdict(float)
    peak = (0.0, "")
    for c in claims:
        counts[c["status"]] += 1
        ev = c.get("evidence") or {}
        per_topic[c["id"].split("/")[0]] += ev.get("runtime", 0.0)
        rss = (ev.get("details") or {}).get("peak_rss_mb")
        if rss is not None and rss > peak[0]:
            peak = (rss, c["id"])
    print(f"  statuses: {dict(counts)}")
    print("  per topic (sum of check run times):")
    for topic, t in sorted(per_topic.items(), key=lambda kv: -kv[1]):
        print(f"    {t:8.1f} s  {topic}")
    print("  ten slowest claims:")
    slow = sorted(claims, key=lambda c: -(c.get("evidence") or {}).get("runtime", 0.0))[:10]
    for c in slow:
        print(f"    {c['evidence']['runtime']:8.1f} s  {c['id']}")
    print(f"  largest peak RSS of a check: {peak[0]:.0f} MB ({peak[1]})")


def main(skip_jobs1: bool = False):
    cores = len(os.sched_getaffinity(0))
    print(f"machine: {cores} usable cores; {os.uname().nodename}; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t_cold, claims, env, args = cold_run(tmp, None)
        print(f"cold verify, default jobs ({cores})  {t_cold:8.1f} s wall, {len(claims)} claims")
        report(claims)
        t_warm, _ = _workbench(args, env)
        print(f"warm no-op verify                  {t_warm:8.2f} s wall")
        if not skip_jobs1:
            t_one, claims1, _, _ = cold_run(tmp, 1)
            same = {c["id"]: c["status"] for c in claims} == {c["id"]: c["status"] for c in claims1}
            print(f"cold verify, --jobs 1              {t_one:8.1f} s wall   "
                  f"ratio {t_one / t_cold:5.2f}x   same statuses: {same}")


BASELINE_REV = "3acc30e"


def _baseline_validator(rev):
    """The asymptotic validator of git revision ``rev``, imported beside today's."""
    import importlib.util
    root = Path(__file__).resolve().parent.parent
    mods = {}
    for name in ("extrapolation", "asymptotic"):
        src = subprocess.run(["git", "show", f"{rev}:workbench/validate/{name}.py"], cwd=root,
                             capture_output=True, text=True, check=True).stdout
        src = src.replace("from .extrapolation import", "from ._baseline_extrapolation import")
        full = f"workbench.validate._baseline_{name}"
        spec = importlib.util.spec_from_loader(full, loader=None)
        module = importlib.util.module_from_spec(spec)
        module.__package__ = "workbench.validate"
        sys.modules[full] = module
        exec(compile(src, f"<{rev}:{name}.py>", "exec"), module.__dict__)
        mods[name] = module
    return mods["asymptotic"]


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def validators(rev=BASELINE_REV):
    from workbench.loading import load
    from workbench.statements import Asymptotic
    from workbench.validate import validate_asymptotic
    old = _baseline_validator(rev)
    claims = [c for c in load(builtin=True) if isinstance(c.statement, Asymptotic)]
    rows, t_old, t_new = [], 0.0, 0.0
    for c in claims:
        settings = c.validator
        old_settings = None
        if settings is not None:
            old_settings = old.Extrapolation(digits=settings.digits, dps=settings.dps,
                                             high_dps=settings.high_dps,
                                             grid=old.Grid(settings.grid.start, settings.grid.ratio,
                                                           settings.grid.points),
                                             extra_points=settings.extra_points,
                                             safety=settings.safety)
        a, ev_old = timed(lambda: old.validate_asymptotic(c.statement, old_settings, c.params))
        b, ev_new = timed(lambda: validate_asymptotic(c.statement, settings, c.params))
        t_old, t_new = t_old + a, t_new + b
        rows.append((b, a, c.id, ev_old.verdict, ev_new.verdict, ev_new.digits))
    print(f"{len(claims)} built-in asymptotic claims; baseline = validator at {rev}")
    print(f"baseline total  {t_old:8.2f} s   1.00x")
    print(f"today's total   {t_new:8.2f} s   {t_new / t_old:5.2f}x")
    changed = [r for r in rows if r[3] != r[4]]
    print(f"verdicts changed: {len(changed)}" + "".join(f"\n  {r[2]}: {r[3]} -> {r[4]}" for r in changed))
    print("slowest (today, baseline, ratio):")
    for b, a, cid, *_ in sorted(rows, reverse=True)[:10]:
        print(f"  {b:8.2f} s  {a:8.2f} s  {b / a:5.2f}x  {cid}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--validators":
        validators(*sys.argv[2:3])
    else:
        main(skip_jobs1="--skip-jobs1" in sys.argv)
