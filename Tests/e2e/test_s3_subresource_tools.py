"""S3 sub-resources through everyday tools: the AWS CLI (`aws s3api`) and Debian's s3cmd. Each call is followed by
a check that the object's bytes, through GetObject and on disk, are the ones first written."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from s3client import ACCESS_KEY, SECRET_KEY
from subresources import LOCKED_BUCKET, PLAIN_BUCKET, assert_bytes, iso, mock_later, new_object

S3CMD_TIMEOUT = 60.0


class S3cmd:
    """Debian's s3cmd with a config of its own: path-style requests to the mock, SigV4, no retries."""

    def __init__(self, endpoint: str, home: Path):
        binary = shutil.which("s3cmd")
        if binary is None:
            raise AssertionError("s3cmd is needed: apt-get install s3cmd (.ci/run does)")
        self.binary = binary
        host = urlsplit(endpoint).netloc
        self.config = Path(home) / "s3cfg"
        self.config.write_text(f"[default]\naccess_key = {ACCESS_KEY}\nsecret_key = {SECRET_KEY}\nhost_base = {host}\n"
                               f"host_bucket = {host}\nuse_https = False\nsignature_v2 = False\nbucket_location = us-east-1\n"
                               "max_retries = 1\nprogress_meter = False\n")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run([self.binary, "-c", str(self.config), *args], stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, encoding="utf-8", errors="replace", timeout=S3CMD_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"`s3cmd {' '.join(args)}` did not finish within {S3CMD_TIMEOUT:.0f} s") from None

    def ok(self, *args: str) -> str:
        r = self.run(*args)
        assert r.returncode == 0, f"`s3cmd {' '.join(args)}` exited {r.returncode}\nstdout: {r.stdout[-1500:]}\nstderr: {r.stderr[-1500:]}"
        return r.stdout


@pytest.fixture(scope="module")
def s3cmd(live, tmp_path_factory):
    return S3cmd(live.s3, tmp_path_factory.mktemp("s3cmd-home"))


def test_s3cmd_info_of_an_object_shows_its_owner_acl(live, s3, s3cmd):
    key, body = new_object(s3, PLAIN_BUCKET, Tagging="case=LH-2023-001")
    out = s3cmd.ok("info", f"s3://{PLAIN_BUCKET}/{key}")
    assert f"File size: {len(body)}" in out and "FULL_CONTROL" in out and "genesys-mock" in out, out
    bucket_info = s3cmd.ok("info", f"s3://{PLAIN_BUCKET}")
    assert "FULL_CONTROL" in bucket_info, bucket_info
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "`s3cmd info`")


def test_s3cmd_setacl_private_works_and_public_is_refused(live, s3, s3cmd):
    key, body = new_object(s3, PLAIN_BUCKET)
    s3cmd.ok("setacl", "--acl-private", f"s3://{PLAIN_BUCKET}/{key}")
    public = s3cmd.run("setacl", "--acl-public", f"s3://{PLAIN_BUCKET}/{key}")
    assert public.returncode != 0 and "NotImplemented" in public.stdout + public.stderr, (public.stdout, public.stderr)
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "`s3cmd setacl`")


def test_s3cmd_cp_puts_back_the_owner_acl_and_copies_the_tags(live, s3, s3cmd):
    key, body = new_object(s3, PLAIN_BUCKET, Tagging="case=LH-2023-001")
    s3cmd.ok("cp", f"s3://{PLAIN_BUCKET}/{key}", f"s3://{PLAIN_BUCKET}/{key}.s3cmd-copy")
    assert_bytes(live, s3, PLAIN_BUCKET, f"{key}.s3cmd-copy", body, "`s3cmd cp` (GetObjectAcl, CopyObject, PutObjectAcl)")
    tags = s3.get_object_tagging(Bucket=PLAIN_BUCKET, Key=f"{key}.s3cmd-copy")["TagSet"]
    assert tags == [{"Key": "case", "Value": "LH-2023-001"}], tags
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "`s3cmd cp` from it")


def test_aws_cli_object_tagging(live, s3, aws):
    key, body = new_object(s3, PLAIN_BUCKET)
    where = ["--bucket", PLAIN_BUCKET, "--key", key]
    aws.ok("s3api", "put-object-tagging", *where, "--tagging", json.dumps({"TagSet": [{"Key": "case", "Value": "LH-2023-001"}]}))
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "`aws s3api put-object-tagging`")
    got = json.loads(aws.ok("s3api", "get-object-tagging", *where))
    assert got["TagSet"] == [{"Key": "case", "Value": "LH-2023-001"}], got
    aws.ok("s3api", "delete-object-tagging", *where)
    assert json.loads(aws.ok("s3api", "get-object-tagging", *where))["TagSet"] == []
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "`aws s3api delete-object-tagging`")


def test_aws_cli_acls(live, s3, aws):
    key, body = new_object(s3, PLAIN_BUCKET)
    where = ["--bucket", PLAIN_BUCKET, "--key", key]
    acl = json.loads(aws.ok("s3api", "get-object-acl", *where))
    assert acl["Owner"]["ID"] == "genesys-mock" and [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"], acl
    assert json.loads(aws.ok("s3api", "get-bucket-acl", "--bucket", PLAIN_BUCKET))["Owner"]["ID"] == "genesys-mock"
    aws.ok("s3api", "put-object-acl", *where, "--acl", "private")
    refused = aws.run("s3api", "put-object-acl", *where, "--acl", "public-read")
    assert refused.returncode != 0 and "NotImplemented" in refused.stderr, refused.stderr
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "`aws s3api put-object-acl`")


def test_aws_cli_retention_and_its_bypass(live, s3, aws):
    key, body = new_object(s3, LOCKED_BUCKET)
    where = ["--bucket", LOCKED_BUCKET, "--key", key]
    until = iso(mock_later(live, days=1))
    aws.ok("s3api", "put-object-retention", *where, "--retention", json.dumps({"Mode": "GOVERNANCE", "RetainUntilDate": until}))
    got = json.loads(aws.ok("s3api", "get-object-retention", *where))["Retention"]
    assert got["Mode"] == "GOVERNANCE" and got["RetainUntilDate"].startswith(until[:19]), got
    refused = aws.run("s3api", "delete-object", *where)
    assert refused.returncode != 0 and "AccessDenied" in refused.stderr, refused.stderr
    assert_bytes(live, s3, LOCKED_BUCKET, key, body, "a refused `aws s3api delete-object`")
    aws.ok("s3api", "delete-object", *where, "--bypass-governance-retention")
    assert not (live.bucket_dir(LOCKED_BUCKET) / key).exists()


def test_aws_cli_unimplemented_sub_resources_answer_not_implemented(live, s3, aws):
    key, body = new_object(s3, PLAIN_BUCKET)
    for args in (["get-object-attributes", "--bucket", PLAIN_BUCKET, "--key", key, "--object-attributes", "ETag"],
                 ["get-object-torrent", "--bucket", PLAIN_BUCKET, "--key", key, "/dev/null"],
                 ["get-bucket-tagging", "--bucket", PLAIN_BUCKET], ["get-bucket-cors", "--bucket", PLAIN_BUCKET]):
        r = aws.run("s3api", *args)
        assert r.returncode != 0 and "NotImplemented" in r.stderr, (args, r.stderr)
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "unimplemented sub-resources")
