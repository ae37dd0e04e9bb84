"""Benchmark: the loss of gradient flow from a spectrum, 10^7 modes at 100 times.

Baseline measured in the same run: vectorised numpy, ``0.5 * sum(c2 * exp(-2 lam t))`` per t
(timed on every 10th t and scaled).  Accuracy of both is compared.  The high-precision sum
(mpmath, Euler-Maclaurin tail) is timed for the infinite power-law spectrum.
Run: ``python bench/bench_scaling.py``.  Prints times and ratios; asserts nothing.
"""

from __future__ import annotations

import time

import mpmath as mp
import numpy as np

from workbench.scaling import loss_curve, loss_curve_numpy, loss_mp


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def main():
    N = 10 ** 7
    n = np.arange(1, N + 1, dtype=float)
    lam, c2 = n ** -2.0, n ** -0.5 - (n + 1) ** -0.5
    ts = np.geomspace(1, 1e8, 100)
    t_first, _ = timed(lambda: loss_curve(lam[:10], c2[:10], ts[:1]))
    t_fast, fast = timed(lambda: loss_curve(lam, c2, ts))
    t_np, slow = timed(lambda: loss_curve_numpy(lam, c2, ts[::10]))
    t_np *= 10
    err = float(np.max(np.abs(fast[::10] / slow - 1)))
    print(f"10^7 modes, 100 times (compile / cache load {t_first:.2f} s, reported apart)")
    print(f"  vectorised numpy (baseline, scaled from 10 t)  {t_np:8.3f} s   1.00x")
    print(f"  compiled, moment tail                          {t_fast:8.3f} s  {t_np / t_fast:6.1f}x "
          f"(max relative difference {err:.1g}; target >= 20x)")
    with mp.workdps(30):
        f = lambda: [loss_mp(lambda k: k ** -2, lambda k: -k ** -mp.mpf(0.5) * mp.expm1(-mp.mpf(0.5) * mp.log1p(1 / k)), t)  # noqa: E731
                     for t in np.geomspace(1, 1e12, 100)]
        t_mp, _ = timed(f)
    print(f"  30-digit sum, infinitely many modes, 100 times in [1, 1e12]: {t_mp:.2f} s")


if __name__ == "__main__":
    main()
