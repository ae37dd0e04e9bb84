"""Scaling laws: losses of linearised gradient flow from spectra, learning curves, checkers.

* :mod:`~.loss` -- ``L(t) = (1/2) sum c_n^2 exp(-2 lambda_n t)``, float64 compiled and mpmath.
"""

from .loss import check_spectrum, loss_curve, loss_curve_numpy, loss_mp

__all__ = ["check_spectrum", "loss_curve", "loss_curve_numpy", "loss_mp"]
