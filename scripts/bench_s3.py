#!/usr/bin/env python3
"""S3 endpoint throughput with wrk: GetObject of a 4 KiB object and ListObjectsV2 of 1,000 keys.

Needs wrk (Debian package) and boto3/botocore (the e2e virtualenv has them):
    .build/e2e-venv/bin/python scripts/bench_s3.py --bin .build/release/genesys-mock

SigV4 signs the date, not a nonce, and the mock does not reject old dates, so one signed request can be
replayed by wrk as-is: the figures include the full signature check on every request.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REPO = Path(__file__).resolve().parent.parent
KEY, SECRET = "mock-access-key", "mock-secret-key"


def start(binary: str, data: str) -> tuple[subprocess.Popen, str, str]:
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--s3-port", "0", "--data", data, "--fixtures",
                             str(REPO / "fixtures"), "--rate-limit", "0", "--log-level", "error"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    api = s3 = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (api and s3):
        line = proc.stdout.readline()
        if not line:
            break
        if m := re.match(r"^\s*Genesys API\s+(http://\S+)", line):
            api = m.group(1)
        if m := re.match(r"^\s*S3 endpoint\s+(http://\S+)", line):
            s3 = m.group(1)
    if not (api and s3):
        proc.kill()
        sys.exit("the server did not print its URLs")
    return proc, api, s3


def signed_headers(url: str) -> dict[str, str]:
    req = AWSRequest(method="GET", url=url, headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
    SigV4Auth(Credentials(KEY, SECRET), "s3", "eu-west-2").add_auth(req)
    return {k: v for k, v in req.headers.items() if k.lower() != "host"}


def wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests_per_second": rps, "p99": p99, "non_2xx": int(errors.group(1)) if errors else 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=str(REPO / ".build/release/genesys-mock"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    data = tempfile.mkdtemp(prefix="bench-s3-")
    proc, _, s3url = start(args.bin, data)
    try:
        s3 = boto3.client("s3", endpoint_url=s3url, aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                          region_name="eu-west-2", config=Config(s3={"addressing_style": "path"}))
        s3.put_object(Bucket="recordings-us", Key="bench/object-4k.bin", Body=os.urandom(4096))
        for i in range(1000):
            s3.put_object(Bucket="recordings-us", Key=f"bench/list/key-{i:05d}.json", Body=b"{}")
        get_url = f"{s3url}/recordings-us/bench/object-4k.bin"
        list_url = f"{s3url}/recordings-us?list-type=2&prefix=bench%2Flist%2F"
        results = {
            "GetObject 4 KiB": wrk(get_url, signed_headers(get_url), args.seconds, args.connections),
            "ListObjectsV2 1,000 keys": wrk(list_url, signed_headers(list_url), args.seconds, args.connections),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)
    print(f"wrk -t2 -c{args.connections} -d{args.seconds}s against {args.bin}")
    for name, r in results.items():
        print(f"  {name:<26} {r['requests_per_second']:>9.0f} req/s   p99 {r['p99']:>8}   non-2xx {r['non_2xx']}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
