"""Rules as frozen declarative objects, loaded from the TOML files in ``rules/`` and validated.

Each rule file holds ``[[rule]]`` tables (problems) and ``[[strength]]`` tables (what a draft
does well). A rule matches with one matcher from a closed set:

- ``phrases``: a list of phrases (and optional ``patterns``, raw regular expressions) matched on
  the folded text, whole words only (see :mod:`.phrases`).
- ``count``: the same, but the rule fires only when there are at least ``min_count`` matches.
- ``custom``: a named function in :mod:`inmail_checker.matchers`, for the few rules that need
  logic (lengths, purpose, greetings). Its numbers and word lists are still data: ``params``
  (numbers, text, lists of words) and ``lists`` (named phrase lists, compiled like a rule's).
- ``model``: the learned score's finding (``direction = "spam"``) or strength
  (``"genuine"``): the words of the draft whose fitted weights pushed the score (see
  :mod:`inmail_checker.model`).
- ``context``: fires on what the writer says about the message (:class:`~.report.Context`),
  not on its text: ``params`` name the context values it fires on.

How much a rule is worth is not in the rule file: points are fitted from the labelled
corpora by ``scripts/fit.py`` and kept in ``data/model.json`` (see :mod:`.scoring`). A
context rule or a batch rule, which no single labelled message can show, takes the points of
the rule named in ``points_like``.
A rule may name the contexts in which it does not apply (``skip_when``: ``reply``, for a
reply to the person; ``answered``, when they have answered before), phrases that silence it
(``unless``, for phrase and count rules), and a ``rewrite`` for
mechanical fixes: ``{ kind = "replace", text = "…" }`` (optionally ``fill_in``, what the writer
types next), ``{ kind = "delete" }``, ``{ kind = "collapse-marks" }`` ("!!!" becomes "!"),
``{ kind = "sentence-case" }``.

A rule's ``scope`` is ``draft`` (the default: :func:`inmail_checker.check` runs it) or
``batch`` (it compares drafts; :mod:`inmail_checker.batch` runs it).

A parameter may name a fact instead of a value, ``{ fact = "body-limit" }``: LinkedIn's
figures live once, in ``facts.toml``, with their source and date. It may also name a shared
word list, ``{ list = "shouted-words" }``, from ``rules/lists.toml``. Titles, messages,
rationales and fixes may quote parameters (``{limit:,}``).

Anything unexpected (an unknown key, a bad pattern, a duplicate id) raises ``RuleError`` naming
the rule and the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

from . import literals
from .phrases import compile_phrases
from .report import SEVERITIES, VERDICTS, Field, Severity, Verdict

CATEGORIES: dict[str, str] = {
    "pitch": "Pitch",
    "bulk": "Bulk and templates",
    "followup": "Repeated messages",
    "scam": "Scams and deception",
    "subject": "Subject line",
    "form": "Length and form",
    "purpose": "Purpose and relevance",
    "wording": "Wording",
    "strength": "Strengths",
}

KINDS = ("phrases", "count", "custom", "model", "context")
REWRITE_KINDS = ("replace", "delete", "collapse-marks", "sentence-case")
SKIP_CONDITIONS = ("reply", "answered")
SCOPES = ("draft", "batch")
RULE_FILES = (
    "pitch",
    "bulk",
    "followup",
    "scam",
    "subject",
    "form",
    "purpose",
    "wording",
    "strengths",
)
LISTS_FILE = "lists.toml"
FACTS_FILE = "facts.toml"
_ID = re.compile(r"^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$", re.ASCII)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$", re.ASCII)
_COMMON_KEYS = {
    "id",
    "title",
    "kind",
    "field",
    "scope",
    "message",
    "rationale",
    "fix",
    "source",
    "phrases",
    "patterns",
    "min_count",
    "function",
    "params",
    "lists",
    "flagged",
    "clean",
    "skip_when",
    "points_like",
    "unless",
}
_PROBLEM_KEYS = _COMMON_KEYS | {"severity", "ceiling", "rewrite"}
_STRENGTH_KEYS = _COMMON_KEYS
_EXAMPLE_KEYS = {"subject", "body", "match", "repeat", "context"}
_LIST_KEYS = {"phrases", "patterns"}
_FACT_KEYS = {"value", "claim", "source", "as_of"}


class RuleError(ValueError):
    """A rule file is malformed."""


@dataclass(frozen=True, slots=True)
class Example:
    """A draft that a rule must flag (or must leave alone)."""

    subject: str
    body: str
    match: str | None = None
    """For flagged examples: text that one of the rule's findings must cover exactly."""
    context: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """What the writer says of the draft (see :class:`~.report.Context`), for context rules."""


