"""The report a check returns, and its one JSON shape (documented in docs/schema.md).

This module sits at the bottom of the package: it imports nothing of it. The words a reader
sees for a verdict or a severity live here too, so the CLI, the docs and the page (through the
worker's ready message) all show the same labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

SCHEMA_VERSION = 2

Verdict = Literal["looks-genuine", "needs-work", "likely-spam"]
Severity = Literal["low", "medium", "high"]
Field = Literal["subject", "body"]
Stage = Literal["first", "reply", "follow-up"]
Audience = Literal["one", "few", "many"]

VERDICTS: tuple[Verdict, ...] = ("looks-genuine", "needs-work", "likely-spam")
"""Best first."""
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high")
"""Mildest first."""
STAGES: tuple[Stage, ...] = ("first", "reply", "follow-up")
AUDIENCES: tuple[Audience, ...] = ("one", "few", "many")

VERDICT_LABELS: dict[Verdict, str] = {
    "looks-genuine": "Looks genuine",
    "needs-work": "Needs work",
    "likely-spam": "Likely spam",
}
SEVERITY_LABELS: dict[Severity, str] = {"low": "Low", "medium": "Medium", "high": "High"}
STAGE_LABELS: dict[Stage, str] = {
    "first": "A first message",
    "reply": "A reply to them",
    "follow-up": "A follow-up with no answer yet",
}
AUDIENCE_LABELS: dict[Audience, str] = {"one": "One person", "few": "A few", "many": "Many"}
ANSWERED_LABELS: dict[bool, str] = {False: "No", True: "Yes"}
CONTEXT_QUESTIONS: dict[str, str] = {
    "stage": "This is",
    "answered": "Have they answered you before?",
    "audience": "I’m sending this text to",
}
"""The questions a writer answers about the draft (its :class:`Context`), in the words the page
asks them; the answers are the labels above."""

MAX_SPANS = 20
"""A finding lists at most this many places; ``more`` counts the rest."""
QUOTE_LIMIT = 200
"""A span's ``text`` quotes at most this many characters, then "…"."""
MAX_CHECKED = 100_000
"""Characters of a field that are checked; past them, a finding says the rest was not."""


@dataclass(frozen=True, slots=True)
class Context:
    """What the text cannot show: which message of the exchange it is, whether the person has
    answered before, and how many people get the same text. The default is a first message to
    one person who has never answered."""

    stage: Stage = "first"
    answered: bool = False
    audience: Audience = "one"

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}, not {self.stage!r}")
        if self.audience not in AUDIENCES:
            raise ValueError(
                f"audience must be one of {', '.join(AUDIENCES)}, not {self.audience!r}"
            )
        if not isinstance(self.answered, bool):
            raise ValueError("answered must be true or false")

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "answered": self.answered, "audience": self.audience}


NO_CONTEXT = Context()
"""The default context: a first message to one person."""


@dataclass(frozen=True, slots=True)
class Span:
    """A place in the draft, as offsets into the text the user typed.

    ``start``/``end`` count Unicode code points (Python string indices); ``start_utf16`` and
    ``end_utf16`` count UTF-16 code units (JavaScript string indices). Both are half-open.
    ``text`` is the text covered, shortened with "…" past :data:`QUOTE_LIMIT` characters.
    """

    field: Field
    start: int
    end: int
    start_utf16: int
    end_utf16: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "start_utf16": self.start_utf16,
            "end_utf16": self.end_utf16,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Rewrite:
    """Suggested words for one span: replace the span with ``text``, then, where ``fill_in``
    is set, type what it names (a name only the writer knows) at the end of ``text``."""

    span: Span
    text: str
    fill_in: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_dict(), "text": self.text, "fill_in": self.fill_in}


@dataclass(frozen=True, slots=True)
class Clue:
    """A word or phrase that moved the learned score, and by how much (points, signed: a
    positive clue pushes towards spam)."""

    text: str
    points: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "points": self.points}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, whatever the number of places it shows: one per rule."""

    rule: str
    category: str
    severity: Severity
    title: str
    message: str
    rationale: str
    fix: str
    points: int
    """What it takes off the score."""
    field: Field
    """The field of its first place (or the field it is about, when it has no place)."""
    count: int
    """How many places it was found in."""
    spans: tuple[Span, ...] = ()
    """Where: the first :data:`MAX_SPANS` places; empty when it is about a field as a whole."""
    rewrites: tuple[Rewrite, ...] = ()
    """Suggested words, where the fix is mechanical."""
    clues: tuple[Clue, ...] = ()
    """For a finding of the learned score: the words behind it, strongest first."""

    @property
    def more(self) -> int:
        """Places found but not listed."""
        return max(0, self.count - len(self.spans)) if self.spans else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "rationale": self.rationale,
            "fix": self.fix,
            "points": self.points,
            "field": self.field,
            "count": self.count,
            "spans": [span.to_dict() for span in self.spans],
            "more": self.more,
            "rewrites": [rewrite.to_dict() for rewrite in self.rewrites],
            "clues": [clue.to_dict() for clue in self.clues],
        }


@dataclass(frozen=True, slots=True)
class Strength:
    """Something the draft does well: one per rule."""

    rule: str
    title: str
    message: str
    points: int
    """What it adds to the score."""
    field: Field
    count: int
    spans: tuple[Span, ...] = ()
    clues: tuple[Clue, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "title": self.title,
            "message": self.message,
            "points": self.points,
            "field": self.field,
            "count": self.count,
            "spans": [span.to_dict() for span in self.spans],
            "clues": [clue.to_dict() for clue in self.clues],
        }


@dataclass(frozen=True, slots=True)
class Term:
    """One line of the score's sum: a finding's or a strength's points (signed)."""

    rule: str
    label: str
    points: int

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "label": self.label, "points": self.points}


@dataclass(frozen=True, slots=True)
class Breakdown:
    """How the score was reached: ``start`` plus every term makes ``total``; the score is
    ``total`` kept within 0 to 100, then capped by any rule with a ceiling."""

    start: int
    terms: tuple[Term, ...]
    total: int
    capped_by: tuple[str, ...] = ()
    """Rules whose ceiling lowered the score."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "terms": [term.to_dict() for term in self.terms],
            "total": self.total,
            "capped_by": list(self.capped_by),
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
    """Most points first, then the most severe."""
    strengths: tuple[Strength, ...]
    breakdown: Breakdown
    stats: Stats
    context: Context = NO_CONTEXT
    version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "score": self.score,
            "verdict": self.verdict,
            "findings": [finding.to_dict() for finding in self.findings],
            "strengths": [strength.to_dict() for strength in self.strengths],
            "breakdown": self.breakdown.to_dict(),
            "context": self.context.to_dict(),
            "stats": self.stats.to_dict(),
        }

    def to_json(self, indent: int | None = None) -> str:
        """The report as JSON text (UTF-8 safe; non-ASCII kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
