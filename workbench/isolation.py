"""Running checks in child processes, so that a check cannot harm the run.

Each check runs in its own forked child process (the parent already holds the
loaded claims, so nothing is pickled on the way in; the evidence comes back
as JSON through a pipe).  The supervisor :func:`run_isolated` runs at most
``jobs`` children at a time and guarantees, for every claim it is given,
exactly one call ``on_done(claim, evidence)``, whatever the check does:

- a check past its time limit is stopped (SIGTERM, then SIGKILL after
  :data:`GRACE` seconds) and becomes an ``error`` naming the limit;
- a child that dies without a result (``os._exit``, a segfault in compiled
  code, the out-of-memory killer) becomes an ``error`` naming the exit code
  or signal;
- memory: the child's data segment is capped (``RLIMIT_DATA``, which counts
  heap and private anonymous mappings but not the large virtual reservations
  of numba/LLVM and OpenBLAS), so exhausting it is a ``MemoryError`` (an
  ``error``) or a kill (an ``error``), not a frozen machine;
- stdout and stderr are captured at the file-descriptor level (C and numba
  prints too); at most :data:`EXCERPT` characters of each (all of it, or its
  beginning and its end) are kept in ``evidence.details["stdout"]``/``["stderr"]``;
- mpmath starts at its default precision (15 digits, not pretty: see
  :func:`~workbench.validate.run_check`), and BLAS libraries use one thread (several children must not oversubscribe the
  cores, and the results must not depend on ``jobs``);
- the child's peak resident memory is recorded in
  ``evidence.details["peak_rss_mb"]``.

A child is the leader of its own process group (the group is killed when the
check ends, so processes a check started do not outlive it) and is killed
when the supervising process dies (Linux ``PR_SET_PDEATHSIG``).

POSIX only (``os.fork``).  :func:`run_in_process` runs a check in the calling
process instead (for debuggers and profilers): it resets mpmath and catches
``sys.exit`` but enforces no time or memory limit and captures nothing.
"""

from __future__ import annotations

import os
import resource
import selectors
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .evidence import Evidence

__all__ = ["DEFAULT_TIMEOUT", "DEFAULT_MEMORY_MB", "EXCERPT", "GRACE", "run_isolated",
           "run_in_process"]

#: Default time limit of one check, in seconds.  The slowest built-in checks take about
#: 100 s on a loaded 2-core machine; 900 s leaves a wide margin.
DEFAULT_TIMEOUT = 900.0

#: Default memory limit of one check, in MiB: half the physical memory.  The same for
#: every ``jobs``, so that a check's verdict does not depend on how many run beside it.
try:
    DEFAULT_MEMORY_MB = int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2 ** 21)
except (ValueError, OSError, AttributeError):  # pragma: no cover - not Linux
    DEFAULT_MEMORY_MB = 8192

#: Characters of captured stdout/stderr kept in the evidence (the beginning and end of longer ones).
EXCERPT = 2000

#: Seconds between SIGTERM and SIGKILL when a check is stopped.
GRACE = 1.0

_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def run_in_process(claim) -> Evidence:
    """The claim's check in this process: mpmath reset and ``sys.exit`` caught (by
    :func:`~workbench.validate.run_check`); no time or memory limit, nothing captured."""
    from .validate import run_check   # imported when a check runs, not with the module
    return run_check(claim)


# -- the child ---------------------------------------------------------------------
def _libc_prctl():
    """libc's ``prctl`` (Linux), looked up once in the parent: a child that loads ctypes
    itself pays ~3 ms."""
    if not sys.platform.startswith("linux"):   # pragma: no cover
        return None
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):          # pragma: no cover
        return None


_PRCTL = _libc_prctl()
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    if os.getppid() != parent_pid:             # the parent died before prctl
        os._exit(1)


def _child(claim, result_fd: int, out_fd: int, err_fd: int, memory_mb: float | None,
           parent_pid: int) -> None:
    """Body of a forked child: set limits and redirections, run the check, write the
    evidence as JSON to ``result_fd``, and leave with ``os._exit`` (never returns)."""
    code = 0
    try:
        os.setpgid(0, 0)
        _die_with_parent(parent_pid)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        sys.stdin = open(0, closefd=False)
        sys.stdout = open(1, "w", closefd=False, buffering=1, errors="backslashreplace")
        sys.stderr = open(2, "w", closefd=False, buffering=1, errors="backslashreplace")
        import faulthandler
        faulthandler.enable(sys.stderr)        # a segfault leaves a Python traceback in stderr
        if memory_mb:
            soft = int(memory_mb * 2 ** 20)
            hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
        for var in _THREAD_VARS:               # BLAS libraries first loaded by the check
            os.environ[var] = "1"
        from .validate import run_check   # the parent imported it before forking (verify)
        payload = run_check(claim).to_json().encode()
        view = memoryview(payload)
        while view:
            view = view[os.write(result_fd, view):]
    except BaseException as exc:               # noqa: BLE001 - the child must reach os._exit
        code = 70
        try:
            os.write(2, f"\nworkbench: the check process failed: {type(exc).__name__}: {exc}\n"
                     .encode(errors="replace"))
        except BaseException:                  # noqa: BLE001
            pass
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:              # noqa: BLE001
                pass
        os._exit(code)


