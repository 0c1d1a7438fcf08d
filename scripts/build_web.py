"""Build what the in-page checker loads: a wheel of ``inmail_checker`` and a Pyodide lock file.

Writes into ``build/web/``:

- ``inmail_checker-<version>-py3-none-any.whl``: the checker package only (the docs extension
  in ``inmail_guide`` is not needed in the browser), written with the standard library so the
  build works offline, on any Python >= 3.11, and gives a byte-identical wheel for the same
  sources (fixed timestamps, sorted entries);
- ``pyodide-lock.json``: Pyodide's own lock file trimmed to that one package, with its sha256,
  so the page loads it by name (``loadPackage("inmail-checker")``) and Pyodide checks its hash.

Run ``python scripts/build_web.py`` (``make web`` does). ``--check`` only verifies that
``build/web`` is up to date with the sources and exits 1 when it is not.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "inmail_checker"
SOURCE = ROOT / "src" / PACKAGE
PYODIDE = ROOT / "node_modules" / "pyodide"
OUTPUT = ROOT / "build" / "web"
LOCK_NAME = "pyodide-lock.json"
# 1980-01-01, the earliest time a zip entry can hold: the same sources give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
READINGS_FILE = "readings.json"  # inmail_checker.prefilter.READINGS_FILE
_SKIP_PARTS = {"__pycache__"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}


class BuildError(RuntimeError):
    """Something the build needs is missing."""


def project_metadata() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]


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
    "Wheel-Version: 1.0\nGenerator: inmail-guide scripts/build_web.py\n"
    "Root-Is-Purelib: true\nTag: py3-none-any\n"
)


def _record_hash(data: bytes) -> str:
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
    record = "".join(f"{arcname},{_record_hash(data)},{len(data)}\n" for arcname, data in entries)
    record += f"{dist_info}/RECORD,,\n"
    entries.append((f"{dist_info}/RECORD", record.encode()))
    return entries


def saved_readings() -> bytes:
    """The pattern readings of every rule, worked out here once so that the browser does not
    parse every pattern at start-up (see ``inmail_checker.prefilter``). Read in a fresh
    interpreter from the sources, so what was imported before cannot leak in."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import inmail_checker.prefilter as p;"
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
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for arcname, data in entries:
            info = zipfile.ZipInfo(arcname, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def wheel_name(project: dict[str, object]) -> str:
    return f"{str(project['name']).replace('-', '_')}-{project['version']}-py3-none-any.whl"


def lock_data(project: dict[str, object], filename: str, sha256: str) -> dict[str, object]:
    """Pyodide's lock file with only our package: ``info`` kept, so versions still match."""
    source = PYODIDE / LOCK_NAME
    if not source.is_file():
        raise BuildError(f"{source} is missing: run `npm ci` (or `make web`) first")
    runtime_lock = json.loads(source.read_text(encoding="utf-8"))
    name = str(project["name"])
    return {
        "info": runtime_lock["info"],
        "packages": {
            name: {
                "name": name,
                "version": str(project["version"]),
                "file_name": filename,
                "install_dir": "site",
                "sha256": sha256,
                "package_type": "package",
                "imports": [PACKAGE],
                "depends": [],
                "unvendored_tests": False,
                "tool": {},
            }
        },
    }


def build(output: Path = OUTPUT) -> tuple[Path, Path]:
    """Write the wheel and the lock file; returns their paths."""
    project = project_metadata()
    data = wheel_bytes(wheel_entries(project))
    filename = wheel_name(project)
    sha256 = hashlib.sha256(data).hexdigest()
    lock = json.dumps(lock_data(project, filename, sha256), indent=2, sort_keys=True) + "\n"
    output.mkdir(parents=True, exist_ok=True)
    for stale in output.glob("*.whl"):
        if stale.name != filename:
            stale.unlink()
    wheel_path = output / filename
    lock_path = output / LOCK_NAME
    if not wheel_path.is_file() or wheel_path.read_bytes() != data:
        wheel_path.write_bytes(data)
    if not lock_path.is_file() or lock_path.read_text(encoding="utf-8") != lock:
        lock_path.write_text(lock, encoding="utf-8")
    return wheel_path, lock_path


def is_current(output: Path = OUTPUT) -> bool:
    """True when ``output`` holds exactly what :func:`build` would write now."""
    project = project_metadata()
    wheel_path = output / wheel_name(project)
    data = wheel_bytes(wheel_entries(project))
    if not wheel_path.is_file() or wheel_path.read_bytes() != data:
        return False
    lock = lock_data(project, wheel_path.name, hashlib.sha256(data).hexdigest())
    lock_path = output / LOCK_NAME
    return lock_path.is_file() and json.loads(lock_path.read_text(encoding="utf-8")) == lock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only check build/web is current")
    args = parser.parse_args(argv)
    try:
        if args.check:
            current = is_current()
            print("build/web is up to date" if current else "build/web is stale: run make web")
            return 0 if current else 1
        wheel_path, lock_path = build()
    except BuildError as error:
        print(f"build_web: {error}", file=sys.stderr)
        return 2
    size = wheel_path.stat().st_size
    print(
        f"wrote {wheel_path.relative_to(ROOT)} ({size:,} bytes) and {lock_path.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
