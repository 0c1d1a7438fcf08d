"""Rules as frozen declarative objects, loaded from the TOML files in ``rules/`` and validated.

Each rule file holds ``[[rule]]`` tables (problems) and ``[[strength]]`` tables (what a draft
does well). A rule matches with one matcher from a closed set:

- ``phrases``: a list of phrases (and optional ``patterns``, raw regular expressions) matched on
  the folded text; a space in a phrase matches any run of spaces or hyphens, a hyphen matches an
  optional one, an apostrophe an optional one. Phrases match whole words only.
- ``count``: the same, but the rule fires only when there are at least ``min_count`` matches.
- ``custom``: a named function in :mod:`inmail_checker.matchers`, for the few rules that need
  logic (lengths, purpose, greetings).

A phrase or count rule's phrases and patterns form one regex, an alternation (``Rule.regex``).
For speed the engine runs its alternatives one by one (``Rule.alternatives``: the phrase list
cut by first character, then each pattern), each only when the text holds one of the words
its gate names (see :mod:`.prefilter`), and merges their matches exactly as the alternation
would find them.

Anything unexpected (an unknown key, a bad pattern, a duplicate id) raises ``RuleError`` naming
the rule and the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from .prefilter import Reading, read
from .report import SEVERITIES, VERDICTS, Field, Severity, Verdict

if TYPE_CHECKING:
    from .engine import Draft, Hit

CATEGORIES: dict[str, str] = {
    "pitch": "Pitch",
    "bulk": "Bulk and templates",
    "followup": "Repeated messages",
    "scam": "Scams and deception",
    "subject": "Subject line",
    "form": "Length and form",
    "purpose": "Purpose and relevance",
    "strength": "Strengths",
}

KINDS = ("phrases", "count", "custom")
_RULE_FILES = ("pitch", "bulk", "followup", "scam", "subject", "form", "purpose", "strengths")
_ID = re.compile(r"^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$")
_COMMON_KEYS = {
    "id",
    "title",
    "kind",
    "field",
    "message",
    "rationale",
    "fix",
    "source",
    "phrases",
    "patterns",
    "min_count",
    "function",
    "flagged",
    "clean",
}
_PROBLEM_KEYS = _COMMON_KEYS | {"severity", "weight", "ceiling"}
_STRENGTH_KEYS = _COMMON_KEYS | {"bonus"}
_EXAMPLE_KEYS = {"subject", "body", "match"}


class RuleError(ValueError):
    """A rule file is malformed."""


@dataclass(frozen=True, slots=True)
class Example:
    """A draft that a rule must flag (or must leave alone)."""

    subject: str
    body: str
    match: str | None = None
    """For flagged examples: text that one of the rule's findings must cover exactly."""


@dataclass(frozen=True, slots=True)
class Alternative:
    """One top-level alternative of a rule's regex (phrases that start alike, or one raw
    pattern), run on its own so that it can be skipped when its gate is shut."""

    regex: str
    keys: frozenset[str] | None
    """Whole words (or rare characters) one of which every match contains, read from the
    pattern by :mod:`.prefilter`; None when the alternative must always run."""
    _compiled: list[re.Pattern[str]] = field(default_factory=list, repr=False, compare=False)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled regex, made the first time it is needed: a check runs only the
        alternatives its text opens, so most are never compiled by a one-off check."""
        if not self._compiled:
            self._compiled.append(re.compile(self.regex))
        return self._compiled[0]


@dataclass(frozen=True, slots=True)
class Rule:
    """One check. ``weight`` (problems) and ``bonus`` (strengths) feed the score."""

    id: str
    category: str
    title: str
    is_strength: bool
    severity: Severity
    weight: int
    bonus: int
    ceiling: Verdict | None
    """The best verdict a draft can get while this rule fires (None: no limit)."""
    field: Field | None
    """The field the rule reads; None for both."""
    kind: str
    pattern: re.Pattern[str] | None
    """The rule's whole regex, set only when it could not be split into ``alternatives``
    (see :func:`split_matcher`); :func:`whole_pattern` gives it for any rule."""
    min_count: int
    function: str | None
    message: str
    rationale: str
    fix: str
    source: str
    flagged: tuple[Example, ...]
    clean: tuple[Example, ...]
    alternatives: tuple[Alternative, ...] = ()
    """The rule's regex split into alternatives, in order, for the engine's gates; empty when
    the engine must run ``pattern`` as a whole."""
    regex: str = ""
    """The rule's whole regex as text (phrase and count rules)."""

    @property
    def fields(self) -> tuple[Field, ...]:
        return (self.field,) if self.field else ("subject", "body")

    def __hash__(self) -> int:
        # Ids are unique, so equal rules have equal ids; hashing every field (the examples and
        # compiled patterns) would cost a microsecond each time scoring counts a rule.
        return hash(self.id)


