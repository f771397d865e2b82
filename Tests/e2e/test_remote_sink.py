"""Remote buckets (CONTRACT §14): a held export lands in a remote bucket of each store (moto's S3 server and a
second genesys-mock) byte for byte, with its locks, metadata and custody; `verify` reads it back from the store and
names what was changed or deleted there; an object already under a held key fails that recording. A manifest over
8 MiB goes by multipart upload. Helpers: remote_exports.py; the stores and exporters are fixtures (conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from exports import assert_state, create_export, export_body, wait_until_ended
from held import HELD_CASE, HELD_PREFIX
from mockserver import FIXTURES_DIR
from remote_exports import (admin_verify, assert_store_holds_the_manifest, assert_verified_intact, export,
                            failed_recordings, in_store, one_digit_changed, remote_bucket, run_verify, shown)
from remote_store import GENESYS_MOCK, KINDS, MOTO, REGION, STORE_ACCESS_KEY, is_put_object, journal_key
from sink_checks import (assert_counts_match_job, assert_custody_verifies, assert_one_transcript_and_sidecar_each,
                         files_under)


# -- the held export lands in the store --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def landed(exporter, exporter_token, store):
    """The Q1 2023 export under LH-2023-001 into a remote bucket of each store."""
    bucket = remote_bucket(exporter, store, "archive")
    if store.kind == GENESYS_MOCK:
        store.clear_journal()
    job = export(exporter, exporter_token, bucket, HELD_PREFIX)
    found = in_store(store, bucket, job)
    found.store_journal = store.journal() if store.kind == GENESYS_MOCK else None
    return found


def test_a_held_export_lands_in_the_store_with_its_manifest_and_custody(exporter, store, landed):
    assert_store_holds_the_manifest(store, landed)
    assert_one_transcript_and_sidecar_each(landed.manifest)
    assert len(landed.manifest["objects"]) == 2 * landed.job["totalRecordings"] == 28, landed.job
    assert_counts_match_job(landed.manifest, landed.job)
    assert landed.manifest["bucket"] == landed.bucket
    listed = store.keys(landed.bucket, HELD_PREFIX)
    assert listed == landed.all_keys, (f"the store's listing of {HELD_PREFIX} should be the export: missing "
                                       f"{sorted(landed.all_keys - listed)[:3]}, extra {sorted(listed - landed.all_keys)[:3]}")
    custody = json.loads(store.get(landed.bucket, landed.custody_key))
    assert_custody_verifies(custody, manifest=landed.manifest, manifest_raw=landed.manifest_raw,
                            manifest_key=landed.manifest_key, job_id=landed.id, case_id=HELD_CASE,
                            bucket=landed.bucket)
    assert files_under(exporter.bucket_dir(landed.bucket)) == set(), \
        f"the exporter wrote into its own disk for a remote bucket: {sorted(files_under(exporter.bucket_dir(landed.bucket)))[:5]}"


def test_every_object_is_on_legal_hold_with_the_case_id_and_job_id(store, landed):
    s3 = store.client()
    wrong = []
    for key in sorted(landed.all_keys):
        hold_status = s3.get_object_legal_hold(Bucket=landed.bucket, Key=key).get("LegalHold", {}).get("Status")
        head = s3.head_object(Bucket=landed.bucket, Key=key)
        meta = head.get("Metadata", {})
        seen = (hold_status, meta.get("legal-hold-case-id"), meta.get("export-job-id"), head.get("ContentType"))
        if seen != ("ON", HELD_CASE, landed.id, "application/json"):
            wrong.append((key, seen))
    assert not wrong, (f"{len(wrong)} of {len(landed.all_keys)} objects lack (legal hold ON, legal-hold-case-id "
                       f"{HELD_CASE}, export-job-id {landed.id}, application/json), e.g. {wrong[:3]}")


def test_the_store_saw_signed_puts_with_content_md5_and_the_lock_header(store, landed):
    if store.kind != GENESYS_MOCK:
        pytest.skip("only the genesys-mock store keeps a journal of what it was sent")
    puts = {}
    for entry in landed.store_journal:
        key = journal_key(entry, landed.bucket)
        if key is not None and is_put_object(entry):
            puts.setdefault(key, []).append(entry)
    assert set(puts) == landed.all_keys, (f"one PutObject per object expected: missing {sorted(landed.all_keys - set(puts))[:3]}, "
                                          f"extra {sorted(set(puts) - landed.all_keys)[:3]}")
    problems = []
    for key, entries in sorted(puts.items()):
        if len(entries) != 1 or entries[0]["status"] != 200:
            problems.append(f"{key}: {[e['status'] for e in entries]}")
            continue
        h = {k.lower(): v for k, v in entries[0]["headers"].items()}
        if not h.get("content-md5") or h.get("x-amz-object-lock-legal-hold") != "ON" \
                or not h.get("authorization", "").startswith(f"AWS4-HMAC-SHA256 Credential={STORE_ACCESS_KEY}/"):
            problems.append(f"{key}: headers {sorted(h)} lock={h.get('x-amz-object-lock-legal-hold')!r} "
                            f"auth={h.get('authorization', '')[:60]!r}")
    assert not problems, f"PutObject calls the store received: {problems[:3]}"
    heads = {journal_key(e, landed.bucket) for e in landed.store_journal if e["method"] == "HEAD"}
    assert landed.all_keys <= heads, \
        f"each key of a held export should be checked by HEAD first; not checked: {sorted(landed.all_keys - heads)[:3]}"


def test_verify_reads_the_export_back_from_the_store(exporter, landed, mock_bin):
    assert_verified_intact(run_verify(mock_bin, exporter.data_dir, landed.id), landed)
    verdict = admin_verify(exporter, landed.id)
    assert verdict["intact"] is True and verdict["objects"] == len(landed.object_keys), \
        f"POST /__admin/jobs/{landed.id}/verify: {json.dumps(verdict)[:1500]}"


def test_an_object_changed_or_deleted_in_the_store_is_named_by_verify(exporter, exporter_token, store, landed, mock_bin):
    job = export(exporter, exporter_token, landed.bucket, "tamper/")
    tampered = in_store(store, landed.bucket, job)
    key = next(k for k in tampered.object_keys if not k.endswith("_metadata.json"))
    if store.kind == MOTO:
        # A versioned bucket takes a new version of a held key: it becomes the current one.
        original = store.get(landed.bucket, key)
        changed = one_digit_changed(original)
        store.client().put_object(Bucket=landed.bucket, Key=key, Body=changed)
        assert store.get(landed.bucket, key) == changed, "could not tamper with the object in the store"
    else:
        # The genesys-mock store refuses to overwrite a held key, so change its bytes on the store's disk (same
        # length), before anything reads it through S3 (the store keeps small objects it served in memory).
        path = store.object_path(landed.bucket, key)
        path.write_bytes(one_digit_changed(path.read_bytes()))

    r = run_verify(mock_bin, exporter.data_dir, tampered.id)
    assert r.returncode == 1, f"verify passed an object changed in the store ({key}).\n{shown(r)}"
    assert key in r.stdout + r.stderr, f"verify did not name the changed object {key}.\n{shown(r)}"
    verdict = admin_verify(exporter, tampered.id)
    named = [f for f in verdict["findings"] if f["key"] == key]
    assert verdict["intact"] is False and named and named[0]["status"] == "CHANGED", \
        f"POST /__admin/jobs/{tampered.id}/verify should name {key} CHANGED: {json.dumps(verdict)[:1500]}"

    if store.kind == MOTO:
        gone = next(k for k in reversed(tampered.object_keys) if k != key)
        store.client().delete_object(Bucket=landed.bucket, Key=gone)  # a delete marker: held versions stay
        r = run_verify(mock_bin, exporter.data_dir, tampered.id)
        assert r.returncode == 1, f"verify passed with {gone} deleted from the store.\n{shown(r)}"
        line = next((ln for ln in r.stdout.splitlines() if gone in ln), "")
        assert "MISSING" in line, f"verify should say MISSING for {gone}.\n{shown(r)}"


def test_a_different_object_under_a_held_key_fails_that_recording(exporter, exporter_token, store, landed):
    prefix = "preexisting/"
    victim = next(o for o in landed.manifest["objects"] if not o["key"].endswith("_metadata.json"))
    key = prefix + victim["key"][len(HELD_PREFIX):]
    planted = b'{"planted": "by the test, not by the export"}'
    store.client().put_object(Bucket=landed.bucket, Key=key, Body=planted)

    job = export(exporter, exporter_token, landed.bucket, prefix)
    assert_state(job, "FULFILLED")
    assert job["totalFailedRecordings"] == 1, f"exactly the planted recording should fail: {job}"
    failed = failed_recordings(exporter, exporter_token, job["id"])
    assert [f["recording"]["id"] for f in failed] == [victim["recordingId"]], failed
    message = failed[0]["errorMessage"]
    assert message.startswith("AccessDenied") and "legal hold" in message.lower(), \
        f"the failed recording should say AccessDenied ... legal hold: {message!r}"
    assert store.get(landed.bucket, key) == planted, "the export overwrote an object it found under a held key"
    assert store.writes(landed.bucket, key)[key] <= 1, f"{key} was written again in the store"
    written = in_store(store, landed.bucket, job)
    assert key not in written.object_keys, "the manifest lists the recording that failed"


# -- big objects -------------------------------------------------------------------------------------------------

MULTIPART_CONVERSATIONS = int(os.environ.get("REMOTE_SINK_MULTIPART") or 0)
MIB = 1024 * 1024


@pytest.mark.skipif(not MULTIPART_CONVERSATIONS, reason="REMOTE_SINK_MULTIPART=6000 seeds that many conversations "
                                                        "and exports them into each store (minutes)")
@pytest.mark.parametrize("kind", KINDS)
def test_a_manifest_over_8_mib_goes_by_multipart_upload(exporters, stores, mock_bin, tmp_path_factory, kind):
    data = tmp_path_factory.mktemp("multipart-data")
    seeded = subprocess.run([str(mock_bin), "seed", "--conversations", str(MULTIPART_CONVERSATIONS), "--data", str(data),
                             "--fixtures", str(FIXTURES_DIR)], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=300)
    assert seeded.returncode == 0, f"seed failed: {seeded.stdout[-1000:]} {seeded.stderr[-1000:]}"
    exporter = exporters.start(data)
    store = stores.shared(kind)
    bucket = remote_bucket(exporter, store, "big")
    prefix = "long-" + "p" * 250 + "/" + "q" * 200 + "/"  # long keys: a manifest over 8 MiB from ~10,000 objects
    token = exporter.token()
    job = wait_until_ended(exporter, token, create_export(exporter, token, export_body(
        bucket, REGION, prefix=prefix, interval="2023-01-01T00:00:00Z/2023-07-01T00:00:00Z"))["id"], timeout=600)
    landed = in_store(store, bucket, job)
    head = store.client().head_object(Bucket=bucket, Key=landed.manifest_key)
    assert head["ContentLength"] > 8 * MIB, \
        f"the manifest is {head['ContentLength']} bytes, not over 8 MiB: seed more conversations"
    assert re.fullmatch(r'"[0-9a-f]{32}-\d+"', head["ETag"]), \
        f"a manifest of {head['ContentLength'] / MIB:.1f} MiB should come by multipart upload (ETag md5-N): {head['ETag']}"
    assert len(landed.object_keys) == 2 * job["totalRecordings"], job
    r = run_verify(mock_bin, exporter.data_dir, job["id"], timeout=600)
    assert r.returncode == 0 and f"verified: {len(landed.object_keys)} objects intact" in r.stdout, shown(r)
