"""A script of ``tests/node/`` run on the built runtime under Node, left to run while the test
works out CPython's side (the machine has two cores)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "tests" / "node"


@dataclass
class NodeRun:
    process: subprocess.Popen[str]
    out: Path
    script: Path

    @classmethod
    def start(cls, script: str, runtime: Path, folder: Path, cases: object) -> NodeRun:
        """Start ``tests/node/<script>`` on ``runtime`` with ``cases`` (written as JSON)."""
        node = shutil.which("node")
        assert node, "node is not on PATH: install Node.js 20 or newer"
        cases_path, out = folder / "cases.json", folder / "out.json"
        cases_path.write_text(json.dumps(cases), encoding="utf-8")
        path = SCRIPTS / script
        process = subprocess.Popen(
            [node, str(path), str(runtime), str(cases_path), str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return cls(process, out, path)

    def result(self) -> dict[str, Any]:
        """What the script wrote, once it has ended well (15 minutes at most)."""
        stdout, stderr = self.process.communicate(timeout=900)
        assert self.process.returncode == 0, (
            f"{self.script.name} failed:\n{stdout}\n{stderr[-4000:]}"
        )
        result: dict[str, Any] = json.loads(self.out.read_text(encoding="utf-8"))
        return result
