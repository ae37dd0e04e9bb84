"""``workbench conjecture EXPR``: measure a law from the command line, check a guess, write a
derivation file (imports nothing heavy until it runs)."""

from __future__ import annotations

import json
import re
import sys

import click

__all__ = ["conjecture_command", "derivation_source"]


def _subsequence(text):
    if text is None:
        return None
    try:
        step, offset = (int(x) for x in text.split(","))
    except ValueError:
        from ..errors import InvalidParameter
        raise InvalidParameter(f"--subsequence must be STEP,OFFSET (e.g. 2,1), got {text!r}") from None
    return step, offset


def _family(text):
    """``--family d=2..12`` (or ``d=2,4,6``) as ``{"d": [2, ..., 12]}``."""
    if text is None:
        return None
    from ..errors import InvalidParameter
    m = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*=\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*", text)
    if m:
        return {m.group(1): list(range(int(m.group(2)), int(m.group(3)) + 1))}
    m = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*=\s*(-?\d+(?:\s*,\s*-?\d+)+)\s*", text)
    if m:
        return {m.group(1): [int(x) for x in m.group(2).split(",")]}
    raise InvalidParameter(f"--family must be NAME=FIRST..LAST or NAME=V1,V2,... (e.g. d=2..12), "
                           f"got {text!r}")


def _corrections(text):
    if text is None:
        return 1
    import sympy as sp

    from ..errors import InvalidParameter
    try:
        w = sp.Rational(text.strip())
    except (TypeError, ValueError):
        w = None
    if w is None or not w > 0:
        raise InvalidParameter(f"--corrections must be a positive rational step such as 1/2, "
                               f"got {text!r}")
    return w


def _claim_name(text):
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")
    return (name or "conjecture")[:60]


def derivation_source(c, expr, name) -> str:
    """A derivation file declaring ``c``'s law as a claim of kind *conjecture* (a family: one
    claim ``{name}-{d}{value}`` per member, the formula at that member)."""
    if c.family is not None:
        return _family_source(c, expr, name)
    v = c.variable
    sub = c.law_subsequence
    s = c.settings
    assumptions = "integer=True, positive=True" if v.is_integer else "positive=True"
    return f'''"""A conjecture written by `workbench conjecture` ({c.status}, {c.digits:g} digits).

{c.evidence.summary if c.evidence else ''}
"""

import sympy as sp

from workbench import Derivation
from workbench.conjecture import Sequence
from workbench.validate import Extrapolation, Grid

{v.name} = sp.Symbol({v.name!r}, {assumptions})

D = Derivation("conjectures", title="Conjectures measured by workbench conjecture")
D.asymptotic(
    {name!r},
    variable={v.name},
    leading=sp.sympify({str(c.law)!r}, locals={{{v.name!r}: {v.name}}}),
    sequence=Sequence({expr!r}, {v.name!r}),
    subsequence={tuple(sub) if sub else None!r},
    corrections=sp.sympify({str(c.corrections)!r}, locals={{{v.name!r}: {v.name}}}),
    kind="conjecture",
    validator=Extrapolation(digits={s.digits}, dps={s.dps}, grid=Grid({s.grid.start!r}, {s.grid.ratio!r}, {s.grid.points!r})),
    title={f"Conjectured: {expr} ~ {c.law}"!r},
    source="workbench conjecture (measured)",
)
'''


@click.command(name="conjecture")
@click.argument("expr")
@click.option("--variable", default="k", show_default=True, help="The variable that grows.")
@click.option("--real", is_flag=True, help="The variable is real (default: integer).")
@click.option("--leading", default=None, help="A guess to check, e.g. '45/(pi*k**7)'.")
@click.option("--basis", default=None, help="Closed-form basis, e.g. pi,log2,gamma14 "
                                            "(default: all of workbench.conjecture.BASIS).")
@click.option("--subsequence", default=None, metavar="STEP,OFFSET",
              help="Only variable = STEP*m + OFFSET.")
@click.option("--digits", default=20, show_default=True, type=click.IntRange(4, 60))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--write", "write", default=None, type=click.Path(dir_okay=False),
              help="Write a derivation file that `workbench verify --file` checks.")
@click.option("--name", default=None, help="Claim name for --write (default: from EXPR).")
@click.option("--family", "family", default=None, metavar="NAME=FIRST..LAST",
              help="Measure each member (EXPR uses NAME) and guess a formula in NAME.")
@click.option("--jobs", "-j", default=None, type=click.IntRange(1, None),
              help="Worker processes for the family's members (default: the usable cores).")
