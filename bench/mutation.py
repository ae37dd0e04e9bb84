"""Mutation check (issue 16): does the test suite catch a flipped sign or a factor 2?

Each mutant changes one line of the package's source text -- a sign or a factor 2 in the
kernel decay constant, in the erf I3 average (the Python closed form and the compiled ODE
closure's copy), in the ridge deterministic equivalent and in the compiled SGD update --
in a fresh temporary copy of the repository (``workbench/``, ``derivations/``, ``tests/``;
numba caches copied with their timestamps, so only the mutated module recompiles).  The
tests that cover that code then run in the copy; a mutant is *killed* when they fail.

Before the mutants, the same test files run unmutated in a copy (the baseline): a failing
baseline makes the kill rate meaningless, so the script stops.

Run from the repository root: ``python bench/mutation.py [--only NAME ...] [--no-baseline]``.
Not a test: it prints a table and the kill rate (several minutes: the SGD tests dominate).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SINGULARITY = "workbench/kernels/singularity.py"
AVERAGES = "workbench/teacher_student/averages.py"
CLOSURE = "workbench/teacher_student/closure.py"
RIDGE = "workbench/scaling/ridge.py"
SIMULATE = "workbench/teacher_student/simulate.py"

#: the compiled closure is checked by the ODE's own tests (closed cases: linear, tanh), by the
#: mpmath linearisation and by SGD: test_ode.py alone lets an erf I3 sign flip through
ODE_TESTS = ["tests/teacher_student/test_ode.py", "tests/teacher_student/test_linearisation.py",
             "tests/teacher_student/test_simulate.py"]

#: name -> (file, exact source text, its replacement, the tests to run)
MUTANTS = {
    "decay_constant sign": (
        SINGULARITY, "return sp.simplify(-c * 2 ** (d + nu - 2)", "return sp.simplify(c * 2 ** (d + nu - 2)",
        ["tests/kernels/test_singularity.py"]),
    "decay_constant x2": (
        SINGULARITY, "return sp.simplify(-c * 2 ** (d + nu - 2)", "return sp.simplify(-c * 2 ** (d + nu - 1)",
        ["tests/kernels/test_singularity.py"]),
    "I3 (erf closed form) sign": (
        AVERAGES, "(C[1, 2] * (1 + C[0, 0]) - C[0, 1] * C[0, 2])", "(C[1, 2] * (1 + C[0, 0]) + C[0, 1] * C[0, 2])",
        ["tests/teacher_student/test_averages.py"]),
    "I3 (erf closed form) x2": (
        AVERAGES, "return 2 / L.pi * (C[1, 2]", "return 4 / L.pi * (C[1, 2]",
        ["tests/teacher_student/test_averages.py"]),
    "I3 (ODE closure) sign": (
        CLOSURE, "(p_c * (1 + caa) - p_a * cac)", "(p_c * (1 + caa) + p_a * cac)", ODE_TESTS),
    "I3 (ODE closure) x2": (
        CLOSURE, "return _TWO_PI * (p_c * (1 + caa)", "return 2 * _TWO_PI * (p_c * (1 + caa)", ODE_TESTS),
    "ridge inflation sign": (
        RIDGE, "inflation = 1.0 if m == math.inf else 1.0 / (1.0 - n / m)",
        "inflation = 1.0 if m == math.inf else 1.0 / (1.0 + n / m)",
        ["tests/scaling/test_ridge.py"]),
    "ridge kernel curve x2": (
        RIDGE, "return float(kappa ** 2 * np.sum(w * lam", "return float(2 * kappa ** 2 * np.sum(w * lam",
        ["tests/scaling/test_ridge.py"]),
    "SGD update sign": (
        SIMULATE, "delta -= v[i] * activation_value(act, lam_s[i])", "delta += v[i] * activation_value(act, lam_s[i])",
        ["tests/teacher_student/test_simulate.py"]),
    "SGD update x2": (
        SIMULATE, "coef[i] = eta / sq * v[i]", "coef[i] = 2 * eta / sq * v[i]",
        ["tests/teacher_student/test_simulate.py"]),
}


def _copy_repo(dest: Path) -> None:
    """The package, the content and the tests, with mtimes (numba's cache index keys on them)."""
    for name in ("workbench", "derivations", "tests"):
        shutil.copytree(ROOT / name, dest / name, symlinks=True, copy_function=shutil.copy2)
    (dest / "workbench_derivations").symlink_to("derivations")


def _run_tests(where: Path, tests: list[str]) -> tuple[int, float, str]:
    env = dict(os.environ, PYTHONPATH=str(where), PYTHONDONTWRITEBYTECODE="1")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                          cwd=where, env=env, capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    return proc.returncode, time.perf_counter() - t0, (lines[-1] if lines else proc.stderr[-200:])


def _mutate(where: Path, path: str, old: str, new: str) -> None:
    f = where / path
    text = f.read_text()
    if text.count(old) != 1:
        raise SystemExit(f"mutant source not found exactly once in {path}: {old!r} (the code moved?)")
    f.write_text(text.replace(old, new))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="run only the mutants whose name contains one of these")
    ap.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    args = ap.parse_args(argv)
    chosen = {k: v for k, v in MUTANTS.items() if not args.only or any(s in k for s in args.only)}
    for name, (path, old, _new, _tests) in chosen.items():   # fail fast on stale patterns
        if (ROOT / path).read_text().count(old) != 1:
            raise SystemExit(f"{name}: source text not found exactly once in {path}: {old!r}")
    if not args.no_baseline:
        tests = sorted({t for *_, ts in chosen.values() for t in ts})
        with tempfile.TemporaryDirectory(prefix="wb-mutation-") as tmp:
            _copy_repo(Path(tmp))
            code, secs, last = _run_tests(Path(tmp), tests)
        print(f"baseline ({len(tests)} test files): exit {code}, {secs:.0f} s: {last}", flush=True)
        if code != 0:
            print("the unmutated tests fail: no kill rate")
            return 1
    killed = 0
    for name, (path, old, new, tests) in chosen.items():
        with tempfile.TemporaryDirectory(prefix="wb-mutation-") as tmp:
            _copy_repo(Path(tmp))
            _mutate(Path(tmp), path, old, new)
            code, secs, last = _run_tests(Path(tmp), tests)
        dead = code != 0
        killed += dead
        print(f"{'KILLED ' if dead else 'SURVIVED'} {name:28s} {secs:5.0f} s  {last}", flush=True)
    print(f"kill rate: {killed}/{len(chosen)} = {killed / len(chosen):.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
