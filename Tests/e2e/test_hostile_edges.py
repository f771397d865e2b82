"""CONTRACT §17, tried as an attacker would: a control character in an id never names another resource, and a
page on another origin, or a DNS-rebound host name, never changes the mock's state. Every surface: /api/v2,
/oauth, /__admin, /console and the S3 port."""

from __future__ import annotations

import hashlib
import json
import re
import time
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from s3client import raw_request, s3_client, s3_error_xml
from sdk import conversations

HELD_CASE = "LH-2023-001"
BUCKET = "recordings-us"
KEY = "edges/original.txt"
ORIGINAL = b"the real object, which no hostile request may touch\n"
EVIL = "http://evil.example"
CONTROLS = ["%00junk", "%00", "%0A", "%1f", "%7F", "%C2%85"]


@pytest.fixture(scope="module")
def live(module_servers):
    # Slow exports, so that a job stays PROCESSING while hostile calls try to cancel it.
    return module_servers.start(export_rate=1)


@pytest.fixture(scope="module")
def token(live):
    return live.token()


@pytest.fixture(scope="module")
def s3(live):
    s3 = s3_client(live.s3)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=ORIGINAL)
    return s3


def object_intact(live, s3) -> None:
    """The real object: same bytes over S3 and on disk."""
    assert s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read() == ORIGINAL
    assert (live.bucket_dir(BUCKET) / KEY).read_bytes() == ORIGINAL


