"""Remote buckets (CONTRACT §14), the helpers of the test_remote_*.py modules: a registry bucket that names an
S3-compatible endpoint, so that exports go there through S3 instead of the local disk. Two stores stand in for the
remote one (remote_store.py): moto's S3 server and a second genesys-mock. The exporting genesys-mock ("the exporter")
gets the store's keys through environment variables only; its fixtures are in conftest.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from pathlib import Path
from types import SimpleNamespace

from botocore.exceptions import ClientError

from control import admin, ok
from exports import EXPORTS, assert_state, create_export, export_body, hold, wait_until_ended
from mockserver import MockServer, ServerPool
from remote_store import (GENESYS_MOCK, KEY_ENV, MOTO, REGION, SECRET_ENV, STORE_ACCESS_KEY, STORE_SECRET_KEY,
                          STORE_SESSION_TOKEN, TOKEN_ENV)
from sink_checks import custody_key_for, md5_hex, sha256_hex

# Keys the stores do not know, in variables of their own; and a variable that is never set.
WRONG_KEY_ENV, WRONG_SECRET_ENV, UNSET_ENV = "GM_E2E_WRONG_KEY", "GM_E2E_WRONG_SECRET", "GM_E2E_NEVER_SET_KEY"
WRONG_ACCESS_KEY = "AKIAGMWRONGKEY9Q2X7Z"
WRONG_SECRET_KEY = "wr0ng-Secret/Value+5e8d1c3b7a9f0e2d"
EXPORTER_ENV = {KEY_ENV: STORE_ACCESS_KEY, SECRET_ENV: STORE_SECRET_KEY, TOKEN_ENV: STORE_SESSION_TOKEN,
                WRONG_KEY_ENV: WRONG_ACCESS_KEY, WRONG_SECRET_ENV: WRONG_SECRET_KEY, UNSET_ENV: None}
SECRET_VALUES = {"the store's access key id": STORE_ACCESS_KEY, "the store's secret key": STORE_SECRET_KEY,
                 "the session token": STORE_SESSION_TOKEN, "a wrong access key id": WRONG_ACCESS_KEY,
                 "a wrong secret key": WRONG_SECRET_KEY}

VERIFY_TIMEOUT = 60.0
VERIFIED = re.compile(r"verified: (\d+) objects intact, custody chain intact")
SHORT = {MOTO: "moto", GENESYS_MOCK: "gmock"}


class Exporters(ServerPool):
    """Exporting genesys-mocks with the keys in their environment; every one is stopped at teardown."""

    def start(self, data_dir: Path | None = None, *, export_rate: float = 0) -> MockServer:
        return super().start(data_dir, export_rate=export_rate, env=EXPORTER_ENV,
                             extra_args=("--log-level", "debug"))  # the most it ever logs: secrets must not be in it


# -- helpers -----------------------------------------------------------------------------------------------------

def unique(stem: str) -> str:
    """A bucket name no other test uses (the stores keep their buckets for the whole module)."""
    return f"{stem}-{uuid.uuid4().hex[:8]}"


def remote(endpoint: str, *, key_env: str = KEY_ENV, secret_env: str = SECRET_ENV, token_env: str | None = None,
           addressing: str | None = "path") -> dict:
    spec = {"endpoint": endpoint, "accessKeyIdEnv": key_env, "secretAccessKeyEnv": secret_env}
    if addressing is not None:
        spec["addressing"] = addressing
    if token_env is not None:
        spec["sessionTokenEnv"] = token_env
    return spec


def register(server: MockServer, name: str, endpoint: str, *, object_lock: bool = True, **remote_args) -> dict:
    body = {"name": name, "region": REGION, "objectLockEnabled": object_lock, "remote": remote(endpoint, **remote_args)}
    return ok(admin(server, "POST", "/buckets", json=body), 201)


def remote_bucket(server: MockServer, store, stem: str, *, object_lock: bool = True, in_store: bool = True,
                  **remote_args) -> str:
    """A bucket of that name in the store (unless `in_store` is false) and registered as remote in `server`."""
    name = unique(f"{stem}-{SHORT[store.kind]}")
    if in_store:
        store.create_bucket(name, object_lock=object_lock)
    register(server, name, store.endpoint, object_lock=True, **remote_args)
    return name


def listed_bucket(server: MockServer, name: str) -> dict:
    found = [b for b in ok(admin(server, "GET", "/buckets"))["buckets"] if b["name"] == name]
    assert len(found) == 1, f"GET /__admin/buckets should list {name} once: {found}"
    return found[0]


def export(server: MockServer, token: str, bucket: str, prefix: str, *, held: bool = True,
           timeout: float = 60) -> dict:
    body = export_body(bucket, REGION, prefix=prefix, legal_hold=hold() if held else None)
    return wait_until_ended(server, token, create_export(server, token, body)["id"], timeout=timeout)


def failed_with(job: dict, code: str, *fragments: str) -> str:
    """The job FAILED and its errorMessage starts with this S3 code and holds each fragment."""
    assert_state(job, "FAILED")
    message = job.get("errorMessage") or ""
    assert message.startswith(code), f"errorMessage should start with {code!r}: {message!r}"
    missing = [f for f in fragments if f not in message]
    assert not missing, f"errorMessage should name {missing}: {message!r}"
    return message


def failed_recordings(server: MockServer, token: str, job_id: str) -> list[dict]:
    r = server.get(f"{EXPORTS}/{job_id}/failedrecordings", token=token, params={"pageSize": 100})
    assert r.status_code == 200, f"failedrecordings: {r.status_code} {r.text[:500]}"
    return r.json()["entities"]


def in_store(store, bucket: str, job: dict) -> SimpleNamespace:
    """What a FULFILLED export left in the store: its manifest (as stored), custody key and object keys."""
    assert_state(job, "FULFILLED")
    manifest_key = job["manifestKey"]
    try:
        raw = store.get(bucket, manifest_key)
    except ClientError as e:
        raise AssertionError(f"the manifest {manifest_key} is not in the {store.describe()}: {e}") from None
    manifest = json.loads(raw)
    assert manifest["objects"], "the export wrote no objects: nothing to test"
    custody_key = custody_key_for(manifest_key)
    object_keys = [o["key"] for o in manifest["objects"]]
    return SimpleNamespace(job=job, id=job["id"], bucket=bucket, manifest=manifest, manifest_raw=raw,
                           manifest_key=manifest_key, custody_key=custody_key, object_keys=object_keys,
                           all_keys=set(object_keys) | {manifest_key, custody_key})


def assert_store_holds_the_manifest(store, landed: SimpleNamespace) -> None:
    """Every listed object is in the store with the manifest's size, MD5 (ETag) and SHA-256."""
    s3 = store.client()
    bad = []
    for obj in landed.manifest["objects"]:
        try:
            data = s3.get_object(Bucket=landed.bucket, Key=obj["key"])["Body"].read()
        except ClientError as e:
            bad.append(f"{obj['key']}: {e}")
            continue
        if (len(data), md5_hex(data), sha256_hex(data)) != (obj["size"], obj["etag"], obj["sha256"]):
            bad.append(f"{obj['key']}: {len(data)} bytes md5 {md5_hex(data)} in the store, manifest says "
                       f"{obj['size']} bytes md5 {obj['etag']}")
    assert not bad, f"{len(bad)} of {len(landed.object_keys)} objects differ from the manifest, e.g. {bad[:3]}"