@dataclass(frozen=True, slots=True)
class PhraseList:
    """Phrases and raw patterns, as a rule or a named word list of a rule gives them."""

    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """A figure LinkedIn publishes, with where it says so and when that was checked."""

    name: str
    value: int | str
    claim: str
    source: str
    as_of: str


@dataclass(frozen=True, slots=True)
class RewriteSpec:
    """How a rule's finding can be rewritten mechanically (see the module's docstring)."""

    kind: str
    text: str = ""
    fill_in: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One check. What it is worth is fitted, not written here (see :mod:`.scoring`).

    Rules compare and hash by identity: ids are unique, and a rule is never copied."""

    id: str
    category: str
    title: str
    is_strength: bool
    severity: Severity
    ceiling: Verdict | None
    """The best verdict a draft can get while this rule fires (None: no limit)."""
    field: Field | None
    """The field the rule reads; None for both."""
    kind: str
    matcher: PhraseList
    """Phrases and patterns (phrase and count rules)."""
    min_count: int
    function: str | None
    message: str
    rationale: str
    fix: str
    source: str
    flagged: tuple[Example, ...]
    clean: tuple[Example, ...]
    params: Mapping[str, Any] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    """Numbers, text and word lists the rule's matcher reads (facts already resolved)."""
    lists: Mapping[str, PhraseList] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )
    """Named phrase lists a custom matcher searches with."""
    facts: Mapping[str, Fact] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    """The facts its parameters name, by parameter."""
    scope: str = "draft"
    file: str = ""
    rewrite: RewriteSpec | None = None
    skip_when: frozenset[str] = frozenset()
    points_like: str | None = None
    """A context rule's points are those of this rule."""
    unless: PhraseList | None = None
    """A phrase or count rule stays silent on a field where one of these matches (a booking
    link offered beside "or just reply" is not a sales push)."""

    @property
    def fields(self) -> tuple[Field, ...]:
        return (self.field,) if self.field else ("subject", "body")


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
    repeat = raw.get("repeat", 1)
    if not isinstance(repeat, int) or repeat < 1:
        raise RuleError(f"{where}: example repeat must be a whole number >= 1")
    context = raw.get("context", {})
    if not isinstance(context, Mapping):
        raise RuleError(f"{where}: example context must be a table")
    return Example(values["subject"], values["body"] * repeat, match, dict(context))


def _phrase_list(raw: Any, where: str) -> PhraseList:
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: must be a table of phrases and patterns")
    unknown = set(raw) - _LIST_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {sorted(unknown)}")
    phrases, patterns = raw.get("phrases", []), raw.get("patterns", [])
    for items in (phrases, patterns):
        if not isinstance(items, list) or not all(isinstance(p, str) and p.strip() for p in items):
            raise RuleError(f"{where}: phrases and patterns must be lists of non-empty strings")
    result = PhraseList(tuple(phrases), tuple(patterns))
    if result.phrases or result.patterns:
        try:
            compile_phrases(result.phrases, result.patterns)
        except re.error as error:
            raise RuleError(f"{where}: bad pattern: {error}") from error
    return result


class _Library:
    """What rule parameters may refer to: the facts, the shared word lists and the shared
    phrase lists."""

    def __init__(
        self,
        facts: Mapping[str, Fact],
        lists: Mapping[str, tuple[str, ...]],
        phrase_lists: Mapping[str, PhraseList] | None = None,
    ) -> None:
        self.facts = facts
        self.lists = lists
        self.phrase_lists = phrase_lists or {}


