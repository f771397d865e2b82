"""Crash at scale: SIGKILL at about half of a big export at full speed, restart, and the export resumes from
where the durable work ended (not from the start) and ends with every object exactly once.

CI runs it on SCALE_CONVERSATIONS generated conversations (default 4,000, seeded with `genesys-mock seed`);
set SCALE_CONVERSATIONS=100000 for the full-size run (several minutes). On the same kind of world, a cancel of
an export at full speed stops it within the batches already in flight.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections import Counter

from exports import assert_state, create_export, export_body, get_job, hold, poll_job, wait_until_ended
from mockserver import FIXTURES_DIR, mock_binary
from sink_checks import assert_objects_match_disk, custody_key_for, files_under, read_manifest

CONVERSATIONS = int(os.environ.get("SCALE_CONVERSATIONS", "4000"))
BUCKET = "legal-discovery-eu"
PREFIX = "scale/"
WHOLE_HALF_YEAR = "2023-01-01T00:00:00Z/2023-07-01T00:00:00Z"


def seeded_data_dir(servers):
    """A new data folder with CONVERSATIONS generated conversations, seeded with `genesys-mock seed`."""
    data = servers.new_data_dir()
    seed = subprocess.run([str(mock_binary()), "seed", "--conversations", str(CONVERSATIONS), "--data", str(data),
                           "--fixtures", str(FIXTURES_DIR)], capture_output=True, text=True, timeout=1800)
    assert seed.returncode == 0, seed.stderr[-2000:]
    return data


def test_a_big_export_killed_at_half_resumes_where_it_stopped_and_writes_every_object_once(servers):
    data = seeded_data_dir(servers)

    first = servers.start(data, export_rate=0)
    token = first.token()
    job_id = create_export(first, token, export_body(BUCKET, "eu-west-2", prefix=PREFIX, interval=WHOLE_HALF_YEAR,
                                                     legal_hold=hold()))["id"]

    def about_half(job):
        assert job["state"] not in ("FULFILLED", "FAILED", "CANCELLED"), f"ended before it could be killed: {job}"
        return job["state"] == "PROCESSING" and job["totalProcessedRecordings"] * 2 >= job["totalRecordings"]

    before = poll_job(first, token, job_id, about_half, timeout=600, interval=0.01,
                      waiting_for="half of the recordings written")
    first.kill()
    total, at_kill = before["totalRecordings"], before["totalProcessedRecordings"]
    assert total >= CONVERSATIONS // 2 and at_kill < total, before

    second = servers.start(data, export_rate=0)
    token = second.token()
    resumed = poll_job(second, token, job_id, lambda j: True, timeout=10, waiting_for="the job")
    assert resumed["totalProcessedRecordings"] >= at_kill, \
        f"resumed from {resumed['totalProcessedRecordings']}, below the {at_kill} durable at the kill: it started over"
    job = wait_until_ended(second, token, job_id, timeout=1200)
    assert_state(job, "FULFILLED")
    assert job["totalProcessedRecordings"] == total

    bucket_dir = second.bucket_dir(BUCKET)
    manifest, _ = read_manifest(bucket_dir, job["manifestKey"])
    assert len(manifest["objects"]) == 2 * total, "one transcript and one sidecar per recording"
    assert_objects_match_disk(manifest, bucket_dir)  # every key listed once, its bytes as recorded
    custody_key = custody_key_for(job["manifestKey"])
    expected = {o["key"] for o in manifest["objects"]} | {job["manifestKey"], custody_key}
    on_disk = {PREFIX + p for p in files_under(bucket_dir / PREFIX)}
    assert on_disk == expected, f"extra {sorted(on_disk - expected)[:3]}, missing {sorted(expected - on_disk)[:3]}"

    # The chain records each object written exactly once: the resumed run did not write the first half again.
    custody = json.loads((bucket_dir / custody_key).read_bytes())
    written = Counter(json.loads(e["record"])["key"] for e in custody["entries"] if e["event"] == "object.written")
    twice = [k for k, n in written.items() if n > 1]
    assert not twice, f"{len(twice)} objects recorded as written more than once, e.g. {twice[:2]}"
    assert set(written) == {o["key"] for o in manifest["objects"]}

    verify = subprocess.run([str(mock_binary()), "verify", "--data", str(data), "--job", job_id],
                            capture_output=True, text=True, timeout=600)
    assert verify.returncode == 0, verify.stdout[-1500:] + verify.stderr[-1500:]
    assert second.stop(expect_clean_exit=True) == 0


def test_a_cancel_stops_a_big_export_at_full_speed_within_the_batches_in_flight(servers):
    """The worker runs up to 32 batches of 256 recordings in one pipeline; a cancel must not wait for them. Once
    the job is CANCELLED, at most the batches already in flight land: the one committing, the one being placed,
    the one staged beside it, and the one whose recordings were read just before the cancel (four batches)."""
    data = seeded_data_dir(servers)
    server = servers.start(data, export_rate=0)
    token = server.token()
    prefix = "cancelled/"
    job_id = create_export(server, token, export_body(BUCKET, "eu-west-2", prefix=prefix, interval=WHOLE_HALF_YEAR))["id"]

    def started(job):
        assert job["state"] not in ("FULFILLED", "FAILED", "CANCELLED"), f"ended before it could be cancelled: {job}"
        return job["state"] == "PROCESSING" and job["totalProcessedRecordings"] >= 256

    before = poll_job(server, token, job_id, started, timeout=600, interval=0.01, waiting_for="a first batch written")
    r = server.request("DELETE", f"/api/v2/recordings/exports/{job_id}", token=token)
    assert r.status_code == 202, r.text
    cancelled = r.json()
    assert cancelled["state"] == "CANCELLED", cancelled
    total, at_cancel = before["totalRecordings"], cancelled["totalProcessedRecordings"]

    # Whatever was in flight lands within a few seconds; then nothing more is written.
    bucket_dir = server.bucket_dir(BUCKET)
    previous, deadline = -1, time.monotonic() + 30
    while time.monotonic() < deadline:
        count = len(files_under(bucket_dir / prefix))
        if count == previous:
            break
        previous = count
        time.sleep(1.0)
    else:
        raise AssertionError(f"objects were still being written 30 s after the cancel ({previous} so far)")
    in_flight = 4 * 256
    assert previous <= 2 * (at_cancel + in_flight), \
        f"{previous} objects on disk after a cancel at {at_cancel} of {total} recordings: the export went on"
    assert previous < 2 * total, "the whole export was written despite the cancel"
    job = get_job(server, token, job_id)
    assert job["state"] == "CANCELLED" and not job.get("manifestKey"), job
    assert server.stop(expect_clean_exit=True) == 0
