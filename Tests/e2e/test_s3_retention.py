"""Object Lock retention with boto3, judged on the mock clock: enforced like the legal hold, GOVERNANCE lifted only
with the bypass header, COMPLIANCE never shortened; kept across a restart."""

from __future__ import annotations

from control import advance
from exports import EXPORTS, assert_state, create_export, export_body, wait_until_ended
from s3client import assert_s3_error, s3_client, s3_error
from sink_checks import read_manifest
from subresources import LOCKED_BUCKET, PLAIN_BUCKET, assert_bytes, audit_seq, audit_since, mock_later, new_object


def retention(s3, key) -> tuple[str, str]:
    r = s3.get_object_retention(Bucket=LOCKED_BUCKET, Key=key)["Retention"]
    return r["Mode"], r["RetainUntilDate"].strftime("%Y-%m-%dT%H:%M:%S")


def assert_protected(server, s3, key, body, how: str) -> None:
    """DeleteObject, PutObject, CopyObject onto it and DeleteObjects all refused; the bytes unchanged."""
    assert_s3_error(s3_error(s3.delete_object, Bucket=LOCKED_BUCKET, Key=key), 403, "AccessDenied")
    assert_s3_error(s3_error(s3.put_object, Bucket=LOCKED_BUCKET, Key=key, Body=b"overwrite"), 403, "AccessDenied")
    assert_s3_error(s3_error(s3.copy_object, Bucket=LOCKED_BUCKET, Key=key,
                             CopySource=f"{LOCKED_BUCKET}/{key}", MetadataDirective="REPLACE"), 403, "AccessDenied")
    batch = s3.delete_objects(Bucket=LOCKED_BUCKET, Delete={"Objects": [{"Key": key}]})
    assert [e["Code"] for e in batch.get("Errors", [])] == ["AccessDenied"] and not batch.get("Deleted"), batch
    assert_bytes(server, s3, LOCKED_BUCKET, key, body, how)


def test_governance_retention_refuses_deletes_until_bypassed(live, s3):
    key, body = new_object(s3, LOCKED_BUCKET)
    e = s3_error(s3.get_object_retention, Bucket=LOCKED_BUCKET, Key=key)
    assert_s3_error(e, 404, "NoSuchObjectLockConfiguration")
    until = mock_later(live, days=1)
    since = audit_seq(live)
    s3.put_object_retention(Bucket=LOCKED_BUCKET, Key=key, Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
    assert retention(s3, key) == ("GOVERNANCE", until.strftime("%Y-%m-%dT%H:%M:%S"))
    head = s3.head_object(Bucket=LOCKED_BUCKET, Key=key)
    assert head["ObjectLockMode"] == "GOVERNANCE" and head["ObjectLockRetainUntilDate"] == until
    assert_protected(live, s3, key, body, "writes refused under GOVERNANCE retention")

    e = s3_error(s3.put_object_retention, Bucket=LOCKED_BUCKET, Key=key,
                 Retention={"Mode": "GOVERNANCE", "RetainUntilDate": mock_later(live, hours=1)})
    assert_s3_error(e, 403, "AccessDenied")
    s3.put_object_retention(Bucket=LOCKED_BUCKET, Key=key, Retention={"Mode": "GOVERNANCE", "RetainUntilDate": mock_later(live, days=2)})
    assert_s3_error(s3_error(s3.delete_object, Bucket=LOCKED_BUCKET, Key=key), 403, "AccessDenied")
    events = [e for e, r in audit_since(live, since) if r.get("key") == key]
    assert events.count("object.retention") == 2 and "s3.object.delete.refused" in events, events

    r = s3.delete_object(Bucket=LOCKED_BUCKET, Key=key, BypassGovernanceRetention=True)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert not (live.bucket_dir(LOCKED_BUCKET) / key).exists(), "a bypassed delete left the file"


def test_governance_can_be_shortened_or_removed_only_with_the_bypass(live, s3):
    key, body = new_object(s3, LOCKED_BUCKET, ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=mock_later(live, days=3))
    assert retention(s3, key)[0] == "GOVERNANCE", "PutObject's x-amz-object-lock-* headers set no retention"
    assert_s3_error(s3_error(s3.put_object_retention, Bucket=LOCKED_BUCKET, Key=key, Retention={}), 403, "AccessDenied")
    s3.put_object_retention(Bucket=LOCKED_BUCKET, Key=key, Retention={}, BypassGovernanceRetention=True)
    assert_s3_error(s3_error(s3.get_object_retention, Bucket=LOCKED_BUCKET, Key=key), 404, "NoSuchObjectLockConfiguration")
    assert_bytes(live, s3, LOCKED_BUCKET, key, body, "retention removed")
    s3.delete_object(Bucket=LOCKED_BUCKET, Key=key)


def test_compliance_is_extended_never_shortened_and_ends_on_the_mock_clock(live, s3):
    key, body = new_object(s3, LOCKED_BUCKET)
    s3.put_object_retention(Bucket=LOCKED_BUCKET, Key=key, Retention={"Mode": "COMPLIANCE", "RetainUntilDate": mock_later(live, hours=1)})
    for shorter in ({"Mode": "COMPLIANCE", "RetainUntilDate": mock_later(live, minutes=10)},
                    {"Mode": "GOVERNANCE", "RetainUntilDate": mock_later(live, hours=5)}, {}):
        e = s3_error(s3.put_object_retention, Bucket=LOCKED_BUCKET, Key=key, Retention=shorter, BypassGovernanceRetention=True)
        assert_s3_error(e, 403, "AccessDenied")
    extended = mock_later(live, hours=2)
    s3.put_object_retention(Bucket=LOCKED_BUCKET, Key=key, Retention={"Mode": "COMPLIANCE", "RetainUntilDate": extended})
    assert_s3_error(s3_error(s3.delete_object, Bucket=LOCKED_BUCKET, Key=key, BypassGovernanceRetention=True), 403, "AccessDenied")
    assert_protected(live, s3, key, body, "writes refused under COMPLIANCE retention")

    advance(live, 2 * 3600 + 60)
    assert s3.delete_object(Bucket=LOCKED_BUCKET, Key=key)["ResponseMetadata"]["HTTPStatusCode"] == 204, \
        "once the mock clock passed the retain-until date the object should be deletable"
    assert not (live.bucket_dir(LOCKED_BUCKET) / key).exists()


def test_retention_needs_object_lock_and_a_future_date(live, s3):
    key, body = new_object(s3, PLAIN_BUCKET)
    e = s3_error(s3.put_object_retention, Bucket=PLAIN_BUCKET, Key=key,
                 Retention={"Mode": "GOVERNANCE", "RetainUntilDate": mock_later(live, days=1)})
    assert_s3_error(e, 400, "InvalidRequest")
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "PutObjectRetention on a bucket without Object Lock")
    locked, locked_body = new_object(s3, LOCKED_BUCKET)
    e = s3_error(s3.put_object_retention, Bucket=LOCKED_BUCKET, Key=locked,
                 Retention={"Mode": "GOVERNANCE", "RetainUntilDate": mock_later(live, minutes=-5)})
    assert_s3_error(e, 400, "InvalidArgument")
    e = s3_error(s3.put_object_retention, Bucket=LOCKED_BUCKET, Key=locked,
                 Retention={"Mode": "FOREVER", "RetainUntilDate": mock_later(live, days=1)})
    assert_s3_error(e, 400, "MalformedXML")
    assert_bytes(live, s3, LOCKED_BUCKET, locked, locked_body, "refused PutObjectRetention calls")