def _param(value: Any, where: str, library: _Library) -> Any:
    """A parameter's value: a number, text, a list of words, or what a reference names (a
    :class:`Fact` for a fact, its value taken by the caller)."""
    if isinstance(value, Mapping):
        if set(value) == {"fact"} and value["fact"] in library.facts:
            return library.facts[value["fact"]]
        if set(value) == {"list"} and value["list"] in library.lists:
            return library.lists[value["list"]]
        raise RuleError(
            f"{where}: a table must be {{ fact = NAME }} or {{ list = NAME }} naming one"
        )
    if isinstance(value, list):
        if not all(isinstance(item, str) and item.strip() for item in value):
            raise RuleError(f"{where}: a list must hold non-empty strings")
        return tuple(value)
    if not isinstance(value, bool | int | float | str):
        raise RuleError(f"{where}: must be a number, text, yes/no, words or a reference")
    return value


def _params(raw: Any, where: str, library: _Library) -> tuple[dict[str, Any], dict[str, Fact]]:
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: params must be a table")
    facts: dict[str, Fact] = {}
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if not _NAME.match(name):
            raise RuleError(f"{where}: parameter name {name!r} must be lower_case")
        value = _param(value, f"{where}: parameter {name!r}", library)
        if isinstance(value, Fact):
            facts[name], value = value, value.value
        params[name] = value
    return params, facts


_TEMPLATE_FIELDS = ("title", "message", "rationale", "fix")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([^{}]*))?\}", re.ASCII)
"""``{name}`` or ``{name:spec}`` in a rule's text: a parameter, or a value of the hit for a
message (``match``, ``count``, and what a custom matcher adds). Other braces are text."""


def fill(text: str, values: Mapping[str, Any]) -> str:
    """``text`` with each placeholder whose name ``values`` holds replaced by its value."""
    if "{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        name, spec = match.group(1), match.group(2) or ""
        return format(values[name], spec) if name in values else match.group()

    return _PLACEHOLDER.sub(replace, text)


