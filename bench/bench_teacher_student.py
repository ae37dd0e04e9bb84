"""Benchmark: the compiled teacher-student simulator and ODE against plain baselines.

Baselines measured in the same run:
* simulator: a straightforward numpy loop, one vectorised SGD step per iteration (same model:
  K = M = 2, erf, N = 1000, eta = 0.5); the same step in plain C++ -O3 (``sgd_baseline.cpp``,
  the step of nn2pp, Goldt et al., which is not installable offline; compiled with g++ here,
  skipped with a message when there is no compiler); and a compiled loop that only draws the
  normals (the floor for any simulator using the same random stream);
* ODE: the same right-hand side run as plain Python (Numba's ``py_func``), same integrator.
Compile time is reported apart (first call in a fresh cache directory is the honest figure;
with a warm ``cache=True`` cache it is the load time).
Run: ``python bench/bench_teacher_student.py``.  Prints times and ratios; asserts nothing.
"""

from __future__ import annotations

import math
import time

import numpy as np
from scipy.integrate import solve_ivp
from scipy.special import erf

from workbench.teacher_student import integrate, simulate
from workbench.teacher_student.closure import pack, rhs

START = {"Q0": np.eye(2) * 0.2, "R0": np.array([[1e-3, 0.0], [0.0, 0.0]])}


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def numpy_sgd(N, steps, eta, seed=0):
    """The baseline simulator: one numpy-vectorised SGD step per Python iteration."""
    rng = np.random.default_rng(seed)
    W, B = rng.standard_normal((2, N)) * 0.5, rng.standard_normal((2, N))
    g = lambda h: erf(h / math.sqrt(2))  # noqa: E731
    dg = lambda h: math.sqrt(2 / math.pi) * np.exp(-h * h / 2)  # noqa: E731
    sq = math.sqrt(N)
    for _ in range(steps):
        x = rng.standard_normal(N)
        lam, rho = W @ x / sq, B @ x / sq
        delta = g(rho).sum() - g(lam).sum()
        W += (eta / sq * dg(lam) * delta)[:, None] * x[None, :]
    return W


def plain_python_rhs():
    """``closure.rhs`` with it and every compiled function it calls replaced by plain Python."""
    import types

    from workbench.teacher_student import closure, quadrature
    env = dict(vars(closure))
    for mod in (closure, quadrature):
        for name, obj in vars(mod).items():
            if hasattr(obj, "py_func"):
                env[name] = types.FunctionType(obj.py_func.__code__, env, name)
    return env["rhs_compiled"]


def cpp_sgd(N, steps, eta):
    """Steps per second of ``sgd_baseline.cpp`` built with ``g++ -O3``, or None (and why)."""
    import os
    import shutil
    import subprocess
    import tempfile
    gxx = shutil.which("g++") or shutil.which("c++")
    if gxx is None:
        return None, "no C++ compiler (g++) on PATH"
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sgd_baseline.cpp")
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "sgd_baseline")
        built = subprocess.run([gxx, "-O3", "-o", exe, src], capture_output=True, text=True)
        if built.returncode:
            return None, f"g++ failed: {built.stderr.strip()[:200]}"
        out = subprocess.run([exe, str(N), "2", "2", str(steps), str(eta), "0"],
                             capture_output=True, text=True, check=True)
    return steps / float(out.stdout.split()[0]), None


def draws_only(N, steps):
    """Steps per second of a compiled loop that only draws the normals of each step."""
    import numba as nb

    @nb.njit
    def draw(rng, steps, N):
        s = 0.0
        for t in range(steps):
            s += rng.standard_normal(N)[0]
        return s
    draw(np.random.default_rng(0), 2, N)
    t, _ = timed(lambda: draw(np.random.default_rng(0), steps, N))
    return steps / t


COMPILE = """
import time, numpy as np
t0 = time.perf_counter()
from workbench.teacher_student import integrate, simulate
Q0, R0 = np.eye(2) * 0.2, np.array([[1e-3, 0.0], [0.0, 0.0]])
simulate(N=100, eta=0.5, alphas=[0.0, 0.1], seed=0, Q0=Q0, R0=R0)
integrate("erf", eta=0.5, alphas=[0.0, 1.0], Q0=Q0, R0=R0)
print(time.perf_counter() - t0)
"""


