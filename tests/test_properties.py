"""Properties of every report, on hostile drafts drawn by Hypothesis (tests/hostile.py).

``make test`` draws a bounded number of drafts, the same ones on every run (the "default"
profile, derandomised); ``make fuzz`` draws many more, new ones each time (the "fuzz" profile).
The profiles are in tests/conftest.py.
"""

from __future__ import annotations

import json

import regex
from hypothesis import example, given

from inmail_checker import check
from inmail_checker.report import MAX_REPORT_BYTES
from inmail_checker.scoring import verdict_for

from .hostile import hostile_subject, hostile_text
from .test_spans import assert_spans_exact

_CLUSTER = regex.compile(r"\X", regex.DOTALL)


def boundaries(text: str) -> set[int]:
    """Where a character as a reader sees it may start or end (UAX #29, by the regex module,
    which knows nothing of the checker's own tables)."""
    found = {0, len(text)}
    found.update(match.end() for match in _CLUSTER.finditer(text))
    return found


@given(body=hostile_text, subject=hostile_subject)
@example(body="❤️❤️❤️ free demo ❤️", subject="🇬🇧🇬 FREE")
@example(body="Can we book a c\U0001e030ll this week?", subject="")
def test_every_report_keeps_its_promises(body: str, subject: str) -> None:
    report = check(body, subject)
    assert 0 <= report.score <= 100
    assert report.verdict == verdict_for(report.score)
    assert report.stats.body_chars == len(body)
    assert report.stats.subject_chars == len(subject)
    text = report.to_json()
    assert json.loads(text) == report.to_dict()
    assert len(text.encode("utf-8", "backslashreplace")) <= MAX_REPORT_BYTES
    # Each span's text is the source's, and its UTF-16 offsets are JavaScript's.
    assert_spans_exact(body, subject)
    # The same draft, the same report.
    assert check(body, subject).to_json() == text


@given(body=hostile_text, subject=hostile_subject)
@example(body="❤️❤️❤️", subject="")
@example(body="Book a de\u0301mo\u0302 👩🏽‍💻 now!!!\r\n\r\n🇬🇧🇫🇷🇩", subject="re:\u0301 free")
def test_no_span_starts_or_ends_inside_a_character(body: str, subject: str) -> None:
    report = check(body, subject)
    fields = {"body": boundaries(body), "subject": boundaries(subject)}
    spans = [span for item in (*report.findings, *report.strengths) for span in item.spans]
    spans += [rewrite.span for finding in report.findings for rewrite in finding.rewrites]
    for span in spans:
        allowed = fields[span.field]
        assert span.start in allowed and span.end in allowed, (span, body, subject)
