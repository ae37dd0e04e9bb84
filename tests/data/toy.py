import mpmath as mp, sympy as sp
from workbench import Derivation
D = Derivation("toy", title="Toy derivation")
n = sp.Symbol("n", positive=True, integer=True)
D.asymptotic("gamma-ratio", title="Gamma ratio",
             sequence=lambda n: mp.gamma(n + mp.mpf(1)/2) / mp.gamma(n),   # exact a(n) at current precision
             variable=n, leading=sp.sqrt(n))                             # claim: a(n) ~ sqrt(n)
@D.claim("positive", uses=["gamma-ratio"], statement="a(n) > 0 for n >= 1")
def positive():
    return all(mp.gamma(k + 0.5) / mp.gamma(k) > 0 for k in range(1, 50))

@D.claim("false-one", uses=["positive"], statement="$a(1) > 1$")
def false_one():
    return mp.gamma(1.5) / mp.gamma(1) > 1

@D.claim("c", uses=["false-one"], statement="something that rests on the false claim")
def c():
    return True
