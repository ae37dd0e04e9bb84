"""Benchmark: sphere spectra (closed forms vs the naive quadrature they replace).

Baselines measured in the same run: mpmath.quad of the Funk-Hecke integral in t,
one degree at a time, for relu_ntk on S^2 at k = 101 and 30 digits; for the generic path
(a kernel given only as a sympy expression: Laplace ``exp(-sqrt(2-2u))``, d = 3, 30 digits),
the previous implementation (the same tanh-sinh rules with the recurrence in mpmath
numbers, :func:`mpmath_generic_path` below) and a float64 Gauss-Gegenbauer quadrature.
Run: ``python bench/bench_kernels.py``.  Prints times and ratios; asserts nothing.
"""

from __future__ import annotations

import time

import mpmath as mp
import numpy as np

from workbench.kernels import kernel, sphere_eigenvalue_quadrature, sphere_eigenvalues


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def naive_mu(kern, d, k, dps=30):
    """The baseline: mp.quad in t with mpmath's Legendre polynomial, no splitting."""
    with mp.workdps(dps):
        return mp.quad(lambda t: kern(t) * mp.legendre(k, t), [-1, 1]) / 2


def mpmath_generic_path(kern, d, K, dps=30):
    """The generic path before the fixed-point recurrence: every sum in mpmath numbers, each
    rule from scratch, the guard probed at 10 digits (as the library did)."""
    import math

    from workbench.kernels.quadrature import tanh_sinh_angle_nodes
    from workbench.kernels.sphere import funk_hecke_constant

    def sums(h, digits):
        acc = [mp.mpf(0)] * (K + 1)
        for th, w in tanh_sinh_angle_nodes(h, digits):
            t = mp.cos(th)
            f = kern(t) * mp.sin(th) ** (d - 2) * w
            p_prev, p = mp.mpf(1), t
            acc[0] += f
            acc[1] += f * t
            for j in range(1, K):
                p_prev, p = p, ((2 * j + d - 2) * t * p - j * p_prev) / (j + d - 2)
                acc[j + 1] += f * p
        return acc

    def guard_for(values, guard):
        top = max(abs(x) for x in values)
        noise = top * mp.mpf(10) ** (3 - dps - guard)
        smallest = min((abs(x) for x in values if abs(x) > 100 * noise), default=top)
        return max(guard, int(mp.log10(top / smallest)) + 10)

    guard, h = 10, mp.mpf(2) ** -max(4, math.ceil(math.log2(K / 2 + 16)))
    with mp.workdps(dps + guard):
        coarse = sums(h, dps + guard)
        guard = guard_for(coarse, guard)
    with mp.workdps(dps + guard):
        coarse = sums(h, dps + guard)
    for _ in range(5):
        with mp.workdps(dps + guard):
            fine = sums(h / 2, dps + guard)
            noise = max(abs(x) for x in fine) * mp.mpf(10) ** (3 - dps - guard)
            worst = max(abs(a - b) / (abs(b) * mp.mpf(10) ** -dps + noise) for a, b in zip(coarse, fine))
        if worst <= 1:
            with mp.workdps(dps + guard):
                scaled = [funk_hecke_constant(d) * x for x in fine]
            with mp.workdps(dps):
                return [+x for x in scaled]
        h, coarse = h / 2, fine
    raise RuntimeError("baseline did not converge")


def float64_gauss_gegenbauer(d, K, n):
    """float64 Gauss-Gegenbauer quadrature (weight (1-t^2)^((d-3)/2)) of the Laplace kernel."""
    from math import gamma, pi, sqrt

    from scipy.special import roots_gegenbauer
    t, w = roots_gegenbauer(n, (d - 2) / 2)
    f = np.exp(-np.sqrt(np.maximum(2 - 2 * t, 0))) * w * gamma(d / 2) / (sqrt(pi) * gamma((d - 1) / 2))
    out, p_prev, p = [f.sum(), (f * t).sum()], np.ones_like(t), t
    for j in range(1, K):
        p_prev, p = p, ((2 * j + d - 2) * t * p - j * p_prev) / (j + d - 2)
        out.append((f * p).sum())
    return out


