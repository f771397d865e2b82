"""The registries behind the API (/__admin/buckets, /integrations, /oauth-clients): add, use, refuse."""

from __future__ import annotations

import time

import pytest

from control import SEEDED_BUCKETS, SEEDED_CLIENTS, admin, assert_admin_error, ok, reset
from exports import (EXPORTS, assert_error_body, assert_state, create_export, export_body, post_export,
                     wait_until_ended)
from mockserver import OTHER_ORG, OTHER_ORG_ID
from sink_checks import assert_objects_match_disk, files_under, read_manifest

S3_INTEGRATION_TYPE = "aws-s3-recording-bulk-actions-integration"
JOBS = "/api/v2/recording/jobs"
NEW_CLIENT = {"clientId": "ci-pipeline", "clientSecret": "ci-pipeline-s3cr3t-value", "name": "CI pipeline",
              "permissions": ["recording:job:view", "recording:job:add", "integrations:integration:view"]}


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def token(live):
    return live.token()


@pytest.fixture(autouse=True)
def fresh(live):
    reset(live)
    yield
    reset(live)


def client_token(server, client_id: str, secret: str):
    return server.post("/oauth/token", auth=(client_id, secret), data={"grant_type": "client_credentials"})


# -- buckets -------------------------------------------------------------------------------------------

def test_a_new_bucket_is_listed_and_receives_an_export(live, token):
    made = ok(admin(live, "POST", "/buckets", json={"name": "case-files-2024", "region": "eu-west-1",
                                                    "objectLockEnabled": True}), 201)
    assert made == {"name": "case-files-2024", "region": "eu-west-1", "objectLockEnabled": True,
                    "denyPutObject": False}, made
    listed = ok(admin(live, "GET", "/buckets"))["buckets"]
    assert {b["name"] for b in listed} == SEEDED_BUCKETS | {"case-files-2024"}

    job = wait_until_ended(live, token, create_export(
        live, token, export_body("case-files-2024", "eu-west-1", prefix="run-1/"))["id"])
    assert_state(job, "FULFILLED")
    bucket = live.bucket_dir("case-files-2024")
    manifest, _ = read_manifest(bucket, job["manifestKey"])
    assert manifest["bucket"] == "case-files-2024" and manifest["objects"]
    assert_objects_match_disk(manifest, bucket)

    wrong_region = create_export(live, token, export_body("case-files-2024", "us-east-1"))
    failed = wait_until_ended(live, token, wrong_region["id"])
    assert_state(failed, "FAILED")
    assert failed["errorMessage"].startswith("PermanentRedirect"), failed["errorMessage"]


def test_a_bucket_whose_policy_denies_put_fails_exports(live, token):
    ok(admin(live, "POST", "/buckets", json={"name": "locked-down", "region": "us-west-2", "denyPutObject": True}), 201)
    job = wait_until_ended(live, token, create_export(live, token, export_body("locked-down", "us-west-2"))["id"])
    assert_state(job, "FAILED")
    assert job["errorMessage"].startswith("AccessDenied"), job["errorMessage"]
    assert files_under(live.bucket_dir("locked-down")) == set()


def test_a_duplicate_bucket_is_409(live):
    assert_admin_error(admin(live, "POST", "/buckets", json={"name": "recordings-us", "region": "us-east-1"}),
                       409, "bucket.exists")
    ok(admin(live, "POST", "/buckets", json={"name": "once-only", "region": "us-east-1"}), 201)
    assert_admin_error(admin(live, "POST", "/buckets", json={"name": "once-only", "region": "eu-west-2"}),
                       409, "bucket.exists")


@pytest.mark.parametrize("body", [
    {},
    {"region": "eu-west-1"},
    {"name": "no-region"},
    {"name": "Bad_Bucket", "region": "eu-west-1"},
    {"name": "ab", "region": "eu-west-1"},
    {"name": "192.168.1.1", "region": "eu-west-1"},
    {"name": "fine-name", "region": "mars-north-1"},
    {"name": "fine-name", "region": "eu-west-1", "colour": "blue"},
    {"name": 42, "region": "eu-west-1"},
    ["fine-name"],
])
def test_a_bad_bucket_is_400(live, body):
    assert_admin_error(admin(live, "POST", "/buckets", json=body), 400, "bad.request")
    assert {b["name"] for b in ok(admin(live, "GET", "/buckets"))["buckets"]} == SEEDED_BUCKETS


# -- integrations ------------------------------------------------------------------------------------------

