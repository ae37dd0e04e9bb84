"""Benchmark: CPU seconds and peak RSS of single claims, each in a fresh process.

For each claim id, the check runs (``run_check``, no store, no fork) in a new interpreter twice:
with an empty numba cache (``cold``: compile cost included, as for the first process of a cold
``workbench verify`` that needs a compiled function) and again with the cache it left
(``warm``: load cost only).  BLAS is held to one thread, as the runner holds it.  Prints one
line per run; asserts nothing.  CPU time (not wall) is what to compare on a shared machine.

Run: ``python bench/bench_claim_cpu.py [CLAIM_ID ...]`` (default: the simulation-bound claims of
issue 12's teacher-student list).  Compare revisions by running it in each checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

DEFAULT = ["arnaboldi/sgd-collapse", "bahri_regimes/variance-limited-D", "saad_solla/max-learning-rate",
           "saad_solla/ode-vs-sgd-N8000", "bahri_regimes/variance-limited-P", "ntk_loss/gd-relu-network-d2",
           "saad_solla/ode-sgd-gap-rate", "ntk_loss/gd-relu-network-d3", "saad_solla/I4-erf",
           "bahri_regimes/resolution-limited-D", "saad_solla/escape-rate", "bahri_regimes/resolution-limited-P",
           "saad_solla/plateau-finite-eta", "worschech_rosenow/linear-closed-form-vs-sgd"]

CHILD = """
import resource, sys, time
from workbench.loading import load
from workbench.validate import run_check
claim = {c.id: c for c in load(builtin=True)}[sys.argv[1]]
t = time.process_time()
ev = run_check(claim)
cpu = time.process_time() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{cpu:8.2f} s CPU {rss:7.0f} MB  {ev.summary[:90]}")
"""


def main(ids):
    threads = {v: "1" for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    for cid in ids:
        cache = tempfile.mkdtemp(prefix="numba-cache-")
        try:
            env = dict(os.environ, NUMBA_CACHE_DIR=cache, **threads)
            for label in ("cold", "warm"):
                out = subprocess.run([sys.executable, "-c", CHILD, cid], env=env, capture_output=True,
                                     text=True)
                line = out.stdout.strip().splitlines()[-1] if out.returncode == 0 else out.stderr[-200:]
                print(f"{label}  {cid:45s} {line}", flush=True)
        finally:
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT)
