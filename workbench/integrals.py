"""Quadrature with a *relative* tolerance: mpmath's tanh-sinh rule, made safe for small integrals.

``mpmath.quad`` stops raising the degree of its rule when its error estimate (the change
between successive degrees) is below ``eps = 2^-prec`` *in absolute terms*.  An integral of
size ``1e-25`` at 30 digits therefore comes back with about 5 correct digits, together with
an error estimate that looks converged: the gradient-flow loss ``L(t) ~ t^-xi`` at
``t = 1e30``, the tail of a decaying spectrum, an eigenvalue ``mu_k`` at high degree.
Every quadrature in the engine goes through :func:`quad_relative` instead:

1. the integrand is divided by ``A = int |f|``, found to a digit or two by a cheap pass
   (a low-degree rule) and refined until the scaled ``A`` is of order one, so
   mpmath's absolute tolerance becomes relative to ``A``;
2. the error estimate of the full-precision pass is compared with ``A``: above
   ``10^(3 - dps) A`` the call raises :class:`~workbench.errors.ConvergenceError` naming the
   integral, instead of returning digits that are not there.

The guarantee is relative to ``int |f|``: for a sign-definite integrand (a loss, a norm, a
Gaussian average of a positive function, a Mellin integral) that is the integral itself, so
the result has ``dps - 3`` significant digits.  When ``f`` changes sign and the integral is
much smaller than ``int |f|`` (cancellation: an eigenvalue ``mu_k`` at high degree, a parity
zero), ``log10(A/|I|)`` of those digits are lost to rounding; such callers carry guard
digits, and the validators compare two precisions.
"""

from __future__ import annotations

import mpmath as mp

from .errors import ConvergenceError, InvalidParameter

__all__ = ["quad_relative"]

#: rescaling passes before giving up on bringing the integral to order one
_PASSES = 4
#: digits of the working precision that the result may miss (mpmath's own slack)
_SLACK_DIGITS = 3


def quad_relative(f, points, what: str = "the integral", maxdegree: int | None = None):
    """``int f`` over the consecutive ``points`` (mpmath tanh-sinh, infinite ends allowed), with
    an error below ``10^(3 - dps) int |f|`` at the working mpmath precision: ``dps - 3``
    significant digits when ``f`` keeps its sign.  ``f`` must be real-valued.

    Raises :class:`~workbench.errors.ConvergenceError` (naming ``what``) when the rule's
    error estimate does not reach that accuracy.  An integrand that vanishes at every node
    returns 0.

    >>> import mpmath as mp
    >>> with mp.workdps(30):
    ...     mp.nstr(quad_relative(lambda y: mp.exp(-5 * y), [30, mp.inf]) * 5 * mp.exp(150), 25)
    '1.0'
    """
    kwargs = {} if maxdegree is None else {"maxdegree": maxdegree}

    def real(x):
        v = f(x)
        if isinstance(v, mp.mpc):
            raise InvalidParameter(f"{what}: the integrand must be real, got {v} at {x}")
        return mp.mpf(v)

    scale = _modulus_scale(real, points, what)
    if scale == 0:                          # zero at every node of the cheap pass
        value, err = mp.quad(real, points, error=True, **kwargs)
        if value == 0 and err == 0:
            return mp.mpf(0)
        scale = abs(value) or mp.mpf(1)
    value, err = mp.quad(lambda x: real(x) / scale, points, error=True, **kwargs)
    if not err <= mp.mpf(10) ** (_SLACK_DIGITS - mp.mp.dps):
        raise ConvergenceError(f"{what}: tanh-sinh quadrature reached an error of "
                               f"{mp.nstr(err, 3)} times int |f|, short of {mp.mp.dps - _SLACK_DIGITS} "
                               f"digits")
    return value * scale


def _modulus_scale(f, points, what):
    """``int |f|`` to a digit or two (a rule of degree <= 4, at the working precision: ``f`` is
    never evaluated below the precision the caller asked for), rescaled until it is of order
    one; 0 when ``f`` vanishes at every node."""
    scale = mp.mpf(1)
    for _ in range(_PASSES):
        size = mp.quad(lambda x: abs(f(x)) / scale, points, maxdegree=4)
        if size == 0:
            return mp.mpf(0) if scale == 1 else scale
        scale *= size
        if mp.mpf(10) ** -3 <= size <= mp.mpf(10) ** 3:
            return scale
    raise ConvergenceError(f"{what}: the magnitude of the integrand did not settle in {_PASSES} "
                           f"rescaled passes (last int |f| = {mp.nstr(scale, 3)})")