def verifier_env() -> dict[str, str]:
    env = {**os.environ, **{k: v for k, v in EXPORTER_ENV.items() if v is not None}}
    env.pop(UNSET_ENV, None)
    return env


def run_verify(mock_bin, data_dir: Path, job_id: str, *, timeout: float = VERIFY_TIMEOUT) -> subprocess.CompletedProcess:
    cmd = [str(mock_bin), "verify", "--data", str(data_dir), "--job", job_id]
    try:
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=timeout, env=verifier_env())
    except subprocess.TimeoutExpired:
        raise AssertionError(f"`{' '.join(cmd)}` ran over {timeout:.0f} s") from None


def shown(r: subprocess.CompletedProcess) -> str:
    return f"exit {r.returncode}\nstdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-1500:]}"


def assert_verified_intact(r: subprocess.CompletedProcess, landed: SimpleNamespace) -> None:
    assert r.returncode == 0, f"verify of an intact remote export should exit 0.\n{shown(r)}"
    m = VERIFIED.search(r.stdout)
    assert m, f"verify should end with 'verified: N objects intact, custody chain intact'.\n{shown(r)}"
    assert int(m.group(1)) == len(landed.object_keys), \
        f"verify counted {m.group(1)} objects, the manifest lists {len(landed.object_keys)}.\n{shown(r)}"


def one_digit_changed(data: bytes) -> bytes:
    """The same bytes with one ASCII digit in the second half changed."""
    i = next(j for j in range(len(data) // 2, len(data)) if data[j] in b"0123456789")
    return data[:i] + (b"0" if data[i] != ord("0") else b"1") + data[i + 1:]


def admin_verify(server: MockServer, job_id: str) -> dict:
    return ok(admin(server, "POST", f"/jobs/{job_id}/verify"))

