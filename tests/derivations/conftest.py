"""One result store shared by the derivation tests of a run.

Each test asks for the claims it checks; a claim that an earlier test of the same run has
already verified (same hash: same statement, code and premises) is read back from the store
instead of being run again, as ``workbench verify`` does between runs.  The store starts empty
in every run, so every result comes from a check run in this session.
"""

import pytest

from workbench import verify
from workbench.loading import load
from workbench.store import Store


@pytest.fixture(scope="session")
def builtin_claims():
    return load(builtin=True)


@pytest.fixture(scope="session")
def verified(tmp_path_factory, builtin_claims):
    """``verified(ids)``: the report of verifying ``ids`` (and their premises) into the store
    shared by this run's derivation tests."""
    store = Store(tmp_path_factory.mktemp("derivations") / "results.sqlite")

    def run(ids):
        return verify(builtin_claims, ids, jobs=2, store=store)
    return run

