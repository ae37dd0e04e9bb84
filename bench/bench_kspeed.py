"""Benchmark: CPU seconds per claim family of ``kernel_spectra`` and ``sphere_targets``.

Each claim runs in its own forked process with one BLAS thread (as under ``workbench
verify``), so a memo lives for one claim only; prints per-family CPU sums and writes ``id<TAB>cpu<TAB>status<TAB>summary`` lines
to the file given as the first argument (compare two such files to see identical summaries).
Run: ``PYTHONPATH=$PWD python bench/bench_kspeed.py out.tsv [glob ...]``.  Asserts nothing.
"""

from __future__ import annotations

import fnmatch
import os
import pickle
import re
import sys
import time
from collections import defaultdict

from workbench.loading import load
from workbench.validate import run_check


def run_forked(claim):
    """(cpu seconds, status, summary) of one claim's check in a forked child."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        t = time.process_time()
        ev = run_check(claim)
        out = (time.process_time() - t, f"{ev.verdict}/{ev.outcome}", ev.summary)
        with os.fdopen(w, "wb") as f:
            pickle.dump(out, f)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    return pickle.loads(data)


def family(cid):
    """``topic/<kernel>-exact-d3`` -> ``topic/*-exact-dN``."""
    topic, name = cid.split("/", 1)
    for tag in ("exact", "gram", "decay", "mercer-tail", "index-order", "endpoint-analysis",
                "hemisphere-index-tail", "jump-coefficients"):
        if f"{tag}-" in name or name.endswith(tag):
            return f"{topic}/*{tag}"
    return f"{topic}/{re.sub(r'd[0-9]+', 'dN', name)}"


def main(out, globs):
    from threadpoolctl import threadpool_limits
    claims = [c for c in load(builtin=True) if any(fnmatch.fnmatch(c.id, g) for g in globs)]
    sums, counts = defaultdict(float), defaultdict(int)
    # one BLAS thread per child, as workbench.isolation.run_isolated gives them
    with open(out, "w") as f, threadpool_limits(1):
        for c in claims:
            cpu, status, summary = run_forked(c)
            sums[family(c.id)] += cpu
            counts[family(c.id)] += 1
            f.write(f"{c.id}\t{cpu:.2f}\t{status}\t{summary}\n")
            f.flush()
    for fam in sorted(sums, key=lambda x: -sums[x]):
        print(f"{fam:45s} [{counts[fam]:3d}] {sums[fam]:8.1f} s")
    print(f"{'total':45s} [{sum(counts.values()):3d}] {sum(sums.values()):8.1f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or ["kernel_spectra/*", "sphere_targets/*"])
