"""Dot-product kernels on the sphere S^(d-1) (engine-side numerics, usable on their own).

Conventions (see :mod:`workbench.kernels.sphere`): uniform probability measure on
S^(d-1); ``mu_k`` is the eigenvalue of ``(Tf)(x) = int kappa(<x,y>) f(y) dsigma(y)``
on degree-k spherical harmonics; ``P_k`` is the degree-k Gegenbauer polynomial of
dimension d normalised to ``P_k(1) = 1``; ``N(d, k)`` its multiplicity.
"""

from .sphere import (funk_hecke_constant, legendre_sphere, multiplicity,
                     sphere_eigenvalue_quadrature)

__all__ = ["funk_hecke_constant", "legendre_sphere", "multiplicity",
           "sphere_eigenvalue_quadrature"]
