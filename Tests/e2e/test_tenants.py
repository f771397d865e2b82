"""Tenants (CONTRACT §16): one mock for a CI fleet. Sixteen workers at once, each with its own tenant, run the
official SDK's recording-job flow, an export under legal hold, boto3 on their bucket, a reset and a clock move, and
none of them sees or disturbs another, nor the shared world."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from mockserver import ADMIN
from s3client import code_of, s3_client
from sdk import ENDED, Q1_2023, conversations, in_interval, jobs_query, run_job, sdk_for, raises_api_error

WORKERS = 16
Q1_WHATSAPP = [c for c in conversations(messenger="whatsapp") if in_interval(c, Q1_2023)]
HELD = {"storage": {"destinationType": "s3", "region": "eu-west-2", "prefix": "cases/LH-2023-001/"},
        "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"},
        "legal_hold": {"enabled": True, "case_id": "LH-2023-001", "reason": "Discovery"}}


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


class Tenant:
    """A tenant as a CI job holds it: the credentials printed at its creation."""

    def __init__(self, server, body: dict):
        self.server, self.body = server, body
        self.id, self.org = body["id"], body["orgId"]
        self.admin = (body["clients"]["admin"]["clientId"], body["clients"]["admin"]["clientSecret"])
        self.key = (body["s3"]["accessKeyId"], body["s3"]["secretAccessKey"])
        self.bucket = body["buckets"][0]

    def s3(self):
        return s3_client(self.server.s3, access_key=self.key[0], secret_key=self.key[1], region="eu-west-2")

    def keys(self) -> list[str]:
        pages = self.s3().get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(o["Key"] for page in pages for o in page.get("Contents", []))


def create(server, name: str, conversations: int = 0) -> Tenant:
    r = server.post("/__admin/tenants", json={"name": name, "conversations": conversations})
    assert r.status_code == 201, f"create {name}: {r.status_code} {r.text[:500]}"
    return Tenant(server, r.json())


def wait_export(live, export_id: str, token: str) -> dict:
    """The export once it has ended (bounded: 20 s)."""
    for _ in range(400):
        export = live.get(f"/api/v2/recordings/exports/{export_id}", token=token).json()
        if export["state"] in ENDED:
            return export
        time.sleep(0.05)
    raise AssertionError(f"export {export_id} still {export['state']} after 20 s")


def worker(live, n: int) -> dict:
    """One CI job's whole session against its own tenant; returns what it saw, for the cross-checks."""
    t = create(live, f"worker-{n}")
    sdk = sdk_for(live, t.admin)
    # The SDK's recording-job flow, as the tutorial runs it, into the tenant's own integration.
    integrations = sdk.integrations.get_integrations(page_size=100).entities
    assert [i.id for i in integrations] == [t.body["integrationId"]], f"worker {n} sees {[i.id for i in integrations]}"
    job = run_job(sdk, jobs_query("EXPORT", integration_id=t.body["integrationId"]))
    assert job.state == "FULFILLED", f"worker {n}: {job}"
    assert job.total_conversations == len(Q1_WHATSAPP)
    # An export under the tenant's ACTIVE hold into its own bucket.
    token = live.token(*t.admin)
    held = {**HELD, "storage": {**HELD["storage"], "bucketName": t.bucket}}
    r = live.post("/api/v2/recordings/exports", token=token, json=held)
    assert r.status_code == 202, f"worker {n}: {r.status_code} {r.text[:300]}"
    export_id = r.json()["id"]
    export = wait_export(live, export_id, token)
    assert export["state"] == "FULFILLED", f"worker {n}: {export}"
    keys = t.keys()
    assert any(k.startswith("cases/LH-2023-001/") for k in keys), f"worker {n}: boto3 lists {keys[:5]}"
    seen = {"tenant": t, "job": job.id, "export": export_id, "keys": keys, "token": token}
    # A reset puts this tenant alone back: its jobs and objects go, its credentials stay.
    r = live.post(f"/__admin/tenants/{t.id}/reset")
    assert r.status_code == 200, f"worker {n}: reset {r.status_code} {r.text[:300]}"
    assert t.keys() == [], f"worker {n}: objects left after the reset"
    raises_api_error(lambda: sdk.recording.get_recording_job(job.id), 404)
    # Its clock moves two days: its day-long token expires; nobody else's does.
    r = live.post(f"/__admin/tenants/{t.id}/clock/advance", json={"seconds": 2 * 86_400})
    assert r.status_code == 200, f"worker {n}: clock {r.status_code} {r.text[:300]}"
    assert live.get("/api/v2/recordings/exports", token=token).status_code == 401
    return seen


