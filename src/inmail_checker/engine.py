"""The one pure function every front end calls: ``check(body, subject) -> Report``."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .config import Config
from .matchers import MATCHERS, body_words
from .prefilter import text_keys
from .registry import RULES, Alternative, Rule, whole_pattern
from .report import Field, Finding, Report, Span, Stats, Strength
from .scoring import score_draft
from .text import Folded, fold, utf16_offsets

_QUOTE_LIMIT = 60
_T = TypeVar("_T")


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


# The gates of the shipped rules that were split into alternatives (see registry). A rule's
# alternatives are the bits of a mask: ``_GATE_INDEX`` maps a key to the (rule, mask) pairs it
# opens, ``_UNGATED`` a rule to the alternatives that always run (if any). Rules go by id().
_GATE_INDEX: dict[str, list[tuple[int, int]]] = {}
_UNGATED: dict[int, int] = {}
_ALTERNATIVES: dict[int, tuple[Alternative, ...]] = {}
for _rule in (rule for rule in RULES if rule.alternatives):
    _ALTERNATIVES[id(_rule)] = _rule.alternatives
    for _index, _alternative in enumerate(_rule.alternatives):
        if _alternative.keys is None:
            _UNGATED[id(_rule)] = _UNGATED.get(id(_rule), 0) | 1 << _index
        for _key in _alternative.keys or ():
            _GATE_INDEX.setdefault(_key, []).append((id(_rule), 1 << _index))
_GATE_KEYS = frozenset(_GATE_INDEX)


class _Gates:
    """One folded text and the gates it opens (see :mod:`.prefilter`)."""

    __slots__ = ("keys", "open", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.keys = text_keys(text)
        opened = dict(_UNGATED)
        for key in self.keys & _GATE_KEYS:
            for rule, mask in _GATE_INDEX[key]:
                opened[rule] = opened.get(rule, 0) | mask
        self.open = opened

    def spans(self, rule: Rule) -> list[tuple[int, int]]:
        """The non-empty matches of the rule's whole regex in this text, as ``finditer`` finds
        them. The regex is an alternation; its alternatives run on their own, and only those
        whose gate the text opens: one that cannot match changes nothing in an alternation."""
        mask = self.open.get(id(rule))
        if mask is not None:
            alternatives = _ALTERNATIVES[id(rule)]
            if not mask & (mask - 1):  # one alternative, the usual case
                pattern = alternatives[mask.bit_length() - 1].pattern
                return [m.span() for m in pattern.finditer(self.text)]
            live = [a.pattern for index, a in enumerate(alternatives) if mask >> index & 1]
            return _merge(live, self.text, rule)
        if id(rule) in _ALTERNATIVES:
            return []
        # Not a shipped rule: its whole regex, or its gates tested one by one.
        if not rule.alternatives:
            assert rule.pattern is not None
            return [m.span() for m in rule.pattern.finditer(self.text) if m.end() > m.start()]
        live = [
            a.pattern
            for a in rule.alternatives
            if a.keys is None or not a.keys.isdisjoint(self.keys)
        ]
        if len(live) == 1:
            return [m.span() for m in live[0].finditer(self.text)]
        return _merge(live, self.text, rule) if live else []


@dataclass(frozen=True, slots=True)
class Draft:
    """Both fields of a draft, folded once and shared by every rule."""

    subject: Folded
    body: Folded
    _gates: dict[str, _Gates] = field(default_factory=dict, repr=False, compare=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def get(self, name: Field) -> Folded:
        return self.subject if name == "subject" else self.body

    def memo(self, key: str, compute: Callable[[], _T]) -> _T:
        """A value worked out once per draft and shared by the rules (a word count, say)."""
        if key in self._memo:
            return self._memo[key]  # type: ignore[no-any-return]
        value = self._memo[key] = compute()
        return value

    def gates(self, name: Field) -> _Gates:
        gates = self._gates.get(name)
        if gates is None:
            gates = self._gates[name] = _Gates(self.get(name).text)
        return gates


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


_ALL_ENABLED = Config()
_Step = tuple[Rule, Callable[[Draft, Rule], list[Hit]] | None, int, tuple[Field, ...]]
_PLANS: dict[frozenset[str], tuple[_Step, ...]] = {}
"""For each ``disable`` set seen: the rules it leaves on, each with its custom matcher (None
for a phrase or count rule), its key in the gate tables and its fields."""


def _plan(config: Config) -> tuple[_Step, ...]:
    plan = _PLANS.get(config.disable)
    if plan is None:
        plan = tuple(
            (rule, MATCHERS[rule.function] if rule.function else None, id(rule), rule.fields)
            for rule in RULES
            if config.enabled(rule.id)
        )
        if len(_PLANS) < 64:
            _PLANS[config.disable] = plan
    return plan


def check(body: str, subject: str = "", config: Config | None = None) -> Report:
    """Check one InMail draft. Pure and deterministic; never raises on any string."""
    draft = Draft(subject=fold(_as_text(subject)), body=fold(_as_text(body)))
    utf16 = {name: utf16_offsets(draft.get(name).original) for name in ("subject", "body")}
    findings: list[Finding] = []
    strengths: list[Strength] = []
    fired_problems: list[Rule] = []
    fired_strengths: list[Rule] = []
    gates = {"subject": draft.gates("subject"), "body": draft.gates("body")}
    for rule, matcher, key, fields in _plan(config or _ALL_ENABLED):
        if matcher is not None:
            hits = matcher(draft, rule)
        elif key in _ALTERNATIVES:  # a split rule: most have no gate open and cost a lookup
            hits = []
            for name in fields:
                if key in gates[name].open:
                    matches = gates[name].spans(rule)
                    if matches and len(matches) >= rule.min_count:
                        hits.extend(Hit(name, start, end) for start, end in matches)
        else:
            hits = _hits(draft, rule)
        for hit in hits:
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
            body_words=body_words(draft),
        ),
    )


def _hits(draft: Draft, rule: Rule) -> list[Hit]:
    if rule.function is not None:
        return MATCHERS[rule.function](draft, rule)
    hits: list[Hit] = []
    for name in rule.fields:
        matches = draft.gates(name).spans(rule)
        if matches and len(matches) >= rule.min_count:
            hits.extend(Hit(name, start, end) for start, end in matches)
    return hits


def _spans(draft: Draft, name: Field, rule: Rule) -> list[tuple[int, int]]:
    """The non-empty matches of a phrase or count rule's regex in one field of the draft."""
    return draft.gates(name).spans(rule)


