"""The browser build: the checker wheel, its Pyodide lock entry, and the ``inmail-web`` plugin."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from inmail_checker import RULES
from inmail_guide.web_plugin import PYODIDE_DEST, RUNTIME_FILES
from tests.support import load_build_web

ROOT = Path(__file__).resolve().parents[1]


build_web = load_build_web()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not (ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").is_file():
        pytest.fail("node_modules/pyodide is missing: run `make web`")
    return build_web.build(tmp_path_factory.mktemp("web"))


def test_wheel_holds_the_checker_package_and_nothing_else(built: tuple[Path, Path]) -> None:
    wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        record = archive.read(next(n for n in names if n.endswith("/RECORD"))).decode()
        metadata = archive.read(next(n for n in names if n.endswith("/METADATA"))).decode()
    top_level = {name.split("/")[0] for name in names}
    version = build_web.project_metadata()["version"]
    assert top_level == {"inmail_checker", f"inmail_checker-{version}.dist-info"}
    sources = {
        path.relative_to(ROOT / "src").as_posix()
        for path in (ROOT / "src" / "inmail_checker").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    # The sources, plus the pattern readings worked out at build time (see test below).
    readings = f"inmail_checker/{build_web.READINGS_FILE}"
    assert {n for n in names if n.startswith("inmail_checker/")} == sources | {readings}
    assert "inmail_checker/rules/pitch.toml" in names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert sorted(line.split(",")[0] for line in record.splitlines()) == sorted(names)
    assert "Name: inmail-checker" in metadata


def test_wheel_is_byte_for_byte_reproducible(built: tuple[Path, Path], tmp_path: Path) -> None:
    wheel, _ = built
    again, _ = build_web.build(tmp_path)
    assert again.read_bytes() == wheel.read_bytes()


def test_lock_names_the_wheel_with_its_sha256_for_this_pyodide(built: tuple[Path, Path]) -> None:
    wheel, lock_path = built
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    runtime = json.loads(
        (ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8")
    )
    assert lock["info"] == runtime["info"]
    assert list(lock["packages"]) == ["inmail-checker"]
    entry = lock["packages"]["inmail-checker"]
    assert entry["file_name"] == wheel.name
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert entry["imports"] == ["inmail_checker"]
    assert entry["depends"] == []
    assert entry["install_dir"] == "site"


def _site(tmp_path: Path, **options: str) -> MkDocsConfig:
    """A one-page site using the plugin through its entry point, as mkdocs.yml does."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    settings = {
        "web_dir": str(ROOT / "web"),
        "pyodide_dir": str(ROOT / "node_modules" / "pyodide"),
        "build_dir": "web-build",
        "package_dir": str(ROOT / "src" / "inmail_checker"),
        **options,
    }
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        json.dumps({"site_name": "test", "plugins": [{"inmail-web": settings}]}),
        encoding="utf-8",
    )
    return load_config(str(config_file))


def test_plugin_adds_the_front_end_runtime_and_wheel(tmp_path: Path) -> None:
    build_web.build(tmp_path / "web-build")
    config = _site(tmp_path)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    uris = {file.dest_uri for file in files}
    assert {f"{PYODIDE_DEST}/{name}" for name in RUNTIME_FILES} <= uris
    assert f"{PYODIDE_DEST}/pyodide-lock.json" in uris
    assert any(uri.startswith(f"{PYODIDE_DEST}/inmail_checker-") for uri in uris)
    assert {"assets/checker/checker.mjs", "assets/checker/checker-worker.mjs"} <= uris
    # Only what a browser needs from node_modules/pyodide: no Node or TypeScript files.
    assert not [uri for uri in uris if uri.endswith((".d.ts", ".map", ".html", "pyodide.js"))]
    scripts = [(str(s), getattr(s, "type", "")) for s in config.extra_javascript]
    assert ("assets/checker/checker.mjs", "module") in scripts
    assert "assets/checker/checker.css" in config.extra_css


def test_plugin_fails_with_what_to_run_when_the_runtime_is_missing(tmp_path: Path) -> None:
    build_web.build(tmp_path / "web-build")
    config = _site(tmp_path, pyodide_dir=str(tmp_path / "no-node-modules"))
    with pytest.raises(PluginError, match="make web"):
        config.plugins.on_config(config)


def test_plugin_fails_with_what_to_run_when_the_wheel_is_missing(tmp_path: Path) -> None:
    config = _site(tmp_path)
    with pytest.raises(PluginError, match="make web"):
        config.plugins.on_config(config)


def test_plugin_rejects_a_wheel_that_does_not_match_its_lock(tmp_path: Path) -> None:
    wheel, _ = build_web.build(tmp_path / "web-build")
    wheel.write_bytes(wheel.read_bytes() + b"tampered")
    config = _site(tmp_path)
    with pytest.raises(PluginError, match="sha256"):
        config.plugins.on_config(config)


def test_plugin_warns_when_the_wheel_is_older_than_the_sources(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    package = tmp_path / "src" / "inmail_checker"
    package.mkdir(parents=True)
    build_web.build(tmp_path / "web-build")
    (package / "__init__.py").write_text("# not the package the wheel holds\n", encoding="utf-8")
    config = _site(tmp_path, package_dir=str(package))
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.inmail-web"):
        config.plugins.on_config(config)
    assert "make web" in caplog.text


def test_plugin_starts_the_checker_from_head_on_its_page_only(tmp_path: Path) -> None:
    build_web.build(tmp_path / "web-build")
    config = _site(tmp_path)
    config = config.plugins.on_config(config)
    page = SimpleNamespace(url="checker/")
    with_checker = '<html><head><title>x</title></head><body><div id="inmail-checker"></div>'
    output = config.plugins.on_post_page(with_checker, page=page, config=config)
    head = output.split("</head>")[0]
    assert '<script type="module" async data-inmail-start' in head
    assert 'src="../assets/checker/checker.mjs"' in head
    guide_page = "<html><head><title>x</title></head><body><p>Guide</p>"
    assert config.plugins.on_post_page(guide_page, page=page, config=config) == guide_page


def test_saved_readings_are_what_the_analysis_finds_and_are_used(built: tuple[Path, Path]) -> None:
    """The readings shipped in the browser's wheel equal a fresh analysis of every pattern, and
    an interpreter that has them reads no pattern again when the rules load."""
    from inmail_checker import prefilter

    wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        saved = json.loads(archive.read(f"inmail_checker/{build_web.READINGS_FILE}"))
    assert saved["analysis"] == prefilter.analysis_version()
    fresh = json.loads(build_web.saved_readings())  # a new interpreter: nothing else read
    assert fresh["readings"] == saved["readings"]
    assert len(saved["readings"]) >= sum(1 for rule in RULES if rule.regex)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import inmail_checker.prefilter as p;"
        "import inmail_checker; print(len(p._SAVED), len(p._MADE))"
    )
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(folder)
        out = subprocess.run(
            [sys.executable, "-c", code, folder], check=True, capture_output=True, text=True
        )
    used, made = (int(n) for n in out.stdout.split())
    assert used == len(saved["readings"]) and made == 0
