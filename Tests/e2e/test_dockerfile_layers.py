"""The Dockerfile's dependency layer stubs every library target of Package.swift: a target it misses fails
`docker build` (`swift build` finds no sources for it), which only the slow docker test would otherwise show."""

from __future__ import annotations

import re

from mockserver import REPO_ROOT


def library_targets() -> set[str]:
    package = (REPO_ROOT / "Package.swift").read_text("utf-8")
    return set(re.findall(r'\.target\(\s*name:\s*"(\w+)"', package))


def stubbed_targets() -> set[str]:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text("utf-8")
    loops = re.findall(r"for t in ([\w ]+); do", dockerfile)
    assert len(loops) == 1, "the dependency layer stubs the library targets in one `for t in ...; do` loop"
    return set(loops[0].split())


def test_every_library_target_is_stubbed_in_the_dependency_layer():
    targets = library_targets()
    assert {"RecordingsDomain", "DocumentCodecs", "MockStore", "GenesysMock"} <= targets
    assert stubbed_targets() == targets
