"""README.md's pytest fixture for "One mock for a CI fleet" runs as shown: a tenant per session, removed at the end."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from mockserver import REPO_ROOT

SECTION = "## One mock for a CI fleet"


@pytest.fixture(scope="module")
def live(module_servers):
    return module_servers.start(export_rate=0)


def test_the_readme_tenant_fixture_runs_and_cleans_up(live, tmp_path):
    readme = (REPO_ROOT / "README.md").read_text("utf-8")
    assert SECTION in readme, f"README.md has no '{SECTION}' section"
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, f"expected one python block in '{SECTION}', found {len(blocks)}"
    (tmp_path / "test_readme_tenant.py").write_text(blocks[0], "utf-8")
    env = {**os.environ, "GENESYS_MOCK_URL": live.api_url}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"the README's fixture failed:\n{run.stdout[-3000:]}\n{run.stderr[-2000:]}"
    assert "1 passed" in run.stdout
    assert live.get("/__admin/tenants").json()["tenants"] == [], "the session's tenant was deleted at the end"
