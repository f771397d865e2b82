"""Conversation discovery through the official Python SDK (ConversationsApi), as Genesys's recordings downloader
(`MyPureCloud/developercenter-tutorials`, `recordings-downloader/`) starts: the details query for an interval,
then the recording metadata of each conversation it lists."""

from __future__ import annotations

from datetime import datetime

import PureCloudPlatformClientV2 as gc
import pytest

from mockserver import OTHER_ORG
from sdk import conversations, in_interval, raises_api_error, sdk_for, whatsapp_filter

WEEK = "2023-01-01T00:00:00.000Z/2023-01-08T00:00:00.000Z"
PATH = "/api/v2/analytics/conversations/details/query"


def details_query(interval: str, *, order: str = "asc", page_size: int = 100, page_number: int = 1,
                  segment_filters=None) -> gc.ConversationQuery:
    """A ConversationQuery as SDK users build one: the models take no constructor arguments, only attributes."""
    paging = gc.PagingSpec()
    paging.page_size, paging.page_number = page_size, page_number
    query = gc.ConversationQuery()
    query.interval, query.order, query.order_by, query.paging = interval, order, "conversationStart", paging
    if segment_filters is not None:
        query.segment_filters = segment_filters
    return query


def started(c: dict) -> datetime:
    return datetime.fromisoformat(c["startTime"].replace("Z", "+00:00"))


IN_WEEK = sorted((c for c in conversations() if in_interval(c, WEEK)), key=lambda c: (started(c), c["id"]))


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def admin(live):
    return sdk_for(live)


def test_the_downloader_tutorials_first_calls_run_one_for_one(admin):
    assert IN_WEEK, "the fixtures have conversations in the first week of 2023"
    # The tutorial's body is the interval its user types in, nothing else.
    details = admin.conversations.post_analytics_conversations_details_query({"interval": WEEK})
    assert admin.status == 200
    assert details.total_hits == len(IN_WEEK)
    assert [c.conversation_id for c in details.conversations] == [c["id"] for c in IN_WEEK]
    for listed, seeded in zip(details.conversations, IN_WEEK):
        # Next, per conversation: getConversationRecordingmetadata, whose ids the batch request names.
        metadata = admin.recording.get_conversation_recordingmetadata(listed.conversation_id)
        assert [m.id for m in metadata] == [seeded["recordingId"]]
        assert metadata[0].conversation_id == listed.conversation_id


def test_each_conversation_reads_into_the_sdks_models_with_its_sessions(admin):
    details = admin.conversations.post_analytics_conversations_details_query(details_query(WEEK))
    first, seeded = details.conversations[0], IN_WEEK[0]
    assert isinstance(first, gc.AnalyticsConversationWithoutAttributes)
    assert first.conversation_start == started(seeded) and first.conversation_end > first.conversation_start
    assert first.originating_direction == "inbound"
    names = {p["id"]: p["name"] for p in seeded["participants"]}
    assert {p.participant_id: p.participant_name for p in first.participants} == names
    customer = next(p for p in first.participants if p.purpose == "customer")
    session = customer.sessions[0]
    assert (session.media_type, session.message_type, session.direction) == ("message", seeded["messengerType"], "inbound")
    assert session.recording is True  # the recording's id comes from getConversationRecordingmetadata
    segment = session.segments[0]
    assert segment.segment_type == "interact" and segment.queue_id == seeded["queue"]["id"]
    assert segment.segment_start == first.conversation_start


def model_keys(model_class) -> set[str]:
    return set(model_class().attribute_map.values())


def test_every_field_of_the_answer_is_one_the_sdk_knows(admin):
    raw = admin.call("POST", PATH, body={"interval": WEEK})
    assert set(raw) <= model_keys(gc.AnalyticsConversationQueryResponse)
    for conversation in raw["conversations"]:
        assert set(conversation) <= model_keys(gc.AnalyticsConversationWithoutAttributes), conversation.keys()
        for participant in conversation["participants"]:
            assert set(participant) <= model_keys(gc.AnalyticsParticipantWithoutAttributes), participant.keys()
            for session in participant["sessions"]:
                assert set(session) <= model_keys(gc.AnalyticsSession), session.keys()
                for segment in session["segments"]:
                    assert set(segment) <= model_keys(gc.AnalyticsConversationSegment), segment.keys()


