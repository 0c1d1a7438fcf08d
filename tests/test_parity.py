"""Parity: the wheel the site ships, run by Pyodide under Node, says exactly what CPython says.

One Node process (tests/node/parity.mjs) loads Pyodide once from node_modules/pyodide, installs
the checker wheel through the same lock file the site serves, with only the trimmed standard
library archive the site serves (``inmail_guide.stdlib``), and checks every draft of
the labelled corpora plus some hostile strings with ``inmail_checker.web.check_draft``, the
function the page's worker calls. Each result's JSON text must equal what the same function
returns here, character for character.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from inmail_checker import RULES, check, web
from inmail_checker.report import NO_CONTEXT, Context
from inmail_guide import webbuild
from inmail_guide.examples import load_examples
from inmail_lab.corpus import load_all

from .hostile import FUZZ_DRAFTS, FUZZ_SEED, seeded_drafts
from .node_run import NodeRun

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.node

ONE_MEGABYTE = 1_000_000

# Strings where JavaScript and Python are most likely to disagree: UTF-16 surrogate pairs,
# combining marks, bidirectional and invisible characters, line endings, and sheer size.
TRICKY: dict[str, tuple[str, str]] = {
    "emoji": (
        "🚀 Quick question 🚀",
        "Hi Ana 👋🏽, book a call 📅 with me! 👨‍👩‍👧‍👦 🇵🇹 ✨✨✨ Free demo 😀😀😀😀😀",
    ),
    "emoji-before-span": ("😀", "😀😀 Let's book a quick call 🙂 to discuss our platform 🚀"),
    "combining-marks": (
        "Cafe\u0301 question",
        "He\u0301llo Zoë, your te\u0301am's de\u0300mo was great. Fre\u0301e trial?",
    ),
    "rtl": (
        "\u05e9\u05dc\u05d5\u05dd question",
        "\u0645\u0631\u062d\u0628\u0627 Sam, \u202ebook a call\u202c now. "
        "\u05e9\u05dc\u05d5\u05dd, schedule a demo?",
    ),
    "zero-width": (
        "Fr\u200bee m\u200done\u200cy",
        "Book\u200b a\u200d call\ufeff for a f\u00adree d\u2060emo, work from h\u200bome!",
    ),
    "look-alikes-and-leet": ("Fr33 d3mo", "Our pl\u0430tform: b\u043e\u043ek a c4ll, f r e e"),
    "fullwidth": (
        "\uff26\uff52\uff45\uff45",
        "\uff42\uff4f\uff4f\uff4b a call \uff44\uff45\uff4d\uff4f",
    ),
    "line-endings": ("Re: our chat", "Hi Sam,\r\n\r\nJust following up.\rAny news?\n"),
    "control-chars": ("\x00subject", "body\x00with\x07controls\x1b[31m and a NUL"),
    "math-alphanumerics": ("𝔽𝕣𝕖𝕖 𝕞𝕠𝕟𝕖𝕪", "𝐁𝐨𝐨𝐤 𝐚 𝐜𝐚𝐥𝐥 with 𝒶 demo"),
    "lone-surrogates": ("Hi \ud800 there", "Book a call \udc00 😀 \ud83d now, free demo \udfff!"),
    "empty": ("", ""),
    "whitespace": ("   ", "\n\n\t  \n"),
    "over-limits": ("S" * 250, ("A polite sentence about your work. " * 80).strip()),
    "one-megabyte": (
        "A long one",
        (
            ("Hi Sam 👋, I read your paper on river ecology and liked the part on floods. " * 12)
            + "\n"
        )
        * 1110,
    ),
}


# Drafts whose findings offer rewrites (the page's Apply), one per kind of rewrite.
REWRITES: dict[str, tuple[str, str]] = {
    "fake-reply": ("Re: your talk on retries", "Hi Sam, I saw your talk on retries."),
    "shouting-subject": ("QUESTION ABOUT YOUR TALK", "Hi Sam, how did you test the backoff?"),
    "all-caps": ("Your talk", "Hi Sam, your talk was REALLY VERY GOOD. How did you test it?"),
    "exclamations": ("Your talk", "Hi Sam 👋, I saw your talk on retries!!! Any slides?"),
    "shortener": ("Your talk", "Hi Sam, my notes: bit.ly/x2retry 😀. How did you test it?"),
    "generic-greeting": ("Your talk", "Dear Sir/Madam, I saw your talk. How did you test it?"),
    "vague-greeting": ("Your talk", "Hi there, I saw your talk on retries. How did you test it?"),
}

CONTEXTS = [
    Context(),
    Context(stage="reply"),
    Context(stage="follow-up"),
    Context(stage="follow-up", answered=True),
    Context(audience="few"),
    Context(audience="many"),
]


@dataclass(frozen=True)
class Case:
    name: str
    subject: str
    body: str
    context: Context = NO_CONTEXT
    texts: bool = False
    """Also compare the report as Copy report makes it (plain text and Markdown)."""


def _label(context: Context) -> str:
    return f"{context.stage}/{'answered' if context.answered else 'unanswered'}/{context.audience}"


def _cases() -> list[Case]:
    corpus = load_all()
    assert len(corpus) >= 50, "the labelled corpora in tests/corpus/ are missing or tiny"
    cases = [Case(f"corpus:{draft.id}", draft.subject or "", draft.body) for draft in corpus]
    cases += [
        Case(f"tricky:{name}", subject, body, texts=name != "one-megabyte")
        for name, (subject, body) in TRICKY.items()
    ]
    # Hostile drafts (tests/hostile.py), characters new in Unicode 15 and 16 among them: the
    # checker's own Unicode tables, not each Python's, decide what they are.
    cases += [
        Case(f"fuzz:{index}", subject, body)
        for index, (subject, body) in enumerate(seeded_drafts(FUZZ_SEED, FUZZ_DRAFTS))
    ]
    # The page's context questions and its rewrites: every context on drafts with rewrites and
    # on the page's examples, and a non-default context on a sample of the corpus.
    drafts = {**REWRITES, **{f"example-{e.id}": (e.subject, e.body) for e in load_examples()}}
    cases += [
        Case(f"context:{name}:{_label(context)}", subject, body, context, texts=True)
        for name, (subject, body) in drafts.items()
        for context in CONTEXTS
    ]
    cases += [
        Case(
            f"context:corpus:{draft.id}:{_label(context)}", draft.subject or "", draft.body, context
        )
        for draft, context in zip(corpus[::7], itertools.cycle(CONTEXTS[1:]), strict=False)
    ]
    return cases


def _expected(case: Case) -> tuple[str, list[str] | None]:
    c = case.context
    result = web.check_draft(case.body, case.subject, c.stage, c.answered, c.audience)
    texts = None
    if case.texts:
        texts = [
            web.report_text(case.body, case.subject, c.stage, c.answered, c.audience, markdown)
            for markdown in (False, True)
        ]
    return result, texts


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory: pytest.TempPathFactory, runtime_dir: Path) -> dict[str, object]:
    cases = _cases()
    payload = [
        {
            "subject": case.subject,
            "body": case.body,
            "context": case.context.to_dict(),
            "texts": case.texts,
        }
        for case in cases
    ]
    run = NodeRun.start("parity.mjs", runtime_dir, tmp_path_factory.mktemp("parity"), payload)
    expected = {case.name: _expected(case) for case in cases}
    output = run.result()
    names = [case.name for case in cases]
    actual = dict(zip(names, zip(output["results"], output["texts"], strict=True), strict=True))
    return {"runtime": output["runtime"], "expected": expected, "actual": actual}


def test_pyodide_runs_the_wheel_from_build_web(pyodide_run: dict[str, object]) -> None:
    runtime = pyodide_run["runtime"]
    project = webbuild.project_metadata()
    assert runtime["package_version"] == project["version"]
    assert "site-packages/inmail_checker" in runtime["package_file"]
    assert runtime["python"].startswith("3.")
    package_json = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert runtime["pyodide"] == package_json["dependencies"]["pyodide"]
    # Python's standard library came from the trimmed archive only.
    assert all(".zip/" in origin for origin in runtime["stdlib"])


def test_a_traceback_from_the_compiled_archive_names_the_line(
    pyodide_run: dict[str, object],
) -> None:
    import zipfile

    filename, function, line, column = pyodide_run["runtime"]["raised_at"]
    assert filename.endswith(".zip/json/encoder.py") and function == "default"
    with zipfile.ZipFile(webbuild.PYODIDE / "python_stdlib.zip") as whole:
        source = whole.read("json/encoder.py").decode().splitlines()
    assert "raise TypeError" in source[line - 1]
    # The archive keeps lines, not columns (see record_imports.mjs).
    assert column is None


def test_the_runtime_ships_a_trimmed_compiled_standard_library(runtime_dir: Path) -> None:
    import zipfile

    full = webbuild.PYODIDE / "python_stdlib.zip"
    trimmed = runtime_dir / "python_stdlib.zip"
    with zipfile.ZipFile(full) as whole, zipfile.ZipFile(trimmed) as part:
        kept, sources = part.namelist(), set(whole.namelist())
        assert "json/__init__.pyc" in kept and "pyodide/__init__.pyc" in kept
        assert "unittest/__init__.pyc" not in kept and "sqlite3/__init__.pyc" not in kept
        # Each entry is one of Pyodide's modules, compiled (sourceless, PEP 552 hash-based).
        for name in kept:
            assert name.endswith(".pyc") and name[:-1] in sources, name
            assert part.read(name)[4:8] == (1).to_bytes(4, "little"), name
    # What a browser downloads is its Zstandard copy (webbuild.PACKED).
    assert "python_stdlib.zip" in webbuild.PACKED
    sent = runtime_dir / "python_stdlib.zip.zst"
    assert sent.stat().st_size < full.stat().st_size / 3


@pytest.mark.parametrize("name", [case.name for case in _cases()])
def test_pyodide_report_equals_cpython_report(pyodide_run: dict[str, object], name: str) -> None:
    expected, expected_texts = pyodide_run["expected"][name]
    actual, actual_texts = pyodide_run["actual"][name]
    if actual != expected:
        # Show the first difference rather than two long JSON texts.
        mine, theirs = json.loads(expected), json.loads(actual)
        assert theirs == mine
    assert actual == expected
    assert actual_texts == expected_texts


def test_parity_covers_every_context_and_every_kind_of_rewrite() -> None:
    cases = [case for case in _cases() if case.name.startswith("context:")]
    assert {_label(case.context) for case in cases} == {_label(c) for c in CONTEXTS}
    kinds = set()
    for subject, body in REWRITES.values():
        for finding in check(body, subject).findings:
            if finding.rewrites:
                kinds.add(finding.rule)
    rewriting = {rule.id for rule in RULES if rule.rewrite is not None}
    assert kinds == rewriting, "a rule with a rewrite has no parity draft in REWRITES"


def test_the_megabyte_case_is_a_megabyte() -> None:
    _, body = TRICKY["one-megabyte"]
    assert len(body) >= ONE_MEGABYTE
    assert any(ord(char) > 0xFFFF for char in body)
