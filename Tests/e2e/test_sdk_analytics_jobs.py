"""Async details jobs through the official Python SDK (ConversationsApi): conversation discovery over more than the
details query's 7 days. A job is QUEUED on the mock clock, then FULFILLED; its results come a cursor page at a time,
in conversation-start order; it can be cancelled; its results expire a day after it is fulfilled."""

from __future__ import annotations

from datetime import datetime, timezone

import PureCloudPlatformClientV2 as gc
import pytest

from control import advance, clock, instant, reset, set_clock
from mockserver import OTHER_ORG
from sdk import conversations, in_interval, raises_api_error, sdk_for, whatsapp_filter

QUARTER = "2023-01-01T00:00:00.000Z/2023-04-01T00:00:00.000Z"
RATE = 5


def started(c: dict) -> datetime:
    return datetime.fromisoformat(c["startTime"].replace("Z", "+00:00"))


IN_QUARTER = sorted((c for c in conversations() if in_interval(c, QUARTER)), key=lambda c: (started(c), c["id"]))


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=RATE)


@pytest.fixture(autouse=True)
def fresh(live):
    reset(live)
    set_clock(live, frozen=True)
    yield
    set_clock(live, now=datetime.now(timezone.utc).isoformat(), frozen=False)
    reset(live)


@pytest.fixture()
def admin(live):
    return sdk_for(live)


def async_query(interval: str = QUARTER, *, order: str | None = None, limit: int | None = None, whatsapp: bool = False):
    q = gc.AsyncConversationQuery()
    q.interval = interval
    if order:
        q.order = order
    if limit is not None:
        q.limit = limit
    if whatsapp:
        q.segment_filters = [whatsapp_filter()]
    return q


def fulfilled_job(admin, live, query) -> str:
    job_id = admin.conversations.post_analytics_conversations_details_jobs(query).job_id
    assert admin.status == 202
    advance(live, 1.0)
    assert admin.conversations.get_analytics_conversations_details_job(job_id).state == "FULFILLED"
    return job_id


def every_page(admin, job_id: str, page_size: int) -> tuple[list[str], int]:
    ids, cursor, pages = [], None, 0
    for _ in range(200):  # bounded
        kwargs = {"page_size": page_size} | ({"cursor": cursor} if cursor else {})
        page = admin.conversations.get_analytics_conversations_details_job_results(job_id, **kwargs)
        pages += 1
        ids += [c.conversation_id for c in page.conversations or []]
        cursor = page.cursor
        if not cursor:
            return ids, pages
    raise AssertionError("more than 200 pages")


def test_a_job_is_queued_then_fulfilled_on_the_mock_clock(admin, live):
    assert len(IN_QUARTER) > 7, "the quarter holds more than a week of conversations"
    job_id = admin.conversations.post_analytics_conversations_details_jobs(async_query()).job_id
    queued = admin.conversations.get_analytics_conversations_details_job(job_id)
    assert queued.state == "QUEUED" and queued.completion_date is None
    assert queued.submission_date == instant(clock(live)["now"])
    raises_api_error(lambda: admin.conversations.get_analytics_conversations_details_job_results(job_id), 400)
    advance(live, 1.0)
    done = admin.conversations.get_analytics_conversations_details_job(job_id)
    assert done.state == "FULFILLED"
    assert (done.expiration_date - done.completion_date).total_seconds() == 86_400
    advance(live, 86_400)  # the admin's token has expired with the day too: a new one
    assert sdk_for(live).conversations.get_analytics_conversations_details_job(job_id).state == "EXPIRED"


