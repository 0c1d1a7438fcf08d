"""Renderers of a report: marked segments of the draft, the score's sum, and the text report.

One implementation of each, used by every front end: the CLI prints :func:`text_report`, the
page's Copy report asks the worker for the same text, the docs extension and the page paint
the :func:`segments` of a field, and all three show :func:`breakdown`.
"""

from __future__ import annotations

import itertools
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .registry import CATEGORIES, RULES_BY_ID
from .report import SEVERITIES, SEVERITY_LABELS, Field, Finding, Report, Span, Strength
from .scoring import BASE, CEILING_SCORES, SPAM_FLOOR, is_spam_signal

STRENGTH = "strength"
"""The kind of a mark that credits a strength (problems' marks are their severity)."""
_KIND_RANK: dict[str, int] = {STRENGTH: 0}
_KIND_RANK.update({severity: rank + 1 for rank, severity in enumerate(SEVERITIES)})


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted span of a field, in code points."""

    start: int
    end: int
    kind: str
    """A severity (low, medium, high) or ``strength``."""
    label: str
    index: int
    """The position of its finding (or strength) in the report's list."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a field that the same marks cover (none: plain text)."""

    start: int
    end: int
    marks: tuple[Mark, ...]

    @property
    def kind(self) -> str | None:
        """The kind to paint: the most severe of its marks; None when unmarked."""
        return strongest(mark.kind for mark in self.marks) if self.marks else None


def strongest(kinds: Iterable[str]) -> str:
    return max(kinds, key=_KIND_RANK.__getitem__, default=STRENGTH)


def marks(items: Sequence[Finding | Strength], field: Field) -> list[Mark]:
    """The marks of the findings and strengths that point into ``field``."""
    found = []
    for index, item in enumerate(items):
        if item.field != field or item.span is None or item.span.end <= item.span.start:
            continue
        kind: str
        if isinstance(item, Finding):
            kind = item.severity
            label = f"{SEVERITY_LABELS[item.severity]}: {item.message}"
        else:
            kind, label = STRENGTH, f"Strength: {item.message}"
        found.append(Mark(item.span.start, item.span.end, kind, label, index))
    return found


def segments(text: str, field_marks: Sequence[Mark]) -> list[Segment]:
    """``text`` cut at every mark's edge, each stretch with the marks that cover it.

    Overlapping marks split the text at every boundary; neighbouring stretches covered by the
    same marks are one segment. Marks outside the text are left out. Linear in the text plus
    the marks (sorted once)."""
    size = len(text)
    kept = [m for m in field_marks if 0 <= m.start < m.end <= size]
    if not kept:
        return [Segment(0, size, ())] if size else []
    edges = sorted({0, size, *(m.start for m in kept), *(m.end for m in kept)})
    starting: dict[int, list[Mark]] = {}
    for mark in kept:
        starting.setdefault(mark.start, []).append(mark)
    open_marks: list[Mark] = []
    result: list[Segment] = []
    for start, end in itertools.pairwise(edges):
        open_marks = [m for m in open_marks if m.end > start] + starting.get(start, [])
        covering = tuple(sorted(open_marks, key=lambda m: m.index))
        if result and result[-1].marks == covering:
            result[-1] = Segment(result[-1].start, end, covering)
        else:
            result.append(Segment(start, end, covering))
    return result


# --- The score's sum ------------------------------------------------------------------------


def _number(value: int) -> str:
    return f"−{-value}" if value < 0 else str(value)


def breakdown(report: Report) -> str:
    """How the score was reached, in one line: start, points off per category, strengths, and
    the limits that moved it (0 to 100, the floor without a spam signal, a rule's ceiling)."""
    terms = [f"{BASE} to start"]
    terms += [f"− {points} {CATEGORIES[cat].lower()}" for cat, points in report.penalties.items()]
    if report.bonus:
        terms.append(f"+ {report.bonus} strengths")
    elif report.strengths:
        terms.append("+ 0 strengths (withheld while a real problem is found)")
    unclamped = BASE - sum(report.penalties.values()) + report.bonus
    text = " ".join(terms) + f" = {_number(unclamped)}"
    score = max(0, min(100, unclamped))
    if score != unclamped:
        text += f", kept within 0 to 100: {score}"
    rules = [RULES_BY_ID[rule_id] for rule_id in dict.fromkeys(f.rule for f in report.findings)]
    if not any(is_spam_signal(rule) for rule in rules) and score < SPAM_FLOOR:
        score = SPAM_FLOOR
        text += f", raised as there is no spam signal: {score}"
    if report.score < score:
        capping = [
            rule.id
            for rule in rules
            if rule.ceiling and CEILING_SCORES[rule.ceiling] == report.score
        ]
        text += f", capped by {', '.join(capping)}: {report.score}"
    return text + "."


# --- Text ------------------------------------------------------------------------------------

_BIDI_AND_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
SEVERITY_COLOUR = {"high": "31", "medium": "33", "low": "36"}
VERDICT_COLOUR = {"looks-genuine": "32", "needs-work": "33", "likely-spam": "31"}


