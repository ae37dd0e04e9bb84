"""Teacher-student networks trained by online SGD (engine-side numerics).

This first slice holds the Gaussian averages of the ODE closures
(:mod:`workbench.teacher_student.averages`).
"""

from .averages import I2, I3, I4, J2, gauss_hermite_average

__all__ = ["I2", "I3", "I4", "J2", "gauss_hermite_average"]
