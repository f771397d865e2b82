# Tests/e2e/test_readme_example.py: CI runs this file, and README.md ("Using genesys-mock in your tests")
# shows it verbatim. Keep the two identical.
"""Reset, freeze the clock, inject a fault, run an export and check the journal, all against a real genesys-mock."""

import os
import re
import subprocess
import time

import pytest
import requests

# Run pytest from the genesys-mock checkout, or set GENESYS_MOCK_FIXTURES to its fixtures/ folder.
BINARY = os.environ.get("GENESYS_MOCK_BIN", "genesys-mock")  # e.g. .build/debug/genesys-mock
EXPORT = {
    "storage": {"destinationType": "s3", "bucketName": "legal-discovery-eu", "region": "eu-west-2",
                "prefix": "cases/LH-2023-001/"},
    "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"},
    "legal_hold": {"enabled": True, "case_id": "LH-2023-001", "reason": "Discovery"},
}


@pytest.fixture(scope="session")
def mock(tmp_path_factory):
    """One server for the whole session: free ports, its own data folder, 2 recordings a second."""
    data = tmp_path_factory.mktemp("genesys-mock")
    with open(data / "stdout.log", "w") as log:
        server = subprocess.Popen([BINARY, "serve", "--port", "0", "--s3-port", "0", "--data", str(data),
                                   "--export-rate", "2"], stdout=log)
    try:
        deadline = time.monotonic() + 20
        while not (banner := re.search(r"Genesys API\s+(http://\S+)", (data / "stdout.log").read_text())):
            assert server.poll() is None and time.monotonic() < deadline, "genesys-mock did not start"
            time.sleep(0.05)
        yield banner.group(1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def admin(mock):
    """The test-control plane, from a clean slate (/__admin is open on 127.0.0.1)."""
    session = requests.Session()
    session.post(f"{mock}/__admin/reset", timeout=10).raise_for_status()
    yield session
    session.close()


@pytest.fixture
def api(mock):
    """A Genesys API session for mock-admin, as your code would log in."""
    token = requests.post(f"{mock}/oauth/token", auth=("mock-admin", "mock-admin-secret"),
                          data={"grant_type": "client_credentials"}, timeout=10).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    yield session
    session.close()


def get_job(api, url):
    """The code under test: read a job, retrying once when Genesys is briefly unavailable."""
    response = api.get(url, timeout=10)
    if response.status_code == 503:
        response = api.get(url, timeout=10)
    response.raise_for_status()
    return response.json()


def test_a_held_export_survives_a_503_and_finishes_when_the_clock_says_so(mock, admin, api):
    admin.put(f"{mock}/__admin/clock", json={"frozen": True}, timeout=10).raise_for_status()
    admin.post(f"{mock}/__admin/faults", timeout=10, json={
        "method": "GET", "path": "/api/v2/recordings/exports/*", "count": 1, "status": 503,
    }).raise_for_status()

    created = api.post(f"{mock}/api/v2/recordings/exports", json=EXPORT, timeout=10)
    assert created.status_code == 202
    job_url = mock + created.json()["selfUri"]

    assert get_job(api, job_url)["state"] == "PENDING"  # frozen: nothing moves until the test says so
    admin.post(f"{mock}/__admin/clock/advance", json={"seconds": 1}, timeout=10).raise_for_status()
    job = get_job(api, job_url)
    assert job["state"] == "PROCESSING" and 0 < job["totalProcessedRecordings"] < job["totalRecordings"] == 14
    admin.post(f"{mock}/__admin/clock/advance", json={"seconds": 60}, timeout=10).raise_for_status()
    job = get_job(api, job_url)
    assert job["state"] == "FULFILLED" and job["totalProcessedRecordings"] == 14

    polls = admin.get(f"{mock}/__admin/requests", params={"method": "GET", "path": created.json()["id"]},
                      timeout=10).json()["requests"]
    assert [p["status"] for p in polls] == [200, 200, 200, 503]  # newest first: the 503 was retried
    assert all(p["headers"]["authorization"] == "Bearer [REDACTED]" for p in polls)
    posted = admin.get(f"{mock}/__admin/requests", params={"method": "POST", "path": "/recordings/exports"},
                       timeout=10).json()["requests"]
    assert len(posted) == 1 and '"case_id": "LH-2023-001"' in posted[0]["body"]
