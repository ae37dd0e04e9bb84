"""The ``workbench`` command.

``verify``, ``list``, ``show``, ``why``, ``history``, ``plot``, ``graph``, ``export latex``,
``export html``,
``conjecture`` (:mod:`workbench.conjecture.command`).
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

from ._version import __version__
from .errors import WorkbenchError
from .executors import usable_cores
from .isolation import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from .loading import Sources
from .printing import text
from .printing.text import line as _line, plain as _plain
from .store import Store

__all__ = ["main"]


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


def sources_options(func=None, *, lazy=False):
    """Options --file, --no-builtin, --store; the command gets ``claims`` (loaded) and ``store``.
    With ``lazy``, ``claims`` is the :class:`~workbench.loading.Sources` itself, for
    :func:`workbench.verify.verify` to load through the store's manifests."""
    if func is None:
        return functools.partial(sources_options, lazy=lazy)

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
            if lazy and (sources.builtin or sources.files):
                with Store(store_path) as store:
                    return func(*args, claims=sources, store=store, **kwargs)
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


@main.command()
@click.argument("ids", nargs=-1)
@sources_options(lazy=True)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--force", is_flag=True, help="Re-run checks even when a stored result is current.")
@click.option("--jobs", "-j", default=None, type=click.IntRange(min=1),
              show_default=f"the usable cores: {usable_cores()}",
              help="Checks run at the same time (each in its own process); with --executor dask, "
                   "the number of workers started.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
              show_default="local, or dask with --scheduler",
              help="Where checks run: 'local', child processes of this one; 'dask', a Dask "
                   "LocalCluster of --jobs worker processes started for the run (needs "
                   "pip install 'dask[distributed]'). Either way each check runs in its "
                   "own process with the same limits and only this process writes the store.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None,
              help="Send the checks to this running Dask scheduler (implies --executor dask); "
                   "its workers need the same code installed and the --file paths readable.")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0),
              help="Seconds a check may run before it is stopped and recorded as an error "
                   "(0: no limit); a claim's own timeout= overrides it.")
@click.option("--memory-limit", "memory_mb", default=DEFAULT_MEMORY_MB, type=click.IntRange(min=0),
              show_default=f"half the physical memory: {DEFAULT_MEMORY_MB}",
              help="MiB of memory a check may use; past it the check is an error (0: no limit).")
@click.option("--no-isolate", is_flag=True,
              help="Run the checks inside this process, for debuggers and profilers: no time or "
                   "memory limit, output not captured, a crash ends the run.")
def verify(ids, claims, store, as_json, force, jobs, executor, scheduler, timeout, memory_mb,
           no_isolate):
    """Verify claims (IDS: ids, topics or globs; default all) and their premises.

    Each check runs in its own process: one that hangs, exits, crashes or runs out of
    memory becomes that claim's error and the run goes on; what it prints is kept in its
    evidence.  A stored error is always run again.
    """
    from .verify import verify as run
    limits = dict(store=store, force=force, jobs=jobs, timeout=timeout or None,
                  memory_mb=memory_mb or None, isolate=not no_isolate, executor=executor,
                  scheduler=scheduler)
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
            click.echo(text.progress_line(result, done, total))
        report = run(claims, ids, on_result=on_result, **limits)
    if as_json:
        from .printing.json import report_json
        click.echo(report_json(report))
    else:
        if interactive:
            out.print(text.summary_table(report))
        else:
            for cid, r in report.results.items():
                click.echo(text.result_line(cid, r))
        counts = ", ".join(f"{v} {k}" for k, v in sorted(report.counts().items()))
        ran = sum(1 for r in report.results.values() if r.evidence and not r.cached)
        out.print(_plain(f"{len(report.results)} claims ({counts}); {ran} checks run, "
                         f"{len(report.results) - ran} from the store; {report.runtime:.1f} s"))
    if report.unstored:
        _console(err=True).print(f"warning: {len(report.unstored)} results were not stored "
                                 f"(the store stayed locked): {', '.join(report.unstored)}",
                                 markup=False)
    sys.exit(0 if report.ok else 1)


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
@click.option("--json", "as_json", is_flag=True,
              help="Print the claims (id, kind, shape, status, title, typed) and a summary "
                   "(how many are typed, per shape, per status) as JSON.")
def list_(ids, claims, store, as_json):
    """List claims with their role (kind), shape and current stored status (stale results show
    as unchecked)."""
    from .verify import current_report
    report = current_report(claims, store, ids)
    if as_json:
        from .printing.json import claims_json
        click.echo(claims_json(report))
    else:
        _console().print(text.list_table(report))


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
    from .graph import premises, unblocks
    G = report.graph
    for row in text.claim_section(report, cid, sorted(premises(G, cid)), sorted(unblocks(G, cid))):
        out.print(row)


@main.command()
@click.argument("ids", nargs=-1, required=True)
@sources_options
def why(ids, claims, store):
    """Why claims are not verified: the chains of failed premises that block each
    (IDS: ids, topics or globs)."""
    _sections(claims, store, ids, _why_one)


