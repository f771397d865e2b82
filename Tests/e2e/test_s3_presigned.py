"""Presigned URLs, fetched with plain HTTP as a browser or curl would: boto3's SigV4 and SigV2 forms,
`aws s3 presign`, tampering and expiry by the mock's clock."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest
import requests

from s3client import AwsCli, s3_client, s3_error_xml

BUCKET = "recordings-us"
BODY = "presigned ✓ bytes\n".encode() * 100


@pytest.fixture(scope="module")
def v2(live):
    """boto3 on its defaults in us-east-1: presigned URLs come out in the SigV2 query form."""
    return s3_client(live.s3, region="us-east-1", signature_version=None)


@pytest.fixture
def key(s3) -> str:
    k = f"presigned/{uuid.uuid4()} ü.bin"
    s3.put_object(Bucket=BUCKET, Key=k, Body=BODY)
    return k


def presign(client, op: str, expires: int = 300, **params) -> str:
    return client.generate_presigned_url(op, Params={"Bucket": BUCKET, **params}, ExpiresIn=expires)


def assert_error(r: requests.Response, status: int, code: str, message: str | None = None) -> None:
    got_code, got_message = s3_error_xml(r.content)
    assert (r.status_code, got_code) == (status, code), f"expected {status} {code}, got {r.status_code} {r.text[:300]}"
    if message:
        assert got_message == message, got_message


def test_boto3_sigv4_presigned_get_head_put_and_delete(live, s3, key):
    assert "X-Amz-Signature=" in presign(s3, "get_object", Key=key)
    r = requests.get(presign(s3, "get_object", Key=key), timeout=10)
    assert r.status_code == 200 and r.content == BODY, f"GET {r.status_code} {r.text[:200]}"
    h = requests.head(presign(s3, "head_object", Key=key), timeout=10)
    assert h.status_code == 200 and int(h.headers["Content-Length"]) == len(BODY)
    new_key = f"presigned/put-{uuid.uuid4()}.txt"
    p = requests.put(presign(s3, "put_object", Key=new_key), data=b"uploaded by URL", timeout=10)
    assert p.status_code == 200, p.text
    assert (live.bucket_dir(BUCKET) / new_key).read_bytes() == b"uploaded by URL"
    d = requests.delete(presign(s3, "delete_object", Key=new_key), timeout=10)
    assert d.status_code == 204 and not (live.bucket_dir(BUCKET) / new_key).exists()
    listing = requests.get(presign(s3, "list_objects_v2", Prefix="presigned/"), timeout=10)
    # boto3 asks for encoding-type=url, so the key comes back percent-encoded.
    assert listing.status_code == 200 and quote(key, safe="/~").encode() in listing.content, listing.text[:300]


def test_boto3_default_sigv2_presigned_get_and_put(live, v2, key):
    url = presign(v2, "get_object", Key=key)
    assert "AWSAccessKeyId=" in url and "Signature=" in url, f"expected the SigV2 form: {url}"
    r = requests.get(url, timeout=10)
    assert r.status_code == 200 and r.content == BODY, f"GET {r.status_code} {r.text[:200]}"
    new_key = f"presigned/v2-{uuid.uuid4()}.txt"
    put = presign(v2, "put_object", Key=new_key, ContentType="text/plain")
    p = requests.put(put, data=b"v2 upload", headers={"Content-Type": "text/plain"}, timeout=10)
    assert p.status_code == 200, p.text
    assert (live.bucket_dir(BUCKET) / new_key).read_bytes() == b"v2 upload"
    assert v2.head_object(Bucket=BUCKET, Key=new_key)["ContentType"] == "text/plain"


def test_aws_s3_presign_then_a_plain_http_get(live, key, tmp_path):
    aws = AwsCli(live.s3, tmp_path / "aws-home")
    url = aws.ok("s3", "presign", f"s3://{BUCKET}/{key}", "--expires-in", "120").strip()
    r = requests.get(url, timeout=10)
    assert r.status_code == 200 and r.content == BODY, f"GET of `aws s3 presign` URL: {r.status_code} {r.text[:200]}"


def tampered(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, value if k == name else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_tampered_url_is_signature_does_not_match(live, s3, v2, key):
    url = presign(s3, "get_object", Key=key)
    assert_error(requests.get(tampered(url, "X-Amz-Expires", "301"), timeout=10), 403, "SignatureDoesNotMatch")
    other = url.replace("/presigned/", "/presigned2/", 1)
    assert_error(requests.get(other, timeout=10), 403, "SignatureDoesNotMatch")
    put = presign(s3, "put_object", Key=key)
    assert_error(requests.delete(put, timeout=10), 403, "SignatureDoesNotMatch")
    assert (live.bucket_dir(BUCKET) / key).read_bytes() == BODY
    url2 = presign(v2, "get_object", Key=key)
    assert_error(requests.get(tampered(url2, "Expires", "4102444800"), timeout=10), 403, "SignatureDoesNotMatch")
    bad_key = s3_client(live.s3, access_key="AKIA-NOT-CONFIGURED")
    assert_error(requests.get(presign(bad_key, "get_object", Key=key), timeout=10), 403, "InvalidAccessKeyId")
    week = presign(s3, "get_object", Key=key, expires=604801)
    assert_error(requests.get(week, timeout=10), 400, "AuthorizationQueryParametersError")


def test_an_expired_url_is_access_denied_by_the_mocks_clock(servers):
    server = servers.start(export_rate=0)
    s3, v2 = s3_client(server.s3), s3_client(server.s3, region="us-east-1", signature_version=None)
    key = f"presigned/expiring-{uuid.uuid4()}.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"soon gone")
    urls = [presign(s3, "get_object", expires=60, Key=key), presign(v2, "get_object", expires=60, Key=key)]
    for url in urls:
        assert requests.get(url, timeout=10).status_code == 200
    r = server.post("/__admin/clock/advance", json={"seconds": 120})
    assert r.status_code == 200, r.text
    for url in urls:
        assert_error(requests.get(url, timeout=10), 403, "AccessDenied", "Request has expired")
