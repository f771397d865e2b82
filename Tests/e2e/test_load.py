"""Under load the server answers every request, on both ports, and still stops cleanly.

What a user would notice otherwise: a CI pipeline with many parallel jobs (or one SDK with a big thread
pool) sees requests hang until their timeout, connections reset, or 5xx answers, while an export is running;
and afterwards the server no longer answers its health check or ignores SIGTERM.

`LOAD_CLIENTS` (default 64), `LOAD_SECONDS` (default 20) and `LOAD_BURST` (default 512) shrink the load
for debugging, e.g. `LOAD_CLIENTS=2 LOAD_SECONDS=3 LOAD_BURST=16`.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import resource
import shutil
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from control import q1_whatsapp
from exports import ACTIVE_CASE, EXPORTS, assert_state, create_export, export_body, get_job, hold, poll_job
from mockserver import ADMIN, MockServer
from s3client import ACCESS_KEY, REGION, SECRET_KEY, raw_request, s3_error_xml
from sink_checks import (assert_counts_match_job, assert_custody_verifies, assert_objects_match_disk,
                         custody_key_for, files_under, md5_hex, read_manifest)

LOAD_CLIENTS = int(os.environ.get("LOAD_CLIENTS", "64"))
LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "20"))
BURST_CONNECTIONS = int(os.environ.get("LOAD_BURST", "512"))

REQUEST_TIMEOUT = 10.0            # every request of the load run, connect and read
MAX_REQUESTS_PER_CLIENT = 200_000  # a bound on each client's loop besides LOAD_SECONDS
EXPORT_SHARE = 0.5                # the export should take about this share of the load run
EXPORT_END_TIMEOUT = 30.0         # after the load run, for the export to be FULFILLED
BURST_CONNECT_TIMEOUT = 20.0      # for all burst connections to be established
BURST_ANSWER_TIMEOUT = 30.0       # from the moment they all send, for every complete answer
HEALTH_TIMEOUT = 5.0
STOP_TIMEOUT = 10.0
EXCERPT = 300

HELD_BUCKET = "legal-discovery-eu"
HELD_PREFIX = f"cases/{ACTIVE_CASE}/"
PROBE_BUCKET = "recordings-us"
PROBE_KEY = "load/probe.json"
PROBE_BODY = json.dumps({"probe": "load", "padding": "x" * 2000}).encode("utf-8")
LIST_QUERY = "list-type=2&max-keys=50&prefix=cases"  # only unreserved characters: signed exactly as sent
REJECTED_EXPORT = json.dumps(export_body(HELD_BUCKET, REGION, legal_hold=True))


def _excerpt(data: bytes | str) -> str:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return text[:EXCERPT].replace("\n", " ")


def s3_signed_headers(endpoint: str, method: str, path_and_query: str, body: bytes = b"") -> dict[str, str]:
    """SigV4 headers (Host, X-Amz-Date, X-Amz-Content-SHA256, Authorization) for one S3 request."""
    host = urlsplit(endpoint).netloc
    req = AWSRequest(method=method, url=f"{endpoint}{path_and_query}", data=body, headers={"Host": host})
    S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION).add_auth(req)
    return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}


# -- the mix of requests ------------------------------------------------------------------------------

@dataclass
class Target:
    """What every client of a load run talks to."""
    api: str
    s3: str
    token: str
    job_id: str
    conversation_id: str
    recording_id: str


@dataclass
class Outcome:
    kind: str
    status: int | None         # None: no HTTP answer at all
    seconds: float
    problem: str | None = None  # why the answer (or its absence) is wrong
    job_state: str | None = None


# A request kind sends one request on the client's session and returns (status, problem or None, job state).
Answer = tuple[int, str | None, str | None]
Check = Callable[[requests.Session, Target], Answer]


def _json(r: requests.Response) -> tuple[object, str | None]:
    try:
        return r.json(), None
    except ValueError:
        return None, f"body is not JSON: {_excerpt(r.content)!r}"


def _expect(r: requests.Response, status: int) -> str | None:
    if r.status_code != status:
        return f"expected {status}, got {r.status_code}: {_excerpt(r.content)!r}"
    return None


def token_request(s: requests.Session, t: Target) -> Answer:
    r = s.post(f"{t.api}/oauth/token", auth=ADMIN, data={"grant_type": "client_credentials"},
               timeout=REQUEST_TIMEOUT)
    if problem := _expect(r, 200):
        return r.status_code, problem, None
    body, problem = _json(r)
    if not problem and not (isinstance(body, dict) and body.get("access_token")):
        problem = f"no access_token in {_excerpt(r.content)!r}"
    return r.status_code, problem, None


def export_get(s: requests.Session, t: Target) -> Answer:
    r = s.get(f"{t.api}{EXPORTS}/{t.job_id}", headers={"Authorization": f"Bearer {t.token}"},
              timeout=REQUEST_TIMEOUT)
    if problem := _expect(r, 200):
        return r.status_code, problem, None
    body, problem = _json(r)
    if not problem and not (isinstance(body, dict) and body.get("id") == t.job_id):
        problem = f"answered another job: {_excerpt(r.content)!r}"
    return r.status_code, problem, body.get("state") if isinstance(body, dict) else None


def export_list(s: requests.Session, t: Target) -> Answer:
    r = s.get(f"{t.api}{EXPORTS}", headers={"Authorization": f"Bearer {t.token}"}, timeout=REQUEST_TIMEOUT)
    if problem := _expect(r, 200):
        return r.status_code, problem, None
    body, problem = _json(r)
    if not problem and not (isinstance(body, dict) and body.get("total", 0) >= 1):
        problem = f"the running export is not listed: {_excerpt(r.content)!r}"
    return r.status_code, problem, None


def export_rejected(s: requests.Session, t: Target) -> Answer:
    """`legal_hold: true` is the README's example of a mistake: 400 invalid.metadata.structure."""
    r = s.post(f"{t.api}{EXPORTS}", data=REJECTED_EXPORT, timeout=REQUEST_TIMEOUT,
               headers={"Authorization": f"Bearer {t.token}", "Content-Type": "application/json"})
    if problem := _expect(r, 400):
        return r.status_code, problem, None
    body, problem = _json(r)
    if not problem and not (isinstance(body, dict) and body.get("code") == "invalid.metadata.structure"
                            and body.get("status") == 400):
        problem = f"expected ErrorBody invalid.metadata.structure: {_excerpt(r.content)!r}"
    return r.status_code, problem, None


