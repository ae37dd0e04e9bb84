"""The precision rule of the science modules (``workbench.kernels``, ``teacher_student``, ``scaling``).

One rule
--------
*Every numerical function computes at the ambient mpmath precision* ``mp.mp.dps``.
The validators set it locally with ``mp.workdps`` (an Asymptotic claim with
``Extrapolation(dps=45)`` evaluates its sequence at 45 digits and confirms at 60;
an Equality climbs ``RandomPoints.dps``, ``+ 20``, ...), so a library call inside a
sequence or a check inherits the validator's precision all the way down, with no
``dps=`` to pass along.

Where a function keeps an explicit ``dps=`` argument, it defaults to ``None`` = the
ambient precision.  A ``dps`` that is given is honoured exactly and locally: the whole
body, everything the function calls included, runs inside ``mp.workdps(dps)``, the
result is accurate to ``dps`` digits, and the caller's precision is restored on return
(:func:`local`).  ``dps`` never caps a higher ambient precision by default.

Guard digits: a function may work internally at more digits than it returns (the
quadratures and root-finders at ``+ 10``, alternating series at ``+ 20``, the
spectrum quadrature at ``+ guard`` chosen from the spread of the eigenvalues) so that
its result is accurate to the requested precision; each says so in its docstring, and
says when it returns the result at the guard precision rather than rounded to ``dps``
(the fixed points and Gaussian-average quadratures do, so that callers comparing them
with a closed form at ``dps + 10`` keep every digit).

Float consumers: checkers that hand mpmath values to numpy/numba through ``float()``
need only double precision.  The default precision of a check (15 digits, set by
:func:`workbench.validate.run_check`) plus the functions' guard digits gives that;
they need no ``dps``.

Library code never assigns ``mp.mp.dps``; it only uses ``mp.workdps`` (or :func:`local`).
"""

from __future__ import annotations

from contextlib import contextmanager

import mpmath as mp

from .errors import InvalidParameter

__all__ = ["target_dps", "local"]


def target_dps(dps=None) -> int:
    """The digits a function with a ``dps=`` argument computes at: ``dps`` when given
    (an integer >= 1, else :class:`~workbench.errors.InvalidParameter`), else the ambient
    ``mp.mp.dps``.

    >>> import mpmath as mp
    >>> with mp.workdps(50):
    ...     target_dps(), target_dps(20)
    (50, 20)
    """
    if dps is None:
        return mp.mp.dps
    if isinstance(dps, bool) or not isinstance(dps, int) or dps < 1:
        raise InvalidParameter(f"dps must be an integer >= 1 (digits) or None (the ambient "
                               f"precision), got dps={dps!r}")
    return dps


@contextmanager
def local(dps=None):
    """``with local(dps) as digits:`` runs the block at :func:`target_dps` digits
    (``mp.workdps``) and yields them; the caller's precision is restored afterwards.

    >>> import mpmath as mp
    >>> with local(40) as digits:
    ...     digits, mp.mp.dps
    (40, 40)
    >>> mp.mp.dps
    15
    """
    digits = target_dps(dps)
    with mp.workdps(digits):
        yield digits
