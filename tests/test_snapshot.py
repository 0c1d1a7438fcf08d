"""The worker's start from a memory snapshot (docs/assets/checker/checker-start.mjs), under Node.

Pyodide 314's snapshot API is private: ``makeMemorySnapshot`` and ``loadPyodide``'s
``_makeSnapshot``/``_loadSnapshot`` options. The worker uses it only to start faster on a return
visit and falls back to a normal start when it fails; this test is what fails when an upgrade
of Pyodide changes the API. tests/node/snapshot.mjs starts Python the way the worker does, copies
its memory, starts again from the copy and checks every corpus draft there (the answers must be
CPython's, character for character), then gives the start a broken snapshot, which must end in
a normal start.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from inmail_checker import web
from inmail_lab.corpus import load_all

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "node" / "snapshot.mjs"

pytestmark = pytest.mark.node


@pytest.fixture(scope="module")
def snapshot_run(tmp_path_factory: pytest.TempPathFactory, runtime_dir: Path) -> dict[str, object]:
    node = shutil.which("node")
    assert node, "node is not on PATH: install Node.js 20 or newer"
    drafts = load_all()
    folder = tmp_path_factory.mktemp("snapshot")
    cases, out = folder / "cases.json", folder / "out.json"
    payload = [{"subject": draft.subject or "", "body": draft.body} for draft in drafts]
    cases.write_text(json.dumps(payload), encoding="utf-8")
    process = subprocess.Popen(
        [node, str(SCRIPT), str(runtime_dir), str(cases), str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    expected = [web.check_draft(item["body"], item["subject"]) for item in payload]
    stdout, stderr = process.communicate(timeout=900)
    assert process.returncode == 0, f"snapshot.mjs failed:\n{stdout}\n{stderr[-4000:]}"
    result: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    result["expected"] = expected
    return result


def test_the_pinned_pyodide_still_has_the_private_snapshot_api() -> None:
    pyodide = ROOT / "node_modules" / "pyodide"
    assert "makeMemorySnapshot" in (pyodide / "pyodide.asm.mjs").read_text(encoding="utf-8")
    loader = (pyodide / "pyodide.mjs").read_text(encoding="utf-8")
    assert "_loadSnapshot" in loader and "createPyodideModule" in loader


def test_a_start_from_the_snapshot_gives_cpythons_answers(snapshot_run: dict) -> None:
    assert snapshot_run["first"] == "runtime"
    assert snapshot_run["restoredError"] is None
    assert snapshot_run["restored"] == "snapshot"
    assert snapshot_run["snapshotBytes"] > 1_000_000
    actual, expected = snapshot_run["results"], snapshot_run["expected"]
    assert len(actual) == len(expected)
    mismatched = [
        index for index, (a, b) in enumerate(zip(actual, expected, strict=True)) if a != b
    ]
    assert mismatched == []


def test_a_broken_snapshot_ends_in_a_normal_start(snapshot_run: dict) -> None:
    assert snapshot_run["broken"] == "runtime"
    assert snapshot_run["brokenError"]
