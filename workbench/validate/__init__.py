"""Validators, one per statement type, and the dispatcher :func:`run_check`."""

from .asymptotic import Extrapolation, Grid, validate_asymptotic
from .equality import RandomPoints, validate_equality, validate_inequality
from .statistical import validate_agreement
from .dispatch import run_check

__all__ = ["Extrapolation", "Grid", "RandomPoints", "run_check",
           "validate_asymptotic", "validate_equality", "validate_inequality", "validate_agreement"]
