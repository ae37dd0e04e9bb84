""":func:`conjecture`: measure how a quantity behaves, find its constant's closed form, check a
guess, and promote the law to a claim.

Pipeline (every number comes from the asymptotic validator's numerics):

1. **Measure** the log power, the exponent and the constant (:mod:`.measure`) on the
   validator's lattices at its two precisions.
2. **Residues** (integer variables): the residue-class lattices' laws are grouped on the
   smallest modulus ``m <= 12`` that explains them; when ``m > 1`` each class is measured
   on its own subsequence and ``residues`` maps ``"k = r mod m"`` to its law (``0`` for a
   class that vanishes); the top-level law is the first class's that does not vanish.
3. **Closed forms** (:mod:`.identify`): PSLQ over the basis at the requested digits; a
   candidate is kept only when a re-measure **at twice the digits, on a grid six nodes
   longer** agrees with it to twice the digits.
4. **Self-check**: the measured law (closed form, or the constant rounded to the digits
   confirmed) is handed to the validator itself (all lattices, both methods, both
   precisions, the residue screen); its verdict is the conjecture's: *supported* to
   ``digits``, or *inconclusive* with what was measured -- "not asymptotic on this grid"
   when that is the truth.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Callable

import mpmath as mp
import sympy as sp

from ..errors import InvalidParameter, MalformedStatement
from ..evidence import Evidence, Measured
from ..validate.asymptotic import Extrapolation, Grid, validate_asymptotic
from ..validate.asymptotic_measure import residue_classes
from .identify import identify, resolve_basis
from .measure import LOG_POWERS, agreement, measure_law, statement

__all__ = ["Conjecture", "conjecture"]


class _Memo:
    """``f`` with its values remembered per argument and precision (the self-check and the
    per-class measurements revisit the nodes the measurement saw)."""

    def __init__(self, f):
        self.f, self.cache = f, {}

    def __call__(self, v):
        key = (v, mp.mp.prec)
        if key not in self.cache:
            self.cache[key] = self.f(v)
        return self.cache[key]


@dataclass
class Conjecture:
    """A measured law ``a(v) ~ constant * v^exponent * log(v)^log_power`` and its evidence.

    ``constant`` is a sympy closed form when one was identified *and* confirmed at twice the
    digits (``closed_form`` is then true), else a sympy Float carrying the digits confirmed.
    ``residues`` maps ``"k = r mod m"`` to that class's law when the behaviour depends on the
    class (empty otherwise).  ``digits`` is what the validator confirmed for ``law``.
    """

    variable: sp.Symbol
    sequence: Callable
    subsequence: tuple | None
    settings: Extrapolation
    exponent: sp.Expr = None
    log_power: sp.Expr = sp.Integer(0)
    constant: sp.Expr = None
    closed_form: bool = False
    residues: dict = field(default_factory=dict)
    law: sp.Expr | None = None
    digits: float = 0.0
    evidence: Evidence | None = None
    text: str | None = None          # the expression, when the sequence came from text
    corrections: sp.Expr = sp.Integer(1)   # the corrections' step w or shape v**-w*log(v)**-L
    family: tuple | None = None      # (parameter symbol, values) of a family (:mod:`.family`)
    members: dict = field(default_factory=dict)     # value -> the member's Conjecture
    family_formula: dict | None = None  # {"exponent", "log_power", "constant"}: sympy in d

    @property
    def status(self) -> str:
        """``"supported"`` or ``"inconclusive"``."""
        return self.evidence.outcome if self.evidence else "inconclusive"

    def __repr__(self):
        law = self.law if self.law is not None else "no law"
        return f"Conjecture({self.variable}: {law}, {self.status}, {self.digits:g} digits)"

    # -- in a notebook (:mod:`.render`) ---------------------------------------
    def _repr_latex_(self) -> str:
        from .render import conjecture_latex
        return conjecture_latex(self)

    def _repr_html_(self) -> str:
        from .render import conjecture_html
        return conjecture_html(self)

    def plot(self, ax=None, *, member=None, points=None, leading=None):
        """The sequence against the law (or ``leading``) with ``|a/law - 1|`` below, drawn by
        :func:`workbench.plotting.plot_claim`; returns the figure (a family: ``member``)."""
        from .render import plot_conjecture
        return plot_conjecture(self, ax, member=member, points=points, leading=leading)

    # -- a guess ------------------------------------------------------------
    def statement(self, leading=None, subsequence=None):
        """The ordinary :class:`~workbench.statements.Asymptotic` ``a ~ leading`` (default:
        the measured law, on the class it holds on)."""
        leading = self.law if leading is None else leading
        if leading is None:
            raise MalformedStatement("this conjecture measured no law: give leading=")
        sub = subsequence if subsequence is not None else self.law_subsequence
        return statement(self.variable, _raw(self.sequence), sub, leading, self.corrections)

    @property
    def law_subsequence(self):
        """The subsequence ``law`` holds on: the user's, refined to a residue class when the
        behaviour depends on the class."""
        return getattr(self, "_law_subsequence", self.subsequence)

    def validator(self):
        """The statement type's default validator (:mod:`workbench.validate.protocol`) with this
        conjecture's digits, grid and precision."""
        from ..validate.protocol import default_validator
        v = default_validator(statement(self.variable, _raw(self.sequence), None, sp.Integer(1)))
        return replace(v, digits=self.settings.digits, dps=self.settings.dps,
                       grid=self.settings.grid)

    def check(self, leading, subsequence=None) -> Evidence:
        """The validator's verdict on ``a ~ leading`` (verified / refuted with the measured
        values / inconclusive with the digits reached).  For a family, ``leading`` may use
        the family parameter and is checked on every member (on the subsequence its law was
        measured on, unless ``subsequence`` is given): refuted when a member refutes it,
        verified when every member verifies it."""
        v = self.variable
        if self.family is not None:
            return self._check_family(leading, subsequence)
        leading = _sympify(leading, v)
        stmt = statement(v, _raw(self.sequence), subsequence if subsequence is not None
                         else self.subsequence, leading, self.corrections)
        return self.validator().check(stmt, {})

    def _check_family(self, leading, subsequence):
        x, values = self.family
        leading = _sympify(leading, self.variable, x)
        t0 = time.perf_counter()
        found = {}
        for val in values:
            m = self.members[val]
            found[val] = m.check(leading.subs(x, val), subsequence if subsequence is not None
                                 else m.law_subsequence)
        refuted = [val for val, ev in found.items() if ev.outcome == "refuted"]
        unsure = [val for val, ev in found.items() if ev.verdict != "verified"]
        if refuted:
            verdict, outcome = "failed", "refuted"
            summary = (f"refuted at {x} = {', '.join(map(str, refuted))}: "
                       + "; ".join(f"{x} = {val}: {found[val].summary}" for val in refuted))
        elif unsure:
            verdict, outcome = "failed", "inconclusive"
            summary = (f"inconclusive at {x} = {', '.join(map(str, unsure))}: "
                       + "; ".join(f"{x} = {val}: {found[val].summary}" for val in unsure))
        else:
            verdict, outcome = "verified", "supported"
            summary = f"verified on every member {x} = {values[0]}..{values[-1]}"
        digits = min((ev.digits or 0.0) for ev in found.values())
        return Evidence(verdict, summary, outcome=outcome, digits=digits,
                        details={"members": {str(val): {"outcome": ev.outcome,
                                                        "summary": ev.summary}
                                             for val, ev in found.items()}},
                        runtime=time.perf_counter() - t0)

    def to_claim(self, derivation, name, *, title="", source="", leading=None):
        """Add ``a ~ law`` (or ``leading``) as a claim of kind *conjecture* to ``derivation``
        and return it (checked by :meth:`validator`).  A family adds one claim per member,
        ``{name}-{d}{value}``, and returns their list."""
        if self.family is not None:
            x, values = self.family
            law = self.law if leading is None else _sympify(leading, self.variable, x)
            if law is None:
                raise MalformedStatement(f"{name}: no family formula to promote")
            return [self.members[val].to_claim(derivation, f"{name}-{x}{val}",
                                               title=title, source=source,
                                               leading=law.subs(x, val)) for val in values]
        leading = self.law if leading is None else _sympify(leading, self.variable)
        if leading is None:
            raise MalformedStatement(f"{name}: the conjecture measured no law to promote")
        return derivation.asymptotic(
            name, variable=self.variable, leading=leading, sequence=_raw(self.sequence),
            subsequence=self.law_subsequence, corrections=self.corrections, kind="conjecture",
            validator=self.validator(),
            title=title or f"Conjectured: {self.text or 'a'} ~ {leading}",
            source=source or "workbench.conjecture (measured)")

    def to_json(self) -> dict:
        """The ``--json`` record (with ``family_formula`` and ``members`` for a family)."""
        out = {"exponent": _text(self.exponent), "log_power": _text(self.log_power),
                "constant": _text(self.constant), "closed_form": self.closed_form,
                "law": _text(self.law), "digits": self.digits,
                "subsequence": list(self.law_subsequence) if self.law_subsequence else None,
                "residues": {k: _text(x) for k, x in self.residues.items()},
                "status": self.status, "evidence": self.evidence.to_dict() if self.evidence else None}
        if self.family is not None:
            out["family_formula"] = {k: _text(x) for k, x in self.family_formula.items()}
            out["members"] = {str(val): {"law": _text(m.law), "digits": m.digits,
                                         "status": m.status} for val, m in self.members.items()}
        return out


