"""The mock's clock (/__admin/clock): freeze, set and advance it; exports and tokens follow it, no sleeping."""

from __future__ import annotations

import time

import pytest

from control import admin, advance, assert_admin_error, clock, instant, ok, q1_whatsapp, reset, \
    seconds_from_real_time, set_clock
from exports import EXPORTS, assert_error_body, create_export, export_body, get_job, hold
from sink_checks import read_manifest

RATE = 2  # recordings per second
Q1_RECORDINGS = len(q1_whatsapp())


@pytest.fixture(scope="module")
def paced(module_servers):
    """A server exporting 2 recordings per second; each test starts from a reset."""
    return module_servers.start(export_rate=RATE)


@pytest.fixture(autouse=True)
def fresh(paced):
    reset(paced)
    yield
    reset(paced)


def test_the_clock_runs_at_real_time_until_frozen(paced):
    running = clock(paced)
    assert set(running) == {"now", "frozen"}, running
    assert running["frozen"] is False and seconds_from_real_time(running["now"]) < 5, running

    frozen = set_clock(paced, frozen=True)
    assert frozen["frozen"] is True
    assert instant(frozen["now"]) >= instant(running["now"])
    assert clock(paced) == frozen and clock(paced) == frozen, "a frozen clock moved"


def test_set_and_advance_a_frozen_clock(paced):
    set_clock(paced, frozen=True)
    assert set_clock(paced, now="2030-01-01T00:00:00Z") == {"now": "2030-01-01T00:00:00.000Z", "frozen": True}, \
        "setting the time should keep a frozen clock frozen"
    assert set_clock(paced, now="2030-01-01T02:00:00+02:00")["now"] == "2030-01-01T00:00:00.000Z", \
        "an offset should be understood"
    assert set_clock(paced, now="2030-01-01T00:00:00")["now"] == "2030-01-01T00:00:00.000Z", \
        "a time without offset is UTC"
    assert advance(paced, 90.5) == {"now": "2030-01-01T00:01:30.500Z", "frozen": True}
    assert advance(paced, 0)["now"] == "2030-01-01T00:01:30.500Z"
    assert clock(paced)["now"] == "2030-01-01T00:01:30.500Z"


def test_a_released_clock_runs_on_from_where_it_was(paced):
    set_clock(paced, now="2030-01-01T00:00:00Z", frozen=True)
    released = set_clock(paced, frozen=False)
    assert released["frozen"] is False
    start = instant(released["now"])
    assert 0 <= (start - instant("2030-01-01T00:00:00Z")).total_seconds() < 5, released
    deadline = time.monotonic() + 2
    while (now := clock(paced))["now"] == released["now"]:
        assert time.monotonic() < deadline, "a running clock did not move in 2 s"
    assert instant(now["now"]) > start


def test_advance_a_running_clock(paced):
    before = instant(clock(paced)["now"])
    after = advance(paced, 3600)
    assert after["frozen"] is False
    moved = (instant(after["now"]) - before).total_seconds()
    assert 3600 <= moved < 3605, f"advancing 3600 s moved the clock {moved:.1f} s"
    assert set_clock(paced, now="2029-06-01T12:00:00Z")["frozen"] is False, "setting the time froze the clock"


