"""Remote buckets (CONTRACT §14): the registry (what is listed, what is refused with a 400, a remote bucket in the
fixtures, credentials named and never given), the local S3 endpoint's redirect for a remote bucket, and the
credential values looked for everywhere they must never appear. Helpers: remote_exports.py.
"""

from __future__ import annotations

import json
import shutil
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from control import SEEDED_BUCKETS, admin, assert_admin_error, ok
from exports import assert_state, create_export, export_body, get_job, hold, wait_until_ended
from mockserver import FIXTURES_DIR, MockServer
from remote_exports import (EXPORTER_ENV, SECRET_VALUES, UNSET_ENV, WRONG_KEY_ENV, WRONG_SECRET_ENV,
                            assert_verified_intact, export, failed_with, in_store, listed_bucket, register, remote,
                            remote_bucket, run_verify, unique)
from remote_store import GENESYS_MOCK, KEY_ENV, MOTO, REGION, SECRET_ENV, TOKEN_ENV, unused_endpoint
from s3client import raw_request, s3_client
from sink_checks import files_under


# -- the registry ------------------------------------------------------------------------------------------------

def test_a_remote_bucket_is_listed_with_its_variable_names_only(exporter):
    endpoint = unused_endpoint()
    name = unique("listed")
    made = register(exporter, name, endpoint, addressing=None)
    expected = {"name": name, "region": REGION, "objectLockEnabled": True, "denyPutObject": False,
                "remote": {"endpoint": endpoint, "addressing": "path", "accessKeyIdEnv": KEY_ENV,
                           "secretAccessKeyEnv": SECRET_ENV, "credentialsSet": True}}
    assert made == expected, f"POST /__admin/buckets answered {made}"
    assert listed_bucket(exporter, name) == expected

    virtual = unique("virtual")
    made = register(exporter, virtual, endpoint, addressing="virtual", token_env=TOKEN_ENV)
    assert made["remote"]["addressing"] == "virtual" and made["remote"]["sessionTokenEnv"] == TOKEN_ENV, made
    assert made["remote"]["credentialsSet"] is True, made

    unset = unique("unset")
    made = register(exporter, unset, endpoint, secret_env=UNSET_ENV)
    assert made["remote"]["credentialsSet"] is False, f"{UNSET_ENV} is not set in the server's environment: {made}"

    local = [b for b in ok(admin(exporter, "GET", "/buckets"))["buckets"] if b["name"] in SEEDED_BUCKETS]
    assert len(local) == len(SEEDED_BUCKETS) and not any("remote" in b for b in local), \
        f"local buckets should have no `remote` key: {local}"


def test_a_remote_bucket_in_the_fixtures_is_remote(mock_bin, tmp_path_factory):
    """fixtures/buckets.json entries may carry the same `remote` object."""
    fixtures = tmp_path_factory.mktemp("remote-fixtures") / "fixtures"
    shutil.copytree(FIXTURES_DIR, fixtures)
    endpoint = unused_endpoint()
    buckets = json.loads((fixtures / "buckets.json").read_text())
    buckets.append({"name": "fixture-archive", "region": REGION, "objectLockEnabled": True,
                    "policy": {"denyPutObject": False}, "remote": remote(endpoint)})
    (fixtures / "buckets.json").write_text(json.dumps(buckets))
    server = MockServer(tmp_path_factory.mktemp("fixture-remote-data"), fixtures=fixtures, env=EXPORTER_ENV)
    try:
        server.start()
        found = listed_bucket(server, "fixture-archive")
        assert found.get("remote", {}).get("endpoint") == endpoint and found["remote"]["credentialsSet"] is True, found
        token = server.token()
        job = wait_until_ended(server, token, create_export(server, token, export_body(
            "fixture-archive", REGION, prefix="fixture/", legal_hold=hold()))["id"], timeout=30)
        failed_with(job, "ConnectionError", endpoint)  # it went to the (absent) store, not to the disk
        assert files_under(server.bucket_dir("fixture-archive")) == set()
    finally:
        server.stop()


