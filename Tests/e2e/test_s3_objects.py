"""S3 endpoint with boto3: GetObject (ranges), HeadObject, PutObject, DeleteObject, and S3's errors."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from exports import assert_state, create_export, export_body, wait_until_ended
from s3client import (assert_s3_error, code_of, s3_client, s3_error, s3_error_xml,
                      status_of)
from sink_checks import md5_hex, read_manifest

BUCKET = "recordings-us"
BINARY = bytes(range(256)) * 3 + "\n日本語 ✓ 🙂\n".encode("utf-8")


@pytest.fixture(scope="module")
def exported(live):
    """An export without hold into recordings-us/exported/: objects the exporter wrote, not PutObject."""
    token = live.token()
    job = create_export(live, token, export_body(BUCKET, "us-east-1", prefix="exported/"))
    job = wait_until_ended(live, token, job["id"])
    assert_state(job, "FULFILLED")
    manifest, _ = read_manifest(live.bucket_dir(BUCKET), job["manifestKey"])
    return [o["key"] for o in manifest["objects"]] + [job["manifestKey"]]


@pytest.fixture
def key() -> str:
    return f"objects/{uuid.uuid4()}.bin"


@pytest.fixture
def stored(s3, key) -> bytes:
    s3.put_object(Bucket=BUCKET, Key=key, Body=BINARY)
    return BINARY


def test_get_object_returns_exactly_the_bytes_on_disk(live, s3, exported):
    for k in exported:
        disk = (live.bucket_dir(BUCKET) / k).read_bytes()
        r = s3.get_object(Bucket=BUCKET, Key=k)
        assert r["Body"].read() == disk, f"GetObject {k}: bytes differ from {live.bucket_dir(BUCKET) / k}"
        assert r["ContentLength"] == len(disk), f"GetObject {k}: Content-Length {r['ContentLength']} != {len(disk)}"
        assert r["ETag"] == f'"{md5_hex(disk)}"', f"GetObject {k}: ETag {r['ETag']} != quoted MD5 of the bytes"


def test_put_object_stores_exactly_those_bytes_on_disk(live, s3, key):
    r = s3.put_object(Bucket=BUCKET, Key=key, Body=BINARY)
    assert r["ETag"] == f'"{md5_hex(BINARY)}"', f"PutObject ETag {r['ETag']} != quoted MD5 of the body"
    path = live.bucket_dir(BUCKET) / key
    assert path.is_file(), f"after PutObject {key} there is no file at {path}"
    assert path.read_bytes() == BINARY, f"{path} does not hold exactly the bytes that were put"
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == BINARY


def test_keys_with_spaces_and_unicode_land_under_the_same_path(live, s3):
    key = f"objects/日本語 dir/ça va + more {uuid.uuid4()}.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"unicode key")
    assert (live.bucket_dir(BUCKET) / key).read_bytes() == b"unicode key", f"no file for {key!r}"
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"unicode key"


def test_empty_object_round_trips(live, s3, key):
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"")
    assert s3.head_object(Bucket=BUCKET, Key=key)["ContentLength"] == 0
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b""
    assert (live.bucket_dir(BUCKET) / key).read_bytes() == b""


def test_head_object_reports_etag_length_last_modified_and_metadata(s3, key):
    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    meta = {"case-ref": "abc-123", "owner": "legal team"}
    s3.put_object(Bucket=BUCKET, Key=key, Body=BINARY, Metadata=meta, ContentType="application/octet-stream")
    after = datetime.now(timezone.utc) + timedelta(seconds=2)
    h = s3.head_object(Bucket=BUCKET, Key=key)
    assert h["ETag"] == f'"{md5_hex(BINARY)}"', f"HeadObject ETag {h['ETag']}"
    assert h["ContentLength"] == len(BINARY)
    assert before <= h["LastModified"] <= after, f"LastModified {h['LastModified']} is not the time of the PutObject"
    assert h["Metadata"] == meta, f"user metadata did not round-trip: sent {meta}, HeadObject says {h['Metadata']}"
    assert h.get("ContentType") == "application/octet-stream", f"ContentType {h.get('ContentType')!r}"
    g = s3.get_object(Bucket=BUCKET, Key=key)
    assert g["Metadata"] == meta, f"GetObject metadata {g['Metadata']}"


def test_put_again_replaces_an_object_without_hold(live, s3, key, stored):
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"second version")
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"second version"
    assert (live.bucket_dir(BUCKET) / key).read_bytes() == b"second version"
    assert s3.head_object(Bucket=BUCKET, Key=key)["ETag"] == f'"{md5_hex(b"second version")}"'


def test_range_of_the_first_ten_bytes_is_206_with_content_range(s3, key, stored):
    r = s3.get_object(Bucket=BUCKET, Key=key, Range="bytes=0-9")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 206, f"ranged GET: {r['ResponseMetadata']['HTTPStatusCode']}"
    assert r["Body"].read() == stored[:10]
    assert r["ContentLength"] == 10
    assert r.get("ContentRange") == f"bytes 0-9/{len(stored)}", f"Content-Range {r.get('ContentRange')!r}"


@pytest.mark.parametrize("header, start, end", [("bytes=10-", 10, None), ("bytes=-10", -10, None),
                                                ("bytes=5-100000", 5, None)])
def test_open_suffix_and_overlong_ranges(s3, key, stored, header, start, end):
    r = s3.get_object(Bucket=BUCKET, Key=key, Range=header)
    want = stored[start:end]
    first = len(stored) + start if start < 0 else start
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 206, f"Range {header}: HTTP {r['ResponseMetadata']['HTTPStatusCode']}"
    assert r["Body"].read() == want, f"Range {header}: wrong bytes"
    assert r.get("ContentRange") == f"bytes {first}-{len(stored) - 1}/{len(stored)}", \
        f"Range {header}: Content-Range {r.get('ContentRange')!r}"


def test_unsatisfiable_range_is_416_invalid_range(s3, key, stored):
    e = s3_error(s3.get_object, Bucket=BUCKET, Key=key, Range=f"bytes={len(stored)}-{len(stored) + 10}")
    assert_s3_error(e, 416, "InvalidRange")


def test_delete_object_removes_the_file(live, s3, key, stored):
    path = live.bucket_dir(BUCKET) / key
    assert path.is_file()
    r = s3.delete_object(Bucket=BUCKET, Key=key)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204, f"DeleteObject: {r['ResponseMetadata']['HTTPStatusCode']}"
    assert not path.exists(), f"DeleteObject left {path} on disk"
    assert_s3_error(s3_error(s3.get_object, Bucket=BUCKET, Key=key), 404, "NoSuchKey")
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=key).get("Contents", [])
    assert not listed, f"a deleted key is still listed: {listed}"


def test_deleting_a_missing_key_is_204(s3):
    r = s3.delete_object(Bucket=BUCKET, Key=f"objects/never-{uuid.uuid4()}")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_missing_key_and_missing_bucket_errors(s3):
    missing = f"objects/never-{uuid.uuid4()}"
    assert_s3_error(s3_error(s3.get_object, Bucket=BUCKET, Key=missing), 404, "NoSuchKey")
    e = s3_error(s3.head_object, Bucket=BUCKET, Key=missing)
    assert status_of(e) == 404, f"HeadObject of a missing key: {status_of(e)} {code_of(e)}"
    for call, kwargs in ((s3.get_object, {}), (s3.put_object, {"Body": b"x"})):
        e = s3_error(call, Bucket="no-such-bucket-here", Key="k.txt", **kwargs)
        assert_s3_error(e, 404, "NoSuchBucket")


def test_put_into_a_bucket_whose_policy_denies_it_is_access_denied(live, s3):
    assert_s3_error(s3_error(s3.put_object, Bucket="denied-bucket", Key="x.txt", Body=b"x"), 403, "AccessDenied")
    assert not (live.bucket_dir("denied-bucket") / "x.txt").exists(), "a denied PutObject still wrote the file"


def test_wrong_secret_key_is_signature_does_not_match(live, key, stored):
    bad = s3_client(live.s3, secret_key="not-the-secret")
    assert_s3_error(s3_error(bad.get_object, Bucket=BUCKET, Key=key), 403, "SignatureDoesNotMatch")
    assert_s3_error(s3_error(bad.list_buckets), 403, "SignatureDoesNotMatch")


def test_unknown_access_key_is_invalid_access_key_id(live, key, stored):
    bad = s3_client(live.s3, access_key="AKIA-NOT-CONFIGURED")
    assert_s3_error(s3_error(bad.get_object, Bucket=BUCKET, Key=key), 403, "InvalidAccessKeyId")


def test_wrong_signature_cannot_write(live, key):
    bad = s3_client(live.s3, secret_key="not-the-secret")
    assert_s3_error(s3_error(bad.put_object, Bucket=BUCKET, Key=key, Body=b"forged"), 403, "SignatureDoesNotMatch")
    assert not (live.bucket_dir(BUCKET) / key).exists(), "a PutObject with a bad signature wrote the file"


@pytest.mark.parametrize("path", ["/", "/recordings-us", "/recordings-us/objects/anything.txt"])
def test_unsigned_request_is_403_access_denied_in_xml(live, path):
    r = requests.get(f"{live.s3}{path}", timeout=10)
    assert r.status_code == 403, f"unsigned GET {path}: {r.status_code} {r.text[:300]}"
    code, message = s3_error_xml(r.content)
    assert code == "AccessDenied", f"unsigned GET {path}: body is not S3's <Error><Code>AccessDenied: {r.text[:300]!r}"
    assert message, f"unsigned GET {path}: <Error> without <Message>"


def test_expect_100_continue_is_answered_before_the_body(live):
    """boto3 and the AWS CLI send `Expect: 100-continue` on every PutObject and wait up to a second for it."""
    import socket
    from urllib.parse import urlparse

    url = urlparse(live.s3)
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(f"PUT /{BUCKET}/expect/x.txt HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Length: 2\r\n"
                     "Expect: 100-continue\r\n\r\n".encode())
        sock.settimeout(0.5)
        interim = sock.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n"), f"no 100 Continue before the body: {interim!r}"
        sock.settimeout(5)
        sock.sendall(b"{}")
        final = b""
        while b"</Error>" not in final:
            chunk = sock.recv(4096)
            if not chunk:
                break
            final += chunk
    assert b" 403 " in final.split(b"\r\n", 1)[0] and b"<Code>AccessDenied</Code>" in final, final[:300]


def test_a_boto3_put_object_takes_milliseconds_not_a_second(s3):
    import time

    started = time.monotonic()
    for i in range(10):
        s3.put_object(Bucket=BUCKET, Key=f"speed/{i}.json", Body=b"{}")
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"10 PutObject calls took {elapsed:.1f} s: is `Expect: 100-continue` answered?"
