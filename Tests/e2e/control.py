"""The test-control plane (`/__admin`) of a running genesys-mock: reset, clock, faults, journal, registries."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import requests

from exports import Q1_2023
from mockserver import FIXTURES_DIR, ORG_ID, MockServer

SEEDED_HOLDS = {"LH-2023-001": "ACTIVE", "LH-2022-017": "RELEASED"}
SEEDED_BUCKETS = {"legal-discovery-eu", "recordings-us", "denied-bucket"}
SEEDED_CLIENTS = {"mock-admin", "mock-viewer", "mock-other-org"}


def admin(server: MockServer, method: str, path: str, **kwargs) -> requests.Response:
    """A call to `/__admin{path}` (no token: the server listens on loopback)."""
    return server.request(method, f"/__admin{path}", **kwargs)


def ok(r: requests.Response, status: int = 200) -> dict:
    assert r.status_code == status, \
        f"{r.request.method} {r.request.path_url}: expected {status}, got {r.status_code}: {r.text[:800]}"
    return r.json() if r.content else {}


def assert_admin_error(r: requests.Response, status: int, code: str = "bad.request") -> dict:
    """`/__admin` errors are `{"error": code, "message": text}` (never Genesys-shaped)."""
    assert r.status_code == status, \
        f"{r.request.method} {r.request.path_url} {r.request.body!r:.200}: expected {status} {code}, " \
        f"got {r.status_code}: {r.text[:800]}"
    try:
        body = r.json()
    except ValueError:
        raise AssertionError(f"admin error is not JSON: {r.text[:800]!r}") from None
    assert body.get("error") == code, f"expected error {code!r}, got {body}"
    assert isinstance(body.get("message"), str) and body["message"].strip(), f"admin error without a message: {body}"
    return body


# -- reset and clock ---------------------------------------------------------------------------------

def reset(server: MockServer) -> dict:
    body = ok(admin(server, "POST", "/reset"))
    assert body.get("status") == "reset", f"reset answered {body}"
    return body


def clock(server: MockServer) -> dict:
    return ok(admin(server, "GET", "/clock"))


def set_clock(server: MockServer, **fields) -> dict:
    return ok(admin(server, "PUT", "/clock", json=fields))


def advance(server: MockServer, seconds: float) -> dict:
    return ok(admin(server, "POST", "/clock/advance", json={"seconds": seconds}))


def instant(text: str) -> datetime:
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def seconds_from_real_time(text: str) -> float:
    return abs((instant(text) - datetime.now(timezone.utc)).total_seconds())


# -- faults ------------------------------------------------------------------------------------------

def add_fault(server: MockServer, **rule) -> dict:
    return ok(admin(server, "POST", "/faults", json=rule), 201)


def faults(server: MockServer) -> dict:
    """`{"faults": [http rules], "exportFaults": [export rules]}`."""
    return ok(admin(server, "GET", "/faults"))


def fault(server: MockServer, fault_id: str) -> dict:
    listed = faults(server)
    found = [f for f in listed["faults"] + listed["exportFaults"] if f["id"] == fault_id]
    assert found, f"fault {fault_id} is not listed: {listed}"
    return found[0]


# -- the journal -------------------------------------------------------------------------------------

def journal(server: MockServer, **params) -> list[dict]:
    body = ok(admin(server, "GET", "/requests", params=params))
    assert set(body) == {"requests"}, f"journal answered {sorted(body)}"
    return body["requests"]


def journal_text(server: MockServer) -> str:
    """Everything the journal holds, as the JSON text a user would read."""
    return admin(server, "GET", "/requests", params={"limit": 1000}).text


def clear_journal(server: MockServer) -> None:
    ok(admin(server, "DELETE", "/requests"), 204)


# -- the seeded world --------------------------------------------------------------------------------

def q1_whatsapp() -> list[dict]:
    """The first org's Q1 2023 WhatsApp conversations in the order an export takes them (start, then id)."""
    start, end = (instant(s) for s in Q1_2023.split("/"))
    docs = []
    for path in sorted((FIXTURES_DIR / "conversations").glob("*.json")):
        doc = json.loads(path.read_text("utf-8"))
        if doc["orgId"] == ORG_ID and doc["messengerType"] == "whatsapp" and start <= instant(doc["startTime"]) < end:
            docs.append(doc)
    return sorted(docs, key=lambda d: (instant(d["startTime"]), d["id"]))


def later_whatsapp() -> list[dict]:
    """The first org's WhatsApp conversations after Q1 2023 (under no legal hold)."""
    q1 = {d["id"] for d in q1_whatsapp()}
    out = []
    for path in sorted((FIXTURES_DIR / "conversations").glob("*.json")):
        doc = json.loads(path.read_text("utf-8"))
        if doc["orgId"] == ORG_ID and doc["messengerType"] == "whatsapp" and doc["id"] not in q1 \
                and instant(doc["startTime"]) >= instant("2023-04-01T00:00:00Z"):
            out.append(doc)
    return sorted(out, key=lambda d: (instant(d["startTime"]), d["id"]))
