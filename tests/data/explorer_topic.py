"""A small user topic for the explorer tests: a verified claim whose check records a series
(so its page has a plot), a failed one, a claim resting on it (blocked) and a long id."""

import mpmath as mp
import sympy as sp

from workbench import Derivation
from workbench.evidence import Evidence
from workbench.plotting import series

D = Derivation("explore", title="Explorer test topic")
n = sp.Symbol("n", positive=True, integer=True)

D.asymptotic("gamma-ratio", title="Gamma ratio", sequence=lambda n: mp.gamma(n + mp.mpf(1) / 2) / mp.gamma(n),
             variable=n, leading=sp.sqrt(n), source="DLMF 5.11.12")


@D.claim("power-law-fit", uses=["gamma-ratio"], statement="$L(n) = n^{-1/2}$ on $n = 1, 2, 4, ..., 64$")
def power_law_fit():
    x = [2 ** k for k in range(7)]
    y = [v ** -0.5 for v in x]
    return Evidence("verified", "the measured points follow the law exactly", methods=["direct"],
                    details={"plot": series(x, y, None, y, law_label="claimed: $n^{-1/2}$")})


@D.claim("false-one", uses=["gamma-ratio"], statement="$\\Gamma(3/2) / \\Gamma(1) > 1$")
def false_one():
    return mp.gamma(1.5) / mp.gamma(1) > 1


@D.claim("rests-on-false", uses=["false-one"], statement="$R(n) > 0$, which rests on the false claim")
def rests_on_false():
    return True


for d in (2, 3, 10):
    D.claim(f"a-rather-long-claim-name-that-would-overflow-a-margin-d{d}", uses=["power-law-fit"],
            statement=f"$d = {d}$ is a dimension")(lambda: True)
