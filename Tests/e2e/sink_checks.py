"""Checks of what an export left in the fake S3 sink: manifest, object bytes, chain of custody."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

MANIFEST_KEYS = {"jobId", "caseId", "bucket", "prefix", "dateCreated", "dateCompleted", "request",
                 "counts", "objects"}
OBJECT_KEYS = {"key", "size", "etag", "sha256", "conversationId", "recordingId"}
CUSTODY_KEYS = {"jobId", "caseId", "bucket", "manifestKey", "manifestSha256", "algorithm", "entries"}
ENTRY_KEYS = {"seq", "time", "event", "prevHash", "hash", "record"}
SIDECAR_KEYS = {"conversationId", "recordingId", "mediaType", "messageType", "startTime", "endTime",
                "participants", "queue", "exportJobId"}
JOB_COUNTERS = ("totalConversations", "totalRecordings", "totalProcessedRecordings",
                "totalSkippedRecordings", "totalFailedRecordings")
DATE_PARTS = re.compile(r"/year=(\d{4})/month=(\d{2})/day=(\d{2})/hour=(\d{2})/")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def object_key_pattern(prefix: str, org_id: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(prefix)}{re.escape(org_id)}/year=\d{{4}}/month=\d{{2}}/"
                      r"day=\d{2}/hour=\d{2}/conversation_id=[^/]+/[^/]+\.json(_metadata\.json)?$")


def custody_key_for(manifest_key: str) -> str:
    return manifest_key.rsplit("/", 1)[0] + "/chain-of-custody.json"


def files_under(root: Path) -> set[str]:
    """Every file below `root`, as '/'-joined paths relative to it (empty when it doesn't exist)."""
    if not root.exists():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def read_manifest(bucket_dir: Path, manifest_key: str) -> tuple[dict, bytes]:
    path = bucket_dir / manifest_key
    assert path.is_file(), f"manifest {manifest_key} is not in the sink at {path}"
    raw = path.read_bytes()
    manifest = json.loads(raw)
    missing = MANIFEST_KEYS - set(manifest)
    assert not missing, f"manifest lacks {sorted(missing)}"
    return manifest, raw


def assert_objects_match_disk(manifest: dict, bucket_dir: Path) -> None:
    """Each listed object is listed once, exists, and its size, MD5 (etag) and SHA-256 match."""
    dupes = sorted(k for k, n in Counter(o.get("key") for o in manifest["objects"]).items() if n > 1)
    assert not dupes, f"manifest lists keys more than once: {dupes[:5]}"
    for obj in manifest["objects"]:
        missing = OBJECT_KEYS - set(obj)
        assert not missing, f"manifest object {obj.get('key')} lacks {sorted(missing)}"
        path = bucket_dir / obj["key"]
        assert path.is_file(), f"manifest lists {obj['key']} but it is not in the sink"
        data = path.read_bytes()
        assert len(data) == obj["size"], f"{obj['key']}: {len(data)} bytes on disk, manifest says {obj['size']}"
        assert md5_hex(data) == obj["etag"], f"{obj['key']}: etag {obj['etag']} != MD5 of the bytes"
        assert sha256_hex(data) == obj["sha256"], f"{obj['key']}: sha256 differs from the bytes"


def assert_one_transcript_and_sidecar_each(manifest: dict) -> None:
    by_recording: dict[str, set[str]] = {}
    for obj in manifest["objects"]:
        name = obj["key"].rsplit("/", 1)[-1]
        assert name in (f"{obj['recordingId']}.json", f"{obj['recordingId']}.json_metadata.json"), \
            f"{obj['key']}: file name should be the recording id {obj['recordingId']}"
        assert f"/conversation_id={obj['conversationId']}/" in obj["key"], \
            f"{obj['key']}: not under conversation_id={obj['conversationId']}"
        by_recording.setdefault(obj["recordingId"], set()).add(name)
    incomplete = {r: n for r, n in by_recording.items() if len(n) != 2}
    assert not incomplete, f"recordings without both transcript and sidecar: {incomplete}"


def assert_key_hour_is_start(key: str, start_time: str) -> None:
    m = DATE_PARTS.search(key)
    assert m, f"{key}: no year=/month=/day=/hour= parts"
    start = datetime.fromisoformat(start_time.replace("Z", "+00:00")).astimezone(timezone.utc)
    want = (f"{start.year:04d}", f"{start.month:02d}", f"{start.day:02d}", f"{start.hour:02d}")
    assert m.groups() == want, f"{key}: date parts {m.groups()} != conversation start {start_time} (UTC)"


def assert_counts_match_job(manifest: dict, job: dict) -> None:
    """The manifest's `counts` agree with the job's counters (same names, or without `total`)."""
    counts = manifest["counts"]
    assert isinstance(counts, dict), f"manifest counts should be an object: {counts!r}"
    compared = []
    for name in JOB_COUNTERS:
        short = name[len("total")].lower() + name[len("total") + 1:]
        for k in (name, short):
            if k in counts:
                assert counts[k] == job[name], f"manifest counts.{k}={counts[k]} but job {name}={job[name]}"
                compared.append(k)
    assert any(k in compared for k in ("totalRecordings", "recordings")), \
        f"manifest counts should include the recording total: {counts}"


def assert_custody_verifies(custody: dict, *, manifest: dict, manifest_raw: bytes, manifest_key: str,
                            job_id: str, case_id: str, bucket: str) -> list[dict]:
    """The chain-of-custody file hashes, links and covers the manifest; returns its entries."""
    missing = CUSTODY_KEYS - set(custody)
    assert not missing, f"chain-of-custody.json lacks {sorted(missing)}"
    assert (custody["jobId"], custody["caseId"], custody["bucket"], custody["manifestKey"]) == \
        (job_id, case_id, bucket, manifest_key), "chain-of-custody names another job, case, bucket or manifest"
    assert custody["manifestSha256"] == sha256_hex(manifest_raw), "manifestSha256 != SHA-256 of manifest.json"
    entries = custody["entries"]
    assert entries, "chain of custody has no entries"
    for e in entries:
        missing = ENTRY_KEYS - set(e)
        assert not missing, f"custody entry {e.get('seq')} lacks {sorted(missing)}"
        assert isinstance(e["record"], str), f"custody entry {e['seq']}: record should be JSON text"
        prev = e["prevHash"] or ""
        assert e["hash"] == sha256_hex((prev + e["record"]).encode("utf-8")), \
            f"custody entry {e['seq']} ({e['event']}): hash does not match sha256(prevHash + record)"
    seqs = [e["seq"] for e in entries]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), f"entries not ordered by seq: {seqs}"
    for a, b in zip(entries, entries[1:]):
        if b["seq"] == a["seq"] + 1:
            assert b["prevHash"] == a["hash"], f"chain broken between seq {a['seq']} and {b['seq']}"

    events = [e["event"] for e in entries]
    assert "export.accepted" in events, f"no export.accepted entry: {sorted(set(events))}"
    written = [json.loads(e["record"]) for e in entries if e["event"] == "object.written"]
    written_keys = [w.get("key") for w in written]
    dupes = sorted(k for k, n in Counter(written_keys).items() if n > 1)
    assert not dupes, f"object.written recorded more than once for {dupes[:5]}"
    listed = {o["key"]: o["sha256"] for o in manifest["objects"]}
    assert set(written_keys) == set(listed), (
        f"object.written entries should match the manifest: {len(set(listed) - set(written_keys))} "
        f"objects not recorded, {len(set(written_keys) - set(listed))} recorded but not listed")
    for w in written:
        assert w.get("sha256") == listed[w["key"]], f"custody sha256 of {w['key']} != manifest's"
    manifest_entries = [json.loads(e["record"]) for e in entries if e["event"] == "manifest.written"]
    assert len(manifest_entries) == 1, f"expected one manifest.written entry, got {len(manifest_entries)}"
    assert manifest_entries[0].get("key") == manifest_key, "manifest.written names another key"
    assert manifest_entries[0].get("sha256") == sha256_hex(manifest_raw), \
        "manifest.written sha256 != SHA-256 of manifest.json"
    return entries
