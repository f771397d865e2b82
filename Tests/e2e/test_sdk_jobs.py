"""Recording bulk jobs through the official Python SDK, as the Genesys tutorial runs them."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from mockserver import ADMIN, ORG_ID, VIEWER
from sink_checks import assert_key_hour_is_start, files_under
from sdk import (ENDED, JOBS, ORG_INTEGRATION_ID, Q1_2023, S3_INTEGRATION_TYPE, all_jobs,
                 conversations, execute_query, in_interval, jobs_query, predicate, raises_api_error,
                 sdk_for, summary, user_id_of, wait_for_job, whatsapp_filter)

Q1_WHATSAPP = [c for c in conversations(messenger="whatsapp") if in_interval(c, Q1_2023)]


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def admin(live):
    return sdk_for(live)


@pytest.fixture(scope="module")
def export_run(live, admin):
    """The tutorial's EXPORT of Q1 2023 WhatsApp into the org's S3 integration, run to its end."""
    integrations = admin.integrations.get_integrations(page_size=100).entities
    s3 = [i for i in integrations if i.integration_type and i.integration_type.id == S3_INTEGRATION_TYPE]
    assert [i.id for i in s3] == [ORG_INTEGRATION_ID], f"the org's S3 bulk-actions integrations: {s3}"

    accepted = admin.recording.post_recording_jobs(jobs_query("EXPORT", integration_id=s3[0].id))
    status = admin.status
    ready = wait_for_job(admin, accepted.id, {"READY"} | ENDED)
    executed = put_status = None
    if ready.state == "READY":  # else the tests below say what went wrong
        executed = admin.recording.put_recording_job(accepted.id, execute_query())
        put_status = admin.status
    ended = wait_for_job(admin, accepted.id, ENDED, timeout=60)
    return SimpleNamespace(accepted=accepted, status=status, ready=ready, executed=executed,
                           put_status=put_status, job=ended, id=accepted.id)


def test_export_job_is_accepted_pending_for_its_creator(export_run):
    job = export_run.accepted
    assert export_run.status == 202, f"POST /recording/jobs should answer 202, got {export_run.status}"
    assert job.state == "PENDING", f"a new job is PENDING, got {job.state}"
    assert job.user and job.user.id == user_id_of(ADMIN[0]), f"job user {job.user}"
    assert job.self_uri == f"{JOBS}/{job.id}"
    echo = job.recording_jobs_query
    assert echo and (echo.action, echo.integration_id) == ("EXPORT", ORG_INTEGRATION_ID), f"query echo: {echo}"
    predicates = [(p.dimension, p.value) for f in echo.conversation_query.segment_filters for p in f.predicates]
    assert predicates == [("mediaType", "message"), ("messageType", "whatsapp")], f"filters echoed: {predicates}"


def test_export_job_counts_its_totals_and_becomes_ready(export_run):
    ready = export_run.ready
    assert ready.state == "READY", f"job should wait READY for the PUT, is {summary(ready)}"
    assert ready.total_conversations == len(Q1_WHATSAPP), \
        f"Q1 2023 has {len(Q1_WHATSAPP)} WhatsApp conversations; the job counted {ready.total_conversations}"
    assert ready.total_recordings == len(Q1_WHATSAPP)


def test_put_processing_runs_the_export_to_fulfilled(export_run):
    assert export_run.executed, f"never executed: the job was {summary(export_run.ready)} instead of READY"
    assert (export_run.put_status, export_run.executed.state) == (200, "PROCESSING")
    job = export_run.job
    assert job.state == "FULFILLED", f"export ended {summary(job)}"
    assert job.total_processed_recordings == job.total_recordings == len(Q1_WHATSAPP)
    assert (job.total_failed_recordings, job.percent_progress) == (0, 100)


def test_export_writes_a_transcript_and_sidecar_per_recording(live, export_run):
    assert export_run.job.state == "FULFILLED"
    root = live.bucket_dir("recordings-us")
    written = files_under(root / ORG_ID)
    expected = set()
    for c in Q1_WHATSAPP:
        names = {f"{c['recordingId']}.json", f"{c['recordingId']}.json_metadata.json"}
        keys = sorted(k for k in written if f"/conversation_id={c['id']}/" in k)
        assert {k.rsplit("/", 1)[1] for k in keys} == names, f"{c['id']}: objects {keys}"
        for k in keys:
            assert_key_hour_is_start(f"{ORG_ID}/{k}", c["startTime"])
        sidecar = json.loads((root / ORG_ID / [k for k in keys if k.endswith("_metadata.json")][0]).read_bytes())
        assert (sidecar.get("conversationId"), sidecar.get("recordingId"), sidecar.get("messageType")) == \
            (c["id"], c["recordingId"], "whatsapp"), f"{c['id']}: sidecar {sidecar}"
        expected.update(keys)
    assert written == expected, f"objects for conversations outside the job: {sorted(written - expected)[:5]}"


def test_exported_recording_reports_its_exported_date(admin, export_run):
    assert export_run.job.state == "FULFILLED"
    rec = admin.recording.get_conversation_recordings(Q1_WHATSAPP[0]["id"])[0]
    assert rec.exported_date is not None, "an exported recording should carry exportedDate"


def test_failed_recordings_of_a_clean_job_is_an_empty_page(admin, export_run):
    page = admin.recording.get_recording_job_failedrecordings(export_run.id, page_size=100)
    assert (page.entities or [], page.total) == ([], 0), f"failed recordings: {page}"


def test_put_on_an_ended_job_is_400(admin, export_run):
    raises_api_error(lambda: admin.recording.put_recording_job(export_run.id, execute_query()), 400)


def test_cancel_keeps_the_job_listable_as_cancelled(admin):
    job = admin.recording.post_recording_jobs(jobs_query("EXPORT"))
    assert admin.recording.delete_recording_job(job.id) is None
    assert admin.status in range(200, 206)
    assert admin.recording.get_recording_job(job.id).state == "CANCELLED"
    listed = {j.id: j.state for j in all_jobs(admin, state="CANCELLED")}
    assert listed.get(job.id) == "CANCELLED", "a cancelled job should be listed with state=CANCELLED"
    raises_api_error(lambda: admin.recording.delete_recording_job(job.id), 409)
    raises_api_error(lambda: admin.recording.put_recording_job(job.id, execute_query()), 400)


def test_list_pages_and_filters_my_export_jobs(admin, export_run):
    admin.recording.delete_recording_job(admin.recording.post_recording_jobs(jobs_query()).id)
    first = admin.recording.get_recording_jobs(page_size=1, page_number=1, job_type="EXPORT",
                                               show_only_my_jobs=True, sort_by="dateCreated")
    assert (first.page_size, first.page_number) == (1, 1)
    assert first.total >= 2 and first.page_count == first.total, f"paging: {first}"
    assert len(first.entities) == 1 and first.next_uri and first.self_uri, f"first page: {first}"
    assert first.previous_uri is None
    mine = all_jobs(admin, job_type="EXPORT", show_only_my_jobs=True)
    assert {j.user.id for j in mine} == {user_id_of(ADMIN[0])}, "showOnlyMyJobs listed someone else's job"
    fulfilled = all_jobs(admin, state="FULFILLED", job_type="EXPORT")
    assert export_run.id in {j.id for j in fulfilled}
    assert {j.state for j in fulfilled} == {"FULFILLED"}, "state filter let other states through"
    assert not all_jobs(admin, job_type="ARCHIVE"), "no ARCHIVE job was ever created"


def test_page_size_over_100_is_400(admin):
    raises_api_error(lambda: admin.recording.get_recording_jobs(page_size=101), 400)


def test_ready_jobs_do_not_count_against_the_two_job_limit(admin):
    ids = []
    for _ in range(3):
        job = admin.recording.post_recording_jobs(jobs_query("EXPORT"))
        ids.append(job.id)
        assert wait_for_job(admin, job.id, {"READY"} | ENDED).state == "READY"
    for job_id in ids:
        admin.recording.delete_recording_job(job_id)


def test_only_a_user_with_edit_rights_can_execute(live, admin):
    viewer = sdk_for(live, VIEWER)  # same org, view permissions only
    job = admin.recording.post_recording_jobs(jobs_query())
    wait_for_job(admin, job.id, {"READY"} | ENDED)
    body = raises_api_error(lambda: viewer.recording.put_recording_job(job.id, execute_query()), 403,
                            "missing.permissions")
    assert "recording:job:edit" in body["message"], body["message"]
    assert viewer.recording.get_recording_job(job.id).state == "READY", "the viewer may still read it"
    admin.recording.delete_recording_job(job.id)


def test_put_without_a_body_is_400(admin):
    """put_recording_job refuses a None body client-side, so send what the SDK sends for one: `null`."""
    job = admin.recording.post_recording_jobs(jobs_query())
    wait_for_job(admin, job.id, {"READY"} | ENDED)
    raises_api_error(lambda: admin.call("PUT", f"{JOBS}/{job.id}", body=None), 400)
    assert admin.recording.get_recording_job(job.id).state == "READY", "a bad PUT must not move the job"
    admin.recording.delete_recording_job(job.id)


@pytest.mark.parametrize("query, names", [
    (jobs_query("EXPORT", integration_id=None), "integrationId"),
    (jobs_query("EXPORT", interval=None), "interval"),
])
def test_export_needs_an_integration_and_an_interval(admin, query, names):
    body = raises_api_error(lambda: admin.recording.post_recording_jobs(query), 400)
    said = body["message"] + json.dumps(body["details"])
    assert names in said, f"the 400 should name {names}: {body['message']}"


def test_unsupported_segment_dimension_is_400(admin):
    f = whatsapp_filter()
    f.predicates.append(predicate("wrapUpCode", "resolved"))  # a real Genesys dimension the mock lacks
    query = jobs_query(segment_filters=[f])
    body = raises_api_error(lambda: admin.recording.post_recording_jobs(query), 400)
    assert "wrapUpCode" in body["message"] + json.dumps(body["details"]), body["message"]


def test_unknown_job_is_404(admin):
    raises_api_error(lambda: admin.recording.get_recording_job("00000000-0000-0000-0000-000000000000"),
                     404, "not.found")


@pytest.mark.parametrize("action_date, interval, sent", [
    (datetime(2030, 1, 1), Q1_2023, "2030-01-01T00:00:00"),
    (datetime(2030, 1, 1, tzinfo=timezone.utc), Q1_2023, "2030-01-01T00:00:00+00:00"),
    (None, "2023-01-01T00:00:00+00:00/2023-04-01T00:00:00+00:00", None),
], ids=["naive-action-date", "aware-action-date", "offset-interval"])
def test_sdk_date_serialisation_is_accepted(admin, action_date, interval, sent):
    """The SDK sends datetimes with isoformat(): no offset when naive, +00:00 when aware (§6.3 gotcha 4)."""
    query = jobs_query(action_date=action_date, interval=interval)
    assert admin.client.sanitize_for_serialization(query).get("actionDate") == sent
    job = admin.recording.post_recording_jobs(query)
    assert admin.status == 202
    if action_date is not None:
        assert job.recording_jobs_query.action_date == datetime(2030, 1, 1, tzinfo=timezone.utc), \
            f"actionDate echoed as {job.recording_jobs_query.action_date!r}"
    ready = wait_for_job(admin, job.id, {"READY"} | ENDED)
    assert ready.total_conversations == len(Q1_WHATSAPP), f"interval {interval} read wrongly: {summary(ready)}"
    admin.recording.delete_recording_job(job.id)


def busy_job(sdk) -> str:
    """A job that stays PENDING or PROCESSING: at --export-rate 0.01 a READY job is executed at once."""
    job = sdk.recording.post_recording_jobs(jobs_query())
    deadline = time.monotonic() + 5
    while job.state == "PENDING" and time.monotonic() < deadline:
        time.sleep(0.1)
        job = sdk.recording.get_recording_job(job.id)
    if job.state == "READY":
        job = sdk.recording.put_recording_job(job.id, execute_query())
    assert job.state in ("PENDING", "PROCESSING"), f"job should be busy, is {summary(job)}"
    return job.id


def test_third_concurrent_job_is_refused_until_a_slot_frees(servers):
    server = servers.start(export_rate=0.01)
    admin = sdk_for(server)
    busy = [busy_job(admin), busy_job(admin)]
    before = len(all_jobs(admin))
    body = raises_api_error(lambda: admin.recording.post_recording_jobs(jobs_query()), 400)
    said = body["message"].lower()
    assert re.search(r"\b(two|2)\b", said) and re.search(r"concurrent|pending|processing", said), \
        f"the 400 should say two concurrent jobs are the limit: {body['message']}"
    assert len(all_jobs(admin)) == before, "a refused job must not be created"
    for job_id in busy:
        if admin.recording.get_recording_job(job_id).state == "PROCESSING":
            raises_api_error(lambda: admin.recording.put_recording_job(job_id, execute_query()), 400)
    admin.recording.delete_recording_job(busy[0])
    job = admin.recording.post_recording_jobs(jobs_query())
    assert (admin.status, job.state) == (202, "PENDING"), "a cancelled job frees its slot"
    for job_id in (busy[1], job.id):
        admin.recording.delete_recording_job(job_id)
