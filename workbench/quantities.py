"""What the workbench can compute, by name: for conjectures, notebooks and the CLI's expressions.

Each function is a thin, validated wrapper around the engine's numerics (no numerics of
its own) and computes at the **ambient mpmath precision** (:mod:`workbench.precision`),
so that ``workbench.conjecture`` can evaluate it at two precisions.  Bad arguments raise
:class:`~workbench.errors.InvalidParameter` naming the argument.

=========================  =====================================================  ==========
``mu(kernel, d, k)``       Funk-Hecke eigenvalue of a dot-product kernel on        mpmath
                           S^(d-1) (:func:`workbench.kernels.eigenvalue`)
``plateau_height(K)``      Saad-Solla plateau error ``eps*`` as ``eta -> 0``       mpmath
``escape_rate(K, eta)``    the plateau's escape rate ``lambda_esc``                mpmath
``plateau_length(...)``    the plateau length ``alpha_P`` from the ODEs            float64
``loss(t, nu, kappa)``     the gradient-flow loss of a power-law spectrum          mpmath
``loss_correction(...)``   ``t^(1/nu) (L(t)/leading(t) - 1)``: its first           flint arb
                           correction, rational ``nu, kappa, Lam, K``
``ode_observable(...)``    ``eps_g``, ``Q_ij``, ``R_in`` or ``v_i`` of the            float64
                           teacher-student ODEs at a time ``alpha``
=========================  =====================================================  ==========

>>> import mpmath as mp
>>> with mp.workdps(20):
...     print(mu("arccos0", 3, 0))
0.5
"""

from __future__ import annotations

import math

import mpmath as mp

from .errors import InvalidParameter

__all__ = ["mu", "plateau_height", "escape_rate", "plateau_length", "loss", "loss_correction",
           "ode_observable",
           "QUANTITIES"]


def _integer(name, value, minimum):
    """``value`` as a Python int (numpy, sympy and integral mpmath numbers accepted)."""
    if isinstance(value, bool):
        raise InvalidParameter(f"{name} must be an integer >= {minimum}, got {value!r}")
    try:
        as_int = int(value)
        integral = as_int == value
    except (TypeError, ValueError, OverflowError):
        integral = False
    if not integral or as_int < minimum:
        raise InvalidParameter(f"{name} must be an integer >= {minimum}, got {value!r}")
    return as_int


def _positive(name, value):
    """``value`` as an mpf at the ambient precision, after checking it is a positive number."""
    if isinstance(value, (bool, str, bytes)) or value is None:
        raise InvalidParameter(f"{name} must be a positive number, got {value!r}")
    try:
        x = mp.mpf(value) if not hasattr(value, "evalf") else mp.mpf(value.evalf(mp.mp.dps + 5))
    except (TypeError, ValueError):
        raise InvalidParameter(f"{name} must be a positive number, got {value!r}") from None
    if not (mp.isfinite(x) and x > 0):
        raise InvalidParameter(f"{name} must be a positive number, got {value!r}")
    return x


def mu(kernel, d, k, **params):
    """``mu_k``: the eigenvalue of ``(T f)(x) = int kappa(<x, y>) f(y) dsigma(y)`` on the
    degree-``k`` spherical harmonics of S^(d-1).

    Conventions: ``sigma`` is the uniform *probability* measure on S^(d-1); ``kernel`` is a
    name of :data:`workbench.kernels.NAMED_KERNELS` (with its ``params``, e.g.
    ``c=`` for ``laplace``), a sympy expression in ``u``, or a
    :class:`~workbench.kernels.Kernel`.  Closed form when known, else quadrature
    (:func:`workbench.kernels.eigenvalue`), at the ambient precision.

    >>> import mpmath as mp
    >>> with mp.workdps(20):
    ...     print(mu("arccos1", 5, 3), mu("arccos0", 3, 0))    # ReLU: no odd degree >= 3
    0.0 0.5
    """
    from .kernels import eigenvalue, kernel as as_kernel
    d = _integer("d", d, 2)
    k = _integer("k", k, 0)
    if isinstance(kernel, str):
        from .kernels import NAMED_KERNELS
        if kernel not in NAMED_KERNELS:
            raise InvalidParameter(f"unknown kernel {kernel!r}; named kernels: "
                                   f"{', '.join(NAMED_KERNELS)}")
    return eigenvalue(as_kernel(kernel, **params), d, k)


def plateau_height(K):
    """``eps* = K/6 - (K^2/pi) arcsin(1/(2K))``: the generalisation error on the symmetric
    plateau of a soft committee machine as ``eta -> 0`` (Saad & Solla 1995).

    Conventions (:mod:`workbench.teacher_student.fixed_points`): ``g = erf(x/sqrt 2)``,
    ``K = M`` students and teachers, ``T = I``, second-layer weights fixed at 1, no noise,
    ``eps_g = (1/2) E[(student - teacher)^2]``.

    >>> import mpmath as mp
    >>> with mp.workdps(20):
    ...     print(mp.nstr(plateau_height(2), 12))
    0.0116108403127
    """
    from .teacher_student import plateau_height as height
    return height(_integer("K", K, 1))