def _why_one(out, report, cid):
    from .graph import why as why_chains
    own = {i: (r.own or "unchecked") for i, r in report.results.items()}
    chains = [] if report.results[cid].status == "verified" else \
        why_chains(report.graph.subgraph(report.results), own, cid)
    for row in text.why_section(report, cid, chains, own):
        out.print(row)


def _image_path(ctx, param, value):
    """Click callback: refuse an output path matplotlib cannot write before anything is loaded."""
    from .plotting import PlotError, output_format
    try:
        output_format(value)
    except PlotError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


class _Located:
    """The one claim a pattern names, found through the store's manifests (its module is
    imported only when :meth:`realise` is called; until then ``claim`` may be a stub)."""

    def __init__(self, sources, store, pattern: str):
        from .manifest import resolve
        self.store, self.pattern = store, pattern
        self.res = resolve(sources, store)
        self._find()

    def _find(self):
        from .graph import build_graph
        from .manifest import merkle
        from .verify import select
        G = build_graph(self.res.claims)
        hits = select(G, [self.pattern])
        if len(hits) != 1:
            shown = ", ".join(hits[:5]) + (", ..." if len(hits) > 5 else "")
            raise WorkbenchError(f"plot takes one claim, but {self.pattern!r} matches "
                                 f"{len(hits)} ({shown}); name one by its full id")
        self.claim = G.nodes[hits[0]]["claim"]
        run = self.store.lookup(self.claim.id, merkle(G, self.res.own)[self.claim.id])
        ok = run is not None and run.evidence.verdict != "error"
        self.evidence = run.evidence if ok else None     # the current, usable stored result

    def realise(self):
        """Import the claim's module (its claim object replaces the stub)."""
        if getattr(self.claim, "stub", False):
            self.res.realise({self.claim.module})
            self._find()


@main.command()
@click.argument("claim_id")
@sources_options(lazy=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              callback=_image_path,
              help="Image file; its extension gives the format (.png, .pdf, .svg, ...).")
@click.option("--rerun", is_flag=True,
              help="Run the claim's check again (result not stored) instead of drawing the "
                   "series its stored result records.")
def plot(claim_id, claims, store, output, rerun):
    """Draw a claim: what its evidence records, against the claim.

    The series comes from the claim's current stored result when it records one (an
    asymptotic claim's values, digits per point, mean +- SE per component, measured points
    against a law): nothing is computed.  Only when nothing usable is stored (or with
    --rerun) is it computed: an asymptotic sequence on its validator grid, any other claim's
    check run again.  A claim with nothing to plot gets one line saying why (exit code 2).
    """
    import matplotlib
    matplotlib.use("Agg")                      # files only: no display needed
    import matplotlib.pyplot as plt

    from .plotting import PlotError, draw_plot, output_format, plot_claim, stored_plot
    fmt = output_format(output)                # checked already by _image_path
    found = _Located(claims, store, claim_id)
    plot = None
    if found.evidence is not None and not rerun:
        with contextlib.suppress(PlotError):   # nothing to draw in it: computed below
            plot = stored_plot(found.claim, found.evidence)
    if plot is not None:
        fig = draw_plot(found.claim, plot)
    else:
        from .validate.dispatch import run_check
        found.realise()
        claim, stored = found.claim, found.evidence
        fig = plot_claim(claim, run_check(claim) if rerun else (lambda: stored or run_check(claim)))
    claim = found.claim
    try:
        fig.savefig(output, dpi=120, format=fmt)
    except Exception as exc:                   # a label that fails only when rendered, a full disk
        raise PlotError(f"cannot plot {claim.id} to {output}: {type(exc).__name__}: "
                        + " ".join(str(exc).split())) from exc
    finally:
        plt.close(fig)
    click.echo(f"wrote {output}" + (" (from the stored result)" if plot is not None else ""))


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


@export.command(name="html")
@click.argument("directory", type=click.Path(file_okay=False))
@sources_options
@click.option("--title", default="Derivation graph", show_default=True, help="The index's title.")
def export_html_cmd(directory, claims, store, title):
    """A static site of all claims (DIRECTORY/index.html) that works from file:// offline.

    The index draws the whole graph (nodes coloured by status, linked to one page per claim:
    statement, evidence, premises, dependents, source, plot, code, history).  Everything
    comes from the store; nothing is verified.  Run again, it rewrites only the files whose
    inputs changed (DIRECTORY/manifest.json).
    """
    import time

    from .export.html import export_html
    from .verify import current_report
    t0 = time.perf_counter()
    site = export_html(current_report(claims, store), directory, store=store, title=title)
    click.echo(f"wrote {len(site.written)} files, {len(site.kept)} unchanged, in "
               f"{time.perf_counter() - t0:.1f} s: {Path(site.root) / 'index.html'}")


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
    out.print(text.history_table(runs, result.hash))

from .conjecture.command import conjecture_command  # noqa: E402 - click only, imports lazily

main.add_command(conjecture_command)

if __name__ == "__main__":  # pragma: no cover
    main()
