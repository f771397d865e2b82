"""Retention and archive through the official Python SDK (RecordingApi): archive, delete and export dates set with
put_conversation_recording take effect when the mock clock reaches them; a deletion never happens under deletion
protection; a new archive date restores an archived recording, which is readable once restored and archived again
when the date comes; get_recordings_retention_query lists recordings by retention, a cursor page at a time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import PureCloudPlatformClientV2 as gc
import pytest

from control import advance, clock, instant, reset, set_clock
from mockserver import VIEWER
from sdk import conversations, in_interval, protection_query, raises_api_error, sdk_for

RESTORE_MINUTES = 10
MINE = conversations()
Q1 = "2023-01-01T00:00:00.000Z/2023-04-01T00:00:00.000Z"
HELD = [c for c in MINE if c["messengerType"] == "whatsapp" and in_interval(c, Q1)]  # LH-2023-001 holds these
FREE = [c for c in MINE if c not in HELD]


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(autouse=True)
def fresh(live):
    reset(live)
    set_clock(live, frozen=True)
    yield
    set_clock(live, now=datetime.now(timezone.utc).isoformat(), frozen=False)
    reset(live)


def admin(live):
    """A new token each time: the clock moves by days here, and tokens live one day."""
    return sdk_for(live)


def now(live) -> datetime:
    return instant(clock(live)["now"])


def put_dates(sdk, c: dict, **dates) -> gc.Recording:
    """What an SDK user does: GET the recording, change its dates, PUT it back whole."""
    recording = sdk.recording.get_conversation_recording(c["id"], c["recordingId"])
    for name, value in dates.items():
        setattr(recording, name, value)
    return sdk.recording.put_conversation_recording(c["id"], c["recordingId"], recording)


def batch_error(sdk, c: dict) -> str | None:
    submitted = sdk.recording.post_recording_batchrequests({"batchDownloadRequestList": [{"conversationId": c["id"]}]})
    return sdk.recording.get_recording_batchrequest(submitted.id).results[0].error_msg


def test_an_archive_date_archives_when_the_clock_reaches_it(live):
    c = MINE[0]
    when = now(live) + timedelta(hours=1)
    updated = put_dates(admin(live), c, archive_date=when)
    assert (updated.file_state, updated.archive_date) == ("AVAILABLE", when)
    advance(live, 3599)
    assert admin(live).recording.get_conversation_recording(c["id"], c["recordingId"]).file_state == "AVAILABLE"
    advance(live, 1)
    archived = admin(live).recording.get_conversation_recording(c["id"], c["recordingId"])
    assert (archived.file_state, archived.archive_medium, archived.archive_date) == ("ARCHIVED", "CLOUDARCHIVE", when)
    assert "is archived" in batch_error(admin(live), c)


def test_a_new_archive_date_restores_until_then(live):
    c = MINE[1]
    put_dates(admin(live), c, archive_date=now(live) + timedelta(seconds=1))
    advance(live, 1)
    until = now(live) + timedelta(days=2)
    restoring = put_dates(admin(live), c, archive_date=until)
    assert (restoring.file_state, restoring.restore_expiration_time) == ("RESTORING", until)
    assert "RESTORING" in batch_error(admin(live), c)
    advance(live, RESTORE_MINUTES * 60)
    restored = admin(live).recording.get_conversation_recording(c["id"], c["recordingId"])
    assert restored.file_state == "RESTORED"
    assert batch_error(admin(live), c) is None, "a restored recording downloads"
    advance(live, 2 * 86_400)
    assert admin(live).recording.get_conversation_recording(c["id"], c["recordingId"]).file_state == "ARCHIVED"


def test_a_delete_date_deletes_unless_the_recording_is_protected_or_held(live):
    gone, kept, held = FREE[0], FREE[1], HELD[0]
    sdk = admin(live)
    sdk.recording.put_recordings_deletionprotection(protect=True, body=protection_query([kept["id"]]))
    when = now(live) + timedelta(minutes=5)
    for c in (gone, kept, held):
        assert put_dates(sdk, c, delete_date=when).delete_date == when
    advance(live, 300)
    sdk = admin(live)
    raises_api_error(lambda: sdk.recording.get_conversation_recording(gone["id"], gone["recordingId"]), 404, "not.found")
    for survivor in (kept, held):
        recording = sdk.recording.get_conversation_recording(survivor["id"], survivor["recordingId"])
        assert recording.file_state == "AVAILABLE" and recording.delete_date is None, "the skipped deletion's date is cleared"


def test_the_retention_query_pages_with_a_cursor(live):
    sdk = admin(live)
    soon = now(live) + timedelta(days=3)
    put_dates(sdk, MINE[4], delete_date=soon)  # retained for ~3 days after today, years after its start
    page = sdk.recording.get_recordings_retention_query(36_500, page_size=2)
    assert isinstance(page, gc.RecordingRetentionCursorEntityListing) and len(page.entities) == 2
    seen, cursor = [], None
    for _ in range(100):
        page = sdk.recording.get_recordings_retention_query(0, page_size=7, **({"cursor": cursor} if cursor else {}))
        seen += [(e.conversation_id, e.recording_id) for e in page.entities]
        if not page.next_uri:
            break
        cursor = page.next_uri.split("cursor=")[1]
    assert sorted(seen) == sorted((c["id"], c["recordingId"]) for c in MINE)
    assert len(seen) == len(set(seen)), "no recording twice across pages"
    dated = next(e for e in sdk.recording.get_recordings_retention_query(0, page_size=500).entities if e.conversation_id == MINE[4]["id"])
    assert dated.delete_date == soon


def test_mistakes_get_the_platforms_answers(live):
    c = MINE[5]
    sdk = admin(live)
    viewer = sdk_for(live, VIEWER)
    error = raises_api_error(lambda: put_dates(viewer, c, archive_date=now(live) + timedelta(days=1)), 403, "missing.permissions")
    assert "recording:recording:editRetention" in error["message"]
    error = raises_api_error(lambda: sdk.call("PUT", f"/api/v2/conversations/{c['id']}/recordings/{c['recordingId']}",
                                              body={"archiveDate": "next tuesday"}), 400, "invalid.date")
    assert error["details"][0]["fieldName"] == "archiveDate"
    error = raises_api_error(lambda: sdk.call("PUT", f"/api/v2/conversations/{c['id']}/recordings/{c['recordingId']}",
                                              body={"fileState": "RESTORING"}), 400)
    assert "Only an archived recording can be restored" in error["message"]
    raises_api_error(lambda: sdk.call("PUT", f"/api/v2/conversations/{c['id']}/recordings/not-its-recording", body={}), 404)
    raises_api_error(lambda: sdk.recording.get_recordings_retention_query(0, cursor="forged"), 400, "invalid.value")
    raises_api_error(lambda: sdk.recording.get_recordings_retention_query(0, page_size=501), 400, "invalid.value")
    assert admin(live).recording.get_conversation_recording(c["id"], c["recordingId"]).archive_date is None, "nothing changed"


def test_every_field_of_the_answers_is_one_the_sdk_knows(live):
    sdk = admin(live)
    listing = sdk.call("GET", "/api/v2/recordings/retention/query", query={"retentionThresholdDays": 0, "pageSize": 3})
    assert set(listing) <= set(gc.RecordingRetentionCursorEntityListing().attribute_map.values())
    for entity in listing["entities"]:
        assert set(entity) <= set(gc.RecordingRetention().attribute_map.values()), entity
