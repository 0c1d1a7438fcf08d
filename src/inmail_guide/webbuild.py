"""Build what the in-page checker loads into one git-ignored folder of the docs.

    python -m inmail_guide.webbuild            # writes docs/assets/checker/runtime/
    python -m inmail_guide.webbuild --out DIR  # somewhere else (the tests build into a temp folder)

Writes:

- the Pyodide runtime files a browser fetches (from ``node_modules/pyodide``, pinned in
  package.json), with ``python_stdlib.zip`` trimmed to what the checker and Pyodide's start-up
  import, precompiled (:mod:`inmail_guide.stdlib`: recorded by running the corpus in Pyodide
  under Node);
- ``inmail_checker-<version>-py3-none-any.whl``: the checker package only (the docs side is not
  needed in the browser), written with the standard library so the build works offline, and
  byte-identical for the same sources (fixed timestamps, sorted entries). It also carries the
  pattern readings worked out here once (see :mod:`inmail_checker.literals`), with each phrase
  list's split (:mod:`inmail_checker.phrases`) and each rule file parsed
  (:mod:`inmail_checker.registry`), so that Pyodide starts without parsing every pattern, phrase
  list and rule file again;
- ``<file>.zst`` for the three largest runtime files (the WebAssembly, the standard library and
  the wheel, whose zip entries are stored so that one stream compresses them together), with
  ``fzstd.mjs`` (npm fzstd, pinned in package.json) to unpack them: a static host gzips the
  WebAssembly to 3.5 MB, Zstandard at level 19 makes it 2.9 MB, and the archives shrink by a
  quarter. The worker fetches these copies and unpacks them as they arrive
  (``checker-start.mjs``); the plain files stay beside them for Node and as the fallback;
- ``pyodide-lock.json``: the lock file the page's Pyodide reads, made by Pyodide's own tool,
  ``pyodide lockfile add-wheels`` (pyodide-build, backed by pyodide-lock), so that it follows the
  lock format of the pinned Pyodide. It starts from that Pyodide's lock with its ``info`` and
  none of its packages, since the site ships no package but the checker (a dependency the wheel
  gained would fail the build rather than a reader's download), and names the wheel with its
  sha256, so the page loads it by name (``loadPackage("inmail-checker")``) and Pyodide checks
  its hash.

The wheel is not made by ``pyodide build``: that command first fetches Pyodide's cross-build
environment (and Emscripten) from GitHub, even for a pure-Python package, which a machine that
reaches only the package registries cannot do, and a pypa/build wheel would hold the whole
distribution without the pattern readings and not the same bytes twice.

Any site builder (MkDocs, Zensical) copies the folder like any other file of ``docs/``; the theme
override adds the page's script tags. No plugin is involved.
"""

from __future__ import annotations

import argparse
import base64
import filecmp
import hashlib
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import zstandard

from inmail_checker.literals import READINGS_FILE

from .stdlib import CACHE, STDLIB_NAME, RecordError, recorded_archive

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "inmail_checker"
SOURCE = ROOT / "src" / PACKAGE
PYODIDE = ROOT / "node_modules" / "pyodide"
OUTPUT = ROOT / "docs" / "assets" / "checker" / "runtime"
LOCK_NAME = "pyodide-lock.json"
BUILD_NAME = "build.json"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", STDLIB_NAME)
"""What a browser fetches to start Pyodide; the rest of node_modules/pyodide is for Node,
TypeScript or the CDN. All but the standard library archive are copied as they are."""
DECODER = ROOT / "node_modules" / "fzstd" / "esm" / "index.mjs"
DECODER_NAME = "fzstd.mjs"
PACKED = ("pyodide.asm.wasm", STDLIB_NAME)
"""Runtime files sent as Zstandard copies (``<name>.zst``), with the wheel."""
ZSTD_LEVEL = 19
# 1980-01-01, the earliest time a zip entry can hold: the same sources give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SKIP_PARTS = {"__pycache__"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}


class BuildError(RuntimeError):
    """Something the build needs is missing."""


def project_metadata() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project: dict[str, object] = tomllib.load(handle)["project"]
    return project


def package_files() -> list[Path]:
    """Every file of the package, sorted, without bytecode caches."""
    if not (SOURCE / "__init__.py").is_file():
        raise BuildError(f"{SOURCE} is not a Python package")
    return sorted(
        path
        for path in SOURCE.rglob("*")
        if path.is_file()
        and not _SKIP_PARTS.intersection(path.relative_to(SOURCE).parts)
        and path.suffix not in _SKIP_SUFFIXES
    )


