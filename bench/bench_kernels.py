"""Benchmark: sphere spectra (closed forms vs the naive quadrature they replace).

Baseline measured in the same run: mpmath.quad of the Funk-Hecke integral in t,
one degree at a time, for relu_ntk on S^2 at k = 101 and 30 digits.
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


def main():
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