def printable(text: str) -> str:
    """User text made safe to print on a terminal: control characters, bidi overrides and lone
    surrogates are shown as <U+XXXX> instead of acting on the terminal. Line breaks and tabs
    stay; a CR before a line feed is dropped."""
    if text.isascii() and text.isprintable():
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        if char in "\n\t":
            out.append(char)
        elif char == "\r" and text[index + 1 : index + 2] == "\n":
            continue
        elif char in _BIDI_AND_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            out.append(f"<U+{ord(char):04X}>")
        else:
            out.append(char)
    return "".join(out)


def style(text: str, code: str, colour: bool) -> str:
    """``text`` in an ANSI style when ``colour`` is on."""
    if not colour or not text:
        return text
    # Styles end at each line break so a marked span never colours the rest of the terminal.
    return "\n".join(f"\x1b[{code}m{line}\x1b[0m" if line else line for line in text.split("\n"))


def marked(text: str, findings: Sequence[Finding], field: Field, colour: bool) -> str:
    """``text`` with the findings' words wrapped in ``[[...]]`` (and underlined in colour).
    Overlapping spans make one marking, coloured by the most severe finding."""
    pieces: list[str] = []
    run: list[Segment] = []

    def close() -> None:
        if run:
            kind = strongest(mark.kind for segment in run for mark in segment.marks)
            words = printable(text[run[0].start : run[-1].end])
            pieces.append(style(f"[[{words}]]", "4;" + SEVERITY_COLOUR[kind], colour))
            run.clear()

    for segment in segments(text, marks(findings, field)):
        if not segment.marks:
            close()
            pieces.append(printable(text[segment.start : segment.end]))
        elif run and set(run[-1].marks) & set(segment.marks):
            run.append(segment)  # overlaps the marking before it
        else:
            close()
            run.append(segment)
    close()
    return "".join(pieces)


@dataclass(frozen=True)
class Places:
    """Turns a span into where it is in the file the draft came from (1-based, code points):
    "line L, col C". ``subject_line``: the subject was the file's first line, from column
    ``subject_column``; ``body_line``: the 0-based line where the body starts."""

    subject_line: bool = False
    subject_column: int = 0
    body_line: int = 0

    def describe(self, field_name: Field, text: str, span: Span | None) -> str:
        if field_name == "subject":
            if span is None:
                return "subject"
            if self.subject_line:
                return f"line 1, col {self.subject_column + span.start + 1}"
            return f"subject, col {span.start + 1}"
        if span is None:
            return "body"
        line = text.count("\n", 0, span.start)
        column = span.start - (text.rfind("\n", 0, span.start) + 1)
        return f"line {self.body_line + line + 1}, col {column + 1}"


def text_report(
    report: Report,
    body: str,
    subject: str,
    places: Places | None = None,
    colour: bool = False,
    width: int = 88,
) -> str:
    """The human-readable report: the marked draft, findings, strengths, score and verdict."""
    places = places or Places()

    def heading(text: str) -> str:
        return style(text, "1", colour)

    def wrapped(label: str, text: str) -> list[str]:
        return textwrap.wrap(
            printable(text),
            width=width,
            initial_indent=" " * 4 + label,
            subsequent_indent=" " * (4 + len(label)),
        ) or [" " * 4 + label]

    fields = {"subject": subject, "body": body}
    lines: list[str] = []
    lines.append("Subject: " + marked(subject, report.findings, "subject", colour))
    lines.append("")
    lines.append(marked(body, report.findings, "body", colour).rstrip("\n"))
    lines.append("")
    lines.append(heading(f"Findings ({len(report.findings)})"))
    if not report.findings:
        lines.append("    none")
    for finding in report.findings:
        where = places.describe(finding.field, fields[finding.field], finding.span)
        severity = style(f"{finding.severity:<6}", SEVERITY_COLOUR[finding.severity], colour)
        lines.append(f"  {severity}  {finding.rule}  ({where})")
        lines.extend(wrapped("", finding.message))
        lines.extend(wrapped("Why: ", finding.rationale))
        lines.extend(wrapped("Fix: ", finding.fix))
    lines.append("")
    lines.append(heading(f"Strengths ({len(report.strengths)})"))
    if not report.strengths:
        lines.append("    none")
    for strength in report.strengths:
        where = places.describe(strength.field, fields[strength.field], strength.span)
        lines.append(f"  +{strength.bonus:<5}  {strength.rule}  ({where})")
        lines.extend(wrapped("", strength.message))
    lines.append("")
    verdict = style(report.verdict, "1;" + VERDICT_COLOUR[report.verdict], colour)
    penalties = ", ".join(f"{name} -{points}" for name, points in report.penalties.items())
    detail = f" (penalties: {penalties}; bonus +{report.bonus})" if penalties else ""
    if not penalties and report.bonus:
        detail = f" (bonus +{report.bonus})"
    lines.append(f"Score: {report.score}/100{detail}")
    lines.append(f"Verdict: {verdict}")
    return "\n".join(lines) + "\n"
