"""The mock's legal-hold export API is not in the SDK: a user reaches it with the SDK's generic call_api."""

from __future__ import annotations

import time

import pytest

from exports import EXPORTS, TERMINAL_STATES, export_body, hold
from sdk import raises_api_error, sdk_for

HELD_REQUEST = export_body("legal-discovery-eu", "eu-west-2", prefix="sdk-call-api/", legal_hold=hold())


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def admin(live):
    return sdk_for(live)


def poll_export(sdk, job_id: str, *, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    job: dict = {}
    while time.monotonic() < deadline:
        job = sdk.call("GET", f"{EXPORTS}/{job_id}")
        if job.get("state") in TERMINAL_STATES:
            return job
        time.sleep(0.05)
    raise AssertionError(f"export {job_id} not ended after {timeout:.0f} s: state {job.get('state')}")


def test_held_export_via_call_api_runs_to_fulfilled(admin):
    accepted = admin.call("POST", EXPORTS, body=HELD_REQUEST)
    assert admin.status == 202, f"POST {EXPORTS} should be 202, got {admin.status}"
    assert isinstance(accepted, dict) and accepted["state"] == "PENDING", f"accepted: {accepted!r:.500}"
    assert accepted["legal_hold"] == HELD_REQUEST["legal_hold"], "snake_case legal_hold should round-trip"
    assert admin.header("ININ-Correlation-Id")
    job = poll_export(admin, accepted["id"])
    assert job["state"] == "FULFILLED", f"export ended {job['state']}: {job.get('errorMessage')}"
    assert job["totalRecordings"] > 0 and job["totalProcessedRecordings"] == job["totalRecordings"]
    assert job["manifestKey"], "a fulfilled export names its manifest"
    listing = admin.call("GET", EXPORTS, query={"caseId": "LH-2023-001", "pageSize": 100})
    assert accepted["id"] in {j["id"] for j in listing["entities"]}, "the export is listed under its case id"


def test_call_api_surfaces_the_legal_hold_error_as_api_exception(admin):
    body = raises_api_error(lambda: admin.call("POST", EXPORTS, body={**HELD_REQUEST, "legal_hold": True}),
                            400, "invalid.metadata.structure")
    assert body["message"] == "Invalid metadata structure for legal_hold"
