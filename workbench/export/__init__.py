"""Exporters, one per output format: LaTeX, DOT and JSON."""

from .dot import to_dot
from .json import to_json_graph
from .latex import LatexExporter, export_latex

__all__ = ["LatexExporter", "export_latex", "to_dot", "to_json_graph"]
