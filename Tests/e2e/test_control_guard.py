"""--admin-token: /__admin then needs X-Admin-Token (except /__admin/health); the Genesys API is unaffected."""

from __future__ import annotations

import pytest

from control import admin, assert_admin_error, ok
from exports import EXPORTS

ADMIN_TOKEN = "t0ken"
GUARD = {"X-Admin-Token": ADMIN_TOKEN}


@pytest.fixture(scope="module")
def guarded(module_servers):
    return module_servers.start(export_rate=0, extra_args=("--host", "127.0.0.1", "--admin-token", ADMIN_TOKEN))


@pytest.mark.parametrize("method, path", [("POST", "/reset"), ("GET", "/clock"), ("GET", "/faults"),
                                          ("GET", "/requests"), ("GET", "/buckets"), ("GET", "/oauth-clients"),
                                          ("GET", "/legal-holds")])
def test_admin_routes_refuse_a_missing_or_wrong_token(guarded, method, path):
    assert_admin_error(admin(guarded, method, path), 401, "unauthorized")
    assert_admin_error(admin(guarded, method, path, headers={"X-Admin-Token": "t0ken-not"}), 401, "unauthorized")
    assert_admin_error(admin(guarded, method, path, headers={"X-Admin-Token": ""}), 401, "unauthorized")


def test_reset_works_with_the_token(guarded):
    body = ok(admin(guarded, "POST", "/reset", headers=GUARD))
    assert body["status"] == "reset", body
    assert ok(admin(guarded, "GET", "/clock", headers=GUARD))["frozen"] is False


def test_a_refused_admin_call_changes_nothing(guarded):
    ok(admin(guarded, "PUT", "/clock", headers=GUARD, json={"frozen": True}))
    assert_admin_error(admin(guarded, "PUT", "/clock", json={"frozen": False}), 401, "unauthorized")
    assert_admin_error(admin(guarded, "POST", "/faults", json={"path": "/**", "status": 500}), 401, "unauthorized")
    assert ok(admin(guarded, "GET", "/clock", headers=GUARD))["frozen"] is True
    assert ok(admin(guarded, "GET", "/faults", headers=GUARD)) == {"faults": [], "exportFaults": []}
    ok(admin(guarded, "POST", "/reset", headers=GUARD))


def test_health_stays_open(guarded):
    r = admin(guarded, "GET", "/health")
    assert r.status_code == 200 and r.json().get("status") == "ready", f"{r.status_code} {r.text[:300]}"


def test_the_genesys_api_needs_no_admin_token_and_the_journal_hides_it(guarded):
    token = guarded.token()
    ok(guarded.get(EXPORTS, token=token))
    ok(guarded.get(EXPORTS, token=token, headers=GUARD))  # a shared session that carries the admin header
    r = admin(guarded, "GET", "/requests", headers=GUARD, params={"limit": 1000})
    assert ok(r)["requests"], "the journal should list the API calls"
    assert ADMIN_TOKEN not in r.text, "the admin token appears in the journal"
