"""Hostile keys, bucket names and symlinks: nothing is written, read or deleted outside DATA/s3/{bucket}/."""

from __future__ import annotations

import os
import re
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from botocore.exceptions import ClientError

from s3client import RawResponse, assert_s3_error, botocore_path, code_of, raw_request, s3_error, status_of
from sink_checks import sha256_hex

BUCKET = "recordings-us"
OTHER = "legal-discovery-eu"
REFUSALS = {"InvalidArgument", "InvalidURI", "KeyTooLongError", "InvalidBucketName", "AccessDenied", "NoSuchBucket"}
SQLITE_FILE = re.compile(r"genesys-mock\.sqlite(-wal|-shm|-journal)?$")
SQLITE_MAGIC = b"SQLite format 3"
LONG_KEY = "/".join(["d" * 200] * 5) + "/" + "x" * 20                       # 1,025 bytes, short segments
LONG_UTF8_KEY = "/".join(["\u00e9" * 100] * 5) + "/" + "\u00e9" * 12         # 1,029 bytes but 517 characters
LIMIT_KEY = "/".join(["k" * 200] * 5) + "/" + "k" * 19                       # exactly 1,024 bytes


@pytest.fixture(scope="module")
def live(module_servers, tmp_path_factory):
    """A server whose DATA folder is alone in its parent, so that the parent can be watched too."""
    return module_servers.start(tmp_path_factory.mktemp("hostile") / "data", export_rate=0)


@pytest.fixture(scope="module")
def victim(s3) -> tuple[str, bytes]:
    """An object in the other bucket that hostile keys aim at."""
    body = b"victim " + uuid.uuid4().bytes
    s3.put_object(Bucket=OTHER, Key="victim/v.txt", Body=body)
    return "victim/v.txt", body


# -- watching the file system ---------------------------------------------------------------------

def outside_state(live, bucket: str) -> dict[str, str]:
    """Every entry under the parent of DATA, except DATA/s3/{bucket}/ and SQLite's files → its sha256."""
    root = live.data_dir.parent
    inside = live.bucket_dir(bucket)
    state: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        d = Path(dirpath)
        if d == inside or inside in d.parents:
            dirnames[:] = []
            continue
        for name in filenames + [n for n in dirnames if (d / n).is_symlink()]:
            p = d / name
            rel = p.relative_to(root).as_posix()
            if SQLITE_FILE.search(name):
                continue
            if p.is_symlink():
                state[rel] = "symlink -> " + os.readlink(p)
            elif d == root and name.endswith(".log"):
                state[rel] = "server log"  # grows, but only its name matters
            else:
                state[rel] = sha256_hex(p.read_bytes())
    return state


def canaries(live) -> list[Path]:
    return [Path("/abs.txt"), Path("/escape.txt"), Path("/tmp/escape.txt"), Path("/tmp/abs.txt"),
            live.data_dir.parent.parent / "escape.txt", live.data_dir.parent.parent / "abs.txt"]


@contextmanager
def nothing_escapes(live, bucket: str = BUCKET):
    before = outside_state(live, bucket)
    existing = {p for p in canaries(live) if os.path.lexists(p)}
    yield
    after = outside_state(live, bucket)
    new = sorted(set(after) - set(before))
    gone = sorted(set(before) - set(after))
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    assert not (new or gone or changed), (
        f"outside DATA/s3/{bucket}/ (under {live.data_dir.parent}): new {new[:5]}, removed {gone[:5]}, "
        f"changed {changed[:5]}")
    appeared = [str(p) for p in canaries(live) if os.path.lexists(p) and p not in existing]
    assert not appeared, f"files appeared outside the sink: {appeared}"
    assert live.running, f"the server died.\n{live.output_tail()}"


# -- checking refusals ------------------------------------------------------------------------------

def attempts(live, method: str, wire_path: str, body: bytes = b"") -> list[tuple[str, RawResponse]]:
    """Sends the exact wire path, signed over it and (when it differs) over botocore's form of the
    decoded path, so a refusal by the key check is seen whichever canonical URI the server uses."""
    path, sep, query = wire_path.partition("?")
    signed_over = list(dict.fromkeys([wire_path, botocore_path(path) + sep + query]))
    return [(c, raw_request(live.s3, method, wire_path, body=body, canonical_path=c)) for c in signed_over]


def short(path: str) -> str:
    return path if len(path) <= 100 else f"{path[:60]}…({len(path)} chars)"


def assert_refused(results: list[tuple[str, RawResponse]], wire_path: str, codes: set[str]) -> None:
    shown = "; ".join(f"signed over {short(c)!r}: {r.describe()}" for c, r in results)
    wire_path = short(wire_path)
    for _, r in results:
        assert not 200 <= r.status < 400, f"{wire_path!r} was accepted: {shown}"
        assert 400 <= r.status < 500 and r.code, f"{wire_path!r}: not a 4xx S3 <Error>: {shown}"
        assert r.code in codes | {"SignatureDoesNotMatch"}, f"{wire_path!r}: unexpected code: {shown}"
    assert any(r.code in codes for _, r in results), (
        f"{wire_path!r} was refused only by the signature check (the server's canonical URI matched neither "
        f"the wire path nor botocore's form), so the key check was never reached: {shown}")


