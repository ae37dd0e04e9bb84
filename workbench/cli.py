"""The ``workbench`` command.

``verify``, ``list``, ``show``, ``why``, ``graph``, ``export latex``, ``history``.
Every command sees the built-in derivations (unless ``--no-builtin``) plus
the claim files given with ``--file``.  Errors in the user's input are
printed as one line naming the problem (exit code 2); ``verify`` exits 0 only
when every selected claim is verified.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .errors import WorkbenchError
from .graph import premises, unblocks, why as why_chains
from .isolation import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from .loading import Sources
from .store import Store

__all__ = ["main"]

#: Progress label of a claim's own verdict (not a status: that needs the premises too).
_OWN = {"verified": "check passed", "failed": "check failed", "error": "check error"}

STYLE = {"verified": "green", "failed": "red", "error": "magenta", "blocked": "yellow",
         "unchecked": "dim"}


def _console(err=False) -> Console:
    return Console(stderr=err, highlight=False, soft_wrap=not sys.stdout.isatty())


@contextlib.contextmanager
def _stdout_to_stderr():
    """Meanwhile, whatever is written to stdout (by Python or C code) goes to stderr."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        with contextlib.redirect_stdout(sys.stderr):
            yield
        sys.stdout.flush()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _warnings_to_stderr():
    """The engine's warnings (logger ``workbench``) as one ``warning: ...`` line each."""
    logger = logging.getLogger("workbench")
    if not any(getattr(h, "workbench_cli", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        handler.workbench_cli = True
        logger.addHandler(handler)
        logger.propagate = False


def sources_options(func):
    @click.option("--file", "files", multiple=True, type=click.Path(dir_okay=False),
                  help="A Python file of claims to load beside the built-in derivations (repeatable).")
    @click.option("--no-builtin", is_flag=True, help="Do not load the built-in derivations.")
    @click.option("--store", "store_path", type=click.Path(dir_okay=False), default=None,
                  help="Result store (default: $WORKBENCH_STORE or .workbench/results.sqlite).")
    @functools.wraps(func)
    def wrapper(*args, files, no_builtin, store_path, **kwargs):
        _warnings_to_stderr()
        try:
            sources = Sources(builtin=not no_builtin, files=tuple(files))
            # with --json nothing but the JSON goes to stdout, not even a print at import time
            with _stdout_to_stderr() if kwargs.get("as_json") else contextlib.nullcontext():
                claims = sources.load()
            if not claims:
                raise WorkbenchError("no claims to work on: the built-in derivations are off "
                                     "(--no-builtin) and no --file was given")
            with Store(store_path) as store:
                return func(*args, claims=claims, store=store, **kwargs)
        except WorkbenchError as exc:
            _console(err=True).print(f"[bold red]error:[/] {exc}", markup=True)
            sys.exit(2)
    return wrapper


@click.group()
@click.version_option(package_name="workbench")
def main():
    """Executable claims about neural scaling laws, validated at high precision."""


def _status(s: str) -> str:
    return f"[{STYLE[s]}]{s}[/]"


def _summary_table(report, only=None) -> Table:
    t = Table(show_lines=False, box=None, pad_edge=False)
    t.add_column("claim", no_wrap=True)
    t.add_column("kind")
    t.add_column("status")
    t.add_column("evidence", overflow="fold")
    for cid, r in report.results.items():
        if only is not None and cid not in only:
            continue
        ev = r.evidence.summary if r.evidence else ""
        if r.cached:
            ev += " [dim](stored)[/]"
        t.add_row(cid, r.claim.kind.value, _status(r.status), ev)
    return t


@main.command()
@click.argument("ids", nargs=-1)
@sources_options
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--force", is_flag=True, help="Re-run checks even when a stored result is current.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Checks run at the same time (each in its own process).")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0),
              help="Seconds a check may run before it is stopped and recorded as an error "
                   "(0: no limit); a claim's own timeout= overrides it.")
@click.option("--memory-limit", "memory_mb", default=DEFAULT_MEMORY_MB, type=click.IntRange(min=0),
              show_default=f"half the physical memory: {DEFAULT_MEMORY_MB}",
              help="MiB of memory a check may use; past it the check is an error (0: no limit).")
@click.option("--no-isolate", is_flag=True,
              help="Run the checks inside this process, for debuggers and profilers: no time or "
                   "memory limit, output not captured, a crash ends the run.")
def verify(ids, claims, store, as_json, force, jobs, timeout, memory_mb, no_isolate):
    """Verify claims (IDS: ids, topics or globs; default all) and their premises.

    Each check runs in its own process: one that hangs, exits, crashes or runs out of
    memory becomes that claim's error and the run goes on; what it prints is kept in its
    evidence.  A stored error is always run again.
    """
    from .verify import verify as run
    limits = dict(store=store, force=force, jobs=jobs, timeout=timeout or None,
                  memory_mb=memory_mb or None, isolate=not no_isolate)
    out = _console()
    interactive = sys.stdout.isatty() and not as_json
    if interactive:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        progress = Progress(TextColumn("verifying"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.description}"), console=out,
                            transient=True)
        task = progress.add_task("", total=None)

        def on_result(result, done, total):
            progress.update(task, completed=done, total=total, description=result.claim.id)
        with progress:
            report = run(claims, ids, on_result=on_result, **limits)
    elif as_json:
        with _stdout_to_stderr():
            report = run(claims, ids, **limits)
    else:
        def on_result(result, done, total):
            # the claim's own check; its status (which needs its premises) is in the table below
            tag = " (stored)" if result.cached else f" ({result.evidence.runtime:.2f} s)"
            click.echo(f"[{done}/{total}] {_OWN[result.own]:12s} {result.claim.id}{tag}")
        report = run(claims, ids, on_result=on_result, **limits)
    if as_json:
        click.echo(report.to_json())
    else:
        if interactive:
            out.print(_summary_table(report))
        else:
            for cid, r in report.results.items():
                ev = r.evidence.summary if r.evidence else ""
                click.echo(f"{r.status:9s} {cid}: {ev}")
        counts = ", ".join(f"{v} {k}" for k, v in sorted(report.counts().items()))
        ran = sum(1 for r in report.results.values() if r.evidence and not r.cached)
        out.print(f"{len(report.results)} claims ({counts}); {ran} checks run, "
                  f"{len(report.results) - ran} from the store; {report.runtime:.1f} s")
    if report.unstored:
        _console(err=True).print(f"warning: {len(report.unstored)} results were not stored "
                                 f"(the store stayed locked): {', '.join(report.unstored)}",
                                 markup=False)
    sys.exit(0 if report.ok else 1)


@main.command(name="list")
@click.argument("ids", nargs=-1)
@sources_options
def list_(ids, claims, store):
    """List claims with their current stored status (stale results show as unchecked)."""
    from .verify import current_report
    report = current_report(claims, store, ids)
    t = Table(box=None, pad_edge=False)
    for col in ("claim", "kind", "status", "title"):
        t.add_column(col)
    for cid, r in report.results.items():
        t.add_row(cid, r.claim.kind.value, _status(r.status), r.claim.title)
    _console().print(t)


@main.command()
@click.argument("claim_id")
@sources_options
def show(claim_id, claims, store):
    """Statement, premises, dependents and last evidence of a claim."""
    from .verify import current_report
    report = current_report(claims, store, [claim_id])
    if claim_id not in report.results:
        raise WorkbenchError(f"no claim with id {claim_id!r}")
    r = report.results[claim_id]
    c, G, out = r.claim, report.graph, _console()
    out.print(f"[bold]{c.id}[/] ({c.kind.value}): {c.title}")
    out.print(f"statement: {c.statement.text()}")
    out.print(f"latex:     {c.statement.latex()}", markup=False)
    out.print(f"source:    {c.source or 'n/a'}")
    out.print(f"uses:      {', '.join(c.uses) or 'none'}")
    out.print(f"premises (all): {', '.join(sorted(premises(G, c.id))) or 'none'}")
    out.print(f"dependents:     {', '.join(sorted(unblocks(G, c.id))) or 'none'}")
    out.print(f"status:    {_status(r.status)}")
    if r.evidence:
        ev = r.evidence
        out.print(f"evidence:  {ev.short()}", markup=False)
        for k, m in ev.measured.items():
            extra = f" +- {m.error}" if m.error else ""
            claimed = f"  (claimed {m.claimed})" if m.claimed else ""
            digits = f"  [{m.digits:g} digits]" if m.digits is not None else ""
            out.print(f"  {k}: {m.value}{extra}{claimed}{digits}", markup=False)
        if ev.grid:
            out.print(f"  grid: {ev.grid}", markup=False)


@main.command()
@click.argument("claim_id")
@sources_options
def why(claim_id, claims, store):
    """Why a claim is not verified: the chains of failed premises that block it."""
    from .verify import current_report
    report = current_report(claims, store, [claim_id])
    status = {i: r.status for i, r in report.results.items()}
    own = {i: (r.own or "unchecked") for i, r in report.results.items()}
    out = _console()
    if status[claim_id] == "verified":
        out.print(f"{claim_id} is {_status('verified')}: its check and all its premises hold.")
        return
    out.print(f"{claim_id} is {_status(status[claim_id])}.")
    chains = why_chains(report.graph.subgraph(report.results), own, claim_id)
    for chain in chains:
        root = report.results[chain[0]]
        reason = root.evidence.summary if root.evidence else "no current result (run verify)"
        out.print(f"  {' -> '.join(chain)}")
        out.print(f"    {chain[0]} is {_status(own[chain[0]])}: {reason}", markup=True)


@main.command()
@click.argument("claim_id")
@sources_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="Image file (.png, .pdf, .svg).")
def plot(claim_id, claims, store, output):
    """Draw an asymptotic or scaling claim: computed/measured points, the law, residuals.

    Asymptotic claims are computed afresh on their validator grid; claims with a check use the
    series their current evidence records (re-running the check when no current result is stored).
    """
    import matplotlib
    matplotlib.use("Agg")                      # files only: no display needed
    from .plotting import plot_claim
    from .validate.dispatch import run_check
    from .verify import current_report
    report = current_report(claims, store, [claim_id])
    if claim_id not in report.results:
        raise WorkbenchError(f"no claim with id {claim_id!r}")
    r = report.results[claim_id]
    ev = r.evidence
    if r.claim.check is not None and (ev is None or not (ev.details or {}).get("plot")):
        ev = run_check(r.claim)
    fig = plot_claim(r.claim, ev)
    fig.savefig(output, dpi=120)
    click.echo(f"wrote {output}")


