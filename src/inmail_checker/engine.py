"""The one pure function every front end calls: ``check(body, subject) -> Report``."""

from __future__ import annotations

from .config import Config
from .draft import Draft, Hit
from .registry import Rule, fill
from .report import Field, Finding, Report, Span, Stats, Strength
from .ruleset import RuleSet
from .scoring import score_draft
from .text import Folded, utf16_offsets

_QUOTE_LIMIT = 60
_DEFAULT = Config()
_RULE_SETS: dict[frozenset[str], RuleSet] = {_DEFAULT.disable: RuleSet.compile(config=_DEFAULT)}
"""The shipped rules compiled for each ``disable`` set seen (a few at most in practice)."""


def rule_set(config: Config | None = None) -> RuleSet:
    """The shipped rules that ``config`` leaves on, compiled once per configuration."""
    config = config or _DEFAULT
    rules = _RULE_SETS.get(config.disable)
    if rules is None:
        rules = RuleSet.compile(config=config)
        if len(_RULE_SETS) < 64:
            _RULE_SETS[config.disable] = rules
    return rules


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def check(
    body: str, subject: str = "", config: Config | None = None, *, rules: RuleSet | None = None
) -> Report:
    """Check one InMail draft. Pure and deterministic; never raises on any string.

    ``rules`` runs another compiled rule set instead of the shipped rules that ``config``
    leaves on (tests use it for rules of their own)."""
    draft = Draft.of(_as_text(body), _as_text(subject))
    utf16 = {name: utf16_offsets(draft.get(name).original) for name in ("subject", "body")}
    findings: list[Finding] = []
    strengths: list[Strength] = []
    fired_problems: list[Rule] = []
    fired_strengths: list[Rule] = []
    for rule, hits in (rules or rule_set(config)).run(draft):
        for hit in hits:
            folded = draft.get(hit.field)
            span, text = _locate(folded, hit, utf16[hit.field])
            message = fill(rule.message, {**hit.values, "match": _quote(text)})
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
    return Report(
        score=score,
        verdict=verdict,
        findings=tuple(sorted(findings, key=position)),
        strengths=tuple(sorted(strengths, key=position)),
        penalties=penalties,
        bonus=bonus,
        stats=Stats(
            subject_chars=len(draft.subject.original),
            body_chars=len(draft.body.original),
            body_words=draft.words(),
        ),
    )


def _locate(folded: Folded, hit: Hit, utf16: list[int] | None) -> tuple[Span | None, str]:
    if hit.start is None or hit.end is None:
        return None, ""
    start, end = (hit.start, hit.end) if hit.original else folded.span(hit.start, hit.end)
    units = utf16 or range(len(folded.original) + 1)
    return Span(start, end, units[start], units[end]), folded.original[start:end]


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_LIMIT else flat[: _QUOTE_LIMIT - 1].rstrip() + "…"


_FIELD_ORDER: dict[Field, int] = {"subject": 0, "body": 1}


def position(item: Finding | Strength) -> tuple[int, int, int, str]:
    """Where a finding or strength sits in the draft: the order reports list them in."""
    span = item.span
    return (
        _FIELD_ORDER[item.field],
        span.start if span else -1,
        span.end if span else -1,
        item.rule,
    )
