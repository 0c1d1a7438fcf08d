"""A report has a size limit, whatever the draft: MAX_REPORT_BYTES, on the schema page.

The bound is worked out from the rules (their texts, the limits of report.py) and compared with
the documented figure; then the largest report this test can make is checked against it."""

from __future__ import annotations

import json
import re

from inmail_checker import RULES, check
from inmail_checker.report import MAX_REPORT_BYTES, MAX_SPANS, QUOTE_LIMIT
from inmail_checker.scoring import MODEL

# Each character of a text costs at most 6 bytes of JSON: a control character or a lone
# surrogate is written as an escape, \u0001 or \udc80; anything else as UTF-8 (4 at most).
BYTES_PER_CHAR = 6
NUMBER = 12  # digits of any offset or count
SPAN = 100 + 4 * NUMBER + BYTES_PER_CHAR * (QUOTE_LIMIT + 1)
PLACEHOLDER = re.compile(r"\{[a-z_]+[^}]*\}")
MESSAGE_VALUE = BYTES_PER_CHAR * 400  # a quoted place (60 characters) or five quoted clues


def _text(value: str) -> int:
    return BYTES_PER_CHAR * len(value)


def _rule_bound(rule: object) -> int:
    texts = [rule.id, rule.category, rule.title, rule.rationale, rule.fix, rule.message]  # type: ignore[attr-defined]
    size = 400 + sum(_text(text) for text in texts)
    size += MESSAGE_VALUE * len(PLACEHOLDER.findall(rule.message))  # type: ignore[attr-defined]
    size += MAX_SPANS * SPAN
    spec = rule.rewrite  # type: ignore[attr-defined]
    if spec is not None:
        words = _text(spec.text) + _text(spec.fill_in) + BYTES_PER_CHAR * QUOTE_LIMIT
        size += MAX_SPANS * (60 + SPAN + words)
    if rule.kind == "model":  # type: ignore[attr-defined]
        longest = max(len(feature) for feature in MODEL.words)
        size += MAX_SPANS * (40 + NUMBER + _text("x" * longest))
    return size


def bound() -> int:
    """The most bytes a report's JSON can take: every rule at its largest, the score's sum with
    a term for each, and the fixed fields."""
    rules = [rule for rule in RULES if rule.scope == "draft"]
    terms = sum(80 + NUMBER + _text(rule.id) + _text(rule.title) for rule in rules)
    return 1_000 + terms + sum(_rule_bound(rule) for rule in rules)


def _json_bytes(body: str, subject: str) -> int:
    # As the CLI writes it: UTF-8, a lone surrogate as its escape.
    text = check(body, subject).to_json()
    return len(text.encode("utf-8", "backslashreplace"))


def test_the_documented_bound_holds_for_the_rules() -> None:
    assert bound() <= MAX_REPORT_BYTES
    # Not a figure picked out of the air: within a factor of two of the worked-out bound.
    assert 2 * bound() > MAX_REPORT_BYTES


def _inflated(text: str) -> str:
    """``text`` with a zero-width space after each character: the rules still read the same
    words (folding drops it), and every place the report quotes is three times the bytes."""
    return "\u200b".join(text)


def test_the_largest_report_this_test_can_make_stays_under_the_bound() -> None:
    examples = [
        example for rule in RULES for example in (*rule.flagged, *rule.clean) if example.body
    ]
    unit = "\n\n".join(_inflated(example.body) for example in examples)
    body = (unit + "\n\n") * (MAX_SPANS + 5)
    body += "FREE MONEY NOW " * 3000 + "!?" * 5000 + "😀🔥" * 2000 + " \x01\ud800" * 3000
    subject = _inflated(" ".join(e.subject for e in examples if e.subject))
    size = _json_bytes(body, subject)
    report = check(body, subject)
    assert len(report.findings) >= 25
    assert max(finding.count for finding in report.findings) > MAX_SPANS
    assert all(len(finding.spans) <= MAX_SPANS for finding in report.findings)
    assert size <= MAX_REPORT_BYTES
    print(f"largest report made: {size:,} bytes; bound {bound():,}; limit {MAX_REPORT_BYTES:,}")


def test_a_huge_hostile_draft_gives_a_small_report() -> None:
    # The shapes of the issue: 500,000 marks, merge fields, questions (tens of MB before).
    for body in ("! " * 500_000, "[Name] " * 150_000, "Why? " * 200_000):
        report = check(body, "[Name]!!")
        assert len(json.dumps(report.to_dict())) < 100_000
        assert any(f.rule == "form.checked-in-part" for f in report.findings)
