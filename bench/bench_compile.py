"""Benchmark: Numba compile cost of each compiled entry point, cold and cached.

Each entry point runs in a fresh Python process with an empty ``NUMBA_CACHE_DIR`` (the first
call compiles), then again in a fresh process with that cache (the first call only loads).
Reported per entry point: import time, first-call time, and the CPU seconds of the whole
process (wall times move with the load of a shared machine; CPU seconds much less).  The
goal is the cold import-plus-first-call of the ODE and of the simulator under 10 s.
Run: ``python bench/bench_compile.py [--baseline PATH]``; with ``--baseline`` the same
snippets also run with ``PATH`` (e.g. a checkout of main) first on ``PYTHONPATH``, side by
side, and the ratios are printed.  Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

SETUP = """
import json, time
t0, c0 = time.perf_counter(), time.process_time()
{imports}
t1 = time.perf_counter()
{call}
t2 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "call": t2 - t1, "cpu": time.process_time() - c0}}))
"""

TS_START = "import numpy as np\nQ0, R0 = np.eye(2) * 0.2, np.array([[1e-3, 0.0], [0.0, 0.0]])\n"

ENTRY_POINTS = {
    "teacher_student.simulate (erf)": (
        "from workbench.teacher_student import simulate\n" + TS_START,
        "simulate(N=100, eta=0.5, alphas=[0.0, 0.1], seed=0, Q0=Q0, R0=R0)"),
    "teacher_student.integrate (erf ODE)": (
        "from workbench.teacher_student import integrate\n" + TS_START,
        "integrate('erf', eta=0.5, alphas=[0.0, 1.0], Q0=Q0, R0=R0)"),
    "teacher_student.integrate (tanh ODE, quadrature)": (
        "from workbench.teacher_student import integrate\n" + TS_START,
        "integrate('tanh', eta=0.5, alphas=[0.0, 0.01], Q0=Q0, R0=R0, rtol=1e-6)"),
    "simulate + integrate (erf), one process": (
        "from workbench.teacher_student import integrate, simulate\n" + TS_START,
        "simulate(N=100, eta=0.5, alphas=[0.0, 0.1], seed=0, Q0=Q0, R0=R0)\n"
        "integrate('erf', eta=0.5, alphas=[0.0, 1.0], Q0=Q0, R0=R0)"),
    "kernels.gram_matrix (relu_ntk)": (
        "from workbench.kernels.gram import gram_matrix, sample_sphere",
        "gram_matrix('relu_ntk', sample_sphere(10, 3, 0))"),
    "kernels.finite_width.empirical_ntk": (
        "import numpy as np\nfrom workbench.kernels.finite_width import empirical_ntk\n"
        "from workbench.kernels.gram import sample_sphere",
        "empirical_ntk(sample_sphere(4, 3, 0), sample_sphere(4, 3, 1), 8, 0)"),
    "scaling.loss_curve": (
        "import numpy as np\nfrom workbench.scaling.loss import loss_curve",
        "loss_curve(1.0 / np.arange(1, 100) ** 2, 1.0 / np.arange(1, 100) ** 2, [1.0, 10.0])"),
}


def run(imports, call, path, cache):
    env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=os.pathsep.join(
        [path] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    out = subprocess.run([sys.executable, "-c", SETUP.format(imports=imports, call=call)],
                         env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(imports, call, path):
    with tempfile.TemporaryDirectory() as cache:
        return run(imports, call, path, cache), run(imports, call, path, cache)


def fmt(r):
    if "error" in r:
        return f"{'error: ' + r['error'][:40]:>40s}"
    return f"{r['import']:6.2f} + {r['call']:6.2f} s (cpu {r['cpu']:6.2f} s)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", help="a checkout to compare with (put first on PYTHONPATH)")
    args = ap.parse_args()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'entry point':48s} {'cold: import + first call':>34s}   {'cached':>34s}")
    for name, (imports, call) in ENTRY_POINTS.items():
        cold, warm = measure(imports, call, here)
        line = f"{name:48s} {fmt(cold)}   {fmt(warm)}"
        if args.baseline:
            base, _ = measure(imports, call, args.baseline)
            if "error" not in base and "error" not in cold:
                line += (f"   baseline cold {base['import'] + base['call']:6.2f} s "
                         f"(cpu {base['cpu']:6.2f}): {base['cpu'] / cold['cpu']:4.1f}x less cpu")
        print(line, flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
