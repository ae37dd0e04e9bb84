"""Docstring examples run, and LaTeX printing follows the house style."""

import doctest
import importlib

import pytest
import sympy as sp

from workbench.printing import latex, latex_text

MODULES = ["workbench.claims", "workbench.graph", "workbench.printing.latex",
           "workbench.statements.asymptotic", "workbench.statements.base", "workbench.premises",
           "workbench.validate.extrapolation", "workbench.export.dot", "workbench.export.latex",
           "workbench.integrals"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_landau_symbol_is_mathcal_o():
    n = sp.Symbol("n")
    tex = latex(1 / n + sp.O(n ** -2, (n, sp.oo)))
    assert r"\mathcal{O}\left(\frac{1}{n^{2}}\right)" in tex
    assert "rightarrow" not in tex


def test_free_text_is_escaped_but_math_kept():
    assert latex_text("50% of a_n & $x_1^2$") == r"50\% of a\_n \& $x_1^2$"
