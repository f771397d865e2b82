"""Legal hold through the S3 endpoint: a held export's objects are ON, carry the case id, and can't be changed."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

from held import HELD_BUCKET, HELD_CASE, HELD_PREFIX, run_held_export, transcript_keys
from s3client import assert_s3_error, code_of, s3_error, status_of
from sink_checks import sha256_hex


@pytest.fixture(scope="module")
def held(live):
    return run_held_export(live)


def disk_sha(held, key: str) -> str:
    return sha256_hex((held.bucket_dir / key).read_bytes())


def test_the_listing_of_the_prefix_is_the_whole_export(s3, held):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=HELD_BUCKET, Prefix=HELD_PREFIX)
    listed = {o["Key"] for page in pages for o in page.get("Contents", [])}
    assert listed == held.all_keys, (f"ListObjectsV2 {HELD_PREFIX}: missing {sorted(held.all_keys - listed)[:5]}, "
                                     f"extra {sorted(listed - held.all_keys)[:5]}")


def test_every_object_of_the_held_export_is_on_hold_with_the_case_id(s3, held):
    not_on, wrong_meta = [], []
    for key in sorted(held.all_keys):
        status = s3.get_object_legal_hold(Bucket=HELD_BUCKET, Key=key)["LegalHold"]["Status"]
        if status != "ON":
            not_on.append((key, status))
        meta = s3.head_object(Bucket=HELD_BUCKET, Key=key)["Metadata"]
        if meta.get("legal-hold-case-id") != HELD_CASE:
            wrong_meta.append((key, meta))
    assert not not_on, f"{len(not_on)} of {len(held.all_keys)} held objects are not ON, e.g. {not_on[:3]}"
    assert not wrong_meta, (f"{len(wrong_meta)} objects lack x-amz-meta-legal-hold-case-id: {HELD_CASE}, "
                            f"e.g. {wrong_meta[:2]}")


@pytest.mark.parametrize("which", ["transcript", "manifest", "custody"])
def test_deleting_a_held_object_is_access_denied_and_changes_nothing(s3, held, which):
    key = {"transcript": transcript_keys(held)[0], "manifest": held.manifest_key,
           "custody": held.custody_key}[which]
    before = disk_sha(held, key)
    assert_s3_error(s3_error(s3.delete_object, Bucket=HELD_BUCKET, Key=key), 403, "AccessDenied")
    assert (held.bucket_dir / key).is_file(), f"refused DeleteObject still removed {key} from disk"
    assert disk_sha(held, key) == before, f"refused DeleteObject changed {key} on disk"
    assert sha256_hex(s3.get_object(Bucket=HELD_BUCKET, Key=key)["Body"].read()) == before


@pytest.mark.parametrize("which", ["transcript", "manifest", "custody"])
def test_overwriting_a_held_object_is_access_denied_and_changes_nothing(s3, held, which):
    key = {"transcript": transcript_keys(held)[-1], "manifest": held.manifest_key,
           "custody": held.custody_key}[which]
    before = disk_sha(held, key)
    e = s3_error(s3.put_object, Bucket=HELD_BUCKET, Key=key, Body=b'{"tampered": true}')
    assert_s3_error(e, 403, "AccessDenied")
    assert disk_sha(held, key) == before, f"refused PutObject changed {key} on disk"
    assert s3.get_object_legal_hold(Bucket=HELD_BUCKET, Key=key)["LegalHold"]["Status"] == "ON"


def test_hold_can_be_set_and_released_on_an_object_of_ones_own(live, s3, capsys):
    key = f"scratch/{uuid.uuid4()}.txt"
    path = live.bucket_dir(HELD_BUCKET) / key
    s3.put_object(Bucket=HELD_BUCKET, Key=key, Body=b"not held yet")
    try:
        answer = s3.get_object_legal_hold(Bucket=HELD_BUCKET, Key=key)
        status = answer.get("LegalHold", {}).get("Status")
        assert status == "OFF", f"a fresh object without hold should report OFF: {answer.get('LegalHold')!r}"
        answer = "Status OFF"
    except ClientError as e:  # what S3 itself answers for an object that never had a hold
        assert code_of(e) == "NoSuchObjectLockConfiguration", f"GetObjectLegalHold on an unheld object: {e}"
        answer = f"HTTP {status_of(e)} NoSuchObjectLockConfiguration"
    with capsys.disabled():
        print(f"\nGetObjectLegalHold on an object never held answers: {answer}")

    s3.put_object_legal_hold(Bucket=HELD_BUCKET, Key=key, LegalHold={"Status": "ON"})
    assert s3.get_object_legal_hold(Bucket=HELD_BUCKET, Key=key)["LegalHold"]["Status"] == "ON"
    assert_s3_error(s3_error(s3.delete_object, Bucket=HELD_BUCKET, Key=key), 403, "AccessDenied")
    assert_s3_error(s3_error(s3.put_object, Bucket=HELD_BUCKET, Key=key, Body=b"x"), 403, "AccessDenied")
    assert path.read_bytes() == b"not held yet", "a refused write under hold changed the file"

    s3.put_object_legal_hold(Bucket=HELD_BUCKET, Key=key, LegalHold={"Status": "OFF"})
    assert s3.get_object_legal_hold(Bucket=HELD_BUCKET, Key=key)["LegalHold"]["Status"] == "OFF"
    r = s3.delete_object(Bucket=HELD_BUCKET, Key=key)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert not path.exists(), "after the hold was released, DeleteObject did not remove the file"


def test_an_unheld_object_can_be_deleted(live, s3):
    key = f"scratch/{uuid.uuid4()}.txt"
    s3.put_object(Bucket=HELD_BUCKET, Key=key, Body=b"free")
    assert s3.delete_object(Bucket=HELD_BUCKET, Key=key)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert not (live.bucket_dir(HELD_BUCKET) / key).exists()


def test_legal_hold_of_a_missing_key_is_no_such_key(s3):
    key = f"scratch/never-{uuid.uuid4()}"
    assert_s3_error(s3_error(s3.get_object_legal_hold, Bucket=HELD_BUCKET, Key=key), 404, "NoSuchKey")
    assert_s3_error(s3_error(s3.put_object_legal_hold, Bucket=HELD_BUCKET, Key=key,
                             LegalHold={"Status": "ON"}), 404, "NoSuchKey")


def test_a_legal_hold_needs_a_bucket_with_object_lock(s3):
    # As in S3: recordings-us was made without Object Lock, so no call may put a hold on its objects.
    s3.put_object(Bucket="recordings-us", Key="lockless/a.txt", Body=b"a")
    calls = {
        "PutObject": lambda: s3.put_object(Bucket="recordings-us", Key="lockless/b.txt", Body=b"b", ObjectLockLegalHoldStatus="ON"),
        "CreateMultipartUpload": lambda: s3.create_multipart_upload(Bucket="recordings-us", Key="lockless/c.txt",
                                                                    ObjectLockLegalHoldStatus="ON"),
        "CopyObject": lambda: s3.copy_object(Bucket="recordings-us", Key="lockless/d.txt", ObjectLockLegalHoldStatus="ON",
                                             CopySource={"Bucket": "recordings-us", "Key": "lockless/a.txt"}),
        "PutObjectLegalHold": lambda: s3.put_object_legal_hold(Bucket="recordings-us", Key="lockless/a.txt",
                                                               LegalHold={"Status": "ON"}),
    }
    for name, call in calls.items():
        err = s3_error(call)
        assert_s3_error(err, 400, "InvalidRequest")
        assert "Object Lock" in err.response["Error"]["Message"], (name, err.response["Error"])
    listed = {o["Key"] for o in s3.list_objects_v2(Bucket="recordings-us", Prefix="lockless/").get("Contents", [])}
    assert listed == {"lockless/a.txt"}, f"a refused call left objects behind: {listed}"


def test_a_legal_hold_body_is_read_as_xml_where_status_is_the_child_of_legal_hold(live, s3):
    """Only `LegalHold/Status` counts: a `<Status>ON</Status>` nested elsewhere or in a comment sets nothing."""
    from s3client import raw_request
    key = f"scratch/{uuid.uuid4()}.txt"
    s3.put_object(Bucket=HELD_BUCKET, Key=key, Body=b"free")
    path = f"/{HELD_BUCKET}/{key}?legal-hold"
    ns = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
    for body in (f"<LegalHold {ns}><Note><Status>ON</Status></Note></LegalHold>",
                 f"<Retention {ns}><Status>ON</Status></Retention>",
                 f"<LegalHold {ns}><Status>ON</Status>",
                 f"<LegalHold {ns}><Status>on</Status></LegalHold>"):
        bad = raw_request(live.s3, "PUT", path, body=body.encode())
        assert (bad.status, bad.code) == (400, "MalformedXML"), f"{body}: {bad.describe()}"
        assert s3.get_object_legal_hold(Bucket=HELD_BUCKET, Key=key)["LegalHold"]["Status"] == "OFF", body
    # Pretty-printed, with a prefix and a comment that mentions ON: the Status element says OFF, and OFF it is.
    s3.put_object_legal_hold(Bucket=HELD_BUCKET, Key=key, LegalHold={"Status": "ON"})
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<s3:LegalHold xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/">\n'
            "  <!-- was <Status>ON</Status> -->\n  <s3:Status>OFF</s3:Status>\n</s3:LegalHold>\n")
    ok = raw_request(live.s3, "PUT", path, body=body.encode())
    assert ok.status == 200, ok.describe()
    assert s3.get_object_legal_hold(Bucket=HELD_BUCKET, Key=key)["LegalHold"]["Status"] == "OFF"
    assert s3.delete_object(Bucket=HELD_BUCKET, Key=key)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert not (live.bucket_dir(HELD_BUCKET) / key).exists()
