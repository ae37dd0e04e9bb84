"""The ``workbench`` command.

``verify``, ``list``, ``show``, ``why``, ``history``, ``plot``, ``graph``, ``export latex``.
Ids on the command line may be topics or globs; ``show``, ``why`` and ``history`` print a
section per matching claim, ``plot`` needs exactly one.  Every command sees the built-in
derivations (unless ``--no-builtin``) plus the claim files given with ``--file``.  Errors in
the user's input are printed as one line naming the problem (exit code 2); ``verify`` exits 0
only when every selected claim is verified.
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
from rich.text import Text

from ._version import __version__
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
                raise WorkbenchError("no claims to work on: " + (
                    "the built-in derivations are off (--no-builtin) and no --file was given"
                    if no_builtin else "the registered derivation modules declare none"))
            with Store(store_path) as store:
                return func(*args, claims=claims, store=store, **kwargs)
        except WorkbenchError as exc:
            _console(err=True).print(_line(("error:", "bold red"), f" {exc}"))
            sys.exit(2)
    return wrapper


@click.group()
@click.version_option(__version__, package_name="scaling-workbench")
def main():
    """Executable claims about neural scaling laws, validated at high precision."""


def _summary_table(report, only=None) -> Table:
    t = Table(show_lines=False, box=None, pad_edge=False)
    t.add_column("claim", no_wrap=True)
    t.add_column("kind")
    t.add_column("status")
    t.add_column("evidence", overflow="fold")
    for cid, r in report.results.items():
        if only is not None and cid not in only:
            continue
        ev = _line(r.evidence.summary if r.evidence else "", *([(" (stored)", "dim")] if r.cached else []))
        t.add_row(_plain(cid), _plain(r.claim.kind.value), _status_text(r.status), ev)
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
        out.print(_plain(f"{len(report.results)} claims ({counts}); {ran} checks run, "
                         f"{len(report.results) - ran} from the store; {report.runtime:.1f} s"))
    if report.unstored:
        _console(err=True).print(f"warning: {len(report.unstored)} results were not stored "
                                 f"(the store stayed locked): {', '.join(report.unstored)}",
                                 markup=False)
    sys.exit(0 if report.ok else 1)


def _plain(value) -> Text:
    """Text printed as is: no rich markup (a title may contain ``[red]`` or ``[/]``), no emoji."""
    return Text(str(value))


def _status_text(status: str) -> Text:
    return Text(status, style=STYLE[status])


def _line(*parts) -> Text:
    """A line from plain strings and (string, style) pairs, none of them read as markup."""
    return Text.assemble(*((p[0], p[1]) if isinstance(p, tuple) else str(p) for p in parts))


def _single(report, pattern: str, what: str) -> str:
    """The one claim ``pattern`` matched; a :class:`WorkbenchError` when it matched several
    (one that matches none was refused already by :func:`~workbench.verify.select`)."""
    hits = report.selected
    if len(hits) != 1:
        shown = ", ".join(hits[:5]) + (", ..." if len(hits) > 5 else "")
        raise WorkbenchError(f"{what} takes one claim, but {pattern!r} matches {len(hits)} "
                             f"({shown}); name one by its full id")
    return hits[0]


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
        t.add_row(_plain(cid), _plain(r.claim.kind.value), _status_text(r.status),
                  _plain(r.claim.title))
    _console().print(t)


# show, why and history take ids, topics or globs and print one section per matching claim:
# a topic is the unit one works on ("why is this topic not verified?"), and the commands
# resolve ids exactly as verify and list do.

@main.command()
@click.argument("ids", nargs=-1, required=True)
@sources_options
def show(ids, claims, store):
    """Statement, premises, dependents and last evidence of claims (IDS: ids, topics or globs)."""
    _sections(claims, store, ids, _show_one)


def _sections(claims, store, ids, one):
    """``one(out, report, id)`` for every claim the ids select, a blank line between."""
    from .verify import current_report
    report = current_report(claims, store, ids)
    out = _console()
    for k, cid in enumerate(report.selected):
        if k:
            out.print()
        one(out, report, cid)


def _show_one(out, report, cid):
    r = report.results[cid]
    c, G = r.claim, report.graph
    out.print(_line((c.id, "bold"), f" ({c.kind.value}): {c.title}"))
    out.print(_plain(f"statement: {c.statement.text()}"))
    out.print(_plain(f"latex:     {c.statement.latex()}"))
    out.print(_plain(f"source:    {c.source or 'n/a'}"))
    out.print(_plain(f"uses:      {', '.join(c.uses) or 'none'}"))
    out.print(_plain(f"premises (all): {', '.join(sorted(premises(G, c.id))) or 'none'}"))
    out.print(_plain(f"dependents:     {', '.join(sorted(unblocks(G, c.id))) or 'none'}"))
    out.print(_line("status:    ", (r.status, STYLE[r.status])))
    if r.evidence:
        ev = r.evidence
        out.print(_plain(f"evidence:  {ev.short()}"))
        for k, m in ev.measured.items():
            extra = f" +- {m.error}" if m.error else ""
            claimed = f"  (claimed {m.claimed})" if m.claimed else ""
            digits = f"  [{m.digits:g} digits]" if m.digits is not None else ""
            out.print(_plain(f"  {k}: {m.value}{extra}{claimed}{digits}"))
        if ev.grid:
            out.print(_plain(f"  grid: {ev.grid}"))


@main.command()
@click.argument("ids", nargs=-1, required=True)
@sources_options
def why(ids, claims, store):
    """Why claims are not verified: the chains of failed premises that block each
    (IDS: ids, topics or globs)."""
    _sections(claims, store, ids, _why_one)


def _why_one(out, report, cid):
    status = report.results[cid].status
    if status == "verified":
        out.print(_line(f"{cid} is ", ("verified", STYLE["verified"]),
                        ": its check and all its premises hold."))
        return
    out.print(_line(f"{cid} is ", (status, STYLE[status]), "."))
    own = {i: (r.own or "unchecked") for i, r in report.results.items()}
    for chain in why_chains(report.graph.subgraph(report.results), own, cid):
        root = report.results[chain[0]]
        reason = root.evidence.summary if root.evidence else "no current result (run verify)"
        out.print(_plain(f"  {' -> '.join(chain)}"))
        out.print(_line(f"    {chain[0]} is ", (own[chain[0]], STYLE[own[chain[0]]]), f": {reason}"))


def _image_path(ctx, param, value):
    """Click callback: refuse an output path matplotlib cannot write before anything is loaded."""
    from .plotting import PlotError, output_format
    try:
        output_format(value)
    except PlotError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@main.command()
@click.argument("claim_id")
@sources_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              callback=_image_path,
              help="Image file; its extension gives the format (.png, .pdf, .svg, ...).")
def plot(claim_id, claims, store, output):
    """Draw an asymptotic or scaling claim: computed/measured points, the law, residuals.

    Asymptotic claims are computed afresh on their validator grid; claims with a check use the
    series their current evidence records (re-running the check when no current result is stored).
    """
    import matplotlib
    matplotlib.use("Agg")                      # files only: no display needed
    import matplotlib.pyplot as plt

    from .plotting import PlotError, output_format, plot_claim
    from .validate.dispatch import run_check
    from .verify import current_report
    fmt = output_format(output)                # checked already by _image_path
    report = current_report(claims, store, [claim_id])
    r = report.results[_single(report, claim_id, "plot")]
    ev = r.evidence
    if r.claim.check is not None and (ev is None or not (ev.details or {}).get("plot")):
        ev = run_check(r.claim)
    fig = plot_claim(r.claim, ev)
    try:
        fig.savefig(output, dpi=120, format=fmt)
    except Exception as exc:                   # a label that fails only when rendered, a full disk
        raise PlotError(f"cannot plot {r.claim.id} to {output}: {type(exc).__name__}: "
                        + " ".join(str(exc).split())) from exc
    finally:
        plt.close(fig)
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
@click.argument("ids", nargs=-1, required=True)
@sources_options
def history(ids, claims, store):
    """Past verdicts of claims, newest first, marking the runs of each claim's current version
    (IDS: ids, topics or globs)."""
    _sections(claims, store, ids, lambda out, report, cid: _history_one(out, store, report.results[cid]))


def _history_one(out, store, result):
    cid = result.claim.id
    runs = store.history(cid)
    if not runs:
        out.print(_plain(f"{cid}: no stored runs"))
        return
    out.print(_line((cid, "bold")))
    t = Table(box=None, pad_edge=False)
    for col in ("when", "verdict", "version", "current", "summary"):
        t.add_column(col)
    for r in runs:
        t.add_row(_plain(r.when), _status_text(r.verdict), _plain(r.version),
                  _plain("yes" if r.claim_hash == result.hash else "stale"),
                  _plain(r.evidence.summary))
    out.print(t)


if __name__ == "__main__":  # pragma: no cover
    main()