PUT_PATHS = [
    pytest.param("/recordings-us/../escape.txt", REFUSALS, id="dotdot"),
    pytest.param("/recordings-us/%2e%2e/escape.txt", REFUSALS, id="dotdot-encoded"),
    pytest.param("/recordings-us/%2E%2E%2Fescape.txt", REFUSALS, id="dotdot-slash-encoded"),
    pytest.param("/recordings-us/a/../../escape.txt", REFUSALS, id="nested-dotdot"),
    pytest.param("/recordings-us/a/..%2F..%2Fescape.txt", REFUSALS, id="nested-dotdot-encoded-slash"),
    pytest.param("/recordings-us/../legal-discovery-eu/planted.txt", REFUSALS, id="into-other-bucket"),
    pytest.param("/recordings-us/%2e%2e/legal-discovery-eu/planted.txt", REFUSALS, id="into-other-bucket-encoded"),
    pytest.param("/recordings-us//abs.txt", REFUSALS, id="absolute"),
    pytest.param("/recordings-us/%2Fabs.txt", REFUSALS, id="absolute-encoded"),
    pytest.param("/recordings-us/nul%00.txt", REFUSALS, id="nul"),
    pytest.param("/recordings-us/nul%00/../../escape.txt", REFUSALS, id="nul-then-dotdot"),
    pytest.param("/recordings-us/" + LONG_KEY, {"KeyTooLongError"}, id="key-1025-bytes"),
    pytest.param("/recordings-us/" + quote(LONG_UTF8_KEY, safe="/"), {"KeyTooLongError"}, id="key-1029-utf8-bytes"),
    pytest.param("/../escape.txt", REFUSALS, id="bucket-dotdot"),
    pytest.param("/%2e%2e/escape.txt", REFUSALS, id="bucket-dotdot-encoded"),
    pytest.param("/BAD_bucket/escape.txt", REFUSALS, id="bucket-BAD_bucket"),
]


@pytest.mark.parametrize("wire_path, codes", PUT_PATHS)
def test_put_with_a_hostile_path_is_refused_and_writes_nothing_outside(live, wire_path, codes):
    with nothing_escapes(live):
        results = attempts(live, "PUT", wire_path, body=b"hostile " + uuid.uuid4().bytes)
    assert_refused(results, wire_path, codes)


@pytest.mark.parametrize("bucket, key, codes", [
    pytest.param(BUCKET, "../escape.txt", REFUSALS, id="dotdot"),
    pytest.param(BUCKET, "a/../../escape.txt", REFUSALS, id="nested-dotdot"),
    pytest.param(BUCKET, "%2e%2e/x", REFUSALS, id="literal-percent-dotdot"),
    pytest.param(BUCKET, "a/%2E%2e%2fescape.txt", REFUSALS, id="literal-percent-dotdot-slash"),
    pytest.param(BUCKET, "/abs.txt", REFUSALS, id="absolute"),
    pytest.param(BUCKET, "nul\x00.txt", REFUSALS, id="nul"),
    pytest.param(BUCKET, LONG_KEY, {"KeyTooLongError"}, id="key-1025-bytes"),
    pytest.param("..", "escape.txt", REFUSALS, id="bucket-dotdot"),
    pytest.param("BAD_bucket", "escape.txt", REFUSALS, id="bucket-BAD_bucket"),
])
def test_boto3_put_with_a_hostile_key_is_refused(live, s3, bucket, key, codes):
    """What a user's script does: boto3 sends these keys unchanged (`..` segments included)."""
    with nothing_escapes(live):
        e = s3_error(s3.put_object, Bucket=bucket, Key=key, Body=b"hostile")
    assert 400 <= status_of(e) < 500 and code_of(e) in codes, \
        f"PutObject {bucket}/{short(key)!r}: expected 4xx {sorted(codes)}, got {status_of(e)} {code_of(e)!r}: {e}"


def test_a_key_of_exactly_1024_bytes_is_accepted(live, s3):
    assert len(LIMIT_KEY.encode()) == 1024
    with nothing_escapes(live):
        s3.put_object(Bucket=BUCKET, Key=LIMIT_KEY, Body=b"at the limit")
    assert (live.bucket_dir(BUCKET) / LIMIT_KEY).read_bytes() == b"at the limit"


GET_PATHS = [
    "/recordings-us/../../genesys-mock.sqlite",
    "/recordings-us/%2e%2e/%2e%2e/genesys-mock.sqlite",
    "/recordings-us/..%2F..%2Fgenesys-mock.sqlite",
    "/../genesys-mock.sqlite",
    "/%2e%2e/genesys-mock.sqlite",
    "/recordings-us/%2Fetc%2Fpasswd",
    "/recordings-us//etc/passwd",
    "/recordings-us/../legal-discovery-eu/victim/v.txt",
    "/recordings-us/%2e%2e/legal-discovery-eu/victim/v.txt",
]


