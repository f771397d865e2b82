"""The OpenAPI document is the truth the server is held to (CONTRACT §10): it is valid, the server serves it, and
schemathesis fuzzes every operation of a live server against it.

A few requests at the edges the fuzzer seldom reaches (the ends of the calendar, one API's ids in the other's
paths) are also sent explicitly and checked the same way. Every check schemathesis has runs (`--checks all`): the
server must refuse what the document forbids and accept what it allows. Every finding fails its test with
schemathesis's report, which ends with the curl command that reproduces it. Set OAS_FUZZ_SEED to replay a run (the
seed is printed), OAS_FUZZ_EXAMPLES to change the number of generated cases per operation, and OAS_FINDINGS to a file
to have every finding of every operation appended to it as a JSON line instead of failing on the first one.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import os
import random
import re
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
import requests
import schemathesis
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (content_type_conformance, negative_data_rejection,
                                               positive_data_acceptance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from mockserver import ADMIN, HTTP_TIMEOUT, ORG_ID, OTHER_ORG, REPO_ROOT

DOC_PATH = REPO_ROOT / "Sources" / "GenesysMock" / "Resources" / "openapi.json"
JOBS = "/api/v2/recording/jobs"
EXPORTS = "/api/v2/recordings/exports"
ORG_INTEGRATION_ID = "ff19980b-8b55-427d-9c79-5b6c2b91d3ff"
OTHER_ORG_INTEGRATION_ID = "59d3db31-9969-43c9-8b79-d9e8d396e790"
WAIT_TIMEOUT = 10.0  # for a job to reach READY or end at export rate 0; every wait below is bounded by it
JOURNAL_SIZE = 1000  # the server's --journal-size (its default): GET /__admin/requests refuses a larger limit

SEED = int(os.environ.get("OAS_FUZZ_SEED") or 20231)
EXAMPLES = int(os.environ.get("OAS_FUZZ_EXAMPLES") or 80)
# No 5xx; only documented status codes and content types; bodies and headers as the document says.
RESPONSE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                   response_schema_conformance, response_headers_conformance]
# Every check schemathesis registers, as `schemathesis run --checks all`: on top of the response checks, valid data
# accepted and invalid data refused (positive_data_acceptance, negative_data_rejection), a missing required header
# refused, auth enforced (ignored_auth), the methods a path does not have answered 405 with an Allow header. The
# checks that follow links between operations (use_after_free, ensure_resource_availability,
# object_level_authorization) find nothing to follow with the stateful phase off. The few refusals a schema cannot
# state are recognised case by case in documented_refusal below, and only positive_data_acceptance is waived for them.
CHECKS = REGISTERED_CHECKS.get_all()
assert {positive_data_acceptance, negative_data_rejection} <= set(CHECKS)
# POST /__admin/exports/validate always answers 200, with the export API's answer inside (`status`): whether it
# accepted valid data and refused invalid data is judged on that verdict.
VERDICT_CHECKS = [positive_data_acceptance, negative_data_rejection]

# Per operation: the fuzzing phase draws EXAMPLES cases (positive and negative), on top of the document's examples
# and the deterministic coverage phase (boundary values, one violation per keyword, the methods a path does not
# have). Shrinking is off to keep the run bounded (the coverage phase's cases are minimal already). Every request
# carries the mock-admin bearer token (HTTP Basic for /oauth/token), so no security parameters are generated; the
# stateful phase is off, and World.prepare puts real ids into generated paths instead. Every operation is fuzzed,
# but three kinds change the whole server and are kept from disturbing the others:
#  - POST /__admin/reset wipes every job, object and registry the other operations use: its body is ignored, so a
#    few cases say all there is to say, and the real ids are rebuilt after it;
#  - the clock moves token expiry and job pacing: fewer cases, and the clock is put back to real time after each;
#  - fault rules would make later requests fail on purpose: every rule is removed right after the case.
FEW = {"postAdminReset": 3, "putAdminClock": 25, "postAdminClockAdvance": 25}
NO_COVERAGE = {"postAdminReset"}


def _config() -> SchemathesisConfig:
    operations = "".join(
        f'\n[[operations]]\ninclude-operation-id = "{op}"\ngeneration.max-examples = {n}\n'
        + ("phases.coverage.enabled = false\n" if op in NO_COVERAGE else "")
        for op, n in FEW.items())
    return SchemathesisConfig.from_str(f"""
seed = {SEED}
suppress-health-check = ["all"]