def escape_rate(K, eta):
    """``lambda_esc``: the largest eigenvalue of the Jacobian of the Saad-Solla ODEs at the
    symmetric plateau (the rate at which an asymmetry grows, ``delta ~ exp(lambda_esc alpha)``).

    Conventions: as :func:`plateau_height`; learning rate ``eta/sqrt N`` on ``w``, time
    ``alpha = steps/N``.  Computed at the ambient precision (fixed point and Jacobian with
    guard digits: :func:`workbench.teacher_student.escape_rate`).
    """
    from .teacher_student import escape_rate as rate
    K = _integer("K", K, 2)
    eta = _positive("eta", eta)
    return rate(K, eta)


def plateau_length(K, eta, delta0):
    """``alpha_P``: the time at which ``eps_g`` first falls below ``eps*/2`` when the students
    start on the symmetric plateau displaced by ``delta0`` along the unstable direction
    (students pushed apart, ``Q = Q* + delta0 (I - 11^T/K)``, ``R = R* + delta0 dR``).

    Theory: ``alpha_P = ln(1/delta0)/lambda_esc + O(1)`` as ``delta0 -> 0``.  Conventions as
    :func:`escape_rate`.  **Double precision** (DOP853 at ``rtol = 1e-10``,
    :func:`workbench.teacher_student.crossing_time`): about 9 digits, so a conjecture about
    it can confirm no more than that.
    """
    import numpy as np

    from .teacher_student.fixed_points import escape_direction, symmetric_fixed_point
    from .teacher_student.ode import crossing_time
    K = _integer("K", K, 2)
    eta = float(_positive("eta", eta))
    delta0 = float(_positive("delta0", delta0))
    if not delta0 < 0.1:
        raise InvalidParameter(f"delta0 must be small (< 0.1), got {delta0!r}")
    lam, _, dR = escape_direction(K, eta, dps=20)
    fp = symmetric_fixed_point(K, eta, dps=20)
    Q, R, _ = fp.state()
    Q, R = np.array(Q, dtype=float), np.array(R, dtype=float)
    spread = np.eye(K) - np.ones((K, K)) / K
    alpha_max = 40 * (math.log(1 / delta0) + 20) / lam
    return crossing_time(float(fp.eg) / 2, alpha_max=alpha_max, eta=eta, Q0=Q + delta0 * spread,
                         R0=R + delta0 * dR)


def loss(t, nu, kappa, Lam=1, K=1):
    """``L(t) = (1/2) sum_{n>=1} c_n^2 exp(-2 lambda_n t)`` for the power-law spectrum
    ``lambda_n = Lam n^-nu``, ``c_n^2 = K (n^-kappa - (n+1)^-kappa)`` (tail sums exactly
    ``K n^-kappa``) of Velikanov & Yarotsky 2021.

    Conventions: linearised gradient flow on the population loss, learning rate 1, time
    ``t`` (:mod:`workbench.scaling.loss`).  Leading law: ``L(t) ~ (K/2) Gamma(kappa/nu + 1)
    (2 Lam t)^(-kappa/nu)``.  Summed by :func:`workbench.scaling.loss_mp` at the ambient
    precision.
    """
    from .scaling import loss_mp
    t = _positive("t", t)
    nu, kappa = _positive("nu", nu), _positive("kappa", kappa)
    Lam, K = _positive("Lam", Lam), _positive("K", K)
    c2 = lambda n: -K * n ** -kappa * mp.expm1(-kappa * mp.log1p(1 / n))  # noqa: E731
    return loss_mp(lambda n: Lam * n ** -nu, c2, t)


