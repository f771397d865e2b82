"""POST /__admin/reset: one call puts a well-used server back to its fixtures, in well under a second."""

from __future__ import annotations

import json
import time

import pytest

from control import (SEEDED_BUCKETS, SEEDED_CLIENTS, SEEDED_HOLDS, add_fault, admin, advance, clock,
                     faults, journal, later_whatsapp, ok, q1_whatsapp, reset, seconds_from_real_time, set_clock)
from exports import (EXPORTS, assert_error_body, assert_state, create_export, export_body, get_job,
                     poll_job, wait_until_ended)
from held import run_held_export
from mockserver import VIEWER
from sink_checks import files_under

PROTECTED = later_whatsapp()[0]["id"]
HELD_BY_NEW_CASE = later_whatsapp()[1]["id"]
SCRATCH_CLIENT = {"clientId": "reset-scratch-client", "clientSecret": "reset-scratch-secret",
                  "permissions": ["recording:job:view"]}


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


def protected(server, token, conversation_id) -> list[str]:
    r = server.post("/api/v2/recordings/deletionprotection", token=token,
                    json={"conversationIds": [conversation_id]})
    return [c["id"] for c in ok(r)]


def timed_reset(server) -> tuple[dict, float]:
    started = time.monotonic()
    r = admin(server, "POST", "/reset")
    elapsed = time.monotonic() - started
    return ok(r), elapsed


def test_one_reset_brings_a_used_server_back_to_its_fixtures(live):
    token, viewer = live.token(), live.token(*VIEWER)

    # Use everything reset must undo.
    first = run_held_export(live, token)
    plain = create_export(live, token, export_body("recordings-us", "us-east-1"))
    assert_state(wait_until_ended(live, token, plain["id"]), "FULFILLED")
    ok(admin(live, "POST", "/legal-holds", json={"caseId": "LH-RESET-1", "name": "Scratch case",
                                                   "conversationIds": [HELD_BY_NEW_CASE]}), 201)
    assert ok(admin(live, "POST", "/legal-holds/LH-2023-001/release"))["status"] == "RELEASED"
    ok(live.request("PUT", "/api/v2/recordings/deletionprotection", token=token, params={"protect": "true"},
                    json={"conversationIds": [PROTECTED]}))
    add_fault(live, method="GET", path="/api/v2/never/**", status=500, count=5)
    add_fault(live, kind="export", writeLatencyMs=500)
    ok(admin(live, "POST", "/buckets", json={"name": "reset-scratch", "region": "eu-west-1"}), 201)
    ok(admin(live, "POST", "/oauth-clients", json=SCRATCH_CLIENT), 201)
    scratch = live.token(SCRATCH_CLIENT["clientId"], SCRATCH_CLIENT["clientSecret"])
    set_clock(live, frozen=True)
    advance(live, 3 * 3600)  # frozen, three hours ahead (not a day: the tokens must stay valid)

    assert ok(live.get(EXPORTS, token=token))["total"] == 2
    assert files_under(live.sink_root), "the exports left nothing in the sink: nothing to reset"
    assert protected(live, token, PROTECTED) == [PROTECTED]
    assert protected(live, token, HELD_BY_NEW_CASE) == [HELD_BY_NEW_CASE], "the new hold should protect it"
    assert journal(live), "the journal is empty before the reset: nothing to reset"

    body, elapsed = timed_reset(live)
    assert isinstance(body.get("tookMs"), (int, float)) and 0 <= body["tookMs"] < 1000, \
        f"reset should report tookMs < 1000: {body}"
    assert elapsed < 2.0, f"reset took {elapsed:.2f} s over HTTP"

    assert journal(live) == [], "the journal should be empty right after a reset"
    now = clock(live)
    assert now["frozen"] is False, f"the clock should run again after a reset: {now}"
    assert seconds_from_real_time(now["now"]) < 5, f"the clock should be back to real time: {now}"
    assert faults(live) == {"faults": [], "exportFaults": []}

    listing = ok(live.get(EXPORTS, token=token))  # the mock-admin token of before still works
    assert (listing["total"], listing["entities"]) == (0, []), f"exports survived the reset: {listing['total']}"
    assert_error_body(live.get(f"{EXPORTS}/{first.id}", token=token), 404, "not.found")
    assert ok(live.get(EXPORTS, token=viewer))["total"] == 0, "the mock-viewer token of before should still work"
    assert files_under(live.sink_root) == set(), \
        f"files left in the sink: {sorted(files_under(live.sink_root))[:5]}"

    holds = ok(admin(live, "GET", "/legal-holds"))["legalHolds"]
    assert {h["caseId"]: h["status"] for h in holds} == SEEDED_HOLDS
    assert admin(live, "GET", "/legal-holds/LH-RESET-1").status_code == 404, "a hold created before the reset survived"
    assert protected(live, token, PROTECTED) == [], "deletion protection survived the reset"
    assert protected(live, token, HELD_BY_NEW_CASE) == [], "the removed hold still protects its conversation"

    assert {b["name"] for b in ok(admin(live, "GET", "/buckets"))["buckets"]} == SEEDED_BUCKETS
    assert {c["clientId"] for c in ok(admin(live, "GET", "/oauth-clients"))["oauthClients"]} == SEEDED_CLIENTS
    assert_error_body(live.get(EXPORTS, token=scratch), 401, "bad.credentials")


