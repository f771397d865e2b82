#!/usr/bin/env python3
"""Tenants benchmark (issue 24, "Tenants on demand"): making, resetting and keeping tenants, each beside a reference.

    .build/e2e-venv/bin/python scripts/bench_tenants.py --bin .build/release/genesys-mock
    .build/e2e-venv/bin/python scripts/bench_tenants.py --bin … --creates 20 --reset-conversations 200 \\
        --exporters 4 --idle 50 --concurrent 4                                             # a quick smoke run

This machine is too noisy for absolute figures, so each is set against a reference measured on the same server in
the same run; the issue's absolute goals are reported too. Every export below is the held one a CI job runs: the
tenant admin's token (client credentials), `POST /api/v2/recordings/exports` of the WhatsApp conversations of
2023-01..06 into the tenant's own `{name}-legal-discovery` bucket (eu-west-2, Object Lock) under legal hold
LH-2023-001, polled until it ends. A held object is never overwritten, so an export into a bucket that already holds
its objects FAILS: repeated exports go under a prefix of their own, or follow a reset.

1. tenant create: `--creates` `POST /__admin/tenants` with conversations 0, one after the other: p50/p99.
   Reference: as many `POST /__admin/oauth-clients` (a plain admin insert) on one keep-alive session, the two
   taking turns request by request. Goal: create p99 < 20 ms.
2. reset under load: a tenant of `--reset-conversations` conversations exported fully (its objects counted by a
   boto3 listing with the tenant's key), then, while `--exporters` other tenants (`--exporter-conversations` each)
   export in a loop from threads, `POST /__admin/tenants/{id}/reset` for `--rounds` rounds (re-exported before each
   but the first; its bucket checked empty after). Reference: the reset of a tenant with no generated conversations
   and no objects, under the same load, the two taking turns. The server's own `tookMs` is shown beside. Goals:
   reset < 200 ms (the worst round), and every export of the other tenants FULFILLED.
3. idle tenants: the server's VmRSS (/proc/PID/status) before and after making `--idle` tenants with 0
   conversations, each after `--settle` seconds. Reference: its VmRSS right after start. Goal: < 100 MB added.
   Run right after part 1, before any export has grown the server's heap.
4. tenants exporting at once: `--concurrent` tenants of `--concurrent-conversations` each start their exports at
   once from threads: wall time until all have ended, objects/s overall (objects counted by listing), the server's
   VmRSS peak (sampled every 100 ms). Reference: ONE tenant of concurrent x that many conversations exporting
   alone on the same server; the two take turns for `--rounds` rounds, each round under a prefix of its own, and
   the median rate is kept. Goals: >= 0.5x the reference's objects/s, no job FAILED, the server under 150 MB; and, in
   one more round, `--burst` connections opened at once all answered (200, or 429/503 with Retry-After). Last, SIGTERM:
   status 0 within 5 s (CONTRACT §11).

`--world DIR` runs all of it on a world seeded by `genesys-mock seed` (the issue asks for 1,000,000 conversations):
the folder's database is copied into the temporary folder first, so the folder itself is left as it was.

All on 127.0.0.1 on free ports, in a temporary folder removed at the end (`--keep` keeps it).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
E2E_PYTHON = REPO / ".build" / "e2e-venv" / "bin" / "python"
try:
    import boto3
    import requests
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # run from a plain python3: go again in the e2e virtualenv, which has requests and boto3
    if E2E_PYTHON.exists() and Path(sys.executable).resolve() != E2E_PYTHON.resolve():
        os.execv(str(E2E_PYTHON), [str(E2E_PYTHON), *sys.argv])
    sys.exit("bench_tenants: needs requests and boto3 (e.g. .build/e2e-venv/bin/python)")

from benchkit import Bench, Mock, call, pct, vm, with_rss_peak  # noqa: E402 (after the virtualenv check)

REGION, CASE = "eu-west-2", "LH-2023-001"
PREFIX = f"cases/{CASE}/"
WORLD = "2023-01-01T00:00:00Z/2023-07-01T00:00:00Z"  # the fixtures' and the generated conversations' times
MAX_CONVERSATIONS = 10_000  # a tenant's generated conversations at most (TenantWorld.maxConversations)
ENDED = ("FULFILLED", "FAILED", "CANCELLED")
TIMEOUT = 120  # seconds, for any one HTTP request (a tenant of 10,000 conversations is made in one)
POLL = 0.1  # seconds between polls of a job: 32 threads polling faster would load the server they measure


def log(msg: str) -> None:
    print(f"bench_tenants: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- the server


class Tenant:
    """A tenant made by `POST /__admin/tenants`, its admin client logged in, and boto3 on its buckets with its key."""

    def __init__(self, mock: Mock, name: str, conversations: int, export_timeout: float):
        self.api, self.name, self.export_timeout = mock.api, name, export_timeout
        made = call(requests.Session(), "POST", f"{mock.api}/__admin/tenants", 201,
                    json={"name": name, "conversations": conversations}).json()
        self.id, self.bucket, admin = made["id"], made["buckets"][0], made["clients"]["admin"]
        self.http = requests.Session()  # used by one thread at a time
        token = call(self.http, "POST", f"{mock.api}/oauth/token", data={"grant_type": "client_credentials"},
                     auth=(admin["clientId"], admin["clientSecret"])).json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.s3 = boto3.client("s3", endpoint_url=mock.s3, region_name=REGION, aws_access_key_id=made["s3"]["accessKeyId"],
                               aws_secret_access_key=made["s3"]["secretAccessKey"],
                               config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))

    def export(self, prefix: str = PREFIX, posted=lambda: None) -> dict:
        """The held export into the tenant's bucket (`posted()` once it is asked for), polled until it ends: the job
        as last read."""
        body = {"storage": {"destinationType": "s3", "bucketName": self.bucket, "region": REGION, "prefix": prefix},
                "filter": {"mediaTypes": ["whatsapp"], "interval": WORLD},
                "legal_hold": {"enabled": True, "case_id": CASE, "reason": "Discovery"}}
        job = call(self.http, "POST", f"{self.api}/api/v2/recordings/exports", 202, json=body).json()
        posted()
        deadline = time.monotonic() + self.export_timeout
        while job["state"] not in ENDED:
            if time.monotonic() > deadline:
                raise Bench(f"tenant {self.name}: export {job['id']} still {job['state']} after {self.export_timeout:.0f} s")
            time.sleep(POLL)
            job = call(self.http, "GET", f"{self.api}/api/v2/recordings/exports/{job['id']}").json()
        return job

    def objects(self, prefix: str = "") -> int:
        """How many objects the tenant's bucket lists (ListObjectsV2, pages of 1000)."""
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return sum(page.get("KeyCount", 0) for page in pages)


