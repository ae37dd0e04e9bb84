"""Shared fixtures: precision must never leak between tests (mpmath's global context)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import mpmath as mp
import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--long", action="store_true", default=False,
        help="also run the tests marked 'long': every built-in claim verified as stated, and the "
             "full-grid forms of the slow tests (about 15 minutes on 2 cores)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="long form: run with --long")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def long_form(request) -> bool:
    """Whether this run includes the long forms (``pytest --long``)."""
    return request.config.getoption("--long")


@pytest.fixture(autouse=True)
def _mp_precision_untouched():
    before = mp.mp.dps
    yield
    after = mp.mp.dps
    mp.mp.dps = 15
    assert after == before, f"a test or library call changed the global mpmath precision to {after}"


@pytest.fixture
def run_cli(tmp_path):
    """Run the `workbench` command in a fresh process with its own result store."""
    store = tmp_path / "store.sqlite"

    def run(*args, cwd=None, timeout=600):
        env = dict(os.environ, WORKBENCH_STORE=str(store))
        return subprocess.run([sys.executable, "-m", "workbench.cli", *args], cwd=cwd or tmp_path,
                              env=env, capture_output=True, text=True, timeout=timeout)
    return run


HAS_PDFLATEX = shutil.which("pdflatex") is not None
TOY = Path(__file__).parent / "data" / "toy.py"


def alive(pid: int) -> bool:
    """Whether a process is running (a zombie, not yet reaped, counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][:1] != "Z"
    except FileNotFoundError:
        return False


# -- one result store shared by the derivation tests of a run ---------------------------------
# Each test asks for the claims it checks; a claim that an earlier test of the same run has
# already verified (same hash: same statement, code and premises) is read back from the store
# instead of being run again, as ``workbench verify`` does between runs.  The store starts empty
# in every run, so every result comes from a check run in this session.
@pytest.fixture(scope="session")
def builtin_claims():
    from workbench.loading import load
    return load(builtin=True)


@pytest.fixture(scope="session")
def shared_store_path(tmp_path_factory):
    """The result store shared by this run's derivation and notebook tests (empty at the start
    of the run, so every result in it comes from a check run in this session)."""
    return tmp_path_factory.mktemp("derivations") / "results.sqlite"


@pytest.fixture(scope="session")
def verified(shared_store_path, builtin_claims):
    """``verified(ids)``: the report of verifying ``ids`` (and their premises) into the store
    shared by this run's tests."""
    from workbench import verify
    from workbench.store import Store
    store = Store(shared_store_path)

    def run(ids):
        return verify(builtin_claims, ids, jobs=2, store=store)
    return run
