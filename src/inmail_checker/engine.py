"""The one pure function every front end calls: ``check(body, subject) -> Report``."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from . import chars
from .config import Config
from .draft import Draft, Hit
from .model import Clue as LearnedClue
from .model import Evidence, evidence, hits, scaled
from .registry import RULES_BY_ID, fill
from .report import (
    MAX_SPANS,
    SEVERITIES,
    Clue,
    Context,
    Field,
    Finding,
    Report,
    Span,
    Stats,
    Strength,
    Verdict,
    quote,
)
from .rewrite import rewrites
from .ruleset import RuleSet, skipped
from .scoring import MODEL, points, score
from .text import Folded, utf16_offsets

_MESSAGE_QUOTE = 60
_MESSAGE_CLUES = 5
_DEFAULT = Config()
_RULE_SETS: dict[tuple[frozenset[str], frozenset[str]], RuleSet] = {
    _DEFAULT.key: RuleSet.compile(config=_DEFAULT)
}
"""The shipped rules compiled for each ``disable`` set seen (a few at most in practice)."""


def rule_set(config: Config | None = None) -> RuleSet:
    """The shipped rules that ``config`` leaves on, compiled once per configuration."""
    config = config or _DEFAULT
    rules = _RULE_SETS.get(config.key)
    if rules is None:
        rules = RuleSet.compile(config=config)
        if len(_RULE_SETS) < 64:
            _RULE_SETS[config.key] = rules
    return rules


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


class _Places:
    """Turns hits into spans of the text as typed (code points and UTF-16 units), each made of
    whole characters as a reader sees them (grapheme clusters): a span never ends between a
    letter and its accent, an emoji and its variation selector or skin tone, the two halves of
    a flag, or a CR and its LF."""

    def __init__(self, draft: Draft, texts: dict[Field, str]) -> None:
        self.draft = draft
        self.texts = texts
        self.utf16: dict[Field, list[int] | None] = {}
        # Fields where every character is a cluster of its own: ASCII without a CR.
        self.simple = {name: text.isascii() and "\r" not in text for name, text in texts.items()}

    def span(self, hit: Hit) -> Span | None:
        if hit.start is None or hit.end is None:
            return None
        folded: Folded = self.draft.get(hit.field)
        start, end = (hit.start, hit.end) if hit.original else folded.span(hit.start, hit.end)
        text = self.texts[hit.field]
        if not self.simple[hit.field]:
            start, end = chars.grapheme_start(text, start), chars.grapheme_end(text, end)
        if hit.field not in self.utf16:
            self.utf16[hit.field] = utf16_offsets(text)
        units = self.utf16[hit.field]
        start16, end16 = (units[start], units[end]) if units else (start, end)
        return Span(hit.field, start, end, start16, end16, quote(text[start:end]))


def _quote(text: str) -> str:
    flat = " ".join(chars.split(text))
    if len(flat) <= _MESSAGE_QUOTE:
        return flat
    return chars.rstrip(flat[: _MESSAGE_QUOTE - 1]) + "…"


def _spans(places: _Places, found: Sequence[Hit]) -> tuple[list[Span], int]:
    """The distinct spans of a rule's hits (the first :data:`MAX_SPANS`), and how many
    places it was found in."""
    spans: list[Span] = []
    seen: set[tuple[str, int, int]] = set()
    whole = 0
    for hit in found:
        span = places.span(hit)
        if span is None:
            whole += 1
            continue
        key = (span.field, span.start, span.end)
        if key not in seen:
            seen.add(key)
            if len(spans) < MAX_SPANS:
                spans.append(span)
    return spans, len(seen) or whole


def _clues(found: Evidence) -> tuple[Clue, ...]:
    """The strongest clues either way, each with its share of the points (one decimal)."""
    return tuple(
        Clue(feature, round(scaled(weight, found), 1))
        for feature, weight in found.clues[:MAX_SPANS]
    )


_WORDS = chars.compile(r"[\p{letter}]{3,}(?:[ '’-][\p{letter}]+)*")


def _readable(clue: LearnedClue, found: Evidence, draft: Draft) -> bool:
    """A clue worth quoting and marking: words of three letters or more as typed (not the
    remains of a merge field or a link, which their own rules name)."""
    start, end = draft.body.span(*found.first_place(clue[0]))
    return _WORDS.fullmatch(draft.body.original[start:end]) is not None


def _clue_words(shown: tuple[LearnedClue, ...], count: int, found: Evidence, draft: Draft) -> str:
    text = draft.body.original
    words = []
    for feature, _ in shown[:_MESSAGE_CLUES]:
        start, end = draft.body.span(*found.first_place(feature))
        words.append(f"“{_quote(text[start:end])}”")
    more = count - len(words)
    return ", ".join(words) + (f" and {more} more" if more > 0 else "")


def check(
    body: str,
    subject: str = "",
    config: Config | None = None,
    *,
    context: Context | None = None,
    rules: RuleSet | None = None,
) -> Report:
    """Check one InMail draft. Pure and deterministic; never raises on any string.

    ``context`` says what the text cannot (a reply? sent to many?); ``rules`` runs another
    compiled rule set instead of the shipped rules that ``config`` leaves on (tests use it for
    rules of their own)."""
    texts: dict[Field, str] = {"subject": _as_text(subject), "body": _as_text(body)}
    context = context or Context()
    draft = Draft.of(texts["body"], texts["subject"], context)
    places = _Places(draft, texts)
    compiled = rules or rule_set(config)
    findings: list[Finding] = []
    strengths: list[Strength] = []
    for rule, found in compiled.run(draft):
        spans, count = _spans(places, found)
        first = spans[0].text if spans else ""
        message = fill(rule.message, {**found[0].values, "match": _quote(first)})
        field = spans[0].field if spans else found[0].field
        if rule.is_strength:
            strengths.append(
                Strength(rule.id, rule.title, message, points(rule), field, count, tuple(spans))
            )
            continue
        findings.append(
            Finding(
                rule=rule.id,
                category=rule.category,
                severity=rule.severity,
                title=rule.title,
                message=message,
                rationale=rule.rationale,
                fix=rule.fix,
                points=points(rule),
                field=field,
                count=count,
                spans=tuple(spans),
                rewrites=rewrites(rule, tuple(spans), texts),
            )
        )
    if compiled.model_rules:
        learned = evidence(draft, MODEL.words, MODEL.pairs)
        direction = "spam" if learned.towards_spam else "genuine"
        for rule in compiled.model_rules:
            if rule.params["direction"] != direction or learned.points < 1:
                continue
            if rule.skip_when and skipped(rule, context):
                continue
            leading = learned.leading()
            shown = tuple(
                itertools.islice((c for c in leading if _readable(c, learned, draft)), MAX_SPANS)
            )
            spans, _ = _spans(places, hits(learned, shown, MAX_SPANS))
            message = fill(
                rule.message, {"clues": _clue_words(shown, len(leading), learned, draft)}
            )
            clues = _clues(learned)
            if rule.is_strength:
                strengths.append(
                    Strength(
                        rule.id,
                        rule.title,
                        message,
                        learned.points,
                        "body",
                        len(leading),
                        tuple(spans),
                        clues,
                    )
                )
            else:
                findings.append(
                    Finding(
                        rule.id,
                        rule.category,
                        rule.severity,
                        rule.title,
                        message,
                        rule.rationale,
                        rule.fix,
                        learned.points,
                        "body",
                        len(leading),
                        tuple(spans),
                        (),
                        clues,
                    )
                )
    stats = Stats(
        subject_chars=len(texts["subject"]),
        body_chars=len(texts["body"]),
        body_words=len(chars.split(texts["body"])),
    )
    return _report(findings, strengths, stats, context)


def _report(
    findings: Sequence[Finding], strengths: Sequence[Strength], stats: Stats, context: Context
) -> Report:
    """The report of these findings and strengths: ordered, kept apart, and scored."""
    rules_found = [f for f in findings if not f.clues]
    kept = sorted(
        _apart_from(list(strengths), rules_found),
        key=lambda s: (-s.points, _position(s.field, s.spans), s.rule),
    )
    # The learned score's highlights are illustrations: they give way to what a rule credits.
    ordered = sorted([*rules_found, *_illustrations_apart(findings, kept)], key=_importance)
    ceilings = {f.rule: ceiling for f in ordered if (ceiling := _ceiling(f.rule)) is not None}
    result, verdict, breakdown = score(ordered, kept, ceilings)
    return Report(result, verdict, tuple(ordered), tuple(kept), breakdown, stats, context)


def _illustrations_apart(
    findings: Sequence[Finding], strengths: Sequence[Strength]
) -> list[Finding]:
    """The learned score's findings, without the places a strength points at."""
    taken = [(span.field, span.start, span.end) for s in strengths for span in s.spans]
    result = []
    for finding in findings:
        if not finding.clues:
            continue
        spans = tuple(
            span
            for span in finding.spans
            if not any(
                field == span.field and start < span.end and span.start < end
                for field, start, end in taken
            )
        )
        result.append(dataclasses.replace(finding, spans=spans))
    return result