def make(mock: Mock, prefix: str, count: int, conversations: int, args) -> list[Tenant]:
    """`count` tenants named prefix-NN, made one after the other (the server makes each in one transaction)."""
    return [Tenant(mock, f"{prefix}-{i:04d}", conversations, args.export_timeout) for i in range(count)]


# --------------------------------------------------------------------------------------------- 1. create


def bench_create(mock: Mock, args) -> dict:
    http, create, client = requests.Session(), [], []
    one_tenant = lambda i: call(http, "POST", f"{mock.api}/__admin/tenants", 201,
                                json={"name": f"create-{i:04d}", "conversations": 0})
    one_client = lambda i: call(http, "POST", f"{mock.api}/__admin/oauth-clients", 201,
                                json={"clientId": f"bench-client-{i:04d}", "clientSecret": "secret-1234",
                                      "permissions": ["recording:job:view"]})
    for i in range(args.creates + 1):  # i = 0 warms both up and is not counted; then they take turns first
        sides = [(create, one_tenant), (client, one_client)]
        for into, one in sides[::-1] if i % 2 else sides:
            t0 = time.perf_counter()
            one(i)
            if i:
                into.append(time.perf_counter() - t0)
    return {"creates": len(create), "create_p50": pct(create, .5), "create_p99": pct(create, .99),
            "client_p50": pct(client, .5), "client_p99": pct(client, .99)}


# --------------------------------------------------------------------------------------------- 2. reset under load


