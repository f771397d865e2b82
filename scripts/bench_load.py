#!/usr/bin/env python3
"""Load genesys-mock's hot paths with wrk next to reference servers measured in the same run; print ratios.

    python3 scripts/bench_load.py --bin .build/release/genesys-mock [--duration 8] [--connections 64] [--json FILE]

References, started by this script on 127.0.0.1 and loaded in the same run, one case after the other:
  - a bare Hummingbird server (Benchmarks/HelloReference, GET /hello, built here in release unless
    --reference-bin is given; its Hummingbird is pinned to the version the main Package.resolved has);
  - moto's S3 server (pinned in its own virtualenv, .build/bench-venv, which this script creates and then re-runs
    itself in, so the one command works from a plain python3).

Cases: (a) reference /hello, (b) GET one export, (c) GET the export list, (d)/(e) S3 GetObject of a 4 KiB object
from genesys-mock / moto, (f)/(g) ListObjectsV2 of 1,000 keys from genesys-mock / moto (moto lists about 3 times a
second, so (g) uses --moto-list-connections and a longer request timeout). S3 requests are signed once with SigV4
and replayed by wrk as-is: every request pays the signature check. req/s counts 2xx responses only. wrk counts a
timeout only for a response that arrives late, so a case with no response, or whose server does not answer one
request right after the run, is reported STALLED (and its ratios MISS).

Exit status 0 whatever the figures (a benchmark, not a test); 1 if something could not be run (a build, a server
that did not start, a wrk run that produced no figures); 2 on bad arguments.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".build" / "bench-venv"
VENV_PYTHON = VENV / "bin" / "python"
# Pinned so runs compare like with like; boto3/botocore as in Tests/e2e/requirements.txt.
REQUIREMENTS = ["moto[server]==5.2.5", "boto3==1.43.11", "botocore==1.43.11"]
REFERENCE_PKG = REPO / "Benchmarks" / "HelloReference"
BUILD_LOCK = "/tmp/swift-build.lock"  # serialises swift builds on a shared machine (flock), when flock exists
HOST = "127.0.0.1"

S3_KEY, S3_SECRET = "mock-access-key", "mock-secret-key"  # fixtures/s3-access-keys.json
ADMIN = b"mock-admin:mock-admin-secret"
MOCK_BUCKET, MOTO_BUCKET = "recordings-us", "bench-load"
OBJECT_KEY = "bench-load/object-4k.bin"
LIST_PREFIX = "bench-load/list/"
LIST_KEYS = 1000
EXPORT = {  # one small export (January 2023's WhatsApp conversations)
    "storage": {"destinationType": "s3", "bucketName": MOCK_BUCKET, "region": "us-east-1", "prefix": "bench-load/"},
    "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-01-01T00:00:00Z/2023-02-01T00:00:00Z"},
}

# wrk prints this one line from its done() hook; the numbers are parsed from it, not from wrk's own report.
WRK_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_LOAD requests=%.0f duration_us=%.0f bytes=%.0f connect=%.0f read=%.0f write=%.0f status=%.0f " ..
    "timeout=%.0f p50_us=%.0f p99_us=%.0f max_us=%.0f\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""
# moto_server with werkzeug's per-request access log off: moto gets its best figures, and nobody reads the log.
MOTO_LAUNCHER = (
    "import logging, sys; logging.getLogger('werkzeug').setLevel(logging.ERROR); "
    "from moto.server import main; sys.argv[0] = 'moto_server'; main()"
)
WRK_LINE = re.compile(r"^BENCH_LOAD ((?:\w+=[\d.]+\s*)+)$", re.M)


class BenchError(Exception):
    """Something could not be run: reported, and the exit status is 1."""


def log(msg: str) -> None:
    print(f"bench_load: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- environment


def ensure_venv() -> None:
    """Create .build/bench-venv with the pinned requirements (again when the pins change)."""
    stamp = VENV / ".requirements.sha256"
    want = hashlib.sha256("\n".join(REQUIREMENTS).encode()).hexdigest()
    if VENV_PYTHON.exists() and stamp.exists() and stamp.read_text().strip() == want:
        return
    log(f"setting up {VENV.relative_to(REPO)} ({', '.join(REQUIREMENTS)})")
    if not VENV_PYTHON.exists():
        run([sys.executable, "-m", "venv", str(VENV)], timeout=300)
    run([str(VENV_PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check", *REQUIREMENTS], timeout=900)
    stamp.write_text(want + "\n")


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_wrk() -> str:
    if path := shutil.which("wrk"):
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BenchError("wrk is not installed (Debian: apt-get install wrk)")
    log("installing wrk with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], timeout=600, env=env)
    run(["apt-get", "install", "-y", "-qq", "wrk"], timeout=600, env=env)
    if path := shutil.which("wrk"):
        return path
    raise BenchError("apt-get install wrk did not give a wrk")


def run(cmd: list[str], timeout: float, **kw) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(cmd)}: still running after {timeout:.0f} s") from None
    except OSError as e:
        raise BenchError(f"{' '.join(cmd)}: {e}") from None
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-30:])
        raise BenchError(f"{' '.join(cmd)} exited {done.returncode}:\n{tail}")
    return done


def resolved_version(package_dir: Path, identity: str = "hummingbird") -> str | None:
    try:
        pins = json.loads((package_dir / "Package.resolved").read_text())
    except (OSError, ValueError):
        return None
    for pin in pins.get("pins", []):
        if pin.get("identity") == identity:
            return pin.get("state", {}).get("version") or pin.get("state", {}).get("revision")
    return None


def swift(args: list[str], timeout: float, lock: bool = True) -> subprocess.CompletedProcess:
    cmd = ["swift", *args, "--package-path", str(REFERENCE_PKG)]
    if lock and shutil.which("flock"):
        cmd = ["flock", BUILD_LOCK, *cmd]
    return run(cmd, timeout=timeout)


def build_reference() -> Path:
    """Release-build Benchmarks/HelloReference with the main package's pins (so the same Hummingbird)."""
    if not shutil.which("swift"):
        raise BenchError("swift is not on PATH (or pass --reference-bin)")
    main_version = resolved_version(REPO)
    if main_version and resolved_version(REFERENCE_PKG) != main_version:
        # The main pins seed the reference's resolution: Hummingbird and everything it pulls in at the same versions.
        shutil.copyfile(REPO / "Package.resolved", REFERENCE_PKG / "Package.resolved")
    log("building Benchmarks/HelloReference in release (the first build takes minutes)")
    swift(["build", "-c", "release", "--product", "hello-reference"], timeout=3600)
    ref_version = resolved_version(REFERENCE_PKG)
    if main_version and ref_version != main_version:
        log(f"warning: reference resolved Hummingbird {ref_version}, the main package {main_version}")
    built = REFERENCE_PKG / ".build" / "release" / "hello-reference"
    if built.is_file():
        return built
    bin_dir = swift(["build", "-c", "release", "--show-bin-path"], timeout=600, lock=False).stdout.strip()
    return Path(bin_dir.splitlines()[-1]) / "hello-reference"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------- processes


