"""`genesys-mock seed` interrupted with Ctrl-C leaves a usable database holding whole conversations only, and
the same command run again adds just what is missing."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import time

from mockserver import FIXTURES_DIR, mock_binary

COUNT = 40_000  # progress lines come at each tenth when stderr is not a terminal: 50 % is after two chunks
SEEDED = re.compile(r"seeded (\d+) new conversations \((\d+) already there\)")


FIXTURE_IDS = {json.loads(p.read_text("utf-8"))["id"] for p in (FIXTURES_DIR / "conversations").glob("*.json")}


def generated(db_path) -> list[str]:
    """The documents of the generated conversations (every one but the fixtures'), after an integrity check."""
    db = sqlite3.connect(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [doc for cid, doc in db.execute("SELECT id, document FROM conversation") if cid not in FIXTURE_IDS]
    finally:
        db.close()


def test_ctrl_c_leaves_whole_conversations_and_a_rerun_adds_the_rest(tmp_path):
    data = tmp_path / "data"
    cmd = [str(mock_binary()), "seed", "--conversations", str(COUNT), "--data", str(data), "--fixtures", str(FIXTURES_DIR)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        progress = ""
        while time.monotonic() < deadline:  # the first progress line comes after the first chunk is committed
            line = proc.stderr.readline()
            if not line:
                break
            if "conversations" in line:
                progress = line
                break
        assert progress, f"no progress line from seed: {proc.stderr.read()[-500:]}"
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert "/s" in progress and ("ETA" in progress or "done" in progress), f"progress line without rate and ETA: {progress!r}"

    docs = generated(data / "genesys-mock.sqlite")
    assert 0 < len(docs) < COUNT, f"interrupted after {len(docs)} of {COUNT}: the test did not interrupt anything"
    for doc in docs:
        conversation = json.loads(doc)  # every stored conversation is whole
        assert conversation["messages"] and conversation["participants"], doc[:200]

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-1000:]
    m = SEEDED.search(again.stdout)
    assert m, again.stdout
    added, there = int(m.group(1)), int(m.group(2))
    assert there == len(docs) and added == COUNT - len(docs), again.stdout
    assert len(generated(data / "genesys-mock.sqlite")) == COUNT
