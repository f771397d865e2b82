"""Conversation recordings and deletion protection through the official Python SDK (RecordingApi)."""

from __future__ import annotations

from datetime import datetime

import pytest

from sdk import (H1_2023, conversations, in_interval, jobs_query, protection_query, raises_api_error,
                 run_job, sdk_for)
from mockserver import VIEWER

Q1 = "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"
WHATSAPP = conversations(messenger="whatsapp")
HELD = [c for c in WHATSAPP if in_interval(c, Q1)]          # under LH-2023-001 (ACTIVE)
UNHELD = [c for c in WHATSAPP if not in_interval(c, Q1)]    # Q2 2023 WhatsApp
SMS = conversations(messenger="sms")


def fixture_with(word: str) -> dict:
    """The first first-org conversation with a message containing `word`."""
    hits = [c for c in conversations() if any(word in (m.get("text") or "") for m in c["messages"])]
    assert hits, f"no fixture conversation contains {word!r}"
    return hits[0]


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def admin(live):
    return sdk_for(live)


def test_conversation_recordings_carry_the_whatsapp_transcript(admin):
    convo = HELD[0]
    recordings = admin.recording.get_conversation_recordings(convo["id"])
    assert admin.status == 200
    assert isinstance(recordings, list) and len(recordings) == 1, f"expected one recording: {recordings!r:.300}"
    rec = recordings[0]
    assert (rec.id, rec.conversation_id, rec.media) == (convo["recordingId"], convo["id"], "message")
    assert rec.self_uri == f"/api/v2/conversations/{convo['id']}/recordings/{convo['recordingId']}"
    assert rec.file_state == "AVAILABLE", f"fileState {rec.file_state!r}"
    transcript = rec.messaging_transcript
    assert len(transcript) == len(convo["messages"]), "one transcript entry per WhatsApp message"
    purposes = {p["id"]: p["purpose"] for p in convo["participants"]}
    for entry, msg in zip(transcript, convo["messages"]):
        assert entry.pcFrom and entry.to, f"message {msg['id']}: from/to missing"
        assert isinstance(entry.timestamp, datetime) and entry.timestamp.tzinfo, \
            f"message {msg['id']}: timestamp should parse to an aware datetime, got {entry.timestamp!r}"
        assert entry.timestamp == datetime.fromisoformat(msg["timestamp"].replace("Z", "+00:00"))
        assert entry.purpose == purposes[msg["participantId"]], f"message {msg['id']}: purpose {entry.purpose!r}"
        if msg.get("text"):
            assert entry.message_text == msg["text"], f"message {msg['id']}: text differs"


@pytest.mark.parametrize("word", ["مرحبا", "光回線", "שלום", "您好"])
def test_right_to_left_and_cjk_text_survive_the_sdk(admin, word):
    convo = fixture_with(word)
    rec = admin.recording.get_conversation_recordings(convo["id"])[0]
    texts = [m.message_text for m in rec.messaging_transcript]
    assert any(word in (t or "") for t in texts), f"{word!r} lost on the way through the SDK: {texts[:3]}"


def test_one_recording_and_its_metadata(admin):
    convo = UNHELD[0]
    cid, rid = convo["id"], convo["recordingId"]
    rec = admin.recording.get_conversation_recording(cid, rid)
    assert (rec.id, rec.conversation_id) == (rid, cid)
    assert rec.messaging_transcript, "the single recording should carry its transcript too"
    listing = admin.recording.get_conversation_recordingmetadata(cid)
    assert [m.id for m in listing] == [rid], f"recordingmetadata list: {[m.id for m in listing]}"
    meta = admin.recording.get_conversation_recordingmetadata_recording_id(cid, rid)
    assert (meta.id, meta.conversation_id, meta.media) == (rid, cid, "message")


def test_unknown_conversation_or_recording_is_404(admin):
    convo = UNHELD[0]
    raises_api_error(lambda: admin.recording.get_conversation_recordings("no-such-conversation"),
                     404, "not.found")
    raises_api_error(lambda: admin.recording.get_conversation_recording(convo["id"], "no-such-recording"),
                     404, "not.found")


def test_protect_list_and_revoke_deletion_protection(admin):
    protected, plain, held = UNHELD[1]["id"], UNHELD[2]["id"], HELD[1]["id"]
    result = admin.recording.put_recordings_deletionprotection(protect=True, body=protection_query([protected]))
    assert not (result and result.failed_updates), f"protect reported failures: {result.failed_updates}"
    found = admin.recording.post_recordings_deletionprotection(protection_query([protected, plain, held]))
    ids = {ref.id for ref in found}
    assert ids == {protected, held}, \
        f"protected = explicitly protected + under the active hold; expected {{protected, held}}, got {ids}"
    for ref in found:
        assert ref.self_uri, f"{ref.id}: no selfUri"
    admin.recording.put_recordings_deletionprotection(protect=False, body=protection_query([protected]))
    found = admin.recording.post_recordings_deletionprotection(protection_query([protected, plain, held]))
    assert {ref.id for ref in found} == {held}, "revoking protection should leave only the held conversation"


def test_more_than_100_conversation_ids_is_400(admin):
    ids = [f"c-{i}" for i in range(101)]
    raises_api_error(lambda: admin.recording.post_recordings_deletionprotection(protection_query(ids)), 400)
    raises_api_error(lambda: admin.recording.put_recordings_deletionprotection(
        protect=True, body=protection_query(ids)), 400)


def test_viewer_cannot_apply_deletion_protection(live):
    viewer = sdk_for(live, VIEWER)
    body = raises_api_error(lambda: viewer.recording.put_recordings_deletionprotection(
        protect=True, body=protection_query([UNHELD[0]["id"]])), 403, "missing.permissions")
    assert "recording:deletionProtection:apply" in body["message"], body["message"]


def test_delete_job_skips_held_and_protected_recordings(servers):
    """A DELETE job over H1 2023 WhatsApp: Q1 is under LH-2023-001, one Q2 conversation is protected."""
    server = servers.start(export_rate=0)
    admin = sdk_for(server)
    protected, deleted = UNHELD[0], UNHELD[1]
    admin.recording.put_recordings_deletionprotection(protect=True, body=protection_query([protected["id"]]))

    job = run_job(admin, jobs_query("DELETE", interval=H1_2023, integration_id=None))

    assert job.state == "FULFILLED", f"DELETE job ended {job.state}: {job.error_message}"
    assert job.total_recordings == len(WHATSAPP), f"H1 2023 has {len(WHATSAPP)} WhatsApp recordings"
    assert job.total_skipped_recordings == len(HELD) + 1, \
        f"skipped should be {len(HELD)} held + 1 protected, got {job.total_skipped_recordings}"
    assert job.total_failed_recordings == 0
    raises_api_error(lambda: admin.recording.get_conversation_recordings(deleted["id"]), 404, "not.found")
    for kept in (protected, HELD[0], SMS[0]):
        recs = admin.recording.get_conversation_recordings(kept["id"])
        assert [r.id for r in recs] == [kept["recordingId"]], f"{kept['id']} should have kept its recording"