def _ceiling(rule_id: str) -> Verdict | None:
    rule = RULES_BY_ID.get(rule_id)
    return rule.ceiling if rule is not None else None


def with_findings(report: Report, extra: Sequence[Finding]) -> Report:
    """``report`` with ``extra`` findings (a batch's), scored again by the same scoring, so
    score, verdict and findings always agree."""
    return _report([*report.findings, *extra], report.strengths, report.stats, report.context)


def _apart_from(strengths: list[Strength], findings: list[Finding]) -> list[Strength]:
    """Strengths with no place that a problem also points at: the same words are never both.
    A strength left with no place of its own is dropped."""
    taken = [(span.field, span.start, span.end) for f in findings for span in f.spans]
    if not taken:
        return strengths
    kept = []
    for strength in strengths:
        if not strength.spans:
            kept.append(strength)
            continue
        own = tuple(
            span
            for span in strength.spans
            if not any(
                field == span.field and start < span.end and span.start < end
                for field, start, end in taken
            )
        )
        if own:
            kept.append(
                Strength(
                    strength.rule,
                    strength.title,
                    strength.message,
                    strength.points,
                    own[0].field,
                    len(own),
                    own,
                    strength.clues,
                )
            )
    return kept


_FIELD_ORDER: dict[Field, int] = {"subject": 0, "body": 1}


def _position(field: Field, spans: tuple[Span, ...]) -> tuple[int, int]:
    return (_FIELD_ORDER[field], spans[0].start if spans else -1)


def _importance(finding: Finding) -> tuple[int, int, tuple[int, int], str]:
    """Findings are listed most points first, then most severe, then in text order."""
    return (
        -finding.points,
        -SEVERITIES.index(finding.severity),
        _position(finding.field, finding.spans),
        finding.rule,
    )
