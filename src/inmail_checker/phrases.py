"""Phrase lists and raw patterns, compiled into one matcher that skips what cannot match.

A phrase matches whole words of the folded text: a space in it matches any run of spaces or
hyphens, a hyphen an optional one, an apostrophe an optional one. A rule's (or a word list's)
phrases and patterns form one regex, an alternation (:func:`regex_text`).

For speed a :class:`Phrases` runs that alternation's alternatives one by one: the phrase list
cut by first character, then each pattern. Each alternative has a gate, the words one of which
every match of it contains (see :mod:`.literals`), and runs only on a text that holds one.
Their matches are merged exactly as the alternation would find them, so a gate changes how
fast a matcher is, never what it finds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import chars, literals
from .literals import Reading, read

_SPACE = r"[\s\-]+"
_BEFORE = r"(?<![a-z0-9])"
_AFTER = r"(?![a-z0-9])"
_OPTIONAL_UNITS = (_SPACE, r"[\s\-]?", "'?")


def phrase_units(phrase: str) -> list[str]:
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


def _trie(phrases: list[list[str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for units in phrases:
        node = root
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}
    return root


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


def regex_text(phrases: Sequence[str], patterns: Sequence[str]) -> str:
    """The one regex of a phrase list (whole words only) and raw patterns, as text."""
    units = [phrase_units(phrase) for phrase in phrases]
    pieces = [_BEFORE + _trie_regex(_trie(units)) + _AFTER] if units else []
    pieces.extend(f"(?:{pattern})" for pattern in patterns)
    return "|".join(pieces)


def _phrase_groups(phrases: list[list[str]]) -> list[tuple[str, list[list[str]]]]:
    """The phrase trie as one regex per first character, with the phrases of each.

    At a position only the phrases that start with the character there can match, so the
    alternation of these regexes finds what the trie finds. Each starts with its character
    and checks the word boundary after it, ``d(?<![a-z0-9]d)emo``, the same test as the trie's
    leading ``(?<![a-z0-9])``: a regex that starts with a literal is searched for in C, and
    each gets a gate of its own. (A phrase starting with an optional unit keeps one trie.)
    """
    if any(units[0] in _OPTIONAL_UNITS for units in phrases):
        return [(_BEFORE + _trie_regex(_trie(phrases)) + _AFTER, phrases)]
    groups: dict[str, list[list[str]]] = {}
    for units in phrases:
        groups.setdefault(units[0], []).append(units)
    return [
        (f"{first}(?<![a-z0-9]{first}){_trie_regex(_trie([u[1:] for u in group]))}{_AFTER}", group)
        for first, group in sorted(groups.items())
    ]


@dataclass(frozen=True, slots=True)
class Alternative:
    """One top-level alternative of the regex (phrases that start alike, or one raw pattern),
    run on its own so that it can be skipped when its gate is shut."""

    regex: str
    keys: frozenset[str] | None
    """Whole words (or rare characters) one of which every match contains; None when the
    alternative must always run."""
    _compiled: list[re.Pattern[str]] = field(default_factory=list, repr=False, compare=False)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled regex, made the first time it is needed: a check runs only the
        alternatives its text opens, so most are never compiled by a one-off check."""
        if not self._compiled:
            self._compiled.append(chars.compile_rule(self.regex))
        return self._compiled[0]


def split(phrases: Sequence[str], patterns: Sequence[str]) -> tuple[Alternative, ...]:
    """The alternatives of :func:`regex_text`'s regex, each with its gate. Empty when they
    cannot stand for the whole: an alternative that holds a group (a reference could cross
    alternatives) or could match the empty string (the merge of the alternatives' matches relies
    on every match having a length). Raises ``re.error`` for a pattern that does not compile."""
    pieces: list[tuple[str, Reading]] = []
    for regex, group in _phrase_groups([phrase_units(phrase) for phrase in phrases]):
        readings = [read(_BEFORE, *units, _AFTER) for units in group]
        gates = [reading.keys for reading in readings]
        known = [gate for gate in gates if gate is not None]
        keys = frozenset().union(*known) if len(known) == len(gates) else None
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


SPLITS = "splits"
"""The section of the saved readings (:data:`.literals.READINGS_FILE`) that holds what
:func:`split` made of each phrase list, so that the browser's Pyodide starts without building
every phrase trie again (written with the readings; absent elsewhere)."""


@functools.cache
def _splits_version() -> str:
    """A fingerprint of this module and of the analysis: a saved split is used only by the code
    that made it."""
    digest = hashlib.sha256(literals.analysis_version().encode())
    with open(__file__, "rb") as handle:
        digest.update(handle.read())
    return digest.hexdigest()[:16]


