"""Injected faults (/__admin/faults): HTTP rules (status, 429, latency, dropped connection) and export faults."""

from __future__ import annotations

import time

import pytest
import requests

from control import add_fault, admin, assert_admin_error, fault, faults, ok, q1_whatsapp, reset
from exports import (EXPORTS, assert_error_body, assert_state, create_export, export_body, post_export,
                     wait_until_ended)
from sink_checks import assert_counts_match_job, assert_objects_match_disk, files_under, read_manifest

JOB_PATH = f"{EXPORTS}/*"
Q1 = q1_whatsapp()


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def token(live):
    return live.token()


@pytest.fixture(autouse=True)
def fresh(live):
    reset(live)
    yield
    reset(live)


@pytest.fixture
def job(live, token) -> dict:
    """A finished export to poll."""
    j = create_export(live, token, export_body("recordings-us", "us-east-1"))
    return wait_until_ended(live, token, j["id"])


# -- HTTP faults ----------------------------------------------------------------------------------------

def test_503_on_the_second_get_of_an_export_then_normal_again(live, token, job):
    rule = add_fault(live, method="GET", path=JOB_PATH, nth=2, status=503)
    assert (rule["nth"], rule["count"], rule["matched"], rule["fired"], rule["remaining"]) == (2, 1, 0, 0, 1), rule
    path = f"{EXPORTS}/{job['id']}"
    ok(live.get(path, token=token))
    r = live.get(path, token=token)
    body = assert_error_body(r, 503, "service.unavailable")
    assert r.headers.get("Retry-After"), "an injected 503 should carry Retry-After"
    assert rule["id"] in body["message"], f"the message should name the rule: {body['message']!r}"
    for _ in range(3):
        assert ok(live.get(path, token=token))["state"] == "FULFILLED"
    after = fault(live, rule["id"])
    assert (after["matched"], after["fired"], after["remaining"]) == (5, 1, 0), after


def test_429_carries_retry_after_and_the_limit(live, token):
    add_fault(live, method="POST", path=EXPORTS, status=429, retryAfterSeconds=7)
    r = post_export(live, token, export_body("recordings-us", "us-east-1"))
    body = assert_error_body(r, 429, "too.many.requests")
    assert r.headers.get("Retry-After") == "7", f"Retry-After {r.headers.get('Retry-After')!r}"
    assert isinstance(body.get("limit"), dict) and body["limit"], f"429 ErrorBody without limit: {body}"
    assert ok(live.get(EXPORTS, token=token))["total"] == 0, "a POST answered 429 created a job"
    assert post_export(live, token, export_body("recordings-us", "us-east-1")).status_code == 202


def test_code_and_message_of_a_rule_are_answered(live, token):
    add_fault(live, path=EXPORTS, status=409, code="export.state.conflict", message="Try later, says the test")
    body = assert_error_body(live.get(EXPORTS, token=token), 409, "export.state.conflict")
    assert body["message"] == "Try later, says the test"


def test_latency_is_added_and_the_answer_is_normal(live, token):
    started = time.monotonic()
    ok(live.get(EXPORTS, token=token))
    baseline = time.monotonic() - started
    add_fault(live, method="GET", path=EXPORTS, latencyMs=700)
    started = time.monotonic()
    listing = ok(live.get(EXPORTS, token=token))
    slow = time.monotonic() - started
    assert slow >= 0.7, f"latencyMs=700 should add at least 0.7 s, the call took {slow:.3f} s"
    assert listing["total"] == 0, listing
    started = time.monotonic()
    ok(live.get(EXPORTS, token=token))
    assert time.monotonic() - started < 0.7 + baseline, "the latency fault fired more than once"


