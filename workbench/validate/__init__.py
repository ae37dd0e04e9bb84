"""Validators: the protocol, the registry of defaults, one validator per statement type.

==================  ======================  ==================================
statement           default validator       module
==================  ======================  ==================================
Asymptotic          :class:`Extrapolation`  :mod:`.asymptotic`
Equality/Inequality :class:`RandomPoints`   :mod:`.equality`
Agreement           :class:`MeanWithinSE`   :mod:`.statistical`
Agree               :class:`TwoPrecisions`  :mod:`.agree`
==================  ======================  ==================================

Each module registers its default with :func:`default_validator` (see :mod:`.protocol`);
:func:`run_check` decides one claim.
"""

from .protocol import (Validator, ValidatorBase, check_conforms, default_validator,
                       has_default_validator, validator_for)
from .asymptotic import Extrapolation, Grid, validate_asymptotic
from .equality import RandomPoints, validate_equality, validate_inequality
from .statistical import MeanWithinSE, validate_agreement
from .agree import TwoPrecisions, validate_agree
from .dispatch import UserCheck, run_check

__all__ = ["Validator", "ValidatorBase", "default_validator", "has_default_validator",
           "validator_for", "check_conforms", "Extrapolation", "Grid", "RandomPoints",
           "MeanWithinSE", "TwoPrecisions", "UserCheck", "run_check", "validate_asymptotic",
           "validate_equality", "validate_inequality", "validate_agreement", "validate_agree"]
