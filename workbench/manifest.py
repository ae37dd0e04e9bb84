"""Manifests: a derivation module's claims and hashes, remembered so that an unchanged module
is not imported.

A warm ``workbench verify`` (every result stored and current) used to import every
derivation module -- and through them sympy, numba, scipy and the kernels -- only to compute
the hashes that show nothing needs to run.  The store now keeps, per registered derivation
module, a *manifest*: its claims (id, premises, title, kind, shape, declared inputs) with
their **own** hashes (:func:`workbench.hashing.own_hash`), under a *key*.  When the key
computed now matches, the module is not imported: its claims are :class:`ClaimStub` objects
carrying the remembered own hashes; effective hashes are combined from them (:func:`merkle`,
the same function :func:`~workbench.hashing.effective_hashes` uses) and the stored results are
looked up by those hashes.  A stub whose result is missing, stale or an error makes the runner
import that module (:meth:`Resolution.realise`) and take the full path: real claims, hashes
computed afresh, the checks run.  Anything unexpected (a row that does not parse, a key that
does not match, two modules declaring one id) also means the full path.

Why the key is sound
--------------------
The full path's own hash of a claim is a function of (a) the claim objects built by
importing its module and (b) the coarse inputs :mod:`workbench.hashing` adds (the sources of
the ours modules reached, the engine source, library versions, input file contents).
Importing a module is running code; its result is a function of:

1. **the source of every ours module it imports, transitively** -- the key holds the path and
   content digest of every module of the *static* closure (imports found with :mod:`ast`
   anywhere in a file, parents, literal ``import_module``; located with the import system's
   own finders but without importing: :func:`workbench.dependencies._locate` with
   ``loaded=False``), whole files, not the masked text the fine-grained layer uses (any edit
   of a claim file defeats the manifest; the full path then re-runs only the claims whose
   fine-grained hash changed).  Every module the full hashing itself reached (globals,
   function ``__module__``, module attributes: ``memo["reached"]``) must be in that closure
   and each loaded module's ``__file__`` must be the statically located file, else no
   manifest is written.  Modules imported under a computed name are the hashing layer's
   blind spot already; a computed ``import_module``/``__import__`` also refuses a manifest.
   Installed (not ours) modules named by those imports are pinned by the path they are
   found at now (a local file shadowing ``numpy`` changes it);
2. **the engine** (the whole ``workbench`` package source: :func:`~workbench.dependencies.engine_digest`)
   and **libraries**: the versions the full hash pins, Python's version, and the names (which
   carry versions) of *every* installed distribution on ``sys.path``, stricter than the full
   path;
3. **the entry-point list** (every module registered in ``workbench.derivations``, with its
   distribution): registering a new topic, or dropping one, defeats every manifest (a module
   may in principle see another's side effects);
4. **the environment read at import**: environment variables read by literal name anywhere
   in the closure's sources (``os.environ["X"]``, ``.get("X")``, ``os.getenv("X")``,
   ``"X" in os.environ``) are keyed by value; any other read of the outside world in the
   closure's sources -- environment by a computed name, ``sys.argv``, files (``open``,
   ``read_text``, ``np.load``, directory listings), clocks, the global random state or an
   unseeded generator, the host -- makes the module *unmanifestable*: it always takes the full
   path (conservative: the whole file is scanned, function bodies too, since module-level
   code may call them);
5. **declared inputs** (``inputs=``): each claim's files are re-digested and compared.

A claim whose hashing met a value that cannot be hashed stably (its full-path hash changes on
every run, so its results are never reused) is never remembered: the module gets no manifest.
``--file`` claim files are always loaded (they are user files, cheap, and often edited).
The key also covers the row's own text, so a corrupted or foreign row (another module's, an
older format) never matches and is ignored.  Blind spots beyond the hashing layer's: the
engine's *module-level* state is trusted to be a function of its source (it is hashed whole);
a read of the outside world written in a way the scan does not recognise (e.g. through a
helper of an installed package that reads a file or the clock at import).
"""

