"""Teacher-student networks trained by online SGD (engine-side numerics).

Conventions are in :mod:`workbench.teacher_student.model`.  Modules:

* :mod:`~.averages` -- Gaussian averages I2, J2, I3, I4 (closed forms, quadrature);
* :mod:`~.closure` -- the compiled ODE right-hand side (eigenvalue-resolved);
* :mod:`~.ode` -- :func:`integrate` and :class:`Trajectory`;
* :mod:`~.linear` -- the linear activation in closed form (matrix exponential);
* :mod:`~.simulate` -- compiled online SGD in N dimensions;
* :mod:`~.fixed_points` -- plateau and specialised fixed points, stability, escape;
* :mod:`~.dimensionless` -- the dimensionless parametrisation and regime map of
  Arnaboldi et al. 2023 / Veiga et al. 2022;
* :mod:`~.exchangeable` -- exchangeable students in that ODE, at any width and at ``p = inf``.
"""

from .averages import I2, I3, I4, J2, erf_average_quadrature, gauss_hermite_average
from .fixed_points import (convergence_rate, escape_rate, max_learning_rate, plateau_height, specialised_rates,
                           symmetric_fixed_point)
from .linear import linear_error, linear_noise_floor, linear_stability_limit
from .model import ACTIVATION_CODES, power_law_spectrum
from .ode import Trajectory, crossing_time, generalisation_error, integrate
from .simulate import simulate, simulate_seeds

__all__ = ["I2", "I3", "I4", "J2", "erf_average_quadrature", "gauss_hermite_average",
           "convergence_rate", "escape_rate", "max_learning_rate", "plateau_height", "specialised_rates",
           "symmetric_fixed_point", "linear_error", "linear_noise_floor",
           "linear_stability_limit", "ACTIVATION_CODES", "power_law_spectrum", "Trajectory",
           "crossing_time", "generalisation_error", "integrate", "simulate", "simulate_seeds"]
