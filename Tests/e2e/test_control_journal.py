"""The request journal (/__admin/requests): newest first, filterable, bounded, and never holding a secret."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from control import admin, assert_admin_error, clear_journal, instant, journal, journal_text, ok, reset
from exports import EXPORTS, create_export, export_body, post_export
from mockserver import ADMIN
from s3client import s3_client

ENTRY_KEYS = {"id", "time", "method", "path", "query", "headers", "body", "status", "client", "response"}
JOURNAL_SIZE = 1000  # the documented default; `serve` has no flag to change it


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


def test_requests_are_listed_newest_first_with_what_was_asked_and_answered(live, token):
    job = create_export(live, token, export_body("recordings-us", "us-east-1"))
    live.get(EXPORTS, token=token, params={"pageSize": 5, "state": "FULFILLED"})
    live.get(f"{EXPORTS}/no-such-job", token=token)
    ok(admin(live, "GET", "/clock"))  # /__admin is never journaled

    entries = journal(live)
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", f"{EXPORTS}/no-such-job", 404),
        ("GET", EXPORTS, 200),
        ("POST", EXPORTS, 202),
    ], json.dumps(entries, indent=1)[:2000]
    for e in entries:
        assert set(e) == ENTRY_KEYS, f"journal entry keys {sorted(e)}"
        assert instant(e["time"]), e["time"]
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3, f"ids should fall, newest first: {ids}"
    times = [instant(e["time"]) for e in entries]
    assert times == sorted(times, reverse=True), f"times should fall, newest first: {times}"
    assert entries[1]["query"] == "pageSize=5&state=FULFILLED"
    assert entries[2]["query"] is None and entries[0]["body"] is None
    posted = json.loads(entries[2]["body"])
    assert posted == export_body("recordings-us", "us-east-1"), f"the POST body should be journaled: {posted}"
    assert entries[2]["headers"].get("content-type", "").startswith("application/json"), entries[2]["headers"]
    assert job["id"], job
    # Who called, and what an error answered: the 404's ErrorBody is kept, a success's body is not.
    assert {e["client"] for e in entries} == {"mock-admin"}
    assert entries[1]["response"] is None and entries[2]["response"] is None
    missing = json.loads(entries[0]["response"])
    assert missing["code"] == "not.found" and missing["status"] == 404, missing


def test_filters_method_path_and_limit(live, token):
    post_export(live, token, export_body("recordings-us", "us-east-1"))
    live.get(EXPORTS, token=token)
    live.get("/api/v2/integrations", token=token)
    live.get(EXPORTS, token=token, params={"pageNumber": 2})

    gets = journal(live, method="GET")
    assert [(e["path"], e["query"]) for e in gets] == \
        [(EXPORTS, "pageNumber=2"), ("/api/v2/integrations", None), (EXPORTS, None)], gets
    assert [e["method"] for e in journal(live, method="post")] == ["POST"], "method filter should ignore case"
    assert [e["path"] for e in journal(live, path="integrations")] == ["/api/v2/integrations"]
    assert [e["query"] for e in journal(live, path="/recordings/exports")] == ["pageNumber=2", None, None]
    assert [e["query"] for e in journal(live, path="/recordings/exports", method="GET", limit=1)] == ["pageNumber=2"]
    assert len(journal(live, limit=2)) == 2 and journal(live, limit=2) == journal(live)[:2]
    assert journal(live, path="/nothing/like/this") == []
    for bad in ("0", "-1", "abc", str(JOURNAL_SIZE + 1)):
        assert_admin_error(admin(live, "GET", "/requests", params={"limit": bad}), 400, "bad.request")


def test_the_bearer_token_never_shows(live):
    token = live.token()
    live.get(EXPORTS, token=token)
    live.get(EXPORTS, headers={"Authorization": f"bearer {token}"})
    live.get(EXPORTS, params={"access_token": token})
    text = journal_text(live)
    assert token not in text, "the raw bearer token appears in the journal"
    entries = journal(live, path=EXPORTS)
    assert [e["headers"].get("authorization") for e in entries] == [None, "bearer [REDACTED]", "Bearer [REDACTED]"]
    assert entries[0]["query"] == "access_token=[REDACTED]", entries[0]["query"]


def test_client_secrets_of_token_requests_never_show(live):
    basic = base64.b64encode(f"{ADMIN[0]}:{ADMIN[1]}".encode()).decode()
    ok(live.post("/oauth/token", auth=ADMIN, data={"grant_type": "client_credentials"}))
    ok(live.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": ADMIN[0],
                                       "client_secret": ADMIN[1]}))
    text = journal_text(live)
    assert ADMIN[1] not in text, "the client secret appears in the journal"
    assert basic not in text, "the HTTP Basic credentials appear in the journal"
    form, basic_entry = journal(live, path="/oauth/token")
    assert "client_secret=[REDACTED]" in form["body"], form["body"]
    assert "client_id=mock-admin" in form["body"], "only the secret should be hidden"
    assert "REDACTED" in basic_entry["headers"]["authorization"]


@pytest.mark.parametrize("field", ["clientSecret", "client_secret", "secret", "password", "Password",
                                   "secretAccessKey", "access_token"])
def test_a_secret_field_of_a_json_body_never_shows(live, token, field):
    secret = f"value-of-{field}-9f8e7d"
    body = export_body("recordings-us", "us-east-1")
    body["storage"][field] = secret
    body[field] = secret
    r = post_export(live, token, body)
    assert r.status_code == 400, f"an unknown key should be refused: {r.status_code}"
    assert secret not in journal_text(live), f"{field}'s value appears in the journal"
    entry = journal(live, method="POST", path=EXPORTS)[0]
    assert "recordings-us" in entry["body"], "the rest of the body should stay readable"


def test_a_secret_with_an_escaped_quote_never_shows(live, token):
    secret_tail = "TAIL-after-the-quote-71c3"
    raw = ('{"storage": {"destinationType": "s3", "bucketName": "recordings-us", "region": "us-east-1"},'
           ' "filter": {"mediaTypes": ["whatsapp"]}, "password": "pa\\"ss-' + secret_tail + '"}')
    assert json.loads(raw)["password"].endswith(secret_tail)
    live.post(EXPORTS, token=token, data=raw.encode(), headers={"Content-Type": "application/json"})
    assert secret_tail not in journal_text(live), \
        f"part of a password containing an escaped quote leaks: {journal(live)[0]['body']!r}"


def test_s3_signatures_never_show(live):
    s3 = s3_client(live.s3)
    sent = {}

    def capture(request, **_):
        sent["authorization"] = request.headers.get("Authorization", b"")

    s3.meta.events.register("before-send.s3.ListObjectsV2", capture)
    s3.list_objects_v2(Bucket="recordings-us")
    authorization = sent["authorization"]
    authorization = authorization.decode() if isinstance(authorization, bytes) else authorization
    signature = authorization.rsplit("Signature=", 1)[1]
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "recordings-us", "Key": "missing.json"})
    presigned = url.split("X-Amz-Signature=", 1)[1].split("&")[0]
    requests.get(url, timeout=10)

    text = journal_text(live)
    assert signature not in text, "a SigV4 Authorization signature appears in the journal"
    assert presigned not in text, "a presigned URL's X-Amz-Signature appears in the journal"
    assert "mock-secret-key" not in text
    listed = journal(live, path="/recordings-us")
    assert listed, "S3 requests should be journaled too"


def test_a_large_body_is_truncated(live, token):
    body = export_body("recordings-us", "us-east-1")
    body["legal_hold"] = {"enabled": True, "case_id": "LH-2023-001", "reason": "x" * 6 * 1024}
    raw = json.dumps(body)
    assert len(raw.encode()) > 6 * 1024
    post_export(live, token, body)
    entry = journal(live, method="POST")[0]
    kept = entry["body"]
    assert len(kept.encode()) < 4096 + 200, f"a {len(raw)}-byte body was kept at {len(kept.encode())} bytes"
    assert raw.startswith(kept[:4000]), "the truncated body should start as the request did"
    assert "truncated" in kept[4000:], f"the cut should say so: {kept[-120:]!r}"


def test_the_journal_is_bounded(live):
    for n in range(JOURNAL_SIZE + 25):
        live.get("/api/v2/health/check", params={"n": n})
    entries = journal(live, limit=JOURNAL_SIZE)
    assert len(entries) == JOURNAL_SIZE, f"expected {JOURNAL_SIZE} entries, got {len(entries)}"
    assert entries[0]["query"] == f"n={JOURNAL_SIZE + 24}" and entries[-1]["query"] == "n=25", \
        f"the journal should keep the newest {JOURNAL_SIZE}: {entries[0]['query']} .. {entries[-1]['query']}"
    assert len(journal(live, path="/api/v2/health/check", limit=JOURNAL_SIZE)) == JOURNAL_SIZE


def test_delete_clears_it(live, token):
    live.get(EXPORTS, token=token)
    assert journal(live)
    clear_journal(live)
    assert journal(live) == []
    live.get(EXPORTS, token=token)
    assert [e["path"] for e in journal(live)] == [EXPORTS], "the journal should fill again after a clear"


def test_an_upload_too_large_to_scan_is_noted_not_recorded(live):
    # Scanning megabytes for secrets on every upload cost more than the upload (an 8 MiB part took 19 s on a
    # debug build); such a body is noted by its size, and none of its bytes are kept.
    s3 = s3_client(live.s3)
    body = b"needle-" + b"x" * (300 * 1024)
    s3.put_object(Bucket="recordings-us", Key="journal/big.bin", Body=body)
    entry = next(e for e in journal(live, method="PUT") if e["path"].endswith("/journal/big.bin"))
    assert entry["body"] == f"[{len(body)} bytes: too large to record]", entry["body"][:200]
