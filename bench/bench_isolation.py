"""Benchmark: the cost of running each check in its own process (workbench.isolation).

Runs N trivial checks (``return True``) in this process and isolated, with jobs=1 and 2,
once in a small process and once after loading the built-in derivations (a fork costs
more in a bigger process: its page tables are copied).  Prints the per-check overhead.

Run: ``python bench/bench_isolation.py``.  Not a test: nothing is asserted.
"""

from __future__ import annotations

import time

from workbench import Derivation, verify
from workbench.loading import load

N = 200


def trivial(n: int) -> Derivation:
    D = Derivation("bench")
    for k in range(n):
        D.add(f"c{k}", f"trivial {k}", check=lambda: True)
    return D


def per_check(D, **kw) -> float:
    t0 = time.perf_counter()
    report = verify(D, **kw)
    dt = time.perf_counter() - t0
    assert all(r.status == "verified" for r in report.results.values())
    return dt / len(report.results) * 1e3


def row(label: str, D) -> None:
    base = per_check(D, isolate=False)
    one = per_check(D, jobs=1)
    two = per_check(D, jobs=2)
    print(f"{label:34s} in-process {base:6.2f} ms   isolated jobs=1 {one:6.2f} ms "
          f"(+{one - base:.2f})   jobs=2 {two:6.2f} ms")


def main():
    D = trivial(N)
    verify(D, isolate=False)          # warm up (hashing caches, imports)
    row(f"{N} trivial checks, small process", D)
    load(builtin=True)
    row(f"{N} trivial checks, built-ins loaded", D)


if __name__ == "__main__":
    main()
