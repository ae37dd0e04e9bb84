"""workbench: executable claims about neural scaling laws, validated at high precision.

The public API (everything a derivation module or notebook needs):
"""

from ._version import __version__ as __version__
from .claims import Claim as Claim, Derivation as Derivation, Kind as Kind
from .errors import (ConvergenceError as ConvergenceError, CycleError as CycleError,
                     DuplicateClaim as DuplicateClaim, GraphError as GraphError,
                     InvalidParameter as InvalidParameter, LoadError as LoadError,
                     MalformedStatement as MalformedStatement, SequenceError as SequenceError,
                     UnknownPremise as UnknownPremise, WorkbenchError as WorkbenchError)
from .evidence import Evidence as Evidence, Measured as Measured
from .premises import Premises as Premises
from .statements import (Agree as Agree, Agreement as Agreement, Asymptotic as Asymptotic,
                         Equality as Equality, FreeForm as FreeForm, Inequality as Inequality,
                         Statement as Statement)
from .validate import (Extrapolation as Extrapolation, Grid as Grid,
                       MeanWithinSE as MeanWithinSE, RandomPoints as RandomPoints,
                       TwoPrecisions as TwoPrecisions, Validator as Validator,
                       ValidatorBase as ValidatorBase, default_validator as default_validator,
                       run_check as run_check)
from .graph import (around as around, build_graph as build_graph, premises as premises,
                    statuses as statuses, unblocks as unblocks, why as why)
from .store import Store as Store
from .verify import Report as Report, current_report as current_report, verify as verify
from .export import export_latex as export_latex, to_dot as to_dot
from .loading import load_file as load_file
