"""The printers: one module per output, one place for the look of statuses.

* :mod:`~workbench.printing.latex` -- LaTeX of sympy objects (the house printer) and of free text;
* :mod:`~workbench.printing.text` -- terminal tables and lines (rich), used by the CLI;
* :mod:`~workbench.printing.html` -- HTML for notebooks (``_repr_html_`` of claims, evidence,
  reports);
* :mod:`~workbench.printing.json` -- JSON of results, reports, claim lists and the graph;
* :mod:`~workbench.printing.style` -- status colours and labels, read by all of the above and by
  the exporters (:mod:`workbench.export`).

A statement says its own maths (:meth:`~workbench.statements.Statement.latex`, written with the
house printer); laying out documents, tables, HTML and terminal rows happens here.  The LaTeX
helpers are imported on first use (``from workbench.printing import latex``); import the other
modules by name.
"""

import sys as _sys
import types as _types


def __getattr__(name: str):
    # imported on first use: the LaTeX printer needs sympy, the terminal printers do not
    if name in ("latex", "latex_text"):
        from importlib import import_module
        value = getattr(import_module(".latex", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(_types.ModuleType):
    """``printing.latex`` stays the function (as when the package imported it eagerly): the
    submodule of the same name does not rebind it when it is imported."""

    def __setattr__(self, name, value):
        if name == "latex" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package

__all__ = ["latex", "latex_text"]