_SPACE = r"[\s\-]+"
_BEFORE = r"(?<![a-z0-9])"
_AFTER = r"(?![a-z0-9])"


def _phrase_units(phrase: str) -> list[str]:
    """One regex unit per character of a phrase: flexible spaces, hyphens and apostrophes."""
    units: list[str] = []
    for char in phrase.strip().lower():
        if char == " ":
            if units and units[-1] != _SPACE:
                units.append(_SPACE)
        elif char == "-":
            units.append(r"[\s\-]?")
        elif char == "'":
            units.append("'?")
        else:
            units.append(re.escape(char))
    return units


def _trie_regex(node: dict[str, Any]) -> str:
    """Emit a trie of phrase units as one regex: shared prefixes are matched once, which makes
    a long phrase list several times faster than a flat alternation. Greedy, so the longest
    phrase at a position wins."""
    branches = [unit + _trie_regex(child) for unit, child in sorted(node.items()) if unit]
    if not branches:
        return ""
    ends_here = "" in node
    if len(branches) == 1 and not ends_here:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if ends_here else group


def _trie(phrase_units: list[list[str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for units in phrase_units:
        node = root
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}
    return root


def _regex_text(phrase_units: list[list[str]], patterns: list[str]) -> str:
    """:func:`compile_matcher`'s regex as text: the phrase trie, then each raw pattern."""
    pieces = [_BEFORE + _trie_regex(_trie(phrase_units)) + _AFTER] if phrase_units else []
    pieces.extend(f"(?:{pattern})" for pattern in patterns)
    return "|".join(pieces)


def compile_matcher(phrases: list[str], patterns: list[str]) -> re.Pattern[str]:
    """One compiled regex for a rule's phrases (whole words only) and raw patterns."""
    return re.compile(_regex_text([_phrase_units(p) for p in phrases], patterns))


def whole_pattern(rule: Rule) -> re.Pattern[str] | None:
    """The one regex a phrase or count rule matches with, compiled on demand when the rule
    was split into ``alternatives`` (the engine runs those one by one)."""
    if rule.pattern is not None or not rule.regex:
        return rule.pattern
    return re.compile(rule.regex)


_OPTIONAL_UNITS = (_SPACE, r"[\s\-]?", "'?")


def _phrase_groups(phrase_units: list[list[str]]) -> list[tuple[str, list[list[str]]]]:
    """The phrase trie as one regex per first character, with the phrases of each.

    At a position only the phrases that start with the character there can match, so the
    alternation of these regexes finds what the trie finds. Each starts with its character
    and checks the word boundary after it, ``d(?<![a-z0-9]d)emo``, the same test as the trie's
    leading ``(?<![a-z0-9])``: a regex that starts with a literal is searched for in C, and
    each gets a gate of its own. (A phrase starting with an optional unit keeps one trie.)
    """
    if any(units[0] in _OPTIONAL_UNITS for units in phrase_units):
        return [(_BEFORE + _trie_regex(_trie(phrase_units)) + _AFTER, phrase_units)]
    groups: dict[str, list[list[str]]] = {}
    for units in phrase_units:
        groups.setdefault(units[0], []).append(units)
    return [
        (f"{first}(?<![a-z0-9]{first}){_trie_regex(_trie([u[1:] for u in group]))}{_AFTER}", group)
        for first, group in sorted(groups.items())
    ]


def split_matcher(phrases: list[str], patterns: list[str]) -> tuple[Alternative, ...]:
    """The alternatives of :func:`compile_matcher`'s regex (its phrase trie cut by first
    character, then each raw pattern), each with its gate. Empty when they cannot stand for
    the whole: an alternative that holds a group (a reference could cross alternatives) or
    could match the empty string (the engine's merge of the alternatives' matches relies on
    every match having a length). Raises ``re.error`` for a pattern that does not compile."""
    pieces: list[tuple[str, Reading]] = []
    for regex, group in _phrase_groups([_phrase_units(phrase) for phrase in phrases]):
        readings = [read(_BEFORE, *units, _AFTER) for units in group]
        gates = [reading.keys for reading in readings]
        keys = None if None in gates else frozenset().union(*gates)  # type: ignore[arg-type]
        min_length = min(reading.min_length for reading in readings)
        checked = all(reading.checked for reading in readings)
        pieces.append((regex, Reading(keys, min_length, 0, checked)))
    pieces.extend((f"(?:{pattern})", read(f"(?:{pattern})")) for pattern in patterns)
    alternatives: list[Alternative] = []
    for regex, reading in pieces:
        alternative = Alternative(regex, reading.keys)
        if not reading.checked:  # the parser could not be used: compile now, to be sure
            groups, min_length = alternative.pattern.groups, 0
        else:
            groups, min_length = reading.groups, reading.min_length
        if groups or min_length == 0:
            re.compile(regex)  # still fail loudly on a pattern that does not compile
            return ()
        alternatives.append(alternative)
    return tuple(alternatives)


def _example(raw: Any, field: Field | None, where: str) -> Example:
    if isinstance(raw, str):
        return Example(subject=raw, body="") if field == "subject" else Example("", raw)
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: an example must be a string or a table")
    unknown = set(raw) - _EXAMPLE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown example key(s) {sorted(unknown)}")
    values = {key: raw.get(key, "") for key in ("subject", "body")}
    if not all(isinstance(value, str) for value in values.values()):
        raise RuleError(f"{where}: example subject and body must be strings")
    match = raw.get("match")
    if match is not None and not isinstance(match, str):
        raise RuleError(f"{where}: example match must be a string")
    return Example(values["subject"], values["body"], match)


def _build_rule(raw: Mapping[str, Any], is_strength: bool, filename: str) -> Rule:
    rule_id = raw.get("id")
    where = f"{filename}: rule {rule_id!r}"
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleError(f"{where}: id must look like 'family.signal-name'")
    allowed = _STRENGTH_KEYS if is_strength else _PROBLEM_KEYS
    unknown = set(raw) - allowed
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {sorted(unknown)}")
    category = rule_id.split(".", 1)[0]
    if category not in CATEGORIES or (category == "strength") != is_strength:
        raise RuleError(f"{where}: id must start with one of {sorted(CATEGORIES)}")
    for key in ("title", "message", "rationale", "fix"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RuleError(f"{where}: '{key}' is required and must be text")
    field = raw.get("field", "body")
    if field not in ("subject", "body", "any"):
        raise RuleError(f"{where}: field must be 'subject', 'body' or 'any'")
    field_value: Field | None = None if field == "any" else field
    kind = raw.get("kind", "phrases")
    if kind not in KINDS:
        raise RuleError(f"{where}: kind must be one of {KINDS}")
    phrases = raw.get("phrases", [])
    patterns = raw.get("patterns", [])
    if not all(isinstance(p, str) and p.strip() for p in [*phrases, *patterns]):
        raise RuleError(f"{where}: phrases and patterns must be non-empty strings")
    pattern: re.Pattern[str] | None = None
    alternatives: tuple[Alternative, ...] = ()
    regex = ""
    function = raw.get("function")
    if kind == "custom":
        from .matchers import MATCHERS

        if function not in MATCHERS:
            raise RuleError(f"{where}: unknown custom function {function!r}")
        if phrases or patterns:
            raise RuleError(f"{where}: a custom rule takes no phrases or patterns")
    else:
        if function is not None:
            raise RuleError(f"{where}: 'function' belongs to custom rules only")
        if not phrases and not patterns:
            raise RuleError(f"{where}: a {kind} rule needs phrases or patterns")
        try:
            regex = _regex_text([_phrase_units(p) for p in phrases], patterns)
            alternatives = split_matcher(phrases, patterns)
            if not alternatives:
                pattern = re.compile(regex)
        except re.error as error:
            raise RuleError(f"{where}: bad pattern: {error}") from error
    min_count = raw.get("min_count", 1)
    if not isinstance(min_count, int) or min_count < 1 or (kind != "count" and min_count != 1):
        raise RuleError(f"{where}: min_count must be a whole number >= 1, for count rules only")
    severity = raw.get("severity", "low")
    if severity not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {SEVERITIES}")
    weight = raw.get("weight", 0)
    bonus = raw.get("bonus", 0)
    if is_strength:
        if not isinstance(bonus, int) or not 1 <= bonus <= 10:
            raise RuleError(f"{where}: bonus must be a whole number from 1 to 10")
    elif not isinstance(weight, int) or not 1 <= weight <= 60:
        raise RuleError(f"{where}: weight must be a whole number from 1 to 60")
    ceiling = raw.get("ceiling")
    if ceiling is not None and ceiling not in VERDICTS[1:]:
        raise RuleError(f"{where}: ceiling must be one of {VERDICTS[1:]}")
    flagged = tuple(_example(e, field_value, where) for e in raw.get("flagged", []))
    clean = tuple(_example(e, field_value, where) for e in raw.get("clean", []))
    if not flagged or not clean:
        raise RuleError(f"{where}: needs at least one flagged and one clean example")
    return Rule(
        id=rule_id,
        category=category,
        title=raw["title"].strip(),
        is_strength=is_strength,
        severity=severity,
        weight=weight,
        bonus=bonus,
        ceiling=ceiling,
        field=field_value,
        kind=kind,
        pattern=pattern,
        min_count=min_count,
        function=function,
        message=raw["message"].strip(),
        rationale=" ".join(raw["rationale"].split()),
        fix=" ".join(raw["fix"].split()),
        source=raw.get("source", ""),
        flagged=flagged,
        clean=clean,
        alternatives=alternatives,
        regex=regex,
    )


def parse_rules(text: str, filename: str) -> list[Rule]:
    """Parse one rule file's TOML text into rules."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{filename}: {error}") from error
    unknown = set(data) - {"rule", "strength"}
    if unknown:
        raise RuleError(f"{filename}: unknown top-level table(s) {sorted(unknown)}")
    rules = [_build_rule(raw, False, filename) for raw in data.get("rule", [])]
    rules += [_build_rule(raw, True, filename) for raw in data.get("strength", [])]
    return rules


def load_rules() -> tuple[Rule, ...]:
    """Load and validate every rule shipped with the package, in a stable order."""
    folder = resources.files("inmail_checker") / "rules"
    rules: list[Rule] = []
    for name in _RULE_FILES:
        filename = f"{name}.toml"
        rules += parse_rules((folder / filename).read_text(encoding="utf-8"), filename)
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    return tuple(rules)


RULES: tuple[Rule, ...] = load_rules()
"""Every rule, problems first then strengths, in file order. Immutable."""

RULES_BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in RULES}

CustomMatcher = Callable[["Draft", Rule], "list[Hit]"]