def test_after_a_reset_the_same_held_export_runs_again_with_a_fresh_audit_log(live):
    token = live.token()
    run_held_export(live, token)
    reset(live)
    again = run_held_export(live, token)  # the held objects of before are gone, so it can write them again
    custody = json.loads((again.bucket_dir / again.custody_key).read_bytes())
    first = custody["entries"][0]
    assert first["seq"] == 1, f"the audit log should start again after a reset; first entry is {first}"
    assert files_under(again.bucket_dir) == again.all_keys, "the sink holds more than the one export"


def test_reset_stops_a_running_export_for_good(servers):
    server = servers.start(export_rate=2)
    token = server.token()
    set_clock(server, frozen=True)
    job = create_export(server, token, export_body("recordings-us", "us-east-1"))
    advance(server, 2)
    running = get_job(server, token, job["id"])
    assert running["state"] == "PROCESSING" and running["totalProcessedRecordings"] >= 1, \
        f"the export should be part-way: {running}"
    assert files_under(server.bucket_dir("recordings-us")), "the part-way export wrote nothing"

    reset(server)
    advance(server, 3600)  # any job still alive would finish now
    assert_error_body(server.get(f"{EXPORTS}/{job['id']}", token=token), 404, "not.found")
    assert ok(server.get(EXPORTS, token=token))["total"] == 0
    assert files_under(server.sink_root) == set(), "the reset export kept writing"


def test_reset_restarts_the_rate_limit_window(servers):
    server = servers.start(export_rate=0, rate_limit=3)
    token = server.token()
    for _ in range(3):
        ok(server.get(EXPORTS, token=token))
    limited = assert_error_body(server.get(EXPORTS, token=token), 429, "too.many.requests")
    assert limited.get("limit"), f"429 without limit: {limited}"
    reset(server)
    ok(server.get(EXPORTS, token=token))


def test_reset_is_idempotent_and_only_a_post(live):
    for _ in range(3):
        body, elapsed = timed_reset(live)
        assert body["status"] == "reset" and body["tookMs"] < 1000 and elapsed < 2.0, body
    r = admin(live, "GET", "/reset")
    assert r.status_code == 405, f"GET /__admin/reset should be 405, got {r.status_code}: {r.text[:300]}"


def test_reset_does_not_wait_out_an_injected_write_latency(servers):
    """A test that slowed the writes down must still be able to reset at once (e.g. in its teardown)."""
    server = servers.start(export_rate=0)
    token = server.token()
    add_fault(server, kind="export", writeLatencyMs=400)
    ids = [c["id"] for c in q1_whatsapp()[:4]]  # 4 recordings, 8 objects: 3.2 s of injected latency
    started = time.monotonic()
    job = create_export(server, token, export_body("recordings-us", "us-east-1", conversation_ids=ids))
    poll_job(server, token, job["id"], lambda j: j["state"] == "PROCESSING", timeout=5, waiting_for="PROCESSING")
    time.sleep(0.3)  # the worker's next pass starts the slowed batch

    body, elapsed = timed_reset(server)
    assert body["tookMs"] < 1000 and elapsed < 2.0, (
        f"reset during a slowed export took {elapsed:.2f} s (tookMs {body['tookMs']}): it waited out the "
        "injected write latency")
    assert_error_body(server.get(f"{EXPORTS}/{job['id']}", token=token), 404, "not.found")
    settle = started + 3.2 + 1.0 - time.monotonic()  # past the end of the slowed batch
    deadline = time.monotonic() + max(0.0, settle)
    while time.monotonic() < deadline:
        assert files_under(server.sink_root) == set(), "the reset export wrote its objects after the reset"
        time.sleep(0.1)
    assert files_under(server.sink_root) == set(), "the reset export wrote its objects after the reset"
