"""Once imported, the checker reads no file: the page's worker restores Python from a memory
snapshot, which holds what the package had read when it was taken but none of its files. Every
table the checker needs is read at import; this runs checks of every kind in a fresh
interpreter whose file reading fails after the import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from inmail_lab.corpus import load_all

from .hostile import seeded_drafts

ROOT = Path(__file__).resolve().parents[1]

_RUN = """
import builtins, io, json, os, pathlib, sys
sys.path.insert(0, sys.argv[1])
import inmail_checker
from inmail_checker import web

def no_files(*args, **kwargs):
    raise OSError("the checker read a file after its import")

builtins.open = io.open = os.open = pathlib.Path.open = no_files
pathlib.Path.read_text = pathlib.Path.read_bytes = no_files
cases = json.loads(sys.stdin.read())
for subject, body in cases:
    web.check_draft(body, subject)
print(len(cases))
"""


def test_checking_reads_no_file_after_the_import() -> None:
    cases = [(draft.subject or "", draft.body) for draft in load_all()[::5]]
    cases += seeded_drafts(7, 200)
    cases += [("Café ☕", "Olá Zoë! Можно вопрос? 你好 — é\u0301 😀 \U0001e030 ＦＲＥＥ " * 20)]
    done = subprocess.run(
        [sys.executable, "-I", "-c", _RUN, str(ROOT / "src")],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == str(len(cases))
