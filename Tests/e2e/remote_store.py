"""S3-compatible stores for remote buckets, each on a free 127.0.0.1 port: moto's S3 server, or a second
genesys-mock whose S3 endpoint is the store. Every wait is bounded; a StorePool stops what it started."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import boto3
import botocore.config
import requests

from mockserver import FIXTURES_DIR, MockServer, stop_every

REGION = "eu-west-2"
# Distinctive values, so that a test can look for them anywhere they must never appear. The genesys-mock store
# knows only this key pair (its own fixtures folder); moto accepts any credentials.
STORE_ACCESS_KEY = "AKIAGMREMOTE7STORE4K"
STORE_SECRET_KEY = "rem0te-St0re/Secret+9f3b2c7e1d5a4b8c"
STORE_SESSION_TOKEN = "FQoGZXIvYXdzEremoteSessionToken7c1e9a2b4d6f"
# The environment variables of the exporting genesys-mock that hold them (what a remote bucket names).
KEY_ENV, SECRET_ENV, TOKEN_ENV = "GM_E2E_REMOTE_KEY", "GM_E2E_REMOTE_SECRET", "GM_E2E_REMOTE_TOKEN"

MOTO = "moto"
GENESYS_MOCK = "genesys-mock"
KINDS = (MOTO, GENESYS_MOCK)

START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
HTTP_TIMEOUT = 10.0

# moto's S3 server with werkzeug's per-request access log off (as scripts/bench_load.py starts it).
MOTO_LAUNCHER = (
    "import logging, sys; logging.getLogger('werkzeug').setLevel(logging.ERROR); "
    "from moto.server import main; sys.argv[0] = 'moto_server'; main()"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unused_endpoint() -> str:
    """An http endpoint on 127.0.0.1 where nothing listens (a port just freed)."""
    return f"http://127.0.0.1:{free_port()}"


def s3_client(endpoint: str, access_key: str = STORE_ACCESS_KEY, secret_key: str = STORE_SECRET_KEY,
              region: str = REGION):
    """boto3 for a store: path-style, SigV4, no retries, bounded timeouts."""
    config = botocore.config.Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                                    retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30)
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access_key,
                        aws_secret_access_key=secret_key, region_name=region, config=config)


class Store:
    """What the tests need of a store, whichever it is."""

    kind: str
    endpoint: str

    def client(self, region: str = REGION):
        return s3_client(self.endpoint, region=region)

    def create_bucket(self, name: str, region: str = REGION, *, object_lock: bool = True) -> str:
        kwargs = {"Bucket": name}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        if object_lock:
            kwargs["ObjectLockEnabledForBucket"] = True
        self.client(region).create_bucket(**kwargs)
        return name

    def keys(self, bucket: str, prefix: str = "") -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return {o["Key"] for page in pages for o in page.get("Contents", [])}

    def get(self, bucket: str, key: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def writes(self, bucket: str, prefix: str) -> Counter:
        """How many times each key under `prefix` was written (stored) since the test began."""
        raise NotImplementedError

    @property
    def running(self) -> bool:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def kill(self) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        return f"{self.kind} store at {self.endpoint}"


class MotoStore(Store):
    """`moto_server -H 127.0.0.1 -p PORT`. Its object-lock buckets are versioned, so every write leaves a version."""

    kind = MOTO

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = self.workdir / f"moto-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "MotoStore":
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-c", MOTO_LAUNCHER, "-H", "127.0.0.1", "-p", str(self.port)],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                r = requests.get(f"{self.endpoint}/moto-api/", timeout=1.0)
                if r.status_code == 200:
                    return self
                last = f"HTTP {r.status_code}"
            except requests.RequestException as e:
                last = repr(e)
            time.sleep(0.1)
        self.kill()
        raise AssertionError(f"moto's S3 server did not answer on {self.endpoint} within {START_TIMEOUT:.0f} s "
                             f"(last: {last}; exit {self.proc.returncode}). Is moto[server] installed "
                             f"(Tests/e2e/requirements.txt)?\n{self.log_tail()}")

    def log_tail(self, limit: int = 3000) -> str:
        text = self.log.read_text("utf-8", "replace") if self.log.exists() else ""
        return f"--- moto log ({self.log}) ---\n{text[-limit:]}"

    def writes(self, bucket: str, prefix: str) -> Counter:
        """Versions per key (moto keeps one per write in a versioned bucket), and delete markers count too."""
        counts: Counter = Counter()
        pages = self.client().get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix)
        for page in pages:
            for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
                counts[v["Key"]] += 1
        return counts

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)


class MockStore(Store):
    """A second genesys-mock in its own data folder; its S3 endpoint is the store. Its fixtures are a copy of
    fixtures/ whose only S3 key pair is STORE_ACCESS_KEY / STORE_SECRET_KEY."""

    kind = GENESYS_MOCK

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.fixtures = self.workdir / "store-fixtures"
        self.server = MockServer(self.workdir / "store-data", fixtures=self.fixtures, export_rate=0,
                                 log_prefix=self.workdir / "store-server")
        self.endpoint = ""

    def start(self) -> "MockStore":
        if not self.fixtures.exists():
            shutil.copytree(FIXTURES_DIR, self.fixtures)
            (self.fixtures / "s3-access-keys.json").write_text(json.dumps(
                [{"accessKeyId": STORE_ACCESS_KEY, "secretAccessKey": STORE_SECRET_KEY, "name": "remote store"}]))
        self.server.start()
        self.endpoint = self.server.s3
        return self

    def journal(self, **params) -> list[dict]:
        params.setdefault("limit", 1000)
        r = self.server.get("/__admin/requests", params=params)
        assert r.status_code == 200, f"the store's journal: {r.status_code} {r.text[:300]}"
        return r.json()["requests"]

    def clear_journal(self) -> None:
        r = self.server.request("DELETE", "/__admin/requests")
        assert r.status_code == 204, f"clearing the store's journal: {r.status_code} {r.text[:300]}"

    def object_path(self, bucket: str, key: str) -> Path:
        return self.server.bucket_dir(bucket) / key

    def writes(self, bucket: str, prefix: str) -> Counter:
        """Successful PutObject and CompleteMultipartUpload calls per key, from the store's journal (clear it when
        the test begins: it keeps the last 1,000 requests)."""
        counts: Counter = Counter()
        for entry in self.journal():
            key = journal_key(entry, bucket)
            if key is None or not key.startswith(prefix) or not 200 <= entry["status"] < 300:
                continue
            if is_put_object(entry) or (entry["method"] == "POST" and "uploadId" in journal_query(entry)):
                counts[key] += 1
        return counts

    @property
    def running(self) -> bool:
        return self.server.running

    def stop(self) -> None:
        self.server.stop()

    def kill(self) -> None:
        self.server.kill()


def journal_key(entry: dict, bucket: str) -> str | None:
    """The object key of a journaled path-style S3 request on `bucket`, or None."""
    path = unquote(entry.get("path") or "")
    head = f"/{bucket}/"
    return path[len(head):] if path.startswith(head) else None


# PUT on a key with one of these in its query is another operation than PutObject.
SUBRESOURCES = ("uploadId", "legal-hold", "retention", "tagging", "acl")


def is_put_object(entry: dict) -> bool:
    """A journaled PutObject (some SDKs add `x-id=PutObject` to its query)."""
    query = journal_query(entry)
    return entry["method"] == "PUT" and not any(sub in query for sub in SUBRESOURCES)


def journal_query(entry: dict) -> str:
    query = entry.get("query")
    if isinstance(query, dict):
        return "&".join(f"{k}={v}" for k, v in query.items())
    return query or ""


class StorePool:
    """Starts stores on demand and stops every one at teardown, even after a failure."""

    def __init__(self, workdir_factory):
        self._mktemp = workdir_factory
        self._stores: list[Store] = []
        self._shared: dict[str, Store] = {}

    def shared(self, kind: str) -> Store:
        """One store of this kind for every test that asks (started the first time)."""
        if kind not in self._shared or not self._shared[kind].running:
            self._shared[kind] = self.start(kind)
        return self._shared[kind]

    def start(self, kind: str) -> Store:
        """A store of one's own (to stop or kill)."""
        assert kind in KINDS, f"unknown store kind {kind!r}"
        workdir = self._mktemp(f"store-{kind}")
        store: Store = MotoStore(workdir) if kind == MOTO else MockStore(workdir)
        self._stores.append(store)
        return store.start()

    def stop_all(self) -> None:
        stop_every(self._stores)
