"""Running checks on a Dask cluster (the optional ``distributed`` extra).

:func:`run_on_dask` sends checks to Dask workers and calls ``on_done(claim, evidence)``
exactly once per claim, in this (the client's) process, so that only the client writes
to the store.  Dask is imported only here and only when a Dask run is asked for.

What travels
    Not the claim: its *origin* (the importable module or the claim file that defines it),
    its id and its own hash (:func:`~workbench.hashing.own_hash`).  The worker loads the
    origin (once per worker process; a claim file again when it changed on disk), finds
    the claim, hashes it and refuses with an ``error`` verdict naming both hashes when
    they differ: the worker runs other code, other library versions or another version
    of the file, and its result would not be the result of the claim being stored.  So
    the evidence stored under a hash is always that of a claim with that hash, and
    nothing but an id, a path and a hash is pickled on the way in (claims hold sympy
    objects, lambdas and closures that would otherwise have to be pickled by value).
    A claim defined where no worker can load it (``__main__``, a notebook) is refused
    before anything runs, with a :class:`~workbench.errors.WorkbenchError`.  Evidence
    comes back as JSON, as from a local child process, so the numbers are the same.

Inside the worker
    The check runs as in a local run: in a forked child process with the run's time and
    memory limits (:func:`~workbench.isolation.run_isolated`, one check at a time).  The
    fork happens in the worker's task thread while the worker's event-loop thread is
    alive; the child only runs the check, writes its JSON to a pipe and leaves with
    ``os._exit``, never touching the worker's event loop, sockets or stdio objects (it
    opens its own), and dies with the worker (``PR_SET_PDEATHSIG``: the forking thread
    is alive until the child is reaped).  Clusters started here have one thread per
    worker, so at most one check runs per worker.

Failures
    A worker that dies mid-check (killed, out of memory) costs a re-run: the scheduler
    gives the task to another worker (up to ``distributed.scheduler.allowed-failures``
    times, 3 by default; after that the claim is an ``error`` naming it).  Each task's
    result reaches the client once, and the client records each claim once.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from .errors import WorkbenchError
from .evidence import Evidence

__all__ = ["usable_cores", "EXECUTORS", "Origin", "Task", "origins", "tasks", "dask_client",
           "run_on_dask", "check_remotely"]

#: Values of ``verify(executor=...)`` and ``workbench verify --executor``.
EXECUTORS = ("local", "dask")

#: Seconds to wait for a running scheduler to answer.
CONNECT_TIMEOUT = 20

INSTALL_HINT = "install it: pip install 'dask[distributed]' (the project's 'distributed' extra)"


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity): the default number of jobs."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:   # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise WorkbenchError(f"the Dask executor needs dask.distributed ({exc}); "
                             f"{INSTALL_HINT}") from None
    return distributed


# -- where a claim comes from ------------------------------------------------------
@dataclass(frozen=True)
class Origin:
    """Where a worker finds a claim: an importable ``module`` or a claim ``file`` (absolute)."""

    module: str | None = None
    file: str | None = None

    def __str__(self) -> str:
        return f"module {self.module}" if self.module else f"claim file {self.file}"


_USER_PREFIX = "workbench_user_"   # module names of claim files (workbench.loading.load_file)


def _origin_of(name: str, module) -> Origin | None:
    """The origin a worker can load ``module`` from, or None (``__main__``, no file)."""
    if name.startswith(_USER_PREFIX):
        path = getattr(module, "__file__", None)
        return Origin(file=os.path.abspath(path)) if path else None
    spec = getattr(module, "__spec__", None)
    if name in ("__main__", "__mp_main__") or spec is None or spec.name != name:
        return None
    return Origin(module=name)


def origins(claims: Iterable) -> dict[str, Origin]:
    """For each claim, the module or claim file that defines it (scanning the loaded modules
    for the :class:`~workbench.claims.Derivation` holding it).

    Raises :class:`~workbench.errors.WorkbenchError` naming the claims no worker could load.
    """
    from .claims import Derivation

    wanted = {id(c): c for c in claims}
    found: dict[str, Origin] = {}
    for name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict) or len(found) == len(wanted):
            continue
        holders = [v for v in list(namespace.values()) if isinstance(v, Derivation)]
        if not holders:
            continue
        origin = _origin_of(name, module)
        if origin is None:
            continue
        for d in holders:
            for c in d:
                if id(c) in wanted:
                    found.setdefault(c.id, origin)
    missing = sorted(c.id for c in wanted.values() if c.id not in found)
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise WorkbenchError(f"the Dask executor cannot send {shown}: a worker loads each claim "
                             "from an importable module or a claim file, and these are defined "
                             "elsewhere (__main__ or a notebook); put them in a file and load it "
                             "with --file / workbench.loading.load_file")
    return found


@dataclass(frozen=True)
class Task:
    """What is sent for one claim: where it is defined, its id, and its own hash."""

    origin: Origin
    claim_id: str
    own_hash: str


def tasks(claims: list) -> list[Task]:
    """The tasks of ``claims`` (see :func:`origins` for the claims that cannot be sent)."""
    from .hashing import own_hash

    where = origins(claims)
    memo: dict = {}
    return [Task(where[c.id], c.id, own_hash(c, _memo=memo)) for c in claims]


# -- the worker's side -------------------------------------------------------------
_FILE_STATE: dict[str, tuple[int, int]] = {}


def _load(origin: Origin) -> list:
    """The derivations of ``origin`` in this worker; a claim file is executed again when
    its size or modification time changed since it was last loaded here."""
    from .loading import load_file, load_module

    if origin.module:
        return load_module(origin.module)
    st = os.stat(origin.file)
    state = (st.st_mtime_ns, st.st_size)
    if _FILE_STATE.get(origin.file) != state:
        for name in [n for n, m in list(sys.modules.items()) if n.startswith(_USER_PREFIX)
                     and getattr(m, "__file__", None) == origin.file]:
            del sys.modules[name]
    found = load_file(origin.file)
    _FILE_STATE[origin.file] = state
    return found


def _find(origin: Origin, claim_id: str):
    for d in _load(origin):
        for c in d:
            if c.id == claim_id:
                return c
    raise WorkbenchError(f"{origin} defines no claim {claim_id} on this worker")


def check_remotely(task: Task, timeout: float | None, memory_mb: float | None,
                   isolate: bool = True) -> str:
    """What a worker runs: load the claim, refuse it unless its own hash is the task's,
    run its check as a local run would, and return the evidence as JSON.
    Never raises: every failure is an ``error`` evidence."""
    from .hashing import own_hash
    from .isolation import run_in_process, run_isolated

    origin, claim_id, expected_hash = task.origin, task.claim_id, task.own_hash
    t0 = time.perf_counter()
    where = _worker_name()
    try:
        claim = _find(origin, claim_id)
        got = own_hash(claim)
    except Exception as exc:   # noqa: BLE001 - reported as the claim's error
        return Evidence.error(f"the Dask worker {where} could not load {claim_id} from {origin}: "
                              f"{type(exc).__name__}: {exc}", time.perf_counter() - t0).to_json()
    if got != expected_hash:
        return Evidence.error(
            f"refused by the Dask worker {where}: its {claim_id} has own hash {got[:12]}, "
            f"the client's has {expected_hash[:12]} (the worker runs other code, library "
            "versions or claim file; install the same on the workers and restart them)",
            time.perf_counter() - t0, worker_hash=got, client_hash=expected_hash).to_json()
    if not isolate:
        return run_in_process(claim).to_json()
    out: list[Evidence] = []
    run_isolated([claim], lambda _claim, ev: out.append(ev), jobs=1, timeout=timeout,
                 memory_mb=memory_mb)
    return out[0].to_json()


def _worker_name() -> str:
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"


# -- the client's side -------------------------------------------------------------
@contextlib.contextmanager
def dask_client(scheduler: str | None = None, n_workers: int = 1) -> Iterator:
    """A Dask client: connected to the scheduler at ``scheduler`` (``tcp://HOST:PORT``), or
    to a :class:`~distributed.LocalCluster` of ``n_workers`` processes with one thread
    each, started here and closed on exit."""
    distributed = _import_distributed()
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise WorkbenchError(f"cannot reach the Dask scheduler at {scheduler}: "
                                 f"{type(exc).__name__}: {exc}") from None
        with client:
            yield client
        return
    # no dashboard; the scheduler's HTTP endpoints on a free port (8787 may be taken)
    with distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None,
                                  scheduler_kwargs={"dashboard_address": ":0"}) as cluster, \
            distributed.Client(cluster) as client:
        yield client


def run_on_dask(client, claims: list, on_done: Callable[[object, Evidence], None], *,
                timeout: float | None, memory_mb: float | None, isolate: bool = True,
                prepared: list[Task] | None = None) -> None:
    """Run each claim's check on the client's cluster, earlier claims first; call
    ``on_done(claim, evidence)`` once per claim, in this process, as each result arrives.
    ``prepared`` are the claims' :func:`tasks`, when already computed.  On an exception
    here (e.g. KeyboardInterrupt, or one raised by ``on_done``) the remaining tasks are
    cancelled before it propagates."""
    distributed = _import_distributed()
    prepared = tasks(claims) if prepared is None else prepared
    by_key, futures = {}, []
    tag = os.urandom(4).hex()
    for rank, (claim, task) in enumerate(zip(claims, prepared)):
        fut = client.submit(check_remotely, task, timeout, memory_mb, isolate,
                            key=f"workbench-check-{claim.id}-{tag}", pure=False,
                            priority=len(claims) - rank)
        by_key[fut.key] = claim
        futures.append(fut)
    try:
        for fut in distributed.as_completed(futures):
            claim = by_key[fut.key]
            on_done(claim, _evidence(fut, claim))
            fut.release()
    finally:
        client.cancel([f for f in futures if not f.done()])


def _evidence(fut, claim) -> Evidence:
    """The evidence a finished task brought back, or an ``error`` saying why there is none."""
    if fut.status == "finished":
        try:
            return Evidence.from_json(fut.result())
        except (ValueError, TypeError) as exc:
            return Evidence.error(f"the Dask worker sent an unreadable result ({exc})")
    if fut.status == "cancelled":
        return Evidence.error("the Dask scheduler cancelled the check (lost workers or connection)")
    exc = fut.exception()
    name = type(exc).__name__
    if name == "KilledWorker":
        return Evidence.error(f"the check was running on every Dask worker that died "
                              f"({exc}); see distributed.scheduler.allowed-failures")
    return Evidence.error(f"the Dask task failed: {name}: {exc}")
