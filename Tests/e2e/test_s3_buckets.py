"""Buckets through S3: `aws s3 mb` / `rb`, boto3 create_bucket and its errors, object lock and versioning, and
the same buckets seen from /__admin/buckets and as export destinations."""

from __future__ import annotations

import uuid


from exports import assert_state, create_export, export_body, wait_until_ended
from s3client import assert_s3_error, s3_error


def fresh_name() -> str:
    return f"made-{uuid.uuid4().hex[:12]}"


def admin_buckets(live) -> dict[str, dict]:
    r = live.get("/__admin/buckets")
    assert r.status_code == 200, r.text
    return {b["name"]: b for b in r.json()["buckets"]}


def test_aws_s3_mb_makes_a_bucket_in_the_cli_region_that_admin_lists(live, aws, s3):
    name = fresh_name()
    aws.ok("s3", "mb", f"s3://{name}")
    assert admin_buckets(live)[name]["region"] == "eu-west-2", admin_buckets(live).get(name)
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-2"
    assert name in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    s3.put_object(Bucket=name, Key="k.txt", Body=b"in a new bucket")
    assert (live.bucket_dir(name) / "k.txt").read_bytes() == b"in a new bucket"


def test_aws_s3_rb_refuses_a_bucket_with_objects_then_removes_it_once_empty(live, aws, s3):
    name = fresh_name()
    aws.ok("s3", "mb", f"s3://{name}")
    s3.put_object(Bucket=name, Key="a/b/c.txt", Body=b"x")
    r = aws.run("s3", "rb", f"s3://{name}")
    assert r.returncode != 0 and "BucketNotEmpty" in r.stderr, f"rb of a non-empty bucket: {r.returncode} {r.stderr[-500:]}"
    assert (live.bucket_dir(name) / "a/b/c.txt").is_file()
    aws.ok("s3", "rm", f"s3://{name}", "--recursive")
    aws.ok("s3", "rb", f"s3://{name}")
    assert name not in admin_buckets(live)
    assert not live.bucket_dir(name).exists(), "the bucket's folder is still on disk"
    assert_s3_error(s3_error(s3.head_bucket, Bucket=name), 404)
    assert_s3_error(s3_error(s3.delete_bucket, Bucket=name), 404, "NoSuchBucket")


def test_create_bucket_errors(s3):
    assert_s3_error(s3_error(s3.create_bucket, Bucket="recordings-us"), 409, "BucketAlreadyOwnedByYou")
    assert_s3_error(s3_error(s3.create_bucket, Bucket="Bad_Bucket_Name"), 400, "InvalidBucketName")
    e = s3_error(s3.create_bucket, Bucket=fresh_name(), CreateBucketConfiguration={"LocationConstraint": "nowhere"})
    assert_s3_error(e, 400, "InvalidLocationConstraint")


def test_object_lock_and_versioning_as_s3_reports_them(live, s3):
    locked, plain = fresh_name(), fresh_name()
    s3.create_bucket(Bucket=locked, ObjectLockEnabledForBucket=True,
                     CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    s3.create_bucket(Bucket=plain)
    assert admin_buckets(live)[locked]["objectLockEnabled"] is True
    assert admin_buckets(live)[plain]["region"] == "us-east-1", "no LocationConstraint means us-east-1"
    got = s3.get_object_lock_configuration(Bucket=locked)["ObjectLockConfiguration"]
    assert got.get("ObjectLockEnabled") == "Enabled", got
    assert_s3_error(s3_error(s3.get_object_lock_configuration, Bucket=plain), 404, "ObjectLockConfigurationNotFoundError")
    assert s3.get_object_lock_configuration(Bucket="legal-discovery-eu")["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"
    for b in (locked, plain):
        assert "Status" not in s3.get_bucket_versioning(Bucket=b), "versioning is never enabled"


def test_an_admin_bucket_is_an_s3_bucket_and_an_s3_bucket_is_an_export_destination(live, s3):
    admin_made = fresh_name()
    r = live.post("/__admin/buckets", json={"name": admin_made, "region": "us-west-2"})
    assert r.status_code == 201, r.text
    s3.head_bucket(Bucket=admin_made)
    assert_s3_error(s3_error(s3.create_bucket, Bucket=admin_made), 409, "BucketAlreadyOwnedByYou")

    s3_made = fresh_name()
    s3.create_bucket(Bucket=s3_made, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    token = live.token()
    job = wait_until_ended(live, token, create_export(live, token, export_body(s3_made, "eu-west-2", prefix="x/"))["id"])
    assert_state(job, "FULFILLED")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=s3_made).get("Contents", [])]
    assert job["manifestKey"] in keys, f"the export's manifest is not in the new bucket: {keys[:5]}"
