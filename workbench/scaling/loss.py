"""Loss of linearised gradient flow from a spectrum (Velikanov & Yarotsky 2021, eq. for L(t)).

Gradient flow on the population loss of a linear (lazy/NTK) model, in the eigenbasis of the
kernel integral operator (eigenvalues ``lambda_n``, initial-error coefficients ``c_n``), with
learning rate 1 and time ``t``:

    L(t) = (1/2) sum_n c_n^2 exp(-2 lambda_n t).

Two evaluators:

* :func:`loss_curve` -- float64, compiled, for arrays of millions of modes.  Modes with
  ``2 lambda_n t > 745`` underflow and are skipped; modes with ``2 lambda_n t < 0.1`` (the
  tail of a decreasing spectrum) are summed through their moments,
  ``sum_n c_n^2 e^{-x_n} = sum_j (-2t)^j/j! sum_n c_n^2 lambda_n^j`` (suffix sums, 18 terms,
  remainder below 1e-20 relative), so the cost per ``t`` is the number of modes with
  ``0.1 <= 2 lambda_n t <= 745``, not the number of modes.
* :func:`loss_mp` -- mpmath, for sequences given as functions of ``n``: the terms that are
  below the working precision are skipped, a few are summed directly, and the rest
  (up to ``modes``, possibly infinite) by the Euler-Maclaurin formula with the integral done by
  tanh-sinh quadrature in ``log n``; huge ``t`` costs the same as small ``t``.
"""

from __future__ import annotations

import math

import mpmath as mp
import numba as nb
import numpy as np

from ..errors import InvalidParameter
from ..integrals import quad_relative

__all__ = ["loss_curve", "loss_curve_numpy", "loss_mp", "check_spectrum"]

_UNDERFLOW = 745.0     # exp(-745) is the smallest double
_SMALL = 0.1           # below this, exp(-x) is summed through 18 moments
_MOMENTS = 18