def compile_time():
    """Import + first calls in a fresh process with an empty Numba cache: the compile cost."""
    import os
    import subprocess
    import sys
    import tempfile
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = subprocess.run([sys.executable, "-c", COMPILE], env=env, capture_output=True, text=True)
    return float(out.stdout.strip() or "nan")


def main():
    import os
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (compile times per entry "
          f"point: bench/bench_compile.py)")
    print(f"compile (empty Numba cache: import + first simulate + first integrate): {compile_time():.1f} s")
    N, steps = 1000, 100_000
    alphas = [0.0, steps / N]
    t_first, _ = timed(lambda: simulate(N=N, eta=0.5, alphas=[0.0, 0.01], seed=0, **START))
    t_sim, _ = timed(lambda: simulate(N=N, eta=0.5, alphas=alphas, seed=0, **START))
    base_steps = 20_000
    t_np, _ = timed(lambda: numpy_sgd(N, base_steps, 0.5))
    rate_sim, rate_np = steps / t_sim, base_steps / t_np
    rate_cpp, why = cpp_sgd(N, base_steps, 0.5)
    rate_draw = draws_only(N, steps)
    print(f"simulator N=1000 K=M=2 erf: first call (compile or cache load) {t_first:.2f} s")
    print(f"  numpy per-step loop (baseline)      {rate_np:10.0f} steps/s   1.00x")
    if rate_cpp is None:
        print(f"  C++ -O3 loop (nn2pp's step): skipped, {why}")
    else:
        print(f"  C++ -O3 loop (nn2pp's step)         {rate_cpp:10.0f} steps/s  "
              f"{rate_cpp / rate_np:5.1f}x")
    print(f"  compiled simulator                  {rate_sim:10.0f} steps/s  {rate_sim / rate_np:5.1f}x"
          f" the numpy loop" + ("" if rate_cpp is None else f", {rate_sim / rate_cpp:4.1f}x C++")
          + "   (target >= 4x both)")
    print(f"  compiled loop drawing normals only  {rate_draw:10.0f} steps/s  "
          f"(simulator takes {rate_draw / rate_sim:4.2f}x its time)")

    grid = np.linspace(0, 2000, 201)
    t_first, _ = timed(lambda: integrate("erf", eta=0.5, alphas=[0.0, 1.0], **START))
    t_ode, tr = timed(lambda: integrate("erf", eta=0.5, alphas=grid, rtol=1e-10, **START))
    y0 = pack(np.array(START["Q0"])[None], np.array(START["R0"])[None], np.ones(2))
    T, lam, vs = np.eye(2)[None], np.ones(1), np.ones(2)
    py = plain_python_rhs()
    t_py, sol = timed(lambda: solve_ivp(lambda t, y: py(y, 2, T, lam, vs, 0.5, 0.0, 0.0, 0.0, 1, None),
                                        (0, 2000), y0, method="DOP853", rtol=1e-10, atol=1e-13))
    print(f"ODE K=M=2 erf, alpha 0..2000, rtol 1e-10 ({tr.steps} RHS calls); first call {t_first:.2f} s")
    print(f"  plain-Python right-hand side (baseline) {t_py:8.3f} s   1.00x")
    print(f"  compiled right-hand side                {t_ode:8.3f} s  {t_py / t_ode:6.1f}x   (target < 0.2 s)")

    K = 10
    rng = np.random.default_rng(1)
    Q0 = np.eye(K) * 0.5
    R0 = rng.uniform(0, 1e-3, (K, K))
    t10, tr10 = timed(lambda: integrate("erf", eta=0.5, Q0=Q0, R0=R0, alphas=np.linspace(0, 1000, 11)))
    print(f"ODE K=M=10 erf, alpha 0..1000, rtol 1e-10: {t10:.2f} s ({tr10.steps} RHS calls; target < 20 s)")


if __name__ == "__main__":
    main()