def exporting(tenant: Tenant, stop: threading.Event, started: threading.Event) -> list[str]:
    """Exports in a loop, each under a prefix of its own, until `stop`: every job's end state (or the error)."""
    states = []
    while not stop.is_set():
        try:
            states.append(tenant.export(f"{PREFIX}loop-{len(states):04d}/", started.set)["state"])
        except (Bench, requests.RequestException) as e:
            return states + [f"ERROR {e}"]
    return states


def bench_reset(mock: Mock, args) -> dict:
    log(f"2. making a tenant of {args.reset_conversations:,} conversations, an empty one, and {args.exporters} "
        f"exporters of {args.exporter_conversations:,}")
    big = Tenant(mock, "reset-big", args.reset_conversations, args.export_timeout)
    empty = Tenant(mock, "reset-empty", 0, args.export_timeout)
    loaders = make(mock, "load", args.exporters, args.exporter_conversations, args)

    def reset(t: Tenant) -> tuple[float, float]:
        t0 = time.perf_counter()
        took = call(requests.Session(), "POST", f"{mock.api}/__admin/tenants/{t.id}/reset").json()["tookMs"]
        return (time.perf_counter() - t0) * 1000, took

    def export_big() -> int:
        if (job := big.export())["state"] != "FULFILLED":
            raise Bench(f"the reset tenant's export ended {job['state']}: {job.get('errorMessage')}")
        return big.objects()

    objects = export_big()
    log(f"2. exported {objects:,} objects; {args.rounds} resets of each under {args.exporters} exporting tenants")
    stop, started = threading.Event(), [threading.Event() for _ in loaders]
    big_ms, empty_ms, big_took, empty_took = [], [], [], []
    with ThreadPoolExecutor(len(loaders)) as pool:
        loads = [pool.submit(exporting, t, stop, s) for t, s in zip(loaders, started)]
        try:
            if not all(s.wait(60) for s in started):
                raise Bench("the exporting tenants did not all start within 60 s")
            for rnd in range(args.rounds):
                if rnd and (again := export_big()) != objects:
                    raise Bench(f"the re-export wrote {again:,} objects, the first {objects:,}")
                for t in (empty, big) if rnd % 2 else (big, empty):
                    ms, took = reset(t)
                    (big_ms if t is big else empty_ms).append(ms)
                    (big_took if t is big else empty_took).append(took)
                if left := big.objects():
                    raise Bench(f"after its reset the tenant's bucket still lists {left:,} objects")
        finally:
            stop.set()
        states = [s for f in loads for s in f.result(timeout=args.export_timeout + 60)]
    return {"conversations": args.reset_conversations, "objects": objects, "exporters": args.exporters,
            "big_ms": big_ms, "empty_ms": empty_ms, "big_took_ms": big_took, "empty_took_ms": empty_took,
            "load_exports": len(states), "load_fulfilled": states.count("FULFILLED"),
            "load_other": sorted({s for s in states if s != "FULFILLED"})}


# --------------------------------------------------------------------------------------------- 3. idle tenants


def bench_idle(mock: Mock, args) -> dict:
    pid, http = mock.proc.pid, requests.Session()
    time.sleep(args.settle)
    before = vm(pid)
    for i in range(args.idle):
        call(http, "POST", f"{mock.api}/__admin/tenants", 201, json={"name": f"idle-{i:04d}", "conversations": 0})
    time.sleep(args.settle)
    listed = len(call(http, "GET", f"{mock.api}/__admin/tenants").json()["tenants"])
    return {"idle": args.idle, "before_mb": before, "after_mb": vm(pid), "tenants_listed": listed}


# --------------------------------------------------------------------------------------------- 4. at once