def _split_key(phrases: Sequence[str], patterns: Sequence[str]) -> str:
    text = json.dumps([_splits_version(), list(phrases), list(patterns)], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def saved_split(phrases: Sequence[str], patterns: Sequence[str]) -> tuple[Alternative, ...]:
    """:func:`split`'s alternatives, from the saved section when it holds this list (it was
    split, and its patterns compiled, by the same code at build time), else split now."""
    key = _split_key(phrases, patterns)
    saved = literals.saved_section(SPLITS).get(key)
    if isinstance(saved, list):
        return tuple(
            Alternative(regex, None if keys is None else frozenset(keys)) for regex, keys in saved
        )
    alternatives = split(phrases, patterns)
    literals.remember(
        SPLITS,
        key,
        lambda: [[a.regex, None if a.keys is None else sorted(a.keys)] for a in alternatives],
    )
    return alternatives


class Phrases:
    """A compiled phrase list and patterns: their matches in a folded text, found fast."""

    __slots__ = ("_patterns", "_phrases", "_regex", "_whole", "alternatives")

    def __init__(self, phrases: Sequence[str], patterns: Sequence[str]) -> None:
        self._phrases, self._patterns = phrases, patterns
        self._regex: str | None = None
        self.alternatives = saved_split(phrases, patterns)
        # Kept whole when it cannot be split; otherwise compiled when first needed (see _merge).
        self._whole: re.Pattern[str] | None = (
            None if self.alternatives else chars.compile_rule(self.regex)
        )

    @property
    def regex(self) -> str:
        """The one regex of the list (:func:`regex_text`), made when first needed."""
        if self._regex is None:
            self._regex = regex_text(self._phrases, self._patterns)
        return self._regex

    @property
    def whole(self) -> re.Pattern[str]:
        if self._whole is None:
            self._whole = chars.compile_rule(self.regex)
        return self._whole

    def open_mask(self, keys: frozenset[str]) -> int:
        """The alternatives ``keys`` (a text's words, see :func:`.literals.text_keys`) open, as
        bits; every bit set when the matcher is not split."""
        mask = 0
        for index, alternative in enumerate(self.alternatives):
            if alternative.keys is None or not alternative.keys.isdisjoint(keys):
                mask |= 1 << index
        return mask

    def spans(self, text: str, mask: int) -> list[tuple[int, int]]:
        """The non-empty matches in ``text`` of the whole regex, as ``finditer`` finds them,
        from the alternatives whose bits ``mask`` sets (the others cannot match the text)."""
        if not self.alternatives:
            return [m.span() for m in self.whole.finditer(text) if m.end() > m.start()]
        if not mask:
            return []
        if not mask & (mask - 1):  # one alternative, the usual case
            pattern = self.alternatives[mask.bit_length() - 1].pattern
            return [m.span() for m in pattern.finditer(text)]
        live = [a.pattern for index, a in enumerate(self.alternatives) if mask >> index & 1]
        return self._merge(live, text)

    def search(self, text: str, keys: frozenset[str]) -> bool:
        """Whether the text holds any match (``keys``: its words, to skip what cannot match)."""
        if not self.alternatives:
            return self.whole.search(text) is not None
        return any(
            alternative.pattern.search(text) is not None
            for alternative in self.alternatives
            if alternative.keys is None or not alternative.keys.isdisjoint(keys)
        )

    def _merge(self, patterns: list[re.Pattern[str]], text: str) -> list[tuple[int, int]]:
        """The matches of the alternation of ``patterns`` from their separate searches.

        At each step an alternation takes the leftmost match, the earliest alternative on a
        tie, then goes on from its end. Each alternative's next match is kept until the last
        match passes its start. Every match has a length (see :func:`split`), so this ends.

        A kept match that is passed over was found for nothing. Texts made for it could make
        that waste grow with the square of their length (long matches, each overlapped by
        another alternative's match), so once it outgrows the text the whole regex takes over:
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
                return [m.span() for m in self.whole.finditer(text) if m.end() > m.start()]
            spans.append(first.span())
            position = first.end()


@functools.lru_cache(maxsize=1024)
def compile_phrases(phrases: tuple[str, ...], patterns: tuple[str, ...]) -> Phrases:
    """The matcher of a phrase list and patterns, made once: loading the rules validates each
    list by compiling it, and the rule set then uses the same matcher."""
    return Phrases(phrases, patterns)
