"""Injected faults on the S3 port (`/__admin/faults` with `"port": "s3"`): S3 clients and stores that misbehave."""

from __future__ import annotations

import time

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from control import add_fault, admin, assert_admin_error, fault, faults, reset
from s3client import ACCESS_KEY, REGION, SECRET_KEY, s3_client

BUCKET = "recordings-us"


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


@pytest.fixture(autouse=True)
def fresh(live):
    reset(live)
    yield
    reset(live)


def retrying_client(live, attempts: int):
    """boto3 as users run it, with its standard retries (it retries SlowDown and 5xx)."""
    return boto3.client("s3", endpoint_url=live.s3, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                        region_name=REGION, config=Config(s3={"addressing_style": "path"}, connect_timeout=5, read_timeout=10,
                                                          retries={"mode": "standard", "max_attempts": attempts}))


def test_slow_down_answers_in_s3_xml_and_boto3_retries_through_it(live):
    rule = add_fault(live, port="s3", method="PUT", path=f"/{BUCKET}/faults/**", status=503, count=2)
    assert rule["port"] == "s3" and rule["remaining"] == 2, rule
    raw = requests.put(f"{live.s3}/{BUCKET}/faults/raw.txt", data=b"x", timeout=10)
    assert raw.status_code == 503 and raw.headers.get("Retry-After") == "1", raw.status_code
    assert "<Code>SlowDown</Code>" in raw.text and rule["id"] in raw.text, raw.text
    # One answer left: boto3's standard retries get past it, and the object is written once.
    retrying_client(live, 3).put_object(Bucket=BUCKET, Key="faults/a.txt", Body=b"hello")
    assert s3_client(live.s3).get_object(Bucket=BUCKET, Key="faults/a.txt")["Body"].read() == b"hello"
    after = fault(live, rule["id"])
    assert (after["fired"], after["remaining"]) == (2, 0), after


def test_code_message_and_a_client_without_retries(live):
    add_fault(live, port="s3", method="GET", path=f"/{BUCKET}/**", status=500, code="InternalError", message="disk on fire", count=5)
    s3 = s3_client(live.s3)  # no retries
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=BUCKET, Key="anything.txt")
    err = e.value.response["Error"]
    assert (err["Code"], err["Message"]) == ("InternalError", "disk on fire"), err


def test_an_s3_rule_leaves_the_api_port_alone_and_an_api_rule_the_s3_port(live):
    add_fault(live, port="s3", path="/**", status=500, count=100)
    assert live.get("/api/v2/recordings/exports", token=live.token()).status_code == 200
    admin(live, "DELETE", "/faults")
    add_fault(live, path="/**", status=500, count=100)  # port "api", the default
    s3_client(live.s3).list_objects_v2(Bucket=BUCKET, MaxKeys=1)
    assert faults(live)["faults"][0]["port"] == "api"


def test_latency_and_a_dropped_connection_on_the_s3_port(live):
    add_fault(live, port="s3", method="HEAD", path=f"/{BUCKET}/**", latencyMs=400)
    start = time.monotonic()
    requests.head(f"{live.s3}/{BUCKET}/none.txt", timeout=10)
    assert time.monotonic() - start >= 0.4
    add_fault(live, port="s3", method="GET", path=f"/{BUCKET}/drop.txt", dropConnection=True)
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(f"{live.s3}/{BUCKET}/drop.txt", timeout=10).content


@pytest.mark.parametrize("port", ["S3", "both", 3, ""])
def test_an_unknown_port_is_400(live, port):
    assert_admin_error(admin(live, "POST", "/faults", json={"port": port, "path": "/**", "status": 500}), 400, "bad.request")
    assert faults(live)["faults"] == []
