"""Remote buckets (CONTRACT §14): what fails an export to a store, in S3's words (a missing bucket, keys the store
does not know, an unset variable, a bucket without object lock, an endpoint where nothing listens, a store stopped
mid-export), and an exporter killed mid-way that resumes and writes each key once. Helpers: remote_exports.py.
"""

from __future__ import annotations

import json
import time

import pytest

from exports import assert_state, create_export, export_body, hold, poll_job, wait_until_ended
from held import HELD_CASE
from remote_exports import (SHORT, UNSET_ENV, WRONG_KEY_ENV, WRONG_SECRET_ENV, assert_store_holds_the_manifest,
                            assert_verified_intact, export, failed_with, in_store, listed_bucket, register,
                            remote_bucket, run_verify, unique)
from remote_store import GENESYS_MOCK, KINDS, MOTO, REGION, unused_endpoint
from sink_checks import assert_custody_verifies, files_under


# -- failures fail the job in S3's words -------------------------------------------------------------------------

@pytest.mark.parametrize("held", [True, False], ids=["held", "plain"])
def test_a_bucket_missing_in_the_store_is_NoSuchBucket(exporter, exporter_token, store, held):
    bucket = remote_bucket(exporter, store, "nobucket", in_store=False)
    job = export(exporter, exporter_token, bucket, "missing/", held=held, timeout=30)
    failed_with(job, "NoSuchBucket")
    assert files_under(exporter.bucket_dir(bucket)) == set()


# A held export asks the store by HEAD first, whose refusal has no body: the job must still say what S3 said.
@pytest.mark.parametrize("held", [True, False], ids=["held", "plain"])
def test_an_access_key_the_store_does_not_know_is_InvalidAccessKeyId(exporter, exporter_token, stores, held):
    store = stores.shared(GENESYS_MOCK)  # moto accepts any key
    bucket = remote_bucket(exporter, store, "wrongkey", key_env=WRONG_KEY_ENV, secret_env=WRONG_SECRET_ENV)
    failed_with(export(exporter, exporter_token, bucket, "wrong-key/", held=held, timeout=30), "InvalidAccessKeyId")
    assert store.keys(bucket) == set()


@pytest.mark.parametrize("held", [True, False], ids=["held", "plain"])
def test_a_wrong_secret_is_SignatureDoesNotMatch(exporter, exporter_token, stores, held):
    store = stores.shared(GENESYS_MOCK)
    bucket = remote_bucket(exporter, store, "wrongsecret", secret_env=WRONG_SECRET_ENV)
    failed_with(export(exporter, exporter_token, bucket, "wrong-secret/", held=held, timeout=30), "SignatureDoesNotMatch")
    assert store.keys(bucket) == set()


def test_an_unset_variable_is_InvalidAccessKeyId_naming_it(exporter, exporter_token, stores):
    store = stores.shared(MOTO)
    bucket = remote_bucket(exporter, store, "unset", key_env=UNSET_ENV)
    assert listed_bucket(exporter, bucket)["remote"]["credentialsSet"] is False
    failed_with(export(exporter, exporter_token, bucket, "unset/", timeout=30), "InvalidAccessKeyId", UNSET_ENV)
    assert store.keys(bucket) == set()


def test_the_lock_header_on_a_bucket_without_object_lock_is_InvalidRequest(exporter, exporter_token, store):
    bucket = remote_bucket(exporter, store, "nolock", object_lock=False)
    failed_with(export(exporter, exporter_token, bucket, "no-lock/", timeout=30), "InvalidRequest", "Lock")


@pytest.mark.parametrize("held", [True, False], ids=["held", "plain"])
def test_a_put_the_store_refuses_is_AccessDenied(exporter, exporter_token, stores, held):
    store = stores.shared(GENESYS_MOCK)  # its bucket policy can deny PutObject
    name = unique("denied-gm")
    r = store.server.post("/__admin/buckets", json={"name": name, "region": REGION, "objectLockEnabled": True,
                                                    "denyPutObject": True})
    assert r.status_code == 201, r.text
    register(exporter, name, store.endpoint)
    failed_with(export(exporter, exporter_token, name, "denied/", held=held, timeout=30), "AccessDenied", "PutObject")
    assert store.keys(name) == set()


def test_an_endpoint_where_nothing_listens_is_a_ConnectionError(exporter, exporter_token):
    endpoint = unused_endpoint()
    name = unique("nowhere")
    register(exporter, name, endpoint)
    started = time.monotonic()
    job = export(exporter, exporter_token, name, "nowhere/", timeout=30)
    failed_with(job, "ConnectionError", endpoint)
    assert time.monotonic() - started < 15, f"a refused connection should fail the job in seconds: {job}"


def test_a_store_that_answers_slow_down_is_tried_again_and_the_export_lands(exporter, exporter_token, stores):
    store = stores.shared(GENESYS_MOCK)  # its S3 port takes injected faults
    bucket = remote_bucket(exporter, store, "slowdown")
    rule = store.server.post("/__admin/faults", json={"port": "s3", "method": "PUT", "path": f"/{bucket}/**",
                                                      "status": 503, "count": 3}).json()
    job = export(exporter, exporter_token, bucket, "slowdown/")
    assert_state(job, "FULFILLED")
    fired = [f for f in store.server.get("/__admin/faults").json()["faults"] if f["id"] == rule["id"]][0]["fired"]
    assert fired == 3, f"the store should have answered SlowDown three times, not {fired}"
    assert_store_holds_the_manifest(store, in_store(store, bucket, job))


