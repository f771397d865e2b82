"""Multipart upload as everyday tools drive it: `aws s3 cp` and `aws s3 sync` of big files, boto3's transfer
manager with parallel parts, the low-level calls and their S3 errors, and a crash in the middle of Complete."""

from __future__ import annotations

import base64
import hashlib
import os
import threading
import time
import uuid

from boto3.s3.transfer import TransferConfig

from s3client import assert_s3_error, s3_client, s3_error
from sink_checks import files_under

BUCKET = "recordings-us"
HELD_BUCKET = "legal-discovery-eu"
MIB = 1 << 20


def random_file(path, size: int) -> bytes:
    data = os.urandom(size)
    path.write_bytes(data)
    return data


def multipart_etag(data: bytes, part: int) -> str:
    digests = [hashlib.md5(data[i:i + part]).digest() for i in range(0, len(data), part)]
    return f'"{hashlib.md5(b"".join(digests)).hexdigest()}-{len(digests)}"'


def parts_dir(live):
    return live.data_dir / "multipart"


def test_aws_s3_cp_of_40_mib_up_and_down_byte_for_byte(live, aws, s3, tmp_path):
    src = tmp_path / "big.bin"
    data = random_file(src, 40 * MIB)
    key = f"big/{uuid.uuid4()}.bin"
    aws.ok("s3", "cp", str(src), f"s3://{BUCKET}/{key}")
    assert (live.bucket_dir(BUCKET) / key).read_bytes() == data, "the object on disk differs from the uploaded file"
    head = s3.head_object(Bucket=BUCKET, Key=key)
    assert head["ContentLength"] == len(data)
    assert head["ETag"] == multipart_etag(data, 8 * MIB), f"ETag {head['ETag']}: the AWS CLI uploads 8 MiB parts"
    back = tmp_path / "back.bin"
    aws.ok("s3", "cp", f"s3://{BUCKET}/{key}", str(back))
    assert back.read_bytes() == data, "`aws s3 cp` down gave other bytes"
    assert not s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads"), "the finished upload is still listed"
    assert not files_under(parts_dir(live)), "parts left on disk after Complete"


def test_boto3_transfer_manager_with_parallel_parts(live, s3, tmp_path):
    src = tmp_path / "tm.bin"
    data = random_file(src, 26 * MIB + 12345)
    key = f"tm/{uuid.uuid4()}.bin"
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=6, use_threads=True)
    s3.upload_file(str(src), BUCKET, key, Config=config, ExtraArgs={"Metadata": {"origin": "tm"}})
    assert (live.bucket_dir(BUCKET) / key).read_bytes() == data
    head = s3.head_object(Bucket=BUCKET, Key=key)
    assert head["ETag"] == multipart_etag(data, 5 * MIB) and head["Metadata"] == {"origin": "tm"}, head
    out = tmp_path / "tm-back.bin"
    s3.download_file(BUCKET, key, str(out), Config=config)
    assert out.read_bytes() == data, "download_file (parallel ranged GETs) gave other bytes"


def test_aws_s3_sync_up_with_a_big_file(live, aws, tmp_path):
    folder = tmp_path / "tree"
    (folder / "sub").mkdir(parents=True)
    files = {"big.bin": random_file(folder / "big.bin", 9 * MIB), "a.txt": b"small a", "sub/b.txt": b"small b"}
    (folder / "a.txt").write_bytes(files["a.txt"])
    (folder / "sub" / "b.txt").write_bytes(files["sub/b.txt"])
    prefix = f"synced-{uuid.uuid4()}"
    aws.ok("s3", "sync", str(folder), f"s3://{BUCKET}/{prefix}")
    root = live.bucket_dir(BUCKET) / prefix
    assert files_under(root) == set(files), f"sync up: {files_under(root)}"
    for rel, data in files.items():
        assert (root / rel).read_bytes() == data, f"{rel} differs after sync"


