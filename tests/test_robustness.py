"""The core never raises, whatever the string: odd characters, odd sizes, random mixtures."""

from __future__ import annotations

import json
import random

import pytest

from inmail_checker import check
from inmail_checker.scoring import verdict_for

from .hostile import seeded_text
from .test_spans import assert_spans_exact

ODD_INPUTS = {
    "empty": ("", ""),
    "whitespace only": (" \t\n\r\n  \u00a0\u3000", "   "),
    "only a subject": ("", "Question about your talk"),
    "NUL and controls": ("\x00\x01\x02\x08\x0b\x0c\x1b[2J\x7f\x85", "\x00"),
    "lone high surrogate": ("\ud800", "\ud800"),
    "lone low surrogate inside words": ("de\udc00mo fr\udfffee call", "a\udbffb"),
    "reversed surrogate pair": ("\udc00\ud800", ""),
    "arabic": ("مرحبا، قرأت مقالك عن التعلم الآلي. هل يمكنك مشاركة الشرائح؟", "سؤال"),
    "hebrew with latin": ("שלום דנה, I read your paper. תודה!", "שאלה"),
    "cjk": ("你好，我读了你的文章。可以请教一个问题吗？" * 20, "问题"),
    "devanagari": ("नमस्ते प्रिया, मैंने आपका लेख पढ़ा। क्या आप स्लाइड साझा कर सकती हैं?", "प्रश्न"),
    "thai and korean": ("สวัสดีครับ 안녕하세요 반갑습니다", ""),
    "emoji zwj and skin tones": ("👩🏽‍💻👨‍👩‍👧‍👦🏳️‍🌈👍🏿🇺🇦 " * 30, "🔥🔥🔥"),
    "combining marks pile": ("a" + "\u0301" * 500 + " demo\u0301\u0302\u0303", "e\u0301"),
    "only combining marks": ("\u0301\u0302\u0303", "\u0301"),
    "bidi overrides": ("\u202ebook a call\u202c \u2066free\u2069", "\u202eFREE"),
    "zero-width everywhere": ("\u200b".join("book a free demo call now"), "\ufeff"),
    "ligatures and fullwidth": ("ﬁnancial ﬀ ｆｒｅｅ ｍｏｎｅｙ Ⅻ ㎏ ﷺ", "ＦＲＥＥ"),
    "special casing": ("İSTANBUL ΐΰ ŉ ǰ ß ẞ ﬃ", "İİİ"),
    "private use and noncharacters": ("\ue000\uf8ff\ufffe\uffff\U0010ffff", ""),
    "line and paragraph separators": ("one\u2028two\u2029three\x1c\x1d\x1e", ""),
    "very long word": ("x" * 100_000, ""),
    "many short lines": ("hi\n" * 20_000, ""),
    "many questions": ("Why? " * 5_000, "Why?"),
    "many exclamations": ("Wow!!! " * 5_000, "!!!"),
    "merge fields": ("{first_name} {{company}} [Name] <Title> %NAME% *|FNAME|*", "{first_name}"),
    "regex metacharacters": (r"(?:.*)+ [^\]] \\ $^ {2,} (?<!x) \b \1", "(.*)"),
}


def assert_sane(body: str, subject: str) -> None:
    report = check(body, subject)
    assert 0 <= report.score <= 100
    assert verdict_for(report.score) == report.verdict
    assert report.stats.body_chars == len(body)
    assert report.stats.subject_chars == len(subject)
    assert json.loads(report.to_json()) == report.to_dict()
    assert_spans_exact(body, subject)


@pytest.mark.parametrize(("body", "subject"), ODD_INPUTS.values(), ids=ODD_INPUTS.keys())
def test_odd_inputs_never_raise(body: str, subject: str) -> None:
    assert_sane(body, subject)


@pytest.mark.parametrize("body", ["", " ", "\n\n\t", "\u00a0\u3000"])
def test_an_empty_draft_is_a_finding(body: str) -> None:
    report = check(body, "A subject")
    assert [f.rule for f in report.findings].count("form.empty") == 1
    assert report.verdict != "looks-genuine"


def test_only_a_subject_is_still_empty() -> None:
    assert "form.empty" in {f.rule for f in check("", "Question about your talk").findings}


def test_a_lone_surrogate_serialises_and_the_cli_can_encode_it() -> None:
    # Past the length limit, so form.over-limit's text holds the surrogate.
    report = check("word " * 420 + "\ud800", "\udfff")
    assert any("\ud800" in span.text for finding in report.findings for span in finding.spans)
    text = report.to_json()
    assert "\ud800" in text
    with pytest.raises(UnicodeEncodeError):
        text.encode("utf-8")  # why the CLI writes with errors="backslashreplace"
    escaped = text.encode("utf-8", "backslashreplace")
    assert json.loads(escaped) == report.to_dict()


def test_non_string_input_is_read_as_text() -> None:
    assert check(None, None).stats.body_chars == 0  # type: ignore[arg-type]
    assert check(12345, 7).stats.body_chars == 5  # type: ignore[arg-type]


def test_a_megabyte_of_mixed_text() -> None:
    unit = (
        "Hi Ana 👋🏽, I read your post on café queues — “great”! Would you book a demo? "
        "مرحبا 你好 de\u0301mo\u200b FREE!!! {first_name}\n"
    )
    body = unit * (1_000_000 // len(unit) + 1)
    assert len(body) >= 1_000_000
    report = check(body, "Subject " * 40)
    assert report.stats.body_chars == len(body)
    assert any(f.rule == "form.over-limit" for f in report.findings)
    assert report.verdict == verdict_for(report.score)
    for item in (*report.findings, *report.strengths):
        for span in item.spans:
            if span.field == "body" and not span.text.endswith("…"):
                assert body[span.start : span.end] == span.text


def test_random_mixtures_never_raise() -> None:
    rng = random.Random(20261127)
    for _ in range(250):
        assert_sane(seeded_text(rng, 40), seeded_text(rng, 40)[:80])
