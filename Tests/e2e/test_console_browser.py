"""The console (CONTRACT §13) driven in a real headless Chromium, as a trainee and a trainer use it.

The trainee's path runs in one browser against one server, in order: create a hold, start an export from the
form, watch it reach 100 % without a reload, browse the bucket to an object and see its lock, verify custody,
change a file on disk and see the changed key named, then send a bad request and find it in the journal with
its hint. The trainer's parts (faults, reset, sign-in beyond loopback, escaping) follow. Screenshots of the main
pages land in docs/console/ (the README shows them).
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from browser import screenshot, start_browser, text_of, wait_for
from mockserver import ADMIN, FIXTURES_DIR, HTTP_TIMEOUT, ORG_ID

CASE = "LH-TRAIN-001"
EXPORT_RATE = 12  # recordings per second: slow enough to watch the bar move, fast enough for CI
SCRIPT_TEXT = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"


def hostile_fixtures(tmp: Path) -> Path:
    """The seeded fixtures plus one conversation whose messages, queue and names are HTML and script."""
    folder = tmp / "fixtures"
    shutil.copytree(FIXTURES_DIR, folder)
    source = json.loads((folder / "conversations" / "001-new-year-broadband-outage.json").read_text())
    c = json.loads(json.dumps(source))
    c["id"] = str(uuid.UUID(int=0xC0FFEE))
    c["recordingId"] = str(uuid.UUID(int=0xC0FFEF))
    c["queue"] = {"id": str(uuid.UUID(int=0xC0FFF0)), "name": "<b>Bold queue</b>"}
    c["participants"][0]["name"] = "<i>Mallory</i>"
    for i, m in enumerate(c["messages"]):
        m["id"] = str(uuid.UUID(int=0xD0000000 + i))
        if "text" in m:
            m["text"] = SCRIPT_TEXT if i == 0 else m["text"]
    (folder / "conversations" / "999-hostile-html.json").write_text(json.dumps(c, ensure_ascii=False, indent=2))
    return folder


@pytest.fixture(scope="module")
def server(module_servers, tmp_path_factory):
    return module_servers.start(export_rate=EXPORT_RATE, fixtures=hostile_fixtures(tmp_path_factory.mktemp("hostile")))


@pytest.fixture(scope="module")
def browser():
    driver = start_browser()
    yield driver
    driver.quit()


def go(driver, server, path: str) -> None:
    driver.get(server.api_url + path)


def test_a_trainee_exports_under_hold_and_verifies_custody(server, browser):
    d = browser
    # The world: clients with their secrets and copy buttons, the clock.
    go(d, server, "/console")
    wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-client-id="mock-admin"] .secret'), "the world lists mock-admin")
    assert text_of(d, 'tr[data-client-id="mock-admin"] .secret') == ADMIN[1]
    assert d.find_elements(By.CSS_SELECTOR, 'tr[data-client-id="mock-admin"] button.copy')
    before = text_of(d, "#clock-now")
    screenshot(d, "world")

    # Create a hold through the form: the same rules as the admin API (a bad case id shows its message).
    go(d, server, "/console/holds")
    form = d.find_element(By.ID, "hold-create")
    form.find_element(By.NAME, "caseId").send_keys("bad case id!")
    form.find_element(By.NAME, "name").send_keys("Training case")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(d, lambda d: "caseId is required" in text_of(d, "#action-error"), "a bad case id shows the admin API's message")
    case = form.find_element(By.NAME, "caseId")
    case.clear()
    case.send_keys(CASE)
    form.find_element(By.NAME, "from").send_keys("01/01/2023")
    form.find_element(By.NAME, "to").send_keys("07/01/2023")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(d, lambda d: f"/console/holds/{CASE}" in d.current_url, "creating a hold opens its page")
    assert text_of(d, "#hold-status") == "ACTIVE"
    go(d, server, "/console/holds")
    assert text_of(d, f'tr[data-case-id="{CASE}"] .status') == "ACTIVE"
    screenshot(d, "legal-holds")

    # Start an export from the form: the JSON is built beside it and judged by the server's validator.
    go(d, server, f"/console/exports/new?caseId={CASE}")
    Select(d.find_element(By.ID, "ef-bucket")).select_by_value("legal-discovery-eu")
    prefix = d.find_element(By.ID, "ef-prefix")
    prefix.send_keys(f"cases/{CASE}/")
    wait_for(d, lambda d: d.find_element(By.ID, "validation").get_attribute("data-valid") == "true", "the form's request is valid")
    body = json.loads(d.find_element(By.ID, "request-editor").get_attribute("value"))
    assert body["legal_hold"] == {"enabled": True, "case_id": CASE, "reason": "Discovery"}
    assert body["storage"]["region"] == "eu-west-2"
    wait_for(d, lambda d: "Authorization: Bearer " in text_of(d, "#curl-line"), "a curl line with a fresh token")
    curl = text_of(d, "#curl-line")
    token = curl.split("Authorization: Bearer ")[1].split("'")[0]
    assert requests.get(server.api_url + "/api/v2/recordings/exports", headers={"Authorization": f"Bearer {token}"},
                        timeout=HTTP_TIMEOUT).status_code == 200, "the curl line's token works"
    screenshot(d, "new-export")
    d.find_element(By.ID, "submit-export").click()
    wait_for(d, lambda d: "/console/exports/" in d.current_url and d.find_elements(By.ID, "job-status"), "the job page opens")
    job_id = d.current_url.split("/console/exports/")[1].split("?")[0]
    d.execute_script("window.__sameDocument = 'yes'")
    seen = set()

    def progressed(d):
        seen.add(text_of(d, "#job-percent"))
        return text_of(d, "#job-status") == "FULFILLED" and text_of(d, "#job-percent") == "100 %"
    wait_for(d, progressed, "the job reaches FULFILLED and 100 % live", timeout=30)
    assert d.execute_script("return window.__sameDocument") == "yes", "the page never reloaded"
    assert len(seen - {"", "100 %"}) >= 1, f"the bar moved through intermediate values: {sorted(seen)}"
    wait_for(d, lambda d: d.find_elements(By.ID, "manifest-link") and d.find_elements(By.ID, "custody-link"),
             "the manifest and custody links appear once it ends")
    timeline = text_of(d, "#timeline")
    assert "export.accepted" in timeline and "FULFILLED" in timeline, timeline
    screenshot(d, "job")

    # Browse the bucket down to one transcript: its legal hold is ON with the case id.
    go(d, server, "/console/buckets/legal-discovery-eu")
    for _ in range(12):
        objects = d.find_elements(By.CSS_SELECTOR, "#objects tr[data-key]")
        transcripts = [o for o in objects if o.get_attribute("data-key").endswith(".json")
                       and "exports/" not in o.get_attribute("data-key")]
        if transcripts:
            break
        deeper = [a for a in d.find_elements(By.CSS_SELECTOR, "#prefixes a.prefix") if "exports/" not in a.text]
        deeper[0].click()
        wait_for(d, lambda d: d.find_elements(By.ID, "objects"), "a deeper level of the bucket")
    else:
        raise AssertionError("never reached an object by following prefixes")
    row = transcripts[0]
    assert "ON" in row.find_element(By.CSS_SELECTOR, ".lock").text
    assert row.find_element(By.CSS_SELECTOR, ".case-id").text == CASE
    screenshot(d, "bucket")
    key = row.get_attribute("data-key")
    row.find_element(By.CSS_SELECTOR, "a").click()
    wait_for(d, lambda d: d.find_elements(By.ID, "object-body"), "the object's page")
    assert "ON" in text_of(d, "#object-meta .lock")
    assert json.loads(text_of(d, "#object-body"))["id"], "the transcript shows as JSON"
    href = d.find_element(By.ID, "download").get_attribute("href")
    assert href.endswith("download?key=" + requests.utils.quote(key, safe=""))
    download = requests.get(href, timeout=HTTP_TIMEOUT)
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment;")
    assert download.content == (server.bucket_dir("legal-discovery-eu") / key).read_bytes(), "the download is the object's bytes"
    screenshot(d, "object")

    # Verify custody: intact; then change one file on disk and verify again: that key is named.
    go(d, server, f"/console/exports/{job_id}")
    d.find_element(By.ID, "verify").click()
    wait_for(d, lambda d: d.find_element(By.ID, "verify-result").get_attribute("data-outcome") == "intact", "verify says intact")
    assert "Intact" in text_of(d, "#verify-summary")
    screenshot(d, "verify-intact")
    path = server.bucket_dir("legal-discovery-eu") / key
    path.write_bytes(path.read_bytes().replace(b'"id"', b'"Id"', 1))
    d.find_element(By.ID, "verify").click()
    wait_for(d, lambda d: d.find_element(By.ID, "verify-result").get_attribute("data-outcome") == "changed", "verify sees the change")
    bad = [li.text for li in d.find_elements(By.CSS_SELECTOR, '#verify-findings li[data-status="CHANGED"]')]
    assert any(key in t for t in bad), bad
    screenshot(d, "verify-changed")

    # A bad request from the form: the exact ErrorBody, live and on submit.
    go(d, server, f"/console/exports/new?caseId={CASE}")
    editor = d.find_element(By.ID, "request-editor")
    wait_for(d, lambda d: d.find_element(By.ID, "validation").get_attribute("data-valid") == "true", "the form starts valid")
    bad_body = json.loads(editor.get_attribute("value"))
    bad_body["legal_hold"] = True
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(json.dumps(bad_body))
    wait_for(d, lambda d: d.find_element(By.ID, "validation").get_attribute("data-valid") == "false", "the validator refuses it")
    error = json.loads(text_of(d, "#validation-error"))
    assert error["code"] == "invalid.metadata.structure" and error["message"] == "Invalid metadata structure for legal_hold"
    d.find_element(By.ID, "submit-export").click()
    wait_for(d, lambda d: d.find_elements(By.ID, "submit-error"), "the API's refusal is shown")
    sent = json.loads(text_of(d, "#submit-error"))
    assert sent["status"] == 400 and sent["code"] == "invalid.metadata.structure"
    screenshot(d, "new-export-error")

    # The journal shows that failed call, its client, its ErrorBody and the usual mistake behind it.
    go(d, server, "/console/journal?client=mock-admin&status=error")
    row = wait_for(d, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#journal tr[data-entry-id]")
                                 if "POST /api/v2/recordings/exports" in r.text], "the failed POST is in the journal")[0]
    assert row.find_element(By.CSS_SELECTOR, ".client").text == "mock-admin"
    assert "400" in row.find_element(By.CSS_SELECTOR, ".status").text
    assert "never a boolean" in row.find_element(By.CSS_SELECTOR, ".hint-text").text
    assert "invalid.metadata.structure" in row.find_element(By.CSS_SELECTOR, ".error-body").get_attribute("textContent")
    # A call made now appears without a reload.
    d.execute_script("window.__sameDocument = 'journal'")
    requests.post(server.api_url + "/api/v2/recordings/exports", json={"legalHold": {"enabled": True}},
                  headers={"Authorization": f"Bearer {server.token()}"}, timeout=HTTP_TIMEOUT)
    live = wait_for(d, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "#journal tr[data-entry-id]")
                                  if "snake case" in r.text], "a new failed call appears live with its hint")
    assert d.execute_script("return window.__sameDocument") == "journal"
    assert live
    screenshot(d, "journal")
    assert before  # the clock was shown at the start


def test_a_trainer_stages_a_fault_and_clears_it(server, browser):
    d = browser
    go(d, server, "/console/faults")
    d.find_element(By.CSS_SELECTOR, 'form[data-scenario="storm-429"] button[type=submit]').click()
    rows = wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#faults tr[data-fault-id]"), "the fault is listed")
    assert "answers 429" in rows[0].text
    answer = requests.get(server.api_url + "/api/v2/recordings/exports", headers={"Authorization": f"Bearer {server.token()}"},
                          timeout=HTTP_TIMEOUT)
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "2"
    d.execute_script("document.getElementById('active-h').scrollIntoView()")
    screenshot(d, "faults")
    rows[0].find_element(By.CSS_SELECTOR, "button.remove").click()
    wait_for(d, lambda d: not d.find_elements(By.CSS_SELECTOR, "#faults tr[data-fault-id]"), "the fault is gone")
    answer = requests.get(server.api_url + "/api/v2/recordings/exports", headers={"Authorization": f"Bearer {server.token()}"},
                          timeout=HTTP_TIMEOUT)
    assert answer.status_code == 200


def test_a_transcript_with_script_shows_as_text(server, browser):
    d = browser
    go(d, server, "/console/conversations?q=__pwned")
    link = wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#conversations tr[data-conversation-id] a"), "the search finds it")
    assert "<script>" in text_of(d, "#conversations .snippet")
    link[0].click()
    bubble = wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#chat .bubble .text"), "the chat is shown")[0]
    assert bubble.text == SCRIPT_TEXT
    assert d.find_elements(By.CSS_SELECTOR, "#chat script, #chat img, #chat i, #main b") == []
    assert d.execute_script("return window.__pwned === undefined")
    assert "<b>Bold queue</b>" in text_of(d, "h1")
    screenshot(d, "conversation")


def test_a_trainee_watches_a_batch_download_url_expire(server, browser):
    """The downloader flow through the API, seen on the console: results fill in, a URL downloads, then expires when
    the mock clock passes the org's URL lifetime; the conversation page shows the recording's retention."""
    d = browser
    token = server.token()
    auth = {"Authorization": f"Bearer {token}"}
    week = {"interval": "2023-01-01T00:00:00Z/2023-01-08T00:00:00Z"}
    found = requests.post(server.api_url + "/api/v2/analytics/conversations/details/query", json=week, headers=auth,
                          timeout=HTTP_TIMEOUT).json()["conversations"]
    items = [{"conversationId": c["conversationId"]} for c in found] + [{"conversationId": "no-such-conversation"}]
    batch = requests.post(server.api_url + "/api/v2/recording/batchrequests", json={"batchDownloadRequestList": items},
                          headers=auth, timeout=HTTP_TIMEOUT).json()
    go(d, server, "/console/downloads")
    assert "recordingBatchDownloadUrlTtl" in text_of(d, "#main") and "60 minutes" in text_of(d, "#main")
    assert len(d.find_elements(By.CSS_SELECTOR, "#flow pre.code")) == 6, "the flow's six curl lines"

    def ready_rows(d):
        d.refresh()
        rows = d.find_elements(By.CSS_SELECTOR, f'section[data-batch="{batch["id"]}"] tr[data-state]')
        return rows if rows and all(r.get_attribute("data-state") != "waiting" for r in rows) else None
    rows = wait_for(d, ready_rows, "every result is in (paced like exports)")
    states = [r.get_attribute("data-state") for r in rows]
    assert states == ["ready"] * len(found) + ["error"], states
    assert "was not found" in rows[-1].text
    url = rows[0].find_element(By.CSS_SELECTOR, "a.result-url").get_attribute("href")
    assert requests.get(url, timeout=HTTP_TIMEOUT).status_code == 200, "the link downloads with no Authorization header"
    screenshot(d, "batch-downloads")

    requests.post(server.api_url + "/__admin/clock/advance", json={"seconds": 3601}, timeout=HTTP_TIMEOUT).raise_for_status()
    d.refresh()
    rows = d.find_elements(By.CSS_SELECTOR, f'section[data-batch="{batch["id"]}"] tr[data-state]')
    assert [r.get_attribute("data-state") for r in rows][:len(found)] == ["expired"] * len(found)
    assert "expired" in rows[0].text and requests.get(url, timeout=HTTP_TIMEOUT).status_code == 403

    go(d, server, f"/console/conversations/{found[0]['conversationId']}")
    assert text_of(d, "#file-state") == "AVAILABLE" and text_of(d, "#delete-date") == "none"


def test_the_sandbox_resets_after_a_confirmation(server, browser):
    d = browser
    go(d, server, "/console/faults")
    d.find_element(By.ID, "reset").click()
    wait_for(d, lambda d: d.find_element(By.ID, "confirm-dialog").get_attribute("open") is not None, "a confirmation is asked")
    d.find_element(By.ID, "confirm-no").click()
    go(d, server, "/console/holds")
    assert d.find_elements(By.CSS_SELECTOR, f'tr[data-case-id="{CASE}"]'), "cancelling changed nothing"
    go(d, server, "/console/faults")
    d.find_element(By.ID, "reset").click()
    wait_for(d, lambda d: d.find_element(By.ID, "confirm-dialog").get_attribute("open") is not None, "a confirmation is asked")
    d.find_element(By.ID, "confirm-yes").click()
    wait_for(d, lambda d: "Reset in" in text_of(d, "#toast"), "the reset is confirmed")
    go(d, server, "/console/holds")
    assert not d.find_elements(By.CSS_SELECTOR, f'tr[data-case-id="{CASE}"]'), "the new hold is gone"
    assert d.find_elements(By.CSS_SELECTOR, 'tr[data-case-id="LH-2023-001"]'), "the fixtures' holds are back"


def tenant_names(d) -> list[str] | None:
    """The names in the Tenants list, or None while the script is replacing it."""
    try:
        return [r.find_element(By.TAG_NAME, "strong").text for r in d.find_elements(By.CSS_SELECTOR, "tr[data-tenant]")]
    except StaleElementReferenceException:
        return None


def test_a_trainer_runs_a_class_of_tenants(server, browser):
    """The Tenants page: a tenant made from the page shows its secrets once; a trainee's error shows on its row; a
    reset and a delete ask first and touch that tenant alone."""
    d = browser
    go(d, server, "/console/tenants")
    d.find_element(By.NAME, "name").send_keys("trainee-01")
    count = d.find_element(By.NAME, "conversations")
    count.clear()
    count.send_keys("5")
    d.find_element(By.CSS_SELECTOR, "#tenant-create button[type=submit]").click()
    wait_for(d, lambda d: d.find_element(By.ID, "tenant-created").is_displayed(), "the new tenant's credentials are shown")
    wait_for(d, lambda d: tenant_names(d) == ["trainee-01"], "the list shows it, under its credentials")
    screenshot(d, "tenant-created")
    env = dict(line.split("=", 1) for line in text_of(d, "#tenant-env").splitlines())
    assert env["GENESYS_CLOUD_API_HOST"] == server.api_url and env["AWS_ACCESS_KEY_ID"].startswith("AKIA")
    token = server.token(env["GENESYS_CLOUD_CLIENT_ID"], env["GENESYS_CLOUD_CLIENT_SECRET"])
    bad = requests.post(server.api_url + "/api/v2/recordings/exports", json={"storage": {}}, timeout=HTTP_TIMEOUT,
                        headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 400
    other = requests.post(server.api_url + "/__admin/tenants", json={"name": "trainee-02"}, timeout=HTTP_TIMEOUT)
    assert other.status_code == 201

    go(d, server, "/console/tenants")
    rows = d.find_elements(By.CSS_SELECTOR, "tr[data-tenant]")
    assert [r.find_element(By.TAG_NAME, "strong").text for r in rows] == ["trainee-01", "trainee-02"]
    assert "400 POST /api/v2/recordings/exports" in rows[0].text and "none" in rows[1].text, "errors at a glance, per tenant"
    assert env["GENESYS_CLOUD_CLIENT_SECRET"] not in d.page_source, "a secret is shown once, never in the list"
    screenshot(d, "tenants")

    rows[0].find_element(By.CSS_SELECTOR, "button.tenant-reset").click()
    wait_for(d, lambda d: d.find_element(By.ID, "confirm-dialog").get_attribute("open") is not None, "a confirmation is asked")
    d.find_element(By.ID, "confirm-yes").click()
    wait_for(d, lambda d: "Reset in" in text_of(d, "#toast"), "the reset is confirmed")
    assert server.get("/api/v2/recordings/exports", token=token).status_code == 200, "its credentials still work"
    go(d, server, "/console/tenants")
    d.find_elements(By.CSS_SELECTOR, "tr[data-tenant]")[1].find_element(By.CSS_SELECTOR, "button.tenant-delete").click()
    wait_for(d, lambda d: d.find_element(By.ID, "confirm-dialog").get_attribute("open") is not None, "a confirmation is asked")
    d.find_element(By.ID, "confirm-yes").click()
    wait_for(d, lambda d: tenant_names(d) == ["trainee-01"], "the deleted tenant leaves the list")


def test_keyboard_alone_and_a_phone_width(server, browser):
    d = browser
    go(d, server, "/console")
    body = d.find_element(By.TAG_NAME, "body")
    # Tab from the top: the skip link, then the org switcher, then the navigation.
    for _ in range(12):
        body.send_keys(Keys.TAB) if d.switch_to.active_element is None else d.switch_to.active_element.send_keys(Keys.TAB)
        if d.switch_to.active_element.text == "Exports":
            break
    else:
        raise AssertionError("the navigation is not reachable by Tab")
    d.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(d, lambda d: d.current_url.split("?")[0].endswith("/console/exports"), "Enter follows the link")
    d.set_window_size(390, 844)
    try:
        go(d, server, "/console/exports")
        width = d.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400, f"the page is {width}px wide on a 390-px phone"
        screenshot(d, "phone-exports")
    finally:
        d.set_window_size(1280, 800)


def test_beyond_loopback_the_console_needs_the_admin_token(servers):
    s = servers.start(extra_args=("--admin-token", "trainer-token-123"))
    d = start_browser()
    try:
        go(d, s, "/console/holds")
        wait_for(d, lambda d: "/console/sign-in" in d.current_url, "a sign-in is required")
        d.find_element(By.ID, "token").send_keys("wrong")
        d.find_element(By.CSS_SELECTOR, "#sign-in button").click()
        wait_for(d, lambda d: d.find_elements(By.ID, "sign-in-error"), "a wrong token is refused")
        screenshot(d, "sign-in")
        d.find_element(By.ID, "token").send_keys("trainer-token-123")
        d.find_element(By.CSS_SELECTOR, "#sign-in button").click()
        wait_for(d, lambda d: d.current_url.split("?")[0].endswith("/console/holds") and d.find_elements(By.ID, "holds"),
                 "signing in opens the page asked for")
        cookie = d.get_cookie("gm_console")
        assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        # The session works for the console's own admin calls only with its CSRF token.
        jar = {"gm_console": cookie["value"]}
        no_csrf = requests.post(s.api_url + "/__admin/faults", json={"path": "/x", "status": 500}, cookies=jar, timeout=HTTP_TIMEOUT)
        assert no_csrf.status_code == 403 and no_csrf.json()["error"] == "forbidden"
        csrf = d.find_element(By.CSS_SELECTOR, 'meta[name="csrf-token"]').get_attribute("content")
        ok = requests.get(s.api_url + "/__admin/faults", cookies=jar, timeout=HTTP_TIMEOUT)
        assert ok.status_code == 200
        with_csrf = requests.delete(s.api_url + "/__admin/faults", cookies=jar, headers={"X-CSRF-Token": csrf}, timeout=HTTP_TIMEOUT)
        assert with_csrf.status_code == 204
        assert requests.get(s.api_url + "/__admin/faults", timeout=HTTP_TIMEOUT).status_code == 401, "no cookie, no token: refused"
        d.find_element(By.CSS_SELECTOR, ".sign-out button").click()
        wait_for(d, lambda d: "/console/sign-in" in d.current_url, "signing out ends the session")
        go(d, s, "/console")
        wait_for(d, lambda d: "/console/sign-in" in d.current_url, "the old session is gone")
    finally:
        d.quit()