@main.command()
@sources_options
@click.option("--format", "fmt", type=click.Choice(["dot", "json"]), default="dot", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None)
@click.option("--around", "around_id", default=None, help="Only the claims near this one.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 100))
def graph(claims, store, fmt, output, around_id, depth):
    """The derivation graph as DOT or JSON."""
    from .export import to_dot, to_json_graph
    from .graph import around
    from .verify import current_report
    report = current_report(claims, store)
    if around_id is not None:
        if around_id not in report.graph:
            raise WorkbenchError(f"no claim with id {around_id!r}")
        keep = set(around(report.graph, around_id, depth))
        report.results = {k: v for k, v in report.results.items() if k in keep}
    text = to_dot(report) if fmt == "dot" else to_json_graph(report)
    if output:
        Path(output).write_text(text)
    else:
        click.echo(text, nl=False)


@main.group()
def export():
    """Export the derivation graph."""


@export.command(name="latex")
@sources_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def export_latex_cmd(claims, store, output):
    """A standalone LaTeX document of all claims with their current status."""
    from .export import export_latex
    from .verify import current_report
    path = export_latex(current_report(claims, store), output)
    click.echo(f"wrote {path}")


@main.command()
@click.argument("claim_id")
@sources_options
def history(claim_id, claims, store):
    """Past verdicts of a claim, newest first (marks the ones for its current version)."""
    from .verify import current_report
    report = current_report(claims, store, [claim_id])
    current = report.results[claim_id].hash
    runs = store.history(claim_id)
    if not runs:
        click.echo(f"{claim_id}: no stored runs")
        return
    t = Table(box=None, pad_edge=False)
    for col in ("when", "verdict", "version", "current", "summary"):
        t.add_column(col)
    for r in runs:
        t.add_row(r.when, _status(r.verdict), r.version, "yes" if r.claim_hash == current else "stale",
                  r.evidence.summary)
    _console().print(t)


if __name__ == "__main__":  # pragma: no cover
    main()
