"""Sequence extrapolation with honest error estimates (mpmath arithmetic).

Two independent methods estimate ``lim s_j`` from a few terms of a sequence
sampled on a geometric grid ``n_j = n_0 r^j``:

:func:`richardson`
    Polynomial (Neville) extrapolation to ``h = 0`` in the node variable
    ``h_j = n_j^{-w}``.  Exact when ``s_j = s + c_1 h_j + c_2 h_j^2 + ...``
    with no other terms, i.e. when the correction step ``w`` is right.
:func:`wynn_epsilon`
    Wynn's epsilon algorithm (Shanks transformation) in the index ``j``.
    On a geometric grid every correction ``n_j^{-a}`` is a geometric sequence
    ``r^{-a j}`` in ``j``, and the epsilon algorithm removes sums of geometric
    sequences whatever their ratios: it assumes nothing about the exponents.

Error estimates
---------------
Each table column ``k`` gives an estimate ``T_k`` (its last entry).  Its error
is estimated from (i) the step to the next column and (ii) a geometric tail
bound on the column's own convergence: with ``D`` and ``D'`` the last two
differences along the column and ``rho = |D'/D|``, the remaining error is about
``|D| / (rho - 1)`` (infinite when ``rho <= 1``: the column is not converging).
The larger of the two, times a safety factor, is the error bar; the column
with the smallest error bar is reported.

Caveats
-------
Like mpmath's ``richardson``/``shanks``, these are heuristics.  Corrections
that are not powers (``1/log n``) make both methods converge slowly; the tail
bound then under-estimates the true error by up to about a factor 2, which
the default safety factor of 4 covers.  Rounding noise at working precision
is amplified by high columns; its effect shows up in the differences and so
in the error bar.  The error bar is never smaller than ``|T| 10^(3-dps)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp

__all__ = ["Estimate", "richardson", "wynn_epsilon"]


@dataclass(frozen=True)
class Estimate:
    """An extrapolated limit with its error bar (mpmath numbers)."""

    value: object
    error: object
    method: str
    column: int

    def digits(self, claimed=None, scale=None) -> float:
        """Decimal digits of agreement with ``claimed`` (default: of the value itself).

        ``scale`` sets relative vs absolute: digits = -log10(max(|diff|, err) / scale).
        """
        if scale is None:
            scale = abs(claimed if claimed is not None else self.value)
        if scale == 0:
            scale = mp.mpf(1)
        diff = abs(self.value - claimed) if claimed is not None else mp.mpf(0)
        worst = max(diff, self.error)
        if worst == 0:
            return float("inf")
        if not mp.isfinite(worst):
            return float("-inf")
        return float(-mp.log10(worst / scale))


def _floor(value, dps):
    return abs(value) * mp.mpf(10) ** (3 - dps) if value != 0 else mp.mpf(10) ** (3 - dps)


def _best(columns, method, dps, safety):
    """Pick the column with the smallest error bar.

    ``columns[k]`` is the list of entries of column ``k`` in grid order.
    """
    best = None
    for k, col in enumerate(columns):
        if len(col) < 1:
            continue
        value = col[-1]
        noise = _floor(value, dps)
        bounds = []
        if k + 1 < len(columns) and columns[k + 1]:
            bounds.append(abs(columns[k + 1][-1] - value))
        if len(col) >= 3:
            d, d_prev = abs(col[-1] - col[-2]), abs(col[-2] - col[-3])
            if d <= noise and d_prev <= noise:   # converged to working precision
                bounds.append(mp.mpf(0))
            elif d == 0:                          # two equal estimates: bound by the last step seen
                bounds.append(d_prev)
            elif d_prev > d:
                bounds.append(d / (d_prev / d - 1))
            else:
                bounds.append(mp.inf)
        elif len(col) == 2:
            bounds.append(abs(col[-1] - col[-2]) * 10)  # no convergence rate seen: be wary
        else:
            bounds.append(mp.inf)
        err = max(max(bounds) * safety, noise)
        if best is None or err < best.error:
            best = Estimate(value, err, method, k)
    if best is None:
        raise ValueError("no terms to extrapolate")
    return best


def richardson(nodes, values, dps: int, safety=4):
    """Neville extrapolation of ``values`` (given at ``nodes`` ``h_j``) to ``h = 0``.

    Column ``k`` holds the value at 0 of the degree-``k`` interpolant through
    ``k+1`` consecutive points.

    >>> import mpmath as mp
    >>> with mp.workdps(30):
    ...     h = [mp.mpf(1)/2**j for j in range(8)]
    ...     est = richardson(h, [3 + x + 5*x**2 for x in h], dps=30)
    ...     bool(abs(est.value - 3) < 1e-25)
    True
    """
    h = [mp.mpf(x) for x in nodes]
    col = [mp.mpf(v) for v in values]
    columns = [col]
    for k in range(1, len(col)):
        prev = columns[-1]
        new = []
        for j in range(k, len(col)):
            # P_{j-k..j}(0) from P_{j-k..j-1}(0) and P_{j-k+1..j}(0)
            a, b = prev[j - k], prev[j - k + 1]   # entries ending at j-1 and at j
            hl, hr = h[j - k], h[j]
            new.append((hl * b - hr * a) / (hl - hr))
        columns.append(new)
    return _best(columns, "richardson", dps, safety)


def wynn_epsilon(values, dps: int, safety=4):
    """Wynn's epsilon algorithm; even columns ``eps_{2k}`` are the estimates.

    >>> import mpmath as mp
    >>> with mp.workdps(30):
    ...     s = [2 + mp.mpf(3)**-j + mp.mpf(7)*mp.mpf(2)**(-j/2) for j in range(14)]
    ...     est = wynn_epsilon(s, dps=30)
    ...     bool(abs(est.value - 2) < 1e-20)
    True
    """
    s = [mp.mpf(v) for v in values]
    prev2 = [mp.mpf(0)] * (len(s) + 1)   # eps_{-1}
    prev = list(s)                        # eps_0
    columns = [list(s)]
    k = 0
    while len(prev) > 1:
        new = []
        for j in range(len(prev) - 1):
            diff = prev[j + 1] - prev[j]
            new.append(prev2[j + 1] + 1 / diff if diff != 0 else mp.nan)
        if any(not mp.isfinite(x) for x in new):
            # two equal entries: that column has converged exactly, nothing left to remove
            break
        k += 1
        prev2, prev = prev, new
        if k % 2 == 0:
            columns.append(list(new))
    return _best(columns, "wynn-epsilon", dps, safety)