def _raw(f):
    return f.f if isinstance(f, _Memo) else f


def _text(x):
    return None if x is None else str(x)


def _sympify(leading, *symbols):
    try:
        expr = sp.sympify(leading)
    except (sp.SympifyError, TypeError):
        raise MalformedStatement(f"cannot read the leading term {leading!r}") from None
    # a symbol of the same name but other assumptions is the variable (or the family parameter)
    return expr.subs({s: v for v in symbols for s in expr.free_symbols
                      if s.name == v.name and s != v})


def _variable(variable, integer):
    if isinstance(variable, sp.Symbol):
        return variable
    if not isinstance(variable, str) or not variable.isidentifier():
        raise InvalidParameter(f"variable must be a name or a sympy Symbol, got {variable!r}")
    integer = True if integer is None else integer
    return sp.Symbol(variable, integer=True, positive=True) if integer else \
        sp.Symbol(variable, positive=True)


def _settings(digits, grid):
    if isinstance(digits, bool) or not isinstance(digits, int) or not 4 <= digits <= 60:
        raise InvalidParameter(f"digits must be an integer 4..60, got {digits!r}")
    if grid is not None and not isinstance(grid, Grid):
        grid = Grid(*grid) if isinstance(grid, (tuple, list)) else None
        if grid is None:
            raise InvalidParameter("grid must be a workbench.Grid or (start, ratio, points)")
    return Extrapolation(digits=digits, dps=max(30, digits + 10), grid=grid or Grid())