def test_a_dropped_connection_breaks_the_response(live, token):
    add_fault(live, method="GET", path=EXPORTS, dropConnection=True)
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.get(f"{live.api_url}{EXPORTS}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert ok(live.get(EXPORTS, token=token))["total"] == 0, "the server should answer normally afterwards"


def test_count_fires_k_times_and_the_list_counts(live, token):
    rule = add_fault(live, method="GET", path=EXPORTS, status=500, count=3)
    assert_error_body(live.get(EXPORTS, token=token), 500, "internal.server.error")
    mid = fault(live, rule["id"])
    assert (mid["matched"], mid["fired"], mid["remaining"]) == (1, 1, 2), mid
    for _ in range(2):
        assert_error_body(live.get(EXPORTS, token=token), 500, "internal.server.error")
    ok(live.get(EXPORTS, token=token))
    end = fault(live, rule["id"])
    assert (end["matched"], end["fired"], end["remaining"]) == (4, 3, 0), end


def test_nth_and_count_together_fire_a_window_of_calls(live, token):
    add_fault(live, method="GET", path=EXPORTS, nth=2, count=2, status=502)
    statuses = [live.get(EXPORTS, token=token).status_code for _ in range(5)]
    assert statuses == [200, 502, 502, 200, 200], statuses


def test_path_globs_method_and_the_admin_plane(live, token, job):
    one = add_fault(live, method="GET", path=JOB_PATH, status=500, count=100)
    deep = add_fault(live, method="*", path="/api/v2/recordings/**", latencyMs=1, count=100)
    live.get(EXPORTS, token=token)
    live.get(f"{EXPORTS}/{job['id']}", token=token)
    live.get(f"{EXPORTS}/{job['id']}/failedrecordings", token=token)
    live.request("DELETE", f"{EXPORTS}/{job['id']}", token=token)
    assert fault(live, one["id"])["matched"] == 1, "'*' should match exactly one path segment, GET only"
    assert fault(live, deep["id"])["matched"] == 4, "'**' with method '*' should match every call below it"

    ok(admin(live, "DELETE", "/faults"), 204)
    everything = add_fault(live, method="*", path="/**", status=500, count=100)
    assert live.get(EXPORTS, token=token).status_code == 500
    assert admin(live, "GET", "/health").status_code == 200, "faults must never reach /__admin"
    ok(admin(live, "DELETE", f"/faults/{everything['id']}"), 204)
    assert live.get(EXPORTS, token=token).status_code == 200


def test_a_fault_on_the_token_endpoint_answers_oauth_style_with_retry_after(live):
    add_fault(live, method="POST", path="/oauth/token", status=429, retryAfterSeconds=5)
    r = live.post("/oauth/token", auth=("mock-admin", "mock-admin-secret"), data={"grant_type": "client_credentials"})
    assert r.status_code == 429, f"{r.status_code} {r.text[:300]}"
    assert r.json().get("error"), f"an OAuth error should carry 'error': {r.text[:300]}"
    assert r.headers.get("Retry-After") == "5", \
        f"the rule's retryAfterSeconds=5 should be sent as Retry-After; headers: {dict(r.headers)}"
    assert live.token()


def test_delete_one_and_delete_all(live, token):
    a = add_fault(live, method="GET", path=EXPORTS, status=500, count=10)
    b = add_fault(live, method="POST", path=EXPORTS, status=500, count=10)
    e = add_fault(live, kind="export", writeLatencyMs=5)
    listed = faults(live)
    assert [f["id"] for f in listed["faults"]] == [a["id"], b["id"]]
    assert [f["id"] for f in listed["exportFaults"]] == [e["id"]]
    assert len({a["id"], b["id"], e["id"]}) == 3

    ok(admin(live, "DELETE", f"/faults/{a['id']}"), 204)
    assert [f["id"] for f in faults(live)["faults"]] == [b["id"]]
    ok(live.get(EXPORTS, token=token))
    assert_admin_error(admin(live, "DELETE", f"/faults/{a['id']}"), 404, "not.found")

    ok(admin(live, "DELETE", "/faults"), 204)
    assert faults(live) == {"faults": [], "exportFaults": []}
    assert post_export(live, token, export_body("recordings-us", "us-east-1")).status_code == 202


@pytest.mark.parametrize("rule", [
    {"method": "GET", "status": 500},
    {"method": "GET", "path": "api/v2/recordings/exports", "status": 500},
    {"method": "GET", "path": EXPORTS},
    {"method": "GET", "path": EXPORTS, "status": 700},
    {"method": "GET", "path": EXPORTS, "status": "500"},
    {"method": "GET", "path": EXPORTS, "status": 500, "nth": 0},
    {"method": "GET", "path": EXPORTS, "status": 500, "count": -1},
    {"method": "GET", "path": EXPORTS, "status": 500, "latencyMs": -5},
    {"method": "GET", "path": EXPORTS, "dropConnection": "yes"},
    {"method": "GET", "path": EXPORTS, "status": 500, "statusCode": 500},
    {"kind": "chaos", "path": EXPORTS, "status": 500},
    {"kind": "export"},
    {"kind": "export", "failRecordingNumber": 0},
    {"kind": "export", "denyPutObjectBucket": ""},
    {"kind": "export", "writeLatencyMs": 10, "status": 500},
])
def test_a_bad_rule_is_400_and_adds_nothing(live, rule):
    assert_admin_error(admin(live, "POST", "/faults", json=rule), 400, "bad.request")
    assert faults(live) == {"faults": [], "exportFaults": []}


def test_a_rule_that_is_not_a_json_object_is_400(live):
    for raw in (b"[]", b"{oops", b'"fault"'):
        r = admin(live, "POST", "/faults", data=raw, headers={"Content-Type": "application/json"})
        assert_admin_error(r, 400, "bad.request")


# -- export faults ---------------------------------------------------------------------------------------

def test_deny_put_object_fails_the_export_with_access_denied(live, token):
    rule = add_fault(live, kind="export", denyPutObjectBucket="recordings-us")
    job = wait_until_ended(live, token, create_export(live, token, export_body("recordings-us", "us-east-1"))["id"])
    assert_state(job, "FAILED")
    assert job["errorMessage"].startswith("AccessDenied"), f"errorMessage {job['errorMessage']!r}"
    assert files_under(live.bucket_dir("recordings-us")) == set(), "a denied bucket received objects"

    other = create_export(live, token, export_body("legal-discovery-eu", "eu-west-2", prefix="plain/"))
    assert_state(wait_until_ended(live, token, other["id"]), "FULFILLED")  # other buckets are unaffected

    ok(admin(live, "DELETE", f"/faults/{rule['id']}"), 204)
    again = create_export(live, token, export_body("recordings-us", "us-east-1"))
    assert_state(wait_until_ended(live, token, again["id"]), "FULFILLED")


def test_a_failing_recording_is_reported_and_left_out_of_the_manifest(live, token):
    second = Q1[1]
    message = "InternalError: the disk caught fire (test)"
    add_fault(live, kind="export", failRecordingNumber=2, message=message)
    job = wait_until_ended(live, token, create_export(live, token, export_body("recordings-us", "us-east-1"))["id"])
    assert_state(job, "FULFILLED")
    assert (job["totalRecordings"], job["totalProcessedRecordings"], job["totalFailedRecordings"]) == \
        (len(Q1), len(Q1) - 1, 1), job
    assert job["percentProgress"] == 100

    failed = ok(live.get(f"{EXPORTS}/{job['id']}/failedrecordings", token=token))
    assert failed["total"] == 1, failed
    entry = failed["entities"][0]
    assert (entry["conversation"]["id"], entry["recording"]["id"]) == (second["id"], second["recordingId"]), \
        f"the second recording (by conversation start) should have failed: {entry}"
    assert entry["errorMessage"] == message

    bucket = live.bucket_dir("recordings-us")
    manifest, _ = read_manifest(bucket, job["manifestKey"])
    assert second["recordingId"] not in {o["recordingId"] for o in manifest["objects"]}, \
        "the manifest lists the failed recording"
    assert len(manifest["objects"]) == 2 * (len(Q1) - 1)
    assert_objects_match_disk(manifest, bucket)
    assert_counts_match_job(manifest, job)
    assert not [k for k in files_under(bucket) if second["recordingId"] in k], "the failed recording is in the sink"


def test_a_failing_recording_id_gets_the_default_message(live, token):
    target = Q1[4]
    add_fault(live, kind="export", failRecordingId=target["recordingId"])
    job = wait_until_ended(live, token, create_export(live, token, export_body("recordings-us", "us-east-1"))["id"])
    assert_state(job, "FULFILLED")
    failed = ok(live.get(f"{EXPORTS}/{job['id']}/failedrecordings", token=token))["entities"]
    assert [f["recording"]["id"] for f in failed] == [target["recordingId"]]
    assert failed[0]["errorMessage"].strip(), "a failed recording needs an error message"


def test_an_export_whose_every_recording_fails_is_failed(live, token):
    add_fault(live, kind="export", failRecordingNumber=1)
    body = export_body("recordings-us", "us-east-1", conversation_ids=[Q1[0]["id"]])
    job = wait_until_ended(live, token, create_export(live, token, body)["id"])
    assert_state(job, "FAILED")
    assert job["totalFailedRecordings"] == 1 and job["errorMessage"], job
    assert files_under(live.bucket_dir("recordings-us")) == set()


def test_write_latency_slows_an_export_measurably(live, token):
    ids = [c["id"] for c in Q1[:5]]  # 5 recordings = 10 objects

    def timed_export() -> float:
        started = time.monotonic()
        j = create_export(live, token, export_body("recordings-us", "us-east-1", conversation_ids=ids))
        assert_state(wait_until_ended(live, token, j["id"]), "FULFILLED")
        return time.monotonic() - started

    fast = timed_export()
    reset(live)
    add_fault(live, kind="export", writeLatencyMs=150)
    slow = timed_export()
    assert slow >= 1.0, f"10 objects at 150 ms each should take at least 1 s, took {slow:.2f} s"
    assert slow > fast + 0.75, f"the write latency did not show: {fast:.2f} s without, {slow:.2f} s with"
