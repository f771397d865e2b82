"""Durability: an export killed mid-way resumes after a restart; finished jobs survive restarts."""

from __future__ import annotations

import json

from exports import (H1_2023, assert_state, create_export, export_body, get_job, hold, poll_job,
                     wait_until_ended)
from sink_checks import (assert_counts_match_job, assert_custody_verifies,
                         assert_objects_match_disk, custody_key_for, files_under, read_manifest,
                         sha256_hex)

BUCKET = "legal-discovery-eu"
PREFIX = "crash-test/"


def test_export_killed_mid_way_resumes_and_writes_every_object_once(servers):
    first = servers.start(export_rate=4)
    token = first.token()
    body = export_body(BUCKET, "eu-west-2", prefix=PREFIX, interval=H1_2023, legal_hold=hold())
    job_id = create_export(first, token, body)["id"]

    def some_written(job):
        assert job["state"] not in ("FULFILLED", "FAILED", "CANCELLED"), (
            f"the job ended ({job['state']}, {job.get('errorMessage')}) before it could be "
            "interrupted: is --export-rate 4 honoured?")
        return job["state"] == "PROCESSING" and job["totalProcessedRecordings"] >= 3

    before = poll_job(first, token, job_id, some_written, timeout=30, interval=0.1,
                      waiting_for="PROCESSING with 3 recordings written")
    first.kill()
    processed_at_kill = before["totalProcessedRecordings"]
    assert processed_at_kill < before["totalRecordings"], "nothing left to resume: the test proves nothing"

    bucket_dir = first.bucket_dir(BUCKET)
    for rel in sorted(files_under(bucket_dir)):
        if rel.endswith(".json"):
            try:
                json.loads((bucket_dir / rel).read_bytes())
            except ValueError:
                raise AssertionError(f"partial object after SIGKILL: {rel} is not complete JSON") from None

    second = servers.start(first.data_dir, export_rate=0)
    token = second.token()
    job = wait_until_ended(second, token, job_id, timeout=60)
    assert_state(job, "FULFILLED")
    assert job["totalProcessedRecordings"] == job["totalRecordings"]
    assert job["totalProcessedRecordings"] >= processed_at_kill, "counters went backwards after restart"

    manifest, raw = read_manifest(bucket_dir, job["manifestKey"])
    assert len(manifest["objects"]) == 2 * job["totalRecordings"], \
        "expected one transcript and one sidecar per recording"
    assert_objects_match_disk(manifest, bucket_dir)  # also: each key listed exactly once
    custody_key = custody_key_for(job["manifestKey"])
    expected = {o["key"] for o in manifest["objects"]} | {job["manifestKey"], custody_key}
    on_disk = {PREFIX + p for p in files_under(bucket_dir / PREFIX)}
    assert on_disk == expected, (f"sink differs from the manifest after resume: extra "
                                 f"{sorted(on_disk - expected)[:5]}, missing {sorted(expected - on_disk)[:5]}")
    custody = json.loads((bucket_dir / custody_key).read_bytes())
    assert_custody_verifies(custody, manifest=manifest, manifest_raw=raw, manifest_key=job["manifestKey"],
                            job_id=job_id, case_id="LH-2023-001", bucket=BUCKET)
    assert_counts_match_job(manifest, get_job(second, token, job_id))


def test_fulfilled_export_survives_a_restart(servers):
    first = servers.start(export_rate=0)
    token = first.token()
    job = create_export(first, token, export_body("recordings-us", "us-east-1", prefix="restart/"))
    job = wait_until_ended(first, token, job["id"])
    assert_state(job, "FULFILLED")
    manifest_path = first.bucket_dir("recordings-us") / job["manifestKey"]
    manifest_sha = sha256_hex(manifest_path.read_bytes())
    assert first.stop(expect_clean_exit=True) == 0

    second = servers.start(first.data_dir, export_rate=0)
    again = get_job(second, second.token(), job["id"])
    assert_state(again, "FULFILLED")
    assert again["manifestKey"] == job["manifestKey"]
    assert again["totalProcessedRecordings"] == job["totalProcessedRecordings"]
    assert sha256_hex(manifest_path.read_bytes()) == manifest_sha, "the manifest changed across a restart"


def test_items_counted_by_an_older_version_get_the_same_manifest(servers):
    """Items counted before migration v6 have no start time of their own: the manifest reads their conversation's."""
    import sqlite3

    first = servers.start(export_rate=4)
    token = first.token()
    body = export_body(BUCKET, "eu-west-2", prefix="upgrade/", interval=H1_2023, legal_hold=hold())
    job_id = create_export(first, token, body)["id"]
    poll_job(first, token, job_id, lambda j: j["state"] == "PROCESSING" and j["totalProcessedRecordings"] >= 1,
             timeout=30, interval=0.1, waiting_for="PROCESSING with a recording written")
    first.kill()
    db = sqlite3.connect(first.data_dir / "genesys-mock.sqlite")
    with db:
        blanked = db.execute("UPDATE job_item SET start_time = NULL WHERE job_id = ?", (job_id,)).rowcount
    db.close()
    assert blanked > 1, "the job has no items to blank: the test proves nothing"

    second = servers.start(first.data_dir, export_rate=0)
    token = second.token()
    job = wait_until_ended(second, token, job_id, timeout=60)
    assert_state(job, "FULFILLED")
    bucket_dir = first.bucket_dir(BUCKET)
    manifest, _ = read_manifest(bucket_dir, job["manifestKey"])
    assert len(manifest["objects"]) == 2 * job["totalRecordings"]
    assert_objects_match_disk(manifest, bucket_dir)
    assert all("/year=2023/" in o["key"] for o in manifest["objects"]), "a key lost its conversation's date"