from __future__ import annotations

import ast
import hashlib
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache

from . import dependencies as deps

__all__ = ["ClaimStub", "Resolution", "resolve", "merkle", "environment_key", "FORMAT"]

log = logging.getLogger(__name__)

#: Format of manifest rows; part of the key, so rows of another format are ignored.
FORMAT = "workbench-manifest-1"


# -- effective hashes ----------------------------------------------------------------------
def merkle(G, own: dict[str, str]) -> dict[str, str]:
    """Effective hashes: each node's own hash plus its premises' effective hashes (in order)."""
    import networkx as nx
    out: dict[str, str] = {}
    for n in nx.lexicographical_topological_sort(G):
        premise_part = ",".join(f"{p}={out[p]}" for p in sorted(G.predecessors(n)))
        out[n] = hashlib.sha256((own[n] + "|" + premise_part).encode()).hexdigest()
    return out


# -- claims known from a manifest ----------------------------------------------------------
class StubKind(str):
    """A claim's role read from a manifest: a string with ``.value``, like :class:`~workbench.claims.Kind`."""

    @property
    def value(self) -> str:
        return str(self)


@dataclass(frozen=True)
class ClaimStub:
    """What the report needs of a claim whose module was not imported (see the module doc).
    It cannot be run: the runner imports its ``module`` first."""

    id: str
    title: str
    kind: StubKind
    shape: str
    uses: tuple[str, ...]
    module: str
    inputs: tuple[str, ...] = ()

    stub = True

    @property
    def topic(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[1]

    def __repr__(self):
        return f"ClaimStub({self.id!r}, kind={str(self.kind)!r})"


# -- the environment part of the key -------------------------------------------------------
def _distributions() -> list[str]:
    """Names of the installed distributions' metadata folders on ``sys.path`` (they carry the
    versions), with the folder they are in."""
    out = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        out.update(f"{entry}:{n}" for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(out)


def environment_key(registrations: dict[str, str]) -> str:
    """Digest of everything every manifest depends on: the engine source, library versions,
    Python, the installed distributions, and the registered derivation modules."""
    parts = [FORMAT, deps.engine_digest(), repr(sorted(deps.library_versions().items())),
             sys.version, sys.implementation.cache_tag or "", repr(_distributions()),
             repr(sorted(registrations.items()))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# -- what a module's import can depend on, found statically --------------------------------
#: Calls that read the outside world (files, clocks, host, process); a module whose closure
#: makes one is never manifested.
_WORLD_CALLS = frozenset({
    "open", "read_text", "read_bytes", "loadtxt", "genfromtxt", "fromfile", "read_csv", "load",
    "urlopen", "urandom", "getcwd", "cwd", "home", "expanduser", "cpu_count", "sched_getaffinity",
    "listdir", "scandir", "iterdir", "glob", "rglob", "walk", "exists", "is_file", "is_dir", "stat",
    "getmtime", "getsize", "time", "time_ns", "perf_counter", "perf_counter_ns", "monotonic",
    "process_time", "now", "today", "utcnow", "uuid1", "uuid4", "getrandbits", "gethostname",
    "getpid", "uname", "getlogin", "import_module", "__import__"})
#: Random-number constructors that are deterministic when given a seed.
_SEEDABLE = frozenset({"default_rng", "Generator", "PCG64", "PCG64DXSM", "Philox", "SFC64",
                       "MT19937", "SeedSequence", "RandomState", "Random", "BitGenerator"})
_RANDOM_MODULES = frozenset({"random", "numpy.random"})


def _is_environ(node) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or \
        (isinstance(node, ast.Name) and node.id == "environ")


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _func_name(func) -> str | None:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _global_random(func) -> bool:
    """``random.x(...)`` or ``np.random.x(...)``: the process-wide random state."""
    if not isinstance(func, ast.Attribute) or func.attr in _SEEDABLE:
        return False
    base = func.value
    return (isinstance(base, ast.Name) and base.id == "random") or \
        (isinstance(base, ast.Attribute) and base.attr == "random")


@lru_cache(maxsize=1024)
def _scan(digest: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """``(environment variables read by literal name, reasons the module reads the outside
    world)`` of the ``.py`` file with this content digest."""
    tree = deps._tree(digest)
    if tree is None:
        return frozenset(), ("does not parse",)
    env: set[str] = set()
    reasons: list[str] = []
    accounted: set[int] = set()          # environ nodes read by a literal name
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            name = _literal(node.slice)
            if name is not None or isinstance(node.ctx, ast.Store):
                env.update([name] if name else [])
                accounted.add(id(node.value))
        elif isinstance(node, ast.Compare) and len(node.comparators) == 1 and \
                isinstance(node.ops[0], (ast.In, ast.NotIn)) and _is_environ(node.comparators[0]) \
                and _literal(node.left) is not None:
            env.add(_literal(node.left))
            accounted.add(id(node.comparators[0]))
        elif isinstance(node, ast.Call):
            name = _func_name(node.func)
            first = _literal(node.args[0]) if node.args else None
            if name == "getenv" and first is not None:
                env.add(first)
            elif name == "get" and isinstance(node.func, ast.Attribute) and \
                    _is_environ(node.func.value) and first is not None:
                env.add(first)
                accounted.add(id(node.func.value))
            elif name in ("getenv",):
                reasons.append(f"line {node.lineno}: reads the environment by a computed name")
            elif name in ("import_module", "__import__") and first is not None:
                continue                  # a literal import: in the static closure
            elif name in _WORLD_CALLS:
                reasons.append(f"line {node.lineno}: calls {name}()")
            elif _global_random(node.func):
                reasons.append(f"line {node.lineno}: uses the global random state")
            elif name in _SEEDABLE and not node.args and not node.keywords:
                reasons.append(f"line {node.lineno}: an unseeded {name}()")
        elif isinstance(node, ast.Attribute) and node.attr == "argv":
            reasons.append(f"line {node.lineno}: reads sys.argv")
        elif isinstance(node, ast.ImportFrom) and node.module in _RANDOM_MODULES and \
                any(a.name not in _SEEDABLE for a in node.names):
            reasons.append(f"line {node.lineno}: imports the global random state")
    for node in ast.walk(tree):
        if _is_environ(node) and id(node) not in accounted:
            reasons.append(f"line {node.lineno}: reads the environment by a computed name")
    return frozenset(env), tuple(reasons)


@dataclass
class Closure:
    """The static dependency closure of some modules: ours modules ``(path, digest)``,
    not-ours names with where they are found now, environment variables read, and why the
    closure cannot be manifested (empty when it can)."""

    ours: dict[str, tuple[str, str]] = field(default_factory=dict)
    foreign: dict[str, str | None] = field(default_factory=dict)
    env: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)


def static_closure(roots) -> Closure:
    """Follow ``import`` statements from ``roots`` through ours modules, reading files only."""
    out = Closure()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in out.ours or name in out.foreign or name.split(".")[0] == "workbench":
            continue                      # the engine is keyed whole (engine_digest)
        path = deps._locate(name, loaded=False)
        if not deps.is_ours(name, path):
            out.foreign[name] = path
            continue
        digest = deps.file_digest(path)
        out.ours[name] = (path, digest)
        stack.extend(deps._parents(name))
        if path.endswith(".py"):
            package = name if os.path.basename(path) == "__init__.py" else name.rpartition(".")[0]
            stack.extend(deps._static_imports(digest, package))
            env, reasons = _scan(digest)
            out.env |= env
            out.reasons.extend(f"{name} {r}" for r in reasons)
        else:
            out.reasons.append(f"{name} is not a Python source file ({path})")
    return out


# -- manifest rows -------------------------------------------------------------------------
def _row_key(env_key: str, module: str, data: str, env_values: dict) -> str:
    text = "\n".join([FORMAT, env_key, module, data, json.dumps(env_values, sort_keys=True)])
    return hashlib.sha256(text.encode()).hexdigest()


def _env_values(names) -> dict[str, str | None]:
    return {n: os.environ.get(n) for n in sorted(names)}


def _unchanged(data: dict) -> bool:
    """Every file the row recorded is found at the same place with the same content."""
    for name, path, digest in data["closure"]:
        if deps._locate(name, loaded=False) != path or deps.file_digest(path) != digest:
            return False
    for name, path in data["foreign"]:
        if deps._locate(name, loaded=False) != path:
            return False
    for c in data["claims"]:
        for path, digest in c["inputs"]:
            if deps.file_digest(path) != digest:
                return False
    return True


def lookup(store, module: str, env_key: str):
    """``(stubs, own hashes)`` of ``module`` from a current manifest row, or None.  A row that
    does not parse, is another module's, or whose key does not match now is ignored."""
    for key, text in store.manifests(module):
        try:
            data = json.loads(text)
            if data.get("module") != module or data.get("format") != FORMAT:
                continue
            if key != _row_key(env_key, module, text, _env_values(data["env"])):
                continue
            if not _unchanged(data):
                continue
            stubs, own = [], {}
            for c in data["claims"]:
                stubs.append(ClaimStub(c["id"], c["title"], StubKind(c["kind"]), c["shape"],
                                       tuple(c["uses"]), module, tuple(p for p, _ in c["inputs"])))
                own[c["id"]] = c["own"]
            return stubs, own
        except (ValueError, TypeError, KeyError, AttributeError, OSError) as exc:
            log.debug("manifest row of %s ignored: %s: %s", module, type(exc).__name__, exc)
    return None


def manifest_data(module: str, claims, own: dict[str, str], reached: set[str]):
    """The row text for a freshly imported ``module`` (its claims and their own hashes), or
    ``(None, reason)`` when it must not be remembered (see the module doc)."""
    closure = static_closure([module, *sorted(reached)])
    if closure.reasons:
        return None, closure.reasons[0]
    full = deps.module_closure(sorted({module} | set(reached)))   # what the full path hashed
    missing = sorted(set(full) - set(closure.ours))
    if missing:
        return None, f"modules outside the static closure: {', '.join(missing[:3])}"
    for name, (path, _) in closure.ours.items():
        loaded = sys.modules.get(name)
        file = getattr(loaded, "__file__", None) if loaded is not None else None
        if loaded is not None and (file is None or os.path.realpath(file) != os.path.realpath(path)):
            return None, f"{name} is loaded from {file}, not {path}"
    rows = []
    for c in claims:
        inputs = [[p, deps.file_digest(p)] for p in c.inputs]
        rows.append({"id": c.id, "title": c.title, "kind": c.kind.value, "shape": c.shape,
                     "uses": list(c.uses), "own": own[c.id], "inputs": inputs})
    data = {"format": FORMAT, "module": module,
            "closure": sorted([n, p, d] for n, (p, d) in closure.ours.items()),
            "foreign": sorted([n, p] for n, p in closure.foreign.items()),
            "env": sorted(closure.env), "claims": rows}
    return json.dumps(data, sort_keys=True), sorted(closure.env)


def remember(store, module: str, env_key: str, claims, own, reached) -> bool:
    """Write the manifest of a freshly imported module (False, logged, when it cannot be)."""
    text, env = manifest_data(module, claims, own, reached)
    if text is None:
        log.debug("no manifest for %s: %s", module, env)
        return False
    key = _row_key(env_key, module, text, _env_values(env))
    return store.record_manifest(module, key, text)


# -- loading claims through manifests ------------------------------------------------------
class _Fallback(Exception):
    """Stubs cannot stand for the modules (an id declared twice): import everything."""


@dataclass
class Resolution:
    """The claims of some sources: real claims, and stubs of the modules whose manifest is
    current; ``own`` holds every claim's own hash."""

    sources: object
    store: object
    env_key: str | None
    registered: dict[str, str]
    modules: dict[str, list] = field(default_factory=dict)   # module -> claims (real or stubs)
    files: list = field(default_factory=list)                # (path, claims)
    own: dict[str, str] = field(default_factory=dict)
    claims: list = field(default_factory=list)
    memo: dict = field(default_factory=dict)                 # shared by the own-hash passes

    @property
    def stubbed(self) -> set[str]:
        """Modules not imported (their claims are stubs)."""
        return {m for m, cs in self.modules.items() if cs and getattr(cs[0], "stub", False)}

    def realise(self, modules) -> None:
        """Import ``modules`` (their stubs become claims, their hashes are computed afresh and
        their manifests rewritten) and re-merge."""
        for m in sorted(modules):
            self.modules[m] = self._import(m)
        self._merge()

    def _import(self, name: str) -> list:
        from .hashing import own_hash, volatile_count
        from .loading import claims_of, load_module
        claims = claims_of(load_module(name))
        memo = self.memo
        memo["reached"] = set()
        before = volatile_count()
        for c in claims:
            self.own[c.id] = own_hash(c, _memo=memo)
        if self.store is not None and self.env_key is not None and volatile_count() == before:
            remember(self.store, name, self.env_key, claims, self.own, memo["reached"])
        return claims

    def _merge(self) -> None:
        """``claims`` from modules (sorted) then files, with :func:`workbench.loading.load`'s
        rules for an id declared twice; stubs of one id with one own hash are one claim."""
        from .errors import DuplicateClaim
        out, seen, origin = [], set(), {}
        parts = [(f"{m}, {self.registered[m]}", True, self.modules[m]) for m in sorted(self.modules)]
        parts += [(str(f), False, cs) for f, cs in self.files]
        for where, is_registered, claims in parts:
            for c in claims:
                stub = getattr(c, "stub", False)
                if not stub and id(c) in seen:
                    continue
                if c.id in origin:
                    first, both, was_stub = origin[c.id]
                    if stub or was_stub:
                        raise _Fallback(c.id)
                    hint = ("; if one is a stale install, uninstall it or delete its metadata "
                            "folder" if both and is_registered else "")
                    raise DuplicateClaim(f"duplicate claim id {c.id}: declared in {first} "
                                         f"and in {where}{hint}")
                seen.add(id(c))
                origin[c.id] = (where, is_registered, stub)
                out.append(c)
        self.claims = out

    def file_claims(self, path) -> list:
        from .hashing import own_hash
        from .loading import claims_of, load_file
        claims = claims_of(load_file(path))
        for c in claims:
            self.own[c.id] = own_hash(c, _memo=self.memo)
        return claims


def resolve(sources, store=None) -> Resolution:
    """The claims of ``sources`` (a :class:`~workbench.loading.Sources`): a registered module
    with a current manifest in ``store`` is not imported (stubs); the others are imported and
    hashed, and their manifests written.  Raises what :func:`workbench.loading.load` raises
    (no registered module and no file, a module that does not import, a duplicate id)."""
    from .loading import _registrations, unregistered_reason
    registered = _registrations() if sources.builtin else {}
    if sources.builtin and not registered:
        if not sources.files:
            from .errors import LoadError
            raise LoadError(unregistered_reason())
        log.warning("%s; loading the --file claims only", unregistered_reason())
    env_key = environment_key(registered) if (store is not None and registered) else None
    res = Resolution(sources, store, env_key, registered)
    for name in sorted(registered):
        found = lookup(store, name, env_key) if env_key is not None else None
        if found is None:
            res.modules[name] = res._import(name)
        else:
            res.modules[name], own = found
            res.own.update(own)
    res.files = [(f, res.file_claims(f)) for f in sources.files]
    try:
        res._merge()
    except _Fallback as exc:
        log.debug("claim %s is declared by two modules: importing every module", exc)
        res.realise(res.stubbed)
    return res