def test_results_come_a_cursor_page_at_a_time_in_start_order(admin, live):
    job_id = fulfilled_job(admin, live, async_query())
    ids, pages = every_page(admin, job_id, 3)
    assert ids == [c["id"] for c in IN_QUARTER]
    assert pages == -(-len(IN_QUARTER) // 3) or pages == len(IN_QUARTER) // 3 + 1
    first = admin.conversations.get_analytics_conversations_details_job_results(job_id, page_size=2)
    assert isinstance(first.conversations[0], gc.AnalyticsConversation)
    assert first.data_availability_date == instant(clock(live)["now"])


def test_filters_order_and_limit(admin, live):
    whatsapp = [c for c in IN_QUARTER if c["messengerType"] == "whatsapp"]
    ids, _ = every_page(admin, fulfilled_job(admin, live, async_query(whatsapp=True, order="desc")), 4)
    assert ids == [c["id"] for c in reversed(whatsapp)]
    limited, _ = every_page(admin, fulfilled_job(admin, live, async_query(limit=5)), 2)
    assert limited == [c["id"] for c in IN_QUARTER[:5]]


def test_a_cancelled_job_has_no_results(admin, live):
    job_id = admin.conversations.post_analytics_conversations_details_jobs(async_query()).job_id
    admin.conversations.delete_analytics_conversations_details_job(job_id)
    assert admin.status == 204
    assert admin.conversations.get_analytics_conversations_details_job(job_id).state == "CANCELLED"
    advance(live, 2.0)
    assert admin.conversations.get_analytics_conversations_details_job(job_id).state == "CANCELLED"
    error = raises_api_error(lambda: admin.conversations.get_analytics_conversations_details_job_results(job_id), 400)
    assert "CANCELLED" in error["message"]


def test_availability_is_the_mock_clocks_now(admin, live):
    set_clock(live, now="2025-05-06T07:08:09.000Z")  # back in time, so that the token stays valid
    answer = admin.conversations.get_analytics_conversations_details_jobs_availability()
    assert answer.data_availability_date == instant("2025-05-06T07:08:09.000Z")


@pytest.mark.parametrize("kwargs,field", [({"cursor": "not-a-cursor"}, "cursor"), ({"page_size": 0}, "pageSize"),
                                          ({"page_size": 1001}, "pageSize")])
def test_bad_cursors_and_page_sizes_are_400(admin, live, kwargs, field):
    job_id = fulfilled_job(admin, live, async_query())
    error = raises_api_error(lambda: admin.conversations.get_analytics_conversations_details_job_results(job_id, **kwargs),
                             400, "invalid.value")
    assert error["details"][0]["fieldName"] == field


@pytest.mark.parametrize("body,field", [
    ({"order": "asc"}, "interval"),
    ({"interval": QUARTER, "paging": {"pageSize": 5}}, "paging"),
    ({"interval": QUARTER, "limit": 0}, "limit"),
    ({"interval": QUARTER, "startOfDayIntervalMatching": "yes"}, "startOfDayIntervalMatching"),
])
def test_bad_async_queries_are_the_platforms_400(admin, body, field):
    error = raises_api_error(lambda: admin.conversations.post_analytics_conversations_details_jobs(body), 400)
    assert field in [d["fieldName"] for d in error["details"]], error


def test_another_orgs_job_is_404(admin, live):
    job_id = admin.conversations.post_analytics_conversations_details_jobs(async_query()).job_id
    other = sdk_for(live, OTHER_ORG)
    raises_api_error(lambda: other.conversations.get_analytics_conversations_details_job(job_id), 404, "not.found")
    raises_api_error(lambda: other.conversations.delete_analytics_conversations_details_job(job_id), 404, "not.found")


def model_keys(model_class) -> set[str]:
    return set(model_class().attribute_map.values())


def test_every_field_of_the_answers_is_one_the_sdk_knows(admin, live):
    raw = admin.call("POST", "/api/v2/analytics/conversations/details/jobs", body={"interval": QUARTER})
    assert set(raw) == model_keys(gc.AsyncQueryResponse)
    advance(live, 1.0)
    status = admin.call("GET", f"/api/v2/analytics/conversations/details/jobs/{raw['jobId']}")
    assert set(status) <= model_keys(gc.AsyncQueryStatus)
    page = admin.call("GET", f"/api/v2/analytics/conversations/details/jobs/{raw['jobId']}/results", query={"pageSize": 2})
    assert set(page) == model_keys(gc.AnalyticsConversationAsyncQueryResponse)
    for conversation in page["conversations"]:
        assert set(conversation) <= model_keys(gc.AnalyticsConversation)
    assert set(admin.call("GET", "/api/v2/analytics/conversations/details/jobs/availability")) == \
        model_keys(gc.DataAvailabilityResponse)
