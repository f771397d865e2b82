"""Tenants and crashes (CONTRACT §16): SIGKILL during a tenant's creation, reset or delete leaves it whole or
absent, never half made; deleting a tenant whose exports are running stops them cleanly and others run on."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import requests

from mockserver import HTTP_TIMEOUT

HELD = {"storage": {"destinationType": "s3", "region": "eu-west-2", "prefix": "cases/LH-2023-001/"},
        "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-01-01T00:00:00Z/2023-07-01T00:00:00Z"},
        "legal_hold": {"enabled": True, "case_id": "LH-2023-001", "reason": "Discovery"}}
BIG = 10_000


def leftovers(data_dir) -> dict[str, int]:
    """Rows of an org that is no tenant's and not in the fixtures, or of a tenant that is not whole."""
    with sqlite3.connect(f"file:{data_dir / 'genesys-mock.sqlite'}?mode=ro", uri=True) as db:
        fixture_orgs = "('c0269c73-d0b8-4863-831c-beffe2a01d8f', 'e37e52e7-d604-42ee-8402-3a86a6767534')"
        known = f"(SELECT org_id FROM tenant UNION SELECT id FROM org WHERE id IN {fixture_orgs})"
        checks = {
            "orgs": f"SELECT COUNT(*) FROM org WHERE id NOT IN {known}",
            "clients": f"SELECT COUNT(*) FROM oauth_client WHERE org_id NOT IN {known}",
            "conversations": f"SELECT COUNT(*) FROM conversation WHERE org_id NOT IN {known}",
            "buckets": f"SELECT COUNT(*) FROM bucket WHERE org_id IS NOT NULL AND org_id NOT IN {known}",
            "keys": f"SELECT COUNT(*) FROM s3_access_key WHERE org_id IS NOT NULL AND org_id NOT IN {known}",
            "tenants without their world": "SELECT COUNT(*) FROM tenant t WHERE "
                                           "(SELECT COUNT(*) FROM oauth_client c WHERE c.org_id = t.org_id) != 2 "
                                           "OR (SELECT COUNT(*) FROM bucket b WHERE b.org_id = t.org_id) != 2 "
                                           "OR (SELECT COUNT(*) FROM conversation c WHERE c.org_id = t.org_id) < t.conversations",
        }
        return {name: n for name, sql in checks.items() if (n := db.execute(sql).fetchone()[0])}


def kill_during(server, method: str, path: str, body: dict | None = None, after: float = 0.05) -> None:
    """Sends the call from a thread and SIGKILLs the server `after` seconds later, whatever it has done by then."""
    def call():
        try:
            requests.request(method, server.api_url + path, json=body, timeout=HTTP_TIMEOUT)
        except requests.RequestException:
            pass
    t = threading.Thread(target=call)
    t.start()
    time.sleep(after)
    server.kill()
    t.join(timeout=HTTP_TIMEOUT)


@pytest.mark.parametrize("after", [0.02, 0.15, 0.4])
def test_sigkill_during_create_reset_or_delete_leaves_no_half_tenant(servers, after):
    first = servers.start()
    made = first.post("/__admin/tenants", json={"name": "kept", "conversations": 100}).json()
    kill_during(first, "POST", "/__admin/tenants", {"name": "big", "conversations": BIG}, after)
    assert leftovers(first.data_dir) == {}
    second = servers.start(first.data_dir)
    names = sorted(t["name"] for t in second.get("/__admin/tenants").json()["tenants"])
    assert names in (["kept"], ["big", "kept"]), names
    kill_during(second, "POST", f"/__admin/tenants/{made['id']}/reset", after=after / 4)
    kill_during(servers.start(first.data_dir), "DELETE", f"/__admin/tenants/{made['id']}", after=after / 4)
    assert leftovers(first.data_dir) == {}
    third = servers.start(first.data_dir)
    left = {t["name"]: t for t in third.get("/__admin/tenants").json()["tenants"]}
    if "kept" in left:  # the delete did not commit: the tenant is whole and its credentials work
        admin = made["clients"]["admin"]
        token = third.token(admin["clientId"], admin["clientSecret"])
        assert third.get("/api/v2/recordings/exports", token=token).status_code == 200


def test_deleting_a_tenant_stops_its_running_export_and_others_run_on(servers):
    server = servers.start(export_rate=20)
    a = server.post("/__admin/tenants", json={"name": "doomed", "conversations": 400}).json()
    b = server.post("/__admin/tenants", json={"name": "survivor", "conversations": 100}).json()
    jobs = {}
    for t in (a, b):
        admin = t["clients"]["admin"]
        token = server.token(admin["clientId"], admin["clientSecret"])
        body = {**HELD, "storage": {**HELD["storage"], "bucketName": t["buckets"][0]}}
        r = server.post("/api/v2/recordings/exports", token=token, json=body)
        assert r.status_code == 202, r.text
        jobs[t["name"]] = (r.json()["id"], token)
    doomed_id, doomed_token = jobs["doomed"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = server.get(f"/api/v2/recordings/exports/{doomed_id}", token=doomed_token).json()
        if job["state"] == "PROCESSING" and job["totalProcessedRecordings"] >= 5:
            break
        time.sleep(0.05)
    assert job["state"] == "PROCESSING" and job["totalProcessedRecordings"] < job["totalRecordings"], job
    assert server.request("DELETE", f"/__admin/tenants/{a['id']}").status_code == 204
    time.sleep(1)  # the worker's next steps: nothing of the deleted tenant may come back
    assert not server.bucket_dir(a["buckets"][0]).exists(), "no object of the deleted tenant is written after its delete"
    survivor_id, survivor_token = jobs["survivor"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = server.get(f"/api/v2/recordings/exports/{survivor_id}", token=survivor_token).json()
        if job["state"] in ("FULFILLED", "FAILED", "CANCELLED"):
            break
        time.sleep(0.1)
    assert job["state"] == "FULFILLED", job
    assert leftovers(server.data_dir) == {}
    assert server.running, "the server is still up"
