"""The official Genesys Cloud Python SDK (purecloudplatformclientv2), pointed at a genesys-mock as a user would.

Two SDK habits are neutralised before any client exists (GENESYS-FACTS §6.3):
- the singleton Configuration reads ~/.genesyscloudpython/config (host, gateway, logging) and can live-reload
  it: we turn live reload off and point it at a config file of our own that names no gateway;
- an ApiClient copies host and gateway at construction: we pass `ApiClient(host=server.api_url)`.
The SDK applies no request timeout; every client here gets a bounded urllib3 timeout so no test can hang.
"""

from __future__ import annotations

import atexit
import json
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import PureCloudPlatformClientV2 as gc
import urllib3
from PureCloudPlatformClientV2.default_http_client import DefaultHttpClient
from PureCloudPlatformClientV2.rest import ApiException

from exports import ERROR_BODY_KEYS
from mockserver import ADMIN, FIXTURES_DIR, HTTP_TIMEOUT, ORG_ID, MockServer

S3_INTEGRATION_TYPE = "aws-s3-recording-bulk-actions-integration"
ORG_INTEGRATION_ID = "ff19980b-8b55-427d-9c79-5b6c2b91d3ff"
OTHER_ORG_INTEGRATION_ID = "59d3db31-9969-43c9-8b79-d9e8d396e790"
JOBS = "/api/v2/recording/jobs"
JOB_STATES = {"PENDING", "READY", "PROCESSING", "FULFILLED", "CANCELLED", "FAILED"}
ENDED = {"FULFILLED", "CANCELLED", "FAILED"}
Q1_2023 = "2023-01-01T00:00:00.000Z/2023-04-01T00:00:00.000Z"
H1_2023 = "2023-01-01T00:00:00.000Z/2023-07-01T00:00:00.000Z"

_configured = False


def neutralise_developer_config() -> None:
    """Live reload off, and the SDK's config file is ours: no gateway, no logging."""
    global _configured
    if _configured:
        return
    config = gc.configuration
    config.live_reload_config = False  # first, so the path change below starts no watcher
    folder = tempfile.TemporaryDirectory(prefix="genesys-sdk-config-")
    atexit.register(folder.cleanup)
    path = Path(folder.name) / "config"
    path.write_text("[general]\nlive_reload_config = false\n\n[logging]\nlog_level = none\n", "utf-8")
    config.config_file_path = str(path)  # re-reads: a [gateway] from ~/.genesyscloudpython is dropped
    assert config.gateway_configuration is None, "the SDK still has a gateway configured"
    _configured = True


def bounded_http_client(*, honour_retry_after: bool = True) -> DefaultHttpClient:
    """The SDK's own HTTP client with a read/connect timeout; optionally without the 429 Retry-After sleep.

    The SDK builds `urllib3.PoolManager(retries=Retry(), ...)` in rest.py: urllib3 then sleeps out a
    429/413/503's Retry-After and retries, up to 10 times, for every verb (GENESYS-FACTS §4.3).
    `honour_retry_after=False` keeps that Retry but with `respect_retry_after_header=False`, so the 429
    reaches the SDK and comes back as ApiException(429).
    """
    http = DefaultHttpClient()
    pool = http.rest_client.pool_manager
    pool.connection_pool_kw["timeout"] = urllib3.Timeout(connect=5.0, read=HTTP_TIMEOUT)
    # The SDK's Retry also re-sends any request, POST included, up to 10 times after a read timeout:
    # a hung server would cost 10 x the timeout and could create a job twice. Read errors fail at once.
    retries = pool.connection_pool_kw["retries"].new(read=0)
    if not honour_retry_after:
        retries = retries.new(respect_retry_after_header=False)
    pool.connection_pool_kw["retries"] = retries
    pool.clear()
    return http