def conversation_recordings(s: requests.Session, t: Target) -> Answer:
    r = s.get(f"{t.api}/api/v2/conversations/{t.conversation_id}/recordings",
              headers={"Authorization": f"Bearer {t.token}"}, timeout=REQUEST_TIMEOUT)
    if problem := _expect(r, 200):
        return r.status_code, problem, None
    body, problem = _json(r)
    if not problem and not (isinstance(body, list) and len(body) == 1 and body[0].get("id") == t.recording_id):
        problem = f"expected the one recording {t.recording_id}: {_excerpt(r.content)!r}"
    return r.status_code, problem, None


def s3_get_object(s: requests.Session, t: Target) -> Answer:
    path = f"/{PROBE_BUCKET}/{PROBE_KEY}"
    r = s.get(f"{t.s3}{path}", headers=s3_signed_headers(t.s3, "GET", path), timeout=REQUEST_TIMEOUT)
    if problem := _expect(r, 200):
        return r.status_code, problem, None
    if r.content != PROBE_BODY:
        return r.status_code, f"{len(r.content)} bytes that differ from the {len(PROBE_BODY)} put", None
    return r.status_code, None, None


def s3_list_objects(s: requests.Session, t: Target) -> Answer:
    """ListObjectsV2 of the bucket the export is writing into."""
    path = f"/{HELD_BUCKET}?{LIST_QUERY}"
    r = s.get(f"{t.s3}{path}", headers=s3_signed_headers(t.s3, "GET", path), timeout=REQUEST_TIMEOUT)
    if problem := _expect(r, 200):
        return r.status_code, problem, None
    if b"<ListBucketResult" not in r.content:
        return r.status_code, f"not a ListBucketResult: {_excerpt(r.content)!r}", None
    return r.status_code, None, None


