"""The XML bodies Debian's s3cmd sends, read by the server's XML parser: CreateBucketConfiguration (mb with a
location), CompleteMultipartUpload with unquoted ETags and no namespace (a multipart put), and DeleteObjects
(del --recursive). Each is checked by what a user sees: the bucket's region, the bytes back, the files gone."""

from __future__ import annotations

import hashlib
import os
import uuid

import pytest

from test_s3_subresource_tools import S3cmd


@pytest.fixture(scope="module")
def s3cmd(live, tmp_path_factory):
    tool = S3cmd(live.s3, tmp_path_factory.mktemp("s3cmd-home"))
    tool.config.write_text(tool.config.read_text().replace("bucket_location = us-east-1", "bucket_location = eu-west-2"))
    return tool


def test_s3cmd_mb_multipart_put_and_recursive_delete(live, s3, s3cmd, tmp_path):
    bucket = f"s3cmd-{uuid.uuid4().hex[:12]}"
    s3cmd.ok("mb", f"s3://{bucket}")
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == "eu-west-2"

    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(12 * 1024 * 1024 + 17))
    s3cmd.ok("put", "--multipart-chunk-size-mb=5", str(big), f"s3://{bucket}/d/big.bin")
    head = s3.head_object(Bucket=bucket, Key="d/big.bin")
    assert head["ETag"].strip('"').endswith("-3"), f"not a 3-part multipart ETag: {head['ETag']}"
    on_disk = (live.bucket_dir(bucket) / "d" / "big.bin").read_bytes()
    assert hashlib.sha256(on_disk).digest() == hashlib.sha256(big.read_bytes()).digest()

    small = tmp_path / "small.txt"
    small.write_bytes(b"small")
    for name in ("a & b.txt", "c.txt"):
        s3cmd.ok("put", str(small), f"s3://{bucket}/d/{name}")
    out = s3cmd.ok("del", "--recursive", f"s3://{bucket}/d/")
    assert out.count("delete:") == 3, out
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
    folder = live.bucket_dir(bucket) / "d"
    assert not folder.exists() or not any(folder.iterdir()), f"files left: {list(folder.iterdir())}"
    s3cmd.ok("rb", f"s3://{bucket}")