def test_retention_on_a_held_object_is_allowed_and_audited(live, s3):
    key, body = new_object(s3, LOCKED_BUCKET, ObjectLockLegalHoldStatus="ON")
    since = audit_seq(live)
    s3.put_object_retention(Bucket=LOCKED_BUCKET, Key=key, Retention={"Mode": "GOVERNANCE", "RetainUntilDate": mock_later(live, days=1)})
    entries = [r for e, r in audit_since(live, since) if e == "object.retention" and r.get("key") == key]
    assert len(entries) == 1 and entries[0]["mode"] == "GOVERNANCE" and entries[0]["legalHold"] is True, entries
    assert_bytes(live, s3, LOCKED_BUCKET, key, body, "PutObjectRetention on a held object")


def test_a_restart_keeps_tags_and_retention(servers):
    first = servers.start(export_rate=0)
    s3 = s3_client(first.s3)
    key, body = new_object(s3, LOCKED_BUCKET, Tagging="case=LH-2023-001")
    until = mock_later(first, days=30)
    s3.put_object_retention(Bucket=LOCKED_BUCKET, Key=key, Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until})
    first.stop(expect_clean_exit=True)

    again = servers.start(first.data_dir, export_rate=0)
    s3 = s3_client(again.s3)
    assert {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=LOCKED_BUCKET, Key=key)["TagSet"]} == {"case": "LH-2023-001"}
    assert retention(s3, key) == ("COMPLIANCE", until.strftime("%Y-%m-%dT%H:%M:%S"))
    assert_protected(again, s3, key, body, "a restart")


def test_an_export_never_overwrites_a_retained_object(live, s3):
    token = live.token()
    first = wait_until_ended(live, token, create_export(live, token, export_body(LOCKED_BUCKET, "eu-west-2", prefix="retention-a/"))["id"])
    assert_state(first, "FULFILLED")
    manifest, _ = read_manifest(live.bucket_dir(LOCKED_BUCKET), first["manifestKey"])
    victim = next(o for o in manifest["objects"] if not o["key"].endswith("_metadata.json"))
    key = "retention-b/" + victim["key"][len("retention-a/"):]
    planted = b'{"planted": "by the test, under retention"}'
    s3.put_object(Bucket=LOCKED_BUCKET, Key=key, Body=planted, ObjectLockMode="GOVERNANCE",
                  ObjectLockRetainUntilDate=mock_later(live, days=1))

    job = wait_until_ended(live, token, create_export(live, token, export_body(LOCKED_BUCKET, "eu-west-2", prefix="retention-b/"))["id"])
    assert_state(job, "FULFILLED")
    assert job["totalFailedRecordings"] == 1, f"exactly the recording under the retained key should fail: {job}"
    failed = live.get(f"{EXPORTS}/{job['id']}/failedrecordings", token=token).json()["entities"]
    message = failed[0]["errorMessage"]
    assert message.startswith("AccessDenied") and "retention" in message, message
    assert_bytes(live, s3, LOCKED_BUCKET, key, planted, "an export onto a retained key")
