"""The checker as the page's Web Worker calls it, through Pyodide.

The worker imports this module and calls its functions with the reader's text as arguments
(never as Python source); each returns JSON text, the only thing that crosses to the page.
The parity test calls the same functions in CPython and in Pyodide under Node.
"""

from __future__ import annotations

import json
from typing import Any

from . import __version__
from .engine import check
from .registry import CATEGORIES, RULES, RULES_BY_ID
from .render import breakdown, markdown_report, marks, segments, text_report
from .report import (
    AUDIENCE_LABELS,
    MAX_CHECKED,
    SEVERITY_LABELS,
    STAGE_LABELS,
    VERDICT_LABELS,
    Context,
    Field,
    Finding,
    Report,
    Strength,
)
from .scoring import THRESHOLDS, points
from .text import utf16_offsets

REGION_LENGTH = 80
"""A mark longer than this (code points) marks a region ("the part past 1,200 characters");
the page draws it lighter so that the words inside stay readable."""


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def ready() -> str:
    """What the page needs before its first check: the limits it counts against, the words it
    shows for verdicts, severities, categories and contexts, and every rule's title and
    points."""
    limits = RULES_BY_ID["form.near-limit"].params
    return _dumps(
        {
            "version": __version__,
            "limits": {
                "subject": RULES_BY_ID["subject.too-long"].params["limit"],
                "body": limits["limit"],
                "body_safe": limits["safe"],
                "checked": MAX_CHECKED,
            },
            "thresholds": {verdict: lowest for lowest, verdict in THRESHOLDS},
            "labels": {
                "verdicts": VERDICT_LABELS,
                "severities": SEVERITY_LABELS,
                "categories": CATEGORIES,
                "stages": STAGE_LABELS,
                "audiences": AUDIENCE_LABELS,
            },
            "rules": [
                {
                    "id": r.id,
                    "title": r.title,
                    "category": r.category,
                    "strength": r.is_strength,
                    "points": points(r),
                }
                for r in RULES
            ],
        }
    )


def _context(stage: str, answered: bool, audience: str) -> Context:
    return Context(stage=stage, answered=bool(answered), audience=audience)  # type: ignore[arg-type]


def _painted(report: Report, field: Field, text: str) -> list[dict[str, Any]]:
    """The field's marked segments, in UTF-16 units (JavaScript string indices). A segment's
    ``findings`` and ``strengths`` index the report's lists."""
    units = utf16_offsets(text)
    items: list[Finding | Strength] = [*report.findings, *report.strengths]
    problems = len(report.findings)
    result = []
    for segment in segments(text, marks(items, field)):
        if not segment.marks:
            continue
        start, end = segment.start, segment.end
        if units:
            start, end = units[start], units[end]
        result.append(
            {
                "start": start,
                "end": end,
                "kind": segment.kind,
                "findings": [m.index for m in segment.marks if m.index < problems],
                "strengths": [m.index - problems for m in segment.marks if m.index >= problems],
                "region": all(m.end - m.start > REGION_LENGTH for m in segment.marks),
            }
        )
    return result


def check_draft(
    body: str, subject: str, stage: str = "first", answered: bool = False, audience: str = "one"
) -> str:
    """The report (exactly what ``inmail-check --format json --no-config`` prints, with the
    same context), the score's sum in words, and the marked segments of each field."""
    report = check(body, subject, context=_context(stage, answered, audience))
    return _dumps(
        {
            "report": report.to_dict(),
            "sum": breakdown(report),
            "segments": {
                "subject": _painted(report, "subject", subject),
                "body": _painted(report, "body", body),
            },
        }
    )


def report_text(
    body: str,
    subject: str,
    stage: str = "first",
    answered: bool = False,
    audience: str = "one",
    markdown: bool = False,
) -> str:
    """The report as the CLI prints it (or in Markdown), for the page's Copy report."""
    report = check(body, subject, context=_context(stage, answered, audience))
    if markdown:
        return markdown_report(report, body, subject)
    return text_report(report, body, subject, suggest=True)