def test_sixteen_tenants_at_once_never_cross(live):
    shared_token = live.token(*ADMIN)
    shared_before = live.get("/api/v2/recordings/exports", token=shared_token).json()["total"]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda n: worker(live, n), range(WORKERS)))
    tenants = [r["tenant"] for r in results]
    assert len({t.org for t in tenants}) == WORKERS and len({t.bucket for t in tenants}) == WORKERS
    # Each worker's credentials reach nothing of another's: API 404 (with a fresh token, issued on its own clock), S3
    # AccessDenied.
    for mine, theirs in zip(tenants, tenants[1:] + tenants[:1]):
        token = live.token(*mine.admin)
        other = next(r for r in results if r["tenant"] is theirs)
        assert live.get(f"/api/v2/recordings/exports/{other['export']}", token=token).status_code == 404
        assert live.get(f"/api/v2/recording/jobs/{other['job']}", token=token).status_code == 404
        with pytest.raises(ClientError) as e:
            mine.s3().list_objects_v2(Bucket=theirs.bucket)
        assert code_of(e.value) == "AccessDenied"
        assert [b["Name"] for b in mine.s3().list_buckets()["Buckets"]] == sorted(mine.body["buckets"])
    # The shared world saw none of it: its exports and its clock are as they were.
    shared = live.get("/api/v2/recordings/exports", token=shared_token)
    assert shared.status_code == 200 and shared.json()["total"] == shared_before
    with pytest.raises(ClientError) as e:
        s3_client(live.s3).list_objects_v2(Bucket=tenants[0].bucket)
    assert code_of(e.value) == "AccessDenied", "the shared key does not reach a tenant's bucket"
    # One tenant's traffic in the journal is its own.
    entries = live.get(f"/__admin/requests?tenant={tenants[0].id}&limit=1000").json()["requests"]
    mine = {tenants[0].admin[0], tenants[0].key[0]}
    assert entries and all(e.get("client") in mine for e in entries)


def test_delete_removes_a_tenant_and_its_files_and_nothing_else(live):
    a, b = create(live, "delete-a"), create(live, "delete-b")
    token_a, token_b = live.token(*a.admin), live.token(*b.admin)
    for t, token in ((a, token_a), (b, token_b)):
        held = {**HELD, "storage": {**HELD["storage"], "bucketName": t.bucket}}
        r = live.post("/api/v2/recordings/exports", token=token, json=held)
        assert r.status_code == 202
        assert wait_export(live, r.json()["id"], token)["state"] == "FULFILLED"
    b_keys = b.keys()
    assert live.request("DELETE", f"/__admin/tenants/{a.id}").status_code == 204
    assert live.get("/api/v2/recordings/exports", token=token_a).status_code == 401
    assert not live.bucket_dir(a.bucket).exists(), "its bucket folder is gone"
    with pytest.raises(ClientError) as e:
        a.s3().list_objects_v2(Bucket=a.bucket)
    assert code_of(e.value) == "InvalidAccessKeyId"
    assert b.keys() == b_keys, "the other tenant keeps its objects"
    assert live.get(f"/__admin/tenants/{a.id}").status_code == 404


def test_the_cli_prints_a_new_tenant_as_environment_lines(live, mock_bin):
    run = subprocess.run([str(mock_bin), "tenant", "create", "cli-made", "--conversations", "3", "--url", live.api_url],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    env = dict(line.split("=", 1) for line in run.stdout.strip().splitlines())
    assert env["GENESYS_CLOUD_API_HOST"] == live.api_url and env["AWS_ACCESS_KEY_ID"].startswith("AKIA")
    token = live.token(env["GENESYS_CLOUD_CLIENT_ID"], env["GENESYS_CLOUD_CLIENT_SECRET"])
    assert live.get("/api/v2/recordings/exports", token=token).status_code == 200
    s3 = s3_client(live.s3, access_key=env["AWS_ACCESS_KEY_ID"], secret_key=env["AWS_SECRET_ACCESS_KEY"])
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == env["GENESYS_MOCK_BUCKETS"].split(",")
    again = subprocess.run([str(mock_bin), "tenant", "create", "cli-made", "--url", live.api_url],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "tenant.exists" in again.stderr and again.stdout == ""