def _sequence(f, v):
    if isinstance(f, sp.Basic):
        if v not in f.free_symbols:
            raise InvalidParameter(f"the expression {f} does not contain the variable {v}")
        g = sp.lambdify(v, f, modules="mpmath")
        return lambda x: g(mp.mpf(x))
    if not callable(f):
        raise InvalidParameter(f"conjecture needs a callable or a sympy expression, got {f!r}")
    return f


def conjecture(f, variable="k", subsequence=None, grid=None, digits=20, basis=None, *,
               integer=None, log_powers=LOG_POWERS, text=None, corrections=1, log_retry=True,
               family=None, jobs=None, client=None, _classes=True) -> Conjecture:
    """Measure ``f(v) ~ C v^e (log v)^q`` as ``v -> oo`` and look for closed forms.

    Parameters
    ----------
    f : callable or sympy expression
        ``f(v)`` at the ambient mpmath precision (a Python int for an integer variable).
    variable : str or sympy Symbol
        A name is an integer variable unless ``integer=False``.
    subsequence : (step, offset), optional
        Only ``v = step*m + offset``.
    grid : Grid, optional
        The validator's grid (default ``Grid(16, 2, 18)``).
    digits : int
        Digits to confirm (default 20); closed forms are confirmed at twice this.
    basis : list of names or {name: constant}, optional
        Constants for the closed-form search (:data:`~.identify.BASIS` by default).
    corrections : positive number or shape
        The step ``w`` of the corrections ``v^(-j w)`` the extrapolations remove (default 1;
        e.g. 1/2 for corrections in powers of ``t^-1/2``), or a shape ``v**-w * log(v)**-L``
        for corrections ``v^(-j w) log(v)^i``, ``|i| <= L`` -- as for an asymptotic claim.
    log_retry : bool
        When the measurement extrapolates but stalls below ``min(digits, 12)`` digits and
        ``corrections`` has no log factor, measure again with the validator's log-shaped model
        ``v**-w * log(v)**-1`` and keep it if it reaches more than one digit more.
    family : {name: values}, optional
        Measure ``f(v, name=value)`` for each (integer) value and guess a formula in the
        parameter (:mod:`.family`): ``family_formula``, ``members``.  The members run in
        ``jobs`` forked processes (default: the usable cores) or on the Dask ``client``.

    See the module docstring for the procedure and :class:`Conjecture` for the result.
    """
    if family is not None:
        from .family import conjecture_family
        resolve_basis(basis)
        return conjecture_family(f, variable, family, jobs=jobs, client=client, basis=basis,
                                 text=text, subsequence=subsequence, grid=grid, digits=digits,
                                 integer=integer, log_powers=log_powers, corrections=corrections,
                                 log_retry=log_retry)
    t0 = time.perf_counter()
    v = _variable(variable, integer)
    settings = _settings(digits, grid)
    basis = resolve_basis(basis)
    a = _Memo(_sequence(f, v))
    try:
        corrections = _sympify(corrections, v)     # the shape, log factor included
        probe = statement(v, a, subsequence, sp.Integer(1), corrections)
    except MalformedStatement as exc:
        raise InvalidParameter(str(exc)) from None
    c = Conjecture(v, a, probe.subsequence, settings, text=text, corrections=corrections)
    m = measure_law(v, a, c.subsequence, settings, log_powers, corrections=c.corrections)
    if _classes and v.is_integer and (m.zero or not m.problem):
        split = _split_classes(c, m, settings, basis, log_powers, t0, log_retry)
        if split is not None:
            return split
    retry = None
    if log_retry and _retry_with_logs(c, m):
        w = probe.corrections
        shape = v ** -w * sp.log(v) ** -1
        m2 = measure_law(v, a, c.subsequence, settings, log_powers, corrections=shape)
        retry = (f"measured to {_reached(m):.1f} digits with corrections {v}^(-j*{w}); with "
                 f"{v}^(-j*{w}) log({v})^i, |i| <= j: {_reached(m2):.1f}")
        if not (m2.zero or m2.problem) and _reached(m2) > _reached(m) + 1:
            m, c.corrections = m2, shape
            retry += f" (kept: corrections={shape})"
    if m.zero or m.problem:
        return _inconclusive(c, m, t0)
    _fill(c, m, settings, basis)
    _self_check(c, m, t0)
    if retry:
        c.evidence.details["log_corrections_retry"] = retry
        if c.corrections.has(sp.log):
            c.evidence.summary += f"; logarithmic corrections: {retry}"
    return c


