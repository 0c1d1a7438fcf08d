"""The browser build (``inmail_guide.webbuild``): the runtime, the checker wheel, its Pyodide
lock entry (written by `pyodide lockfile add-wheels`), and how the built site loads them (template
blocks, no plugin)."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
import zstandard

from inmail_checker import RULES, literals, phrases, registry
from inmail_guide import webbuild

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(runtime_dir: Path) -> tuple[Path, Path]:
    project = webbuild.project_metadata()
    return runtime_dir / webbuild.wheel_name(project), runtime_dir / webbuild.LOCK_NAME


def test_wheel_holds_the_checker_package_and_nothing_else(built: tuple[Path, Path]) -> None:
    wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        record = archive.read(next(n for n in names if n.endswith("/RECORD"))).decode()
        metadata = archive.read(next(n for n in names if n.endswith("/METADATA"))).decode()
    top_level = {name.split("/")[0] for name in names}
    version = webbuild.project_metadata()["version"]
    assert top_level == {"inmail_checker", f"inmail_checker-{version}.dist-info"}
    sources = {
        path.relative_to(ROOT / "src").as_posix()
        for path in (ROOT / "src" / "inmail_checker").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    # The sources, plus the pattern readings worked out at build time (see test below).
    readings = f"inmail_checker/{literals.READINGS_FILE}"
    assert {n for n in names if n.startswith("inmail_checker/")} == sources | {readings}
    assert "inmail_checker/rules/pitch.toml" in names
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert sorted(line.split(",")[0] for line in record.splitlines()) == sorted(names)
    assert "Name: inmail-checker" in metadata


def test_wheel_is_byte_for_byte_reproducible(built: tuple[Path, Path], tmp_path: Path) -> None:
    wheel, _ = built
    again, _ = webbuild.build(tmp_path)
    assert again.read_bytes() == wheel.read_bytes()


def test_the_runtime_is_what_a_browser_fetches_and_nothing_more(runtime_dir: Path) -> None:
    names = {path.name for path in runtime_dir.iterdir()}
    wheel = webbuild.wheel_name(webbuild.project_metadata())
    packs = {f"{name}.zst" for name in (*webbuild.PACKED, wheel)}
    expected = {*webbuild.RUNTIME_FILES, webbuild.LOCK_NAME, webbuild.BUILD_NAME, wheel}
    assert names == expected | packs | {webbuild.DECODER_NAME}
    for name in webbuild.RUNTIME_FILES:
        if name != "python_stdlib.zip":  # trimmed: tests/test_parity.py
            assert (runtime_dir / name).read_bytes() == (webbuild.PYODIDE / name).read_bytes()


def test_build_json_names_the_build_and_hashes_every_file(runtime_dir: Path) -> None:
    manifest = json.loads((runtime_dir / webbuild.BUILD_NAME).read_text(encoding="utf-8"))
    names = {path.name for path in runtime_dir.iterdir()} - {webbuild.BUILD_NAME}
    assert set(manifest["files"]) == names
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((runtime_dir / name).read_bytes()).hexdigest() == digest
    assert len(manifest["build"]) == 20
    package_json = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert manifest["pyodide"] == package_json["dependencies"]["pyodide"]
    # Another wheel is another build.
    other = json.loads(webbuild.build_manifest(runtime_dir, sorted(names - {"pyodide.mjs"})))
    assert other["build"] != manifest["build"]


def test_the_packed_copies_unpack_to_their_files_and_are_smaller(runtime_dir: Path) -> None:
    manifest = json.loads((runtime_dir / webbuild.BUILD_NAME).read_text(encoding="utf-8"))
    wheel = webbuild.wheel_name(webbuild.project_metadata())
    assert set(manifest["packed"]) == {*webbuild.PACKED, wheel}
    assert manifest["decoder"] == webbuild.DECODER_NAME
    for name, pack in manifest["packed"].items():
        plain, copy = (runtime_dir / name).read_bytes(), (runtime_dir / pack).read_bytes()
        assert zstandard.ZstdDecompressor().decompress(copy) == plain
        # Smaller than the plain file as a host would gzip it (the archives' entries are stored).
        assert len(copy) < 0.9 * len(gzip.compress(plain, 6))
    for name in {*webbuild.PACKED, wheel} - {"pyodide.asm.wasm"}:
        with zipfile.ZipFile(runtime_dir / name) as archive:
            assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}


def test_the_decoder_is_the_pinned_fzstd_with_its_license(runtime_dir: Path) -> None:
    text = (runtime_dir / webbuild.DECODER_NAME).read_text(encoding="utf-8")
    package_json = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert text.startswith(f"/* fzstd {package_json['dependencies']['fzstd']} (npm)")
    assert "MIT License" in text.split("*/", 1)[0]
    assert text.endswith(webbuild.DECODER.read_text(encoding="utf-8"))


def test_lock_names_the_wheel_with_its_sha256_for_this_pyodide(built: tuple[Path, Path]) -> None:
    wheel, lock_path = built
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    runtime = json.loads((webbuild.PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert lock["info"] == runtime["info"]
    assert list(lock["packages"]) == ["inmail-checker"]
    entry = lock["packages"]["inmail-checker"]
    assert entry["file_name"] == wheel.name
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert entry["imports"] == ["inmail_checker"]
    assert entry["depends"] == []
    assert entry["install_dir"] == "site"
    # Pyodide's own lock model reads it back, and finds the wheel's name and version consistent.
    from pyodide_lock import PyodideLockSpec  # the dev environment's (Python 3.12+)

    spec = PyodideLockSpec.from_json(lock_path)
    spec.check_wheel_filenames()
    assert spec.packages["inmail-checker"].version == webbuild.project_metadata()["version"]


def _wheel_that_requires(requirement: str) -> tuple[str, bytes]:
    entries = webbuild.wheel_entries(webbuild.project_metadata())
    patched = []
    for name, data in entries:
        if name.endswith("/METADATA"):
            data += f"Requires-Dist: {requirement}\n".encode()
        patched.append((name, data))
    return webbuild.wheel_name(webbuild.project_metadata()), webbuild.wheel_bytes(patched)


@pytest.mark.build
def test_the_lock_is_made_by_pyodide_lockfile_add_wheels() -> None:
    """pyodide-lock resolves the wheel's requirements: one the site does not ship stops the
    build (the page could not fetch it), one that does not apply in Pyodide is left out."""
    filename, wheel = _wheel_that_requires("requests>=2")
    with pytest.raises(webbuild.BuildError, match=r"(?s)add-wheels failed.*requests"):
        webbuild.lock_text(filename, wheel)
    filename, wheel = _wheel_that_requires('pywin32; sys_platform == "win32"')
    lock = json.loads(webbuild.lock_text(filename, wheel))
    assert lock["packages"]["inmail-checker"]["depends"] == []
    assert lock["packages"]["inmail-checker"]["sha256"] == hashlib.sha256(wheel).hexdigest()


@pytest.mark.build
def test_without_pyodide_build_the_error_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyodide_cli" else real(name)
    )
    with pytest.raises(webbuild.BuildError, match=r"pyodide-build is not installed.*make setup"):
        webbuild.lock_text("inmail_checker-0.1.0-py3-none-any.whl", b"")


def test_a_missing_runtime_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webbuild, "PYODIDE", tmp_path / "no-node-modules")
    with pytest.raises(webbuild.BuildError, match="npm ci"):
        webbuild.build(tmp_path / "out")
    assert webbuild.main(["--out", str(tmp_path / "out")]) == 2


def _phrase_lists() -> list:
    """The phrase lists and patterns of every rule (its matcher, lists and exceptions)."""
    found = []
    for rule in RULES:
        for part in (rule.matcher, rule.unless, *rule.lists.values()):
            if part is not None and (part.phrases or part.patterns):
                found.append(part)
    return found


def test_saved_readings_are_what_the_analysis_finds_and_are_used(built: tuple[Path, Path]) -> None:
    """The readings shipped in the browser's wheel equal a fresh analysis of every pattern, and
    an interpreter that has them reads no pattern again when the rules load."""
    wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        saved = json.loads(archive.read(f"inmail_checker/{literals.READINGS_FILE}"))
    assert saved["analysis"] == literals.analysis_version()
    fresh = json.loads(webbuild.saved_readings())  # a new interpreter: nothing else read
    assert fresh == saved
    assert len(saved["readings"]) >= sum(1 for rule in RULES if rule.kind != "custom")
    # Each phrase list's split and each rule file parsed are saved too.
    assert len(saved[phrases.SPLITS]) >= len({(p.phrases, p.patterns) for p in _phrase_lists()})
    rule_files = list((ROOT / "src" / "inmail_checker" / "rules").glob("*.toml"))
    assert len(saved[registry.PARSED_TOML]) >= len(rule_files)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import inmail_checker.literals as p;"
        "import inmail_checker; print(len(p._SAVED), len(p._MADE) + len(p._MADE_SECTIONS))"
    )
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(folder)
        out = subprocess.run(
            [sys.executable, "-c", code, folder], check=True, capture_output=True, text=True
        )
    used, made = (int(n) for n in out.stdout.split())
    assert used == len(saved["readings"]) and made == 0


def test_every_page_loads_the_boot_script_and_the_checker_page_starts_it_in_head(
    built_site: Path,
) -> None:
    checker = (built_site / "checker" / "index.html").read_text(encoding="utf-8")
    head = checker.split("</head>")[0]
    start = '<script type="module" async data-inmail-start src="../assets/checker/checker.mjs">'
    assert start in head
    guide = (built_site / "why" / "index.html").read_text(encoding="utf-8")
    assert 'src="../assets/checker/checker.mjs"' in guide
    assert "data-inmail-start" not in guide
    for page in (checker, guide):
        assert 'href="../assets/checker/checker.css"' in page
    assert (built_site / "assets" / "checker" / "runtime" / "pyodide.asm.wasm").is_file()
    assert (built_site / "assets" / "checker" / "checker-worker.mjs").is_file()
    # Fast start and offline: the worker's start, the early module on every page, and the
    # service worker at the site's root (its scope is the folder it is served from).
    assert (built_site / "assets" / "checker" / "checker-start.mjs").is_file()
    for page in (checker, guide):
        assert 'src="../assets/checker/checker-early.mjs"' in page
    assert (built_site / "checker-sw.js").is_file()
