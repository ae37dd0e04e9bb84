"""Benchmark: the verify runner on the built-in derivations.

Prints wall times measured in this run and their ratios:
- a full verification (every check run, ``force=True``) -- the baseline;
- a second verification with nothing changed (every result from the store);
- hashing alone (what a no-op run must pay);
- the same full verification with 2 worker processes.

Run: ``python bench/bench_verify.py``.  Not a test: nothing is asserted.
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


if __name__ == "__main__":
    main()
