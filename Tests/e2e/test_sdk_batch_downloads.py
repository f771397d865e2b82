"""Batch downloads through the official Python SDK (RecordingApi), as Genesys's recordings downloader
(`MyPureCloud/developercenter-tutorials`, `recordings-downloader/nodejs/index.js`) runs them: the details query, the
recording metadata of each conversation, one batch request, polling until `resultCount == expectedResultCount`, then
each `resultUrl` fetched with no Authorization header, skipping results with an `errorMsg`.

The results fill in on the mock clock, paced like exports, and each URL stops working after the org's
`recordingBatchDownloadUrlTtl` (GET|PUT /api/v2/recording/settings, default 60 minutes)."""

from __future__ import annotations

import json
import time

import PureCloudPlatformClientV2 as gc
import pytest
import requests

from control import advance, reset, set_clock
from mockserver import HTTP_TIMEOUT, OTHER_ORG, OTHER_ORG_ID, VIEWER
from sdk import conversations, in_interval, jobs_query, raises_api_error, run_job, sdk_for

WEEK = "2023-01-01T00:00:00.000Z/2023-01-08T00:00:00.000Z"
RATE = 5  # results per second after the first second, as exports are paced
IN_WEEK = [c for c in conversations() if in_interval(c, WEEK)]
THREE = conversations()[:3]


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=RATE)


@pytest.fixture(autouse=True)
def fresh(live):
    reset(live)
    yield
    reset(live)


@pytest.fixture()
def admin(live):
    return sdk_for(live)


def extension(content_type: str) -> str:
    """The tutorial's getExtension: the part after '/', cut to 4 characters ('json')."""
    return content_type.split("/")[-1][:4]


def submit(sdk, items: list[dict]) -> str:
    result = sdk.recording.post_recording_batchrequests({"batchDownloadRequestList": items})
    assert isinstance(result, gc.BatchDownloadJobSubmissionResult)
    assert result.self_uri == f"/api/v2/recording/batchrequests/{result.id}"
    return result.id


def poll(sdk, batch_id: str, *, timeout: float = 20.0) -> tuple[gc.BatchDownloadJobStatusResult, list[int]]:
    """getRecordingBatchrequest until every result is in (the tutorial polls every 5 s; this every 0.2 s, bounded)."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        status = sdk.recording.get_recording_batchrequest(batch_id)
        seen.append(status.result_count)
        if status.expected_result_count == status.result_count:
            return status, seen
        assert status.status == "InProgress", status
        time.sleep(0.2)
    raise AssertionError(f"batch request {batch_id}: results {seen[-1:]} of {status.expected_result_count} after {timeout} s")


def fetch(url: str) -> requests.Response:
    """What the tutorial's http.get does: a plain GET, no Authorization header."""
    return requests.get(url, timeout=HTTP_TIMEOUT)


def test_the_downloader_tutorial_runs_one_for_one(admin, live, tmp_path):
    assert len(IN_WEEK) >= 2, "the fixtures have conversations in the first week of 2023"
    details = admin.conversations.post_analytics_conversations_details_query({"interval": WEEK})
    batch_request_body = {"batchDownloadRequestList": []}
    for conversation in details.conversations:
        for recording in admin.recording.get_conversation_recordingmetadata(conversation.conversation_id):
            batch_request_body["batchDownloadRequestList"].append(
                {"conversationId": recording.conversation_id, "recordingId": recording.id})
    submitted = admin.recording.post_recording_batchrequests(batch_request_body)
    completed, seen = poll(admin, submitted.id)
    assert seen[0] < completed.expected_result_count, f"results should fill in over time, saw {seen}"
    assert completed.status == "Completed" and completed.error_count == 0
    assert completed.expected_result_count == len(IN_WEEK)

    by_id = {c["id"]: c for c in IN_WEEK}
    for recording in completed.results:
        assert not recording.error_msg, recording
        ext = extension(recording.content_type)
        assert ext == "json"
        target = tmp_path / f"{recording.conversation_id}_{recording.recording_id}.{ext}"
        response = fetch(recording.result_url)
        assert response.status_code == 200, response.text
        target.write_bytes(response.content)
        document = json.loads(target.read_text("utf-8"))
        seeded = by_id[recording.conversation_id]
        assert (document["id"], document["conversationId"]) == (seeded["recordingId"], seeded["id"])
        assert len(document["messagingTranscript"]) == len(seeded["messages"])
        # The same transcript the platform's own recording endpoint returns.
        sdk_view = admin.recording.get_conversation_recording(recording.conversation_id, recording.recording_id)
        assert [m.message_text for m in sdk_view.messaging_transcript] == \
            [m["messageText"] for m in document["messagingTranscript"]]
    assert {p.name.split("_")[0] for p in tmp_path.iterdir()} == set(by_id)
    # A result URL is a credential, like a pre-signed URL: the request journal keeps only the token's first characters.
    journal = requests.get(f"{live.api_url}/__admin/requests", params={"path": "/downloads/"}, timeout=HTTP_TIMEOUT).json()
    paths = [e["path"] for e in journal["requests"]]
    tokens = [r.result_url.rsplit("/", 1)[1] for r in completed.results]
    assert len(paths) >= len(tokens) and all(p.endswith("…[REDACTED]") for p in paths), paths
    assert not any(t in json.dumps(journal) for t in tokens), "no download token in the journal"


