"""Export requests, job polling and ErrorBody checks against a running genesys-mock."""

from __future__ import annotations

import json
import time

import requests

from mockserver import MockServer

EXPORTS = "/api/v2/recordings/exports"
TERMINAL_STATES = {"FULFILLED", "FAILED", "CANCELLED"}
Q1_2023 = "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"
H1_2023 = "2023-01-01T00:00:00Z/2023-07-01T00:00:00Z"
ACTIVE_CASE = "LH-2023-001"
ERROR_BODY_KEYS = {"message", "code", "status", "messageWithParams", "messageParams", "contextId",
                   "details", "errors"}


def export_body(bucket: str, region: str, *, prefix: str | None = None,
                media_types: tuple[str, ...] = ("whatsapp",), interval: str | None = Q1_2023,
                conversation_ids: list[str] | None = None, legal_hold=None) -> dict:
    storage = {"destinationType": "s3", "bucketName": bucket, "region": region}
    if prefix is not None:
        storage["prefix"] = prefix
    flt: dict = {"mediaTypes": list(media_types)}
    if interval is not None:
        flt["interval"] = interval
    if conversation_ids is not None:
        flt["conversationIds"] = list(conversation_ids)
    body = {"storage": storage, "filter": flt}
    if legal_hold is not None:
        body["legal_hold"] = legal_hold
    return body


def hold(case_id: str = ACTIVE_CASE, reason: str = "Discovery") -> dict:
    return {"enabled": True, "case_id": case_id, "reason": reason}


def post_export(server: MockServer, token: str | None, body) -> requests.Response:
    return server.post(EXPORTS, token=token, headers={"Content-Type": "application/json"},
                       data=json.dumps(body))


def create_export(server: MockServer, token: str, body) -> dict:
    r = post_export(server, token, body)
    assert r.status_code == 202, f"export should be accepted (202), got {r.status_code}: {r.text[:800]}"
    return r.json()


def get_job(server: MockServer, token: str, job_id: str) -> dict:
    r = server.get(f"{EXPORTS}/{job_id}", token=token)
    assert r.status_code == 200, f"GET export {job_id}: {r.status_code} {r.text[:800]}"
    return r.json()


def poll_job(server: MockServer, token: str, job_id: str, done, *, timeout: float,
             interval: float = 0.05, waiting_for: str) -> dict:
    """GET the job every `interval` s until `done(job)`; fail after `timeout` s naming the wait."""
    deadline = time.monotonic() + timeout
    job: dict = {}
    while time.monotonic() < deadline:
        job = get_job(server, token, job_id)
        if done(job):
            return job
        time.sleep(interval)
    raise AssertionError(f"export {job_id}: still not {waiting_for} after {timeout:.0f} s; "
                         f"last seen: {_summary(job)}")


def wait_until_ended(server: MockServer, token: str, job_id: str, *, timeout: float = 60.0) -> dict:
    return poll_job(server, token, job_id, lambda j: j.get("state") in TERMINAL_STATES,
                    timeout=timeout, waiting_for="FULFILLED, FAILED or CANCELLED")


def assert_state(job: dict, state: str) -> None:
    assert job.get("state") == state, f"export should be {state}, is {_summary(job)}"


def assert_error_body(r: requests.Response, status: int, code: str) -> dict:
    """The response is a Genesys ErrorBody with this status and code; returns the body."""
    assert r.status_code == status, f"expected {status} {code}, got {r.status_code}: {r.text[:800]}"
    try:
        body = r.json()
    except ValueError:
        raise AssertionError(f"error response is not JSON: {r.text[:800]!r}") from None
    missing = ERROR_BODY_KEYS - set(body)
    assert not missing, f"ErrorBody lacks {sorted(missing)}: {body}"
    assert body["code"] == code, f"expected code {code!r}, got {body['code']!r}: {body}"
    assert body["status"] == status, f"ErrorBody status {body['status']!r} != HTTP {status}"
    header = r.headers.get("ININ-Correlation-Id")
    assert header, "error response has no ININ-Correlation-Id header"
    assert body["contextId"] == header, \
        f"contextId {body['contextId']!r} should equal ININ-Correlation-Id {header!r}"
    return body


def _summary(job: dict) -> str:
    keys = ("state", "errorMessage", "totalRecordings", "totalProcessedRecordings",
            "totalFailedRecordings", "percentProgress", "manifestKey")
    return json.dumps({k: job.get(k) for k in keys}) if job else "(nothing)"
