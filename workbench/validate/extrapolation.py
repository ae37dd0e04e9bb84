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

__all__ = ["Estimate", "richardson", "richardson_basis", "least_squares", "wynn_epsilon",
           "tail_trend"]


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
    floor_all = _logarithmic_floor(columns[0], dps) if columns and columns[0] else mp.mpf(0)
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
        err = max(max(bounds) * safety, noise, floor_all)
        if best is None or err < best.error:
            best = Estimate(value, err, method, k)
    if best is None:
        raise ValueError("no terms to extrapolate")
    return best


def _logarithmic_floor(raw, dps):
    """A floor for every error bar when the raw sequence converges logarithmically.

    On a geometric grid a power correction ``n^-a`` makes the ratio of successive
    differences constant (``r^-a``); a logarithmic one (``1/log n``) makes it creep
    up towards 1 (monotonically, differences of one sign), and neither method
    accelerates that.  Then the honest error is
    the raw sequence's own remaining tail, ``|d| rho / (1 - rho)`` (infinite for
    ``rho >= 1``).  Zero when the convergence is not of that kind.
    """
    if len(raw) < 5:
        return mp.mpf(0)
    signed = [raw[-i] - raw[-i - 1] for i in (1, 2, 3, 4)]
    d = [abs(x) for x in signed]
    # logarithmic convergence is monotone and far above rounding; noise is neither
    if (d[0] <= abs(raw[-1]) * mp.mpf(10) ** (-dps // 2) or 0 in d
            or len({mp.sign(x) for x in signed}) > 1):
        return mp.mpf(0)
    rho, rho_prev, rho_prev2 = d[0] / d[1], d[1] / d[2], d[2] / d[3]
    if rho < mp.mpf("0.8") or not rho > rho_prev > rho_prev2:
        return mp.mpf(0)
    return d[0] * rho / (1 - rho) if rho < 1 else mp.inf


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


def _solve_constant(rows, values):
    """The constant coefficient of the interpolant ``s = c_0 + sum_k c_k g_k`` through the rows."""
    A = mp.matrix([[mp.mpf(1)] + list(r) for r in rows])
    return mp.lu_solve(A, mp.matrix(list(values)))[0]


def richardson_basis(rows, values, dps: int, safety=4):
    """Generalised Richardson extrapolation (the E-algorithm, by direct solves).

    ``rows[j]`` holds the correction shapes ``g_1(n_j), g_2(n_j), ...`` at node ``j``,
    ordered from the largest to the smallest as ``n -> oo``; column ``k`` holds the
    constant term of the interpolant ``c_0 + c_1 g_1 + ... + c_k g_k`` through ``k+1``
    consecutive nodes.  With ``g_k = n^(-k w)`` this is Neville's scheme
    (:func:`richardson`); with shapes such as ``n^(-k) (log n)^(-i)`` it removes
    logarithmic corrections.  Only the last three entries of each column are formed
    (all that the error estimate reads).

    >>> import mpmath as mp
    >>> with mp.workdps(30):
    ...     n = [mp.mpf(16) * 2**j for j in range(14)]
    ...     rows = [[1/(x*mp.log(x)), 1/x, 1/(x**2*mp.log(x)), x**-2] for x in n]
    ...     est = richardson_basis(rows, [3 + 1/(x*mp.log(x)) for x in n], dps=30)
    ...     bool(abs(est.value - 3) < 1e-25)
    True
    """
    P = len(values)

    def column(k):
        col = []
        for j in range(max(k, P - 3), P):
            sub = range(j - k, j + 1)
            try:
                col.append(_solve_constant([rows[i][:k] for i in sub], [values[i] for i in sub]))
            except ZeroDivisionError:
                col.append(mp.nan)
        return col
    return _columns([[mp.mpf(v) for v in values]], range(1, min(len(rows[0]), P - 1) + 1), column,
                    "richardson", dps, safety)


def _columns(columns, ks, column, method, dps, safety):
    """Add ``column(k)`` for ``k`` in ``ks`` until one is not finite or they stop improving;
    the best estimate of the table."""
    for k in ks:
        col = column(k)
        if any(not mp.isfinite(x) for x in col):
            break
        columns.append(col)
        if _stalled(columns, dps, safety):
            break
    return _best(columns, method, dps, safety)


def _stalled(columns, dps, safety, patience=4):
    """Whether the last ``patience`` columns all did worse than an earlier one (stop early:
    each further column costs a linear solve and cannot win)."""
    if len(columns) < patience + 2:
        return False
    return len(columns) - 1 - _best(columns, "", dps, safety).column > patience


def least_squares(rows, values, dps: int, safety=4):
    """Least-squares fit of ``c_0 + sum_k c_k g_k`` on windows of two nodes more than unknowns.

    Column ``k`` (``k`` correction shapes) holds the fitted constant on the
    ``k + 3`` nodes that end at the third-last, second-last and last node: its
    entries move as larger ``n`` enter the fit, as a Richardson column's do.  A
    model with the right shapes settles; a wrong one keeps moving, and the error
    bar says so.  The overdetermined fit averages rounding noise instead of
    amplifying it.
    """
    P = len(values)

    def column(k):
        col = []
        for end in (P - 2, P - 1, P):
            sub = range(end - k - 3, end)
            # columns scaled to unit size: the shapes span many decades
            scale = [max(abs(rows[i][c]) for i in sub) or mp.mpf(1) for c in range(k)]
            A = mp.matrix([[mp.mpf(1)] + [rows[i][c] / scale[c] for c in range(k)] for i in sub])
            b = mp.matrix([mp.mpf(values[i]) for i in sub])
            try:
                col.append(mp.qr_solve(A, b)[0][0])
            except (ZeroDivisionError, ValueError):   # numerically singular: shapes too alike
                col.append(mp.nan)
        return col
    return _columns([], range(0, min(len(rows[0]), P - 5) + 1), column, "least-squares", dps,
                    safety)


def tail_trend(values, dps: int):
    """How the differences of a sequence behave at the end of the grid.

    Returns ``"converged"`` (the last differences are at the rounding level),
    ``"decaying"`` (the differences over the second half of the grid shrink: a
    least-squares slope of ``log|s_{j+1} - s_j|`` against ``j`` below zero), or
    ``"not asymptotic"`` (they stay level or grow: the sequence has not reached its
    asymptotic regime on this grid, or has none, and any extrapolated value may be
    an antilimit).
    """
    s = [mp.mpf(v) for v in values]
    d = [abs(s[j + 1] - s[j]) for j in range(len(s) - 1)]
    scale = max(abs(x) for x in s) or mp.mpf(1)
    noise = scale * mp.mpf(10) ** (5 - dps)
    if all(x <= noise for x in d[-2:]):
        return "converged"
    half = d[len(d) // 2:]
    pts = [(j, mp.log(x)) for j, x in enumerate(half) if x > noise]
    if len(pts) < 3:
        return "converged" if d[-1] <= noise else "not asymptotic"
    mj = mp.fsum(j for j, _ in pts) / len(pts)
    my = mp.fsum(y for _, y in pts) / len(pts)
    slope = (mp.fsum((j - mj) * (y - my) for j, y in pts)
             / mp.fsum((j - mj) ** 2 for j, _ in pts))
    return "decaying" if slope < 0 else "not asymptotic"