def _metadata_text(project: dict[str, object]) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
        f"Requires-Python: {project.get('requires-python', '>=3.11')}",
    ]
    if isinstance(project.get("license"), str):
        lines.append(f"License: {project['license']}")
    return "\n".join(lines) + "\n"


_WHEEL_TEXT = (
    "Wheel-Version: 1.0\nGenerator: inmail_guide.webbuild\n"
    "Root-Is-Purelib: true\nTag: py3-none-any\n"
)


def record_digest(data: bytes) -> str:
    """A file's hash as a wheel's RECORD writes it."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def wheel_entries(project: dict[str, object]) -> list[tuple[str, bytes]]:
    """(archive name, bytes) for every file of the wheel, RECORD last as the spec asks."""
    name = str(project["name"]).replace("-", "_")
    dist_info = f"{name}-{project['version']}.dist-info"
    entries = [
        (f"{PACKAGE}/{path.relative_to(SOURCE).as_posix()}", path.read_bytes())
        for path in package_files()
    ]
    entries.append((f"{PACKAGE}/{READINGS_FILE}", saved_readings()))
    entries.sort(key=lambda entry: entry[0])
    entries.append((f"{dist_info}/METADATA", _metadata_text(project).encode()))
    entries.append((f"{dist_info}/WHEEL", _WHEEL_TEXT.encode()))
    entries.append((f"{dist_info}/top_level.txt", f"{PACKAGE}\n".encode()))
    record = "".join(f"{arcname},{record_digest(data)},{len(data)}\n" for arcname, data in entries)
    record += f"{dist_info}/RECORD,,\n"
    entries.append((f"{dist_info}/RECORD", record.encode()))
    return entries


def saved_readings() -> bytes:
    """The pattern readings of every rule, worked out in a fresh interpreter from the sources,
    so what was imported before cannot leak in."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import inmail_checker.literals as p;"
        "import inmail_checker; sys.stdout.write(p.readings_json())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(SOURCE.parent)],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.encode()


def wheel_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for arcname, data in entries:
            info = zipfile.ZipInfo(arcname, date_time=_ZIP_TIME)
            # Stored: the page gets the wheel as one Zstandard stream (see packed()).
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def wheel_name(project: dict[str, object]) -> str:
    return f"{str(project['name']).replace('-', '_')}-{project['version']}-py3-none-any.whl"


def lock_text(filename: str, wheel: bytes) -> str:
    """The lock file naming the wheel ``filename`` (beside it) with these bytes, as ``pyodide
    lockfile add-wheels`` writes it from the pinned Pyodide's lock without its packages."""
    source = PYODIDE / LOCK_NAME
    if not source.is_file():
        raise BuildError(f"{source} is missing: run `npm ci` (or `make web`) first")
    if importlib.util.find_spec("pyodide_cli") is None:
        raise BuildError(
            "pyodide-build is not installed: run `make setup` (the dev environment, Python 3.12+)"
        )
    runtime_lock = json.loads(source.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="inmail-lock-") as name:
        folder = Path(name)
        (folder / filename).write_bytes(wheel)
        empty = folder / "runtime-lock.json"
        empty.write_text(json.dumps({"info": runtime_lock["info"], "packages": {}}), "utf-8")
        command = [sys.executable, "-m", "pyodide_cli", "lockfile", "add-wheels"]
        command += ["--input", str(empty), "--output", str(folder / LOCK_NAME)]
        command += ["--base-path", str(folder), str(folder / filename)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not (folder / LOCK_NAME).is_file():
            raise BuildError(f"pyodide lockfile add-wheels failed:\n{result.stderr.strip()}")
        lock = json.loads((folder / LOCK_NAME).read_text(encoding="utf-8"))
    return json.dumps(lock, indent=2, sort_keys=True) + "\n"


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def decoder_bytes() -> bytes:
    """fzstd's ES module as the page loads it, under its license (MIT asks for the notice)."""
    package = json.loads((DECODER.parents[1] / "package.json").read_text(encoding="utf-8"))
    notice = (DECODER.parents[1] / "LICENSE").read_text(encoding="utf-8").strip()
    source = package["repository"]["url"]
    header = f"/* fzstd {package['version']} (npm), {source}\n\n{notice}\n*/\n"
    return header.encode() + DECODER.read_bytes()


def packed(data: bytes) -> bytes:
    """``data`` as one Zstandard frame at ``ZSTD_LEVEL`` (with its size, so a reader can check
    it), kept in ``.cache/`` by its input: level 19 takes seconds for the WebAssembly."""
    key = hashlib.sha256(data + f"{ZSTD_LEVEL} {zstandard.__version__}".encode()).hexdigest()
    cached = CACHE / f"zstd-{key[:24]}.zst"
    if cached.is_file():
        return cached.read_bytes()
    result = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_content_size=True).compress(data)
    if zstandard.ZstdDecompressor().decompress(result) != data:
        raise BuildError("a Zstandard copy does not unpack to its file")
    CACHE.mkdir(exist_ok=True)
    cached.write_bytes(result)
    return result