def _reached(m):
    return min(m.exponent_digits, m.constant_digits)


#: a plain measurement stalled below this many digits (and below the digits asked) is tried
#: again with log-shaped corrections; above it, the shortfall is the precision's, not the model's
LOG_RETRY_BELOW = 12


def _retry_with_logs(c, m):
    """A measurement that extrapolated but stalled at few digits, with no log factor in its
    corrections yet: worth the validator's log-shaped correction model (|i| <= j)."""
    return not (m.zero or m.problem) and 3 <= _reached(m) < min(c.settings.digits, LOG_RETRY_BELOW) \
        and not c.corrections.has(sp.log)


def _split_classes(c, m, settings, basis, log_powers, t0, log_retry=True):
    """Per-class conjectures when the residue lattices disagree (``None`` when they agree)."""
    if m.zero:     # primary grid all zero: read the residue lattices with a neutral law
        for r in m.runs:
            r.analyse(statement(c.variable, c.sequence, c.subsequence, sp.Integer(1),
                                c.corrections), settings, 0)
        stmt = statement(c.variable, c.sequence, c.subsequence, sp.Integer(1), c.corrections)
    else:
        stmt = m.stmt
    mod, groups = residue_classes(stmt, m.runs, settings)
    if mod is None or mod == 1:
        return None
    step, offset = c.subsequence or (1, 0)
    laws, first = {}, None
    for r, law in groups.items():
        sub = (step * mod, step * r + offset)
        label = f"{c.variable} = {sub[1] % sub[0]} mod {sub[0]}"
        if law == "zero":
            laws[label] = sp.Integer(0)
            continue
        cls = conjecture(c.sequence, c.variable, sub, settings.grid, settings.digits, basis,
                         log_powers=log_powers, text=c.text, corrections=c.corrections,
                         log_retry=log_retry, _classes=False)
        laws[label] = cls.law if cls.law is not None else sp.nan
        if first is None:
            first = cls
    if first is None:
        return None
    out = replace(first, subsequence=c.subsequence, residues=laws, text=c.text)
    out._law_subsequence = first.subsequence
    per_class = "; ".join(f"{k}: {x}" for k, x in laws.items())
    ev = out.evidence
    ev.summary = (f"depends on {c.variable} mod {step * mod} ({per_class}); the law below holds "
                  f"for {c.variable} = {first.subsequence[1]} mod {first.subsequence[0]}: "
                  + ev.summary)
    ev.details["residues"] = {k: str(x) for k, x in laws.items()}
    ev.details["residue_modulus"] = step * mod
    ev.runtime = time.perf_counter() - t0
    return out


