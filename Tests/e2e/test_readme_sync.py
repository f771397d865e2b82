"""README.md shows Tests/e2e/test_readme_example.py verbatim: the example users copy is the one CI runs."""

from __future__ import annotations

import re

from mockserver import REPO_ROOT

SECTION = "## Using genesys-mock in your tests"


def test_the_readme_example_is_the_tested_file():
    readme = (REPO_ROOT / "README.md").read_text("utf-8")
    assert SECTION in readme, f"README.md has no '{SECTION}' section"
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, f"expected one python block in '{SECTION}', found {len(blocks)}"
    example = (REPO_ROOT / "Tests" / "e2e" / "test_readme_example.py").read_text("utf-8")
    assert blocks[0] == example, "README.md's example differs from Tests/e2e/test_readme_example.py"