def test_a_new_integration_is_listed_by_the_genesys_api(live, token):
    ok(admin(live, "POST", "/buckets", json={"name": "archive-eu", "region": "eu-central-1"}), 201)
    made = ok(admin(live, "POST", "/integrations", json={"name": "Archive to S3 (EU)", "bucketName": "archive-eu",
                                                         "region": "eu-central-1"}), 201)
    assert made["id"] and made["integrationType"] == S3_INTEGRATION_TYPE, made
    assert (made["bucketName"], made["region"]) == ("archive-eu", "eu-central-1")
    assert made["id"] in {i["id"] for i in ok(admin(live, "GET", "/integrations"))["integrations"]}

    listed = ok(live.get("/api/v2/integrations", token=token, params={"pageSize": 100}))
    assert made["id"] in {i["id"] for i in listed["entities"]}, "the Genesys API does not list the new integration"
    one = ok(live.get(f"/api/v2/integrations/{made['id']}", token=token))
    assert one["id"] == made["id"] and one["name"] == "Archive to S3 (EU)", one
    assert "archive-eu" in str(one), f"the integration should name its bucket: {one}"
    assert_error_body(live.get(f"/api/v2/integrations/{made['id']}", token=live.token(*OTHER_ORG)), 404, "not.found")


def test_an_integration_for_the_other_org_and_a_duplicate_id(live):
    made = ok(admin(live, "POST", "/integrations", json={
        "id": "0f2a7c1e-0000-4000-8000-000000000001", "orgId": OTHER_ORG_ID, "name": "Contoso archive",
        "bucketName": "recordings-us", "region": "us-east-1"}), 201)
    assert made["orgId"] == OTHER_ORG_ID
    other = live.token(*OTHER_ORG)
    assert ok(live.get(f"/api/v2/integrations/{made['id']}", token=other))["id"] == made["id"]
    again = admin(live, "POST", "/integrations", json={"id": made["id"], "name": "Again", "bucketName": "recordings-us",
                                                        "region": "us-east-1"})
    assert_admin_error(again, 409, "integration.exists")


@pytest.mark.parametrize("body", [
    {},
    {"name": "No bucket", "region": "us-east-1"},
    {"name": "No region", "bucketName": "recordings-us"},
    {"name": "Bad bucket", "bucketName": "Not A Bucket", "region": "us-east-1"},
    {"name": "Bad region", "bucketName": "recordings-us", "region": "nowhere"},
    {"name": "Bad org", "bucketName": "recordings-us", "region": "us-east-1", "orgId": "no-such-org"},
    {"name": "Extra", "bucketName": "recordings-us", "region": "us-east-1", "integrationType": "other"},
])
def test_a_bad_integration_is_400(live, body):
    before = ok(admin(live, "GET", "/integrations"))["integrations"]
    assert_admin_error(admin(live, "POST", "/integrations", json=body), 400, "bad.request")
    assert ok(admin(live, "GET", "/integrations"))["integrations"] == before


# -- OAuth clients -----------------------------------------------------------------------------------------

def test_a_new_client_gets_a_token_at_once_with_its_permissions(live):
    made = ok(admin(live, "POST", "/oauth-clients", json=NEW_CLIENT), 201)
    assert made["clientId"] == "ci-pipeline" and sorted(made["permissions"]) == sorted(NEW_CLIENT["permissions"])
    assert NEW_CLIENT["clientSecret"] not in str(made), f"the secret is echoed back: {made}"

    r = client_token(live, NEW_CLIENT["clientId"], NEW_CLIENT["clientSecret"])
    assert r.status_code == 200, f"the new client should get a token at once: {r.status_code} {r.text[:300]}"
    issued = r.json()
    assert issued["expires_in"] == 86_400, issued
    token = issued["access_token"]
    assert ok(live.get(EXPORTS, token=token))["total"] == 0
    assert post_export(live, token, export_body("recordings-us", "us-east-1")).status_code == 202
    denied = assert_error_body(live.request("DELETE", f"{EXPORTS}/anything", token=token), 403, "missing.permissions")
    assert "recording:job:delete" in denied["message"], denied["message"]
    assert client_token(live, NEW_CLIENT["clientId"], "not-the-secret").status_code == 401