def _build_rule(
    raw: Mapping[str, Any], is_strength: bool, filename: str, library: _Library
) -> Rule:
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
    for key in _TEMPLATE_FIELDS:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RuleError(f"{where}: '{key}' is required and must be text")
    field = raw.get("field", "body")
    if field not in ("subject", "body", "any"):
        raise RuleError(f"{where}: field must be 'subject', 'body' or 'any'")
    field_value: Field | None = None if field == "any" else field
    scope = raw.get("scope", "draft")
    if scope not in SCOPES:
        raise RuleError(f"{where}: scope must be one of {SCOPES}")
    kind = raw.get("kind", "phrases")
    if kind not in KINDS:
        raise RuleError(f"{where}: kind must be one of {KINDS}")
    matcher = _phrase_list({key: raw[key] for key in _LIST_KEYS if key in raw}, f"{where}: phrases")
    function = raw.get("function")
    if kind in ("custom", "model", "context"):
        if kind == "custom" and (not isinstance(function, str) or not function.isidentifier()):
            raise RuleError(f"{where}: a custom rule needs a 'function' name")
        if kind != "custom" and function is not None:
            raise RuleError(f"{where}: 'function' belongs to custom rules only")
        if matcher.phrases or matcher.patterns:
            raise RuleError(f"{where}: a {kind} rule takes no phrases or patterns")
    else:
        if function is not None:
            raise RuleError(f"{where}: 'function' belongs to custom rules only")
        if not matcher.phrases and not matcher.patterns:
            raise RuleError(f"{where}: a {kind} rule needs phrases or patterns")
    raw_lists = raw.get("lists", {})
    if not isinstance(raw_lists, Mapping):
        raise RuleError(f"{where}: lists must be a table of tables")
    lists = {
        name: _list_of(value, f"{where}: list {name!r}", library)
        for name, value in raw_lists.items()
    }
    if lists and kind != "custom":
        raise RuleError(f"{where}: lists belong to custom rules only")
    params, facts = _params(raw.get("params", {}), where, library)
    min_count = raw.get("min_count", 1)
    if not isinstance(min_count, int) or min_count < 1 or (kind != "count" and min_count != 1):
        raise RuleError(f"{where}: min_count must be a whole number >= 1, for count rules only")
    severity = raw.get("severity", "low")
    if severity not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {SEVERITIES}")
    skip_when = raw.get("skip_when", [])
    if not isinstance(skip_when, list) or not set(skip_when) <= set(SKIP_CONDITIONS):
        raise RuleError(f"{where}: skip_when must be a list of {SKIP_CONDITIONS}")
    points_like = raw.get("points_like")
    if points_like is not None and not isinstance(points_like, str):
        raise RuleError(f"{where}: 'points_like' must name a rule")
    if (kind == "context" and points_like is None) or (
        points_like is not None and kind != "context" and scope != "batch"
    ):
        raise RuleError(
            f"{where}: a context rule names 'points_like', as a batch rule may; no other does"
        )
    if kind == "model" and params.get("direction") not in ("spam", "genuine"):
        raise RuleError(f"{where}: a model rule needs params.direction 'spam' or 'genuine'")
    rewrite = _rewrite(raw.get("rewrite"), where)
    unless = _phrase_list(raw["unless"], f"{where}: unless") if "unless" in raw else None
    if unless is not None and kind not in ("phrases", "count"):
        raise RuleError(f"{where}: 'unless' belongs to phrase and count rules")
    ceiling = raw.get("ceiling")
    if ceiling is not None and ceiling not in VERDICTS[1:]:
        raise RuleError(f"{where}: ceiling must be one of {VERDICTS[1:]}")
    flagged = tuple(_example(e, field_value, where) for e in raw.get("flagged", []))
    clean = tuple(_example(e, field_value, where) for e in raw.get("clean", []))
    if scope == "draft" and (not flagged or not clean):
        raise RuleError(f"{where}: needs at least one flagged and one clean example")
    message = fill(raw["message"].strip(), params)
    return Rule(
        id=rule_id,
        category=category,
        title=fill(raw["title"].strip(), params),
        is_strength=is_strength,
        severity=severity,
        ceiling=ceiling,
        field=field_value,
        kind=kind,
        matcher=matcher,
        min_count=min_count,
        function=function,
        message=message,
        rationale=fill(" ".join(raw["rationale"].split()), params),
        fix=fill(" ".join(raw["fix"].split()), params),
        source=raw.get("source", ""),
        flagged=flagged,
        clean=clean,
        params=MappingProxyType(params),
        lists=MappingProxyType(lists),
        facts=MappingProxyType(facts),
        scope=scope,
        file=filename,
        rewrite=rewrite,
        skip_when=frozenset(skip_when),
        points_like=points_like,
        unless=unless,
    )


def _rewrite(raw: Any, where: str) -> RewriteSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or raw.get("kind") not in REWRITE_KINDS:
        raise RuleError(f"{where}: rewrite must be a table with kind one of {REWRITE_KINDS}")
    unknown = set(raw) - {"kind", "text", "fill_in"}
    if unknown:
        raise RuleError(f"{where}: unknown rewrite key(s) {sorted(unknown)}")
    text, fill_in = raw.get("text", ""), raw.get("fill_in", "")
    if not isinstance(text, str) or not isinstance(fill_in, str):
        raise RuleError(f"{where}: rewrite text and fill_in must be text")
    if (raw["kind"] == "replace") != bool(text):
        raise RuleError(f"{where}: a replace rewrite, and only one, needs a text")
    return RewriteSpec(raw["kind"], text, fill_in)


def parse_rules(text: str, filename: str, library: _Library | None = None) -> list[Rule]:
    """Parse one rule file's TOML text into rules. References resolve against the package's
    facts and shared lists unless ``library`` is given."""
    data = _toml(text, filename)
    unknown = set(data) - {"rule", "strength"}
    if unknown:
        raise RuleError(f"{filename}: unknown top-level table(s) {sorted(unknown)}")
    library = library or _library()
    rules = [_build_rule(raw, False, filename, library) for raw in data.get("rule", [])]
    rules += [_build_rule(raw, True, filename, library) for raw in data.get("strength", [])]
    return rules