def test_results_fill_in_on_the_mock_clock(admin, live):
    set_clock(live, frozen=True)
    batch_id = submit(admin, [{"conversationId": c["id"]} for c in THREE])
    status = admin.recording.get_recording_batchrequest(batch_id)
    assert (status.status, status.expected_result_count, status.result_count, status.results) == ("InProgress", 3, 0, [])
    advance(live, 1.0)
    one = admin.recording.get_recording_batchrequest(batch_id)
    assert one.result_count == 1 and len(one.results) == 1 and one.results[0].conversation_id == IN_WEEK[0]["id"]
    advance(live, 2 / RATE)
    done = admin.recording.get_recording_batchrequest(batch_id)
    assert (done.status, done.result_count) == ("Completed", 3)
    # An item without recordingId means every recording of the conversation: here, its one recording.
    assert [r.recording_id for r in done.results] == [c["recordingId"] for c in THREE]


def test_urls_expire_after_the_orgs_lifetime(admin, live):
    assert admin.recording.get_recording_settings().recording_batch_download_url_ttl == 60
    settings = gc.RecordingSettings()
    settings.recording_batch_download_url_ttl = 2
    assert admin.recording.put_recording_settings(settings).recording_batch_download_url_ttl == 2
    assert admin.recording.get_recording_settings().recording_batch_download_url_ttl == 2

    set_clock(live, frozen=True)
    batch_id = submit(admin, [{"conversationId": IN_WEEK[0]["id"], "recordingId": IN_WEEK[0]["recordingId"]}])
    advance(live, 1.0)  # the first result is ready after a second; its URL lives 2 minutes from then
    url = admin.recording.get_recording_batchrequest(batch_id).results[0].result_url
    assert fetch(url).status_code == 200
    advance(live, 119.9)
    assert fetch(url).status_code == 200
    advance(live, 0.1)
    expired = fetch(url)
    assert expired.status_code == 403
    assert expired.headers["Content-Type"] == "application/xml"
    assert "<Code>AccessDenied</Code><Message>Request has expired</Message>" in expired.text
    # A token never issued is S3's NoSuchKey.
    never_issued = fetch(url[:-1] + ("1" if url.endswith("0") else "0"))
    assert never_issued.status_code == 404 and "<Code>NoSuchKey</Code>" in never_issued.text