def _merge(patterns: Sequence[re.Pattern[str]], text: str, rule: Rule) -> list[tuple[int, int]]:
    """The matches of the alternation of ``patterns`` from their separate searches.

    At each step an alternation takes the leftmost match, the earliest alternative on a tie,
    then goes on from its end. Each alternative's next match is kept until the last match
    passes its start. Every match has a length (see registry.split_matcher), so this ends.

    A kept match that is passed over was found for nothing. Texts made for it could make that
    waste grow with the square of their length (long matches, each overlapped by another
    alternative's match), so once it outgrows the text the rule's whole regex takes over:
    the same matches, in time that stays linear.
    """
    spans: list[tuple[int, int]] = []
    nexts = [pattern.search(text) for pattern in patterns]
    position = wasted = 0
    while True:
        first: re.Match[str] | None = None
        for index, match in enumerate(nexts):
            if match is not None and match.start() < position:
                wasted += match.end() - match.start()
                match = nexts[index] = patterns[index].search(text, position)
            if match is not None and (first is None or match.start() < first.start()):
                first = match
        if first is None:
            return spans
        if wasted > len(text):
            return [m.span() for m in _whole(rule).finditer(text) if m.end() > m.start()]
        spans.append(first.span())
        position = first.end()


_WHOLE: dict[int, re.Pattern[str]] = {}


def _whole(rule: Rule) -> re.Pattern[str]:
    """A rule's whole regex, compiled once (shipped rules) when first needed."""
    pattern = _WHOLE.get(id(rule))
    if pattern is None:
        pattern = whole_pattern(rule)
        assert pattern is not None
        if id(rule) in _ALTERNATIVES:
            _WHOLE[id(rule)] = pattern
    return pattern


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