@dataclass
class Sdk:
    """One configured ApiClient and the API classes the suite uses."""
    client: gc.ApiClient
    recording: gc.RecordingApi
    integrations: gc.IntegrationsApi
    conversations: gc.ConversationsApi

    @property
    def status(self) -> int:
        """HTTP status of the last successful call (the SDK accepts any 200..205)."""
        return self.client.last_response.status

    def header(self, name: str) -> str | None:
        return self.client.last_response.getheader(name)

    def call(self, method: str, path: str, *, query: dict | None = None, body=None):
        """The SDK's generic `call_api` (GENESYS-FACTS §6.4) with a parsed JSON answer."""
        return self.client.call_api(path, method, {}, dict(query or {}),
                                    {"Content-Type": "application/json", "Accept": "application/json"},
                                    body=body, response_type="object", auth_settings=["PureCloud OAuth"])


def sdk_for(server: MockServer, credentials: tuple[str, str] | None = ADMIN, *,
            token: str | None = None, honour_retry_after: bool = True) -> Sdk:
    """A client for `server`: logged in with `credentials` (client credentials grant), or carrying `token`
    as is, or (`credentials=None`, no token) never logged in — the SDK then sends `Authorization: Bearer `."""
    neutralise_developer_config()
    client = gc.ApiClient(host=server.api_url)
    client.set_http_client(bounded_http_client(honour_retry_after=honour_retry_after))
    assert client.get_conf_url("login", client.host) == server.api_url, "SDK would log in elsewhere"
    if token is not None:
        client.access_token = token
    elif credentials is not None:
        client.get_client_credentials_token(*credentials)  # POST {api_url}/oauth/token
        assert client.access_token, f"no access token for {credentials[0]}"
    return Sdk(client, gc.RecordingApi(client), gc.IntegrationsApi(client), gc.ConversationsApi(client))


# -- errors ------------------------------------------------------------------------------------------

def error_body(e: ApiException, status: int, code: str | None) -> dict:
    """The ApiException is a Genesys ErrorBody with this status (and code); its contextId is the
    ININ-Correlation-Id response header. Returns the parsed body."""
    assert e.status == status, f"expected HTTP {status} {code or ''}, got {e.status}: {str(e.body)[:800]}"
    try:
        body = json.loads(e.body)
    except (TypeError, ValueError):
        raise AssertionError(f"error body is not JSON: {e.body!r:.800}") from None
    missing = ERROR_BODY_KEYS - set(body)
    assert not missing, f"ErrorBody lacks {sorted(missing)}: {body}"
    if code is not None:
        assert body["code"] == code, f"expected code {code!r}, got {body['code']!r}: {body['message']}"
    assert body["status"] == status, f"ErrorBody status {body['status']!r} != HTTP {status}"
    header = (e.headers or {}).get("ININ-Correlation-Id")
    assert header, f"{status} has no ININ-Correlation-Id header"
    assert body["contextId"] == header, f"contextId {body['contextId']!r} != ININ-Correlation-Id {header!r}"
    return body


def raises_api_error(call, status: int, code: str | None = None) -> dict:
    """Run `call()`; it must raise ApiException with a matching ErrorBody. Returns the body."""
    try:
        result = call()
    except ApiException as e:
        return error_body(e, status, code)
    raise AssertionError(f"expected ApiException {status} {code or ''}, the call returned {result!r:.500}")


# -- request bodies ----------------------------------------------------------------------------------

def predicate(dimension: str, value: str) -> gc.SegmentDetailQueryPredicate:
    p = gc.SegmentDetailQueryPredicate()
    p.type = "dimension"
    p.dimension = dimension
    p.operator = "matches"
    p.value = value
    return p


def whatsapp_filter() -> gc.SegmentDetailQueryFilter:
    f = gc.SegmentDetailQueryFilter()
    f.type = "and"
    f.predicates = [predicate("mediaType", "message"), predicate("messageType", "whatsapp")]
    return f


