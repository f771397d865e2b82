"""S3 sub-resources with boto3: ACLs, object tagging, and a strict reading of every other sub-resource (501, and
the object's bytes untouched). Before, PutObjectTagging/Acl replaced an object's bytes with their XML body."""

from __future__ import annotations

import pytest

from s3client import assert_s3_error, raw_request, s3_error, s3_error_xml
from subresources import LOCKED_BUCKET, PLAIN_BUCKET, assert_bytes, audit_seq, audit_since, new_object

OWNER = "genesys-mock"


def tag_set(s3, bucket, key) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


def test_put_object_tagging_on_an_unheld_object_keeps_its_bytes(live, s3):
    key, body = new_object(s3, PLAIN_BUCKET)
    s3.put_object_tagging(Bucket=PLAIN_BUCKET, Key=key, Tagging={"TagSet": [
        {"Key": "case", "Value": "LH-2023-001"}, {"Key": "note", "Value": "a & b <c>"}]})
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "PutObjectTagging")
    assert tag_set(s3, PLAIN_BUCKET, key) == {"case": "LH-2023-001", "note": "a & b <c>"}
    assert s3.get_object(Bucket=PLAIN_BUCKET, Key=key)["TagCount"] == 2
    assert s3.head_object(Bucket=PLAIN_BUCKET, Key=key)["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "2"

    r = s3.delete_object_tagging(Bucket=PLAIN_BUCKET, Key=key)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert tag_set(s3, PLAIN_BUCKET, key) == {}
    assert "TagCount" not in s3.get_object(Bucket=PLAIN_BUCKET, Key=key)
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "DeleteObjectTagging")


def test_s3s_tag_limits_are_invalid_tag_and_change_nothing(live, s3):
    key, body = new_object(s3, PLAIN_BUCKET, Tagging="keep=me")
    for tags in ([{"Key": f"k{i}", "Value": "v"} for i in range(11)],
                 [{"Key": "k" * 129, "Value": "v"}],
                 [{"Key": "k", "Value": "v" * 257}],
                 [{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}]):
        e = s3_error(s3.put_object_tagging, Bucket=PLAIN_BUCKET, Key=key, Tagging={"TagSet": tags})
        assert_s3_error(e, 400, "InvalidTag")
    ok = [{"Key": "k" * 128, "Value": "v" * 256}] + [{"Key": f"k{i}", "Value": ""} for i in range(9)]
    s3.put_object_tagging(Bucket=PLAIN_BUCKET, Key=key, Tagging={"TagSet": ok})
    assert len(tag_set(s3, PLAIN_BUCKET, key)) == 10
    bad = raw_request(live.s3, "PUT", f"/{PLAIN_BUCKET}/{key}?tagging", body=b"<Tagging><TagSet><Tag><Key>k</Key></TagSet>")
    assert (bad.status, bad.code) == (400, "MalformedXML"), bad.describe()
    assert len(tag_set(s3, PLAIN_BUCKET, key)) == 10, "a refused PutObjectTagging changed the tags"
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "refused PutObjectTagging calls")


def test_tags_set_at_put_copied_by_copy_and_replaced_on_request(live, s3):
    key, body = new_object(s3, PLAIN_BUCKET, Tagging="case=LH-2023-001&note=two%20words")
    assert tag_set(s3, PLAIN_BUCKET, key) == {"case": "LH-2023-001", "note": "two words"}
    copy = key + ".copy"
    s3.copy_object(Bucket=PLAIN_BUCKET, Key=copy, CopySource={"Bucket": PLAIN_BUCKET, "Key": key})
    assert tag_set(s3, PLAIN_BUCKET, copy) == {"case": "LH-2023-001", "note": "two words"}
    s3.copy_object(Bucket=PLAIN_BUCKET, Key=copy, CopySource={"Bucket": PLAIN_BUCKET, "Key": key},
                   TaggingDirective="REPLACE", Tagging="replaced=yes")
    assert tag_set(s3, PLAIN_BUCKET, copy) == {"replaced": "yes"}
    assert_bytes(live, s3, PLAIN_BUCKET, copy, body, "CopyObject")
    e = s3_error(s3.put_object, Bucket=PLAIN_BUCKET, Key=key, Body=b"x", Tagging="a=1&a=2")
    assert_s3_error(e, 400, "InvalidArgument")
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "a PutObject with a bad x-amz-tagging")


