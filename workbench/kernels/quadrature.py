"""All Funk-Hecke eigenvalues ``mu_0..mu_K`` of a kernel from one set of quadrature nodes.

``mu_k = c_d int_0^pi kappa(cos th) P_k(cos th) sin(th)^(d-2) dth`` (probability
measure on S^(d-1)).  Tanh-sinh nodes in the angle resolve the endpoint
singularities ``(1 -+ u)^nu`` of the kernel; at every node the kernel is
evaluated once (mpmath) and ``P_0..P_K`` come from the three-term recurrence, so the
cost is ``O(K * nodes)`` instead of one adaptive quadrature per degree.  The recurrence
and the sums run in fixed-point integers with 64 bits beyond the working precision,
vectorised over the nodes (the whole path measured about 19x faster than with mpmath numbers
at kmax = 200, bench/bench_kernels.py; the sums are the
same to the working precision).

Accuracy control: the sums are formed at step ``h`` and ``h/2`` (the finer
rule is the coarser one halved plus the new odd nodes, as in mpmath's
tanh-sinh); the step is halved until every ``mu_k`` agrees between the two to the
requested digits
relative to itself, or, for eigenvalues at the rounding level (exact zeros of
kernels whose parity is not declared), to ``10^-(dps+guard-3)`` times the
largest ``|mu_k|``.  The working precision carries ``guard`` extra
digits to absorb the cancellation in small eigenvalues; when the two rules
disagree only at the level of that cancellation, the guard is raised.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np

from ..errors import ConvergenceError, InvalidParameter
from ..precision import local
from .sphere import funk_hecke_constant

__all__ = ["tanh_sinh_angle_nodes", "eigenvalues_by_quadrature"]


def tanh_sinh_angle_nodes(h, dps, odd_only=False):
    """Nodes and weights of the tanh-sinh rule with step ``h`` on (0, pi); with ``odd_only``
    only the nodes ``t = j h`` with odd ``j`` (those that the rule of step ``2h`` lacks)."""
    out = []
    eps = mp.mpf(10) ** (-dps - 5)
    half_pi = mp.pi / 2
    j = 1 if odd_only else 0
    while True:
        t = j * h
        s = half_pi * mp.sinh(t)
        w = h * half_pi * mp.cosh(t) / mp.cosh(s) ** 2
        if w < eps:
            return out
        x = mp.tanh(s)
        out.append((half_pi * (1 + x), half_pi * w))
        if j:
            out.append((half_pi * (1 - x), half_pi * w))
        j += 2 if odd_only else 1


def _sums(kappa, d, K, nodes, dps, skip_parity):
    """``sum_n w_n kappa(t_n) sin(th_n)^(d-2) P_k(t_n)`` for ``k <= K`` over ``nodes``
    (``(th_n, w_n)``; exact zeros where ``skip_parity(k)``), to about ``dps`` digits of the
    largest.

    The kernel is evaluated in mpmath at every node; the recurrence of ``P_0..P_K`` and the
    weighted sums run in fixed point (:func:`_moments`), vectorised over the nodes.
    """
    bits = math.ceil(dps * math.log2(10)) + _EXTRA_BITS
    ts, gs = [], []
    for th, w in nodes:
        t = mp.cos(th)
        g = _to_fixed(kappa(t) * mp.sin(th) ** (d - 2) * w, bits)
        if g:                         # |P_k| <= 1: a node of weight below 2^-bits adds nothing
            ts.append(_to_fixed(t, bits))
            gs.append(g)
    acc = _moments(np.array(ts, dtype=object), np.array(gs, dtype=object), d, K, bits)
    return [mp.mpf(0) if skip_parity(k) else mp.ldexp(mp.mpf(a), -2 * bits)
            for k, a in enumerate(acc)]


#: Bits carried beyond the working precision in the fixed-point recurrence.  Each step rounds
#: by at most a few units of ``2^-bits`` and the forward Gegenbauer recurrence on [-1, 1]
#: amplifies old errors at most polynomially in k (|P_k| <= 1 there), so 64 bits cover
#: degrees far beyond ``QUADRATURE_KMAX``.
_EXTRA_BITS = 64


def _to_fixed(x, bits):
    """``round(x 2^bits)`` as a Python int (exact shift of the mpf mantissa)."""
    sign, man, exp, _ = mp.mpf(x)._mpf_
    shift = exp + bits
    v = man << shift if shift >= 0 else (man + (1 << (-shift - 1))) >> -shift
    return -v if sign else v


def _moments(T, G, d, K, bits):
    """``[sum_n G_n P_k(T_n) for k <= K]`` in units of ``2^(-2 bits)``, for nodes ``T`` and
    weights ``G`` in units of ``2^-bits`` (numpy arrays of Python ints).

    ``P_{j+1} = ((2j+d-2) t P_j - j P_{j-1}) / (j+d-2)`` over all nodes at once: numpy loops
    over the nodes in C and Python's integers do exact arithmetic, rounded (down) only by the
    shift after ``t P_j`` and the division by ``j+d-2``.
    """
    one = 1 << bits
    acc = [int(G.sum()) << bits]
    if K >= 1:
        acc.append(int(G.dot(T)))
    p_prev, p = np.full(T.size, one, dtype=object), T
    for j in range(1, K):
        p_prev, p = p, (((T * p) >> bits) * (2 * j + d - 2) - p_prev * j) // (j + d - 2)
        acc.append(int(G.dot(p)))
    return acc


def eigenvalues_by_quadrature(kappa, d: int, K: int, dps: int | None = None,
                              parity: int | None = None, max_halvings: int = 5):
    """``[mu_0, ..., mu_K]`` correct to ``dps`` digits (default: the ambient precision; see
    the module docstring for the guard digits).

    ``parity`` = +1 (even kernel) or -1 (odd kernel) sets the other parity to exact zeros.
    Raises :class:`~workbench.errors.ConvergenceError` when ``max_halvings`` halvings of the
    step do not reach ``dps`` digits.
    """
    if isinstance(max_halvings, bool) or not isinstance(max_halvings, int) or max_halvings < 1:
        raise InvalidParameter(f"max_halvings must be an integer >= 1, got {max_halvings!r}")
    with local(dps) as digits:
        return _by_quadrature(kappa, d, K, digits, parity, max_halvings)


def _by_quadrature(kappa, d, K, dps, parity, max_halvings):
    def skip(k):
        return parity is not None and (k % 2 == 0) != (parity == 1)

    def guard_for(values, guard):
        """Extra digits so that the smallest nonzero eigenvalue keeps ``dps`` digits."""
        top = max(abs(x) for x in values)
        noise = top * mp.mpf(10) ** (3 - dps - guard)
        smallest = min((abs(x) for x in values if abs(x) > 100 * noise), default=top)
        return max(guard, int(mp.log10(top / smallest)) + 10)

    def rule(h, guard, odd_only=False):
        with mp.workdps(dps + guard):
            return _sums(kappa, d, K, tanh_sinh_angle_nodes(h, dps + guard, odd_only),
                         dps + guard, skip)

    # The first rule runs with a generous guard (the cost is in the number of nodes, hardly
    # in the digits), so that it rarely has to be run again once the guard is known.
    probe = 30
    h = mp.mpf(2) ** -max(4, math.ceil(math.log2(K / 2 + 16)))
    coarse = rule(h, probe)
    with mp.workdps(dps + probe):
        guard = guard_for(coarse, 10)
    if guard > probe:                 # small eigenvalues lose digits to cancellation
        coarse = rule(h, guard)
    for _ in range(max_halvings):
        odd = rule(h / 2, guard, odd_only=True)
        with mp.workdps(dps + guard):
            fine = [a / 2 + b for a, b in zip(coarse, odd)]     # the rule of step h/2
            noise = max(abs(x) for x in fine) * mp.mpf(10) ** (3 - dps - guard)
            worst = max(abs(a - b) / (abs(b) * mp.mpf(10) ** -dps + noise)
                        for a, b in zip(coarse, fine))
            needed = guard_for(fine, guard)
        if worst <= 1 and needed == guard:
            c = funk_hecke_constant(d)
            with mp.workdps(dps):
                return [+(c * x) for x in fine]
        h = h / 2
        if needed > guard:            # the refined rule shows smaller eigenvalues: more digits
            guard = needed
            coarse = rule(h, guard)
        else:
            coarse = fine
    raise ConvergenceError(f"quadrature of the spectrum did not reach {dps} digits for k <= {K} "
                           f"in {max_halvings} halvings of the step (disagreement "
                           f"{mp.nstr(worst, 3)} tolerances): is the kernel smooth inside (-1, 1)?")