MIX: dict[str, Check] = {
    "POST /oauth/token": token_request,
    "GET export": export_get,
    "GET exports (list)": export_list,
    "POST export legal_hold:true (400)": export_rejected,
    "GET conversation recordings": conversation_recordings,
    "S3 GetObject": s3_get_object,
    "S3 ListObjectsV2": s3_list_objects,
}


# -- the load run -------------------------------------------------------------------------------------

@dataclass
class LoadResult:
    outcomes: list[Outcome] = field(default_factory=list)
    per_client: list[int] = field(default_factory=list)
    stuck_clients: int = 0
    seconds: float = 0.0

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problem]

    def summary(self) -> str:
        by_kind = Counter(o.kind for o in self.outcomes)
        lines = [f"{len(self.outcomes)} requests in {self.seconds:.1f} s = "
                 f"{len(self.outcomes) / max(self.seconds, 1e-9):.0f} req/s from {len(self.per_client)} clients "
                 f"(fewest per client {min(self.per_client, default=0)})"]
        for kind in MIX:
            times = sorted(o.seconds for o in self.outcomes if o.kind == kind)
            statuses = Counter(o.status if o.status is not None else "no answer"
                               for o in self.outcomes if o.kind == kind)
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0.0
            median = statistics.median(times) if times else 0.0
            lines.append(f"  {kind:36} {by_kind[kind]:7}  statuses {dict(statuses)}  "
                         f"median {median * 1000:.0f} ms  p99 {p99 * 1000:.0f} ms")
        return "\n".join(lines)


def _client(index: int, target: Target, start: threading.Barrier, deadline_box: list[float],
            out: list[Outcome], counts: list[int]) -> None:
    kinds = list(MIX.items())
    random.Random(index).shuffle(kinds)  # every client its own order, so the kinds overlap
    session = requests.Session()
    try:
        try:
            start.wait(timeout=10)
        except threading.BrokenBarrierError:
            return
        deadline = deadline_box[0]
        n = 0
        while n < MAX_REQUESTS_PER_CLIENT and time.monotonic() < deadline:
            kind, check = kinds[n % len(kinds)]
            began = time.monotonic()
            try:
                status, problem, state = check(session, target)
                out.append(Outcome(kind, status, time.monotonic() - began, problem, state))
            except requests.Timeout as e:
                out.append(Outcome(kind, None, time.monotonic() - began,
                                   f"no answer within {REQUEST_TIMEOUT:.0f} s: {type(e).__name__}"))
            except requests.ConnectionError as e:
                out.append(Outcome(kind, None, time.monotonic() - began,
                                   f"connection error (reset or refused): {_excerpt(str(e))}"))
            except Exception as e:  # noqa: BLE001 - any broken answer is a finding, reported with its kind
                out.append(Outcome(kind, None, time.monotonic() - began, f"{type(e).__name__}: {_excerpt(str(e))}"))
            n += 1
        counts[index] = n
    finally:
        session.close()


