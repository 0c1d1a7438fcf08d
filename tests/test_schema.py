"""Every report, and every batch output line, matches src/inmail_checker/report.schema.json."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from inmail_checker import RULES, check
from inmail_checker.batch import TEMPLATE_RULE, BatchStream, check_batch
from inmail_checker.registry import CATEGORIES
from inmail_guide.schema_block import EXAMPLE_BODY, EXAMPLE_SUBJECT, report_example
from inmail_lab.corpus import load_all as load_corpus

SCHEMA = json.loads(
    (resources.files("inmail_checker") / "report.schema.json").read_text(encoding="utf-8")
)
REPORT = Draft202012Validator(SCHEMA)
BATCH_LINE = Draft202012Validator(
    {"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": "#/$defs/batch_result"}
)
BATCH_SUMMARY = Draft202012Validator(
    {"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": "#/$defs/batch_summary"}
)

EDGE_CASES = [
    ("", ""),
    ("   \n\t ", ""),
    ("", "Only a subject"),
    ("\x00\x01\x7f\x1b[31m", "\x00"),
    ("lone \ud800 surrogate \udfff", "\udbff"),
    ("👩🏽‍💻 Hi Ana 👋🏾 could we book a demo? 🇬🇧", "Hi 👋"),
    ("مرحبا، أود أن أسألك عن عملك. Would you be open to a quick call?", "سؤال"),
    ("שלום! I read your article. 你好，我读了你的文章。नमस्ते", "Question"),
    ("de\u0301mo d\u200bemo ｄｅｍｏ dеmo FREE!!! {first_name}", "RE: FREE $$$"),
    ("x" * 5000, "y" * 300),
]


def _errors(validator: Draft202012Validator, instance: object) -> list[str]:
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(instance)]


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_knows_every_category_and_rule_id() -> None:
    categories = SCHEMA["$defs"]["category"]["enum"]
    assert set(categories) == set(CATEGORIES) - {"strength"}
    id_schema = Draft202012Validator(SCHEMA["$defs"]["rule_id"])
    for rule_id in [rule.id for rule in RULES] + [TEMPLATE_RULE.id]:
        assert id_schema.is_valid(rule_id), rule_id


@pytest.mark.parametrize(("body", "subject"), EDGE_CASES)
def test_edge_case_reports_match_the_schema(body: str, subject: str) -> None:
    report = check(body, subject).to_dict()
    assert _errors(REPORT, report) == []
    # What JSON consumers receive, after a round trip, must match too.
    assert _errors(REPORT, json.loads(check(body, subject).to_json())) == []


def test_corpus_reports_match_the_schema() -> None:
    drafts = load_corpus()
    assert drafts
    for draft in drafts:
        assert _errors(REPORT, check(draft.body, draft.subject or "").to_dict()) == [], draft.id


def test_rule_examples_match_the_schema() -> None:
    for rule in RULES:
        for example in (*rule.flagged, *rule.clean):
            report = check(example.body, example.subject).to_dict()
            assert _errors(REPORT, report) == [], rule.id


def test_batch_lines_match_the_schema() -> None:
    template = (
        "Hi {0}, I came across your profile and loved your work at {1}. We help teams like "
        "yours double their pipeline with our platform. Open to a quick call next week?"
    )
    drafts: list[tuple[str | int, str, str]] = [
        (f"t{n}", "Quick question", template.format(name, company))
        for n, (name, company) in enumerate([("Ana", "Acme"), ("Ben", "Globex"), ("Cy", "Hooli")])
    ]
    drafts += [(n, subject, body) for n, (body, subject) in enumerate(EDGE_CASES)]
    lines = [result.to_dict() for result in check_batch(drafts)]
    assert any(f["rule"] == "bulk.template" for line in lines for f in line["findings"])
    for line in lines:
        assert _errors(BATCH_LINE, line) == []
        assert _errors(BATCH_LINE, json.loads(json.dumps(line))) == []
    stream = BatchStream()
    for draft in drafts:
        assert _errors(BATCH_LINE, stream.check(*draft).to_dict()) == []
    summary = stream.summary(skipped=2).to_dict()
    assert summary["summary"]["templates"][0]["ids"] == ["t0", "t1", "t2"]
    assert _errors(BATCH_SUMMARY, json.loads(json.dumps(summary))) == []
    assert _errors(BATCH_LINE, summary) and _errors(BATCH_SUMMARY, lines[0])


@pytest.mark.parametrize(
    "breakage",
    [
        lambda r: r.pop("stats"),
        lambda r: r.update(verdict="spam"),
        lambda r: r.update(score=101),
        lambda r: r.update(extra=1),
        lambda r: r["findings"][0].update(severity="critical"),
        lambda r: r["findings"][0]["spans"].append({"start": 0, "end": 1}),
        lambda r: r["findings"][0].update(points=-3),
        lambda r: r["findings"][0].update(rule="Not An Id"),
        lambda r: r["breakdown"].update(total="66"),
        lambda r: r["context"].update(stage="second"),
    ],
)
def test_the_schema_rejects_broken_reports(breakage) -> None:
    report = check("Book a demo of our platform!!! {first_name}", "FREE").to_dict()
    assert report["findings"]
    broken = copy.deepcopy(report)
    breakage(broken)
    assert _errors(REPORT, broken)


def test_the_example_on_the_schema_page_is_made_by_the_checker() -> None:
    (pre,) = report_example()
    example = json.loads(pre[0].text or "")
    assert _errors(REPORT, example) == []
    actual = check(EXAMPLE_BODY, EXAMPLE_SUBJECT).to_dict()
    assert example["score"] == actual["score"] and example["breakdown"] == actual["breakdown"]
    spans = {span["text"]: span for f in actual["findings"] for span in f["spans"]}
    assert spans["a demo"]["start"] == 23 and spans["a demo"]["start_utf16"] == 24