def bench_concurrent(mock: Mock, args) -> dict:
    total = args.concurrent * args.concurrent_conversations
    log(f"4. making {args.concurrent} tenants of {args.concurrent_conversations:,} conversations and one of {total:,}")
    many, solo = make(mock, "many", args.concurrent, args.concurrent_conversations, args), \
        Tenant(mock, "solo", total, args.export_timeout)
    pid = mock.proc.pid

    def at_once(prefix: str) -> tuple[float, list[str], int]:
        """Every tenant's export started at once: (seconds until the last ended, end states, objects written)."""
        gate = threading.Barrier(len(many) + 1)

        def one(t: Tenant) -> tuple[str, float]:
            gate.wait(timeout=60)
            return t.export(prefix)["state"], time.perf_counter()

        with ThreadPoolExecutor(len(many)) as pool:
            futures = [pool.submit(one, t) for t in many]
            gate.wait(timeout=60)
            t0 = time.perf_counter()
            ended = [f.result(timeout=args.export_timeout + 60) for f in futures]
        return max(e for _, e in ended) - t0, [s for s, _ in ended], sum(t.objects(prefix) for t in many)

    def alone(prefix: str) -> tuple[float, list[str], int]:
        t0 = time.perf_counter()
        state = solo.export(prefix)["state"]
        return time.perf_counter() - t0, [state], solo.objects(prefix)

    sides = {"many": (at_once, []), "solo": (alone, [])}
    for rnd in range(args.rounds):  # they take turns first; each round under a prefix of its own
        for name in ("many", "solo") if rnd % 2 else ("solo", "many"):
            log(f"4. round {rnd + 1} of {args.rounds}: {'one tenant alone' if name == 'solo' else f'{len(many)} at once'}")
            fn, into = sides[name]
            (seconds, states, objects), peak = with_rss_peak(pid, lambda: fn(f"{PREFIX}round-{rnd}/"))
            into.append({"seconds": seconds, "states": states, "objects": objects, "rate": objects / seconds, "peak_mb": peak})

    # CONTRACT §11 while they export: a burst of simultaneous connections, every one answered (200, or 429/503 with
    # Retry-After).
    log(f"4. a burst of {args.burst} connections while {len(many)} tenants export")
    with ThreadPoolExecutor(1) as background:
        round_ = background.submit(at_once, f"{PREFIX}burst/")
        time.sleep(0.3)
        answered = burst(mock, many[0].http.headers["Authorization"], args.burst)
        _, states, _ = round_.result(timeout=args.export_timeout + 120)
    answered.update(jobs=len(states), fulfilled=states.count("FULFILLED"))

    def summary(runs: list[dict]) -> dict:
        states = [s for r in runs for s in r["states"]]
        return {"rate": statistics.median(r["rate"] for r in runs), "seconds": statistics.median(r["seconds"] for r in runs),
                "objects": runs[0]["objects"], "jobs": len(states), "fulfilled": states.count("FULFILLED"),
                "failed": states.count("FAILED"), "peak_mb": max(r["peak_mb"] for r in runs), "runs": runs}
    return {"tenants": len(many), "conversations": args.concurrent_conversations, "many": summary(sides["many"][1]),
            "solo": summary(sides["solo"][1]), "hwm_mb": vm(pid, "VmHWM"), "burst": answered}


def burst(mock: Mock, authorization: str, n: int) -> dict:
    """`n` new connections at once, each one GET of a tenant's exports: how many were answered, and how."""
    gate = threading.Barrier(n)

    def one(_) -> str:
        gate.wait(timeout=60)
        try:
            r = requests.get(f"{mock.api}/api/v2/recordings/exports", timeout=120,
                             headers={"Authorization": authorization, "Connection": "close"})
        except requests.RequestException as e:
            return type(e).__name__
        if r.status_code == 200:
            return "200"
        return f"{r.status_code} with Retry-After" if r.status_code in (429, 503) and "Retry-After" in r.headers else str(r.status_code)

    with ThreadPoolExecutor(n) as pool:
        answers = list(pool.map(one, range(n)))
    ok = sum(a == "200" or a.endswith("Retry-After") for a in answers)
    return {"connections": n, "answered": ok, "kinds": {a: answers.count(a) for a in sorted(set(answers))}}


# --------------------------------------------------------------------------------------------- main