def instant(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def hold_status(live, case_id: str = HELD_CASE) -> str:
    r = live.get(f"/__admin/legal-holds/{case_id}")
    assert r.status_code == 200, r.text
    return r.json()["status"]


# -- a control character in a path or a query ----------------------------------------------------------------

def test_an_export_id_with_a_control_character_is_neither_read_nor_cancelled(live, token):
    created = live.post("/api/v2/recordings/exports", token=token, json={
        "storage": {"destinationType": "s3", "bucketName": BUCKET, "region": "us-east-1", "prefix": "edges/job/"},
        "filter": {"mediaTypes": ["whatsapp"]}})
    assert created.status_code == 202, created.text
    job_id = created.json()["id"]
    for suffix in CONTROLS:
        for method in ("GET", "DELETE"):
            r = live.request(method, f"/api/v2/recordings/exports/{job_id}{suffix}", token=token)
            assert r.status_code == 400, f"{method} {suffix}: {r.status_code} {r.text[:200]}"
            body = r.json()
            assert body["code"] == "bad.request" and "control character" in body["message"]
            assert body["contextId"] == r.headers["ININ-Correlation-Id"]
            assert job_id not in r.text
    state = live.get(f"/api/v2/recordings/exports/{job_id}", token=token).json()["state"]
    assert state in ("PENDING", "PROCESSING", "FULFILLED"), state
    live.request("DELETE", f"/api/v2/recordings/exports/{job_id}", token=token)


def test_a_conversation_id_with_a_nul_reads_nothing(live, token):
    cid = conversations(messenger="whatsapp")[0]["id"]
    assert live.get(f"/api/v2/conversations/{cid}/recordings", token=token).status_code == 200
    for suffix in CONTROLS:
        r = live.get(f"/api/v2/conversations/{cid}{suffix}/recordings", token=token)
        assert r.status_code == 400, f"{suffix}: {r.status_code} {r.text[:200]}"
        assert r.json()["code"] == "bad.request" and cid not in r.text
    r = live.get(f"/api/v2/recordings/exports?caseId={HELD_CASE}%00", token=token)
    assert r.status_code == 400 and r.json()["code"] == "bad.request"


def test_an_admin_hold_id_with_a_nul_releases_nothing(live):
    for suffix in CONTROLS:
        r = live.post(f"/__admin/legal-holds/{HELD_CASE}{suffix}/release")
        assert r.status_code == 400, f"{suffix}: {r.status_code} {r.text[:200]}"
        assert r.json()["error"] == "bad.request"
    assert hold_status(live) == "ACTIVE"
    r = live.get("/__admin/requests?path=%00")
    assert r.status_code == 400 and r.json()["error"] == "bad.request"


def test_console_pages_with_a_nul_show_nothing_of_the_resource(live, s3):
    for path in (f"/console/holds/{HELD_CASE}%00", f"/console/buckets/{BUCKET}%00junk",
                 f"/console/buckets/{BUCKET}/object?key={KEY}%00junk", f"/console/buckets/{BUCKET}/download?key={KEY}%00junk",
                 f"/console/conversations/{conversations()[0]['id']}%0A"):
        r = live.get(path)
        assert r.status_code == 400, f"{path}: {r.status_code}"
        assert r.headers["Content-Type"].startswith("text/html"), path
        assert "control character" in r.text
        assert ORIGINAL.decode().strip() not in r.text and "Discovery" not in r.text, path


def test_json_and_form_ids_with_a_nul_are_refused_and_create_nothing(live, token):
    r = live.post("/api/v2/recordings/exports", token=token, data=json.dumps({
        "storage": {"destinationType": "s3", "bucketName": "legal-discovery-eu", "region": "eu-west-2"},
        "filter": {"mediaTypes": ["whatsapp"]},
        "legal_hold": {"enabled": True, "case_id": HELD_CASE + "\u0000x", "reason": "Discovery"}}),
        headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["details"][0]["fieldName"] == "legal_hold.case_id"
    held = live.get(f"/api/v2/recordings/exports?caseId={HELD_CASE}", token=token).json()
    assert held["total"] == 0
    r = live.post("/__admin/legal-holds", json={"caseId": "LH-NUL-1\u0000x", "name": "x"})
    assert r.status_code == 400 and r.json()["error"] == "bad.request"
    assert live.get("/__admin/legal-holds/LH-NUL-1").status_code == 404
    r = live.http.post(f"{live.api_url}/oauth/token", auth=("mock-admin\u0000x", "mock-admin-secret"),
                       data={"grant_type": "client_credentials"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_s3_keys_and_bucket_names_with_a_control_character_touch_nothing(live, s3):
    before = sorted(p.relative_to(live.sink_root) for p in live.sink_root.rglob("*"))
    for suffix in CONTROLS:
        for method, body in (("GET", b""), ("HEAD", b""), ("PUT", b"overwritten"), ("DELETE", b"")):
            r = raw_request(live.s3, method, f"/{BUCKET}/{KEY}{suffix}", body=body)
            assert r.status == 400, f"{method} {suffix}: {r.describe()}"
            if method != "HEAD":
                assert r.code == "InvalidURI", r.describe()
                assert ORIGINAL not in r.body
        r = raw_request(live.s3, "GET", f"/{BUCKET}{suffix}")
        assert r.status == 400 and r.code == "InvalidURI", r.describe()
        r = raw_request(live.s3, "GET", f"/{BUCKET}?list-type=2&prefix=edges{suffix}")
        assert r.status == 400 and r.code == "InvalidURI", r.describe()
    object_intact(live, s3)
    assert sorted(p.relative_to(live.sink_root) for p in live.sink_root.rglob("*")) == before


# -- other origins and foreign hosts ------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{"Origin": EVIL}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"},
                                     {"Origin": "http://127.0.0.1:1"}])
def test_a_browser_request_from_another_origin_changes_nothing(live, s3, headers):
    marker = f"LH-KEEP-{abs(hash(json.dumps(headers))) % 10_000}"
    assert live.post("/__admin/legal-holds", json={"caseId": marker, "name": "kept"}).status_code == 201
    form = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    for path in ("/__admin/reset", f"/__admin/legal-holds/{HELD_CASE}/release", "/__admin/clock/advance",
                 "/console/sign-out"):
        r = live.post(path, data="x=1", headers=form)
        assert r.status_code == 403, f"{path}: {r.status_code} {r.text[:200]}"
        if path.startswith("/console"):
            assert r.headers["Content-Type"].startswith("text/html")
        else:
            assert r.json()["error"] == "forbidden"
    assert live.request("DELETE", "/__admin/requests", headers=headers).status_code == 403
    for method, body in (("PUT", b"overwritten"), ("DELETE", b""), ("POST", b"<Delete/>")):
        path = f"/{BUCKET}/{KEY}" if method != "POST" else f"/{BUCKET}?delete"
        r = raw_request(live.s3, method, path, body=body, headers=headers)
        assert r.status == 403 and r.code == "AccessDenied", f"{method}: {r.describe()}"
    assert hold_status(live) == "ACTIVE"
    assert hold_status(live, marker) == "ACTIVE", "a reset went through"
    object_intact(live, s3)
    # Reads are not state changes, and the mock's own origin (the console's pages) is served.
    assert live.get(f"/__admin/legal-holds/{HELD_CASE}", headers=headers).status_code == 200
    own = {"Origin": live.api_url, "Sec-Fetch-Site": "same-origin"}
    assert live.post(f"/__admin/legal-holds/{marker}/release", headers=own).status_code == 200


def test_a_foreign_host_name_is_refused_on_both_ports(live, s3, token):
    port = urlsplit(live.api_url).port
    for host in (f"evil.example:{port}", "evil.example", f"localhost.evil.example:{port}"):
        h = {"Host": host}
        r = live.get("/__admin/health", headers=h)
        assert r.status_code == 403 and "--allowed-host" in r.json()["message"], r.text
        r = live.get("/api/v2/recordings/exports", token=token, headers=h)
        assert r.status_code == 403 and r.json()["code"] == "forbidden", r.text
        r = live.post("/__admin/reset", headers=h)
        assert r.status_code == 403
        r = live.get("/console", headers=h)
        assert r.status_code == 403 and r.headers["Content-Type"].startswith("text/html")
        r = raw_request(live.s3, "DELETE", f"/{BUCKET}/{KEY}", headers={"Host": host})
        assert r.status == 403 and r.code == "AccessDenied", r.describe()
    object_intact(live, s3)
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"app.localhost:{port}"):
        assert live.get("/__admin/health", headers={"Host": host}).status_code == 200, host


def test_an_allowed_host_name_is_served(servers):
    for how in ("flag", "variable"):
        if how == "flag":
            server = servers.start(extra_args=("--allowed-host", "mock.test", "--allowed-host", "ci-runner"))
        else:
            server = servers.start(env={"GENESYS_MOCK_ALLOWED_HOSTS": "mock.test, ci-runner"})
        port = urlsplit(server.api_url).port
        for host in ("mock.test", "CI-Runner"):
            assert server.get("/__admin/health", headers={"Host": f"{host}:{port}"}).status_code == 200, (how, host)
        assert server.get("/__admin/health", headers={"Host": f"other.test:{port}"}).status_code == 403, how
        r = raw_request(server.s3, "GET", "/", headers={"Host": f"mock.test:{urlsplit(server.s3).port}"})
        assert r.status == 200, r.describe()


def test_everyday_tools_send_neither_header_and_keep_working(live, s3, token):
    """boto3 and plain HTTP clients, as in every other live test: the guard leaves them alone."""
    key = "edges/tool.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"tool")
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"tool"
    s3.delete_object(Bucket=BUCKET, Key=key)
    marker = "LH-TOOLS-1"
    assert live.post("/__admin/legal-holds", json={"caseId": marker, "name": "x"}).status_code == 201
    assert live.post(f"/__admin/legal-holds/{marker}/release").status_code == 200


# -- a real browser on a page of another origin ------------------------------------------------------------

ATTACK_PAGE = """<!doctype html><html><body>
<p id="status">attacking</p>
<iframe name="f1"></iframe><iframe name="f2"></iframe><iframe name="f3"></iframe><iframe name="f4"></iframe>
<form id="reset" target="f1" method="post" action="{api}/__admin/reset"><input name="x" value="1"></form>
<form id="release" target="f2" method="post" action="{api}/__admin/legal-holds/{case}/release"><input name="x" value="1"></form>
<form id="console" target="f3" method="post" action="{api}/console/sign-out"><input name="x" value="1"></form>
<form id="s3" target="f4" method="post" action="{s3}/{bucket}/{key}" enctype="text/plain"><input name="x" value="1"></form>
<script>
  let loaded = 0;
  for (const f of document.querySelectorAll("iframe")) f.addEventListener("load", () => {{
    loaded += 1; if (loaded === 4) document.getElementById("status").textContent = "submitted";
  }});
  for (const id of ["reset", "release", "console", "s3"]) document.getElementById(id).submit();
  fetch("{api}/__admin/clock/advance", {{method: "POST", mode: "no-cors", body: '{{"seconds": 86400}}'}});
</script></body></html>"""


def refusals(live) -> set[tuple[str, str]]:
    """(method, path) of every cross-origin refusal in the server's log."""
    text = live.stderr_log.read_text("utf-8", "replace") if live.stderr_log.exists() else ""
    found = set()
    for line in text.splitlines():
        if "request refused at the edge" in line and ("foreign-origin" in line or "cross-site" in line):
            method = re.search(r"method=(\S+)", line)
            path = re.search(r"path=(\S+)", line)
            if method and path:
                found.add((method.group(1), path.group(1)))
    return found


def test_a_page_on_another_loopback_origin_cannot_change_the_mock(live, s3, tmp_path):
    from browser import chromium_paths, start_browser, wait_for
    import http.server
    import threading

    if chromium_paths() is None:
        pytest.fail("chromium and chromedriver are needed (.ci/run installs them)")
    marker = "LH-BROWSER-1"
    assert live.post("/__admin/legal-holds", json={"caseId": marker, "name": "kept"}).status_code == 201
    clock_before = live.get("/__admin/clock").json()["now"]
    page = ATTACK_PAGE.format(api=live.api_url, s3=live.s3, case=HELD_CASE, bucket=BUCKET, key=KEY).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    attacker = http.server.ThreadingHTTPServer(("127.0.0.2", 0), Page)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    driver = start_browser()
    try:
        driver.get(f"http://127.0.0.2:{attacker.server_address[1]}/")
        wait_for(driver, lambda d: d.find_element("id", "status").text == "submitted", "the forms were not submitted")
        # The no-cors fetch is fire-and-forget: wait (bounded) until the log shows that every attempt arrived.
        # (/__admin and /console are never journaled; each refusal is logged, and the S3 port's is journaled too.)
        wanted = {("POST", "/__admin/reset"), ("POST", f"/__admin/legal-holds/{HELD_CASE}/release"),
                  ("POST", "/console/sign-out"), ("POST", "/__admin/clock/advance"), ("POST", f"/{BUCKET}/{KEY}")}
        deadline = time.monotonic() + 10
        refused = set()
        while time.monotonic() < deadline and not wanted <= refused:
            refused = refusals(live)
            time.sleep(0.1)
    finally:
        driver.quit()
        attacker.shutdown()
    assert wanted <= refused, f"not every attempt was refused: {wanted - refused}\n{live.output_tail()}"
    s3_attempts = [r for r in live.get("/__admin/requests?limit=50").json()["requests"] if r["path"] == f"/{BUCKET}/{KEY}" and r["method"] == "POST"]
    assert s3_attempts and all(r["status"] == 403 for r in s3_attempts), s3_attempts
    assert hold_status(live) == "ACTIVE"
    assert hold_status(live, marker) == "ACTIVE"
    moved = instant(live.get("/__admin/clock").json()["now"]) - instant(clock_before)
    assert moved < 3600, f"the clock moved {moved} s: an advance went through"
    object_intact(live, s3)
    digest = hashlib.sha256((live.bucket_dir(BUCKET) / KEY).read_bytes()).hexdigest()
    assert digest == hashlib.sha256(ORIGINAL).hexdigest()