def test_unknown_other_org_deleted_and_archived_recordings_get_an_error_message(admin, live):
    mine, theirs = IN_WEEK[0], conversations(org_id=OTHER_ORG_ID)[0]
    items = [{"conversationId": "no-such-conversation"},
             {"conversationId": mine["id"], "recordingId": "not-its-recording"},
             {"conversationId": theirs["id"]},
             {"conversationId": mine["id"]}]
    status, _ = poll(admin, submit(admin, items))
    errors = [r.error_msg for r in status.results]
    assert status.error_count == 3 and all(errors[:3]) and errors[3] is None, errors
    assert "was not found" in errors[0] and "was not found" in errors[1] and "was not found" in errors[2]
    assert all(r.result_url is None for r in status.results[:3])

    # Archive the week's WhatsApp recordings with a recording job, then ask for them again.
    archived = run_job(admin, jobs_query("ARCHIVE", interval=WEEK, integration_id=None))
    assert archived.state == "FULFILLED", archived
    whatsapp = [c for c in IN_WEEK if c["messengerType"] == "whatsapp"]
    status, _ = poll(admin, submit(admin, [{"conversationId": c["id"]} for c in whatsapp]))
    assert status.error_count == len(whatsapp)
    assert all("is archived" in r.error_msg and r.result_url is None for r in status.results), status.results


def test_only_the_submitting_client_reads_its_request(admin, live):
    batch_id = submit(admin, [{"conversationId": IN_WEEK[0]["id"]}])
    error = raises_api_error(lambda: sdk_for(live, VIEWER).recording.get_recording_batchrequest(batch_id), 403, "not.authorized")
    assert "Only the client that submitted" in error["message"]
    raises_api_error(lambda: sdk_for(live, OTHER_ORG).recording.get_recording_batchrequest(batch_id), 404, "not.found")


@pytest.mark.parametrize("body,field", [
    ({"batchDownloadRequestList": []}, "batchDownloadRequestList"),
    ({"batchDownloadRequestList": [{"conversationId": f"c-{i}"} for i in range(101)]}, "batchDownloadRequestList"),
    ({"batchDownloadRequestList": [{"recordingId": "r-1"}]}, "batchDownloadRequestList[0].conversationId"),
    ({"batchDownloadRequestList": [{"conversationId": 7}]}, "batchDownloadRequestList[0].conversationId"),
    ({"batchDownloadRequestList": [{"conversationId": "c-1", "recordingID": "r-1"}]}, "batchDownloadRequestList[0].recordingID"),
    ({"batchDownloads": []}, "batchDownloadRequestList"),
])
def test_bad_batch_requests_are_the_platforms_400(admin, body, field):
    error = raises_api_error(lambda: admin.recording.post_recording_batchrequests(body), 400)
    assert field in [d["fieldName"] for d in error["details"]], error


@pytest.mark.parametrize("ttl", [1, 61, "60"])
def test_url_lifetimes_outside_two_to_sixty_minutes_are_refused(admin, ttl):
    error = raises_api_error(lambda: admin.call("PUT", "/api/v2/recording/settings",
                                                body={"recordingBatchDownloadUrlTtl": ttl}), 400, "invalid.value")
    assert error["details"][0]["fieldName"] == "recordingBatchDownloadUrlTtl"
    assert admin.recording.get_recording_settings().recording_batch_download_url_ttl == 60


def test_changing_the_url_lifetime_needs_its_permission(live):
    viewer = sdk_for(live, VIEWER)
    assert viewer.recording.get_recording_settings().recording_batch_download_url_ttl == 60
    error = raises_api_error(lambda: viewer.call("PUT", "/api/v2/recording/settings",
                                                 body={"recordingBatchDownloadUrlTtl": 5}), 403, "missing.permissions")
    assert "recording:settings:editUrlExpiration" in error["message"]


def model_keys(model_class) -> set[str]:
    return set(model_class().attribute_map.values())


def test_every_field_of_the_answers_is_one_the_sdk_knows(admin):
    raw = admin.call("POST", "/api/v2/recording/batchrequests",
                     body={"batchDownloadRequestList": [{"conversationId": IN_WEEK[0]["id"]}, {"conversationId": "nope"}]})
    assert set(raw) == model_keys(gc.BatchDownloadJobSubmissionResult)
    status, _ = poll(admin, raw["id"])
    whole = admin.call("GET", f"/api/v2/recording/batchrequests/{raw['id']}")
    assert set(whole) == model_keys(gc.BatchDownloadJobStatusResult)
    for result in whole["results"]:
        assert set(result) <= model_keys(gc.BatchDownloadJobResult), result
    assert set(admin.call("GET", "/api/v2/recording/settings")) == model_keys(gc.RecordingSettings)
