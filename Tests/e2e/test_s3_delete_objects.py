"""DeleteObjects with boto3: the batch-delete teardown idiom, quiet mode, and held keys refused one by one."""

from __future__ import annotations

import uuid

import requests

from s3client import s3_resource
from sink_checks import files_under

BUCKET = "recordings-us"
HELD_BUCKET = "legal-discovery-eu"


def put_many(s3, bucket: str, prefix: str, n: int) -> list[str]:
    keys = [f"{prefix}{i:03d}/obj.txt" for i in range(n)]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    return keys


def listed(s3, bucket: str, prefix: str) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])}


def test_boto3_batch_delete_of_a_prefix_removes_every_object_and_file(live, s3):
    prefix = f"teardown-{uuid.uuid4()}/"
    put_many(s3, BUCKET, prefix, 25)
    s3.put_object(Bucket=BUCKET, Key=f"keep-{prefix}x.txt", Body=b"not under the prefix")
    answers = s3_resource(live.s3).Bucket(BUCKET).objects.filter(Prefix=prefix).delete()
    deleted = [d["Key"] for a in answers for d in a.get("Deleted", [])]
    errors = [e for a in answers for e in a.get("Errors", [])]
    assert len(deleted) == 25 and not errors, f"batch delete: {len(deleted)} deleted, errors {errors[:3]}"
    assert listed(s3, BUCKET, prefix) == set(), "keys still listed after the batch delete"
    assert not files_under(live.bucket_dir(BUCKET) / prefix), "files left on disk under the prefix"
    assert (live.bucket_dir(BUCKET) / f"keep-{prefix}x.txt").is_file(), "a key outside the prefix was deleted"


def test_quiet_mode_reports_only_errors_and_missing_keys_count_as_deleted(live, s3):
    prefix = f"quiet-{uuid.uuid4()}/"
    keys = put_many(s3, BUCKET, prefix, 3)
    r = s3.delete_objects(Bucket=BUCKET, Delete={"Quiet": True, "Objects": [{"Key": k} for k in keys + [prefix + "never"]]})
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert not r.get("Deleted") and not r.get("Errors"), f"quiet DeleteObjects answered {r}"
    assert listed(s3, BUCKET, prefix) == set()
    loud = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": prefix + "never-either"}]})
    assert [d["Key"] for d in loud.get("Deleted", [])] == [prefix + "never-either"], f"{loud}"


def test_held_keys_are_access_denied_one_by_one_and_the_rest_deleted(live, s3):
    prefix = f"mixed-{uuid.uuid4()}/"
    free = put_many(s3, HELD_BUCKET, prefix + "free-", 3)
    held = [f"{prefix}held-{i}.txt" for i in range(2)]
    for k in held:
        s3.put_object(Bucket=HELD_BUCKET, Key=k, Body=b"evidence", ObjectLockLegalHoldStatus="ON")
    r = s3.delete_objects(Bucket=HELD_BUCKET, Delete={"Objects": [{"Key": k} for k in free + held]})
    errors = {e["Key"]: e["Code"] for e in r.get("Errors", [])}
    assert errors == {k: "AccessDenied" for k in held}, f"errors: {r.get('Errors')}"
    assert {d["Key"] for d in r.get("Deleted", [])} == set(free), f"deleted: {r.get('Deleted')}"
    assert listed(s3, HELD_BUCKET, prefix) == set(held), "held keys must stay, the others go"
    for k in held:
        assert (live.bucket_dir(HELD_BUCKET) / k).read_bytes() == b"evidence"


def test_malformed_body_and_bad_md5_change_nothing(live, s3):
    key = f"malformed-{uuid.uuid4()}.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"stay")
    from s3client import raw_request
    bad = raw_request(live.s3, "POST", f"/{BUCKET}?delete", body=b"<Delete><Object>no key</Object></Delete>")
    assert (bad.status, bad.code) == (400, "MalformedXML"), bad.describe()
    body = f"<Delete><Object><Key>{key}</Key></Object></Delete>".encode()
    wrong = raw_request(live.s3, "POST", f"/{BUCKET}?delete", body=body,
                        headers={"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="})
    assert (wrong.status, wrong.code) == (400, "BadDigest"), wrong.describe()
    hostile = raw_request(live.s3, "POST", f"/{BUCKET}?delete",
                          body=b"<Delete><Object><Key>../../genesys-mock.sqlite</Key></Object></Delete>")
    assert hostile.status == 200 and b"<Code>InvalidArgument</Code>" in hostile.body, hostile.describe()
    assert (live.data_dir / "genesys-mock.sqlite").is_file()
    assert (live.bucket_dir(BUCKET) / key).read_bytes() == b"stay"
    assert requests.get(f"{live.s3}/{BUCKET}?delete", timeout=5).status_code == 403


def test_nfc_and_nfd_spellings_are_deleted_as_two_keys(live, s3):
    prefix = f"nf-{uuid.uuid4()}/"
    nfc, nfd = prefix + "caf\u00e9", prefix + "cafe\u0301"
    for k in (nfc, nfd):
        s3.put_object(Bucket=BUCKET, Key=k, Body=k.encode())
    r = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": nfc}, {"Key": nfd}]})
    assert sorted(d["Key"] for d in r.get("Deleted", [])) == sorted([nfc, nfd]), f"{r.get('Deleted')}"
    assert listed(s3, BUCKET, prefix) == set(), "one spelling survived the batch delete"


def test_only_the_keys_of_delete_object_are_deleted(live, s3):
    """The body is read as XML: an `<Object><Key>` nested in an element S3 does not define names nothing."""
    from s3client import raw_request
    prefix = f"nested-{uuid.uuid4()}/"
    named, nested = f"{prefix}named.txt", f"{prefix}nested.txt"
    for k in (named, nested):
        s3.put_object(Bucket=BUCKET, Key=k, Body=b"x")
    body = (f'<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>{named}</Key></Object>'
            f"<Extra><Object><Key>{nested}</Key></Object><Quiet>true</Quiet></Extra></Delete>").encode()
    r = raw_request(live.s3, "POST", f"/{BUCKET}?delete", body=body)
    assert r.status == 200 and f"<Deleted><Key>{named}</Key></Deleted>".encode() in r.body, r.describe()
    assert nested.encode() not in r.body, r.describe()
    assert listed(s3, BUCKET, prefix) == {nested}
    assert (live.bucket_dir(BUCKET) / nested).read_bytes() == b"x"