[generation]
mode = "all"
max-examples = {EXAMPLES}
with-security-parameters = false
database = "none"
unique-inputs = true
no-shrink = true

[phases.stateful]
enabled = false

[checks.response_schema_conformance]
validate-formats = true
{operations}""")


# `format: date-time-interval` (the document's own format): `start/end`, each end a date-time Timestamp.parse reads, the
# start before the end. Generated intervals are at most 7 days long, the shortest `x-maxDuration` of the document, so
# that every one is valid wherever an interval is asked for (test_interval_limits holds the server to the limits).
INTERVAL_MIN = datetime(1, 1, 1, tzinfo=timezone.utc)
INTERVAL_MAX = datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=timezone.utc)
WEEK = timedelta(days=7)


def _date_time(instant: datetime, offset_minutes: int, style: int) -> str:
    """`instant` exactly, as `YYYY-MM-DDTHH:MM` (style 0), `…:SS` (1) or `…:SS.fff` (2), whichever is the longest of
    `style` and what the instant needs, with `Z` or the offset."""
    style = max(style, 2 if instant.microsecond else 1 if instant.second else 0)
    try:
        local = instant + timedelta(minutes=offset_minutes)
    except OverflowError:  # past 9999-12-31 in local time
        local = None
    if local is None or local.year < 1:  # an offset would push the local year out of four digits: UTC
        local, offset_minutes = instant, 0
    text = f"{local.year:04d}-{local.month:02d}-{local.day:02d}T{local.hour:02d}:{local.minute:02d}"
    if style >= 1:
        text += f":{local.second:02d}"
    if style == 2:
        text += f".{local.microsecond // 1000:03d}"
    if offset_minutes == 0 and style != 1:
        return text + "Z"
    sign = "-" if offset_minutes < 0 else "+"
    return text + f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"


@st.composite
def _intervals(draw) -> str:
    start = draw(st.datetimes(min_value=INTERVAL_MIN.replace(tzinfo=None),
                              max_value=(INTERVAL_MAX - WEEK).replace(tzinfo=None))).replace(tzinfo=timezone.utc)
    start = start.replace(microsecond=start.microsecond // 1000 * 1000)
    end = start + timedelta(milliseconds=draw(st.integers(min_value=1, max_value=int(WEEK.total_seconds() * 1000))))
    offsets = st.sampled_from([0, 0, 60, -300, 330, 840, -720])
    styles = st.integers(min_value=0, max_value=2)
    return f"{_date_time(start, draw(offsets), draw(styles))}/{_date_time(end, draw(offsets), draw(styles))}"


schemathesis.openapi.format("date-time-interval", _intervals())
schema = schemathesis.openapi.from_path(DOC_PATH, config=_config())
CASES: dict[str, Counter[str]] = {}  # operation → response status class → cases


# -- the document ------------------------------------------------------------------------------------------------


def test_document_is_valid_openapi():
    document = json.loads(DOC_PATH.read_text("utf-8"))
    validate(document)
    assert document["openapi"] == "3.0.3"


def test_every_genesys_operation_documents_its_errors_and_headers():
    document = json.loads(DOC_PATH.read_text("utf-8"))
    problems = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method not in ("get", "put", "post", "delete"):
                continue
            label = f"{method.upper()} {path}"
            if not op.get("operationId") or not op.get("tags"):
                problems.append(f"{label}: no operationId or tags")
            authenticated = path.startswith("/api/v2") and op.get("security") != []
            for code, response in op["responses"].items():
                response = _resolve(document, response)
                headers = response.get("headers", {})
                if "ININ-Correlation-Id" not in headers:
                    problems.append(f"{label} {code}: no ININ-Correlation-Id header")
                # 401 and 413 are answered before the token is looked at, so they carry no rate-limit figures.
                if authenticated and code not in ("401", "413") and not RATE_HEADERS <= set(headers):
                    problems.append(f"{label} {code}: no inin-ratelimit-* headers")
                body = response.get("content", {}).get("application/json", {}).get("schema")
                if authenticated and code.startswith(("4", "5")) and body != {"$ref": "#/components/schemas/ErrorBody"}:
                    problems.append(f"{label} {code}: not an ErrorBody")
            if authenticated:
                missing = {"401", "429"} - set(op["responses"])
                if "{" in path:
                    missing |= {"404"} - set(op["responses"])
                if missing:
                    problems.append(f"{label}: does not document {sorted(missing)}")
                too_many = _resolve(document, op["responses"].get("429", {}))
                if "Retry-After" not in too_many.get("headers", {}):
                    problems.append(f"{label}: 429 without Retry-After")
    assert not problems, "\n".join(problems)


RATE_HEADERS = {"inin-ratelimit-count", "inin-ratelimit-allowed", "inin-ratelimit-reset"}


def _resolve(document, node):
    while "$ref" in node:
        target = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_server_serves_the_repository_document(world):
    r = world.server.get("/api/v2/docs/openapi.json")
    assert r.status_code == 200, f"GET /api/v2/docs/openapi.json: {r.status_code} {r.text[:300]}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    served, repo = r.content, DOC_PATH.read_bytes()
    if served != repo:
        digest = lambda b: hashlib.sha256(b).hexdigest()[:12]  # noqa: E731
        pytest.fail(f"the server serves a different document ({len(served)} bytes, sha256 {digest(served)}) than "
                    f"{DOC_PATH.relative_to(REPO_ROOT)} ({len(repo)} bytes, sha256 {digest(repo)}): rebuild the binary "
                    "(it serves the document it was built with)", pytrace=False)


# -- the live server ---------------------------------------------------------------------------------------------


class World:
    """One live server, its tokens, and real ids to put into generated requests (half of the cases with an id in
    their path get a real one, of the right kind or of another kind or org), so that fuzzing reaches past 404."""

    def __init__(self, server):
        self.server = server
        self.url = server.api_url
        self.http = requests.Session()
        self.token = server.token()
        self.other_token = server.token(*OTHER_ORG)
        self.bearer = {"Authorization": f"Bearer {self.token}"}
        basic = base64.b64encode(f"{ADMIN[0]}:{ADMIN[1]}".encode()).decode()
        self.basic = {"Authorization": f"Basic {basic}"}
        self._ids: dict[str, list] | None = None
        self.conversations = _seeded_conversations()
        self.org_ids = [o["id"] for o in json.loads((REPO_ROOT / "fixtures" / "orgs.json").read_text("utf-8"))]
        self.document = json.loads(DOC_PATH.read_text("utf-8"))

    # HTTP helpers, every call bounded.
    def call(self, method, path, *, token=None, expect=(200, 201, 202, 204), **kwargs):
        headers = {"Authorization": f"Bearer {token or self.token}"}
        r = self.http.request(method, self.url + path, headers=headers, timeout=HTTP_TIMEOUT, **kwargs)
        assert r.status_code in expect, f"{method} {path}: {r.status_code} {r.text[:500]}"
        return r

    def new_job(self, body, *, token=None, state=("READY",)) -> str:
        job = self.call("POST", JOBS, json=body, token=token).json()
        return self.wait(f"{JOBS}/{job['id']}", set(state), token=token)["id"]

    def new_export(self, body, *, token=None) -> str:
        return self.call("POST", EXPORTS, json=body, token=token).json()["id"]

    def wait(self, path, states, *, token=None):
        deadline = time.monotonic() + WAIT_TIMEOUT
        while True:
            job = self.call("GET", path, token=token).json()
            if job["state"] in states or job["state"] in {"FULFILLED", "FAILED", "CANCELLED"}:
                return job
            assert time.monotonic() < deadline, f"{path} still {job['state']} after {WAIT_TIMEOUT:.0f} s"
            time.sleep(0.02)

    # Real ids, rebuilt after a reset.
    def ids(self) -> dict[str, list]:
        if self._ids is None:
            self._ids = self._build_ids()
        return self._ids

    def _build_ids(self) -> dict[str, list]:
        mine = [c for c in self.conversations if c["orgId"] == ORG_ID]
        one = mine[0]["id"]
        export_one = {"action": "EXPORT", "integrationId": ORG_INTEGRATION_ID,
                      "conversationQuery": {"interval": "2023-01-01T00:00:00Z/2023-07-01T00:00:00Z",
                                            "conversationFilters": [{"type": "or", "predicates": [
                                                {"dimension": "conversationId", "value": one}]}]}}
        done = self.new_job(export_one)
        self.call("PUT", f"{JOBS}/{done}", json={"state": "PROCESSING"})
        self.wait(f"{JOBS}/{done}", set())
        ready = [self.new_job(b) for b in (export_one, HARMLESS_DELETE, HARMLESS_ARCHIVE)]
        exports = [self.new_export(PLAIN_EXPORT), self.new_export(dict(PLAIN_EXPORT, storage=dict(
            PLAIN_EXPORT["storage"], bucketName="no-such-bucket-for-fuzzing")))]
        other_job = self.new_job(dict(HARMLESS_ARCHIVE), token=self.other_token)
        other_export = self.new_export(PLAIN_EXPORT, token=self.other_token)
        # A finished export's manifest (only exports write one), for the console's object and download pages.
        manifest = self.wait(f"{EXPORTS}/{exports[0]}", set())["manifestKey"]
        assert manifest, f"export {exports[0]} ended without a manifest"
        return {
            "jobId": ready + [done, exports[0], other_job],
            "exportId": exports + [ready[1], done, other_export],
            "integrationId": [ORG_INTEGRATION_ID, OTHER_ORG_INTEGRATION_ID],
            "caseId": ["LH-2023-001", "LH-2022-017"],
            "bucket": [PLAIN_EXPORT["storage"]["bucketName"], "legal-discovery-eu", "denied-bucket"],
            "key": [manifest, manifest.removesuffix("manifest.json") + "no-such-object.json"],
        }

    # Before and after each generated case.
    def prepare(self, case) -> None:
        body = case.body if isinstance(case.body, dict) else None
        if (case.method.upper(), case.operation.path) == ("POST", "/__admin/buckets") and body \
                and isinstance(body.get("remote"), dict) and "endpoint" in body["remote"]:
            # A fuzzed remote bucket must not send an export to whatever host schemathesis made up: it points at
            # the discard port on loopback, where nothing listens (the job then fails with a ConnectionError).
            body["remote"]["endpoint"] = "http://127.0.0.1:9"
        # Half of the org ids and hold case ids of generated requests become real ones, so that fuzzing reaches past
        # the registry's "unknown org" and "no such hold" refusals. Only where that part was generated valid: a real
        # id must never turn an invalid request into a valid one.
        def valid_at(location):
            return case.meta is None or not case.meta.is_negative_at(location)
        rng = random.Random(repr(case.query) + repr(body) + case.operation.label)
        if case.query and isinstance(case.query.get("orgId"), str) and valid_at(ParameterLocation.QUERY) \
                and rng.random() < 0.5:
            case.query["orgId"] = rng.choice(self.org_ids)
        if body and valid_at(ParameterLocation.BODY):
            if isinstance(body.get("orgId"), str) and rng.random() < 0.5:
                body["orgId"] = rng.choice(self.org_ids)
            hold = body.get("legal_hold")
            if isinstance(hold, dict) and isinstance(hold.get("case_id"), str) and rng.random() < 0.5:
                hold["case_id"] = "LH-2023-001"  # the first org's active hold
            if isinstance(body.get("integrationId"), str) and rng.random() < 0.5:
                body["integrationId"] = ORG_INTEGRATION_ID
        params = case.path_parameters or {}
        if not params or not valid_at(ParameterLocation.PATH):
            return
        rng = random.Random(repr(sorted(params.items())) + case.operation.label)
        if rng.random() < 0.5:
            return  # keep what schemathesis generated
        op = (case.method.upper(), case.operation.path)
        if "conversationId" in params:
            conversation = rng.choice(self.conversations)
            params["conversationId"] = conversation["id"]
            if "recordingId" in params:  # mostly its own recording, sometimes another conversation's
                other = rng.choice(self.conversations)
                params["recordingId"] = (conversation if rng.random() < 0.8 else other)["recordingId"]
        elif "faultId" in params:
            rule = {"kind": "export", "failRecordingId": "fuzz-no-such-recording"} if rng.random() < 0.5 else \
                {"path": "/fuzz/never/*", "status": 500}
            params["faultId"] = self.call("POST", "/__admin/faults", json=rule).json()["id"]
        elif op in {("PUT", f"{JOBS}/{{jobId}}"), ("DELETE", f"{JOBS}/{{jobId}}")} and rng.random() < 0.5:
            params["jobId"] = self.new_job(rng.choice([HARMLESS_DELETE, HARMLESS_ARCHIVE]))  # a fresh READY job
        elif op == ("DELETE", f"{EXPORTS}/{{exportId}}") and rng.random() < 0.5:
            # a fresh export, or a fresh READY recording job: the export API must not touch the other API's jobs
            params["exportId"] = self.new_export(PLAIN_EXPORT) if rng.random() < 0.5 else self.new_job(HARMLESS_ARCHIVE)
        else:
            ids = self.ids()
            for name in params:
                if name in ids:
                    params[name] = rng.choice(ids[name])
            if "key" in (case.query or {}):  # the console's object pages: mostly a real object of the real bucket
                params["bucket"] = ids["bucket"][0] if rng.random() < 0.8 else params["bucket"]
                case.query["key"] = rng.choice(ids["key"])

    def documented_refusal(self, case, response) -> str | None:
        """Why this 400 to a schema-valid request is a refusal the document states but a schema cannot: the
        registry's or the server's state, the server's configuration, bytes where JSON Schema counts characters, or
        member names (OpenAPI 3.0 has no propertyNames). positive_data_acceptance is waived for that case alone;
        None for every other answer."""
        if response.status_code != 400 or not case.meta or not case.meta.generation.mode.is_positive:
            return None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            html_error = response.text.partition('<p id="page-error">')[2].partition("</p>")[0]
            answer = {"message": html.unescape(html_error)}  # a console page
        if isinstance(answer.get("error"), dict):
            answer = answer["error"]  # POST /__admin/exports/validate: the export API's answer
        message = str(answer.get("message", ""))
        fields = {d.get("fieldName") for d in answer.get("details") or [] if isinstance(d, dict)}
        op = (case.method.upper(), case.operation.path)
        query = case.query or {}
        body = case.body if isinstance(case.body, dict) else {}
        # The orgs are the fixtures' (orgs.json): a document cannot list them. Any other org is "Unknown orgId".
        org = query.get("orgId", body.get("orgId"))
        if isinstance(org, str) and message in (f"Unknown orgId '{org}'", f"Unknown orgId '{org.replace(' ', '+')}'") \
                and org not in self.org_ids:  # (a space goes as `+` in a query, which the server reads as a `+`)
            return "org not in the fixtures"
        # Which integrations the org has is the registry's to say (it is asked for, to be sure).
        integration = body.get("integrationId")
        if op == ("POST", JOBS) and fields == {"integrationId"} and isinstance(integration, str) \
                and "does not name an aws-s3-recording-bulk-actions-integration" in message \
                and self.http.get(f"{self.url}/api/v2/integrations/{quote(integration, safe='')}", headers=self.bearer,
                                  timeout=HTTP_TIMEOUT).status_code == 404:
            return "integration not in the registry"
        # Which case ids name an ACTIVE hold is the registry's to say (the hold is asked for, to be sure).
        hold = body.get("legal_hold")
        if answer.get("code") in ("legal.hold.not.found", "legal.hold.not.active") and isinstance(hold, dict):
            org_query = f"?orgId={quote(str(query['orgId']), safe='')}" if "orgId" in query else ""
            found = self.http.get(f"{self.url}/__admin/legal-holds/{quote(str(hold.get('case_id')), safe='')}{org_query}",
                                  timeout=HTTP_TIMEOUT)
            if found.status_code == 404 or (found.status_code == 200 and found.json()["status"] != "ACTIVE"):
                return "hold not active in the registry"
        # Only a READY job can be executed: the job's state, not the request's shape.
        if op == ("PUT", f"{JOBS}/{{jobId}}") and fields == {"state"} and "only a READY job" in message \
                and not message.endswith("is READY; only a READY job can be executed"):
            return "job not READY"
        # A cursor is a token a previous page gave: a schema can say its alphabet, not which tokens were issued.
        if fields == {"cursor"} and answer.get("code") == "invalid.value" and query.get("cursor") and \
                op in (("GET", "/api/v2/recordings/retention/query"),
                       ("GET", "/api/v2/analytics/conversations/details/jobs/{jobId}/results")):
            return "cursor not issued by the server"
        # Only an archived recording can be restored, and only until a date still ahead of the mock clock: the
        # recording's state and the clock, not the request's shape (the recording is asked for, to be sure).
        if op == ("PUT", "/api/v2/conversations/{conversationId}/recordings/{recordingId}") and (
                "Only an archived recording can be restored" in message or "A restore needs an archiveDate" in message):
            path = f"/api/v2/conversations/{quote(str(case.path_parameters['conversationId']), safe='')}" \
                   f"/recordings/{quote(str(case.path_parameters['recordingId']), safe='')}"
            state = self.http.get(self.url + path, headers=self.bearer, timeout=HTTP_TIMEOUT).json().get("fileState")
            archived = state in ("ARCHIVED", "RESTORING", "RESTORED")  # restored or restoring: archived still
            if ("Only an archived" in message and not archived) or ("A restore needs" in message and archived):
                return "recording state or the mock clock"
        # The journal keeps --journal-size entries; the document's maximum is the largest size the CLI allows.
        if op == ("GET", "/__admin/requests") and message == f"limit must be from 1 to {JOURNAL_SIZE}" \
                and str(query.get("limit")).isdigit() and int(query["limit"]) > JOURNAL_SIZE:
            return "limit over --journal-size"
        # The server counts UTF-8 bytes where JSON Schema's lengths count characters.
        storage, filters = body.get("storage") or {}, body.get("filter") or {}
        prefix = storage.get("prefix") if isinstance(storage, dict) else None
        if "storage.prefix" in fields and isinstance(prefix, str) and (
                len(prefix.encode()) > 512 or any(len(p.encode()) > 255 for p in prefix.split("/"))):
            return "bytes, not characters"
        ids = filters.get("conversationIds") if isinstance(filters, dict) else None
        if isinstance(ids, list) and any(f == f"filter.conversationIds[{i}]" and isinstance(v, str) and len(v.encode()) > 128
                                         for i, v in enumerate(ids) for f in fields):
            return "bytes, not characters"
        # A control character in a member the document does not declare: its patterns cover the members it declares.
        if "holds the control character" in message and _undeclared_control(self.document, _body_schema(self.document, case),
                                                                            case.body):
            return "control character in an undeclared member"
        return None

    def job_moves_on(self, ctx, response, case) -> None:
        """A check of our own: a job the server accepted (POST → 202) or executed (PUT → 200) must reach its next
        state (READY for a new recording job, an end state otherwise) within WAIT_TIMEOUT at export rate 0. A job
        that never does blocks the worker for every other job, so it is cancelled before the failure is reported."""
        op = (case.method.upper(), case.operation.path)
        if (op, response.status_code) not in {(("POST", EXPORTS), 202), (("POST", JOBS), 202),
                                              (("PUT", f"{JOBS}/{{jobId}}"), 200)}:
            return None
        job = response.json()
        path = f"{EXPORTS if op[1] == EXPORTS else JOBS}/{job['id']}"
        wanted = {"READY"} if op == ("POST", JOBS) else set()
        deadline = time.monotonic() + WAIT_TIMEOUT
        while True:
            state = self.call("GET", path).json()
            if state["state"] in wanted | {"FULFILLED", "FAILED", "CANCELLED"}:
                return None
            if time.monotonic() > deadline:
                self.call("DELETE", path, expect=(202, 409))
                raise AssertionError(
                    f"{path} is still {state['state']} {WAIT_TIMEOUT:.0f} s after it was accepted (export rate 0): "
                    f"it never reaches {'READY or ' if wanted else ''}an end state, and blocks the jobs behind it "
                    f"(cancelled it to let the run go on). Job: {json.dumps(state)[:1500]}")
            time.sleep(0.02)

    def clean_up(self, case) -> None:
        path = case.operation.path  # by path, not method: the coverage phase also sends methods a path does not have
        if path in {"/__admin/faults", "/__admin/faults/{faultId}"}:
            r = self.http.delete(self.url + "/__admin/faults", timeout=HTTP_TIMEOUT)
            assert r.status_code == 204, f"could not remove the fault rules: {r.status_code} {r.text[:300]}"
        elif path in {"/__admin/clock", "/__admin/clock/advance"}:
            now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            r = self.http.put(self.url + "/__admin/clock", json={"now": now, "frozen": False}, timeout=HTTP_TIMEOUT)
            assert r.status_code == 200, f"could not put the clock back: {r.status_code} {r.text[:300]}"
        elif path == "/__admin/reset":
            self._ids = None


PLAIN_EXPORT = {"storage": {"destinationType": "s3", "bucketName": "recordings-us", "region": "us-east-1",
                            "prefix": "fuzz/"},
                "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-01-01T00:00:00Z/2023-01-15T00:00:00Z"}}
HARMLESS_DELETE = {"action": "DELETE", "conversationQuery": {"interval": "2030-01-01T00:00:00Z/2030-02-01T00:00:00Z"}}
HARMLESS_ARCHIVE = {"action": "ARCHIVE", "agedConversationInterval": "2017-01-01T00:00:00Z/2017-03-01T00:00:00Z"}


CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f]")


def _holds_control(value) -> bool:
    if isinstance(value, str):
        return bool(CONTROL.search(value))
    if isinstance(value, dict):
        return any(_holds_control(k) or _holds_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_control(v) for v in value)
    return False


def _body_schema(document, case) -> dict:
    body = case.operation.definition.raw.get("requestBody")
    if not body:
        return {}
    content = _resolve(document, body).get("content", {})
    return (content.get(case.media_type) or next(iter(content.values()), {})).get("schema", {})


def _undeclared_control(document, schema, value) -> bool:
    """Whether `value` holds a control character in a member that `schema` does not declare (name or value)."""
    schema = _resolve(document, schema or {})
    parts = [schema] + [_resolve(document, p) for k in ("allOf", "anyOf", "oneOf") for p in schema.get(k, [])]
    if isinstance(value, dict):
        declared = {}
        for part in parts:
            for name, sub in part.get("properties", {}).items():
                declared.setdefault(name, []).append(sub)
        return any(_holds_control(k) or _holds_control(v) if k not in declared
                   else all(_undeclared_control(document, sub, v) for sub in declared[k])
                   for k, v in value.items())
    if isinstance(value, list):
        items = [p["items"] for p in parts if "items" in p]
        return any(any(_undeclared_control(document, i, v) for i in items) or (not items and _holds_control(v)) for v in value)
    return False


def _seeded_conversations() -> list[dict]:
    out = []
    for f in sorted((REPO_ROOT / "fixtures" / "conversations").glob("*.json")):
        c = json.loads(f.read_text("utf-8"))
        out.append({"id": c["id"], "orgId": c["orgId"], "recordingId": c["recordingId"]})
    return out


@pytest.fixture(scope="module")
def world(module_servers, request):
    started = time.monotonic()
    world = World(module_servers.start(export_rate=0, rate_limit=0))
    yield world
    elapsed = time.monotonic() - started
    total = sum(sum(c.values()) for c in CASES.values())
    lines = [f"schemathesis (seed {SEED}): {total} cases over {len(CASES)} operations in {elapsed:.0f} s"]
    lines += [f"  {sum(c.values()):5d}  {label:75s} " + " ".join(f"{k}:{v}" for k, v in sorted(c.items()))
              for label, c in sorted(CASES.items())]
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n" + "\n".join(lines))


@schema.parametrize()
def test_server_honours_its_openapi_document(case, world):
    seen = CASES.setdefault(case.operation.label, Counter())
    world.prepare(case)
    headers = world.bearer
    if case.operation.path == "/oauth/token":
        # HTTP Basic wins over the form's client_id/client_secret: a form that carries either is sent alone, so that
        # its credentials are the ones the server reads.
        form = case.body if isinstance(case.body, dict) else {}
        headers = {} if {"client_id", "client_secret"} & set(form) else world.basic
    try:
        try:
            response = case.call(base_url=world.url, headers=headers, timeout=HTTP_TIMEOUT)
        except requests.RequestException as e:
            seen["no answer"] += 1
            raise AssertionError(f"no answer ({e!r}); reproduce with:\n    "
                                 f"{case.as_curl_command(headers=headers, base_url=world.url)}") from e
        seen[f"{response.status_code // 100}xx"] += 1
        checks = CHECKS + [world.job_moves_on]
        judged = response
        if case.operation.path == "/__admin/exports/validate" and response.status_code == 200:
            judged = copy.copy(response)  # the export API's answer, as the verdict gives it
            judged.status_code = response.json()["status"]
            checks = [c for c in checks if c not in VERDICT_CHECKS]
        waived = world.documented_refusal(case, judged)
        if waived:
            seen[f"waived: {waived}"] += 1
        try:
            kwargs = {"headers": headers,
                      "transport_kwargs": {"base_url": world.url, "headers": headers, "timeout": HTTP_TIMEOUT}}
            case.validate_response(response, checks=[c for c in checks if not (waived and c is positive_data_acceptance)],
                                   **kwargs)
            if judged is not response:
                case.validate_response(judged, checks=[c for c in VERDICT_CHECKS
                                                       if not (waived and c is positive_data_acceptance)], **kwargs)
        except (AssertionError, BaseExceptionGroup) as e:
            if not FINDINGS:
                raise
            _note_findings(case, response, e, headers, world.url)
    finally:
        world.clean_up(case)


FINDINGS = os.environ.get("OAS_FINDINGS")


def _note_findings(case, response, error, headers, url) -> None:
    """Appends each failure of `error` to the OAS_FINDINGS file, one JSON line each, so that a run lists every
    finding of every operation (hypothesis stops an operation at its first failure otherwise)."""
    with open(FINDINGS, "a", encoding="utf-8") as out:
        for failure in getattr(error, "exceptions", [error]):
            out.write(json.dumps({
                "operation": case.operation.label, "failure": type(failure).__name__,
                "message": str(getattr(failure, "message", failure)), "status": response.status_code,
                "response": response.text[:1000], "curl": case.as_curl_command(headers=headers, base_url=url),
            }, ensure_ascii=False) + "\n")


# Requests at the edges the fuzzer seldom draws (its date-times rarely sit on the last or first representable day,
# and it has no reason to put one API's ids into another's path), sent and checked exactly like the generated ones.
EDGE_CASES = {
    "actionDate in year 0 with a +01:00 offset (UTC instant in year -1)":
        ("POST", JOBS, lambda w: {"body": dict(HARMLESS_DELETE, actionDate="0000-01-01T00:00:00+01:00")}),
    "actionDate on the last day of year 9999 with a -01:00 offset (UTC instant in year 10000)":
        ("POST", JOBS, lambda w: {"body": dict(HARMLESS_DELETE, actionDate="9999-12-31T23:59:59-01:00")}),
    "clock set to the last millisecond of year 9999, ticking":
        ("PUT", "/__admin/clock", lambda w: {"body": {"now": "9999-12-31T23:59:59.999Z", "frozen": False}}),
    "clock set to year 0 with a +01:00 offset":
        ("PUT", "/__admin/clock", lambda w: {"body": {"now": "0000-01-01T00:00:00+01:00", "frozen": True}}),
    "export prefix with a 256-byte segment (the contract allows 512 bytes)":
        ("POST", EXPORTS, lambda w: {"body": dict(PLAIN_EXPORT, storage=dict(PLAIN_EXPORT["storage"],
                                                                          prefix="p" * 256 + "/"))}),
    "cancel a READY recording job through the export API":
        ("DELETE", f"{EXPORTS}/{{exportId}}", lambda w: {"path_parameters": {"exportId": w.new_job(HARMLESS_ARCHIVE)}}),
    "read a recording job through the export API":
        ("GET", f"{EXPORTS}/{{exportId}}", lambda w: {"path_parameters": {"exportId": w.new_job(HARMLESS_ARCHIVE)}}),
    "cancel an export through the recording-jobs API":
        ("DELETE", f"{JOBS}/{{jobId}}", lambda w: {"path_parameters": {"jobId": w.new_export(PLAIN_EXPORT)}}),
}


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_edge_case_honours_the_document(name, world):
    method, path, build = EDGE_CASES[name]
    case = schema[path][method].Case(**build(world))
    try:
        case.call_and_validate(base_url=world.url, headers=world.bearer,
                               checks=RESPONSE_CHECKS + [world.job_moves_on], timeout=HTTP_TIMEOUT)
    finally:
        world.clean_up(case)


# The intervals whose length the server bounds, and a request that carries each (an ARCHIVE job harms nothing).
LIMITED_INTERVALS = {
    ("ConversationQuery", "interval"): ("/api/v2/analytics/conversations/details/query", lambda iv: {"interval": iv}),
    ("RecordingJobsQuery", "agedConversationInterval"): (JOBS, lambda iv: {"action": "ARCHIVE", "agedConversationInterval": iv}),
}


def test_interval_limits(world):
    """The document's x-maxDuration is the server's limit: an interval of exactly that length is accepted, one a
    millisecond longer is 400 naming the field (generated intervals stay within the shortest limit, so the fuzzer
    never reaches either end)."""
    schemas = json.loads(DOC_PATH.read_text("utf-8"))["components"]["schemas"]
    limited = {(name, prop): spec["x-maxDuration"] for name, s in schemas.items()
               for prop, spec in s.get("properties", {}).items() if "x-maxDuration" in spec}
    assert limited.keys() == LIMITED_INTERVALS.keys(), f"x-maxDuration is on {sorted(limited)}: teach LIMITED_INTERVALS"
    start = datetime(2017, 1, 2, tzinfo=timezone.utc)
    for (name, prop), duration in limited.items():
        path, body = LIMITED_INTERVALS[(name, prop)]
        days = int(re.fullmatch(r"P(\d+)D", duration)[1])
        for length, accepted in ((timedelta(days=days), True), (timedelta(days=days, milliseconds=1), False)):
            interval = f"{_date_time(start, 0, 2)}/{_date_time(start + length, 0, 2)}"
            r = world.call("POST", path, json=body(interval), expect=(200, 202, 400))
            fields = {d.get("fieldName") for d in r.json().get("details", [])} if r.status_code == 400 else set()
            label = f"{name}.{prop} ({duration}) = {interval}: {r.status_code} {r.text[:300]}"
            assert (r.status_code in (200, 202)) if accepted else (r.status_code == 400 and fields == {prop}), label
            if r.status_code == 202:
                world.wait(f"{JOBS}/{r.json()['id']}", {"READY"})
