"""The AWS CLI (`aws s3`, `aws s3api`) against the S3 endpoint, on a held export."""

from __future__ import annotations

import json
import uuid

import pytest

from held import HELD_BUCKET, HELD_CASE, HELD_PREFIX, run_held_export, transcript_keys
from sink_checks import files_under

PREFIX_URL = f"s3://{HELD_BUCKET}/{HELD_PREFIX}"


@pytest.fixture(scope="module")
def held(live):
    return run_held_export(live)


def ls_entries(stdout: str) -> dict[str, int]:
    """`aws s3 ls` lines `DATE TIME SIZE KEY` → {key: size} (PRE lines are skipped)."""
    entries = {}
    for line in stdout.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4 and parts[2].isdigit():
            entries[parts[3]] = int(parts[2])
    return entries


def test_ls_recursive_lists_every_key_of_the_export(aws, held):
    listed = ls_entries(aws.ok("s3", "ls", PREFIX_URL, "--recursive"))
    assert set(listed) == held.all_keys, (f"`aws s3 ls --recursive`: missing {sorted(held.all_keys - set(listed))[:5]}, "
                                          f"extra {sorted(set(listed) - held.all_keys)[:5]}")
    wrong = {k: n for k, n in listed.items() if n != (held.bucket_dir / k).stat().st_size}
    assert not wrong, f"sizes in `aws s3 ls` differ from the files: {dict(list(wrong.items())[:3])}"


def test_cp_of_the_manifest_gives_identical_bytes(aws, held, tmp_path):
    out = tmp_path / "manifest.json"
    aws.ok("s3", "cp", f"s3://{HELD_BUCKET}/{held.manifest_key}", str(out))
    assert out.read_bytes() == held.manifest_raw, "`aws s3 cp` of manifest.json gave other bytes than the sink holds"


def test_cp_upload_then_ls_shows_it(live, aws, tmp_path):
    local = tmp_path / "x.txt"
    local.write_bytes(f"uploaded with the AWS CLI {uuid.uuid4()}\n".encode())
    aws.ok("s3", "cp", str(local), "s3://recordings-us/uploads/x.txt")
    on_disk = live.bucket_dir("recordings-us") / "uploads" / "x.txt"
    assert on_disk.is_file() and on_disk.read_bytes() == local.read_bytes(), \
        f"`aws s3 cp` upload: {on_disk} should hold exactly the local file's bytes"
    listed = ls_entries(aws.ok("s3", "ls", "s3://recordings-us/uploads/"))
    assert listed.get("x.txt") == local.stat().st_size, f"`aws s3 ls s3://recordings-us/uploads/`: {listed}"


def test_sync_downloads_every_object_with_identical_bytes(aws, held, tmp_path):
    target = tmp_path / "copy"
    aws.ok("s3", "sync", PREFIX_URL, str(target))
    want = {k[len(HELD_PREFIX):] for k in held.all_keys}
    got = files_under(target)
    assert got == want, f"`aws s3 sync`: missing {sorted(want - got)[:5]}, extra {sorted(got - want)[:5]}"
    differ = [rel for rel in sorted(got) if (target / rel).read_bytes() != (held.bucket_dir / (HELD_PREFIX + rel)).read_bytes()]
    assert not differ, f"{len(differ)} synced files differ from the sink, e.g. {differ[:3]}"


def test_s3api_get_object_legal_hold_prints_status_on(aws, held):
    for key in (held.manifest_key, transcript_keys(held)[0]):
        out = aws.ok("s3api", "get-object-legal-hold", "--bucket", HELD_BUCKET, "--key", key, "--output", "json")
        assert json.loads(out) == {"LegalHold": {"Status": "ON"}}, f"get-object-legal-hold {key}: {out}"


def test_s3api_head_object_shows_the_case_id(aws, held):
    out = aws.ok("s3api", "head-object", "--bucket", HELD_BUCKET, "--key", held.custody_key, "--output", "json")
    head = json.loads(out)
    assert head.get("Metadata", {}).get("legal-hold-case-id") == HELD_CASE, f"head-object: {head}"
    assert head.get("ContentLength") == (held.bucket_dir / held.custody_key).stat().st_size


def test_rm_of_a_held_object_fails_with_access_denied(aws, held):
    key = transcript_keys(held)[0]
    before = (held.bucket_dir / key).read_bytes()
    r = aws.run("s3", "rm", f"s3://{HELD_BUCKET}/{key}")
    assert r.returncode != 0, f"`aws s3 rm` of a held object succeeded: {r.stdout} {r.stderr}"
    assert "AccessDenied" in r.stderr, f"`aws s3 rm` should say AccessDenied: {r.stderr[-800:]}"
    assert (held.bucket_dir / key).read_bytes() == before, "the held object changed after a refused rm"
