"""Two orgs on one mock, through the official Python SDK: neither sees the other's jobs or recordings."""

from __future__ import annotations

import pytest

from mockserver import OTHER_ORG, OTHER_ORG_ID
from sdk import (ORG_INTEGRATION_ID, OTHER_ORG_INTEGRATION_ID, S3_INTEGRATION_TYPE, all_jobs,
                 conversations, execute_query, jobs_query, raises_api_error, sdk_for)

MINE = conversations()[0]
THEIRS = conversations(org_id=OTHER_ORG_ID)[0]


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def admin(live):
    return sdk_for(live)


@pytest.fixture(scope="module")
def other(live):
    return sdk_for(live, OTHER_ORG)


@pytest.fixture(scope="module")
def my_job(admin):
    return admin.recording.post_recording_jobs(jobs_query("EXPORT"))


def test_each_org_lists_only_its_own_s3_integration(admin, other):
    for sdk, mine, theirs in ((admin, ORG_INTEGRATION_ID, OTHER_ORG_INTEGRATION_ID),
                              (other, OTHER_ORG_INTEGRATION_ID, ORG_INTEGRATION_ID)):
        ids = {i.id for i in sdk.integrations.get_integrations(page_size=100).entities
               if i.integration_type and i.integration_type.id == S3_INTEGRATION_TYPE}
        assert ids == {mine}, f"expected only {mine}, listed {ids}"
        raises_api_error(lambda: sdk.integrations.get_integration(theirs), 404, "not.found")


def test_other_org_cannot_see_or_touch_my_job(admin, other, my_job):
    raises_api_error(lambda: other.recording.get_recording_job(my_job.id), 404, "not.found")
    raises_api_error(lambda: other.recording.get_recording_job_failedrecordings(my_job.id), 404, "not.found")
    raises_api_error(lambda: other.recording.put_recording_job(my_job.id, execute_query()), 404, "not.found")
    raises_api_error(lambda: other.recording.delete_recording_job(my_job.id), 404, "not.found")
    assert my_job.id not in {j.id for j in all_jobs(other)}, "the other org lists my job"
    assert admin.recording.get_recording_job(my_job.id).state != "CANCELLED", "the other org cancelled my job"


def test_other_orgs_job_is_invisible_to_me(admin, other):
    theirs = other.recording.post_recording_jobs(jobs_query("EXPORT", integration_id=OTHER_ORG_INTEGRATION_ID))
    assert other.status == 202
    raises_api_error(lambda: admin.recording.get_recording_job(theirs.id), 404, "not.found")
    assert theirs.id not in {j.id for j in all_jobs(admin)}
    other.recording.delete_recording_job(theirs.id)


def test_conversation_recordings_are_org_scoped(admin, other):
    raises_api_error(lambda: other.recording.get_conversation_recordings(MINE["id"]), 404, "not.found")
    raises_api_error(lambda: other.recording.get_conversation_recordingmetadata(MINE["id"]), 404, "not.found")
    raises_api_error(lambda: admin.recording.get_conversation_recordings(THEIRS["id"]), 404, "not.found")
    assert [r.id for r in other.recording.get_conversation_recordings(THEIRS["id"])] == [THEIRS["recordingId"]]