def check_spectrum(eigenvalues, coefficients2, what="spectrum"):
    """Float arrays after checking: same length, eigenvalues positive and non-increasing, c^2 >= 0."""
    try:
        lam = np.ascontiguousarray(eigenvalues, dtype=float).reshape(-1)
        c2 = np.ascontiguousarray(coefficients2, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidParameter(f"the {what} must be arrays of numbers") from None
    if lam.size != c2.size:
        raise InvalidParameter(f"{lam.size} eigenvalues but {c2.size} coefficients: the lengths "
                               f"must match")
    if lam.size == 0:
        raise InvalidParameter(f"the {what} is empty")
    if not (np.all(np.isfinite(lam)) and np.all(np.isfinite(c2))):
        raise InvalidParameter(f"the {what} has non-finite entries")
    if np.any(lam <= 0):
        raise InvalidParameter(f"eigenvalues must be positive (smallest {lam.min():.3g})")
    if np.any(np.diff(lam) > 0):
        i = int(np.argmax(np.diff(lam) > 0))
        raise InvalidParameter(f"eigenvalues must be non-increasing (lambda_{i + 2} = {lam[i + 1]:.3g} "
                               f"> lambda_{i + 1} = {lam[i]:.3g}); sort them first")
    if np.any(c2 < 0):
        raise InvalidParameter("squared coefficients c_n^2 must be non-negative")
    return lam, c2


def _check_times(t):
    ts = np.ascontiguousarray(t, dtype=float).reshape(-1)
    if ts.size == 0 or not np.all(np.isfinite(ts)) or np.any(ts <= 0):
        raise InvalidParameter("times t must be positive and finite")
    return ts


@nb.njit(cache=True)
def _moments_at(lam, c2, stops, J):
    """``S[r, j] = sum_{i >= stops[r]} c2_i lam_i^j`` for each requested start index (one pass)."""
    order = np.argsort(stops)[::-1]
    S = np.zeros((stops.size, J))
    acc = np.zeros(J)
    i = lam.size
    for r in order:
        while i > stops[r]:
            i -= 1
            p = c2[i]
            for j in range(J):
                acc[j] += p
                p *= lam[i]
        for j in range(J):
            S[r, j] = acc[j]
    return S


@nb.njit(cache=True)
def _first_below(lam, x):
    """Smallest index i with lam[i] < x (lam non-increasing); lam.size if none."""
    lo, hi = 0, lam.size
    while lo < hi:
        mid = (lo + hi) // 2
        if lam[mid] < x:
            hi = mid
        else:
            lo = mid + 1
    return lo


@nb.njit(cache=True)
def _loss(lam, c2, ts, J):
    n_t = ts.size
    starts = np.empty(n_t, dtype=np.int64)
    stops = np.empty(n_t, dtype=np.int64)
    for j in range(n_t):
        starts[j] = _first_below(lam, _UNDERFLOW / (2 * ts[j]) * (1 + 1e-15))
        stops[j] = _first_below(lam, _SMALL / (2 * ts[j]))
    S = _moments_at(lam, c2, stops, J)
    out = np.empty(n_t)
    for j in range(n_t):
        t = ts[j]
        s, comp = 0.0, 0.0                     # Kahan summation of the explicit terms
        for i in range(starts[j], stops[j]):
            y = c2[i] * math.exp(-2 * lam[i] * t) - comp
            tot = s + y
            comp = (tot - s) - y
            s = tot
        coef, tail = 1.0, 0.0
        for k in range(J):
            tail += coef * S[j, k]
            coef *= -2 * t / (k + 1)
        out[j] = 0.5 * (s + tail)
    return out


def loss_curve(eigenvalues, coefficients2, t) -> np.ndarray:
    """``L(t) = (1/2) sum_n c_n^2 exp(-2 lambda_n t)`` in float64 for every ``t`` (compiled).

    ``eigenvalues`` positive and non-increasing, ``coefficients2`` the ``c_n^2``, same length.
    Memory: the inputs plus ``8 * 18`` bytes per time (moments are accumulated in one pass).
    """
    lam, c2 = check_spectrum(eigenvalues, coefficients2)
    return _loss(lam, c2, _check_times(t), _MOMENTS)


def loss_curve_numpy(eigenvalues, coefficients2, t) -> np.ndarray:
    """The same sum, vectorised numpy, one ``t`` at a time (the benchmark's baseline)."""
    lam, c2 = check_spectrum(eigenvalues, coefficients2)
    return np.array([0.5 * np.sum(c2 * np.exp(-2 * lam * tt)) for tt in _check_times(t)])


def _first_index(beyond, modes) -> int:
    """The first mode ``n >= 1`` whose term is not ``beyond`` the cut-off (``beyond(n)``: its
    exponent ``2 lambda_n t`` exceeds the cut-off; lambda decreasing, so a bisection on n), or
    the last bracket end when ``modes`` is finite and reached first."""
    lo, hi = 1, 2
    while beyond(hi):
        lo, hi = hi, 2 * hi
        if modes != mp.inf and hi > modes:
            hi = int(modes)
            break
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if beyond(mid):
            lo = mid
        else:
            hi = mid
    return hi if beyond(lo) else lo


def _log_points(ya, b):
    """Breakpoints of the integral in ``y = log n`` from ``ya`` to ``log b`` (``b`` may be infinite).

    The integral is done to a relative accuracy (:func:`~workbench.integrals.quad_relative`):
    with mpmath's absolute tolerance the loss at ``t = 1e30`` came back 4.6e-4 off for
    ``lambda_n = n^-2, c_n^2 = n^-3`` (tests/adversarial/test_small_integrals.py)."""
    return [ya, ya + 1, ya + 4, mp.inf] if b == mp.inf else mp.linspace(ya, mp.log(b), 4)


def loss_mp(eigenvalue, coefficient2, t, modes=mp.inf, direct: int = 32, order: int = 12):
    """``(1/2) sum_{n=1}^{modes} c2(n) exp(-2 lambda(n) t)`` at the working mpmath precision.

    ``eigenvalue(n)`` and ``coefficient2(n)`` are smooth functions of a real ``n`` (evaluated
    with mpmath numbers), ``lambda`` decreasing.  Terms with ``2 lambda t`` beyond the precision
    are dropped (bounded by ``sum c2 * exp(-D)``, ``D = 2.4 dps + 40``); then ``direct`` terms are
    summed; the rest by Euler-Maclaurin with ``order`` Bernoulli terms, the integral by
    tanh-sinh quadrature in ``log n``.  The integral reaches huge ``n`` (``10^100`` and beyond),
    so ``coefficient2`` must not cancel there: write ``n^-k - (n+1)^-k`` as
    ``-n^-k expm1(-k log1p(1/n))``.
    """
    t = mp.mpf(t)
    if not t > 0:
        raise InvalidParameter(f"t must be positive, got {t}")
    if modes != mp.inf and (int(modes) != modes or modes < 1):
        raise InvalidParameter(f"modes must be a positive integer or infinity, got {modes}")
    D = 2.4 * mp.mp.dps + 40          # exp(-D) << 10^-dps
    f = lambda n: coefficient2(n) * mp.exp(-2 * eigenvalue(n) * t)  # noqa: E731
    n0 = _first_index(lambda n: 2 * eigenvalue(mp.mpf(n)) * t > D, modes)
    # enough direct terms that f varies slowly on the unit scale from the start of the EM part
    a = n0 + direct
    if modes != mp.inf and a >= modes:
        return mp.fsum(f(mp.mpf(n)) for n in range(n0, int(modes) + 1)) / 2
    head = mp.fsum(f(mp.mpf(n)) for n in range(n0, a))
    b = mp.inf if modes == mp.inf else mp.mpf(int(modes))
    # the integral in y = log n: algebraic tails become exponential ones, which tanh-sinh
    # integrates to full precision (on [a, oo) directly it stalls near 13 digits)
    g = lambda y: f(mp.exp(y)) * mp.exp(y)  # noqa: E731
    ya = mp.log(a)
    integral = quad_relative(g, _log_points(ya, b), "the Euler-Maclaurin integral of the loss")
    da = mp.taylor(f, mp.mpf(a), 2 * order)
    em = f(mp.mpf(a)) / 2
    for j in range(1, order + 1):
        deriv = da[2 * j - 1] * mp.factorial(2 * j - 1)
        em -= mp.bernoulli(2 * j) / mp.factorial(2 * j) * deriv
    if b != mp.inf:
        db = mp.taylor(f, b, 2 * order)
        em += f(b) / 2
        for j in range(1, order + 1):
            em += mp.bernoulli(2 * j) / mp.factorial(2 * j) * db[2 * j - 1] * mp.factorial(2 * j - 1)
    return (head + integral + em) / 2


def loss_arb(eigenvalue, coefficient2, t, modes=mp.inf, direct: int = 32, order: int = 12):
    """:func:`loss_mp` with the terms evaluated in python-flint ``arb`` balls (C): the same sum,
    the same algorithm (skip, ``direct`` terms, Euler-Maclaurin with ``order`` Bernoulli terms
    and the integral in ``log n`` by mpmath's tanh-sinh rule), at the working mpmath precision.

    ``eigenvalue(n)`` and ``coefficient2(n)`` take an ``arb`` **or** an ``arb_series`` ``n``
    (use arithmetic and methods both types have: ``exp``, ``log``, ``gamma``, ``**``; and
    :func:`workbench.scaling.balls.expm1` / ``log1p`` / ``gamma_ratio_arb``).  The series
    gives the Euler-Maclaurin derivatives exactly (Taylor coefficients), where :func:`loss_mp`
    differentiates numerically.  Terms carry :data:`~workbench.scaling.balls.GUARD_BITS` extra
    bits; a head or derivative ball that is not accurate to the working precision raises
    :class:`~workbench.errors.ConvergenceError` rather than returning unreliable digits.
    """
    import flint
    from flint import arb, arb_series

    from .balls import GUARD_BITS, series_length, to_arb, to_mpf
    t = mp.mpf(t)
    if not t > 0:
        raise InvalidParameter(f"t must be positive, got {t}")
    if modes != mp.inf and (int(modes) != modes or modes < 1):
        raise InvalidParameter(f"modes must be a positive integer or infinity, got {modes}")
    prec = mp.mp.prec
    D = 2.4 * mp.mp.dps + 40          # exp(-D) << 10^-dps
    with flint.ctx.workprec(prec + GUARD_BITS):
        ta = to_arb(t)
        f = lambda n: coefficient2(n) * (-2 * eigenvalue(n) * ta).exp()  # noqa: E731
        beyond = lambda n: float((2 * eigenvalue(arb(n)) * ta).mid()) > D  # noqa: E731
        n0 = _first_index(beyond, modes)
        a = n0 + direct
        if modes != mp.inf and a >= modes:
            return to_mpf(sum((f(arb(n)) for n in range(n0, int(modes) + 1)), arb(0)) / 2)
        head = sum((f(arb(n)) for n in range(n0, a)), arb(0))

        def taylor(x):
            """``[f(x), f'(x), f''(x)/2!, ...]`` to degree ``2 order`` (exact derivatives)."""
            with series_length(2 * order + 1):
                return f(arb_series([to_arb(x), 1])).coeffs()

        def em_sum(coeffs):
            """``f/2 - sum_j B_2j/(2j)! f^(2j-1)`` from Taylor coefficients (``f^(m) = m! c_m``)."""
            total = coeffs[0] / 2
            for j in range(1, order + 1):
                total -= arb.bernoulli(2 * j) / (2 * j) * coeffs[2 * j - 1]
            return total

        em = em_sum(taylor(a))
        b = mp.inf if modes == mp.inf else mp.mpf(int(modes))
        if b != mp.inf:
            cb = taylor(int(modes))
            em += cb[0] - em_sum(cb)      # + f(b)/2 + sum_j B_2j/(2j)! f^(2j-1)(b)
        rest = to_mpf(head + em, prec)

    def g(y):
        """``f(e^y) e^y`` in arb at mpmath's current (quadrature) precision plus guard bits
        (and ``log2 |y|`` more, which ``e^y`` loses at the far nodes of the infinite interval)."""
        with flint.ctx.workprec(mp.mp.prec + GUARD_BITS + max(0, mp.mag(y))):
            n = to_arb(y).exp()
            return to_mpf(f(n) * n, mp.mp.prec)

    # the integral in y = log n: algebraic tails become exponential ones (see loss_mp)
    ya = mp.log(a)
    integral = quad_relative(g, _log_points(ya, b), "the Euler-Maclaurin integral of the loss")
    return (rest + integral) / 2
