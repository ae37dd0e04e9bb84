"""workbench: executable claims about neural scaling laws, validated at high precision.

The public API (everything a derivation module or notebook needs) is imported on first use
(PEP 562): ``import workbench`` alone loads no sympy, numba, scipy, mpmath, networkx or
matplotlib, so the command line starts fast and a warm no-op ``workbench verify`` never pays
for them (see :mod:`workbench.manifest`).
"""

import sys as _sys
import types as _types
from importlib import import_module as _import_module

from ._version import __version__ as __version__

#: public name -> submodule that defines it
_API = {
    **dict.fromkeys(("Claim", "Derivation", "Kind"), "claims"),
    **dict.fromkeys(("ConvergenceError", "CycleError", "DuplicateClaim", "GraphError",
                     "InvalidParameter", "LoadError", "MalformedStatement", "SequenceError",
                     "UnknownPremise", "WorkbenchError"), "errors"),
    **dict.fromkeys(("Evidence", "Measured"), "evidence"),
    "Premises": "premises",
    **dict.fromkeys(("Agree", "Agreement", "Asymptotic", "Equality", "FreeForm", "Inequality",
                     "Statement"), "statements"),
    **dict.fromkeys(("Extrapolation", "Grid", "MeanWithinSE", "RandomPoints", "TwoPrecisions",
                     "Validator", "ValidatorBase", "default_validator", "run_check"), "validate"),
    **dict.fromkeys(("around", "build_graph", "premises", "statuses", "unblocks", "why"), "graph"),
    "Store": "store",
    **dict.fromkeys(("Report", "current_report", "verify"), "verify"),
    **dict.fromkeys(("export_latex", "to_dot"), "export"),
    "load_file": "loading",
    "Memo": "memo",
    "conjecture": "conjecture",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench' has no attribute {name!r}")
    value = getattr(_import_module(f".{module}", __name__), name)
    globals()[name] = value          # cached: later lookups are plain attribute reads
    return value


class _Package(_types.ModuleType):
    """``workbench.verify``, ``workbench.premises`` and ``workbench.conjecture`` are the API's functions, as they were
    when the package imported everything: importing the submodules of the same names does not
    rebind them to the modules (import those as ``from workbench.verify import ...``)."""

    def __setattr__(self, name, value):
        if name in ("verify", "premises", "conjecture") and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


def __dir__():
    return sorted(set(globals()) | set(_API))
