#!/usr/bin/env python3
"""What scripts/test-docker checks through the published ports, as a user would (standard library only).

  docker_checks.py export  API_PORT DATA_DIR OUT.json   held export to legal-discovery-eu lands in DATA_DIR
  docker_checks.py kept    API_PORT DATA_DIR IN.json    after a restart: the job and every byte are still there
  docker_checks.py remote  API_PORT OUT.json             held export to archive-eu through the second mock
  docker_checks.py store   MANIFEST_KEY                  (inside moto's container) it is in the store, held
Each prints what it saw and exits non-zero (with the reason) on the first thing that is wrong.
"""
import base64, hashlib, json, os, sys, time, urllib.error, urllib.request

DEADLINE_S = 120


def call(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=15) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def fail(msg):
    sys.exit(f"docker_checks: FAIL: {msg}")


def token(api):
    basic = base64.b64encode(b"mock-admin:mock-admin-secret").decode()
    status, body = call("POST", f"{api}/oauth/token", b"grant_type=client_credentials",
                        {"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        fail(f"POST /oauth/token answered {status}: {body[:200]!r}")
    return json.loads(body)["access_token"]


def held_export(api, bucket, region, prefix):
    auth = {"Authorization": f"Bearer {token(api)}", "Content-Type": "application/json"}
    request = {
        "storage": {"destinationType": "s3", "bucketName": bucket, "region": region, "prefix": prefix},
        "filter": {"mediaTypes": ["whatsapp"], "interval": "2023-01-01T00:00:00Z/2023-04-01T00:00:00Z"},
        "legal_hold": {"enabled": True, "case_id": "LH-2023-001", "reason": "Discovery"},
    }
    status, body = call("POST", f"{api}/api/v2/recordings/exports", request, auth)
    if status != 202:
        fail(f"POST /api/v2/recordings/exports answered {status}: {body[:300]!r}")
    job_id = json.loads(body)["id"]
    deadline = time.monotonic() + DEADLINE_S
    while True:
        status, body = call("GET", f"{api}/api/v2/recordings/exports/{job_id}", headers=auth)
        job = json.loads(body)
        if status == 200 and job["state"] == "FULFILLED":
            return job
        if status != 200 or job["state"] in ("FAILED", "CANCELLED"):
            fail(f"export {job_id}: {status} {job}")
        if time.monotonic() > deadline:
            fail(f"export {job_id} not FULFILLED within {DEADLINE_S} s: {job}")
        time.sleep(0.5)


def check_on_disk(data, job):
    """The manifest and every object it lists are files under DATA/s3/BUCKET with the listed bytes."""
    root = os.path.join(data, "s3", "legal-discovery-eu")
    with open(os.path.join(root, job["manifestKey"]), "rb") as f:
        manifest = json.load(f)
    objects = manifest["objects"]
    if not objects or manifest["counts"]["exportedRecordings"] != job["totalRecordings"]:
        fail(f"manifest counts {manifest['counts']} vs job {job}")
    for o in objects:
        with open(os.path.join(root, o["key"]), "rb") as f:
            raw = f.read()
        if len(raw) != o["size"] or hashlib.sha256(raw).hexdigest() != o["sha256"]:
            fail(f"{o['key']} on disk differs from the manifest")
    custody = os.path.join(root, os.path.dirname(job["manifestKey"]), "chain-of-custody.json")
    if not os.path.isfile(custody):
        fail(f"no chain-of-custody.json beside the manifest ({custody})")
    return manifest


def cmd_export(port, data, out):
    job = held_export(f"http://127.0.0.1:{port}", "legal-discovery-eu", "eu-west-2", "cases/LH-2023-001/")
    manifest = check_on_disk(data, job)
    owner = os.stat(os.path.join(data, "s3", "legal-discovery-eu", job["manifestKey"]))
    with open(out, "w") as f:
        json.dump({"job": job, "sha": {o["key"]: o["sha256"] for o in manifest["objects"]}}, f)
    print(f"held export {job['id']}: FULFILLED, {len(manifest['objects'])} objects + manifest + custody under "
          f"{data}/s3/legal-discovery-eu/cases/LH-2023-001/ (owner uid {owner.st_uid}), every SHA-256 as listed")


def cmd_kept(port, data, saved):
    with open(saved) as f:
        before = json.load(f)
    api = f"http://127.0.0.1:{port}"
    job_id = before["job"]["id"]
    status, body = call("GET", f"{api}/api/v2/recordings/exports/{job_id}",
                        headers={"Authorization": f"Bearer {token(api)}"})
    if status != 200 or json.loads(body)["state"] != "FULFILLED":
        fail(f"after the restart GET the job answered {status}: {body[:300]!r}")
    manifest = check_on_disk(data, before["job"])
    if {o["key"]: o["sha256"] for o in manifest["objects"]} != before["sha"]:
        fail("after the restart the manifest lists other objects")
    print(f"after restart: job {job_id} still FULFILLED, its {len(before['sha'])} objects byte for byte on disk")


def cmd_remote(port, out):
    job = held_export(f"http://127.0.0.1:{port}", "archive-eu", "eu-west-2", "cases/LH-2023-001/")
    with open(out, "w") as f:
        json.dump(job, f)
    print(f"remote held export {job['id']}: FULFILLED through the second mock's published port")


def cmd_store(manifest_key):
    """Run inside the store's container (moto's image carries boto3): the export is there, held."""
    import boto3  # only here: the host needs nothing but the standard library
    s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:5000", region_name="eu-west-2",
                      aws_access_key_id="archive-access-key", aws_secret_access_key="archive-secret-key")
    manifest = json.loads(s3.get_object(Bucket="archive-eu", Key=manifest_key)["Body"].read())
    listed = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket="archive-eu", Prefix="cases/LH-2023-001/"):
        listed |= {o["Key"] for o in page.get("Contents", [])}
    missing = [o["key"] for o in manifest["objects"] if o["key"] not in listed]
    if missing:
        fail(f"not in the store: {missing[:3]} (of {len(manifest['objects'])})")
    for o in manifest["objects"]:
        raw = s3.get_object(Bucket="archive-eu", Key=o["key"])["Body"].read()
        if hashlib.sha256(raw).hexdigest() != o["sha256"]:
            fail(f"{o['key']} in the store differs from the manifest")
    first = manifest["objects"][0]["key"]
    hold = s3.get_object_legal_hold(Bucket="archive-eu", Key=first)["LegalHold"]["Status"]
    if hold != "ON":
        fail(f"{first} in the store has legal hold {hold}")
    print(f"in the store (moto): the manifest and its {len(manifest['objects'])} objects byte for byte "
          f"({len(listed)} keys under the prefix), legal hold ON")


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    {"export": cmd_export, "kept": cmd_kept, "remote": cmd_remote, "store": cmd_store}[what](*args)
