"""Every write the new S3 operations make is in the audit log, refusals included, in the order they happened."""

from __future__ import annotations

import json
import uuid

from s3client import assert_s3_error, s3_client, s3_error
from subresources import audit_seq as last_seq, audit_since as audit_events

HELD_BUCKET = "legal-discovery-eu"


def test_bucket_copy_batch_delete_and_multipart_writes_are_audited(servers):
    server = servers.start(export_rate=0)
    s3 = s3_client(server.s3)
    since = last_seq(server)
    bucket = f"audited-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"a")
    s3.copy_object(Bucket=bucket, Key="b.txt", CopySource={"Bucket": bucket, "Key": "a.txt"})
    held = f"held/{uuid.uuid4()}.txt"
    s3.put_object(Bucket=HELD_BUCKET, Key=held, Body=b"evidence", ObjectLockLegalHoldStatus="ON")
    s3.delete_objects(Bucket=HELD_BUCKET, Delete={"Objects": [{"Key": held}]})
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp.bin")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="mp.bin", UploadId=up, PartNumber=1, Body=b"part")["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key="mp.bin", UploadId=up,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    gone = s3.create_multipart_upload(Bucket=bucket, Key="gone.bin")["UploadId"]
    s3.abort_multipart_upload(Bucket=bucket, Key="gone.bin", UploadId=gone)
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in ("a.txt", "b.txt", "mp.bin")]})
    s3.delete_bucket(Bucket=bucket)
    assert_s3_error(s3_error(s3.delete_bucket, Bucket=bucket), 404, "NoSuchBucket")

    events = audit_events(server, since)
    names = [e for e, _ in events]
    assert names == [
        "s3.bucket.created", "s3.object.put", "s3.object.copied", "s3.object.put", "s3.object.delete.refused",
        "s3.multipart.created", "s3.object.put", "s3.multipart.created", "s3.multipart.aborted",
        "s3.object.deleted", "s3.object.deleted", "s3.object.deleted", "s3.bucket.deleted",
    ], names
    fields = [r.get("fields", r) for _, r in events]
    assert all("mock-access-key" in json.dumps(f) for f in fields), "every entry names the access key that acted"
    assert "a.txt" in json.dumps(fields[2]) and '"parts": 1' in json.dumps(fields[6]), (fields[2], fields[6])
