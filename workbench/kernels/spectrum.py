"""``sphere_eigenvalues``: the Funk-Hecke spectrum of a kernel, by closed form or quadrature.

Normalisation: uniform probability measure on S^(d-1); ``mu_k`` is the
eigenvalue on each degree-k harmonic (see :mod:`workbench.kernels.sphere`).
Precision: the ambient one, or ``dps`` when given (:mod:`workbench.precision`).
"""

from __future__ import annotations

import mpmath as mp

from ..errors import InvalidParameter
from ..precision import local, target_dps
from .catalog import Kernel, kernel as as_kernel
from .quadrature import eigenvalues_by_quadrature
from .sphere import _check_d, _check_k, sphere_eigenvalue_quadrature

__all__ = ["sphere_eigenvalues", "eigenvalue", "memory_estimate"]

#: Largest degree the quadrature path accepts (its cost grows like kmax^2: ~5 s at 200).
QUADRATURE_KMAX = 1000


def memory_estimate(kmax: int, dps: int) -> int:
    """Bytes held by ``kmax + 1`` mpmath numbers at ``dps`` digits (generous)."""
    return (kmax + 1) * (120 + int(dps * 3.33 / 8))


def eigenvalue(kern, d: int, k: int, dps: int | None = None):
    """``mu_k`` of one degree (closed form when known, else quadrature), to ``dps`` digits
    (default: the ambient precision)."""
    kern = as_kernel(kern)
    _check_d(d)
    _check_k(k)
    parity = kern.parity if kern.eigenvalue is None else None
    with local(dps):
        if kern.eigenvalue is not None:
            return +kern.eigenvalue(d, k)
        if parity is not None and (k % 2 == 0) != (parity == 1):
            return mp.mpf(0)               # an even kernel has no odd harmonics, and vice versa
        return sphere_eigenvalue_quadrature(kern, d, k)


def sphere_eigenvalues(kern, d: int, kmax: int, dps: int | None = None, max_bytes: int = 2 ** 30):
    """``[mu_0, ..., mu_kmax]`` as mpmath numbers correct to ``dps`` digits (default: the
    ambient precision).

    Closed forms (Gamma-function expressions, exact zeros where parity forces
    them) for the named arc-cosine kernels, the ReLU NTKs, exponential and
    polynomial kernels; otherwise one tanh-sinh rule in the angle shared by all
    degrees, refined until two step sizes agree to ``dps`` digits
    (:mod:`workbench.kernels.quadrature`), with exact zeros for even/odd kernels.

    Raises
    ------
    InvalidParameter
        ``d < 2``, ``kmax < 0``, a memory estimate above ``max_bytes``, or a
        quadrature-only kernel with ``kmax > QUADRATURE_KMAX``.
    """
    kern = as_kernel(kern)
    _check_d(d)
    _check_k(kmax)
    digits = target_dps(dps)
    need = memory_estimate(kmax, digits)
    if need > max_bytes:
        raise InvalidParameter(f"kmax={kmax} at dps={digits} needs about {need / 2**20:.0f} MiB, "
                               f"over the limit of {max_bytes / 2**20:.0f} MiB (max_bytes)")
    if kern.eigenvalue is None and kmax > QUADRATURE_KMAX:
        raise InvalidParameter(
            f"kernel {kern.name} has no closed form: quadrature up to kmax={kmax} would take hours "
            f"(limit {QUADRATURE_KMAX})")
    with local(digits):
        if kern.eigenvalue is not None:
            return [eigenvalue(kern, d, k) for k in range(kmax + 1)]
        return eigenvalues_by_quadrature(kern, d, kmax, parity=kern.parity)
