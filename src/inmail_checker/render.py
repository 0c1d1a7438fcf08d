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

from .report import (
    ANSWERED_LABELS,
    AUDIENCE_LABELS,
    NO_CONTEXT,
    SEVERITIES,
    SEVERITY_LABELS,
    STAGE_LABELS,
    VERDICT_LABELS,
    Context,
    Field,
    Finding,
    Report,
    Span,
    Strength,
)

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
    """The marks of the places that the findings or strengths point at in ``field``."""
    found = []
    for index, item in enumerate(items):
        kind: str
        if isinstance(item, Finding):
            kind = item.severity
            label = f"{SEVERITY_LABELS[item.severity]}: {item.message}"
        else:
            kind, label = STRENGTH, f"Strength: {item.message}"
        for span in item.spans:
            if span.field == field and span.end > span.start:
                found.append(Mark(span.start, span.end, kind, label, index))
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


def signed(points: int) -> str:
    """Points as a term of the sum: "−24", "+3", and "0" for nothing."""
    return f"−{-points}" if points < 0 else f"+{points}" if points > 0 else "0"


def _label(title: str) -> str:
    """A rule's title as a term of the sum: "Selling language" → "selling language"."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def breakdown(report: Report) -> str:
    """How the score was reached, in one line: "100 − 24 selling language + 3 greets the person
    by name = 79", then the limits that moved it (0 to 100, a rule's ceiling)."""
    sum_ = report.breakdown
    terms = [str(sum_.start)]
    for term in sum_.terms:
        sign = "−" if term.points < 0 else "+"
        terms.append(f"{sign} {abs(term.points)} {_label(term.label)}")
    text = " ".join(terms) + f" = {_number(sum_.total)}"
    within = max(0, min(100, sum_.total))
    if within != sum_.total:
        text += f", kept within 0 to 100: {within}"
    if sum_.capped_by:
        text += f", capped by {', '.join(sum_.capped_by)}: {report.score}"
    return text + "."


def context_line(context: Context) -> str | None:
    """What the writer said about the draft, in one line; None for the default context (a
    first message to one person), which reports leave unsaid."""
    if context == NO_CONTEXT:
        return None
    stage = STAGE_LABELS[context.stage]
    return (
        f"Context: {stage[:1].lower()}{stage[1:]}, answered before: "
        f"{ANSWERED_LABELS[context.answered].lower()}, "
        f"sent to: {AUDIENCE_LABELS[context.audience].lower()}."
    )


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

    # The learned score's clues are listed with its finding, not marked in the draft.
    for segment in segments(text, marks([f for f in findings if not f.clues], field)):
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

    def position(self, field_name: Field, text: str, offset: int) -> tuple[int, int]:
        """(line, column) in the file, both from 1, of an offset into a field."""
        if field_name == "subject":
            return 1, (self.subject_column if self.subject_line else 0) + offset + 1
        line = text.count("\n", 0, offset)
        column = offset - (text.rfind("\n", 0, offset) + 1)
        return self.body_line + line + 1, column + 1


def _where(places: Places, item: Finding | Strength, fields: dict[str, str]) -> str:
    if not item.spans:
        return item.field
    first = item.spans[0]
    where = places.describe(first.field, fields[first.field], first)
    return where if len(item.spans) == 1 else f"{where} and {item.count - 1} more"


