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


def _claim_name(text):
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")
    return (name or "conjecture")[:60]


def derivation_source(c, expr, name) -> str:
    """A derivation file declaring ``c``'s law as a claim of kind *conjecture*."""
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
def conjecture_command(expr, variable, real, leading, basis, subsequence, digits, as_json, write,
                       name):
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
        seq = parse(expr, variable)
        c = conjecture(seq, variable, subsequence=_subsequence(subsequence), digits=digits,
                       basis=basis, integer=not real, text=expr)
        verdict = c.check(parse_sympy(leading, c.variable)) if leading else None
        if write:
            from pathlib import Path
            if c.law is None:
                raise WorkbenchError("no law was measured: nothing to --write")
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
    con.print(c.evidence.summary, markup=False)
    if verdict is not None:
        con.print(line(("check:", "bold"), f" {verdict.summary}"))
    if write:
        con.print(f"wrote {write}")
