"""Saad-Solla numbers from our notes say where they come from (issue 14): computed here, or a
paper's value with its place; never both, never neither."""

import pytest

from workbench_derivations import saad_solla as S

COMPUTED_HERE = ("plateau-finite-eta", "escape-rate", "max-learning-rate")


@pytest.mark.parametrize("name", COMPUTED_HERE)
def test_numbers_from_our_notes_are_marked_as_computed_here(name):
    claim = S.D[name]
    assert claim.source.startswith("computed here, no published value")
    assert "paper's value" not in claim.source


def test_the_eta_max_statement_says_the_values_are_ours():
    assert "computed here; no published value" in S.D["max-learning-rate"].statement.text()