def test_low_level_calls_their_errors_and_abort(live, tmp_path):
    plain = s3_client(live.s3, checksums="when_required")  # plain bodies; the default client streams aws-chunked
    chunked = s3_client(live.s3)
    key = f"low/{uuid.uuid4()}.bin"
    up = plain.create_multipart_upload(Bucket=BUCKET, Key=key, ContentType="application/x-test")["UploadId"]
    one, two = os.urandom(5 * MIB), os.urandom(1000)
    md5 = base64.b64encode(hashlib.md5(one).digest()).decode()
    e1 = plain.upload_part(Bucket=BUCKET, Key=key, UploadId=up, PartNumber=1, Body=one, ContentMD5=md5)["ETag"]
    e2 = chunked.upload_part(Bucket=BUCKET, Key=key, UploadId=up, PartNumber=2, Body=two)["ETag"]
    assert e2 == f'"{hashlib.md5(two).hexdigest()}"', "an aws-chunked part must be stored decoded"
    wrong_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    assert_s3_error(s3_error(plain.upload_part, Bucket=BUCKET, Key=key, UploadId=up, PartNumber=3, Body=b"x",
                             ContentMD5=wrong_md5), 400, "BadDigest")
    assert_s3_error(s3_error(plain.upload_part, Bucket=BUCKET, Key=key, UploadId=up, PartNumber=10001, Body=b"x"),
                    400, "InvalidArgument")
    parts = plain.list_parts(Bucket=BUCKET, Key=key, UploadId=up)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in parts] == [(1, e1, len(one)), (2, e2, len(two))]
    listed = plain.list_multipart_uploads(Bucket=BUCKET, Prefix="low/")["Uploads"]
    assert (key, up) in {(u["Key"], u["UploadId"]) for u in listed}

    def complete(parts):
        return s3_error(plain.complete_multipart_upload, Bucket=BUCKET, Key=key, UploadId=up,
                        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": t} for n, t in parts]})
    assert_s3_error(complete([(2, e2), (1, e1)]), 400, "InvalidPartOrder")
    assert_s3_error(complete([(1, e1), (2, '"00000000000000000000000000000000"')]), 400, "InvalidPart")
    assert_s3_error(complete([(1, e1), (7, e2)]), 400, "InvalidPart")
    assert not (live.bucket_dir(BUCKET) / key).exists(), "a refused Complete wrote the object"

    small = plain.create_multipart_upload(Bucket=BUCKET, Key=key + ".small")["UploadId"]
    s1 = plain.upload_part(Bucket=BUCKET, Key=key + ".small", UploadId=small, PartNumber=1, Body=b"tiny")["ETag"]
    s2 = plain.upload_part(Bucket=BUCKET, Key=key + ".small", UploadId=small, PartNumber=2, Body=b"tiny")["ETag"]
    assert_s3_error(s3_error(plain.complete_multipart_upload, Bucket=BUCKET, Key=key + ".small", UploadId=small,
                             MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": s1}, {"PartNumber": 2, "ETag": s2}]}),
                    400, "EntityTooSmall")

    assert (parts_dir(live) / up).is_dir()
    assert plain.abort_multipart_upload(Bucket=BUCKET, Key=key, UploadId=up)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert not (parts_dir(live) / up).exists(), "Abort left the parts on disk"
    assert_s3_error(s3_error(plain.list_parts, Bucket=BUCKET, Key=key, UploadId=up), 404, "NoSuchUpload")
    assert_s3_error(s3_error(plain.upload_part, Bucket=BUCKET, Key=key, UploadId=up, PartNumber=1, Body=b"x"), 404, "NoSuchUpload")
    assert_s3_error(complete([(1, e1)]), 404, "NoSuchUpload")
    assert_s3_error(s3_error(plain.abort_multipart_upload, Bucket=BUCKET, Key=key, UploadId=up), 404, "NoSuchUpload")
    assert_s3_error(s3_error(plain.list_parts, Bucket=BUCKET, Key=key, UploadId="../../etc"), 404, "NoSuchUpload")
    plain.abort_multipart_upload(Bucket=BUCKET, Key=key + ".small", UploadId=small)


def test_a_hold_given_at_create_is_applied_and_complete_onto_a_held_key_is_denied(live, s3):
    key = f"held-mp/{uuid.uuid4()}.bin"
    up = s3.create_multipart_upload(Bucket=HELD_BUCKET, Key=key, ObjectLockLegalHoldStatus="ON")["UploadId"]
    etag = s3.upload_part(Bucket=HELD_BUCKET, Key=key, UploadId=up, PartNumber=1, Body=b"evidence")["ETag"]
    s3.complete_multipart_upload(Bucket=HELD_BUCKET, Key=key, UploadId=up,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert s3.get_object_legal_hold(Bucket=HELD_BUCKET, Key=key)["LegalHold"]["Status"] == "ON"
    again = s3.create_multipart_upload(Bucket=HELD_BUCKET, Key=key)["UploadId"]
    etag = s3.upload_part(Bucket=HELD_BUCKET, Key=key, UploadId=again, PartNumber=1, Body=b"overwrite")["ETag"]
    e = s3_error(s3.complete_multipart_upload, Bucket=HELD_BUCKET, Key=key, UploadId=again,
                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert_s3_error(e, 403, "AccessDenied")
    assert (live.bucket_dir(HELD_BUCKET) / key).read_bytes() == b"evidence"
    assert_s3_error(s3_error(s3.create_multipart_upload, Bucket="denied-bucket", Key="x.bin"), 403, "AccessDenied")


def test_a_crash_during_complete_leaves_no_partial_object(servers, tmp_path):
    first = servers.start(export_rate=0)
    s3 = s3_client(first.s3)
    key = f"crash/{uuid.uuid4()}.bin"
    part = 5 * MIB
    data = os.urandom(6 * part)
    up = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
    parts = [{"PartNumber": i + 1, "ETag": s3.upload_part(Bucket=BUCKET, Key=key, UploadId=up, PartNumber=i + 1,
                                                          Body=data[i * part:(i + 1) * part])["ETag"]}
             for i in range(6)]
    tmp = first.data_dir / "tmp"
    seen: list[int] = []

    def call_complete():
        try:
            s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=up, MultipartUpload={"Parts": parts})
        except Exception:  # the server dies under it
            pass
    caller = threading.Thread(target=call_complete, daemon=True)
    caller.start()
    deadline = time.monotonic() + 10
    while not seen and time.monotonic() < deadline:
        for f in tmp.glob("*-assemble"):
            try:
                size = f.stat().st_size
            except FileNotFoundError:
                continue
            if 0 < size < len(data):
                seen.append(size)
        if not seen:
            time.sleep(0.0005)
    first.kill()
    caller.join(timeout=10)
    assert seen, "never saw Complete assembling (no growing temporary file): cannot test the crash"

    second = servers.start(first.data_dir)
    s3 = s3_client(second.s3)
    on_disk = second.bucket_dir(BUCKET) / key
    print(f"killed while the temporary file held {seen[0]} of {len(data)} bytes; object present after restart: {on_disk.exists()}")
    if on_disk.exists():  # the kill landed after the rename: then it is the whole object, never a part of it
        assert on_disk.read_bytes() == data, "a partial object is under the key after a crash in Complete"
    else:
        assert_s3_error(s3_error(s3.head_object, Bucket=BUCKET, Key=key), 404)
        assert not files_under(second.bucket_dir(BUCKET) / "crash"), "stray files in the bucket folder"
        listed = s3.list_parts(Bucket=BUCKET, Key=key, UploadId=up)["Parts"]
        assert [p["PartNumber"] for p in listed] == list(range(1, 7)), "the parts must survive a crash in Complete"
        s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=up, MultipartUpload={"Parts": parts})
        assert on_disk.read_bytes() == data
    assert not list((second.data_dir / "tmp").iterdir()), "temporary files survived the restart"


def test_parts_survive_a_restart_orphans_do_not_and_reset_clears_uploads(servers):
    first = servers.start(export_rate=0)
    s3 = s3_client(first.s3)
    key = f"restart/{uuid.uuid4()}.bin"
    up = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
    etag = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=up, PartNumber=1, Body=b"kept")["ETag"]
    first.stop(expect_clean_exit=True)
    orphan = first.data_dir / "multipart" / "an-upload-the-database-never-knew"
    orphan.mkdir(parents=True)
    (orphan / "1").write_bytes(b"stray")

    second = servers.start(first.data_dir)
    s3 = s3_client(second.s3)
    assert not orphan.exists(), "parts of an upload the database does not know survived the start"
    assert [p["ETag"] for p in s3.list_parts(Bucket=BUCKET, Key=key, UploadId=up)["Parts"]] == [etag]
    r = second.post("/__admin/reset")
    assert r.status_code == 200, r.text
    assert not s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads"), "reset left an upload"
    assert not files_under(second.data_dir / "multipart"), "reset left parts on disk"
    assert_s3_error(s3_error(s3.list_parts, Bucket=BUCKET, Key=key, UploadId=up), 404, "NoSuchUpload")


def peak_rss_mib(server) -> float:
    status = open(f"/proc/{server.proc.pid}/status").read()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024


def test_parallel_downloads_of_a_big_object_do_not_hold_it_in_memory(servers, tmp_path):
    """boto3's download_file fetches ranges in parallel; ten clients may fetch the same big object at once."""
    server = servers.start(export_rate=0)
    s3 = s3_client(server.s3, pool=8)
    key = f"big/{uuid.uuid4()}.bin"
    data = os.urandom(40 * MIB)
    up = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
    parts = []
    for i in range(8):
        etag = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=up, PartNumber=i + 1,
                              Body=data[i * 5 * MIB:(i + 1) * 5 * MIB])["ETag"]
        parts.append({"PartNumber": i + 1, "ETag": etag})
    s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=up, MultipartUpload={"Parts": parts})
    before = peak_rss_mib(server)
    results: list[bool] = []

    def fetch():
        results.append(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == data)
    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == [True] * 8, f"parallel GetObject results: {results}"
    grew = peak_rss_mib(server) - before
    print(f"peak memory grew by {grew:.0f} MiB during 8 parallel 40 MiB downloads")
    assert grew < 120, f"8 parallel downloads of a 40 MiB object grew the server's peak memory by {grew:.0f} MiB"
    out = tmp_path / "ranged.bin"
    s3.download_file(BUCKET, key, str(out), Config=TransferConfig(multipart_chunksize=4 * MIB, max_concurrency=8))
    assert out.read_bytes() == data
