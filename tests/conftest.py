"""Shared test set-up: the checker's browser runtime and the built site, made once per session
in temporary folders (never in the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from inmail_guide.webbuild import PYODIDE, build
from inmail_lab.site import build_site

ROOT = Path(__file__).resolve().parents[1]

# Property tests (tests/test_properties.py): a bounded, repeatable run in `make test`, and many
# new drafts in `make fuzz` (HYPOTHESIS_PROFILE=fuzz).
_SLOW_DRAFTS = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "default",
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_SLOW_DRAFTS,
)
settings.register_profile(
    "fuzz", max_examples=5_000, deadline=None, suppress_health_check=_SLOW_DRAFTS
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs the browser runtime (and so the dev toolchain: pyodide-build, on
    Python 3.12+, and node_modules) is marked ``build``, so the library's tests run alone with
    ``-m "not build"`` on any supported Python."""
    for item in items:
        uses_runtime = "runtime_dir" in getattr(item, "fixturenames", ())
        if uses_runtime or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.build)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def runtime_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The runtime, wheel and lock file the site ships, built from the current sources."""
    if not (PYODIDE / "pyodide-lock.json").is_file():
        pytest.fail("node_modules/pyodide is missing: run `make setup` (npm ci)")
    folder = tmp_path_factory.mktemp("runtime")
    build(folder)
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, runtime_dir: Path) -> Path:
    """The whole guide, built once with ``mkdocs build --strict`` (the default builder)."""
    docs_before = _snapshot(ROOT / "docs")
    site = build_site(tmp_path_factory.mktemp("build"), runtime_dir)
    assert _snapshot(ROOT / "docs") == docs_before, "the build wrote into docs/"
    return site


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory, runtime_dir: Path) -> Path:
    """The whole guide, built once with ``zensical build --strict`` from the same mkdocs.yml."""
    docs_before = _snapshot(ROOT / "docs")
    site = build_site(tmp_path_factory.mktemp("zensical"), runtime_dir, builder="zensical")
    assert _snapshot(ROOT / "docs") == docs_before, "the build wrote into docs/"
    return site
