"""Scaling laws: losses of linearised gradient flow from spectra, learning curves, checkers.

* :mod:`~.loss` -- ``L(t) = (1/2) sum c_n^2 exp(-2 lambda_n t)``, float64 compiled, mpmath, and
  flint balls (``loss_arb``; helpers in :mod:`~.balls`).
* :mod:`~.targets` -- Funk-Hecke coefficients of zonal targets on S^(d-1) (caps, jumps in a derivative).
* :mod:`~.ridge` -- deterministic equivalents of kernel and linear random-feature regression.
* :mod:`~.random_features` -- seeded simulation of linear random-feature teacher-student regression.
* :mod:`~.gd` -- gradient descent of a wide two-layer ReLU network on the sphere.
* :mod:`~.interpolation` -- linear interpolation on the d-torus.
"""

from .loss import check_spectrum, loss_arb, loss_curve, loss_curve_numpy, loss_mp

__all__ = ["check_spectrum", "loss_arb", "loss_curve", "loss_curve_numpy", "loss_mp"]
