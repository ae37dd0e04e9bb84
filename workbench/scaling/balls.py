"""python-flint ``arb`` helpers for the mpmath-precision sums of :mod:`workbench.scaling`.

mpmath evaluates Gamma functions, logarithms and exponentials in Python; flint's ``arb`` does
it in C with ball arithmetic, 10-100x faster at 30-60 digits.  The routines here take mpmath
numbers (or arb balls), work at the ambient mpmath precision plus guard bits, and return mpmath
numbers rounded to the ambient precision.  flint's precision and series length are global: they
are only changed inside ``flint.ctx.workprec`` / :func:`series_length` and always restored.

Functions that take ``x`` accept both an ``arb`` and an ``arb_series`` (a truncated Taylor
expansion, used for exact derivatives), so one callable serves values and derivatives.
"""

from __future__ import annotations

from contextlib import contextmanager

import flint
import mpmath as mp
from flint import arb, arb_series, fmpz

from ..errors import ConvergenceError

__all__ = ["to_arb", "to_mpf", "series_length", "expm1", "log1p", "gamma_ratio_arb", "GUARD_BITS"]

#: extra bits carried by the arb evaluations beyond the ambient mpmath precision
GUARD_BITS = 40


def to_arb(x) -> arb:
    """``x`` (mpf, int, or arb) as an exact arb ball (no rounding: the mantissa is kept)."""
    if isinstance(x, arb):
        return x
    if isinstance(x, int):
        return arb(fmpz(x))
    sign, man, exp, _ = mp.mpf(x)._mpf_
    if not man:
        if exp:                      # inf / nan have man == 0 and a non-zero special exponent
            raise ValueError(f"cannot convert {x} to an arb ball")
        return arb(0)
    return arb((-int(man) if sign else int(man), int(exp)))     # mantissa and exponent: exact


def to_mpf(x: arb, need_bits: int | None = None):
    """The midpoint of ``x`` rounded to the ambient mpmath precision.

    Raises :class:`~workbench.errors.ConvergenceError` if the ball is not accurate to
    ``need_bits`` relative bits (default: the ambient precision), i.e. the midpoint's digits
    cannot all be trusted."""
    need = mp.mp.prec if need_bits is None else need_bits
    if x.is_zero():
        return mp.mpf(0)
    if not x.is_finite() or x.rel_accuracy_bits() < need:
        raise ConvergenceError(f"ball {x.str(5)} is accurate to {x.rel_accuracy_bits()} bits, "
                               f"{need} needed")
    man, exp = x.mid().man_exp()
    return +mp.mpf((int(man), int(exp)))


@contextmanager
def series_length(n: int):
    """flint's power-series length set to ``n`` for the block (restored afterwards)."""
    old = flint.ctx.cap
    flint.ctx.cap = n
    try:
        yield
    finally:
        flint.ctx.cap = old


def _constant_term(s: arb_series) -> arb:
    return s.coeffs()[0] if s.length() else arb(0)


def expm1(x):
    """``exp(x) - 1`` without cancellation at small ``x`` (arb or arb_series)."""
    if isinstance(x, arb_series):
        c = _constant_term(x)
        return c.expm1() + c.exp() * ((x - c).exp() - 1)   # (x - c) has a zero constant term
    x = to_arb(x)
    if x.is_finite() and not x.mid().is_zero() and _log2_abs(x) < -flint.ctx.prec:
        # flint's expm1 loses the relative accuracy at huge negative exponents (2^-10^19):
        # |expm1(x) - x| <= x^2 for |x| < 1
        return arb(x.mid(), (x.rad() + (abs(x) ** 2).upper()).upper())
    return x.expm1()


def log1p(x):
    """``log(1 + x)`` without cancellation at small ``x`` (arb or arb_series)."""
    if isinstance(x, arb_series):
        c = _constant_term(x)
        return c.log1p() + ((x - c) / (1 + c) + 1).log()
    return to_arb(x).log1p()


def _log2_abs(x: arb) -> int:
    """``floor(log2 |mid x|)`` (``x`` a finite, nonzero ball)."""
    man, exp = x.mid().man_exp()
    return int(man).bit_length() + int(exp) - 1


