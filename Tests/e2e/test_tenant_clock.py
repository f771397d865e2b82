"""A tenant's own clock (CONTRACT §16): its exports' pacing, its presigned URLs and its batch-download URLs follow
it, and the shared world's do not move with it."""

from __future__ import annotations

import time

import pytest
import requests

from mockserver import ADMIN, HTTP_TIMEOUT
from s3client import s3_client

WEEK = {"interval": "2023-01-01T00:00:00Z/2023-01-08T00:00:00Z"}
HELD = {"storage": {"destinationType": "s3", "region": "eu-west-2", "prefix": "paced/"},
        "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"},
        "legal_hold": {"enabled": True, "case_id": "LH-2023-001", "reason": "Discovery"}}


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=1)


def tenant(live, name: str) -> tuple[dict, str]:
    body = live.post("/__admin/tenants", json={"name": name}).json()
    admin = body["clients"]["admin"]
    return body, live.token(admin["clientId"], admin["clientSecret"])


def export(live, token: str, bucket: str) -> str:
    r = live.post("/api/v2/recordings/exports", token=token, json={**HELD, "storage": {**HELD["storage"], "bucketName": bucket}})
    assert r.status_code == 202, r.text
    return r.json()["id"]


def state(live, token: str, export_id: str) -> dict:
    return live.get(f"/api/v2/recordings/exports/{export_id}", token=token).json()


def test_an_export_is_paced_by_its_tenants_clock_alone(live):
    t, token = tenant(live, "paced")
    shared = live.token(*ADMIN)
    for clock in ("/__admin/clock", f"/__admin/tenants/{t['id']}/clock"):
        assert live.request("PUT", clock, json={"frozen": True}).status_code == 200
    try:
        mine, theirs = export(live, token, t["buckets"][0]), export(live, shared, "legal-discovery-eu")
        time.sleep(0.5)  # the worker passes: frozen clocks, nothing moves
        assert state(live, token, mine)["state"] == "PENDING" and state(live, shared, theirs)["state"] == "PENDING"
        assert live.post(f"/__admin/tenants/{t['id']}/clock/advance", json={"seconds": 3600}).status_code == 200
        assert state(live, token, mine)["state"] == "FULFILLED", "an hour of its clock at one recording a second"
        assert state(live, shared, theirs)["state"] == "PENDING", "the shared world's clock did not move"
    finally:
        live.request("PUT", "/__admin/clock", json={"frozen": False})


def test_presigned_and_batch_download_urls_expire_on_their_tenants_clock(live):
    t, token = tenant(live, "urls")
    key = s3_client(live.s3, access_key=t["s3"]["accessKeyId"], secret_key=t["s3"]["secretAccessKey"], region="us-east-1")
    key.put_object(Bucket=t["buckets"][1], Key="note.txt", Body=b"hello")
    presigned = key.generate_presigned_url("get_object", Params={"Bucket": t["buckets"][1], "Key": "note.txt"}, ExpiresIn=60)
    shared_key = s3_client(live.s3)
    shared_key.put_object(Bucket="recordings-us", Key="note.txt", Body=b"shared")
    shared_presigned = shared_key.generate_presigned_url("get_object", Params={"Bucket": "recordings-us", "Key": "note.txt"},
                                                         ExpiresIn=60)
    auth = {"Authorization": f"Bearer {token}"}
    found = requests.post(live.api_url + "/api/v2/analytics/conversations/details/query", json=WEEK, headers=auth,
                          timeout=HTTP_TIMEOUT).json()["conversations"]
    batch = requests.post(live.api_url + "/api/v2/recording/batchrequests", headers=auth, timeout=HTTP_TIMEOUT,
                          json={"batchDownloadRequestList": [{"conversationId": found[0]["conversationId"]}]}).json()
    live.post(f"/__admin/tenants/{t['id']}/clock/advance", json={"seconds": 5})  # the result's pacing
    result = requests.get(f"{live.api_url}/api/v2/recording/batchrequests/{batch['id']}", headers=auth,
                          timeout=HTTP_TIMEOUT).json()["results"][0]
    url = result["resultUrl"]
    assert requests.get(presigned, timeout=HTTP_TIMEOUT).status_code == 200
    assert requests.get(url, timeout=HTTP_TIMEOUT).status_code == 200

    assert live.post(f"/__admin/tenants/{t['id']}/clock/advance", json={"seconds": 3601}).status_code == 200
    expired = requests.get(presigned, timeout=HTTP_TIMEOUT)
    assert expired.status_code == 403 and "Request has expired" in expired.text
    gone = requests.get(url, timeout=HTTP_TIMEOUT)
    assert gone.status_code == 403 and "Request has expired" in gone.text
    assert requests.get(shared_presigned, timeout=HTTP_TIMEOUT).content == b"shared", "the shared clock did not move"