def test_multipart_upload_with_tagging_gives_the_object_its_tags(live, s3):
    key = "subresources/multipart-tagged.bin"
    up = s3.create_multipart_upload(Bucket=PLAIN_BUCKET, Key=key, Tagging="case=LH-9")["UploadId"]
    etag = s3.upload_part(Bucket=PLAIN_BUCKET, Key=key, UploadId=up, PartNumber=1, Body=b"parts")["ETag"]
    s3.complete_multipart_upload(Bucket=PLAIN_BUCKET, Key=key, UploadId=up,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert tag_set(s3, PLAIN_BUCKET, key) == {"case": "LH-9"}
    assert_bytes(live, s3, PLAIN_BUCKET, key, b"parts", "CompleteMultipartUpload")


def test_acls_name_the_owner_with_full_control(live, s3):
    key, body = new_object(s3, PLAIN_BUCKET)
    owner_listed = s3.list_buckets()["Owner"]
    for acl in (s3.get_object_acl(Bucket=PLAIN_BUCKET, Key=key), s3.get_bucket_acl(Bucket=PLAIN_BUCKET)):
        assert acl["Owner"] == owner_listed == {"ID": OWNER, "DisplayName": OWNER}, acl["Owner"]
        assert acl["Grants"] == [{"Grantee": {"ID": OWNER, "DisplayName": OWNER, "Type": "CanonicalUser"},
                                  "Permission": "FULL_CONTROL"}], acl["Grants"]
    s3.put_object_acl(Bucket=PLAIN_BUCKET, Key=key, ACL="private")
    s3.put_bucket_acl(Bucket=PLAIN_BUCKET, ACL="private")
    policy = s3.get_object_acl(Bucket=PLAIN_BUCKET, Key=key)
    s3.put_object_acl(Bucket=PLAIN_BUCKET, Key=key, AccessControlPolicy={"Owner": policy["Owner"], "Grants": policy["Grants"]})
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "PutObjectAcl private")

    assert_s3_error(s3_error(s3.put_object_acl, Bucket=PLAIN_BUCKET, Key=key, ACL="public-read"), 501, "NotImplemented")
    assert_s3_error(s3_error(s3.put_bucket_acl, Bucket=PLAIN_BUCKET, ACL="public-read-write"), 501, "NotImplemented")
    everyone = {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}
    e = s3_error(s3.put_object_acl, Bucket=PLAIN_BUCKET, Key=key,
                 AccessControlPolicy={"Owner": policy["Owner"], "Grants": policy["Grants"] + [everyone]})
    assert_s3_error(e, 501, "NotImplemented")
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, "refused PutObjectAcl calls")
    assert_s3_error(s3_error(s3.get_object_acl, Bucket=PLAIN_BUCKET, Key=key + ".missing"), 404, "NoSuchKey")


def test_tagging_a_held_object_is_allowed_and_audited(live, s3):
    key, body = new_object(s3, LOCKED_BUCKET, ObjectLockLegalHoldStatus="ON")
    since = audit_seq(live)
    s3.put_object_tagging(Bucket=LOCKED_BUCKET, Key=key, Tagging={"TagSet": [{"Key": "case", "Value": "LH-2023-001"}]})
    s3.delete_object_tagging(Bucket=LOCKED_BUCKET, Key=key)
    events = [(e, r) for e, r in audit_since(live, since) if r.get("key") == key]
    assert [e for e, _ in events] == ["object.tagging", "object.tagging"], events
    assert events[0][1]["tags"] == {"case": "LH-2023-001"} and events[0][1]["legalHold"] is True, events[0]
    assert events[1][1]["tags"] == {}, events[1]
    assert s3.get_object_legal_hold(Bucket=LOCKED_BUCKET, Key=key)["LegalHold"]["Status"] == "ON"
    assert_bytes(live, s3, LOCKED_BUCKET, key, body, "tagging a held object")


UNIMPLEMENTED = [
    ("GET", "torrent"), ("GET", "attributes"), ("PUT", "torrent"), ("POST", "restore"), ("POST", "select&select-type=2"),
    ("PUT", "acl&tagging"), ("DELETE", "legal-hold"), ("DELETE", "retention"), ("DELETE", "acl"), ("POST", "tagging"),
    ("HEAD", "tagging"), ("PUT", "renameObject"), ("GET", "versions"),
]


@pytest.mark.parametrize("method,query", UNIMPLEMENTED)
def test_an_unimplemented_object_sub_resource_is_501_and_changes_nothing(live, s3, method, query):
    key, body = new_object(s3, PLAIN_BUCKET)
    r = raw_request(live.s3, method, f"/{PLAIN_BUCKET}/{key}?{query}", body=b"<Anything>replaced?</Anything>" if method != "GET" else b"")
    assert r.status == 501, f"{method} ?{query}: {r.describe()}"
    if method != "HEAD":
        assert r.code == "NotImplemented" and s3_error_xml(r.body)[1], f"{method} ?{query} should answer S3's XML: {r.describe()}"
    assert_bytes(live, s3, PLAIN_BUCKET, key, body, f"{method} ?{query}")


@pytest.mark.parametrize("method,query", [
    ("GET", "tagging"), ("PUT", "tagging"), ("DELETE", "tagging"), ("GET", "cors"), ("PUT", "cors"), ("GET", "policy"),
    ("DELETE", "policy"), ("GET", "lifecycle"), ("GET", "website"), ("GET", "replication"), ("GET", "encryption"),
    ("GET", "requestPayment"), ("PUT", "versioning"), ("PUT", "object-lock"), ("GET", "notification"), ("GET", "logging"),
])
def test_an_unimplemented_bucket_sub_resource_is_501(live, s3, method, query):
    before = {o["Key"] for o in s3.list_objects_v2(Bucket=PLAIN_BUCKET).get("Contents", [])}
    r = raw_request(live.s3, method, f"/{PLAIN_BUCKET}?{query}", body=b"<X/>" if method == "PUT" else b"")
    assert (r.status, r.code) == (501, "NotImplemented"), f"{method} /{PLAIN_BUCKET}?{query}: {r.describe()}"
    assert s3.head_bucket(Bucket=PLAIN_BUCKET)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert {o["Key"] for o in s3.list_objects_v2(Bucket=PLAIN_BUCKET).get("Contents", [])} == before