def _exact(name, value):
    """``value`` as a positive exact rational (int, sympy Rational, Fraction, a text such as
    ``"1/2"``, or a binary float / mpf taken at its exact value)."""
    from fractions import Fraction
    if isinstance(value, (bool, bytes)) or value is None:
        raise InvalidParameter(f"{name} must be a positive rational, got {value!r}")
    try:
        if isinstance(value, str):
            q = Fraction(value.strip())
        elif isinstance(value, mp.mpf):
            man, exp = value.man_exp
            q = Fraction(int(man)) * Fraction(2) ** int(exp)
        elif hasattr(value, "p") and hasattr(value, "q"):          # sympy Rational
            q = Fraction(int(value.p), int(value.q))
        else:
            q = Fraction(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidParameter(f"{name} must be a positive rational, got {value!r}") from None
    if not q > 0:
        raise InvalidParameter(f"{name} must be a positive rational, got {value!r}")
    return q


def loss_correction(t, nu, kappa, Lam=1, K=1):
    """``t^(1/nu) (L(t) / L_lead(t) - 1)``: the first correction of the loss of :func:`loss`
    relative to its leading law ``L_lead(t) = (K/2) Gamma(kappa/nu + 1) (2 Lam t)^(-kappa/nu)``.

    Conventions as :func:`loss` (``c_n^2 = K (n^-kappa - (n+1)^-kappa)``, whose tail sums are
    exactly ``K n^-kappa``; the correction depends on this realisation of the tail).  The
    parameters must be exact rationals (ints, sympy Rationals, Fractions or texts such as
    ``"1/2"``); the sum is done in python-flint balls (:func:`workbench.scaling.loss.loss_arb`)
    at the ambient precision plus guard bits.  ``L/L_lead - 1`` cancels about
    ``(kappa/nu) log10 t`` digits: give it the digits.  Its further corrections come in
    powers of ``t^(-1/nu)``.
    """
    from flint import fmpq

    from .scaling.balls import expm1, log1p
    from .scaling.loss import loss_arb
    t = _positive("t", t)
    q = {n: _exact(n, v) for n, v in (("nu", nu), ("kappa", kappa), ("Lam", Lam), ("K", K))}
    nu_a, kappa_a, Lam_a, K_a = (fmpq(x.numerator, x.denominator) for x in q.values())
    c2 = lambda n: -K_a * n ** -kappa_a * expm1(-kappa_a * log1p(1 / n))  # noqa: E731
    L = loss_arb(lambda n: Lam_a * n ** -nu_a, c2, t)
    mpq = {n: mp.mpf(x.numerator) / x.denominator for n, x in q.items()}
    xi = mpq["kappa"] / mpq["nu"]
    lead = mpq["K"] / 2 * mp.gamma(xi + 1) * (2 * mpq["Lam"] * t) ** -xi
    return t ** (1 / mpq["nu"]) * (L / lead - 1)


#: the quantities by name (the names the CLI's expressions may call)
def ode_observable(alpha, K, eta, observable="eg", i=0, j=0, M=None, delta0=0.0,
                   activation="erf"):
    """An observable of the teacher-student ODEs at time ``alpha``: ``"eg"`` (``eps_g``),
    ``"Q"`` (``Q_ij``), ``"R"`` (``R_ij``, student i, teacher j) or ``"v"`` (``v_i``).

    Conventions (:func:`workbench.teacher_student.integrate`): soft committee machines with
    ``g = erf(x/sqrt 2)`` (or ``"linear"``, ``"tanh"``), ``K`` students, ``M`` teachers (default
    ``K``), ``T = I``, second layers fixed at 1; learning rate ``eta/sqrt N`` on ``w``, time
    ``alpha = steps/N``; ``eps_g = (1/2) E[(student - teacher)^2]``.  The students start
    orthogonal to the teachers at ``Q = I/2`` (small overlaps ``R = delta0``, default 0: on the
    unstable manifold, so ``delta0 > 0`` is needed to leave the plateau).  **Double precision**
    (DOP853 at ``rtol = 1e-10``): about 9 digits.
    """
    import numpy as np

    from .teacher_student.ode import integrate
    alpha = float(_positive("alpha", alpha))
    K = _integer("K", K, 1)
    M = K if M is None else _integer("M", M, 1)
    eta = float(_positive("eta", eta))
    names = ("eg", "Q", "R", "v")
    if observable not in names:
        raise InvalidParameter(f"observable must be one of {', '.join(names)}, got {observable!r}")
    i, j = _integer("i", i, 0), _integer("j", j, 0)
    if i >= K or (observable == "Q" and j >= K) or (observable == "R" and j >= M):
        raise InvalidParameter(f"index ({i}, {j}) out of range for K={K}, M={M} ({observable})")
    delta0 = float(delta0)
    if not (math.isfinite(delta0) and 0 <= delta0 < 0.5):
        raise InvalidParameter(f"delta0 must be in [0, 0.5), got {delta0!r}")
    tr = integrate(activation, eta=eta, Q0=np.eye(K) / 2, R0=np.full((K, M), delta0),
                   alphas=[0.0, alpha])
    value = {"eg": lambda: tr.eg[-1], "Q": lambda: tr.Q[-1, i, j], "R": lambda: tr.R[-1, i, j],
             "v": lambda: tr.v[-1, i]}[observable]()
    return mp.mpf(float(value))


QUANTITIES = {"mu": mu, "plateau_height": plateau_height, "escape_rate": escape_rate,
              "plateau_length": plateau_length, "loss": loss, "loss_correction": loss_correction,
              "ode_observable": ode_observable}