def _fill(c, m, settings, basis):
    """Exponent, log power, constant and their closed forms (confirmed at twice the digits)."""
    v, D = c.variable, settings.digits
    c.log_power = m.log_power
    ident = {}
    exponent = m.exponent if isinstance(m.exponent, sp.Basic) else None
    if exponent is None and m.exponent_digits >= min(D, 10):
        hit = identify(m.exponent_value, min(D, m.exponent_digits), basis)
        exponent = hit.form if hit is not None else None
        if hit is not None:
            ident["exponent"] = hit.record()
    hit = identify(m.constant, min(D, m.constant_digits), basis) if m.constant_digits >= min(D, 10) \
        else None
    if hit is not None:
        ident["constant"] = hit.record()
    confirm = None
    if exponent is not None:
        longer = replace(settings, digits=2 * D, dps=2 * D + 10, high_dps=None, residues=1,
                         grid=Grid(settings.grid.start, settings.grid.ratio, settings.grid.points + 6))
        const = hit.form if hit is not None else sp.Float(mp.nstr(m.constant, int(m.constant_digits)
                                                                    + 2), 50)
        e_conf, c_conf = agreement(v, c.sequence, c.subsequence, longer,
                                   const * v ** exponent * sp.log(v) ** m.log_power, c.corrections)
        confirm = min(e_conf, c_conf)
        ident["confirmation"] = {"digits_required": 2 * D, "exponent_digits": round(e_conf, 1),
                                 "constant_digits": round(c_conf, 1),
                                 "dps": [longer.dps, longer.confirm_dps],
                                 "points": longer.grid.points + longer.extra_points}
        if e_conf < 2 * D:
            ident["rejected_exponent"] = (f"{exponent} matched to {D} digits but not at "
                                          f"{2 * D}: the re-measure agrees to {e_conf:.1f}")
    if confirm is not None and e_conf >= 2 * D:
        c.exponent = exponent
    else:
        c.exponent = sp.Float(mp.nstr(m.exponent_value, max(5, int(m.exponent_digits) + 2)), 50)
    confirmed = confirm is not None and confirm >= 2 * D
    if hit is not None and confirmed:
        c.constant, c.closed_form = hit.form, True
        law_constant = hit.form
    else:
        nd = max(3, int(m.constant_digits) + 1)
        c.constant = sp.Float(mp.nstr(m.constant, nd), nd)
        # the law carries every digit the confirming run measured: the validator refutes a
        # constant more than ten of its error bars off, and rounding to the digits all four
        # estimates share would be that far off
        with mp.workdps(60):
            full = max(nd, int(-mp.log10(m.constant_error / abs(m.constant))) + 3) \
                if m.constant_error > 0 else 60
        law_constant = sp.Float(mp.nstr(m.constant, full), full)
        if hit is not None:
            ident["rejected"] = (f"{hit.form} matched to {D} digits but not at {2 * D}: the "
                                 f"re-measure agrees with it to {confirm:.1f} digits")
    c.law = law_constant * v ** c.exponent * sp.log(v) ** c.log_power
    c._ident = ident


