"""Spans point at exactly the text the user typed, in code points and in UTF-16 code units."""

from __future__ import annotations

import re

import pytest

from inmail_checker import check
from inmail_checker.registry import RULES_BY_ID
from inmail_checker.report import QUOTE_LIMIT, Span
from inmail_checker.text import fold, utf16_offsets
from inmail_lab.corpus import load_all


def _utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le", "surrogatepass")[2 * start : 2 * end].decode(
        "utf-16-le", "surrogatepass"
    )


def assert_spans_exact(body: str, subject: str = "") -> int:
    """Check every span of the report on ``body``/``subject``; return how many there were."""
    report = check(body, subject)
    fields = {"body": body, "subject": subject}
    count = 0
    spans = [span for item in (*report.findings, *report.strengths) for span in item.spans]
    spans += [r.span for f in report.findings for r in f.rewrites]
    for span in spans:
        original = fields[span.field]
        assert 0 <= span.start <= span.end <= len(original), span
        typed = original[span.start : span.end]
        shortened = span.text.endswith("…") and len(typed) > QUOTE_LIMIT
        assert span.text == typed or (shortened and typed.startswith(span.text[:-1])), span
        assert _utf16_slice(original, span.start_utf16, span.end_utf16) == typed, span
        # The UTF-16 offsets are what JavaScript's String.length gives for the prefix.
        assert (
            span.start_utf16
            == len(original[: span.start].encode("utf-16-le", "surrogatepass")) // 2
        )
        count += 1
    return count


# Each draft hides the same trigger phrase, "a demo", in another way.
EVASIONS = {
    "emoji before": "Hi Ana 👋👩🏽‍💻🇬🇧 could we set up a demo next week?",
    "combining accent": "Hi Ana, could we set up a demo\u0301 next week?",
    "precomposed and combining": "Olá Zoë, café? could we set up a de\u0301mo next week?",
    "zero-width inside": "Hi Ana, could we set up a d\u200bem\u200co next week?",
    "soft hyphen inside": "Hi Ana, could we set up a de\u00admo next week?",
    "fullwidth": "Hi Ana, could we set up ａ ｄｅｍｏ next week?",
    "cyrillic look-alikes": "Hi Ana, could we set up a dеmо next week?",
    "right-to-left before": "مرحبا יוסי 👋🏾 could we set up a demo next week?",
    "spaced out": "Hi Ana, could we set up a d e m o next week?",
    "emoji inside the span": "Hi Ana, could we set up a 🎉 demo?",
}


@pytest.mark.parametrize("body", EVASIONS.values(), ids=EVASIONS.keys())
def test_every_span_slices_to_its_text(body: str) -> None:
    assert_spans_exact(body, "Hello 👋 there")


@pytest.mark.parametrize("body", list(EVASIONS.values())[:-1], ids=list(EVASIONS)[:-1])
def test_the_folded_view_finds_the_phrase_and_maps_it_back(body: str) -> None:
    folded = fold(body)
    match = re.search(r"(?<![a-z])a[\s\-]+demo(?![a-z])", folded.text)
    assert match, folded.text
    start, end = folded.span(*match.span())
    typed = body[start:end]
    # The span covers the phrase as typed: it starts at the "a" and holds every hidden mark.
    assert typed[0] in "aаａ" and typed[-1] in "oоｏ\u0301"
    units = utf16_offsets(body) or list(range(len(body) + 1))
    assert _utf16_slice(body, units[start], units[end]) == typed


def test_an_emoji_before_shifts_utf16_but_not_code_points() -> None:
    body = "Hi Ana 👋 could we book a demo next week? Thanks, Raj"
    report = check(body, "Your talk on queues")
    spans = {span.text: span for f in report.findings for span in f.spans}
    assert "a demo" in spans, "pitch.product-language flags 'a demo' (docs/schema.md example)"
    assert spans["a demo"] == Span("body", 23, 29, 24, 30, "a demo")


def test_subject_spans_count_within_the_subject() -> None:
    subject = "🔥🔥 FREE OFFER!!! 🔥🔥"
    assert assert_spans_exact("Hello Ana, a note about your talk.", subject) >= 1


def test_corpus_spans_are_exact() -> None:
    total = sum(assert_spans_exact(d.body, d.subject or "") for d in load_all())
    assert total > 100


def test_utf16_offsets_of_mixed_text() -> None:
    text = "a😀b\u0301👍🏽c"
    offsets = utf16_offsets(text)
    assert offsets is not None
    assert offsets == [len(text[:i].encode("utf-16-le")) // 2 for i in range(len(text) + 1)]
    assert utf16_offsets("plain é ü ß 中文") is None


@pytest.mark.parametrize(
    "text", ["", "abc", "é中\uffff", "a😀b", "\U00010000", "\U0010ffff", "\ud800\udc00", "\ud83d"]
)
def test_utf16_offsets_at_the_plane_boundaries(text: str) -> None:
    expected = [
        len(text[:i].encode("utf-16-le", "surrogatepass")) // 2 for i in range(len(text) + 1)
    ]
    offsets = utf16_offsets(text)
    assert (offsets or list(range(len(text) + 1))) == expected
    assert (offsets is None) == (expected[-1] == len(text))


def test_a_limit_inside_a_word_marks_the_whole_word() -> None:
    limit = RULES_BY_ID["subject.too-long"].params["limit"]
    subject = "a" * (limit - 3) + " wonderful"
    (finding,) = [
        f
        for f in check("Hi Sam, a question for you?", subject).findings
        if f.rule == "subject.too-long"
    ]
    assert finding.spans[0].text == "wonderful"
    # A limit that falls on a space starts at the next character, as before.
    subject = "a" * limit + " wonderful"
    (finding,) = [
        f
        for f in check("Hi Sam, a question for you?", subject).findings
        if f.rule == "subject.too-long"
    ]
    assert finding.spans[0].text == " wonderful"