class Server:
    """A child process whose output is read on threads (so a chatty one never blocks) and kept for errors."""

    def __init__(self, name: str, cmd: list[str], env: dict | None = None):
        self.name, self.cmd = name, cmd
        self.out: list[str] = []
        self.changed = threading.Condition()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env=env, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.proc.stdout:
            with self.changed:
                self.out.append(raw.decode("utf-8", "replace").rstrip())
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        """The first output line matching pattern, within timeout seconds."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        seen = 0
        with self.changed:
            while True:
                for line in self.out[seen:]:
                    if m := rx.search(line):
                        return m
                seen = len(self.out)
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and seen == len(self.out)):
                    raise BenchError(self.why(f"printed no line matching {pattern!r} within {timeout:.0f} s"
                                              if left <= 0 else f"exited with status {self.proc.returncode}"))
                self.changed.wait(min(left, 0.2))

    def why(self, what: str) -> str:
        tail = "\n".join(self.out[-20:])
        return f"{self.name} {what}\ncommand: {' '.join(self.cmd)}\noutput:\n{tail}"

    def alive(self) -> None:
        if self.proc.poll() is not None:
            raise BenchError(self.why(f"exited with status {self.proc.returncode}"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None, timeout: float = 10) -> tuple:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_http(url: str, server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server.alive()
        try:
            if http("GET", url, timeout=1)[0] < 500:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    raise BenchError(server.why(f"did not answer {url} within {timeout:.0f} s"))


# --------------------------------------------------------------------------------------------- set-up


def s3_client(endpoint: str, region: str):
    import boto3
    from botocore.config import Config
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=S3_KEY, aws_secret_access_key=S3_SECRET,
                        region_name=region, config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                                          connect_timeout=5, read_timeout=30))


def fill_bucket(client, bucket: str, body: bytes) -> None:
    client.put_object(Bucket=bucket, Key=OBJECT_KEY, Body=body)
    for i in range(LIST_KEYS):
        client.put_object(Bucket=bucket, Key=f"{LIST_PREFIX}key-{i:05d}.json", Body=b"{}")
    # What the listing case will see: every key, in one page of 1,000.
    page = client.list_objects_v2(Bucket=bucket, Prefix=LIST_PREFIX)
    if page.get("KeyCount") != LIST_KEYS:
        raise BenchError(f"{bucket}: a listing of {LIST_PREFIX} has {page.get('KeyCount')} keys, not {LIST_KEYS}")


def signed_headers(url: str, region: str) -> dict[str, str]:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="GET", url=url, headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
    SigV4Auth(Credentials(S3_KEY, S3_SECRET), "s3", region).add_auth(req)
    return {k: v for k, v in req.headers.items() if k.lower() != "host"}


def check(url: str, headers: dict[str, str], what: str, timeout: float = 15) -> None:
    """One request on its own: 200 within timeout seconds, or BenchError."""
    try:
        status, body = http("GET", url, headers=headers, timeout=timeout)
    except (urllib.error.URLError, OSError) as e:
        raise BenchError(f"{what}: GET {url}: {e}") from None
    if status != 200:
        raise BenchError(f"{what}: GET {url}: {status} {body[:300]!r}")


def mock_setup(api: str) -> tuple[str, str]:
    """A token and one finished export: (token, export id)."""
    status, body = http("POST", f"{api}/oauth/token", b"grant_type=client_credentials",
                        {"Authorization": "Basic " + base64.b64encode(ADMIN).decode(),
                         "Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        raise BenchError(f"POST /oauth/token: {status} {body[:300]!r}")
    token = json.loads(body)["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    status, body = http("POST", f"{api}/api/v2/recordings/exports", json.dumps(EXPORT).encode(),
                        {**auth, "Content-Type": "application/json"})
    if status != 202:
        raise BenchError(f"POST /api/v2/recordings/exports: {status} {body[:300]!r}")
    job = json.loads(body)
    deadline = time.monotonic() + 60  # run at --export-rate 0, so a small export takes well under a second
    while job.get("state") in ("PENDING", "PROCESSING") and time.monotonic() < deadline:
        time.sleep(0.05)
        status, body = http("GET", f"{api}/api/v2/recordings/exports/{job['id']}", headers=auth)
        if status != 200:
            raise BenchError(f"GET /api/v2/recordings/exports/{job['id']}: {status} {body[:300]!r}")
        job = json.loads(body)
    if job.get("state") in ("PENDING", "PROCESSING"):
        log(f"note: export {job['id']} still {job['state']} after 60 s; measuring anyway")
    return token, job["id"]


# --------------------------------------------------------------------------------------------- wrk


def wrk(wrk_bin: str, lua: str, url: str, headers: dict[str, str], *, connections: int, seconds: int,
        threads: int, timeout_s: int) -> dict:
    """One wrk run; figures from the Lua done() line. Raises BenchError when wrk gives none."""
    threads = max(1, min(threads, connections))
    cmd = [wrk_bin, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout", f"{timeout_s}s", "-s", lua]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(url)
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=seconds + timeout_s + 30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk against {url} still running {seconds + timeout_s + 30:.0f} s after it started") from None
    matches = WRK_LINE.findall(done.stdout)
    if done.returncode != 0 or not matches:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-10:])
        raise BenchError(f"wrk against {url} exited {done.returncode} with no figures:\n{tail}")
    f = {k: float(v) for k, v in (kv.split("=") for kv in matches[-1].split())}
    secs = f["duration_us"] / 1e6 or seconds
    ok = max(0.0, f["requests"] - f["status"])
    return {
        "url": url, "connections": connections, "threads": threads, "seconds": round(secs, 3),
        "timeout_s": timeout_s,
        "requests": int(f["requests"]), "ok_requests": int(ok),
        "rps": ok / secs,  # 2xx (and 3xx) responses per second
        "rps_all": f["requests"] / secs,
        "p50_ms": f["p50_us"] / 1000, "p99_ms": f["p99_us"] / 1000, "max_ms": f["max_us"] / 1000,
        "non_2xx": int(f["status"]),
        "errors": {k: int(f[k]) for k in ("connect", "read", "write", "timeout")},
        "error_count": int(f["connect"] + f["read"] + f["write"] + f["timeout"]),
        "mb_per_s": f["bytes"] / secs / 1e6,
    }


# --------------------------------------------------------------------------------------------- report

CASES = [  # key, label
    ("a", "reference Hummingbird GET /hello"),
    ("b", "mock GET /recordings/exports/{id}"),
    ("c", "mock GET /recordings/exports (list)"),
    ("d", "mock S3 GetObject 4 KiB"),
    ("e", "moto S3 GetObject 4 KiB"),
    ("f", "mock S3 ListObjectsV2 1,000 keys"),
    ("g", "moto S3 ListObjectsV2 1,000 keys"),
]
GOALS = [  # name, numerator, denominator, minimum ratio, p99 limit on the numerator (ms) or None
    ("(b)/(a) export GET vs bare Hummingbird", "b", "a", 0.60, 10.0),
    ("(c)/(a) export list vs bare Hummingbird", "c", "a", 0.60, 10.0),
    ("(d)/(e) GetObject vs moto", "d", "e", 50.0, None),
    ("(f)/(g) ListObjectsV2 vs moto", "f", "g", 100.0, None),
]


def judge(results: dict) -> list[dict]:
    out = []
    for name, num, den, minimum, p99_limit in GOALS:
        goal = f">= {minimum:g}x" + (f", p99 < {p99_limit:g} ms" if p99_limit else "")
        row = {"name": name, "numerator": num, "denominator": den, "goal": goal, "min_ratio": minimum,
               "p99_limit_ms": p99_limit, "ratio": None, "verdict": "MISS", "why": []}
        a, b = results.get(num), results.get(den)
        if not a or not b or "rps" not in a or "rps" not in b:
            row["why"].append("not measured")
        else:
            if b["rps"] > 0:
                row["ratio"] = a["rps"] / b["rps"]
            else:
                row["why"].append(f"({den}) had no successful requests")
            if row["ratio"] is not None and row["ratio"] < minimum:
                row["why"].append("ratio")
            if p99_limit is not None and a["p99_ms"] >= p99_limit:
                row["why"].append("p99")
            for k, r in ((num, a), (den, b)):
                if r.get("stalled"):
                    row["why"].append(f"({k}) stalled")
                elif r["error_count"] or r["non_2xx"]:
                    row["why"].append(f"({k}) errors")
            if not row["why"]:
                row["verdict"] = "PASS"
        out.append(row)
    return out


def print_report(results: dict, verdicts: list[dict], args, meta: dict) -> None:
    print(f"wrk -t{args.threads} -d{args.duration}s --timeout {args.timeout}s, {args.connections} connections "
          f"((g): {args.moto_list_connections}, timeout {args.moto_list_timeout}s); "
          f"Hummingbird {meta.get('hummingbird_main') or '?'} (reference {meta.get('hummingbird_reference') or '?'}), "
          f"moto {meta.get('moto') or '?'}")
    print(f"{'case':<40} {'conns':>5} {'req/s':>10} {'p99 ms':>9} {'errors':>7} {'non-2xx':>8}")
    for key, label in CASES:
        r = results.get(key)
        name = f"({key}) {label}"
        if not r:
            print(f"{name:<40} {'':>5} {'-':>10} {'-':>9}   not run")
        elif "failed" in r:
            print(f"{name:<40} {r['connections']:>5} {'-':>10} {'-':>9}   FAILED: {r['failed'].splitlines()[0]}")
        else:
            errs = r["error_count"]
            detail = ", ".join([f"{k} {v}" for k, v in r["errors"].items() if v] +
                               (["STALLED"] if r.get("stalled") else []))
            print(f"{name:<40} {r['connections']:>5} {r['rps']:>10.1f} {r['p99_ms']:>9.2f} {errs:>7} {r['non_2xx']:>8}"
                  + (f"   ({detail})" if detail else ""))
    print()
    print(f"{'ratio':<40} {'value':>10}  {'goal':<24} verdict")
    for v in verdicts:
        ratio = v["ratio"]
        value = "-" if ratio is None else f"{ratio:.3f}x" if ratio < 10 else f"{ratio:.1f}x"
        why = f" ({', '.join(v['why'])})" if v["why"] else ""
        print(f"{v['name']:<40} {value:>10}  {v['goal']:<24} {v['verdict']}{why}")


# --------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 2)[2])
    ap.add_argument("--bin", type=Path, default=REPO / ".build/release/genesys-mock", help="the genesys-mock binary")
    ap.add_argument("--reference-bin", type=Path, help="a built hello-reference (skips the release build)")
    ap.add_argument("--fixtures", type=Path, default=REPO / "fixtures")
    ap.add_argument("--duration", type=int, default=8, help="seconds per case (default 8)")
    ap.add_argument("--warmup", type=int, default=1, help="seconds of unmeasured load before each case (0: none)")
    ap.add_argument("--connections", type=int, default=64, help="wrk connections for (a)-(f) (default 64)")
    ap.add_argument("--moto-list-connections", type=int, default=4, help="wrk connections for (g) (default 4)")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    ap.add_argument("--timeout", type=int, default=2, help="wrk request timeout in seconds (default 2)")
    ap.add_argument("--moto-list-timeout", type=int, default=10, help="wrk request timeout for (g) (default 10)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)
    if not args.bin.is_file():
        ap.error(f"no genesys-mock binary at {args.bin}")
    if args.reference_bin and not args.reference_bin.is_file():
        ap.error(f"no hello-reference binary at {args.reference_bin}")
    if min(args.duration, args.connections, args.moto_list_connections, args.threads, args.timeout,
           args.moto_list_timeout) < 1 or args.warmup < 0:
        ap.error("--duration, --connections, --moto-list-connections, --threads and the timeouts must be positive")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        ensure_venv()
        if not in_venv():
            env = dict(os.environ, BENCH_LOAD_REEXEC="1")
            if os.environ.get("BENCH_LOAD_REEXEC"):
                raise BenchError(f"re-run in {VENV_PYTHON} did not land in {VENV}")
            sys.stdout.flush()
            os.execve(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *argv], env)
        return bench(args)
    except BenchError as e:
        log(str(e))
        return 1


def bench(args: argparse.Namespace) -> int:
    # A SIGTERM unwinds like an exception, so the finally below still stops every server this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wrk_bin = ensure_wrk()
    reference_bin = args.reference_bin or build_reference()
    if not reference_bin.is_file():
        raise BenchError(f"no hello-reference at {reference_bin}")
    from importlib.metadata import version
    meta = {"bin": str(args.bin), "reference_bin": str(reference_bin),
            "hummingbird_main": resolved_version(REPO),
            "hummingbird_reference": resolved_version(REFERENCE_PKG)
            if reference_bin.resolve().is_relative_to(REFERENCE_PKG.resolve()) else None,
            "moto": version("moto"), "boto3": version("boto3"), "wrk": wrk_bin, "cpus": os.cpu_count()}

    servers: list[Server] = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    results: dict[str, dict] = {}
    failed = False
    gone: set[str] = set()
    try:
        (tmp / "report.lua").write_text(WRK_LUA)
        lua = str(tmp / "report.lua")

        ref = Server("hello-reference", [str(reference_bin), "--port", "0"])
        servers.append(ref)
        ref_url = ref.wait_for(r"^listening on (http://127\.0\.0\.1:\d+)\s*$", 30).group(1)

        moto_port = free_port()
        moto = Server("moto_server", [str(VENV_PYTHON), "-c", MOTO_LAUNCHER, "-H", HOST, "-p", str(moto_port)],
                      env=dict(os.environ, AWS_ACCESS_KEY_ID=S3_KEY, AWS_SECRET_ACCESS_KEY=S3_SECRET,
                               AWS_DEFAULT_REGION="us-east-1"))
        servers.append(moto)
        moto_url = f"http://{HOST}:{moto_port}"
        wait_http(f"{moto_url}/moto-api/", moto, 60)

        mock = Server("genesys-mock", [str(args.bin), "serve", "--host", HOST, "--port", "0", "--s3-port", "0",
                                       "--data", str(tmp / "data"), "--fixtures", str(args.fixtures),
                                       "--rate-limit", "0", "--export-rate", "0", "--log-level", "error"])
        servers.append(mock)
        api = mock.wait_for(r"^\s*Genesys API\s+(http://[^\s/]+)", 30).group(1)
        s3 = mock.wait_for(r"^\s*S3 endpoint\s+(http://[^\s/]+)", 30).group(1)
        for url in (api, s3):
            if not url.startswith(f"http://{HOST}:"):
                raise BenchError(f"genesys-mock is not on {HOST}: {url}")
        wait_http(f"{api}/__admin/health", mock, 30)

        log("setting up: token, one export, 4 KiB object and 1,000 keys in genesys-mock and moto")
        token, export_id = mock_setup(api)
        body = os.urandom(4096)
        fill_bucket(s3_client(s3, "eu-west-2"), MOCK_BUCKET, body)
        moto_s3 = s3_client(moto_url, "us-east-1")
        moto_s3.create_bucket(Bucket=MOTO_BUCKET)
        fill_bucket(moto_s3, MOTO_BUCKET, body)

        bearer = {"Authorization": f"Bearer {token}"}
        query = "?list-type=2&prefix=" + LIST_PREFIX.replace("/", "%2F")
        urls = {
            "a": (f"{ref_url}/hello", {}),
            "b": (f"{api}/api/v2/recordings/exports/{export_id}", bearer),
            "c": (f"{api}/api/v2/recordings/exports", bearer),
            "d": (f"{s3}/{MOCK_BUCKET}/{OBJECT_KEY}", "eu-west-2"),
            "e": (f"{moto_url}/{MOTO_BUCKET}/{OBJECT_KEY}", "us-east-1"),
            "f": (f"{s3}/{MOCK_BUCKET}{query}", "eu-west-2"),
            "g": (f"{moto_url}/{MOTO_BUCKET}{query}", "us-east-1"),
        }
        for key, label in CASES:
            url, how = urls[key]
            headers = signed_headers(url, how) if isinstance(how, str) else how
            conns, timeout_s = ((args.moto_list_connections, args.moto_list_timeout) if key == "g"
                                else (args.connections, args.timeout))
            log(f"({key}) {label}: {conns} connections, {args.duration} s")
            try:
                check(url, headers, "before the run")
                if args.warmup > 0:
                    wrk(wrk_bin, lua, url, headers, connections=conns, seconds=args.warmup, threads=args.threads,
                        timeout_s=timeout_s)
                r = {"label": label, **wrk(wrk_bin, lua, url, headers, connections=conns,
                                           seconds=args.duration, threads=args.threads, timeout_s=timeout_s)}
                # wrk counts a timeout only when a late response does arrive: a request never answered (a hung
                # server) is invisible to it. So: no response at all, or none to one request right after, is a stall.
                if r["requests"] == 0:
                    r["stalled"] = "no response during the run"
                else:
                    try:
                        check(url, headers, "after the run", timeout=timeout_s + 5)
                    except BenchError as e:
                        r["stalled"] = str(e)
                if r.get("stalled"):
                    log(f"({key}) stalled: {r['stalled']}")
                results[key] = r
            except BenchError as e:
                failed = True
                log(f"({key}) {e}")
                results[key] = {"label": label, "url": url, "connections": conns, "failed": str(e)}
            for server in servers:
                if server.proc.poll() is not None and server.name not in gone:
                    gone.add(server.name)
                    failed = True
                    log(server.why(f"exited with status {server.proc.returncode} during ({key})"))
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    verdicts = judge(results)
    print_report(results, verdicts, args, meta)
    if args.json:
        settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
        args.json.write_text(json.dumps({"meta": meta, "settings": settings, "cases": results,
                                         "ratios": verdicts}, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
