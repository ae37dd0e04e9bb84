"""Saad & Solla 1995 / Goldt et al. 2019: Gaussian averages of the ODE closure.

Conventions (teacher-student-odes.md section 0): activation ``g(x) = erf(x/sqrt 2)``,
local fields ``u ~ N(0, C)`` with ``C`` the covariance of the arguments in the order
written.  First slice of the teacher-student issue: the closed forms of I2, J2, I3
and I4, each checked against tensor Gauss-Hermite quadrature on random covariances.
"""

from __future__ import annotations

import numpy as np

from workbench import Derivation, Evidence, Measured
from workbench.teacher_student import I2, I3, I4, J2, gauss_hermite_average

D = Derivation("saad_solla", title="Soft committee machine: Gaussian averages",
               source="Saad & Solla 1995, PRE 52, 4225; Goldt et al. 2019 (nn2pp)")

AVERAGES = {"I2": (I2, 2, r"\langle g(u_1) g(u_2)\rangle = \frac{2}{\pi}\arcsin\frac{C_{12}}"
                          r"{\sqrt{(1+C_{11})(1+C_{22})}}"),
            "J2": (J2, 2, r"\langle g'(u_1) g'(u_2)\rangle = \frac{2}{\pi}\left(1+C_{11}+C_{22}"
                          r"+C_{11}C_{22}-C_{12}^2\right)^{-1/2}"),
            "I3": (I3, 3, r"\langle g'(u_1)\, u_2\, g(u_3)\rangle = \frac{2}{\pi}\frac{C_{23}(1+C_{11})"
                          r"-C_{12}C_{13}}{(1+C_{11})\sqrt{(1+C_{11})(1+C_{33})-C_{13}^2}}"),
            "I4": (I4, 4, r"\langle g'(u_1) g'(u_2) g(u_3) g(u_4)\rangle = \frac{4}{\pi^2}"
                          r"\frac{1}{\sqrt{\Lambda_4}}\arcsin\frac{\Lambda_0}{\sqrt{\Lambda_1\Lambda_2}}")}
TOLERANCE = 1e-10      # the bar; 60-80 Gauss-Hermite points per dimension reach ~1e-12


def closed_form_vs_quadrature(which, samples=6):
    f, n, _ = AVERAGES[which]
    points = 60 if n == 4 else 80
    worst, measured = 0.0, {}
    for seed in range(samples):
        A = np.random.default_rng(100 + seed).standard_normal((n, n + 2))
        C = A @ A.T / (n + 2)
        closed = f(C)
        quad = gauss_hermite_average(C, "erf", which, points=points)
        worst = max(worst, abs(closed - quad))
        measured[f"covariance {seed}"] = Measured(repr(quad), f"{abs(closed - quad):.2g}", repr(closed))
    ok = worst < TOLERANCE
    return Evidence("verified" if ok else "failed",
                    f"closed form = Gauss-Hermite ({points}^{n} nodes) to {worst:.2g} on {samples} "
                    f"random covariances (bar {TOLERANCE:g})",
                    outcome="supported" if ok else "refuted",
                    methods=["closed form", f"tensor Gauss-Hermite, {points} points per dimension"],
                    measured=measured, details={"max_abs_difference": worst})


for which, (_, _, tex) in AVERAGES.items():
    D.add(f"{which}-erf", f"${tex}$ for $g(x) = \\mathrm{{erf}}(x/\\sqrt{{2}})$", kind="lemma",
          check=closed_form_vs_quadrature, params={"which": which},
          title=f"Closed form of {which} for erf(x/sqrt 2)",
          source="Saad & Solla 1995 eqs. (A1)-(A4); nn2pp libnn2pp.h")
