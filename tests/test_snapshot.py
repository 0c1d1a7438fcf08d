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

from pathlib import Path

import pytest

from inmail_checker import web
from inmail_lab.corpus import load_all

from .node_run import NodeRun

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.node


@pytest.fixture(scope="module")
def snapshot_run(tmp_path_factory: pytest.TempPathFactory, runtime_dir: Path) -> dict[str, object]:
    drafts = load_all()
    payload = [{"subject": draft.subject or "", "body": draft.body} for draft in drafts]
    run = NodeRun.start("snapshot.mjs", runtime_dir, tmp_path_factory.mktemp("snapshot"), payload)
    expected = [web.check_draft(item["body"], item["subject"]) for item in payload]
    result = run.result()
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