VALID = {"endpoint": "http://127.0.0.1:9", "addressing": "path", "accessKeyIdEnv": KEY_ENV,
         "secretAccessKeyEnv": SECRET_ENV}
BAD_REMOTES = {
    "not an object": "http://127.0.0.1:9",
    "no endpoint": {k: v for k, v in VALID.items() if k != "endpoint"},
    "no accessKeyIdEnv": {k: v for k, v in VALID.items() if k != "accessKeyIdEnv"},
    "no secretAccessKeyEnv": {k: v for k, v in VALID.items() if k != "secretAccessKeyEnv"},
    "endpoint not http(s)": dict(VALID, endpoint="ftp://127.0.0.1:21"),
    "endpoint without a scheme": dict(VALID, endpoint="127.0.0.1:9000"),
    "endpoint with a path": dict(VALID, endpoint="http://127.0.0.1:9000/store"),
    "endpoint with a query": dict(VALID, endpoint="http://127.0.0.1:9000?region=eu"),
    "endpoint with a user and password": dict(VALID, endpoint="http://AKIAUSERINFO:pa55word@127.0.0.1:9000"),
    "endpoint without a host": dict(VALID, endpoint="http://"),
    "endpoint not a string": dict(VALID, endpoint=9000),
    "unknown addressing": dict(VALID, addressing="sideways"),
    "variable name starting with a digit": dict(VALID, accessKeyIdEnv="1ARCHIVE_KEY"),
    "variable name with a dash": dict(VALID, secretAccessKeyEnv="ARCHIVE-SECRET"),
    "empty variable name": dict(VALID, accessKeyIdEnv=""),
    "variable name of 129 characters": dict(VALID, accessKeyIdEnv="K" * 129),
    "session token variable with a space": dict(VALID, sessionTokenEnv="ARCHIVE TOKEN"),
    "unknown key": dict(VALID, colour="blue"),
}


@pytest.mark.parametrize("why", list(BAD_REMOTES))
def test_a_bad_remote_is_400_and_creates_nothing(exporter, why):
    before = ok(admin(exporter, "GET", "/buckets"))["buckets"]
    name = unique("bad")
    r = admin(exporter, "POST", "/buckets", json={"name": name, "region": REGION, "remote": BAD_REMOTES[why]})
    body = assert_admin_error(r, 400, "bad.request")
    assert "pa55word" not in json.dumps(body), f"the 400 echoes a password: {body}"
    assert ok(admin(exporter, "GET", "/buckets"))["buckets"] == before, f"a refused bucket ({why}) was created"


def test_variable_names_up_to_128_characters_are_taken(exporter):
    name = unique("longenv")
    made = register(exporter, name, unused_endpoint(), key_env="_" + "K" * 127, secret_env="s3cr3t_Env_9")
    assert made["remote"]["accessKeyIdEnv"] == "_" + "K" * 127 and made["remote"]["credentialsSet"] is False, made


@pytest.mark.parametrize("field,value", [("accessKeyId", "AKIALITERALKEY000001"),
                                         ("secretAccessKey", "l1teral/Secret+Never-Stored"),
                                         ("sessionToken", "l1teralSessionTokenNeverStored")],
                         ids=["accessKeyId", "secretAccessKey", "sessionToken"])
def test_literal_credentials_are_refused_and_never_echoed(exporter, field, value):
    before = ok(admin(exporter, "GET", "/buckets"))["buckets"]
    r = admin(exporter, "POST", "/buckets",
              json={"name": unique("literal"), "region": REGION, "remote": dict(VALID, **{field: value})})
    body = assert_admin_error(r, 400, "bad.request")
    assert "never stored" in body["message"], f"the 400 should say credentials are never stored: {body}"
    assert value not in r.text, f"the 400 echoes the literal {field}: {r.text}"
    assert ok(admin(exporter, "GET", "/buckets"))["buckets"] == before


