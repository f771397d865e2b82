"""The held export the S3 and verify tests start from: Q1 2023 WhatsApp under LH-2023-001."""

from __future__ import annotations

from types import SimpleNamespace

from exports import ACTIVE_CASE, assert_state, create_export, export_body, hold, wait_until_ended
from mockserver import MockServer
from sink_checks import custody_key_for, read_manifest

HELD_BUCKET = "legal-discovery-eu"
HELD_REGION = "eu-west-2"
HELD_PREFIX = "cases/LH-2023-001/"
HELD_CASE = ACTIVE_CASE


def run_held_export(server: MockServer, token: str | None = None) -> SimpleNamespace:
    """POSTs the held export, waits for FULFILLED, and describes what it left in the sink."""
    token = token or server.token()
    body = export_body(HELD_BUCKET, HELD_REGION, prefix=HELD_PREFIX, legal_hold=hold(HELD_CASE))
    job = wait_until_ended(server, token, create_export(server, token, body)["id"], timeout=60)
    assert_state(job, "FULFILLED")
    bucket_dir = server.bucket_dir(HELD_BUCKET)
    manifest_key = job["manifestKey"]
    manifest, raw = read_manifest(bucket_dir, manifest_key)
    assert manifest["objects"], "the held export wrote no objects: nothing to test"
    custody_key = custody_key_for(manifest_key)
    object_keys = [o["key"] for o in manifest["objects"]]
    return SimpleNamespace(job=job, id=job["id"], bucket_dir=bucket_dir, manifest=manifest,
                           manifest_raw=raw, manifest_key=manifest_key, custody_key=custody_key,
                           object_keys=object_keys,
                           all_keys=set(object_keys) | {manifest_key, custody_key})


def transcript_keys(held: SimpleNamespace) -> list[str]:
    return [k for k in held.object_keys if not k.endswith("_metadata.json")]


def sidecar_keys(held: SimpleNamespace) -> list[str]:
    return [k for k in held.object_keys if k.endswith("_metadata.json")]
