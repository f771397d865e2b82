"""CopyObject with boto3 and `aws s3 cp s3://… s3://…`: within and across buckets, COPY and REPLACE metadata,
and a copy onto a held key refused."""

from __future__ import annotations

import uuid

import pytest

from s3client import AwsCli, assert_s3_error, s3_error
from sink_checks import md5_hex

BUCKET = "recordings-us"
HELD_BUCKET = "legal-discovery-eu"
BODY = bytes(range(256)) * 40 + "ünïcode\n".encode()


@pytest.fixture
def source(s3) -> str:
    key = f"copy-src/{uuid.uuid4()} ü.bin"
    s3.put_object(Bucket=BUCKET, Key=key, Body=BODY, ContentType="application/x-test", Metadata={"origin": "source"})
    return key


def test_copy_within_a_bucket_keeps_bytes_and_metadata(live, s3, source):
    dest = f"copy-dst/{uuid.uuid4()}.bin"
    r = s3.copy_object(Bucket=BUCKET, Key=dest, CopySource={"Bucket": BUCKET, "Key": source})
    assert r["CopyObjectResult"]["ETag"] == f'"{md5_hex(BODY)}"', r["CopyObjectResult"]
    assert (live.bucket_dir(BUCKET) / dest).read_bytes() == BODY
    h = s3.head_object(Bucket=BUCKET, Key=dest)
    assert h["Metadata"] == {"origin": "source"} and h["ContentType"] == "application/x-test", h
    assert (live.bucket_dir(BUCKET) / source).read_bytes() == BODY, "the source changed"


def test_copy_across_buckets_with_replaced_metadata(live, s3, source):
    dest = f"copied/{uuid.uuid4()}.bin"
    s3.copy_object(Bucket=HELD_BUCKET, Key=dest, CopySource={"Bucket": BUCKET, "Key": source},
                   MetadataDirective="REPLACE", Metadata={"fresh": "yes"}, ContentType="text/plain")
    assert (live.bucket_dir(HELD_BUCKET) / dest).read_bytes() == BODY
    h = s3.head_object(Bucket=HELD_BUCKET, Key=dest)
    assert h["Metadata"] == {"fresh": "yes"} and h["ContentType"] == "text/plain", h


def test_aws_s3_cp_between_buckets(live, s3, source, tmp_path_factory):
    aws = AwsCli(live.s3, tmp_path_factory.mktemp("aws-home"))
    dest = f"cli-copy/{uuid.uuid4()}.bin"
    aws.ok("s3", "cp", f"s3://{BUCKET}/{source}", f"s3://{HELD_BUCKET}/{dest}")
    assert (live.bucket_dir(HELD_BUCKET) / dest).read_bytes() == BODY


def test_copy_errors_change_nothing(live, s3, source):
    held = f"held/{uuid.uuid4()}.txt"
    s3.put_object(Bucket=HELD_BUCKET, Key=held, Body=b"evidence", ObjectLockLegalHoldStatus="ON")
    e = s3_error(s3.copy_object, Bucket=HELD_BUCKET, Key=held, CopySource={"Bucket": BUCKET, "Key": source})
    assert_s3_error(e, 403, "AccessDenied")
    assert (live.bucket_dir(HELD_BUCKET) / held).read_bytes() == b"evidence"
    missing = s3_error(s3.copy_object, Bucket=BUCKET, Key="x/y.bin", CopySource={"Bucket": BUCKET, "Key": "no/such/key"})
    assert_s3_error(missing, 404, "NoSuchKey")
    assert_s3_error(s3_error(s3.copy_object, Bucket=BUCKET, Key="x/y.bin",
                             CopySource={"Bucket": "no-such-bucket-x", "Key": "k"}), 404, "NoSuchBucket")
    assert_s3_error(s3_error(s3.copy_object, Bucket=BUCKET, Key=source, CopySource={"Bucket": BUCKET, "Key": source}),
                    400, "InvalidRequest")
    assert_s3_error(s3_error(s3.copy_object, Bucket="denied-bucket", Key="x.bin",
                             CopySource={"Bucket": BUCKET, "Key": source}), 403, "AccessDenied")
    assert not (live.bucket_dir(BUCKET) / "x").exists() and not (live.bucket_dir("denied-bucket") / "x.bin").exists()
