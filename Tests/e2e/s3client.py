"""Talking to the S3 endpoint as users do: boto3, the AWS CLI, and raw SigV4-signed requests."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import boto3
import botocore.config
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

ACCESS_KEY = "mock-access-key"
SECRET_KEY = "mock-secret-key"
REGION = "eu-west-2"
SEEDED_BUCKETS = {"legal-discovery-eu", "recordings-us", "denied-bucket"}
AWS_CLI_TIMEOUT = 90.0
RAW_TIMEOUT = 10.0


# -- boto3 ------------------------------------------------------------------------------------------

def _config(pool: int, signature_version: str | None = "s3v4", checksums: str = "when_supported") -> botocore.config.Config:
    return botocore.config.Config(s3={"addressing_style": "path"}, signature_version=signature_version,
                                  retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30,
                                  max_pool_connections=pool, request_checksum_calculation=checksums)


def s3_client(endpoint: str, *, access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY,
              region: str = REGION, pool: int = 10, signature_version: str | None = "s3v4",
              checksums: str = "when_supported"):
    """A boto3 S3 client for the mock: path-style, SigV4, no retries, bounded timeouts.

    `signature_version=None` leaves botocore its default (query-string SigV2 for presigned URLs in us-east-1).
    `checksums="when_required"` makes botocore send plain bodies where its default streams `aws-chunked`
    ones with a trailing CRC32 (PutObject, UploadPart)."""
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access_key,
                        aws_secret_access_key=secret_key, region_name=region,
                        config=_config(pool, signature_version, checksums))


def s3_resource(endpoint: str, *, region: str = REGION):
    """boto3's resource API over the same settings (`bucket.objects.filter(...).delete()`)."""
    return boto3.resource("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY, region_name=region, config=_config(10))


def s3_error(call, *args, **kwargs) -> ClientError:
    """Runs a boto3 call that must fail; returns its ClientError (fails the test if it succeeded)."""
    try:
        result = call(*args, **kwargs)
    except ClientError as e:
        return e
    result = {k: v for k, v in (result or {}).items() if k != "Body"}
    raise AssertionError(f"{call.__name__}{_args(args, kwargs)} should have failed, but succeeded: "
                         f"{str(result)[:600]}")


def code_of(e: ClientError) -> str:
    return e.response.get("Error", {}).get("Code", "")


def status_of(e: ClientError) -> int:
    return e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)


def assert_s3_error(e: ClientError, status: int, *codes: str) -> None:
    """The ClientError came with this HTTP status and one of these S3 error codes."""
    got = (status_of(e), code_of(e))
    assert got[0] == status and (not codes or got[1] in codes), \
        f"expected HTTP {status} {' or '.join(codes)}, got HTTP {got[0]} {got[1]!r}: {e}"


def _args(args, kwargs) -> str:
    shown = {k: (v if not isinstance(v, (bytes, bytearray)) else f"<{len(v)} bytes>") for k, v in kwargs.items()}
    return f"({', '.join(map(repr, args))}{', ' if args and shown else ''}{shown or ''})"


# -- raw requests -----------------------------------------------------------------------------------

@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def code(self) -> str | None:
        """The S3 error code of an XML error body, else None."""
        return s3_error_xml(self.body)[0]

    def describe(self) -> str:
        return f"HTTP {self.status} {self.code or ''} {self.body[:300]!r}"


def s3_error_xml(body: bytes) -> tuple[str | None, str | None]:
    """(Code, Message) of an S3 `<Error>` document, or (None, None) when the body is not one."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None, None
    if _local(root.tag) != "Error":
        return None, None
    fields = {_local(child.tag): (child.text or "") for child in root}
    return fields.get("Code"), fields.get("Message")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def botocore_path(wire_path: str) -> str:
    """The path botocore would put on the wire for the same decoded bucket and key (S3 canonical URI)."""
    return quote(unquote(wire_path), safe="/~")


def raw_request(endpoint: str, method: str, wire_path: str, *, body: bytes = b"",
                headers: dict | None = None, sign: bool = True, canonical_path: str | None = None,
                access_key: str = ACCESS_KEY, secret_key: str = SECRET_KEY, region: str = REGION,
                timeout: float = RAW_TIMEOUT) -> RawResponse:
    """Sends `wire_path` byte for byte (no client-side normalisation: http.client, not requests).

    Signed with SigV4 over `canonical_path` (default: the wire path itself, as botocore signs S3 paths).
    """
    u = urlsplit(endpoint)
    hdrs = {"Host": u.netloc, **(headers or {})}
    if body or method in ("PUT", "POST"):
        hdrs["Content-Length"] = str(len(body))
    if sign:
        req = AWSRequest(method=method, url=f"{u.scheme}://{u.netloc}{canonical_path or wire_path}",
                         data=body, headers=hdrs)
        S3SigV4Auth(Credentials(access_key, secret_key), "s3", region).add_auth(req)
        hdrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.putrequest(method, wire_path, skip_host=True, skip_accept_encoding=True)
        for k, v in hdrs.items():
            conn.putheader(k, v)
        conn.endheaders(body or None)
        r = conn.getresponse()
        return RawResponse(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


# -- the AWS CLI ------------------------------------------------------------------------------------

def aws_binary() -> Path:
    beside = Path(sys.executable).parent / "aws"
    found = beside if beside.is_file() else (Path(w) if (w := shutil.which("aws")) else None)
    if found is None:
        raise AssertionError("the AWS CLI is not installed: pip install -r Tests/e2e/requirements.txt "
                             "into the venv that runs pytest")
    return found


class AwsCli:
    """Runs `aws ... --endpoint-url S3` with its own HOME, config and credentials (nothing of the user's)."""

    def __init__(self, endpoint: str, home: Path):
        self.endpoint = endpoint
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.config_file = self.home / "aws-config"
        self.credentials_file = self.home / "aws-credentials"
        self.config_file.write_text("[default]\nregion = eu-west-2\ns3 =\n    addressing_style = path\n")
        self.credentials_file.write_text("")  # the keys come from the environment

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(HOME=str(self.home), AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY,
                   AWS_DEFAULT_REGION=REGION, AWS_CONFIG_FILE=str(self.config_file),
                   AWS_SHARED_CREDENTIALS_FILE=str(self.credentials_file),
                   AWS_EC2_METADATA_DISABLED="true", PYTHONIOENCODING="utf-8")
        return env

    def run(self, *args: str, timeout: float = AWS_CLI_TIMEOUT) -> subprocess.CompletedProcess:
        cmd = [str(aws_binary()), *args, "--endpoint-url", self.endpoint]
        try:
            return subprocess.run(cmd, env=self.env(), stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, encoding="utf-8", errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"`aws {' '.join(args)}` did not finish within {timeout:.0f} s") from None

    def ok(self, *args: str, timeout: float = AWS_CLI_TIMEOUT) -> str:
        """Runs a command that must succeed; returns its stdout."""
        r = self.run(*args, timeout=timeout)
        assert r.returncode == 0, (f"`aws {' '.join(args)}` exited {r.returncode}\n"
                                   f"stdout: {r.stdout[-1500:]}\nstderr: {r.stderr[-1500:]}")
        return r.stdout
