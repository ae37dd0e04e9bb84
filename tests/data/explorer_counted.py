"""An asymptotic claim whose sequence counts its calls in the file $EXPLORER_CALLS (one line
per call): tells whether a plot evaluated the sequence or drew the stored series."""

import os

import mpmath as mp
import sympy as sp

from workbench import Derivation

D = Derivation("counted")
n = sp.Symbol("n", positive=True, integer=True)


def counted(n):
    with open(os.environ["EXPLORER_CALLS"], "a") as f:
        f.write("call\n")
    return mp.gamma(n + mp.mpf(1) / 2) / mp.gamma(n)


D.asymptotic("gamma-ratio", title="Gamma ratio, counted", sequence=counted, variable=n,
             leading=sp.sqrt(n))