def test_an_export_moves_only_when_the_clock_does(paced):
    token = paced.token()
    frozen_at = set_clock(paced, frozen=True)["now"]
    job = create_export(paced, token, export_body("recordings-us", "us-east-1"))
    assert job["state"] == "PENDING"
    assert job["dateCreated"] == frozen_at, "the job's dateCreated should be the mock clock's time"

    watched_until = time.monotonic() + 1.5  # longer than an export stays PENDING in real time
    polls = 0
    while time.monotonic() < watched_until:
        seen = get_job(paced, token, job["id"])
        assert seen["state"] == "PENDING", f"with the clock frozen the export moved on its own: {seen}"
        polls += 1
    assert polls > 1

    advance(paced, 1)
    first = get_job(paced, token, job["id"])
    assert first["state"] == "PROCESSING", f"1 s later the export should be PROCESSING: {first}"
    assert first["totalRecordings"] == Q1_RECORDINGS
    assert 1 <= first["totalProcessedRecordings"] <= RATE + 1, f"after 1 s at {RATE}/s: {first}"

    advance(paced, 2)
    second = get_job(paced, token, job["id"])
    gained = second["totalProcessedRecordings"] - first["totalProcessedRecordings"]
    assert second["state"] == "PROCESSING" and 2 * RATE - 1 <= gained <= 2 * RATE + 1, \
        f"2 s more at {RATE}/s should write about {2 * RATE} more recordings, wrote {gained}: {second}"
    assert get_job(paced, token, job["id"]) == second, "the export moved while the clock stood still"

    done_at = advance(paced, 60)["now"]
    done = get_job(paced, token, job["id"])
    assert done["state"] == "FULFILLED", f"60 s later the export should be FULFILLED: {done}"
    assert done["totalProcessedRecordings"] == Q1_RECORDINGS and done["percentProgress"] == 100
    assert instant(done["dateCompleted"]) <= instant(done_at)
    assert instant(done["dateCompleted"]) > instant(frozen_at), done
    manifest, _ = read_manifest(paced.bucket_dir("recordings-us"), done["manifestKey"])
    assert len(manifest["objects"]) == 2 * Q1_RECORDINGS


@pytest.mark.parametrize("held", [False, True], ids=["plain", "held"])
def test_one_big_advance_finishes_a_pending_export(paced, held):
    """PENDING lasts 1 s, then 2 recordings a second: 61 s later every recording is long written."""
    token = paced.token()
    frozen_at = set_clock(paced, frozen=True)["now"]
    body = export_body("legal-discovery-eu", "eu-west-2", prefix=f"big-advance-{held}/",
                       legal_hold=hold() if held else None)
    job = create_export(paced, token, body)
    assert job["state"] == "PENDING"
    advance(paced, 61)
    done = get_job(paced, token, job["id"])
    assert done["state"] == "FULFILLED", (
        f"created at {frozen_at}, 1 s PENDING then {RATE} recordings/s: {Q1_RECORDINGS} recordings need "
        f"{1 + Q1_RECORDINGS / RATE:.0f} s of mock time, and 61 s have passed; the job is {done['state']} with "
        f"{done['totalProcessedRecordings']}/{done['totalRecordings']} written")


def test_a_token_expires_when_the_clock_passes_a_day(paced):
    set_clock(paced, frozen=True)
    token = paced.token()
    advance(paced, 86_399)
    ok(paced.get(EXPORTS, token=token))
    advance(paced, 2)  # 86,401 s after it was issued
    assert_error_body(paced.get(EXPORTS, token=token), 401, "credentials.expired")
    ok(paced.get(EXPORTS, token=paced.token()))  # a new token is good for another day


@pytest.mark.parametrize("method, path, body", [
    ("PUT", "/clock", b"{not json"),
    ("PUT", "/clock", b"[]"),
    ("PUT", "/clock", b'"2030-01-01T00:00:00Z"'),
    ("PUT", "/clock", b'{"now": "yesterday"}'),
    ("PUT", "/clock", b'{"now": 1893456000000}'),
    ("PUT", "/clock", b'{"frozen": "yes"}'),
    ("PUT", "/clock", b'{"frozen": 1}'),
    ("PUT", "/clock", b'{"frozen": true, "nowish": "2030-01-01T00:00:00Z"}'),
    ("POST", "/clock/advance", b"{}"),
    ("POST", "/clock/advance", b'{"seconds": -1}'),
    ("POST", "/clock/advance", b'{"seconds": "60"}'),
    ("POST", "/clock/advance", b'{"seconds": null}'),
    ("POST", "/clock/advance", b'{"seconds": 1e12}'),
    ("POST", "/clock/advance", b'{"secs": 60}'),
    ("POST", "/clock/advance", b"not json"),
])
def test_a_bad_clock_body_is_400_and_changes_nothing(paced, method, path, body):
    before = set_clock(paced, now="2030-01-01T00:00:00Z", frozen=True)
    r = admin(paced, method, path, data=body, headers={"Content-Type": "application/json"})
    assert_admin_error(r, 400, "bad.request")
    assert clock(paced) == before, "a refused clock request changed the clock"
