"""Benchmark: the verify runner on the built-in derivations.

Prints wall times measured in this run and their ratios:
- a full verification (every check run, ``force=True``) -- the baseline;
- a second verification with nothing changed (every result from the store);
- hashing alone (what a no-op run must pay);
- the same full verification with 2 worker processes.

Run: ``python bench/bench_verify.py``.  Not a test: nothing is asserted.

``python bench/bench_verify.py --validators [REV]`` instead times the asymptotic
validator on every built-in asymptotic claim, against the validator as it was at git
revision ``REV`` (default ``3acc30e``, before the soundness work: one lattice, two
precisions), loaded from git into this process and run side by side on the same claims.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from workbench import Store, build_graph, verify
from workbench.hashing import effective_hashes
from workbench.loading import load


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def main():
    t_load, claims = timed(lambda: load(builtin=True))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite")
        t_full, rep = timed(lambda: verify(claims, store=store, force=True))
        t_noop, rep2 = timed(lambda: verify(claims, store=store))
        t_hash, _ = timed(lambda: effective_hashes(build_graph(claims)))
        t_par, rep3 = timed(lambda: verify(claims, store=store, force=True, jobs=2))
        store.close()
    n = len(rep.results)
    same = all(rep.results[i].evidence.summary == rep3.results[i].evidence.summary for i in rep.results)
    print(f"claims: {n} ({rep.counts()})")
    print(f"load derivations          {t_load:8.3f} s")
    print(f"full verify (baseline)    {t_full:8.3f} s   1.00x")
    print(f"no-op verify (stored)     {t_noop:8.3f} s   {t_full / t_noop:6.1f}x faster")
    print(f"hashing alone             {t_hash:8.3f} s   {t_full / t_hash:6.1f}x faster")
    print(f"full verify, 2 processes  {t_par:8.3f} s   {t_full / t_par:6.2f}x   identical results: {same}")
    print("slowest checks:")
    for r in sorted(rep.results.values(), key=lambda r: -r.evidence.runtime)[:5]:
        print(f"  {r.evidence.runtime:7.3f} s  {r.claim.id}")


BASELINE_REV = "3acc30e"


def _baseline_validator(rev):
    """The asymptotic validator of git revision ``rev``, imported beside today's."""
    import importlib.util
    import subprocess
    import sys
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


def validators(rev=BASELINE_REV):
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
    import sys
    if len(sys.argv) > 1 and sys.argv[1] == "--validators":
        validators(*sys.argv[2:3])
    else:
        main()
