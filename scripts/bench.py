#!/usr/bin/env python3
"""Benchmark a genesys-mock binary: start-to-ready, export throughput, idle RSS. Stdlib only.

    scripts/bench.py [--bin PATH] [--ready-runs 10] [--export-runs 3]
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
API_LINE = re.compile(r"^\s*Genesys API\s+(http://\S+)\s*$")
READY_IN = re.compile(r"ready in (\d+(?:\.\d+)?) ?ms")
EXPORT = {
    "storage": {"destinationType": "s3", "bucketName": "recordings-us", "region": "us-east-1"},
    "filter": {"mediaTypes": ["whatsapp", "sms", "webmessaging"],
               "interval": "2023-01-01T00:00:00Z/2023-07-01T00:00:00Z"},
}


class StartFailed(Exception):
    pass


class Server:
    def __init__(self, binary: Path, fixtures: Path, data: Path, export_rate: int = 0):
        self.cmd = [str(binary), "serve", "--host", "127.0.0.1", "--port", "0", "--s3-port", "0",
                    "--data", str(data), "--fixtures", str(fixtures),
                    "--export-rate", str(export_rate), "--rate-limit", "0"]
        self.data = data
        self.lines: list[str] = []
        self.err: list[str] = []
        self.api: str | None = None
        self.ready_ms: float | None = None
        self.seen_api = threading.Event()

    def spawn(self) -> float:
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        return t0

    def _read_stdout(self) -> None:
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            self.lines.append(line)
            if (m := READY_IN.search(line)) and self.ready_ms is None:
                self.ready_ms = float(m.group(1))
            if (m := API_LINE.match(line)) and not self.api:
                self.api = m.group(1).rstrip("/")
                self.seen_api.set()
        self.seen_api.set()

    def _read_stderr(self) -> None:
        for raw in self.proc.stderr:
            self.err.append(raw.decode("utf-8", "replace").rstrip())

    def wait_ready(self, timeout: float = 20.0, poll: float = 0.002) -> None:
        deadline = time.perf_counter() + timeout
        if not self.seen_api.wait(timeout) or not self.api:
            code = self.proc.poll()
            raise StartFailed(self._why(f"exited with status {code}" if code is not None
                                        else "printed no 'Genesys API' line"))
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise StartFailed(self._why(f"exited with status {self.proc.returncode}"))
            try:
                with urllib.request.urlopen(f"{self.api}/__admin/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(poll)
        raise StartFailed(self._why(f"/__admin/health not 200 within {timeout:.0f} s"))

    def _why(self, what: str) -> str:
        out = "\n".join(self.lines[-20:])
        err = "\n".join(self.err[-20:])
        return f"genesys-mock {what}\ncommand: {' '.join(self.cmd)}\nstdout:\n{out}\nstderr:\n{err}"

    def rss_kib(self) -> int | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    def build(self, method: str, path: str, body=None, token: str | None = None, form: bool = False):
        headers = {}
        data = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            data = body.encode()
        elif body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        return urllib.request.Request(f"{self.api}{path}", data=data, method=method, headers=headers)

    def send(self, req: urllib.request.Request, expect: int) -> dict:
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status, payload = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, payload = e.code, e.read()
        if status != expect:
            raise RuntimeError(f"{req.get_method()} {req.full_url}: {status} {payload[:500]!r}")
        return json.loads(payload)

    def token(self) -> str:
        req = self.build("POST", "/oauth/token", "grant_type=client_credentials", form=True)
        req.add_header("Authorization", "Basic " + base64.b64encode(b"mock-admin:mock-admin-secret").decode())
        return self.send(req, 200)["access_token"]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def run_ready(binary: Path, fixtures: Path) -> tuple[float, float | None]:
    with tempfile.TemporaryDirectory(prefix="genesys-bench-") as tmp:
        server = Server(binary, fixtures, Path(tmp) / "data")
        t0 = server.spawn()
        try:
            server.wait_ready()
            return (time.perf_counter() - t0) * 1000, server.ready_ms
        finally:
            server.stop()


def run_export(binary: Path, fixtures: Path, timeout: float = 300.0) -> dict:
    with tempfile.TemporaryDirectory(prefix="genesys-bench-") as tmp:
        server = Server(binary, fixtures, Path(tmp) / "data", export_rate=0)
        server.spawn()
        try:
            server.wait_ready()
            time.sleep(2)
            rss_ready = server.rss_kib()
            token = server.token()
            t0 = time.perf_counter()
            job = server.send(server.build("POST", "/api/v2/recordings/exports", EXPORT, token), 202)
            deadline = t0 + timeout
            while job["state"] not in ("FULFILLED", "FAILED", "CANCELLED"):
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"export not finished after {timeout:.0f} s: {job['state']}")
                time.sleep(0.005)
                job = server.send(server.build("GET", f"/api/v2/recordings/exports/{job['id']}",
                                              token=token), 200)
            seconds = time.perf_counter() - t0
            if job["state"] != "FULFILLED":
                raise RuntimeError(f"export ended {job['state']}: {job.get('errorMessage')}")
            manifest = json.loads((server.data / "s3" / "recordings-us" / job["manifestKey"]).read_bytes())
            time.sleep(2)
            return {"seconds": seconds, "recordings": job["totalRecordings"],
                    "objects": len(manifest["objects"]), "rss_ready_kib": rss_ready,
                    "rss_after_export_kib": server.rss_kib()}
        finally:
            server.stop()


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main() -> int:
    release = REPO / ".build" / "release" / "genesys-mock"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", type=Path,
                        default=release if release.exists() else REPO / ".build" / "debug" / "genesys-mock")
    parser.add_argument("--fixtures", type=Path, default=REPO / "fixtures")
    parser.add_argument("--ready-runs", type=int, default=10)
    parser.add_argument("--export-runs", type=int, default=3)
    args = parser.parse_args()
    if not args.bin.is_file():
        print(f"bench: no binary at {args.bin}", file=sys.stderr)
        return 2
    try:
        ready = [run_ready(args.bin, args.fixtures) for _ in range(args.ready_runs)]
        exports = [run_export(args.bin, args.fixtures) for _ in range(args.export_runs)]
    except StartFailed as e:
        print(f"bench: server failed to start:\n{e}", file=sys.stderr)
        return 1
    except (RuntimeError, OSError, ValueError, KeyError) as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1

    wall = [w for w, _ in ready]
    secs = median([e["seconds"] for e in exports])
    summary = {
        "bin": str(args.bin),
        "ready_ms_median": round(statistics.median(wall), 1),
        "ready_ms_max": round(max(wall), 1),
        "ready_ms_reported_median": median([r for _, r in ready]),
        "export_seconds_median": round(secs, 3),
        "export_recordings": exports[0]["recordings"],
        "export_objects": exports[0]["objects"],
        "recordings_per_s": round(exports[0]["recordings"] / secs, 1) if secs else None,
        "objects_per_s": round(exports[0]["objects"] / secs, 1) if secs else None,
        "rss_idle_kib": median([e["rss_ready_kib"] for e in exports]),
        "rss_after_export_kib": median([e["rss_after_export_kib"] for e in exports]),
    }
    rows = [
        ("start to ready (median / max)", f"{summary['ready_ms_median']} / {summary['ready_ms_max']} ms"
                                          f"  (server says {summary['ready_ms_reported_median']} ms)"),
        ("export (median of %d)" % len(exports), f"{summary['export_seconds_median']} s for "
                                                 f"{summary['export_recordings']} recordings, "
                                                 f"{summary['export_objects']} objects"),
        ("throughput", f"{summary['recordings_per_s']} recordings/s, {summary['objects_per_s']} objects/s"),
        ("RSS idle / after export", f"{summary['rss_idle_kib']} / {summary['rss_after_export_kib']} KiB"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
