"""Logging in, 401/403 and the rate limit, as the official Python SDK meets them."""

from __future__ import annotations

import json
import threading
import time

import pytest
from PureCloudPlatformClientV2.rest import ApiException

from exports import assert_error_body
from mockserver import ADMIN, VIEWER
from sdk import bounded_http_client, conversations, error_body, jobs_query, raises_api_error, sdk_for

LIMIT = 5
CID = conversations()[0]["id"]
RECORDINGS = f"/api/v2/conversations/{CID}/recordings"


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def limited(module_servers):
    return module_servers.start(export_rate=0, rate_limit=LIMIT)


def test_client_credentials_token_comes_from_the_api_host(live):
    admin = sdk_for(live)  # POST {api_url}/oauth/token, Basic auth, grant_type=client_credentials
    recordings = admin.recording.get_conversation_recordings(CID)
    assert admin.status == 200 and len(recordings) == 1
    for name in ("ININ-Correlation-Id", "inin-ratelimit-count", "inin-ratelimit-allowed",
                 "inin-ratelimit-reset"):
        assert admin.header(name), f"an authenticated response should carry {name}"


def test_wrong_client_secret_is_refused_by_the_token_endpoint(live):
    try:
        sdk_for(live, (ADMIN[0], "not-the-secret"))
    except ApiException as e:
        assert e.status in (400, 401), f"a bad secret should be 400/401, got {e.status}"
        body = json.loads(e.body)
        assert body.get("error") and "description" in body, f"OAuth error shape is {{error, description}}: {body}"
    else:
        raise AssertionError("a wrong client secret yielded a token")


def test_never_logged_in_is_401_authentication_required(live):
    anonymous = sdk_for(live, None)  # the SDK still sends "Authorization: Bearer "
    assert anonymous.client.access_token == ""
    raises_api_error(lambda: anonymous.recording.get_conversation_recordings(CID), 401,
                     "authentication.required")
    raises_api_error(lambda: anonymous.recording.post_recording_jobs(jobs_query()), 401,
                     "authentication.required")


def test_bogus_token_is_401_bad_credentials(live):
    bogus = sdk_for(live, token="not-a-token-the-mock-issued")
    raises_api_error(lambda: bogus.recording.get_conversation_recordings(CID), 401, "bad.credentials")
    raises_api_error(lambda: bogus.integrations.get_integrations(), 401, "bad.credentials")


def test_viewer_reads_but_cannot_create_a_job(live):
    viewer = sdk_for(live, VIEWER)
    assert viewer.recording.get_recording_jobs().entities is not None
    assert viewer.integrations.get_integrations().entities, "the viewer can see the org's integrations"
    body = raises_api_error(lambda: viewer.recording.post_recording_jobs(jobs_query()), 403,
                            "missing.permissions")
    assert "recording:job:add" in body["message"], f"the 403 should name the permission: {body['message']}"


def test_sixth_request_in_a_minute_is_429_with_retry_after(limited):
    token = limited.token()
    for n in range(1, LIMIT + 1):
        r = limited.get(RECORDINGS, token=token)
        assert r.status_code == 200, f"request {n} of {LIMIT}: {r.status_code} {r.text[:300]}"
        assert (r.headers.get("inin-ratelimit-allowed"), r.headers.get("inin-ratelimit-count")) == \
            (str(LIMIT), str(n)), f"rate-limit headers of request {n}: {dict(r.headers)}"
    r = limited.get(RECORDINGS, token=token)
    body = assert_error_body(r, 429, "too.many.requests")
    retry_after = r.headers.get("Retry-After", "")
    assert retry_after.isdigit() and 1 <= int(retry_after) <= 60, f"Retry-After should be 1..60 s: {retry_after!r}"
    assert isinstance(body.get("limit"), dict) and body["limit"].get("value") == LIMIT, \
        f"the 429 ErrorBody should carry limit.value {LIMIT}: {body.get('limit')}"


def test_sdk_429_is_an_api_exception_once_retry_after_is_not_slept(limited):
    sdk = sdk_for(limited, honour_retry_after=False)
    for _ in range(LIMIT):
        sdk.recording.get_conversation_recordings(CID)
    started = time.monotonic()
    try:
        sdk.recording.get_conversation_recordings(CID)
    except ApiException as e:
        body = error_body(e, 429, "too.many.requests")
        assert e.headers.get("Retry-After"), "the SDK's ApiException should expose Retry-After"
        assert body["limit"]["value"] == LIMIT
    else:
        raise AssertionError(f"request {LIMIT + 1} within a minute was not refused")
    assert time.monotonic() - started < 5, "the SDK slept on the 429 although Retry-After was not honoured"


def test_sdk_default_retry_sleeps_out_a_429_with_retry_after():
    """Why the test above turns it off: the SDK's own pool retries 429 + Retry-After for every verb."""
    default = bounded_http_client().rest_client.pool_manager.connection_pool_kw["retries"]
    assert default.is_retry("POST", 429, has_retry_after=True), "SDK no longer retries 429s itself"
    assert not default.is_retry("POST", 429, has_retry_after=False), "a 429 without Retry-After reaches the caller"
    off = bounded_http_client(honour_retry_after=False).rest_client.pool_manager.connection_pool_kw["retries"]
    assert not off.is_retry("POST", 429, has_retry_after=True)


def test_sdk_default_waits_out_the_window_and_succeeds(servers):
    """End to end with the SDK's default retries: move the mock clock to the window's last seconds, so
    Retry-After is short, and the 6th call comes back 200 after one transparent retry."""
    server = servers.start(export_rate=0, rate_limit=LIMIT)
    probe = server.post("/__admin/clock/advance", json={"seconds": 0})
    if probe.status_code in (404, 405):
        pytest.skip("needs the clock control POST /__admin/clock/advance (CONTRACT §6)")
    sdk = sdk_for(server)
    for _ in range(LIMIT):
        sdk.recording.get_conversation_recordings(CID)
    r = server.post("/__admin/clock/advance", json={"seconds": 57})
    assert r.status_code == 200, f"clock advance: {r.status_code} {r.text[:300]}"
    outcome: dict = {}

    def sixth_call():
        started = time.monotonic()
        try:
            outcome["recordings"] = sdk.recording.get_conversation_recordings(CID)
        except Exception as e:  # reported below; the thread must not die silently
            outcome["error"] = e
        outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=sixth_call, daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "the SDK was still sleeping/retrying after 20 s (Retry-After too long?)"
    assert "error" not in outcome, f"the SDK gave up: {outcome.get('error')!r:.500}"
    assert outcome["seconds"] >= 1, f"answered in {outcome['seconds']:.2f} s: no 429 was waited out"
    assert sdk.header("inin-ratelimit-count") == "1", "the retried call should open a new window"
