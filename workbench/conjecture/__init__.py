"""Conjectures: measure how a quantity behaves, identify its constants, check a guess, and
promote the law to a claim (see :mod:`.core`; closed forms in :mod:`.identify`; the CLI's
safe expressions in :mod:`.expressions`).

>>> from workbench.conjecture import conjecture          # doctest: +SKIP
>>> c = conjecture(lambda k: mu("arccos1", 5, k), "k", subsequence=(2, 0))   # doctest: +SKIP
>>> c.law, c.digits, c.closed_form                         # doctest: +SKIP
(45/(pi*k**7), 40.0, True)
"""

from importlib import import_module as _import_module

_API = {"conjecture": "core", "Conjecture": "core", "identify": "identify", "BASIS": "identify",
        "Identification": "identify", "Sequence": "expressions", "parse": "expressions"}

__all__ = list(_API)


def __getattr__(name):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench.conjecture' has no attribute {name!r}")
    value = getattr(_import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


class _Package(__import__("types").ModuleType):
    """``workbench.conjecture.identify`` is the function (importing the submodule of the same
    name does not rebind it; import that as ``from workbench.conjecture.identify import ...``)."""

    def __setattr__(self, name, value):
        if name == "identify" and isinstance(value, __import__("types").ModuleType):
            return
        super().__setattr__(name, value)


__import__("sys").modules[__name__].__class__ = _Package