# -- the supervisor ----------------------------------------------------------------
@dataclass(eq=False)
class _Job:
    claim: object
    pid: int
    result_fd: int
    pidfd: int | None
    out: object          # temporary files holding the child's stdout/stderr
    err: object
    started: float
    deadline: float | None
    timeout: float | None
    chunks: list = field(default_factory=list)
    stopped: str | None = None     # why the supervisor stopped it ("timeout")
    kill_at: float | None = None


def _limit(value) -> float | None:
    return None if value is None or value <= 0 or value == float("inf") else float(value)


def _start(claim, timeout, memory_mb) -> _Job:
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    r, w = os.pipe()
    for stream in (sys.stdout, sys.stderr):    # else buffered output is copied into the child
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:                               # the child never returns from _child
        os.close(r)
        _child(claim, w, out.fileno(), err.fileno(), memory_mb, parent)
    os.close(w)
    try:
        os.setpgid(pid, pid)                   # also here: no race with the child's own call
    except OSError:
        pass
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):          # pragma: no cover - old kernel / not Linux
        pidfd = None
    os.set_blocking(r, False)
    t = _limit(claim.timeout if getattr(claim, "timeout", None) is not None else timeout)
    now = time.monotonic()
    return _Job(claim, pid, r, pidfd, out, err, now, None if t is None else now + t, t)


def _signal_group(pid: int, sig: int, group_only: bool = False) -> None:
    """Signal the child's process group (the child alone if it has none).  Only for a child
    not yet reaped, whose pid cannot have been reused."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        if group_only:
            return
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _exited(pid: int) -> bool:
    """True when the child has ended (it is left unreaped)."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _drain(job: _Job) -> bool:
    """Read what the child wrote; True at end of file."""
    while True:
        try:
            chunk = os.read(job.result_fd, 1 << 16)
        except BlockingIOError:
            return False
        if not chunk:
            return True
        job.chunks.append(chunk)


def _tail(f, nbytes: int) -> tuple[str, int]:
    """The last ``nbytes`` of a captured stream as text, and the stream's size in bytes."""
    size = f.seek(0, os.SEEK_END)
    f.seek(max(0, size - nbytes))
    return f.read().decode(errors="replace"), size


def _excerpt(f, size: int) -> str:
    """A captured stream, or when longer than EXCERPT characters its beginning and end
    (EXCERPT/2 characters each: the first error and the last state) around a marker."""
    f.seek(0)
    head = f.read(4 * EXCERPT).decode(errors="replace")
    if size <= 4 * EXCERPT and len(head) <= EXCERPT:
        return head
    half = EXCERPT // 2
    tail = _tail(f, 4 * half)[0][-half:]
    return f"{head[:half]}\n[... {size} bytes in all, cut here ...]\n{tail}"


def _death(status: int) -> str:
    """Why a child ended without a result, from its wait status."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        text = f"killed by {name} ({signal.strsignal(sig) or 'unknown signal'})"
        if sig == signal.SIGKILL:
            text += "; the kernel's out-of-memory killer sends it"
        return text
    return f"exited with code {os.WEXITSTATUS(status)}"


def _last_words(stderr: str) -> str:
    """Where a dead child was, from faulthandler's traceback (innermost frame), else its
    last line of stderr."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    for k, line in enumerate(lines):
        if line.startswith("Fatal Python error"):
            frame = next((ln for ln in lines[k + 1:] if ln.startswith("File ")), "")
            return f"{line}" + (f", innermost frame: {frame}" if frame else "")
    last = lines[-1] if lines else ""
    return f"last stderr line: {last[:300]}" if last else ""