def test_a_store_that_keeps_failing_fails_the_job_after_four_attempts(exporter, exporter_token, stores):
    store = stores.shared(GENESYS_MOCK)
    bucket = remote_bucket(exporter, store, "internal")
    store.server.post("/__admin/faults", json={"port": "s3", "path": f"/{bucket}/**", "status": 500, "count": 1000})
    failed_with(export(exporter, exporter_token, bucket, "internal/", timeout=30), "InternalError", "(4 attempts)")


@pytest.mark.parametrize("kind", KINDS)
def test_a_store_stopped_mid_export_fails_the_job_with_a_ConnectionError(stores, exporters, kind):
    own = stores.start(kind)  # a store of its own: this test stops it
    bucket = unique(f"stopped-{SHORT[own.kind]}")
    own.create_bucket(bucket)
    exporter = exporters.start(export_rate=4)
    register(exporter, bucket, own.endpoint)
    token = exporter.token()
    job_id = create_export(exporter, token, export_body(bucket, REGION, prefix="stopped/", legal_hold=hold()))["id"]

    def some_written(job):
        assert job["state"] not in ("FULFILLED", "FAILED", "CANCELLED"), \
            f"the export ended before the store could be stopped: {job['state']} {job.get('errorMessage')}"
        return job["totalProcessedRecordings"] >= 2

    before = poll_job(exporter, token, job_id, some_written, timeout=30, waiting_for="2 recordings written")
    own.kill()
    stopped = time.monotonic()
    job = wait_until_ended(exporter, token, job_id, timeout=30)
    took = time.monotonic() - stopped
    failed_with(job, "ConnectionError", own.endpoint)
    assert took < 15, f"the job should fail within ~15 s of the store going away, took {took:.1f} s"
    assert before["totalProcessedRecordings"] <= job["totalProcessedRecordings"] < job["totalRecordings"], job


def test_verify_with_the_store_gone_says_it_cannot_read_it(stores, exporters, mock_bin):
    own = stores.start(MOTO)  # a store of its own: this test stops it
    bucket = unique("gone-mt")
    own.create_bucket(bucket)
    exporter = exporters.start(export_rate=0)
    register(exporter, bucket, own.endpoint)
    job = export(exporter, exporter.token(), bucket, "gone/")
    assert_state(job, "FULFILLED")
    own.kill()
    r = run_verify(mock_bin, exporter.data_dir, job["id"])
    assert r.returncode == 2, f"verify with the store gone should exit 2 (unreadable), not {r.returncode}: {r.stdout}{r.stderr}"
    assert "cannot read the export from" in r.stderr and own.endpoint in r.stderr, r.stderr
    answer = exporter.post(f"/__admin/jobs/{job['id']}/verify").json()
    assert answer["intact"] is False and own.endpoint in answer["summary"], answer


# -- crash resume ------------------------------------------------------------------------------------------------

def test_an_export_killed_mid_way_resumes_and_writes_each_key_once(exporters, store, mock_bin):
    first = exporters.start(export_rate=4)
    bucket = remote_bucket(first, store, "crash")
    if store.kind == GENESYS_MOCK:
        store.clear_journal()
    token = first.token()
    prefix = "crash-test/"
    job_id = create_export(first, token, export_body(bucket, REGION, prefix=prefix, legal_hold=hold()))["id"]

    def some_written(job):
        assert job["state"] not in ("FULFILLED", "FAILED", "CANCELLED"), \
            f"the export ended ({job['state']}, {job.get('errorMessage')}) before it could be killed"
        return job["state"] == "PROCESSING" and job["totalProcessedRecordings"] >= 3

    before = poll_job(first, token, job_id, some_written, timeout=30, waiting_for="3 recordings written")
    first.kill()
    assert before["totalProcessedRecordings"] < before["totalRecordings"], "nothing left to resume"

    second = exporters.start(first.data_dir, export_rate=0)
    job = wait_until_ended(second, second.token(), job_id, timeout=60)
    assert_state(job, "FULFILLED")
    assert job["totalProcessedRecordings"] == job["totalRecordings"] and job["totalFailedRecordings"] == 0, job

    landed = in_store(store, bucket, job)
    assert_store_holds_the_manifest(store, landed)
    listed = store.keys(bucket, prefix)
    assert listed == landed.all_keys, (f"the store differs from the manifest after resume: extra "
                                       f"{sorted(listed - landed.all_keys)[:3]}, missing {sorted(landed.all_keys - listed)[:3]}")
    writes = store.writes(bucket, prefix)
    twice = {k: n for k, n in writes.items() if n != 1}
    assert not twice, f"keys written more than once in the {store.describe()}: {dict(list(twice.items())[:5])}"
    assert set(writes) == landed.all_keys
    custody = json.loads(store.get(bucket, landed.custody_key))
    assert_custody_verifies(custody, manifest=landed.manifest, manifest_raw=landed.manifest_raw,
                            manifest_key=landed.manifest_key, job_id=job_id, case_id=HELD_CASE, bucket=bucket)
    assert files_under(second.bucket_dir(bucket)) == set()
    assert_verified_intact(run_verify(mock_bin, second.data_dir, job_id), landed)
