"""Dot-product kernels on the sphere S^(d-1) (engine-side numerics, usable on their own).

Conventions (see :mod:`workbench.kernels.sphere`): uniform probability measure on
S^(d-1); ``mu_k`` is the eigenvalue of ``(Tf)(x) = int kappa(<x,y>) f(y) dsigma(y)``
on degree-k spherical harmonics; ``P_k`` is the degree-k Gegenbauer polynomial of
dimension d normalised to ``P_k(1) = 1``; ``N(d, k)`` its multiplicity.
"""

from .catalog import NAMED_KERNELS, U, Kernel, kernel
from .singularity import (DecayLaw, EndpointSingularity, decay_constant, endpoint_singularities,
                          general_decay_constant, leading_asymptotic)
from .spectrum import eigenvalue, memory_estimate, sphere_eigenvalues
from .sphere import (funk_hecke_constant, legendre_sphere, multiplicity,
                     sphere_eigenvalue_quadrature)

__all__ = ["NAMED_KERNELS", "U", "Kernel", "kernel", "DecayLaw", "EndpointSingularity",
           "decay_constant", "endpoint_singularities", "general_decay_constant", "leading_asymptotic", "eigenvalue",
           "memory_estimate", "sphere_eigenvalues", "funk_hecke_constant", "legendre_sphere",
           "multiplicity", "sphere_eigenvalue_quadrature"]
