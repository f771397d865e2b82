"""The export API end to end against the running binary (--export-rate 0)."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace

import pytest

from exports import (EXPORTS, assert_error_body, assert_state, create_export, export_body,
                     hold, post_export, wait_until_ended)
from mockserver import ORG_ID, OTHER_ORG, VIEWER
from sink_checks import (SIDECAR_KEYS, assert_counts_match_job, assert_custody_verifies,
                         assert_key_hour_is_start, assert_objects_match_disk,
                         assert_one_transcript_and_sidecar_each, custody_key_for, files_under,
                         object_key_pattern, read_manifest)

HELD_BUCKET = "legal-discovery-eu"
HELD_PREFIX = "cases/LH-2023-001/"
HELD_REQUEST = {
    "storage": {"destinationType": "s3", "bucketName": HELD_BUCKET, "region": "eu-west-2",
                "prefix": HELD_PREFIX},
    "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"},
    "legal_hold": {"enabled": True, "case_id": "LH-2023-001", "reason": "Discovery"},
}


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def admin(live):
    return live.token()


@pytest.fixture(scope="module")
def held_export(live, admin):
    """The export of the brief: Q1 2023 WhatsApp under hold LH-2023-001, run to its end."""
    response = post_export(live, admin, HELD_REQUEST)
    assert response.status_code == 202, f"held export not accepted: {response.status_code} {response.text[:800]}"
    accepted = response.json()
    job = wait_until_ended(live, admin, accepted["id"], timeout=60)
    return SimpleNamespace(response=response, accepted=accepted, job=job, id=accepted["id"])


@pytest.fixture(scope="module")
def held_sink(live, held_export):
    job = held_export.job
    assert_state(job, "FULFILLED")
    bucket_dir = live.bucket_dir(HELD_BUCKET)
    manifest, raw = read_manifest(bucket_dir, job["manifestKey"])
    return SimpleNamespace(bucket_dir=bucket_dir, manifest=manifest, raw=raw, job=job)


def test_held_export_is_accepted_as_a_pending_job(held_export):
    r, job = held_export.response, held_export.accepted
    assert r.headers.get("ININ-Correlation-Id"), "202 has no ININ-Correlation-Id header"
    assert job.get("id"), f"accepted job has no id: {job}"
    assert job["state"] == "PENDING", f"a new job should be PENDING, is {job['state']}"
    assert job["selfUri"] == f"{EXPORTS}/{job['id']}"
    assert job["legal_hold"] == HELD_REQUEST["legal_hold"], f"legal_hold not echoed: {job.get('legal_hold')}"


def test_held_export_ends_fulfilled_with_every_recording_processed(held_export):
    job = held_export.job
    assert_state(job, "FULFILLED")
    assert job["totalRecordings"] > 0, "the Q1 WhatsApp export found no recordings"
    assert job["totalProcessedRecordings"] == job["totalRecordings"]
    assert job["percentProgress"] == 100
    assert job["totalFailedRecordings"] == 0
    assert job["manifestKey"] == f"{HELD_PREFIX}exports/{job['id']}/manifest.json"


def test_manifest_lists_every_object_and_the_bytes_match(held_sink):
    manifest, job = held_sink.manifest, held_sink.job
    assert (manifest["jobId"], manifest["caseId"], manifest["bucket"], manifest["prefix"]) == \
        (job["id"], "LH-2023-001", HELD_BUCKET, HELD_PREFIX)
    assert len(manifest["objects"]) == 2 * job["totalRecordings"], \
        "expected one transcript and one sidecar per recording"
    pattern = object_key_pattern(HELD_PREFIX, ORG_ID)
    bad = [o["key"] for o in manifest["objects"] if not pattern.match(o["key"])]
    assert not bad, f"keys outside the documented layout: {bad[:5]}"
    assert_one_transcript_and_sidecar_each(manifest)
    assert_objects_match_disk(manifest, held_sink.bucket_dir)
    assert_counts_match_job(manifest, job)
    expected = {o["key"] for o in manifest["objects"]} | {job["manifestKey"], custody_key_for(job["manifestKey"])}
    on_disk = files_under(held_sink.bucket_dir)
    assert on_disk == expected, (f"bucket folder differs from the manifest: extra {sorted(on_disk - expected)[:5]}, "
                                 f"missing {sorted(expected - on_disk)[:5]}")


def test_transcripts_and_sidecars_describe_the_conversation(held_sink):
    objects = held_sink.manifest["objects"]
    starts = {}
    for obj in objects:
        doc = json.loads((held_sink.bucket_dir / obj["key"]).read_bytes())
        if obj["key"].endswith(".json_metadata.json"):
            missing = SIDECAR_KEYS - set(doc)
            assert not missing, f"{obj['key']}: sidecar lacks {sorted(missing)}"
            assert (doc["conversationId"], doc["recordingId"]) == (obj["conversationId"], obj["recordingId"])
            assert (doc["mediaType"], doc["messageType"]) == ("Message", "whatsapp"), obj["key"]
            assert doc["exportJobId"] == held_sink.job["id"], f"{obj['key']}: exportJobId"
            assert doc.get("caseId") == "LH-2023-001", f"{obj['key']}: caseId {doc.get('caseId')!r}"
            starts[obj["recordingId"]] = doc["startTime"]
        else:
            assert (doc.get("conversationId"), doc.get("id")) == (obj["conversationId"], obj["recordingId"])
            assert doc.get("media") == "message", f"{obj['key']}: media {doc.get('media')!r}"
            messages = doc.get("messagingTranscript")
            assert isinstance(messages, list) and messages, f"{obj['key']}: empty messagingTranscript"
            for m in messages:
                assert "timestamp" in m and "purpose" in m, f"{obj['key']}: message without timestamp/purpose: {m}"
                if not (m.get("messageMediaAttachments") or m.get("messageStickerAttachments")):
                    assert "messageText" in m, f"{obj['key']}: text message without messageText: {m}"
    for obj in objects:
        assert_key_hour_is_start(obj["key"], starts[obj["recordingId"]])


def test_chain_of_custody_verifies_and_covers_every_object(held_sink):
    key = custody_key_for(held_sink.job["manifestKey"])
    path = held_sink.bucket_dir / key
    assert path.is_file(), f"no chain-of-custody.json beside the manifest ({key})"
    assert_custody_verifies(json.loads(path.read_bytes()), manifest=held_sink.manifest,
                            manifest_raw=held_sink.raw, manifest_key=held_sink.job["manifestKey"],
                            job_id=held_sink.job["id"], case_id="LH-2023-001", bucket=HELD_BUCKET)


def test_exported_recording_reports_its_exported_date(live, admin, held_sink):
    obj = held_sink.manifest["objects"][0]
    r = live.get(f"/api/v2/conversations/{obj['conversationId']}/recordings", token=admin)
    assert r.status_code == 200, f"{r.status_code} {r.text[:500]}"
    recordings = r.json()
    assert isinstance(recordings, list), f"conversation recordings should be a JSON array: {recordings}"
    mine = [rec for rec in recordings if rec.get("id") == obj["recordingId"]]
    assert mine, f"recording {obj['recordingId']} not listed for conversation {obj['conversationId']}"
    assert mine[0].get("exportedDate"), "an exported recording should have exportedDate"


def test_export_by_conversation_ids_without_hold(live, admin, held_sink):
    ids = sorted({o["conversationId"] for o in held_sink.manifest["objects"]})[:2]
    prefix = "by-conversation/"
    job = create_export(live, admin, export_body("recordings-us", "us-east-1", prefix=prefix,
                                                 interval=None, conversation_ids=ids))
    job = wait_until_ended(live, admin, job["id"])
    assert_state(job, "FULFILLED")
    assert job["totalConversations"] == len(ids)
    bucket_dir = live.bucket_dir("recordings-us")
    manifest, _ = read_manifest(bucket_dir, job["manifestKey"])
    assert manifest["caseId"] is None, f"an export without hold has caseId null, got {manifest['caseId']!r}"
    assert {o["conversationId"] for o in manifest["objects"]} == set(ids)
    assert len(manifest["objects"]) == 2 * job["totalRecordings"]
    assert_objects_match_disk(manifest, bucket_dir)
    custody = custody_key_for(job["manifestKey"])
    assert not (bucket_dir / custody).exists(), "an export without hold wrote a chain-of-custody.json"
    on_disk = {prefix + p for p in files_under(bucket_dir / prefix)}
    assert on_disk == {o["key"] for o in manifest["objects"]} | {job["manifestKey"]}
    for obj in manifest["objects"]:
        if obj["key"].endswith("_metadata.json"):
            sidecar = json.loads((bucket_dir / obj["key"]).read_bytes())
            assert sidecar.get("caseId") is None, f"{obj['key']}: caseId without a hold"


@pytest.mark.parametrize("bucket, region, prefix, reason", [
    ("no-such-bucket-here", "us-east-1", None, "NoSuchBucket"),
    ("legal-discovery-eu", "us-east-1", "wrong-region/", "PermanentRedirect"),
    ("denied-bucket", "us-east-1", None, "AccessDenied"),
])
def test_destination_failure_fails_the_job_after_acceptance(live, admin, bucket, region, prefix, reason):
    job = create_export(live, admin, export_body(bucket, region, prefix=prefix))
    assert job["state"] == "PENDING", f"destination errors are asynchronous; got {job['state']}"
    job = wait_until_ended(live, admin, job["id"])
    assert_state(job, "FAILED")
    assert (job.get("errorMessage") or "").startswith(reason), \
        f"errorMessage should start with {reason}: {job.get('errorMessage')!r}"
    written = files_under(live.bucket_dir(bucket) / (prefix or ""))
    assert not written, f"a failed export wrote into {bucket}: {sorted(written)[:5]}"


def test_legal_hold_true_is_an_invalid_metadata_structure(live, admin):
    r = post_export(live, admin, {**HELD_REQUEST, "legal_hold": True})
    body = assert_error_body(r, 400, "invalid.metadata.structure")
    assert body["message"] == "Invalid metadata structure for legal_hold"


def test_missing_or_empty_bearer_token_is_401(live):
    body = json.dumps(HELD_REQUEST)
    for headers in ({}, {"Authorization": "Bearer "}):
        r = live.post(EXPORTS, headers={"Content-Type": "application/json", **headers}, data=body)
        assert_error_body(r, 401, "authentication.required")


def test_viewer_cannot_create_an_export(live):
    r = post_export(live, live.token(*VIEWER), HELD_REQUEST)
    body = assert_error_body(r, 403, "missing.permissions")
    assert "recording:job:add" in body["message"], f"403 should name the permission: {body['message']}"


def test_unknown_export_id_is_404(live, admin):
    assert_error_body(live.get(f"{EXPORTS}/{uuid.uuid4()}", token=admin), 404, "not.found")


@pytest.mark.parametrize("case_id, code", [("LH-2022-017", "legal.hold.not.active"),
                                           ("LH-2099-999", "legal.hold.not.found")])
def test_export_under_unusable_hold_is_rejected(live, admin, case_id, code):
    r = post_export(live, admin, {**HELD_REQUEST, "legal_hold": hold(case_id)})
    body = assert_error_body(r, 400, code)
    assert case_id in body["message"], f"message should name {case_id}: {body['message']}"


def test_other_org_cannot_see_the_export(live, held_export):
    r = live.get(f"{EXPORTS}/{held_export.id}", token=live.token(*OTHER_ORG))
    assert_error_body(r, 404, "not.found")


def test_server_stops_gracefully_on_sigterm(live):
    """Runs last in this module: the shared server, after all the work above, exits 0 on SIGTERM."""
    assert live.running, "the server died during the tests"
    assert live.stop(expect_clean_exit=True) == 0