def build_manifest(output: Path, names: list[str], packs: dict[str, str] | None = None) -> str:
    """``build.json``: the build id and the sha256 of each of ``names`` (files of ``output``),
    and ``packed``: which of them the page fetches as which Zstandard copy (also in names)."""
    hashes = {name: hashlib.sha256((output / name).read_bytes()).hexdigest() for name in names}
    build_id = hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()[:20]
    version = json.loads((PYODIDE / "package.json").read_text(encoding="utf-8"))["version"]
    manifest = {"build": build_id, "pyodide": version, "files": hashes}
    manifest.update(packed=packs or {}, decoder=DECODER_NAME)
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def build(output: Path = OUTPUT) -> tuple[Path, Path]:
    """Write the runtime, the wheel, the lock file and build.json into ``output``; returns the
    wheel's and the lock's paths."""
    missing = [name for name in RUNTIME_FILES if not (PYODIDE / name).is_file()]
    if missing:
        raise BuildError(f"{PYODIDE} lacks {', '.join(missing)}: run `npm ci` first")
    if not DECODER.is_file():
        raise BuildError(f"{DECODER} is missing: run `npm ci` (or `make web`) first")
    project = project_metadata()
    data = wheel_bytes(wheel_entries(project))
    filename = wheel_name(project)
    lock = lock_text(filename, data)
    output.mkdir(parents=True, exist_ok=True)
    for stale in output.glob("*.whl"):
        if stale.name != filename:
            stale.unlink()
    for name in RUNTIME_FILES:
        target = output / name
        source = PYODIDE / name
        if name == STDLIB_NAME:
            continue
        if not target.is_file() or not filecmp.cmp(source, target, shallow=False):
            shutil.copyfile(source, target)
    wheel_path, lock_path = output / filename, output / LOCK_NAME
    _write_if_changed(wheel_path, data)
    _write_if_changed(lock_path, lock.encode())
    try:
        stdlib = recorded_archive(PYODIDE, output, wheel_path, lock_path)
    except RecordError as error:
        raise BuildError(str(error)) from error
    _write_if_changed(output / STDLIB_NAME, stdlib)
    write_packed_and_manifest(output, filename)
    return wheel_path, lock_path


def write_packed_and_manifest(output: Path, wheel_filename: str) -> None:
    """The last step of a build, once ``output`` holds the runtime, the wheel and the lock: the
    Zstandard copies, their decoder and ``build.json``."""
    _write_if_changed(output / DECODER_NAME, decoder_bytes())
    packs = {name: f"{name}.zst" for name in (*PACKED, wheel_filename)}
    for stale in output.glob("*.zst"):
        if stale.name not in packs.values():
            stale.unlink()
    for name, pack in packs.items():
        _write_if_changed(output / pack, packed((output / name).read_bytes()))
    names = [*RUNTIME_FILES, wheel_filename, LOCK_NAME, DECODER_NAME, *packs.values()]
    manifest = build_manifest(output, sorted(names), packs)
    _write_if_changed(output / BUILD_NAME, manifest.encode())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--out", type=Path, default=OUTPUT, help="where to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        wheel_path, lock_path = build(args.out)
    except BuildError as error:
        print(f"webbuild: {error}", file=sys.stderr)
        return 2
    print(f"wrote {wheel_path} ({wheel_path.stat().st_size:,} bytes), {lock_path.name}, runtime")
    return 0


if __name__ == "__main__":
    sys.exit(main())
