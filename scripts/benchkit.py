"""What the benchmarks share: the server under test on free ports of 127.0.0.1, HTTP calls that must answer as
expected, percentiles and the server's memory. Imported by bench_discovery.py and bench_tenants.py (run them with
the e2e virtualenv's python, which has requests)."""
from __future__ import annotations

import math
import re
import subprocess
import threading
import time
from contextlib import suppress
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # seconds, for any one HTTP request


class Bench(Exception):
    """Something could not be run: reported, exit status 1."""


def pct(samples: list[float], p: float) -> float:
    """Nearest-rank percentile, in ms."""
    return sorted(samples)[max(0, math.ceil(len(samples) * p) - 1)] * 1000


def vm(pid: int, key: str = "VmRSS") -> float:
    """A memory figure of a process (VmRSS, VmHWM: /proc/<pid>/status), in MB; 0 once it is gone."""
    with suppress(OSError, StopIteration), open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith(key + ":"))
    return 0.0


def with_rss_peak(pid: int, fn):
    """fn() while a thread samples the process's VmRSS every 100 ms: (what fn returned, the peak in MB)."""
    peak, done = [vm(pid)], threading.Event()
    sampler = threading.Thread(target=lambda: [peak.append(vm(pid)) for _ in iter(lambda: done.wait(0.1), True)])
    sampler.start()
    try:
        return fn(), max(peak + [vm(pid)])
    finally:
        done.set()
        sampler.join(timeout=5)


class Mock:
    """`genesys-mock serve` on free ports of 127.0.0.1 (`--port 0`), its output in a log file; stopped by its pid."""

    def __init__(self, binary: str, data: Path, logfile: Path):
        self.logfile, self.api, self.s3 = logfile, None, None
        with open(logfile, "w") as out:
            self.proc = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", "0", "--s3-port", "0",
                                          "--data", str(data), "--fixtures", str(REPO / "fixtures"), "--export-rate", "0",
                                          "--rate-limit", "0", "--log-level", "error"],
                                         stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)

    def ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            text = self.logfile.read_text(errors="replace")
            self.api = (m := re.search(r"^\s*Genesys API\s+(http://127\.0\.0\.1:\d+)", text, re.M)) and m.group(1)
            self.s3 = (m := re.search(r"^\s*S3 endpoint\s+(http://127\.0\.0\.1:\d+)", text, re.M)) and m.group(1)
            try:
                if self.api and self.s3 and requests.get(f"{self.api}/__admin/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise Bench(f"the server was not ready on 127.0.0.1 within {timeout:.0f} s:\n{self.logfile.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def call(session: requests.Session, method: str, url: str, expect: int = 200, **kw) -> requests.Response:
    kw.setdefault("timeout", TIMEOUT)
    r = session.request(method, url, **kw)
    if r.status_code != expect:
        raise Bench(f"{method} {url}: {r.status_code} {r.text[:500]}")
    return r