def report(results: dict, args, command: str) -> None:
    ok = lambda good: "PASS" if good else "MISS"
    rows = []  # case, genesys-mock, reference, ratio, goal
    c = results["create"]
    for q in ("p50", "p99"):
        rows.append((f"1. tenant create, 0 conv ({c['creates']} each)" if q == "p50" else "", f"{q} {c['create_' + q]:.1f} ms",
                     f"oauth-client {q} {c['client_' + q]:.1f} ms", f"{c['create_' + q] / c['client_' + q]:.1f}x",
                     f"p99 < 20 ms: {ok(c['create_p99'] < 20)}" if q == "p99" else ""))
    r = results["reset"]
    for name, pick in (("median", statistics.median), ("worst", max)):
        big, empty = pick(r["big_ms"]), pick(r["empty_ms"])
        rows.append((f"2. reset, {r['conversations']:,} conv / {r['objects']:,} objects, {r['exporters']} exporting"
                     if name == "median" else "", f"{name} {big:.0f} ms (server {pick(r['big_took_ms']):.0f})",
                     f"empty tenant {empty:.0f} ms (server {pick(r['empty_took_ms']):.0f})", f"{big / empty:.1f}x",
                     f"< 200 ms: {ok(big < 200)}" if name == "worst" else ""))
    rows.append(("2. the exporting tenants' jobs", f"{r['load_fulfilled']} of {r['load_exports']} FULFILLED",
                 ", ".join(r["load_other"]), "", f"all FULFILLED: {ok(r['load_fulfilled'] == r['load_exports'])}"))
    i = results["idle"]
    added = i["after_mb"] - i["before_mb"]
    rows.append((f"3. {i['idle']:,} idle tenants ({i['tenants_listed']:,} listed)",
                 f"+{added:.0f} MB ({added * 1024 / i['idle']:.0f} KB each)",
                 f"at start {results['rss_start_mb']:.0f} MB, before {i['before_mb']:.0f}, after {i['after_mb']:.0f}", "",
                 f"< 100 MB added: {ok(added < 100)}"))
    m = results["concurrent"]
    many, solo = m["many"], m["solo"]
    rows.append((f"4. {m['tenants']} tenants x {m['conversations']:,} conv exporting at once",
                 f"{many['rate']:,.0f} objects/s ({many['seconds']:.1f} s)",
                 f"one tenant {solo['rate']:,.0f} objects/s ({solo['seconds']:.1f} s)", f"{many['rate'] / solo['rate']:.2f}x",
                 f">= 0.5x: {ok(many['rate'] >= 0.5 * solo['rate'])}"))
    rows.append(("4. jobs, all rounds; objects a round", f"{many['fulfilled']} of {many['jobs']} FULFILLED; {many['objects']:,}",
                  f"{solo['fulfilled']} of {solo['jobs']} FULFILLED; {solo['objects']:,}", "",
                  f"none FAILED: {ok(many['failed'] == 0 and many['fulfilled'] == many['jobs'])}"))
    rows.append(("4. server memory", f"peak VmRSS {many['peak_mb']:.0f} MB", f"one tenant: peak {solo['peak_mb']:.0f} MB",
                  "", f"VmHWM {m['hwm_mb']:.0f} MB: < 150 MB: {ok(max(many['peak_mb'], m['hwm_mb']) < 150)}"))
    b = m["burst"]
    rows.append((f"4. {b['connections']} connections at once, {m['tenants']} exporting", f"{b['answered']} of {b['connections']} answered",
                 ", ".join(f"{k}: {v}" for k, v in b["kinds"].items()), "",
                 f"all answered: {ok(b['answered'] == b['connections'])}; exports {b['fulfilled']} of {b['jobs']} FULFILLED"))
    t = results["sigterm"]
    rows.append(("SIGTERM after the run", f"status {t['status']}", f"in {t['seconds']:.1f} s", "",
                 f"0 within a few seconds: {ok(t['status'] == 0 and t['seconds'] < 5)}"))
    print(f"bench_tenants: {args.rounds} rounds, {args.bin}")
    print(f"  command: {command}")
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print(f"  {r[0]:<{w[0]}}  {r[1]:>{w[1]}}  {r[2]:>{w[2]}}  {r[3]:>{w[3]}}  {r[4]}".rstrip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n", 2)[2])
    ap.add_argument("--bin", default=os.environ.get("GENESYS_MOCK_BIN", str(REPO / ".build/release/genesys-mock")))
    ap.add_argument("--creates", type=int, default=200, help="1. tenants (and oauth clients) made (default 200)")
    ap.add_argument("--reset-conversations", type=int, default=5000, help="2. the reset tenant's conversations (default 5000)")
    ap.add_argument("--exporters", type=int, default=16, help="2. tenants exporting in a loop meanwhile (default 16)")
    ap.add_argument("--exporter-conversations", type=int, default=500, help="2. conversations of each (default 500)")
    ap.add_argument("--idle", type=int, default=1000, help="3. idle tenants made (default 1000)")
    ap.add_argument("--settle", type=float, default=2.0, help="3. seconds before each VmRSS reading (default 2)")
    ap.add_argument("--concurrent", type=int, default=32, help="4. tenants exporting at once (default 32)")
    ap.add_argument("--concurrent-conversations", type=int, default=200, help="4. conversations of each (default 200)")
    ap.add_argument("--burst", type=int, default=512, help="4. connections opened at once during the exports (default 512)")
    ap.add_argument("--rounds", type=int, default=3, help="2. resets of each tenant; 4. rounds per side (default 3)")
    ap.add_argument("--export-timeout", type=float, default=600, help="seconds any one export may take (default 600)")
    ap.add_argument("--world", type=Path, help="a data folder seeded by `genesys-mock seed` (e.g. 1,000,000 conversations): "
                    "its database is copied in, so the server runs on that world and the folder is left as it was")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds through the finally that stops the server
    if not Path(args.bin).is_file():
        ap.error(f"no genesys-mock binary at {args.bin}")
    if min(args.creates, args.exporters, args.idle, args.concurrent, args.concurrent_conversations, args.rounds) < 1 \
            or min(args.reset_conversations, args.exporter_conversations, args.settle, args.export_timeout) < 0:
        ap.error("counts must be positive, conversations and times not negative")
    biggest = max(args.reset_conversations, args.exporter_conversations, args.concurrent * args.concurrent_conversations)
    if biggest > MAX_CONVERSATIONS:
        ap.error(f"a tenant has at most {MAX_CONVERSATIONS:,} generated conversations (part 4's reference has "
                 f"--concurrent x --concurrent-conversations)")
    command = shlex.join([sys.executable, *sys.argv])

    work = Path(tempfile.mkdtemp(prefix="bench-tenants-", dir=os.environ.get("BENCH_DIR")))
    mock = None
    try:
        if args.world:
            source = args.world / "genesys-mock.sqlite"
            if not source.is_file():
                raise Bench(f"no genesys-mock.sqlite in {args.world}: seed it with `genesys-mock seed --data {args.world}`")
            (work / "data").mkdir()
            log(f"copying {source} ({source.stat().st_size / 1e9:.1f} GB) for the server's world")
            with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, \
                    closing(sqlite3.connect(work / "data" / "genesys-mock.sqlite")) as dst:
                src.backup(dst)
            results_world = {"world": str(args.world)}
        else:
            results_world = {}
        mock = Mock(args.bin, work / "data", work / "server.log")
        mock.ready(timeout=120)
        results = {**results_world, "rss_start_mb": vm(mock.proc.pid)}
        log(f"1. {args.creates} tenant creations and {args.creates} oauth-client inserts, taking turns")
        results["create"] = bench_create(mock, args)
        log(f"3. {args.idle:,} idle tenants (before any export)")  # before parts 2 and 4 grow the heap
        results["idle"] = bench_idle(mock, args)
        results["reset"] = bench_reset(mock, args)
        results["concurrent"] = bench_concurrent(mock, args)
        if mock.proc.poll() is not None:
            raise Bench(f"the server exited with status {mock.proc.returncode} during the run")
        log("SIGTERM after the run")  # CONTRACT §11: it stops within a few seconds, with status 0
        t0 = time.perf_counter()
        mock.proc.terminate()
        try:
            status = mock.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            status = None
        results["sigterm"] = {"status": status, "seconds": time.perf_counter() - t0}
    except (Bench, requests.RequestException, BotoCoreError, ClientError, threading.BrokenBarrierError, TimeoutError) as e:
        log(f"failed: {e}")
        return 1
    finally:
        if mock:
            mock.stop()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    report(results, args, command)
    if args.json:
        args.json.write_text(json.dumps({"command": command, **results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
