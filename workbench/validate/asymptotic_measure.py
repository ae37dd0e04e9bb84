"""The measuring half of the asymptotic validator, as a public helper.

:func:`validate_asymptotic` *judges* a claimed law; :mod:`workbench.conjecture` *measures* one
with no claim.  Both use the same numerics, exposed here:

:func:`sample`
    the sequence's values on every lattice of :func:`~workbench.validate.lattices.lattices`
    (the primary grid at two precisions, the residue-class and log-phase guards), as
    :class:`LatticeRun` objects, and an ``evaluate(nodes, dps)`` for further nodes;
:class:`LatticeRun`
    one lattice; ``run.analyse(stmt, settings, L)`` sets ``run.e_est`` and ``run.c_est``
    (pairs of :class:`~workbench.validate.extrapolation.Estimate`: Richardson and Wynn's
    epsilon -- or generalised Richardson and least squares when ``L > 0`` -- of the local
    exponent and of the sequence normalised by ``stmt``'s exponent and log power),
    ``run.trend``, ``run.zero`` and ``run.problem`` (why nothing can be extrapolated there,
    e.g. "not asymptotic on this grid");
:func:`residue_classes`
    the per-class laws of the residue lattices on the smallest modulus that explains them;
:func:`class_scan`
    the screen ``|a/law - 1|`` over consecutive integers at two magnitudes.

The local exponent ``e_j = log(b_{j+1}/b_j) / log(v_{j+1}/v_j)``, ``b = |a| / (log v)^q``,
does not depend on ``stmt``'s exponent or constant, only on its log power ``q``: a
statement with leading term ``log(v)**q`` measures the exponent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import mpmath as mp

from .asymptotic_runs import _Run as LatticeRun
from .asymptotic_verdict import _class_scan, _measured_law
from .lattices import lattices

__all__ = ["Sample", "sample", "LatticeRun", "residue_classes", "class_scan", "lattice_law"]


@dataclass
class Sample:
    """The runs of one statement on its lattices (``runs[0]``/``runs[1]`` are the primary grid
    at the working and at the confirming precision) and ``evaluate(nodes, dps) -> (vs, as)``."""

    runs: list
    evaluate: Callable


def sample(stmt, settings, params: dict | None = None) -> Sample:
    """Evaluate ``stmt``'s sequence on every lattice of ``settings`` (an
    :class:`~workbench.validate.Extrapolation`); nothing is analysed yet."""
    from .asymptotic import _evaluate, sequence_function
    a = sequence_function(stmt, params or {})
    runs = []
    for lat in lattices(settings.grid, stmt.is_integer, settings.dps, settings.confirm_dps,
                        settings.extra_points, settings.residues if stmt.is_integer else 1):
        with mp.workdps(lat.dps):
            vs, avals = _evaluate(stmt, a, lat.nodes, lat.dps)
        runs.append(LatticeRun(lat, vs, avals))

    def evaluate(nodes, dps):
        with mp.workdps(dps):
            return _evaluate(stmt, a, nodes, dps)
    return Sample(runs, evaluate)


def lattice_law(stmt, run, settings):
    """``(exponent, exponent estimate, constant estimate, exponent_differs)`` on one analysed
    lattice: the exponent is ``stmt``'s unless this lattice refutes it, then the measured one
    (and the constant is re-measured with it)."""
    return _measured_law(stmt, run, settings)


def residue_classes(stmt, runs, settings):
    """``(m, {c: law})``: the laws of the (analysed) residue lattices grouped on the smallest
    modulus ``m`` under which every class's lattices agree (``law`` is ``"zero"`` or a
    :func:`lattice_law` tuple; ``c`` is a residue of the grid variable modulo ``m``); ``m`` is
    ``None`` (and the keys are the lattices' own residues) when no modulus explains them,
    and ``(None, {})`` when fewer than two residue lattices could be analysed."""
    from .asymptotic_verdict import _residue_groups
    return _residue_groups(stmt, runs, settings)


def class_scan(stmt, settings, evaluate):
    """The residue screen of :func:`validate_asymptotic` for ``stmt``'s law: a problem text
    when ``|a/law - 1|`` over ``SCAN`` consecutive integers does not shrink between two
    magnitudes, else ``None``."""
    return _class_scan(stmt, settings, evaluate)