PARSED_TOML = "toml"
"""The section of the saved readings (:data:`.literals.READINGS_FILE`) that holds each rule
file parsed, by its text's sha256: the browser's Pyodide reads JSON in C rather than TOML in
Python (written with the readings, absent elsewhere)."""


def _toml(text: str, filename: str) -> dict[str, Any]:
    key = hashlib.sha256(text.encode()).hexdigest()[:32]
    saved = literals.saved_section(PARSED_TOML).get(key)
    if isinstance(saved, dict):
        return saved
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{filename}: {error}") from error
    literals.remember(PARSED_TOML, key, lambda: data)
    return data


def _read(name: str) -> str:
    return (resources.files(__package__) / name).read_text(encoding="utf-8")


def parse_facts(text: str, filename: str = FACTS_FILE) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    for name, raw in _toml(text, filename).items():
        where = f"{filename}: fact {name!r}"
        if not isinstance(raw, Mapping) or set(raw) != _FACT_KEYS:
            raise RuleError(f"{where}: needs exactly the keys {sorted(_FACT_KEYS)}")
        if not isinstance(raw["value"], int | str) or not all(
            isinstance(raw[key], str) and raw[key].strip() for key in ("claim", "source", "as_of")
        ):
            raise RuleError(f"{where}: value must be a number or text; the rest text")
        facts[name] = Fact(name, raw["value"], raw["claim"], raw["source"], raw["as_of"])
    return facts


def parse_lists(
    text: str, filename: str = LISTS_FILE
) -> tuple[dict[str, tuple[str, ...]], dict[str, PhraseList]]:
    """The shared lists: word lists (``words = [...]``, for parameters) and phrase lists
    (``phrases``/``patterns``, for a custom rule's ``lists``)."""
    words_lists: dict[str, tuple[str, ...]] = {}
    phrase_lists: dict[str, PhraseList] = {}
    for name, raw in _toml(text, filename).items():
        if not isinstance(raw, Mapping):
            raise RuleError(f"{filename}: list {name!r} must be a table")
        if set(raw) == {"words"}:
            words = raw["words"]
            if not isinstance(words, list) or not words:
                raise RuleError(f"{filename}: list {name!r}: 'words' must be a list")
            if not all(isinstance(word, str) and word.strip() for word in words):
                raise RuleError(f"{filename}: list {name!r} must hold non-empty strings")
            words_lists[name] = tuple(words)
        else:
            phrase_lists[name] = _phrase_list(raw, f"{filename}: list {name!r}")
    return words_lists, phrase_lists


def _list_of(raw: Any, where: str, library: _Library) -> PhraseList:
    """A custom rule's named list: its own phrases and patterns, or ``{ list = NAME }``."""
    if isinstance(raw, Mapping) and set(raw) == {"list"}:
        if raw["list"] not in library.phrase_lists:
            raise RuleError(f"{where}: no shared phrase list {raw['list']!r}")
        return library.phrase_lists[raw["list"]]
    return _phrase_list(raw, where)


def _library() -> _Library:
    words, phrases = parse_lists(_read(f"rules/{LISTS_FILE}"))
    return _Library(parse_facts(_read(FACTS_FILE)), words, phrases)


def load_rules() -> tuple[Rule, ...]:
    """Load and validate every rule shipped with the package, in a stable order."""
    library = _library()
    rules: list[Rule] = []
    for name in RULE_FILES:
        filename = f"{name}.toml"
        rules += parse_rules(_read(f"rules/{filename}"), filename, library)
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    return tuple(rules)


FACTS: Mapping[str, Fact] = MappingProxyType(parse_facts(_read(FACTS_FILE)))
"""LinkedIn's figures the checker uses, by name."""

ALL_RULES: tuple[Rule, ...] = load_rules()
"""Every rule, problems first then strengths, in file order, batch rules included."""

RULES: tuple[Rule, ...] = tuple(rule for rule in ALL_RULES if rule.scope == "draft")
"""The rules one draft is checked with. Immutable."""

RULES_BY_ID: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in ALL_RULES})
