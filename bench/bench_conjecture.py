"""Benchmark: workbench.conjecture on closed-form sequences and on a family.

Measured, each cold (first call in this process: imports, the kernels' and the basis
constants' caches empty) and warm (the same call again):

* a closed-form measurement: ``mu("arccos1", 5, k)`` (residue classes, PSLQ, the
  confirmation at twice the digits, the self-check);
* a check of a guess against it (the validator; refuted here);
* an 11-member family ``mu("relu_ntk", d, k)``, ``d = 2..12``, measured and guessed, in
  ``jobs`` worker processes (default: the usable cores), and with ``jobs=1`` for the
  baseline; the target is under 60 s on 2 cores;
* a sequence with no closed form in the basis (the failed PSLQ searches' cost).

Run: ``python bench/bench_conjecture.py [--jobs N]``.  Prints times; asserts nothing.
The machine's load average is printed first: the members share the cores with anything
else running.
"""

from __future__ import annotations

import argparse
import os
import time

import mpmath as mp
import sympy as sp

from workbench.conjecture import conjecture
from workbench.executors import usable_cores
from workbench.quantities import mu


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def arccos1(k):
    return mu("arccos1", 5, k)


def relu_ntk(k, d):
    return mu("relu_ntk", d, k)


def no_closed_form(k):
    k = mp.mpf(k)
    return mp.e ** (mp.mpf(1) / 3) / k ** 2 * (1 + 1 / k)


def row(label, cold, warm, note=""):
    print(f"{label:<44} {cold:8.2f} s {warm:8.2f} s  {note}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None, help="family workers (default: cores)")
    args = parser.parse_args()
    jobs = args.jobs or usable_cores()
    print(f"load average {os.getloadavg()[0]:.2f} on {usable_cores()} usable cores; jobs = {jobs}")
    print(f"{'':<44} {'cold':>10} {'warm':>10}")

    cold, c = timed(lambda: conjecture(arccos1, "k"))
    warm, _ = timed(lambda: conjecture(arccos1, "k"))
    row("measure mu(arccos1, 5, k)", cold, warm, f"{c.law}, {c.digits:g} digits")

    k = c.variable
    cold, ev = timed(lambda: c.check(9 / (2 * sp.pi) * k ** -7))
    warm, _ = timed(lambda: c.check(9 / (2 * sp.pi) * k ** -7))
    row("check 9/(2 pi) k^-7", cold, warm, ev.outcome)

    cold, n = timed(lambda: conjecture(no_closed_form, "k"))
    warm, _ = timed(lambda: conjecture(no_closed_form, "k"))
    row("measure e^(1/3)/k^2 (no closed form)", cold, warm, f"closed form: {n.closed_form}")

    family = {"d": range(2, 13)}
    cold, f = timed(lambda: conjecture(relu_ntk, "k", subsequence=(2, 0), family=family, jobs=jobs))
    warm, _ = timed(lambda: conjecture(relu_ntk, "k", subsequence=(2, 0), family=family, jobs=jobs))
    row(f"family relu_ntk d = 2..12, jobs = {jobs}", cold, warm, str(f.family_formula["constant"]))
    if jobs > 1:
        serial, _ = timed(lambda: conjecture(relu_ntk, "k", subsequence=(2, 0), family=family,
                                             jobs=1))
        print(f"{'family relu_ntk d = 2..12, jobs = 1 (baseline)':<44} {'':>10} {serial:8.2f} s  "
              f"speed-up {serial / warm:.2f}x")


if __name__ == "__main__":
    main()
