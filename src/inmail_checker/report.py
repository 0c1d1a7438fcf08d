"""The report a check returns, and its one JSON shape (documented in docs/schema.md).

This module sits at the bottom of the package: it imports nothing of it. The words a reader
sees for a verdict or a severity live here too, so the CLI, the docs and the page (through the
worker's ready message) all show the same labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

SCHEMA_VERSION = 1

Verdict = Literal["looks-genuine", "needs-work", "likely-spam"]
Severity = Literal["low", "medium", "high"]
Field = Literal["subject", "body"]

VERDICTS: tuple[Verdict, ...] = ("looks-genuine", "needs-work", "likely-spam")
"""Best first."""
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high")
"""Mildest first."""

VERDICT_LABELS: dict[Verdict, str] = {
    "looks-genuine": "Looks genuine",
    "needs-work": "Needs work",
    "likely-spam": "Likely spam",
}
SEVERITY_LABELS: dict[Severity, str] = {"low": "Low", "medium": "Medium", "high": "High"}


@dataclass(frozen=True, slots=True)
class Span:
    """Where a finding points, as offsets into the text the user typed.

    ``start``/``end`` count Unicode code points (Python string indices); ``start_utf16`` and
    ``end_utf16`` count UTF-16 code units (JavaScript string indices). Both are half-open.
    """

    start: int
    end: int
    start_utf16: int
    end_utf16: int

    def to_dict(self) -> dict[str, int]:
        return {
            "start": self.start,
            "end": self.end,
            "start_utf16": self.start_utf16,
            "end_utf16": self.end_utf16,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a draft."""

    rule: str
    category: str
    severity: Severity
    message: str
    rationale: str
    fix: str
    field: Field
    span: Span | None
    """None when the finding is about the field as a whole (nothing in it to point at)."""
    text: str
    """The exact text the span covers ("" when ``span`` is None)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "rationale": self.rationale,
            "fix": self.fix,
            "field": self.field,
            "span": self.span.to_dict() if self.span else None,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Strength:
    """Something the draft does well, credited in the score."""

    rule: str
    message: str
    field: Field
    span: Span | None
    text: str
    bonus: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "message": self.message,
            "field": self.field,
            "span": self.span.to_dict() if self.span else None,
            "text": self.text,
            "bonus": self.bonus,
        }


@dataclass(frozen=True, slots=True)
class Stats:
    """Sizes of the draft, in code points (what the checker and the page both count)."""

    subject_chars: int
    body_chars: int
    body_words: int

    def to_dict(self) -> dict[str, int]:
        return {
            "subject_chars": self.subject_chars,
            "body_chars": self.body_chars,
            "body_words": self.body_words,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The result of checking one draft."""

    score: int
    verdict: Verdict
    findings: tuple[Finding, ...]
    strengths: tuple[Strength, ...]
    penalties: dict[str, int]
    """Points taken off per category, after each category's cap."""
    bonus: int
    """Points added for strengths, after the cap."""
    stats: Stats
    version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "score": self.score,
            "verdict": self.verdict,
            "findings": [finding.to_dict() for finding in self.findings],
            "strengths": [strength.to_dict() for strength in self.strengths],
            "penalties": dict(self.penalties),
            "bonus": self.bonus,
            "stats": self.stats.to_dict(),
        }

    def to_json(self, indent: int | None = None) -> str:
        """The report as JSON text (UTF-8 safe; non-ASCII kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
