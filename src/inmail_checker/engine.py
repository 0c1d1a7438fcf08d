"""The one pure function every front end calls: ``check(body, subject) -> Report``."""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import Config
from .matchers import MATCHERS
from .registry import RULES, Rule
from .report import Field, Finding, Report, Span, Stats, Strength
from .scoring import score_draft
from .text import Folded, fold, utf16_offsets

_QUOTE_LIMIT = 60


class _Values(dict[str, object]):
    """Message placeholders; one a rule does not supply reads as empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True, slots=True)
class Hit:
    """A match in one field; ``start`` None means the field as a whole.

    Offsets index the folded text, or the original text when ``original`` is true.
    """

    field: Field
    start: int | None = None
    end: int | None = None
    values: dict[str, str | int] = field(default_factory=dict)
    original: bool = False


@dataclass(frozen=True, slots=True)
class Draft:
    """Both fields of a draft, folded once and shared by every rule."""

    subject: Folded
    body: Folded

    def get(self, name: Field) -> Folded:
        return self.subject if name == "subject" else self.body


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def check(body: str, subject: str = "", config: Config | None = None) -> Report:
    """Check one InMail draft. Pure and deterministic; never raises on any string."""
    config = config or Config()
    draft = Draft(subject=fold(_as_text(subject)), body=fold(_as_text(body)))
    utf16 = {name: utf16_offsets(draft.get(name).original) for name in ("subject", "body")}
    findings: list[Finding] = []
    strengths: list[Strength] = []
    fired_problems: list[Rule] = []
    fired_strengths: list[Rule] = []
    for rule in RULES:
        if not config.enabled(rule.id):
            continue
        for hit in _hits(draft, rule):
            folded = draft.get(hit.field)
            span, text = _locate(folded, hit, utf16[hit.field])
            message = rule.message.format_map(_Values(match=_quote(text), **hit.values))
            if rule.is_strength:
                strengths.append(Strength(rule.id, message, hit.field, span, text, rule.bonus))
                fired_strengths.append(rule)
            else:
                findings.append(
                    Finding(
                        rule=rule.id,
                        category=rule.category,
                        severity=rule.severity,
                        message=message,
                        rationale=rule.rationale,
                        fix=rule.fix,
                        field=hit.field,
                        span=span,
                        text=text,
                    )
                )
                fired_problems.append(rule)
    score, verdict, penalties, bonus = score_draft(fired_problems, fired_strengths)
    body_text = draft.body.original
    return Report(
        score=score,
        verdict=verdict,
        findings=tuple(sorted(findings, key=_position)),
        strengths=tuple(sorted(strengths, key=_position)),
        penalties=penalties,
        bonus=bonus,
        stats=Stats(
            subject_chars=len(draft.subject.original),
            body_chars=len(body_text),
            body_words=len(body_text.split()),
        ),
    )


def _hits(draft: Draft, rule: Rule) -> list[Hit]:
    if rule.function is not None:
        return MATCHERS[rule.function](draft, rule)
    assert rule.pattern is not None
    hits: list[Hit] = []
    for name in rule.fields:
        matches = [
            m.span() for m in rule.pattern.finditer(draft.get(name).text) if m.end() > m.start()
        ]
        if len(matches) >= rule.min_count:
            hits.extend(Hit(name, start, end) for start, end in matches)
    return hits


def _locate(folded: Folded, hit: Hit, utf16: list[int] | None) -> tuple[Span | None, str]:
    if hit.start is None or hit.end is None:
        return None, ""
    start, end = (hit.start, hit.end) if hit.original else folded.span(hit.start, hit.end)
    units = utf16 or range(len(folded.original) + 1)
    return Span(start, end, units[start], units[end]), folded.original[start:end]


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_LIMIT else flat[: _QUOTE_LIMIT - 1].rstrip() + "…"


_FIELD_ORDER = {"subject": 0, "body": 1}


def _position(item: Finding | Strength) -> tuple[int, int, int, str]:
    span = item.span
    return (
        _FIELD_ORDER[item.field],
        span.start if span else -1,
        span.end if span else -1,
        item.rule,
    )
