"""Where the asymptotic validator samples a sequence: lattices of nodes.

A claim ``a(n) ~ C n^e`` is about *all* large ``n``, but an extrapolation sees
only the nodes it is given.  One geometric grid ``n_j = 16 * 2^j`` is blind to:

* **residue classes**: every node is even (indeed ``0 mod 16``), so a sequence
  that behaves differently on odd ``n`` or on ``n = 1 mod 3`` is never seen there;
* **log-periodic terms**: a function of ``log n`` with period ``log 2`` is
  sampled at one phase.

So the validator runs on several lattices (:func:`lattices`):

``primary``
    the declared grid at the working precision, and again at the confirming
    precision with ``extra_points`` more nodes (as before);
``residue c mod M``  (integer variables)
    ``m_j = M g^j + c`` for ``c = 0 .. R-1``, with ``M = lcm(1..R)`` (27720 for
    the default ``R = 12``) and ``g`` a guard ratio.  Every node of lattice ``c``
    is congruent to ``c`` modulo every ``m <= R`` at once, so the lattices
    ``c = 0..R-1`` visit every residue class of every modulus ``m <= R``, each
    class on a lattice of its own; a shift by ``c`` keeps the corrections a
    series in powers of ``1/m`` (``(M g^j + c)^-k`` expands in ``g^-j``);
``ratio g``  (real variables)
    ``t_j = top g^-(P-1-j)`` with ``g = r^(1/phi)`` (``phi`` the golden ratio),
    ending at the confirming run's last node ``top``: its log-phases
    ``log top - k log(r)/phi`` are equidistributed modulo any period that the
    primary's ``log r`` is a multiple of.

The guard ratio for integers is 3, or 2 (or 5) when the declared ratio is a
rational power of 3: ``log 3 / log 2`` is irrational, so no period is a common
multiple of both lattices' log-steps.  Guard lattices reach the primary's
largest node (at least ``min_points`` nodes).  Subsequences ``n = step*m +
offset`` are sampled in ``m``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import mpmath as mp

__all__ = ["Lattice", "lattices", "residue_modulus", "guard_ratio"]

#: golden ratio: the guard ratio for a real variable is ``ratio ** GOLDEN``
GOLDEN = (1 + 5 ** 0.5) / 2


@dataclass(frozen=True)
class Lattice:
    """Nodes in the grid variable and the precision they are evaluated at."""

    label: str
    nodes: tuple
    dps: int
    ratio: float
    residue: tuple[int, int] | None = None   # (c, M): every node = c mod M
    primary: bool = False


def residue_modulus(R: int) -> int:
    """``lcm(1, ..., R)``: a node ``= c mod M`` is ``= c mod m`` for every ``m <= R``."""
    M = 1
    for m in range(2, R + 1):
        M = M * m // math.gcd(M, m)
    return M


def _rational_power(a: float, b: float, qmax: int = 12) -> bool:
    """Whether ``log a / log b`` is a rational ``p/q`` with ``q <= qmax`` (to 1e-9)."""
    x = math.log(a) / math.log(b)
    f = Fraction(x).limit_denominator(qmax)
    return abs(x - f) < 1e-9


def guard_ratio(ratio: float) -> int:
    """An integer ratio whose logarithm is not a rational multiple of ``log(ratio)``."""
    for g in (3, 2, 5, 7):
        if not _rational_power(g, ratio):
            return g
    raise ValueError(f"no guard ratio for {ratio}")  # pragma: no cover - 2, 3, 5, 7 cannot all be


def _count(start, top, ratio, min_points):
    """Nodes ``start ratio^j`` needed to pass ``top`` by two nodes (at least ``min_points``):
    a guard lattice reaches as far as the confirming run, which it must agree with."""
    if top <= start:
        return min_points
    return max(min_points, int(math.floor(math.log(top / start) / math.log(ratio) + 1e-9)) + 3)


def lattices(grid, is_integer: bool, dps: int, confirm_dps: int, extra: int, residues: int,
             min_points: int = 12) -> list[Lattice]:
    """The primary lattices and the guard lattices of a claim (see the module docstring)."""
    prim_lo = tuple(grid.nodes(is_integer))
    prim_hi = tuple(grid.nodes(is_integer, extra))
    out = [Lattice("primary", prim_lo, dps, float(grid.ratio), None, True),
           Lattice("primary", prim_hi, confirm_dps, float(grid.ratio), None, True)]
    top = float(prim_hi[-1])
    if is_integer:
        g = guard_ratio(float(grid.ratio))
        R = max(1, int(residues))
        M = residue_modulus(R)
        base = M if R > 1 else int(grid.start)
        P = _count(base, top, g, max(min_points, (3 * len(prim_hi)) // 4))
        for c in range(R):
            nodes = tuple(base * g ** j + c for j in range(P))
            label = f"residue {c} mod {M}" if R > 1 else f"ratio {g}"
            out.append(Lattice(label, nodes, confirm_dps, float(g), (c, M) if R > 1 else None))
    else:
        # ratio r^(1/phi), ending at the confirming run's last node: the same reach, more
        # nodes (a sequence that costs more at large t costs about 1.5x the confirming run)
        g = float(grid.ratio) ** (1 / GOLDEN)
        P = _count(float(grid.start), top, g, min_points) - 2
        with mp.workdps(confirm_dps + 10):
            gm = mp.mpf(grid.ratio) ** (1 / mp.mpf(GOLDEN))
            nodes = tuple(mp.mpf(top) / gm ** (P - 1 - j) for j in range(P))
        out.append(Lattice(f"ratio {g:.4g}", nodes, confirm_dps, g))
    return out
