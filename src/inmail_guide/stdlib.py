"""The standard library archive the page ships: only what the checker and Pyodide's start use.

Pyodide's ``python_stdlib.zip`` (2.5 MB, already compressed) holds the whole standard library;
the checker and Pyodide's own start-up import about a quarter of it. At build time,
``record_imports.mjs`` starts Pyodide under Node from the full archive the way the page's
worker does, checks every draft of the labelled corpora, raises one error through the FFI and
makes one memory snapshot, and lists the archive's files that ``sys.modules`` then holds. The
trimmed archive has exactly those modules, compiled by that same Python (``optimize=2``: without
docstrings and asserts, as ``python -OO`` runs) into sourceless ``.pyc`` files whose location
tables keep lines but not columns, and the page serves it under the same name,
``python_stdlib.zip``, so Pyodide's default ``stdLibURL`` fetches it. Compiling is most of
Python's start-up time in the browser: precompiled, Python starts two to three times sooner.
Its entries are stored, not deflated: the page gets it as one Zstandard stream
(:mod:`inmail_guide.webbuild`), 0.64 MB, where the same files deflated one by one made 0.88 MB
(Pyodide's whole archive is 2.5 MB, the sources of the same modules 0.74 MB); the columns (which
only a traceback's carets use) would add a third.

pyodide-pack (PyPI, last release 0.2.0 in December 2022) records imports in the same way, but
it bundles the imported packages of an app for the Pyodide of its day, not the standard library
archive of Pyodide 314; Pyodide's own ``stdLibURL`` option is all the page needs to load
another archive.

A recording takes half a minute, so the archive is kept in ``.cache/`` under the hash of
everything it depends on (Pyodide's archive and wasm, the wheel, the lock, the drafts, the
recorder); any change records again. ``tests/test_parity.py`` checks every corpus draft in
Pyodide with only the trimmed archive, against CPython.
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


class RecordError(RuntimeError):
    """The recording run failed."""


def _cases() -> list[dict[str, str]]:
    from inmail_lab.corpus import load_all  # dev tooling: the labelled corpora

    return [{"subject": draft.subject or "", "body": draft.body} for draft in load_all()]


def recorded_archive(pyodide: Path, runtime: Path, wheel: Path, lock: Path) -> bytes:
    """The trimmed archive: the modules the checker's run in Pyodide imported, compiled by that
    Python (cached by their inputs)."""
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
    cached = CACHE / f"stdlib-{key.hexdigest()[:24]}.zip"
    if cached.is_file():
        return cached.read_bytes()
    node = shutil.which("node")
    if node is None:
        raise RecordError("node is not on PATH: the build records the standard library in Node")
    with tempfile.TemporaryDirectory(prefix="inmail-stdlib-") as name:
        folder = Path(name)
        (folder / "cases.json").write_bytes(cases)
        command = [node, str(RECORDER), str(pyodide), str(runtime)]
        command += [str(folder / "cases.json"), str(folder / "out.json"), str(folder / "out.zip")]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not (folder / "out.zip").is_file():
            raise RecordError(f"recording the standard library failed:\n{result.stderr[-3000:]}")
        archive = (folder / "out.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(archive)) as check:
        if check.testzip() is not None or not check.namelist():
            raise RecordError("the recorded standard library archive is broken")
    CACHE.mkdir(exist_ok=True)
    cached.write_bytes(archive)
    return archive
