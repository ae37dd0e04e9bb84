"""The printers: one module per output, one place for the look of statuses.

* :mod:`~workbench.printing.latex` -- LaTeX of sympy objects (the house printer) and of free text;
* :mod:`~workbench.printing.text` -- terminal tables and lines (rich), used by the CLI;
* :mod:`~workbench.printing.html` -- HTML for notebooks (``_repr_html_`` of claims, evidence,
  reports);
* :mod:`~workbench.printing.json` -- JSON of results, reports, claim lists and the graph;
* :mod:`~workbench.printing.style` -- status colours and labels, read by all of the above and by
  the exporters (:mod:`workbench.export`).

A statement says its own maths (:meth:`~workbench.statements.Statement.latex`, written with the
house printer); laying out documents, tables, HTML and terminal rows happens here.  Only the
LaTeX helpers are imported with the package (statements need them); import the other modules
by name.
"""

from .latex import latex, latex_text

__all__ = ["latex", "latex_text"]