def generic_path():
    """The generic path (expression only) at kmax = 200 and 1000 against its baselines."""
    import os

    import sympy as sp

    from workbench.kernels import U
    from workbench.kernels.quadrature import eigenvalues_by_quadrature
    print(f"generic path, Laplace exp(-sqrt(2-2u)) given as an expression, d=3, 30 digits "
          f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    lap = kernel(sp.exp(-sp.sqrt(2 - 2 * U)))
    for K in (200, 1000):
        t_new, new = timed(lambda: eigenvalues_by_quadrature(lap, 3, K, dps=30))
        exact = sphere_eigenvalues(kernel("laplace"), 3, K, dps=30)     # series closed form
        t_f64, f64 = timed(lambda: float64_gauss_gegenbauer(3, K, 4 * K + 200))
        with mp.workdps(30):
            err = max(abs(a - b) / abs(b) for a, b in zip(new, exact))
            err64 = max(abs(a - float(b)) / abs(float(b)) for a, b in zip(f64, exact))
        line = (f"  kmax={K:5d}: fixed-point recurrence {t_new:7.2f} s (rel. error vs series "
                f"{mp.nstr(err, 2)}; target < {2 if K == 200 else 20} s)")
        if K == 200:
            t_old, old = timed(lambda: mpmath_generic_path(lap, 3, K))
            with mp.workdps(30):
                same = max(abs(a - b) / abs(b) for a, b in zip(new, old))
            line += (f"\n      previous mpmath path (baseline) {t_old:7.2f} s: {t_old / t_new:5.1f}x faster,"
                     f" the two agree to {mp.nstr(same, 2)}")
        line += (f"\n      float64 Gauss-Gegenbauer, {4 * K + 200} nodes {t_f64:7.3f} s: "
                 f"{t_new / t_f64:6.1f}x its time, its rel. error {err64:.1e}")
        print(line, flush=True)


def main():
    generic_path()
    ntk = kernel("relu_ntk")
    t_naive, v_naive = timed(lambda: naive_mu(ntk, 3, 101))
    t_closed, mus = timed(lambda: sphere_eigenvalues(ntk, 3, 1000, dps=30))
    t_quad, v_quad = timed(lambda: sphere_eigenvalue_quadrature(ntk, 3, 101, dps=30))
    with mp.workdps(30):
        err_naive = abs(v_naive - mus[101])
        err_quad = abs(v_quad - mus[101])
    print(f"naive mp.quad, relu_ntk d=3 k=101 only (baseline)   {t_naive:8.3f} s  1.00x "
          f"(error {mp.nstr(err_naive, 2)})")
    print(f"closed forms, relu_ntk d=3 all k <= 1000             {t_closed:8.3f} s  "
          f"{t_naive / t_closed:6.1f}x for 1001 degrees instead of one")
    print(f"tanh-sinh in theta (generic path), k=101 only      {t_quad:8.3f} s  "
          f"{t_naive / t_quad:6.2f}x (error {mp.nstr(err_quad, 2)})")
    from workbench.kernels.quadrature import eigenvalues_by_quadrature
    lap = kernel("laplace")
    t_gen, gen = timed(lambda: eigenvalues_by_quadrature(lap, 3, 200, dps=30))
    t_ser, ser = timed(lambda: sphere_eigenvalues(lap, 3, 200, dps=30))
    with mp.workdps(30):
        agree = max(abs(a - b) / abs(b) for a, b in zip(gen, ser))
    print(f"laplace, expression only (shared-node quadrature) k <= 200  {t_gen:8.3f} s  "
          f"{t_naive * 201 / t_gen:6.1f}x vs 201 naive quads (estimated)")
    print(f"laplace, series closed form k <= 200                         {t_ser:8.3f} s  "
          f"{t_gen / t_ser:6.1f}x faster; the two agree to {mp.nstr(agree, 2)}")
    from workbench.kernels.gram import gram_eigenvalues, gram_matrix, sample_sphere
    t_c, _ = timed(lambda: gram_matrix("relu_ntk", sample_sphere(10, 3, 0)))
    X = sample_sphere(4000, 3, 0)
    t_gm, _ = timed(lambda: gram_matrix("relu_ntk", X))
    t_np, _ = timed(lambda: _numpy_gram(X))
    t_ge, _ = timed(lambda: gram_eigenvalues("relu_ntk", 3, 4000, seed=0))
    print(f"Gram matrix n=4000, numpy vectorised (baseline)               {t_np:8.3f} s  1.00x")
    print(f"Gram matrix n=4000, numba loop (compile {t_c:.2f} s apart)       {t_gm:8.3f} s  "
          f"{t_np / t_gm:6.2f}x")
    print(f"Gram checker n=4000 incl. eigvalsh                            {t_ge:8.3f} s")


def _numpy_gram(X):
    """Baseline: the relu_ntk kernel evaluated with numpy on the matrix of dot products."""
    u = np.clip(X @ X.T, -1, 1)
    k0 = 1 - np.arccos(u) / np.pi
    return u * k0 + (np.sqrt(1 - u * u) + u * (np.pi - np.arccos(u))) / np.pi


if __name__ == "__main__":
    main()
