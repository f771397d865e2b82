"""A full disk loses nothing and says so: 507 on writes, a waiting export that says why, one log line per
change of condition, `/__admin/health` reporting it, and everything carrying on once space is back.

The data folder lives on a small tmpfs mounted for the test (root only; skipped elsewhere, with the reason).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from exports import ACTIVE_CASE, assert_state, create_export, export_body, get_job, hold, poll_job, post_export
from mockserver import MockServer
from sink_checks import assert_counts_match_job, assert_objects_match_disk, files_under, read_manifest

TMPFS_SIZE = "8m"
BUCKET = "legal-discovery-eu"
REGION = "eu-west-2"
FULL_MESSAGE = "data folder is full"
WAIT_TIMEOUT = 20.0
FILL_CHUNK = 64 * 1024


@pytest.fixture
def small_disk(tmp_path: Path):
    """A tmpfs of TMPFS_SIZE mounted under the test's folder, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(mount_point)],
                       capture_output=True, text=True, timeout=10)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, timeout=10)


def fill(path: Path) -> int:
    """Writes a ballast file until the disk refuses (ENOSPC); returns its size."""
    written = 0
    chunk = b"\0" * FILL_CHUNK
    with open(path, "wb", buffering=0) as f:
        while True:
            try:
                written += f.write(chunk)
            except OSError:
                break
    # Smaller writes take the last partial pages too.
    with open(path, "ab", buffering=0) as f:
        for _ in range(4096):
            try:
                f.write(b"\0" * 512)
                written += 512
            except OSError:
                break
    return written


def health(server: MockServer) -> dict:
    r = server.get("/__admin/health")
    assert r.status_code == 200, f"/__admin/health: {r.status_code} {r.text[:300]}"
    return r.json()


def stderr_lines(server: MockServer, text: str) -> list[str]:
    content = server.stderr_log.read_text("utf-8", "replace") if server.stderr_log.exists() else ""
    return [line for line in content.splitlines() if text in line]


def test_a_full_disk_answers_507_makes_exports_wait_and_loses_nothing(servers, small_disk: Path):
    data = small_disk / "data"
    server = servers.start(data, export_rate=4, extra_args=("--log-level", "info"))
    token = server.token()
    job = create_export(server, token, export_body(BUCKET, REGION, prefix="full-disk/", legal_hold=hold(ACTIVE_CASE)))
    poll_job(server, token, job["id"], lambda j: j["state"] == "PROCESSING" and j["totalProcessedRecordings"] >= 1,
             timeout=WAIT_TIMEOUT, waiting_for="the export to start writing")

    ballast = small_disk / "ballast.bin"
    fill(ballast)

    # The running export stops at an object boundary and says why it waits.
    waiting = poll_job(server, token, job["id"], lambda j: j.get("errorMessage") is not None, timeout=WAIT_TIMEOUT,
                       waiting_for="the export to report that it waits for disk space")
    assert waiting["state"] == "PROCESSING", f"a full disk must not fail the export: {waiting}"
    assert "disk space" in waiting["errorMessage"], waiting
    stalled_at = waiting["totalProcessedRecordings"]

    h = health(server)
    assert h["status"] == "degraded" and h["dataFolder"]["full"] is True and h["dataFolder"]["since"], h

    # Writes through the API answer a clear 507 ErrorBody (the database may take a few more rows from pages
    # it already owns before it, too, is full).
    answer = None
    for _ in range(400):
        r = post_export(server, token, export_body(BUCKET, REGION, prefix="refused/"))
        if r.status_code == 507:
            answer = r
            break
        assert r.status_code == 202, f"while the disk is full, POST answers 202 or 507, got {r.status_code} {r.text[:300]}"
    assert answer is not None, "no 507 after 400 POSTs on a full disk"
    body = answer.json()
    assert body["code"] == "insufficient.storage" and body["status"] == 507, body
    assert FULL_MESSAGE in body["message"], body
    assert body["contextId"] == answer.headers["ININ-Correlation-Id"], body

    time.sleep(2.5)  # the worker keeps trying meanwhile: the log must not flood
    assert get_job(server, token, job["id"])["totalProcessedRecordings"] == stalled_at
    assert len(stderr_lines(server, "the data folder is full")) == 1, \
        f"one log line when the disk fills, found:\n" + "\n".join(stderr_lines(server, "data folder"))

    # Space comes back: the export carries on from where it stopped and ends with every object exactly once.
    ballast.unlink()
    done = poll_job(server, token, job["id"], lambda j: j["state"] in ("FULFILLED", "FAILED"), timeout=60,
                    waiting_for="the export to finish once space is back")
    assert_state(done, "FULFILLED")
    assert done["errorMessage"] is None, done
    bucket_dir = server.bucket_dir(BUCKET)
    manifest, _ = read_manifest(bucket_dir, done["manifestKey"])
    assert_counts_match_job(manifest, done)
    assert_objects_match_disk(manifest, bucket_dir)
    exported = {p for p in files_under(bucket_dir) if p.startswith("full-disk/") and "/exports/" not in p}
    assert exported == {o["key"] for o in manifest["objects"]}, "every object exactly once, nothing else"
    assert not any((data / "tmp").iterdir()), "no temporary file left behind"

    assert health(server)["status"] == "ready"
    assert post_export(server, token, export_body(BUCKET, REGION, prefix="after/")).status_code == 202
    assert len(stderr_lines(server, "has space again")) == 1
    assert server.stop(expect_clean_exit=True) == 0