def _self_check(c, m, t0):
    """The validator's verdict on the measured law becomes the conjecture's evidence."""
    D = c.settings.digits
    reached = min(m.exponent_digits, m.constant_digits)
    check_digits = max(1, min(D, int(math.floor(reached))))
    settings = replace(c.settings, digits=check_digits)
    ev = validate_asymptotic(statement(c.variable, c.sequence, c.subsequence, c.law, c.corrections),
                             settings)
    supported = ev.verdict == "verified" and reached >= D
    ident = getattr(c, "_ident", {})
    if ev.verdict == "verified":
        c.digits = 2.0 * D if c.closed_form else float(ev.digits or 0)
    what = (f"{c.variable}^{c.exponent}" + (f" log({c.variable})^{c.log_power}" if c.log_power
                                           else ""))
    cf = ("closed form " + str(c.constant) + f" (confirmed to {2 * D} digits at twice the precision)"
          if c.closed_form else f"constant {c.constant} (no closed form in this basis to "
                                f"{min(D, int(m.constant_digits))} digits)")
    if c.closed_form and not supported:   # confirmed on the primary grid, not on every lattice
        ident["unsupported_closed_form"] = str(c.constant)
        c.closed_form = False
    if supported:
        summary = f"measured {c.law}: {what}, {cf}; {ev.summary}"
    else:
        summary = f"inconclusive: measured {c.law} to {reached:.1f} digits; validator: {ev.summary}"
    measured = {"exponent": Measured(mp.nstr(m.exponent_value, 30), mp.nstr(m.exponent_error, 3),
                                     str(c.exponent), round(m.exponent_digits, 2)),
                "constant": Measured(mp.nstr(m.constant, 30), mp.nstr(m.constant_error, 3),
                                     str(c.constant), round(m.constant_digits, 2))}
    details = {"identification": ident, "basis": sorted(resolve_basis(getattr(c, "_basis", None))),
               "log_power_errors": m.log_power_errors, "check": ev.summary}
    c.evidence = Evidence("verified" if supported else "failed", summary,
                          outcome="supported" if supported else "inconclusive",
                          methods=ev.methods, digits=c.digits, measured=measured, grid=ev.grid,
                          precisions=ev.precisions, details=details,
                          runtime=time.perf_counter() - t0)


def _inconclusive(c, m, t0):
    measured = {}
    if m.exponent_value is not None and mp.isfinite(m.exponent_value):
        measured["exponent"] = Measured(mp.nstr(m.exponent_value, 20), mp.nstr(m.exponent_error, 3))
    if m.constant is not None:
        measured["constant"] = Measured(mp.nstr(m.constant, 20), mp.nstr(m.constant_error, 3))
    problem = m.problem or "no law could be measured"
    if m.zero:
        problem = f"a({c.variable}) = 0 on the grid ({c.variable} = 16 * 2^j and the residue lattices)"
    c.evidence = Evidence("failed", f"inconclusive: {problem}", outcome="inconclusive",
                          digits=0.0, measured=measured,
                          details={"not_asymptotic": [problem],
                                   "log_power_errors": m.log_power_errors},
                          runtime=time.perf_counter() - t0)
    return c