# -- the local S3 endpoint ---------------------------------------------------------------------------------------

def test_the_local_s3_endpoint_redirects_a_remote_bucket(exporter, stores):
    store = stores.shared(MOTO)
    bucket = remote_bucket(exporter, store, "redirect")
    netloc = urlsplit(store.endpoint).netloc
    for method, path, body in [("GET", f"/{bucket}/some/key.json", b""), ("GET", f"/{bucket}?list-type=2", b""),
                               ("PUT", f"/{bucket}/written-here.json", b'{"local": true}')]:
        r = raw_request(exporter.s3, method, path, body=body)
        assert r.status == 301 and r.code == "PermanentRedirect", f"{method} {path} on the local endpoint: {r.describe()}"
        endpoint = ET.fromstring(r.body).find("Endpoint")
        assert endpoint is not None and netloc in (endpoint.text or ""), \
            f"{method} {path}: the redirect's <Endpoint> should name {netloc}: {r.body[:400]!r}"
    head = raw_request(exporter.s3, "HEAD", f"/{bucket}")
    assert head.status == 301, f"HeadBucket on a remote bucket: {head.describe()}"
    names = {b["Name"] for b in s3_client(exporter.s3).list_buckets()["Buckets"]}
    assert bucket not in names and SEEDED_BUCKETS <= names, f"ListBuckets: {sorted(names)}"
    assert files_under(exporter.bucket_dir(bucket)) == set()
    assert store.keys(bucket) == set(), "a PUT to the local endpoint reached the store"


# -- secrets -----------------------------------------------------------------------------------------------------

def test_credential_values_appear_in_no_log_journal_admin_answer_or_data_file(exporter, exporter_token, stores, mock_bin):
    moto = stores.shared(MOTO)
    bucket = remote_bucket(exporter, moto, "secrets", token_env=TOKEN_ENV)
    job = export(exporter, exporter_token, bucket, "secrets/")
    landed = in_store(moto, bucket, job)
    verify = run_verify(mock_bin, exporter.data_dir, job["id"])
    assert_verified_intact(verify, landed)
    gm = stores.shared(GENESYS_MOCK)  # a failure in S3's words, with the wrong keys
    wrong = remote_bucket(exporter, gm, "secrets-wrong", key_env=WRONG_KEY_ENV, secret_env=WRONG_SECRET_ENV)
    failed = export(exporter, exporter_token, wrong, "secrets/", timeout=30)
    assert_state(failed, "FAILED")

    seen = {
        "GET /__admin/buckets": admin(exporter, "GET", "/buckets").text,
        "GET /__admin/jobs": admin(exporter, "GET", "/jobs").text,
        "POST /__admin/jobs/{id}/verify": admin(exporter, "POST", f"/jobs/{job['id']}/verify").text,
        "GET /__admin/requests": admin(exporter, "GET", "/requests", params={"limit": 1000}).text,
        "GET the jobs": json.dumps([get_job(exporter, exporter_token, j["id"]) for j in (job, failed)]),
        "the console's world page": exporter.get("/console").text,
        "the console's buckets page": exporter.get("/console/buckets").text,
        "genesys-mock verify": verify.stdout + verify.stderr,
    }
    time.sleep(0.3)  # let the log threads write what the server printed last
    seen["the exporter's stdout"] = exporter.stdout_log.read_text("utf-8", "replace")
    seen["the exporter's stderr"] = exporter.stderr_log.read_text("utf-8", "replace")
    leaks = [f"{what} in {where}" for where, text in seen.items() for what, value in SECRET_VALUES.items()
             if value in text]
    for path in sorted(p for p in exporter.data_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        leaks += [f"{what} in {path.relative_to(exporter.data_dir)}" for what, value in SECRET_VALUES.items()
                  if value.encode() in data]
    assert not leaks, "credential values leaked: " + "; ".join(leaks)
    assert any(KEY_ENV in text for text in seen.values()), "the variable's name should be shown (admin listing)"
