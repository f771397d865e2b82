"""Helpers of the S3 sub-resource tests: an object's bytes as GET and the disk see them, the mock clock, the audit log."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone

from control import clock, instant

LOCKED_BUCKET = "legal-discovery-eu"   # seeded with Object Lock enabled
PLAIN_BUCKET = "recordings-us"        # seeded without


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_object(s3, bucket: str, **extra) -> tuple[str, bytes]:
    """PutObject of fresh bytes under a fresh key; (key, bytes)."""
    key = f"subresources/{uuid.uuid4()}.json"
    body = json.dumps({"evidence": str(uuid.uuid4())}).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body, **extra)
    return key, body


def assert_bytes(server, s3, bucket: str, key: str, want: bytes, after: str) -> None:
    """GetObject and the file under data/s3 both still hold exactly `want`."""
    got = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    on_disk = (server.bucket_dir(bucket) / key).read_bytes()
    assert sha(got) == sha(want), f"after {after}, GetObject of {key} gave other bytes: {got[:120]!r}"
    assert sha(on_disk) == sha(want), f"after {after}, {key} on disk holds other bytes: {on_disk[:120]!r}"


def mock_now(server) -> datetime:
    return instant(clock(server)["now"])


def mock_later(server, **delta) -> datetime:
    return mock_now(server) + timedelta(**delta)


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def audit_since(server, since: int) -> list[tuple[str, dict]]:
    """(event, record) of the audit log after seq `since`, read from the server's database (read-only)."""
    db = sqlite3.connect(f"file:{server.data_dir / 'genesys-mock.sqlite'}?mode=ro", uri=True, timeout=5)
    try:
        rows = db.execute("SELECT event, record FROM audit_log WHERE seq > ? ORDER BY seq", (since,)).fetchall()
    finally:
        db.close()
    return [(event, json.loads(record)) for event, record in rows]


def audit_seq(server) -> int:
    db = sqlite3.connect(f"file:{server.data_dir / 'genesys-mock.sqlite'}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_log").fetchone()[0]
    finally:
        db.close()
