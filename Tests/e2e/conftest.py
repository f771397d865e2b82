"""Fixtures that start real genesys-mock servers and always stop them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mockserver import FIXTURES_DIR, ServerPool, mock_binary  # noqa: E402
from remote_exports import Exporters  # noqa: E402
from remote_store import KINDS, StorePool  # noqa: E402

# test_readme_example.py starts the binary as a user would, without --fixtures: `serve` then reads this.
os.environ.setdefault("GENESYS_MOCK_FIXTURES", str(FIXTURES_DIR))


@pytest.fixture(scope="session")
def mock_bin() -> Path:
    path = mock_binary()
    if not path.is_file():
        pytest.fail(f"genesys-mock binary not found at {path}: run scripts/test, "
                    "or build and set GENESYS_MOCK_BIN", pytrace=False)
    return path


def pool_of(kind, tmp_path_factory):
    """A pool of servers for a fixture to yield; every server it started is stopped at teardown."""
    pool = kind(tmp_path_factory)
    yield pool
    pool.stop_all()


@pytest.fixture
def servers(mock_bin, tmp_path_factory):
    """Per-test servers: `servers.start(export_rate=4)`, `servers.start(same_data_dir)`."""
    yield from pool_of(ServerPool, tmp_path_factory)


@pytest.fixture(scope="module")
def module_servers(mock_bin, tmp_path_factory):
    """Servers shared by the tests of one module."""
    yield from pool_of(ServerPool, tmp_path_factory)


# The S3 test modules share these; a module that needs another kind of server defines its own `live`, and
# `s3` and `aws` then talk to that one.
@pytest.fixture(scope="module")
def live(module_servers):
    """One server per module, exports as fast as they can run."""
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def s3(live):
    """boto3 against the module's server (see s3client.s3_client)."""
    from s3client import s3_client
    return s3_client(live.s3)


@pytest.fixture(scope="module")
def aws(live, tmp_path_factory):
    """The AWS CLI against the module's server, with its own HOME."""
    from s3client import AwsCli
    return AwsCli(live.s3, tmp_path_factory.mktemp("aws-home"))


# The remote-bucket modules (test_remote_*.py) share these. Module-scoped, like the ones above: each module starts
# its own stores and its own exporter. A module with a `token` of its own (most of the others) uses that one.
@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """moto's S3 server and a genesys-mock as S3 stores (see remote_store.StorePool)."""
    pool = StorePool(tmp_path_factory.mktemp)
    yield pool
    pool.stop_all()


@pytest.fixture(scope="module", params=KINDS)
def store(request, stores):
    """Each store kind in turn, shared by the tests of the module."""
    return stores.shared(request.param)


@pytest.fixture(scope="module")
def module_exporters(mock_bin, tmp_path_factory):
    yield from pool_of(Exporters, tmp_path_factory)


@pytest.fixture
def exporters(mock_bin, tmp_path_factory):
    """Exporters of one test's own (to slow down, kill and restart)."""
    yield from pool_of(Exporters, tmp_path_factory)


@pytest.fixture(scope="module")
def exporter(module_exporters):
    """The exporter shared by the module, exports as fast as they can run."""
    return module_exporters.start(export_rate=0)


@pytest.fixture(scope="module")
def exporter_token(exporter):
    """A token of the module's exporter (named apart from the `token` fixtures other modules define)."""
    return exporter.token()