@pytest.mark.parametrize("wire_path", GET_PATHS)
def test_get_with_a_hostile_path_reads_nothing_outside(live, victim, wire_path):
    results = attempts(live, "GET", wire_path)
    for _, r in results:
        leaked = SQLITE_MAGIC in r.body or b"root:" in r.body or victim[1] in r.body
        assert not leaked, f"GET {wire_path!r} returned a file from outside the bucket: {r.describe()}"
    assert_refused(results, wire_path, REFUSALS | {"NoSuchKey"})


@pytest.mark.parametrize("wire_path", ["/%2e%2e?list-type=2", "/..?list-type=2",
                                       "/recordings-us?list-type=2&prefix=..%2F"])
def test_listing_through_dotdot_shows_nothing_outside(live, wire_path):
    for _, r in attempts(live, "GET", wire_path):
        assert b"genesys-mock.sqlite" not in r.body and b"<Key>../" not in r.body, \
            f"GET {wire_path!r} listed files outside the bucket: {r.describe()}"
        assert r.status < 500, f"GET {wire_path!r}: {r.describe()}"


@pytest.mark.parametrize("wire_path", [
    "/recordings-us/../legal-discovery-eu/victim/v.txt",
    "/recordings-us/%2e%2e/legal-discovery-eu/victim/v.txt",
    "/recordings-us/..%2Flegal-discovery-eu%2Fvictim%2Fv.txt",
    "/recordings-us/%2e%2e/%2e%2e/genesys-mock.sqlite",
])
def test_delete_with_a_hostile_path_is_refused_and_deletes_nothing(live, s3, victim, wire_path):
    with nothing_escapes(live):
        results = attempts(live, "DELETE", wire_path)
    assert_refused(results, wire_path, REFUSALS)
    key, body = victim
    assert (live.bucket_dir(OTHER) / key).read_bytes() == body, "the other bucket's object was deleted or changed"
    assert s3.get_object(Bucket=OTHER, Key=key)["Body"].read() == body
    assert (live.data_dir / "genesys-mock.sqlite").is_file(), "the SQLite database is gone"


# -- a symlink planted inside the sink ------------------------------------------------------------

@pytest.fixture(scope="module")
def planted(live, tmp_path_factory):
    """DATA/s3/recordings-us/planted -> a folder outside, holding secret.txt."""
    outside = tmp_path_factory.mktemp("outside-dir")
    (outside / "secret.txt").write_bytes(b"top secret " + uuid.uuid4().bytes)
    bucket_dir = live.bucket_dir(BUCKET)
    bucket_dir.mkdir(parents=True, exist_ok=True)
    (bucket_dir / "planted").symlink_to(outside, target_is_directory=True)
    return outside


def outside_files(outside: Path) -> dict[str, str]:
    return {p.name: sha256_hex(p.read_bytes()) for p in outside.iterdir()}


def test_put_through_a_planted_symlink_does_not_write_outside(live, s3, planted):
    before = outside_files(planted)
    with nothing_escapes(live):
        try:
            s3.put_object(Bucket=BUCKET, Key="planted/x.txt", Body=b"through the symlink")
            refused = None
        except ClientError as e:
            refused = e
    assert outside_files(planted) == before, \
        f"PutObject planted/x.txt wrote into {planted}: {sorted(outside_files(planted))}"
    assert refused is not None, "PutObject planted/x.txt succeeded: a key that resolves outside the sink must be refused"
    assert 400 <= status_of(refused) < 500, f"refusal should be a 4xx S3 error: {refused}"


def test_get_through_a_planted_symlink_never_returns_the_outside_file(live, s3, planted):
    secret = (planted / "secret.txt").read_bytes()
    for call in (s3.get_object, s3.head_object):
        try:
            r = call(Bucket=BUCKET, Key="planted/secret.txt")
        except ClientError as e:
            assert status_of(e) in (403, 404), f"{call.__name__} planted/secret.txt: {status_of(e)} {code_of(e)}"
            continue
        body = r["Body"].read() if "Body" in r else b""
        raise AssertionError(f"{call.__name__} planted/secret.txt succeeded through a symlink to {planted}: "
                             f"{len(body)} bytes{' - the secret itself' if body == secret else ''}")


def test_delete_and_list_through_a_planted_symlink_touch_nothing_outside(live, s3, planted):
    before = outside_files(planted)
    try:
        s3.delete_object(Bucket=BUCKET, Key="planted/secret.txt")
    except ClientError as e:
        assert 400 <= status_of(e) < 500, f"DeleteObject planted/secret.txt: {e}"
    assert outside_files(planted) == before, f"DeleteObject planted/secret.txt removed or changed {planted}/secret.txt"
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="planted/").get("Contents", [])]
    assert "planted/secret.txt" not in listed, f"ListObjectsV2 shows a file outside the sink: {listed}"


def test_refusals_are_s3_errors_a_client_can_read(s3):
    """A smoke check of the error shape the tests above rely on."""
    assert_s3_error(s3_error(s3.put_object, Bucket=BUCKET, Key=LONG_KEY, Body=b"x"), 400, "KeyTooLongError")
