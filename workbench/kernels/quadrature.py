"""All Funk-Hecke eigenvalues ``mu_0..mu_K`` of a kernel from one set of quadrature nodes.

``mu_k = c_d int_0^pi kappa(cos th) P_k(cos th) sin(th)^(d-2) dth`` (probability
measure on S^(d-1)).  Tanh-sinh nodes in the angle resolve the endpoint
singularities ``(1 -+ u)^nu`` of the kernel; at every node the kernel is
evaluated once and ``P_0..P_K`` come from the three-term recurrence, so the
cost is ``O(K * nodes)`` instead of one adaptive quadrature per degree.

Accuracy control: the sums are formed at step ``h`` and ``h/2`` (the finer
rule reuses nothing, so the two are independent estimates); the step is
halved until every ``mu_k`` agrees between the two to the requested digits
relative to itself, or, for eigenvalues at the rounding level (exact zeros of
kernels whose parity is not declared), to ``10^-(dps+guard-3)`` times the
largest ``|mu_k|``.  The working precision carries ``guard`` extra
digits to absorb the cancellation in small eigenvalues; when the two rules
disagree only at the level of that cancellation, the guard is raised.
"""

from __future__ import annotations

import math

import mpmath as mp

from ..errors import ConvergenceError, InvalidParameter
from ..precision import local
from .sphere import funk_hecke_constant

__all__ = ["tanh_sinh_angle_nodes", "eigenvalues_by_quadrature"]


def tanh_sinh_angle_nodes(h, dps):
    """Nodes and weights of the tanh-sinh rule with step ``h`` on (0, pi)."""
    out = []
    eps = mp.mpf(10) ** (-dps - 5)
    half_pi = mp.pi / 2
    j = 0
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
        j += 1


def _sums(kappa, d, K, h, dps, skip_parity):
    """``mu_0..mu_K`` with the rule of step h (``skip_parity``: degrees known to vanish)."""
    acc = [mp.mpf(0)] * (K + 1)
    for th, w in tanh_sinh_angle_nodes(h, dps):
        t = mp.cos(th)
        f = kappa(t) * mp.sin(th) ** (d - 2) * w
        p_prev, p = mp.mpf(1), t
        acc[0] += f
        if K >= 1:
            acc[1] += f * t
        for j in range(1, K):
            p_prev, p = p, ((2 * j + d - 2) * t * p - j * p_prev) / (j + d - 2)
            acc[j + 1] += f * p
    c = funk_hecke_constant(d)
    return [mp.mpf(0) if skip_parity(k) else c * a for k, a in enumerate(acc)]


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

    guard = 10
    h = mp.mpf(2) ** -max(4, math.ceil(math.log2(K / 2 + 16)))
    with mp.workdps(dps + guard):
        coarse = _sums(kappa, d, K, h, dps + guard, skip)
        needed = guard_for(coarse, guard)
    if needed > guard:                # small eigenvalues lose digits to cancellation
        guard = needed
        with mp.workdps(dps + guard):
            coarse = _sums(kappa, d, K, h, dps + guard, skip)
    for _ in range(max_halvings):
        with mp.workdps(dps + guard):
            fine = _sums(kappa, d, K, h / 2, dps + guard, skip)
            noise = max(abs(x) for x in fine) * mp.mpf(10) ** (3 - dps - guard)
            worst = max(abs(a - b) / (abs(b) * mp.mpf(10) ** -dps + noise)
                        for a, b in zip(coarse, fine))
        if worst <= 1 and guard_for(fine, guard) == guard:
            with mp.workdps(dps):
                return [+x for x in fine]
        h, coarse = h / 2, fine
    raise ConvergenceError(f"quadrature of the spectrum did not reach {dps} digits for k <= {K} "
                           f"in {max_halvings} halvings of the step (disagreement "
                           f"{mp.nstr(worst, 3)} tolerances): is the kernel smooth inside (-1, 1)?")