def text_report(
    report: Report,
    body: str,
    subject: str,
    places: Places | None = None,
    colour: bool = False,
    width: int = 88,
    suggest: bool = False,
) -> str:
    """The human-readable report: the marked draft, findings (with their points and, with
    ``suggest``, the suggested rewrites), strengths, the score's sum and the verdict."""
    places = places or Places()

    def heading(text: str) -> str:
        return style(text, "1", colour)

    def wrapped(label: str, text: str) -> list[str]:
        return textwrap.wrap(
            printable(text),
            width=width,
            initial_indent=" " * 7 + label,
            subsequent_indent=" " * (7 + len(label)),
        ) or [" " * 7 + label]

    fields = {"subject": subject, "body": body}
    lines: list[str] = []
    lines.append("Subject: " + marked(subject, report.findings, "subject", colour))
    lines.append("")
    lines.append(marked(body, report.findings, "body", colour).rstrip("\n"))
    lines.append("")
    lines.append(heading(f"Problems ({len(report.findings)})"))
    if not report.findings:
        lines.append("       none")
    for finding in report.findings:
        severity = style(f"{finding.severity:<6}", SEVERITY_COLOUR[finding.severity], colour)
        times = f" ×{finding.count}" if finding.count > 1 else ""
        where = _where(places, finding, fields)
        lines.append(f"  {-finding.points:>4}  {severity}  {finding.rule}{times}  ({where})")
        lines.extend(wrapped("", finding.message))
        lines.extend(wrapped("Why: ", finding.rationale))
        lines.extend(wrapped("Fix: ", finding.fix))
        if suggest:
            for rewrite in finding.rewrites:
                span = rewrite.span
                at = places.describe(span.field, fields[span.field], span)
                new = rewrite.text + (f"<{rewrite.fill_in}>" if rewrite.fill_in else "")
                lines.extend(wrapped("Try: ", f"“{span.text}” → “{new}” ({at})"))
    lines.append("")
    lines.append(heading(f"Strengths ({len(report.strengths)})"))
    if not report.strengths:
        lines.append("       none")
    for strength in report.strengths:
        where = _where(places, strength, fields)
        lines.append(f"  {'+' + str(strength.points):>4}  {strength.rule}  ({where})")
        lines.extend(wrapped("", strength.message))
    lines.append("")
    verdict = style(report.verdict, "1;" + VERDICT_COLOUR[report.verdict], colour)
    said = context_line(report.context)
    if said:
        lines.append(said)
    lines.append(f"Score: {report.score}/100 ({breakdown(report)[:-1]})")
    lines.append(f"Verdict: {verdict}")
    return "\n".join(lines) + "\n"


def markdown_report(report: Report, body: str, subject: str) -> str:
    """The report in Markdown, for pasting into a ticket or a chat."""
    verdict = VERDICT_LABELS[report.verdict]
    lines = [f"**InMail check: {report.score}/100, {verdict}**", "", f"Score: {breakdown(report)}"]
    said = context_line(report.context)
    if said:
        lines += ["", said]
    lines += ["", f"### Problems ({len(report.findings)})", ""]
    for finding in report.findings:
        times = f" (×{finding.count})" if finding.count > 1 else ""
        lines.append(f"- **−{finding.points}** {_md(finding.message)}{times} `{finding.rule}`")
        lines.append(f"  - Fix: {_md(finding.fix)}")
    if not report.findings:
        lines.append("- None found.")
    lines += ["", f"### Strengths ({len(report.strengths)})", ""]
    for strength in report.strengths:
        lines.append(f"- **+{strength.points}** {_md(strength.message)} `{strength.rule}`")
    if not report.strengths:
        lines.append("- None found.")
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
    lines += ["", "### The draft", "", f"> **Subject:** {_md(subject)}", ">", quoted]
    return "\n".join(lines) + "\n"


_MD_SPECIAL = "\\`*_[]<>#|"


def _md(text: str) -> str:
    """User text made inert in Markdown: its special characters escaped."""
    return "".join(f"\\{char}" if char in _MD_SPECIAL else char for char in printable(text))


_GITHUB_LEVEL = {"high": "error", "medium": "warning", "low": "notice"}


def _github_escape(text: str, property_value: bool = False) -> str:
    """What a workflow command's message (or property value) must escape."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def github_annotations(report: Report, body: str, subject: str, places: Places, path: str) -> str:
    """The findings as GitHub Actions workflow commands (``::warning file=...::message``), one
    per place (the first of a finding when it lists many, or line 1 when it has none), so a
    pull request shows them on the lines of the draft."""
    fields = {"subject": subject, "body": body}
    lines = []
    for finding in report.findings:
        level = _GITHUB_LEVEL[finding.severity]
        title = _github_escape(f"{finding.rule} ({signed(-finding.points)} points)", True)
        where = [f"file={_github_escape(path, True)}"]
        if finding.spans:
            span = finding.spans[0]
            text = fields[span.field]
            line, column = places.position(span.field, text, span.start)
            end_line, end_column = places.position(span.field, text, span.end)
            where += [f"line={line}", f"col={column}"]
            if end_line == line:
                where.append(f"endColumn={end_column}")
            else:
                where.append(f"endLine={end_line}")
        else:
            line = 1 if finding.field == "subject" or not places.body_line else places.body_line + 1
            where.append(f"line={line}")
        message = _github_escape(f"{finding.message} Fix: {finding.fix}")
        lines.append(f"::{level} {','.join(where)},title={title}::{message}")
    verdict = f"{path}: {report.score}/100, {VERDICT_LABELS[report.verdict]}"
    lines.append(
        f"::notice file={_github_escape(path, True)},title=InMail check::{_github_escape(verdict)}"
    )
    return "\n".join(lines) + "\n"