def _finish(job: _Job, status: int, rusage, memory_mb) -> Evidence:
    _drain(job)
    elapsed = time.monotonic() - job.started
    ev = None
    if job.stopped is None and job.chunks:
        try:
            ev = Evidence.from_json(b"".join(job.chunks).decode())
        except (ValueError, TypeError) as exc:
            ev = Evidence.error(f"the check process sent an unreadable result ({exc})", elapsed)
    err_tail = _tail(job.err, 1 << 16)[0]
    if ev is None:
        if job.stopped == "timeout":
            ev = Evidence.error(f"timed out: the check ran past its time limit of {job.timeout:g} s "
                                "and was stopped (raise it with timeout= on the claim or "
                                "verify --timeout)", elapsed)
        else:
            hint = _last_words(err_tail)
            ev = Evidence.error(f"the check process died without a result: {_death(status)}"
                                + (f"; {hint}" if hint else ""), elapsed)
    elif ev.verdict == "error" and ev.summary.startswith("MemoryError") and memory_mb:
        ev.summary += f" (memory limit {memory_mb:g} MiB per check; see verify --memory-limit)"
    for name, f in (("stdout", job.out), ("stderr", job.err)):
        size = f.seek(0, os.SEEK_END)
        if size:
            ev.details[name] = _excerpt(f, size)
    ev.details["peak_rss_mb"] = round(rusage.ru_maxrss / 1024, 1)   # kB on Linux
    return ev


def _close(job: _Job) -> None:
    for fd in (job.result_fd, job.pidfd):
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
    job.out.close()
    job.err.close()


def run_isolated(claims: Iterable, on_done: Callable[[object, Evidence], None], *, jobs: int = 1,
                 timeout: float | None = DEFAULT_TIMEOUT,
                 memory_mb: float | None = DEFAULT_MEMORY_MB) -> None:
    """Run each claim's check in its own child process, at most ``jobs`` at a time, in the
    given order; call ``on_done(claim, evidence)`` once per claim as each one ends.

    ``timeout`` (seconds) applies to claims without their own ``timeout``; ``None``, 0 or
    infinity means no limit, as does ``memory_mb`` of ``None`` or 0.  On any exception in the
    caller (e.g. KeyboardInterrupt, or one raised by ``on_done``) every running child is killed
    and reaped before it propagates.
    """
    from threadpoolctl import threadpool_limits

    from . import validate  # noqa: F401 - imported once here, shared by every forked child
    queue = list(claims)[::-1]
    memory_mb = _limit(memory_mb)
    running: dict[int, _Job] = {}
    sel = selectors.DefaultSelector()
    try:
        # The children inherit one BLAS thread (cheaper than limiting in each child: 4 ms once
        # against 20 ms per child).  Children that each keep the parent's thread pool
        # oversubscribe the cores: measured 40x slower on 2 cores (bahri_regimes/
        # resolution-limited-D: 5 s alone, 230 s beside another worker).
        with threadpool_limits(1):
            while queue or running:
                while queue and len(running) < jobs:
                    job = _start(queue.pop(), timeout, memory_mb)
                    running[job.pid] = job
                    sel.register(job.result_fd, selectors.EVENT_READ, job)
                    if job.pidfd is not None:
                        sel.register(job.pidfd, selectors.EVENT_READ, job)
                now = time.monotonic()
                waits = [t for t in map(_next_event, running.values()) if t is not None]
                poll = 0.05 if any(j.pidfd is None for j in running.values()) else None
                wait = min([max(0.0, t - now) for t in waits] + ([poll] if poll else []), default=None)
                ready = {key.data for key, _ in sel.select(wait)}
                for job in ready:
                    if job.result_fd in sel.get_map():
                        if _drain(job):
                            sel.unregister(job.result_fd)
                for job in list(running.values()):
                    if (job.pidfd is not None and job not in ready) or not _exited(job.pid):
                        _enforce_deadline(job)
                        continue
                    # the exited child still holds its pid and group (a zombie): kill what the
                    # check left behind in its group, then reap the child
                    _signal_group(job.pid, signal.SIGKILL, group_only=True)
                    _, status, rusage = os.wait4(job.pid, 0)
                    for fd in (job.result_fd, job.pidfd):
                        if fd is not None and fd in sel.get_map():
                            sel.unregister(fd)
                    del running[job.pid]
                    ev = _finish(job, status, rusage, memory_mb)
                    _close(job)
                    on_done(job.claim, ev)
    finally:
        for job in running.values():
            _signal_group(job.pid, signal.SIGKILL)
            try:
                os.waitpid(job.pid, 0)
            except ChildProcessError:
                pass
            _close(job)
        sel.close()


def _next_event(job: _Job) -> float | None:
    """When the supervisor must next act on a running job (SIGTERM or SIGKILL), if ever."""
    if job.kill_at is not None:
        return job.kill_at
    return job.deadline if job.stopped is None else None


def _enforce_deadline(job: _Job) -> None:
    now = time.monotonic()
    if job.kill_at is not None and now >= job.kill_at:
        _signal_group(job.pid, signal.SIGKILL)
        job.kill_at = None
    elif job.stopped is None and job.deadline is not None and now >= job.deadline:
        job.stopped = "timeout"
        _signal_group(job.pid, signal.SIGTERM)
        job.kill_at = now + GRACE
