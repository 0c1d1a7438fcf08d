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
from .render import Mark, marks, segments, text_report
from .report import SEVERITY_LABELS, VERDICT_LABELS, Field, Report
from .text import utf16_offsets


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def ready() -> str:
    """What the page needs before its first check: the limits it counts against, the words it
    shows for verdicts, severities and categories, and every rule's title."""
    limits = RULES_BY_ID["form.near-limit"].params
    return _dumps(
        {
            "version": __version__,
            "limits": {
                "subject": RULES_BY_ID["subject.too-long"].params["limit"],
                "body": limits["limit"],
                "body_safe": limits["safe"],
            },
            "labels": {
                "verdicts": VERDICT_LABELS,
                "severities": SEVERITY_LABELS,
                "categories": CATEGORIES,
            },
            "rules": [
                {"id": r.id, "title": r.title, "category": r.category, "strength": r.is_strength}
                for r in RULES
            ],
        }
    )


def _painted(report: Report, field: Field, text: str) -> list[dict[str, Any]]:
    """The field's marked segments, in UTF-16 units (JavaScript string indices)."""
    units = utf16_offsets(text)
    result = []
    for segment in segments(text, marks(report.findings, field)):
        if not segment.marks:
            continue
        start, end = (
            (units[segment.start], units[segment.end]) if units else (segment.start, segment.end)
        )
        result.append(
            {
                "start": start,
                "end": end,
                "kind": segment.kind,
                "findings": [mark.index for mark in segment.marks],
                "region": all(_is_region(mark) for mark in segment.marks),
            }
        )
    return result


REGION_LENGTH = 80
"""A mark longer than this (code points) marks a region ("the part past 1,200 characters");
the page draws it lighter so that the words inside stay readable."""


def _is_region(mark: Mark) -> bool:
    return mark.end - mark.start > REGION_LENGTH


def check_draft(body: str, subject: str) -> str:
    """The report (exactly what ``inmail-check --format json --no-config`` prints) and the
    marked segments of each field."""
    report = check(body, subject)
    return _dumps(
        {
            "report": report.to_dict(),
            "segments": {
                "subject": _painted(report, "subject", subject),
                "body": _painted(report, "body", body),
            },
        }
    )


def report_text(body: str, subject: str) -> str:
    """The plain-text report, as the CLI prints it, for the page's Copy report."""
    return text_report(check(body, subject), body, subject)
