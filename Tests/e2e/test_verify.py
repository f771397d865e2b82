"""`genesys-mock verify`: re-hashes a held export offline, in the sink and in an `aws s3 sync` copy."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid

import pytest

from held import HELD_BUCKET, HELD_PREFIX, run_held_export, transcript_keys
from s3client import AwsCli

VERIFY_TIMEOUT = 60.0
INTACT_WORD = re.compile(r"\b(ok|intact)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(scope="module")
def held(live):
    return run_held_export(live)


@pytest.fixture(scope="module")
def synced(live, held, tmp_path_factory):
    """The export's prefix downloaded with `aws s3 sync`, as a user would fetch it."""
    aws = AwsCli(live.s3, tmp_path_factory.mktemp("aws-home"))
    target = tmp_path_factory.mktemp("synced")
    aws.ok("s3", "sync", f"s3://{HELD_BUCKET}/{HELD_PREFIX}", str(target))
    return target


@pytest.fixture
def copy(synced, tmp_path):
    """A fresh copy of the synced download, for one test to tamper with."""
    target = tmp_path / "copy"
    shutil.copytree(synced, target)
    return target


def verify(mock_bin, *args: str) -> subprocess.CompletedProcess:
    cmd = [str(mock_bin), "verify", *args]
    try:
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=VERIFY_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"`genesys-mock verify {' '.join(args)}` ran over {VERIFY_TIMEOUT:.0f} s") from None


def shown(r: subprocess.CompletedProcess) -> str:
    return f"exit {r.returncode}\nstdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-1500:]}"


def copy_path(root, key: str):
    assert key.startswith(HELD_PREFIX)
    return root / key[len(HELD_PREFIX):]


def assert_each_object_intact(r: subprocess.CompletedProcess, keys: list[str]) -> None:
    assert r.returncode == 0, f"verify of an untouched export should exit 0.\n{shown(r)}"
    lines = r.stdout.splitlines()
    silent = [k for k in keys if not any(k in ln and INTACT_WORD.search(ln.replace(k, "")) for ln in lines)]
    assert not silent, (f"{len(silent)} of {len(keys)} objects have no line saying they are intact (OK), "
                        f"e.g. {silent[:3]}\n{shown(r)}")


def test_verify_in_the_sink_says_each_object_is_intact(live, held, mock_bin):
    r = verify(mock_bin, str(held.bucket_dir / held.manifest_key))
    assert_each_object_intact(r, held.object_keys)


def test_verify_an_aws_s3_sync_copy(held, synced, mock_bin):
    r = verify(mock_bin, str(copy_path(synced, held.manifest_key)))
    assert_each_object_intact(r, held.object_keys)


def test_one_changed_byte_of_a_transcript_is_named(held, copy, mock_bin):
    key = transcript_keys(held)[len(transcript_keys(held)) // 2]
    path = copy_path(copy, key)
    data = bytearray(path.read_bytes())
    i = next(j for j in range(len(data) // 2, len(data)) if data[j] in b"0123456789")  # an ASCII digit
    data[i] = ord("0") if data[i] != ord("0") else ord("1")
    path.write_bytes(bytes(data))
    r = verify(mock_bin, str(copy_path(copy, held.manifest_key)))
    assert r.returncode != 0, f"verify passed a transcript with one byte changed ({key}).\n{shown(r)}"
    assert key in r.stdout + r.stderr, f"verify failed but did not name the changed object {key}.\n{shown(r)}"
    others = [k for k in held.object_keys if k != key]
    intact = [k for k in others if any(k in ln and INTACT_WORD.search(ln.replace(k, "")) for ln in r.stdout.splitlines())]
    assert len(intact) == len(others), \
        f"the untouched objects should still be reported intact: {len(intact)} of {len(others)}.\n{shown(r)}"


def test_a_missing_object_is_named(held, copy, mock_bin):
    key = held.object_keys[0]
    copy_path(copy, key).unlink()
    r = verify(mock_bin, str(copy_path(copy, held.manifest_key)))
    assert r.returncode != 0, f"verify passed with {key} missing.\n{shown(r)}"
    assert key in r.stdout + r.stderr, f"verify did not name the missing object {key}.\n{shown(r)}"


def test_an_edited_chain_of_custody_record_names_the_link(held, copy, mock_bin):
    path = copy_path(copy, held.custody_key)
    custody = json.loads(path.read_bytes())
    entries = [e for e in custody["entries"] if e["event"] == "object.written"]
    entry = entries[len(entries) // 2]
    record = entry["record"]
    i = record.index('"sha256"') + len('"sha256":"') + 1  # a hex digit inside the recorded hash
    i = next(j for j in range(i, len(record)) if record[j] in "0123456789abcdef")
    entry["record"] = record[:i] + ("0" if record[i] != "0" else "1") + record[i + 1:]
    path.write_text(json.dumps(custody, indent=2, ensure_ascii=False))
    r = verify(mock_bin, str(copy_path(copy, held.manifest_key)))
    assert r.returncode != 0, f"verify passed a chain of custody with seq {entry['seq']} edited.\n{shown(r)}"
    link = re.compile(rf"\bseq\s*[:#]?\s*{entry['seq']}\b")
    assert link.search(r.stdout + r.stderr), f"verify did not name the edited link 'seq {entry['seq']}'.\n{shown(r)}"


def test_verify_by_data_folder_and_job_id(live, held, mock_bin):
    r = verify(mock_bin, "--data", str(live.data_dir), "--job", held.id)
    assert_each_object_intact(r, held.object_keys)


def test_verify_of_an_unknown_job_fails(live, mock_bin):
    job = str(uuid.uuid4())
    r = verify(mock_bin, "--data", str(live.data_dir), "--job", job)
    assert r.returncode != 0, f"verify of a job that does not exist should fail.\n{shown(r)}"
    assert job in r.stdout + r.stderr, f"the error should name the job id {job}.\n{shown(r)}"
