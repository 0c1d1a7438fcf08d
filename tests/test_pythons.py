"""One Unicode across Pythons: every CPython on this machine (3.11 to 3.14, whichever are
installed: on PATH, the system's, pyenv's) gives the same reports as this one, on the hostile
drafts the parity test sends to Pyodide too. Each Python knows another Unicode version (3.11:
14.0, 3.13: 15.1, 3.14: 16.0); the checker reads its own tables, never the interpreter's.

This Python itself is always run again too, in a fresh process with another hash seed: the
report must not depend on the order of a set.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from inmail_checker import web

from .hostile import FUZZ_DRAFTS, FUZZ_SEED, seeded_drafts

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"

# Run by each Python with only the standard library and the sources: a bare interpreter.
_RUN = """
import json, sys
sys.path.insert(0, sys.argv[1])
from inmail_checker import web
cases = json.load(open(sys.argv[2], encoding="utf-8"))
results = [web.check_draft(body, subject) for subject, body in cases]
json.dump({"version": sys.version.split()[0], "results": results},
          open(sys.argv[3], "w", encoding="utf-8"))
"""


def _version(python: str) -> str | None:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def other_pythons() -> dict[str, str]:
    """Each CPython 3.11+ found here that is not this one's version: version -> path."""
    candidates = [shutil.which(f"python3.{minor}") for minor in range(11, 16)]
    candidates += [shutil.which("python3"), "/usr/bin/python3", "/usr/local/bin/python3"]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += [str(path) for path in sorted(pyenv.glob("3.*/bin/python3"))]
    found: dict[str, str] = {}
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    for python in filter(None, candidates):
        version = _version(python)
        if version and version != here and tuple(map(int, version.split("."))) >= (3, 11):
            found.setdefault(version, python)
    return found


def test_every_python_here_gives_the_same_reports(tmp_path: Path) -> None:
    cases = seeded_drafts(FUZZ_SEED, FUZZ_DRAFTS)
    cases.append(("Can we book a call?", "Can we book a c\U0001e030ll this week?"))
    cases_path = tmp_path / "cases.json"
    cases_path.write_text(json.dumps(cases), encoding="utf-8")
    expected = [web.check_draft(body, subject) for subject, body in cases]
    pythons = {**other_pythons(), "this one, another hash seed": sys.executable}
    for name, python in pythons.items():
        out = tmp_path / f"out-{name}.json"
        done = subprocess.run(
            [python, "-I", "-c", _RUN, str(SOURCE), str(cases_path), str(out)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "12345"},
            timeout=600,
        )
        assert done.returncode == 0, f"{python}: {done.stderr[-2000:]}"
        results = json.loads(out.read_text(encoding="utf-8"))["results"]
        for index, (got, want) in enumerate(zip(results, expected, strict=True)):
            assert got == want, f"Python {name} ({python}) differs on case {index}: {cases[index]}"