def test_filters_paging_and_order_through_the_sdks_models(admin):
    whatsapp = [c for c in IN_WEEK if c["messengerType"] == "whatsapp"]
    query = details_query(WEEK, order="desc", page_size=2, segment_filters=[whatsapp_filter()])
    page = admin.conversations.post_analytics_conversations_details_query(query)
    assert page.total_hits == len(whatsapp)
    assert [c.conversation_id for c in page.conversations] == [c["id"] for c in reversed(whatsapp)][:2]


def test_another_orgs_conversations_stay_out_of_reach(live):
    other = sdk_for(live, OTHER_ORG)
    details = other.conversations.post_analytics_conversations_details_query({"interval": WEEK})
    mine = {c["id"] for c in IN_WEEK}
    assert not mine & {c.conversation_id for c in (details.conversations or [])}


@pytest.mark.parametrize("body,field", [
    ({"interval": "2023-01-01T00:00:00Z/2023-01-09T00:00:00Z"}, "interval"),
    ({"interval": WEEK, "paging": {"pageSize": 500}}, "paging.pageSize"),
    ({"order": "asc"}, "interval"),
])
def test_bad_queries_are_the_platforms_400(admin, body, field):
    error = raises_api_error(lambda: admin.conversations.post_analytics_conversations_details_query(body), 400)
    assert field in [d["fieldName"] for d in error["details"]], error


def test_get_conversation_reads_into_the_sdks_conversation(admin, live):
    seeded = IN_WEEK[0]
    conversation = admin.conversations.get_conversation(seeded["id"])
    assert isinstance(conversation, gc.Conversation)
    assert (conversation.id, conversation.start_time) == (seeded["id"], started(seeded))
    assert {p.id for p in conversation.participants} == {p["id"] for p in seeded["participants"]}
    customer = next(p for p in conversation.participants if p.purpose == "customer")
    communication = customer.messages[0]
    assert (communication.type, communication.state, communication.recording_id) == \
        (seeded["messengerType"], "disconnected", seeded["recordingId"])
    sent = [m for m in seeded["messages"] if m["participantId"] == customer.id]
    assert [m.message_id for m in communication.messages] == [m["id"] for m in sent]
    # A communication's id is the session id the details query gives the same participant.
    details = admin.conversations.post_analytics_conversations_details_query(
        {"interval": WEEK, "conversationFilters": [{"type": "and", "predicates": [
            {"dimension": "conversationId", "value": seeded["id"]}]}]})
    sessions = {p.participant_id: p.sessions[0].session_id for p in details.conversations[0].participants}
    assert {p.id: p.messages[0].id for p in conversation.participants} == sessions

    raw = admin.call("GET", f"/api/v2/conversations/{seeded['id']}")
    assert set(raw) <= model_keys(gc.Conversation)
    for participant in raw["participants"]:
        assert set(participant) <= model_keys(gc.Participant), participant.keys()
        for message in participant["messages"]:
            assert set(message) <= model_keys(gc.Message), message.keys()
            assert set(message["toAddress"]) <= model_keys(gc.Address)
            for detail in message["messages"]:
                assert set(detail) <= model_keys(gc.MessageDetails), detail.keys()


def test_get_conversation_of_another_org_or_unknown_is_404(live):
    other = sdk_for(live, OTHER_ORG)
    raises_api_error(lambda: other.conversations.get_conversation(IN_WEEK[0]["id"]), 404, "not.found")
    raises_api_error(lambda: sdk_for(live).conversations.get_conversation("no-such-conversation"), 404, "not.found")
