"""Start, talk to and stop a real genesys-mock binary for the end-to-end tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO_ROOT / ".build" / "debug" / "genesys-mock"
FIXTURES_DIR = REPO_ROOT / "fixtures"

API_LINE = re.compile(r"^\s*Genesys API\s+(http://\S+)\s*$")
S3_LINE = re.compile(r"^\s*S3 endpoint\s+(http://\S+)")

READY_LINE_TIMEOUT = 20.0
S3_LINE_TIMEOUT = 2.0  # the S3 line follows the API line in the same banner
HEALTH_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
HTTP_TIMEOUT = 10.0

ORG_ID = "c0269c73-d0b8-4863-831c-beffe2a01d8f"
OTHER_ORG_ID = "e37e52e7-d604-42ee-8402-3a86a6767534"
ADMIN = ("mock-admin", "mock-admin-secret")
VIEWER = ("mock-viewer", "mock-viewer-secret")
OTHER_ORG = ("mock-other-org", "mock-other-org-secret")


class ServerError(AssertionError):
    """The server did not start, answer or stop as it should."""


def mock_binary() -> Path:
    return Path(os.environ.get("GENESYS_MOCK_BIN") or DEFAULT_BIN)


class MockServer:
    """One genesys-mock process bound to 127.0.0.1 on free ports."""

    def __init__(self, data_dir: Path, *, export_rate: float = 0, rate_limit: int = 0,
                 binary: Path | None = None, fixtures: Path = FIXTURES_DIR,
                 log_prefix: Path | None = None, extra_args: tuple[str, ...] = (),
                 wrapper: tuple[str, ...] = (), env: dict[str, str | None] | None = None):
        self.binary = Path(binary or mock_binary())
        self.data_dir = Path(data_dir)
        self.fixtures = Path(fixtures)
        self.export_rate = export_rate
        self.rate_limit = rate_limit
        self.extra_args = tuple(extra_args)
        # A command that execs the server, e.g. ("taskset", "-c", "0"): the pid stays the server's.
        self.wrapper = tuple(wrapper)
        # Variables merged over this process's environment for the server only (e.g. a remote bucket's keys);
        # a None value removes the variable.
        self.env = dict(env or {})
        prefix = log_prefix or self.data_dir.parent / f"{self.data_dir.name}-server"
        self.stdout_log = Path(f"{prefix}.stdout.log")
        self.stderr_log = Path(f"{prefix}.stderr.log")
        self.proc: subprocess.Popen | None = None
        self.api_url: str | None = None
        self.s3_url: str | None = None
        self.http = requests.Session()
        self._lines: list[str] = []
        self._cond = threading.Condition()
        self._stdout_done = False
        self._threads: list[threading.Thread] = []

    # -- lifecycle -----------------------------------------------------------------------------

    def command(self) -> list[str]:
        return [*self.wrapper, str(self.binary), "serve", "--host", "127.0.0.1", "--port", "0", "--s3-port", "0",
                "--data", str(self.data_dir), "--fixtures", str(self.fixtures),
                "--export-rate", _number(self.export_rate), "--rate-limit", str(int(self.rate_limit)),
                *self.extra_args]

    def environment(self) -> dict[str, str] | None:
        if not self.env:
            return None  # inherit ours unchanged
        merged = {**os.environ, **self.env}
        return {k: v for k, v in merged.items() if v is not None}

    def start(self) -> "MockServer":
        if not self.binary.is_file():
            raise ServerError(f"genesys-mock binary not found at {self.binary}: build it "
                              "(swift build) or set GENESYS_MOCK_BIN")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=self.environment())
        print(f"genesys-mock pid {self.proc.pid}: logs {self.stdout_log} {self.stderr_log}")
        self._threads = [
            threading.Thread(target=self._drain_stdout, daemon=True),
            threading.Thread(target=self._drain_stderr, daemon=True),
        ]
        for t in self._threads:
            t.start()
        try:
            self._wait_for_api_line()
            self._wait_for_health()
        except BaseException:
            self.kill()
            raise
        return self

    def stop(self, *, expect_clean_exit: bool = False, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM, wait up to `timeout`, else SIGKILL. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                if expect_clean_exit:
                    raise ServerError(f"server did not exit within {timeout:.0f} s of SIGTERM; "
                                      f"killed it.\n{self.output_tail()}")
        self._join_threads()
        code = self.proc.returncode
        if expect_clean_exit and code != 0:
            raise ServerError(f"graceful stop should exit 0, got {code}.\n{self.output_tail()}")
        return code

    def kill(self) -> int | None:
        """SIGKILL and reap: a crash, as far as the server can tell."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)
        self._join_threads()
        return self.proc.returncode

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def s3(self) -> str:
        """The S3 endpoint the banner printed (`S3 endpoint   http://127.0.0.1:PORT`), no trailing '/'."""
        deadline = time.monotonic() + S3_LINE_TIMEOUT
        with self._cond:
            while True:
                for line in self._lines:
                    if m := S3_LINE.match(line):
                        self.s3_url = m.group(1).rstrip("/")
                        return self.s3_url
                left = deadline - time.monotonic()
                if self._stdout_done or left <= 0:
                    break
                self._cond.wait(timeout=min(left, 0.2))
        banner = next((ln for ln in self._lines if "S3 endpoint" in ln), "(no 'S3 endpoint' line at all)")
        raise ServerError(f"the banner has no 'S3 endpoint   http://...' line, so there is no S3 endpoint "
                          f"to test; it printed: {banner.strip()!r}\n{self.output_tail()}")

    # -- output --------------------------------------------------------------------------------

    def _drain_stdout(self) -> None:
        assert self.proc and self.proc.stdout
        pending = b""
        for raw in self.proc.stdout:
            pending = self._append(self.stdout_log, pending + raw)  # see _drain_stderr
            with self._cond:
                self._lines.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
                self._cond.notify_all()
        if pending:
            self._append(self.stdout_log, pending)
        with self._cond:
            self._stdout_done = True
            self._cond.notify_all()

    def _drain_stderr(self) -> None:
        """Appends the server's stderr to its log file. A log on a disk that fills up (the disk-full test puts it
        there) keeps what it could not write and writes it with the next line that finds room: no line is lost and
        the thread never dies of ENOSPC."""
        assert self.proc and self.proc.stderr
        pending = b""
        for raw in self.proc.stderr:
            pending = self._append(self.stderr_log, pending + raw)
        if pending:
            self._append(self.stderr_log, pending)

    @staticmethod
    def _append(path: Path, data: bytes) -> bytes:
        """Writes as much of `data` as the disk takes; returns the rest."""
        try:
            with open(path, "ab", buffering=0) as log:
                while data:
                    n = log.write(data)
                    if not n:
                        break
                    data = data[n:]
        except OSError:
            pass
        return data

    def _join_threads(self) -> None:
        for t in self._threads:
            t.join(timeout=5)

    def stdout_text(self) -> str:
        with self._cond:
            return "\n".join(self._lines)

    def output_tail(self, limit: int = 4000) -> str:
        err = self.stderr_log.read_text("utf-8", "replace") if self.stderr_log.exists() else ""
        return (f"--- stdout ---\n{self.stdout_text()[-limit:]}\n"
                f"--- stderr ({self.stderr_log}) ---\n{err[-limit:]}")

    def _wait_for_api_line(self) -> None:
        deadline = time.monotonic() + READY_LINE_TIMEOUT
        seen = 0
        with self._cond:
            while True:
                for line in self._lines[seen:]:
                    if m := S3_LINE.match(line):
                        self.s3_url = m.group(1)
                    if m := API_LINE.match(line):
                        self.api_url = m.group(1).rstrip("/")
                seen = len(self._lines)
                if self.api_url:
                    return
                left = deadline - time.monotonic()
                if self._stdout_done or left <= 0:
                    break
                self._cond.wait(timeout=min(left, 0.5))
        time.sleep(0.2)  # let stderr drain into its log before we quote it
        why = (f"exited with status {self.proc.poll()}" if self.proc.poll() is not None
               else f"printed no 'Genesys API http://...' line within {READY_LINE_TIMEOUT:.0f} s "
               "(is its stdout flushed after the banner?)")
        raise ServerError(f"genesys-mock {why}.\ncommand: {' '.join(self.command())}\n"
                          f"{self.output_tail()}")

    def _wait_for_health(self) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"server exited ({self.proc.returncode}) before it was healthy.\n"
                                  f"{self.output_tail()}")
            try:
                r = self.http.get(f"{self.api_url}/__admin/health", timeout=1.0)
                last = f"{r.status_code} {r.text[:200]}"
                if r.status_code == 200 and r.json().get("status") == "ready":
                    return
            except (requests.RequestException, ValueError) as e:
                last = repr(e)
            time.sleep(0.02)
        raise ServerError(f"/__admin/health not 200 ready within {HEALTH_TIMEOUT:.0f} s "
                          f"(last: {last}).\n{self.output_tail()}")

    # -- HTTP ----------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, token: str | None = None,
                headers: dict | None = None, **kwargs) -> requests.Response:
        hdrs = dict(headers or {})
        if token is not None:
            hdrs.setdefault("Authorization", f"Bearer {token}")
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return self.http.request(method, f"{self.api_url}{path}", headers=hdrs, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def token(self, client_id: str = ADMIN[0], secret: str = ADMIN[1]) -> str:
        r = self.http.post(f"{self.api_url}/oauth/token", auth=(client_id, secret),
                           data={"grant_type": "client_credentials"}, timeout=HTTP_TIMEOUT)
        assert r.status_code == 200, f"token for {client_id}: {r.status_code} {r.text[:500]}"
        body = r.json()
        assert body.get("access_token"), f"token for {client_id}: no access_token in {body}"
        return body["access_token"]

    # -- the sink on disk ----------------------------------------------------------------------

    @property
    def sink_root(self) -> Path:
        return self.data_dir / "s3"

    def bucket_dir(self, bucket: str) -> Path:
        return self.sink_root / bucket


class ServerPool:
    """Starts servers on demand; stops every one of them at teardown, even after a failure."""

    def __init__(self, tmp_path_factory):
        self._tmp = tmp_path_factory
        self._servers: list[MockServer] = []

    def new_data_dir(self) -> Path:
        return self._tmp.mktemp("data")

    def start(self, data_dir: Path | None = None, *, export_rate: float = 0, rate_limit: int = 0,
              extra_args: tuple[str, ...] = (), wrapper: tuple[str, ...] = (), fixtures: Path = FIXTURES_DIR,
              env: dict[str, str | None] | None = None) -> MockServer:
        data_dir = data_dir or self.new_data_dir()
        run = sum(1 for s in self._servers if s.data_dir == data_dir) + 1
        server = MockServer(data_dir, export_rate=export_rate, rate_limit=rate_limit, extra_args=extra_args, fixtures=fixtures,
                            wrapper=wrapper, env=env, log_prefix=data_dir.parent / f"{data_dir.name}-server{run}")
        self._servers.append(server)
        return server.start()

    def stop_all(self) -> None:
        stop_every(self._servers)


def stop_every(processes) -> None:
    """Stops each of `processes` (servers or stores), newest first; one that will not stop is killed, so a teardown
    never leaves a process behind."""
    for process in reversed(processes):
        try:
            process.stop()
        except Exception:
            process.kill()


def _number(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)