def run_load(target: Target, clients: int, seconds: float) -> LoadResult:
    """`clients` threads, one keep-alive session each, loop over MIX for `seconds`; bounded by the timeouts."""
    outs: list[list[Outcome]] = [[] for _ in range(clients)]
    counts = [0] * clients
    start = threading.Barrier(clients + 1)
    deadline_box = [0.0]
    threads = [threading.Thread(target=_client, args=(i, target, start, deadline_box, outs[i], counts),
                                name=f"load-client-{i}", daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    began = time.monotonic()
    deadline_box[0] = began + seconds
    start.wait(timeout=10)
    # A request started just before the deadline may take its connect and read timeouts on top.
    join_until = deadline_box[0] + 2 * REQUEST_TIMEOUT + 5
    for t in threads:
        t.join(timeout=max(0.0, join_until - time.monotonic()))
    result = LoadResult(seconds=time.monotonic() - began, per_client=counts,
                        stuck_clients=sum(t.is_alive() for t in threads))
    for o in outs:
        result.outcomes.extend(list(o))
    return result


def assert_load_answered(result: LoadResult, clients: int) -> None:
    print(result.summary())
    failures = result.failures()
    if failures or result.stuck_clients:
        by = Counter((f.kind, f.status if f.status is not None else "no answer") for f in failures)
        examples = []
        for kind, status in by:
            first = next(f for f in failures if (f.kind, f.status if f.status is not None else "no answer")
                         == (kind, status))
            examples.append(f"  {kind} -> {status}: {by[(kind, status)]} times, e.g. after "
                            f"{first.seconds:.2f} s: {first.problem}")
        stuck = (f"\n{result.stuck_clients} clients were still blocked in a request "
                 f"{2 * REQUEST_TIMEOUT + 5:.0f} s after the run ended" if result.stuck_clients else "")
        raise AssertionError(f"under load ({clients} clients), {len(failures)} of {len(result.outcomes)} "
                             f"requests were not answered as expected:\n" + "\n".join(examples) + stuck +
                             f"\n{result.summary()}")
    server_errors = [o for o in result.outcomes if o.status is not None and o.status >= 500]
    assert not server_errors, f"5xx under load: {server_errors[:3]}"
    # Each client must have gone round the whole mix at least once: nobody starved.
    starved = [i for i, n in enumerate(result.per_client) if n < len(MIX)]
    assert not starved, (f"clients {starved[:10]} completed fewer than {len(MIX)} requests in "
                         f"{result.seconds:.0f} s\n{result.summary()}")
    minimum = len(MIX) * clients
    assert len(result.outcomes) >= minimum, \
        f"only {len(result.outcomes)} requests completed, expected at least {minimum}\n{result.summary()}"
    missing = set(MIX) - {o.kind for o in result.outcomes}
    assert not missing, f"request kinds never sent: {sorted(missing)}"


# -- shared by both load tests ------------------------------------------------------------------------

def health_ok(server: MockServer) -> None:
    try:
        r = requests.get(f"{server.api_url}/__admin/health", timeout=HEALTH_TIMEOUT)
    except requests.RequestException as e:
        raise AssertionError(f"/__admin/health did not answer within {HEALTH_TIMEOUT:.0f} s after the load: "
                             f"{e!r}\n{server.output_tail()}") from None
    assert r.status_code == 200 and r.json().get("status") == "ready", \
        f"/__admin/health after the load: {r.status_code} {_excerpt(r.content)!r}"


def put_probe_object(server: MockServer) -> None:
    r = raw_request(server.s3, "PUT", f"/{PROBE_BUCKET}/{PROBE_KEY}", body=PROBE_BODY,
                    headers={"Content-Type": "application/json"})
    assert r.status == 200, f"PutObject of the probe object before the load: {r.describe()}"
    assert r.headers.get("etag", "").strip('"') == md5_hex(PROBE_BODY), f"probe ETag: {r.headers}"


def assert_export_matches_disk(server: MockServer, job: dict) -> None:
    assert_state(job, "FULFILLED")
    assert job["totalProcessedRecordings"] == job["totalRecordings"] > 0, f"export counters: {job}"
    assert job["totalFailedRecordings"] == 0, f"export failed recordings under load: {job}"
    bucket_dir = server.bucket_dir(HELD_BUCKET)
    manifest, raw = read_manifest(bucket_dir, job["manifestKey"])
    assert len(manifest["objects"]) == 2 * job["totalRecordings"], \
        f"manifest lists {len(manifest['objects'])} objects for {job['totalRecordings']} recordings"
    assert_objects_match_disk(manifest, bucket_dir)
    assert_counts_match_job(manifest, job)
    custody_key = custody_key_for(job["manifestKey"])
    custody = json.loads((bucket_dir / custody_key).read_bytes())
    assert_custody_verifies(custody, manifest=manifest, manifest_raw=raw, manifest_key=job["manifestKey"],
                            job_id=job["id"], case_id=ACTIVE_CASE, bucket=HELD_BUCKET)
    expected = {o["key"] for o in manifest["objects"]} | {job["manifestKey"], custody_key}
    on_disk = files_under(bucket_dir)
    assert on_disk == expected, (f"bucket folder differs from the manifest after the load: extra "
                                 f"{sorted(on_disk - expected)[:5]}, missing {sorted(expected - on_disk)[:5]}")


def load_both_surfaces(servers, wrapper: tuple[str, ...] = (), expect_cpus: set[int] | None = None) -> None:
    """Starts a server (under `wrapper`), an export, the load run; checks everything; stops it with SIGTERM."""
    held = q1_whatsapp()
    assert held, "the fixtures have no Q1 2023 WhatsApp conversations to export"
    # The export should run through about half of the load run (it starts after ~1 s PENDING).
    export_rate = round(len(held) / max(EXPORT_SHARE * LOAD_SECONDS, 0.1), 3)
    server = servers.start(export_rate=export_rate, rate_limit=0, wrapper=wrapper)
    if expect_cpus is not None:  # a wrapper such as taskset execs the server: the pid is the server's
        cpus = os.sched_getaffinity(server.proc.pid)
        assert cpus == expect_cpus, f"the server should run on CPUs {expect_cpus} only, runs on {cpus}"
    token = server.token()
    put_probe_object(server)
    job = create_export(server, token, export_body(HELD_BUCKET, REGION, prefix=HELD_PREFIX, legal_hold=hold()))
    target = Target(api=server.api_url, s3=server.s3, token=token, job_id=job["id"],
                    conversation_id=held[0]["id"], recording_id=held[0]["recordingId"])
    print(f"export {job['id']} of {len(held)} recordings at {export_rate} recordings/s; "
          f"{LOAD_CLIENTS} clients for {LOAD_SECONDS:.0f} s")

    result = run_load(target, LOAD_CLIENTS, LOAD_SECONDS)
    states = Counter(o.job_state for o in result.outcomes if o.job_state)
    print(f"export states seen during the load: {dict(states)}")
    assert_load_answered(result, LOAD_CLIENTS)

    ended = poll_job(server, token, job["id"], lambda j: j.get("state") in ("FULFILLED", "FAILED", "CANCELLED"),
                     timeout=EXPORT_END_TIMEOUT, interval=0.2, waiting_for="ended after the load")
    assert_export_matches_disk(server, get_job(server, token, ended["id"]))
    health_ok(server)
    code = server.stop(expect_clean_exit=True, timeout=STOP_TIMEOUT)
    assert code == 0, f"SIGTERM after the load should exit 0, got {code}"


# -- the tests ----------------------------------------------------------------------------------------

def test_load_both_surfaces(servers):
    """64 clients on the Genesys API and the S3 endpoint while a held export runs: every request answered."""
    load_both_surfaces(servers)


def test_load_pinned_to_one_cpu(servers):
    """The same load with the server pinned to one CPU (`taskset`), where its thread pools are smallest."""
    taskset = shutil.which("taskset")
    if taskset is None:
        pytest.skip("taskset (util-linux) is not installed, so the server cannot be pinned to one CPU")
    cpu = min(os.sched_getaffinity(0))
    load_both_surfaces(servers, wrapper=(taskset, "-c", str(cpu)), expect_cpus={cpu})


# -- a burst of connections ---------------------------------------------------------------------------

@dataclass
class BurstAnswer:
    port: str                  # "API" or "S3"
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


def _raise_open_files(wanted: int) -> tuple[int, int] | None:
    """Raises the soft RLIMIT_NOFILE to `wanted` (up to the hard limit); returns the old limits to restore."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        return soft, hard
    return None


def _burst_one(answer: BurstAnswer, url: str, path: str, headers: dict[str, str], barrier: threading.Barrier,
               released: list[float]) -> None:
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=BURST_CONNECT_TIMEOUT)
    try:
        try:
            conn.connect()
        except OSError as e:
            answer.error = f"connect failed: {type(e).__name__}: {e}"
        try:
            barrier.wait(timeout=BURST_CONNECT_TIMEOUT + 5)
        except threading.BrokenBarrierError:
            answer.error = answer.error or "the barrier broke: not every connection was up in time"
            return
        if answer.error:
            return
        left = released[0] + BURST_ANSWER_TIMEOUT - time.monotonic()
        conn.sock.settimeout(max(0.1, left))
        began = time.monotonic()
        try:
            conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.endheaders()
            r = conn.getresponse()
            answer.body = r.read()
            answer.status = r.status
            answer.headers = {k.lower(): v for k, v in r.getheaders()}
        except Exception as e:  # noqa: BLE001 - resets, timeouts, truncated answers: all reported below
            answer.error = f"{type(e).__name__}: {e}"
        answer.seconds = time.monotonic() - began
    finally:
        conn.close()


def _burst_problem(a: BurstAnswer) -> str | None:
    if a.error:
        return a.error
    if a.status == 200:
        if a.port == "API":
            try:
                ok = "total" in json.loads(a.body)
            except ValueError:
                ok = False
            return None if ok else f"200 without a JSON export list: {_excerpt(a.body)!r}"
        return None if b"<ListBucketResult" in a.body else f"200 without a ListBucketResult: {_excerpt(a.body)!r}"
    if a.status in (429, 503):  # a clean "come back later" is allowed, in each surface's own words
        if a.port == "API":
            try:
                body = json.loads(a.body)
            except ValueError:
                return f"{a.status} whose body is not an ErrorBody: {_excerpt(a.body)!r}"
            if isinstance(body, dict) and {"code", "message", "status"} <= set(body) and body["status"] == a.status:
                return None
            return f"{a.status} whose body is not an ErrorBody: {_excerpt(a.body)!r}"
        code, _ = s3_error_xml(a.body)
        return None if code == "SlowDown" else f"{a.status} without <Code>SlowDown</Code>: {_excerpt(a.body)!r}"
    return f"HTTP {a.status}: {_excerpt(a.body)!r}"


def test_burst_of_512_connections(servers):
    """512 connections send at the same moment, half to each port: every one gets a complete answer."""
    restore = _raise_open_files(4 * BURST_CONNECTIONS + 256)  # before the start, so the server inherits it
    try:
        server = servers.start(export_rate=0, rate_limit=0)
        token = server.token()
        api_path = EXPORTS
        api_headers = {"Host": urlsplit(server.api_url).netloc, "Authorization": f"Bearer {token}"}
        s3_path = f"/{PROBE_BUCKET}?list-type=2&max-keys=10"
        s3_headers = s3_signed_headers(server.s3, "GET", s3_path)

        answers = [BurstAnswer("API" if i % 2 == 0 else "S3") for i in range(BURST_CONNECTIONS)]
        released = [0.0]
        barrier = threading.Barrier(BURST_CONNECTIONS, action=lambda: released.__setitem__(0, time.monotonic()))
        threads = []
        for a in answers:
            url, path, headers = ((server.api_url, api_path, api_headers) if a.port == "API"
                                  else (server.s3, s3_path, s3_headers))
            threads.append(threading.Thread(target=_burst_one, args=(a, url, path, headers, barrier, released),
                                            daemon=True))
        began = time.monotonic()
        for t in threads:
            t.start()
        join_until = began + BURST_CONNECT_TIMEOUT + 5 + BURST_ANSWER_TIMEOUT + 5
        for t in threads:
            t.join(timeout=max(0.0, join_until - time.monotonic()))
        still = sum(t.is_alive() for t in threads)
        assert not still, f"{still} burst connections still had no answer after {join_until - began:.0f} s"

        problems = [(a, p) for a in answers if (p := _burst_problem(a))]
        statuses = Counter((a.port, a.status) for a in answers)
        slowest = max((a.seconds for a in answers), default=0.0)
        print(f"burst of {BURST_CONNECTIONS}: {dict(statuses)}; slowest answer {slowest:.2f} s")
        if problems:
            by = Counter((a.port, p.split(":")[0]) for a, p in problems)
            raise AssertionError(f"{len(problems)} of {BURST_CONNECTIONS} burst connections got no clean answer "
                                 f"within {BURST_ANSWER_TIMEOUT:.0f} s: {dict(by)}; e.g. "
                                 + "; ".join(f"{a.port}: {p}" for a, p in problems[:5]))
        health_ok(server)
        code = server.stop(expect_clean_exit=True, timeout=STOP_TIMEOUT)
        assert code == 0, f"SIGTERM after the burst should exit 0, got {code}"
    finally:
        if restore:
            resource.setrlimit(resource.RLIMIT_NOFILE, restore)