def jobs_query(action: str = "EXPORT", *, interval: str | None = Q1_2023,
               integration_id: str | None = ORG_INTEGRATION_ID, action_date=None,
               segment_filters: list | None = None) -> gc.RecordingJobsQuery:
    """A RecordingJobsQuery as the Genesys tutorial builds it: WhatsApp messages in `interval`."""
    q = gc.RecordingJobsQuery()
    q.action = action
    if integration_id is not None:
        q.integration_id = integration_id
    if action_date is not None:
        q.action_date = action_date
    if interval is not None:
        cq = gc.AsyncConversationQuery()
        cq.interval = interval
        cq.order = "asc"
        cq.order_by = "conversationStart"
        cq.segment_filters = segment_filters if segment_filters is not None else [whatsapp_filter()]
        q.conversation_query = cq
    return q


def execute_query() -> gc.ExecuteRecordingJobsQuery:
    run = gc.ExecuteRecordingJobsQuery()
    run.state = "PROCESSING"
    return run


def protection_query(conversation_ids: list[str]) -> gc.ConversationDeletionProtectionQuery:
    q = gc.ConversationDeletionProtectionQuery()
    q.conversation_ids = list(conversation_ids)
    return q


# -- jobs ----------------------------------------------------------------------------------------------

def wait_for_job(sdk: Sdk, job_id: str, states: set[str], *, timeout: float = 30.0,
                 interval: float = 0.05) -> gc.RecordingJob:
    """get_recording_job until its state is one of `states`; fail after `timeout` s naming the wait."""
    deadline = time.monotonic() + timeout
    job = None
    while time.monotonic() < deadline:
        job = sdk.recording.get_recording_job(job_id)
        if job.state in states:
            return job
        assert job.state in JOB_STATES, f"job {job_id}: state {job.state!r} is not a Genesys job state"
        time.sleep(interval)
    raise AssertionError(f"job {job_id}: still not {'/'.join(sorted(states))} after {timeout:.0f} s; "
                         f"last seen {summary(job)}")


def summary(job) -> str:
    if job is None:
        return "(nothing)"
    keys = ("state", "total_conversations", "total_recordings", "total_processed_recordings",
            "total_skipped_recordings", "total_failed_recordings", "percent_progress", "error_message")
    return json.dumps({k: getattr(job, k) for k in keys})


def run_job(sdk: Sdk, query: gc.RecordingJobsQuery, *, timeout: float = 60.0) -> gc.RecordingJob:
    """POST, wait READY, PUT PROCESSING, wait until it ends: the tutorial's whole flow."""
    job = sdk.recording.post_recording_jobs(query)
    ready = wait_for_job(sdk, job.id, {"READY"} | ENDED)
    assert ready.state == "READY", f"job {job.id} should become READY, is {summary(ready)}"
    sdk.recording.put_recording_job(job.id, execute_query())
    return wait_for_job(sdk, job.id, ENDED, timeout=timeout)


def all_jobs(sdk: Sdk, **filters) -> list[gc.RecordingJob]:
    """Every page of get_recording_jobs (bounded: at most 20 pages of 100)."""
    jobs = []
    for page in range(1, 21):
        listing = sdk.recording.get_recording_jobs(page_size=100, page_number=page, **filters)
        jobs.extend(listing.entities or [])
        if page >= (listing.page_count or 0):
            return jobs
    raise AssertionError("more than 20 pages of recording jobs")


# -- the seeded world -------------------------------------------------------------------------------

def conversations(org_id: str = ORG_ID, messenger: str | None = None) -> list[dict]:
    """The fixture conversations of an org (id, recordingId, messengerType, startTime, messages...)."""
    out = []
    for path in sorted((FIXTURES_DIR / "conversations").glob("*.json")):
        doc = json.loads(path.read_text("utf-8"))
        if doc["orgId"] == org_id and (messenger is None or doc["messengerType"] == messenger):
            out.append(doc)
    return out


def in_interval(conversation: dict, interval: str) -> bool:
    start, end = (_instant(s) for s in interval.split("/"))
    return start <= _instant(conversation["startTime"]) < end


def user_id_of(client_id: str) -> str:
    clients = json.loads((FIXTURES_DIR / "oauth-clients.json").read_text("utf-8"))
    return next(c["userId"] for c in clients if c["clientId"] == client_id)


def _instant(text: str) -> datetime:
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