@click.option("--corrections", default=None, metavar="W",
              help="Step of the corrections v^(-j W) (default 1; e.g. 1/2).")
def conjecture_command(expr, variable, real, leading, basis, subsequence, digits, as_json, write,
                       name, family, jobs, corrections):
    """Measure EXPR ~ C v^e (log v)^q as the variable grows; with --leading, check a guess.

    EXPR uses the variable, numbers, mpmath functions (sqrt, gamma, zeta, ...) and the
    quantities of workbench.quantities (mu, plateau_height, escape_rate, plateau_length, loss).
    """
    from ..cli import _console
    from ..errors import WorkbenchError
    from ..printing.text import line
    try:
        from .core import conjecture
        from .expressions import parse, parse_sympy
        fam = _family(family)
        seq = parse(expr, variable, tuple(fam or ()))
        c = conjecture(seq, variable, subsequence=_subsequence(subsequence), digits=digits,
                       basis=basis, integer=not real, text=expr, family=fam, jobs=jobs,
                       corrections=_corrections(corrections))
        params = (c.family[0],) if c.family else ()
        verdict = c.check(parse_sympy(leading, c.variable, params)) if leading else None
        if write:
            from pathlib import Path
            if c.law is None:
                raise WorkbenchError("no law was measured: nothing to --write ("
                                     + (c.evidence.summary if c.evidence else "") + ")")
            Path(write).write_text(derivation_source(c, expr, name or _claim_name(expr)))
    except WorkbenchError as exc:
        _console(err=True).print(line(("error:", "bold red"), f" {exc}"))
        sys.exit(2)
    if as_json:
        out = c.to_json()
        if verdict is not None:
            out["verdict"] = {"verdict": verdict.verdict, "outcome": verdict.outcome,
                              "summary": verdict.summary, "digits": verdict.digits}
        click.echo(json.dumps(out, default=str, indent=1))
        return
    con = _console()
    con.print(line((f"{expr} ~ {c.law if c.law is not None else '?'}", "bold"),
                   f"  ({c.status}, {c.digits:g} digits)"))
    for k, law in c.residues.items():
        con.print(f"  {k}: {law}")
    if c.family is not None:
        x = c.family[0]
        for part, form in c.family_formula.items():
            con.print(f"  {part}({x}) = {form if form is not None else '?'}", markup=False)
        for val, m in c.members.items():
            con.print(f"  {x} = {val}: {m.law if m.law is not None else '?'} ({m.status}, "
                      f"{m.digits:g} digits)", markup=False)
    con.print(c.evidence.summary, markup=False)
    if verdict is not None:
        con.print(line(("check:", "bold"), f" {verdict.summary}"))
    if write:
        con.print(f"wrote {write}")


def _family_source(c, expr, name) -> str:
    v, (x, values), s = c.variable, c.family, c.settings
    subs = {m.law_subsequence for m in c.members.values()}
    sub = subs.pop() if len(subs) == 1 else c.subsequence
    assumptions = "integer=True, positive=True" if v.is_integer else "positive=True"
    return f'''"""A family of conjectures written by `workbench conjecture --family` ({c.status}).

{c.evidence.summary if c.evidence else ''}
"""

import functools

import sympy as sp

from workbench import Derivation
from workbench.conjecture import Sequence
from workbench.validate import Extrapolation, Grid

{v.name} = sp.Symbol({v.name!r}, {assumptions})
{x.name} = sp.Symbol({x.name!r}, integer=True)
LAW = sp.sympify({str(c.law)!r}, locals={{{v.name!r}: {v.name}, {x.name!r}: {x.name}}})
SEQUENCE = Sequence({expr!r}, {v.name!r}, ({x.name!r},))

D = Derivation("conjectures", title="Conjectures measured by workbench conjecture")
for value in {list(values)!r}:
    D.asymptotic(
        f"{name}-{x.name}{{value}}",
        variable={v.name},
        leading=LAW.subs({x.name}, value),
        sequence=functools.partial(SEQUENCE, {x.name}=value),
        subsequence={tuple(sub) if sub else None!r},
        corrections=sp.sympify({str(c.corrections)!r}, locals={{{v.name!r}: {v.name}}}),
        kind="conjecture",
        validator=Extrapolation(digits={s.digits}, dps={s.dps}, grid=Grid({s.grid.start!r}, {s.grid.ratio!r}, {s.grid.points!r})),
        title={f"Conjectured: {expr} ~ {c.law} at {x.name} = "!r} + str(value),
        source="workbench conjecture --family (measured)",
    )
'''