def test_secrets_are_never_listed(live):
    ok(admin(live, "POST", "/oauth-clients", json=NEW_CLIENT), 201)
    r = admin(live, "GET", "/oauth-clients")
    clients = ok(r)["oauthClients"]
    assert {c["clientId"] for c in clients} == SEEDED_CLIENTS | {"ci-pipeline"}
    for secret in (NEW_CLIENT["clientSecret"], "mock-admin-secret", "mock-viewer-secret", "mock-other-org-secret"):
        assert secret not in r.text, f"a client secret is listed back: {secret}"
    assert not [k for c in clients for k in c if "secret" in k.lower()], f"a secret field is listed: {clients[0]}"


def test_a_client_of_the_other_org_with_a_short_lived_token(live, token):
    mine = create_export(live, token, export_body("recordings-us", "us-east-1"))
    ok(admin(live, "POST", "/oauth-clients", json={"clientId": "contoso-ci", "clientSecret": "contoso-ci-secret",
                                                   "orgId": OTHER_ORG_ID, "permissions": ["recording:job:view"],
                                                   "tokenTtlSeconds": 60}), 201)
    issued = ok(client_token(live, "contoso-ci", "contoso-ci-secret"))
    assert issued["expires_in"] == 60, issued
    assert_error_body(live.get(f"{EXPORTS}/{mine['id']}", token=issued["access_token"]), 404, "not.found")


def test_a_duplicate_client_is_409(live):
    assert_admin_error(admin(live, "POST", "/oauth-clients", json={**NEW_CLIENT, "clientId": "mock-admin"}),
                       409, "client.exists")
    ok(admin(live, "POST", "/oauth-clients", json=NEW_CLIENT), 201)
    assert_admin_error(admin(live, "POST", "/oauth-clients", json=NEW_CLIENT), 409, "client.exists")
    assert ok(client_token(live, "mock-admin", "mock-admin-secret"))["access_token"], \
        "a refused duplicate must not change the existing client's secret"


@pytest.mark.parametrize("change", [
    {"clientId": None},
    {"clientSecret": None},
    {"clientSecret": "short"},
    {"permissions": None},
    {"permissions": "recording:job:view"},
    {"permissions": ["recording:job:view", 7]},
    {"tokenTtlSeconds": 0},
    {"tokenTtlSeconds": "3600"},
    {"orgId": "no-such-org"},
    {"scopes": ["all"]},
])
def test_a_bad_client_is_400(live, change):
    body = {**NEW_CLIENT, **change}
    body = {k: v for k, v in body.items() if v is not None}
    assert_admin_error(admin(live, "POST", "/oauth-clients", json=body), 400, "bad.request")
    assert {c["clientId"] for c in ok(admin(live, "GET", "/oauth-clients"))["oauthClients"]} == SEEDED_CLIENTS
    assert client_token(live, NEW_CLIENT["clientId"], NEW_CLIENT["clientSecret"]).status_code == 401


def test_a_recording_job_through_a_new_integration_writes_into_its_bucket(live, token):
    ok(admin(live, "POST", "/buckets", json={"name": "archive-eu", "region": "eu-central-1"}), 201)
    made = ok(admin(live, "POST", "/integrations", json={"name": "Archive to S3 (EU)", "bucketName": "archive-eu",
                                                         "region": "eu-central-1"}), 201)
    query = {"action": "EXPORT", "integrationId": made["id"],
             "conversationQuery": {"interval": "2023-01-01T00:00:00.000Z/2023-02-01T00:00:00.000Z"}}
    job = ok(live.post(JOBS, token=token, json=query), 202)
    ready = poll_recording_job(live, token, job["id"], {"READY"})
    ok(live.request("PUT", f"{JOBS}/{job['id']}", token=token, json={"state": "PROCESSING"}))
    done = poll_recording_job(live, token, job["id"], {"FULFILLED", "FAILED", "CANCELLED"})
    assert done["state"] == "FULFILLED", f"the job through the new integration should be FULFILLED: {done}"
    written = files_under(live.bucket_dir("archive-eu"))
    assert len(written) == 2 * ready["totalRecordings"] > 0, \
        f"expected a transcript and a sidecar per recording in archive-eu, found {sorted(written)[:5]}"
    assert files_under(live.bucket_dir("recordings-us")) == set(), "the job wrote into the seeded bucket instead"


def poll_recording_job(server, token, job_id: str, states: set[str], timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    job: dict = {}
    while time.monotonic() < deadline:
        job = ok(server.get(f"{JOBS}/{job_id}", token=token))
        if job["state"] in states:
            return job
        time.sleep(0.05)
    raise AssertionError(f"recording job {job_id} not {'/'.join(sorted(states))} after {timeout:.0f} s: {job}")
