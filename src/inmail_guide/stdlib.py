"""The standard library archive the page ships: only what the checker and Pyodide's start use.

Pyodide's ``python_stdlib.zip`` (2.5 MB, already compressed) holds the whole standard library;
the checker and Pyodide's own start-up import about a quarter of it. At build time,
``record_imports.mjs`` starts Pyodide under Node from the full archive the way the page's
worker does, checks every draft of the labelled corpora, raises one error through the FFI and
makes one memory snapshot, and lists the archive's files that ``sys.modules`` then holds. The
trimmed archive has exactly those entries, byte for byte as Pyodide ships them, and the page
serves it under the same name, ``python_stdlib.zip``, so Pyodide's default ``stdLibURL``
fetches it.

pyodide-pack (PyPI, last release 0.2.0 in December 2022) records imports in the same way, but
it bundles the imported packages of an app for the Pyodide of its day, not the standard library
archive of Pyodide 314; Pyodide's own ``stdLibURL`` option is all the page needs to load
another archive.

A recording takes half a minute, so it is kept in ``.cache/`` under the hash of everything it
depends on (both archives' inputs, the wheel, the lock, the drafts, the recorder); any change
records again. ``tests/test_parity.py`` checks every corpus draft in Pyodide with only the
trimmed archive, against CPython.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

RECORDER = Path(__file__).with_name("record_imports.mjs")
CACHE = Path(__file__).resolve().parents[2] / ".cache"
STDLIB_NAME = "python_stdlib.zip"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class RecordError(RuntimeError):
    """The recording run failed."""


def _cases() -> list[dict[str, str]]:
    from inmail_lab.corpus import load_all  # dev tooling: the labelled corpora

    return [{"subject": draft.subject or "", "body": draft.body} for draft in load_all()]


def recorded_files(pyodide: Path, runtime: Path, wheel: Path, lock: Path) -> list[str]:
    """The archive names the checker's run in Pyodide imported (cached by their inputs)."""
    cases = json.dumps(_cases(), ensure_ascii=False).encode()
    key = hashlib.sha256()
    for data in (
        (pyodide / STDLIB_NAME).read_bytes(),
        (pyodide / "pyodide.asm.wasm").read_bytes(),
        wheel.read_bytes(),
        lock.read_bytes(),
        cases,
        RECORDER.read_bytes(),
    ):
        key.update(hashlib.sha256(data).digest())
    cached = CACHE / f"stdlib-{key.hexdigest()[:24]}.json"
    if cached.is_file():
        files: list[str] = json.loads(cached.read_text(encoding="utf-8"))["files"]
        return files
    node = shutil.which("node")
    if node is None:
        raise RecordError("node is not on PATH: the build records the standard library in Node")
    with tempfile.TemporaryDirectory(prefix="inmail-stdlib-") as name:
        folder = Path(name)
        (folder / "cases.json").write_bytes(cases)
        command = [node, str(RECORDER), str(pyodide), str(runtime)]
        command += [str(folder / "cases.json"), str(folder / "out.json")]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not (folder / "out.json").is_file():
            raise RecordError(f"recording the standard library failed:\n{result.stderr[-3000:]}")
        out = json.loads((folder / "out.json").read_text(encoding="utf-8"))
    CACHE.mkdir(exist_ok=True)
    cached.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    recorded: list[str] = out["files"]
    return recorded


def trimmed_archive(full: bytes, files: list[str]) -> bytes:
    """The entries of ``full`` named in ``files``, in the archive's order, same bytes, fixed
    times: the same inputs give the same archive."""
    wanted = set(files)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(full)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        missing = wanted - set(source.namelist())
        if missing:
            raise RecordError(f"not in Pyodide's archive: {', '.join(sorted(missing))}")
        for info in source.infolist():
            if info.filename in wanted:
                entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                target.writestr(entry, source.read(info), compresslevel=9)
    return buffer.getvalue()