def _extra_bits(z) -> int:
    """Bits cancelled by ``Gamma(z + a) / Gamma(z + b)`` at large ``|z|``: ``log2(z log z)`` + 20."""
    c = z if isinstance(z, arb) else _constant_term(z)
    l2 = max(_log2_abs(c), 1)
    return 20 + l2 + l2.bit_length()


def _accuracy(x) -> int:
    """Relative accuracy in bits of a ball, or of a series' least accurate coefficient."""
    if isinstance(x, arb_series):
        return min((c.rel_accuracy_bits() for c in x.coeffs() if not c.is_zero()), default=10 ** 9)
    return x.rel_accuracy_bits()


def _gamma_quotient(z, a, b, prec, extra):
    """``Gamma(z + a) / Gamma(z + b)`` for an exact ``z`` (a ball of radius 0, or a series
    with exact coefficients): flint's Gamma of an exact argument is accurate to its precision
    at any size, so ``prec + 8`` bits usually suffice; if the result is not accurate to
    ``prec`` bits (``z + a`` rounded at large ``z``), again with ``extra`` more."""
    with flint.ctx.workprec(prec + 8):
        r = (z + a).gamma() / (z + b).gamma()
    if _accuracy(r) < prec:
        with flint.ctx.workprec(prec + extra):
            r = (z + a).gamma() / (z + b).gamma()
    return r


def gamma_ratio_arb(z, a, b):
    """``Gamma(z + a) / Gamma(z + b)`` as an arb (arb_series) at the ambient flint precision,
    ``z > 0`` real (an arb or an arb_series), ``a, b >= 0`` exact (int, mpf, or arb).

    When ``b - a`` is a positive integer ``m <= 64`` this is ``1 / ((z+a)(z+a+1)...(z+b-1))``;
    beyond ``z = 2^(prec+8)`` the first two terms of the asymptotic series are exact to the
    precision; otherwise both Gamma functions are evaluated at the midpoint of ``z`` (with
    ``log2(z log z)`` extra bits if the first try is not accurate), and the ball is widened by the
    propagated radius of ``z`` (the ratio's logarithmic derivative is ``psi(z+a) - psi(z+b)``,
    at most ``2 |a - b| / (z + min(a, b))`` for ``z + min(a, b) >= 1``).
    """
    a, b = to_arb(a), to_arb(b)
    diff = b - a
    if diff.is_integer() and 0 < diff.mid() <= 64:
        m = int(diff.unique_fmpz())
        za = z + a
        den = za
        for i in range(1, m):
            den = den * (za + i)
        return 1 / den
    prec = flint.ctx.prec
    c = z if isinstance(z, arb) else _constant_term(z)
    if _log2_abs(c) > prec + 8:
        # 1/z below the precision: z^(a-b) (1 + (a-b)(a+b-1)/(2z)) is exact to it (the next
        # term is O(z^-2) relative)
        with flint.ctx.workprec(prec + _log2_abs(c).bit_length() + 10):   # z^s loses log2(log z) bits
            r = z ** (a - b) * (1 + (a - b) * (a + b - 1) / (2 * z))
        if isinstance(r, arb):          # the omitted terms: below (|a| + |b| + 1)^4 / z^2 relative
            bound = (abs(a) + abs(b) + 1) ** 4 / (abs(z) - abs(z).rad()) ** 2
            r = arb(r.mid(), (r.rad() + abs(r) * bound).upper())
        return r
    if isinstance(z, arb_series):
        return _gamma_quotient(z, a, b, prec, _extra_bits(z))
    z = to_arb(z)
    mid, rad = z.mid(), z.rad()
    r = _gamma_quotient(mid, a, b, prec, _extra_bits(z))
    with flint.ctx.workprec(prec):
        r = +r
        if not rad.is_zero():
            lo = mid + (a if a < b else b) - rad
            if not lo >= 1:
                raise ValueError("gamma_ratio_arb needs z + min(a, b) >= 1 for a ball z")
            r = arb(r.mid(), (r.rad() + abs(r) * 2 * abs(diff) * rad / lo).upper())
    return r
