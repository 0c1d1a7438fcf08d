"""The learned score: words and phrases of the body whose fitted weights move the score.

In the tradition of SpamBayes and "A Plan for Spam", a draft's words are the model's evidence,
and the evidence is shown: the words that pushed the score towards spam make one finding, the
words that pushed it towards a genuine note make one strength, each listing its clues.

:func:`features` is the one definition of the model's inputs: ``scripts/fit.py`` fits on
exactly what it returns, and the checker scores with it, in CPython and in Pyodide alike. A
feature is a word of the folded body (digits read as ``0``), two words in a row
(``"exciting opportunity"``), or one of a few marks (``$``, ``%``, ``!``, ``?``, ``@``). A word
written with a capital inside a sentence is a name (of a person, a company, a place) and reads
as :data:`NAME`: which name a message holds says nothing about it.
Weights are whole tenths of a point, so the sums are exact everywhere.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import chars
from .draft import Draft, Hit
from .text import Folded

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+(?:[.,][0-9]+)*|[$€£%!?@]", re.ASCII)
_DIGITS = re.compile(r"[0-9]", re.ASCII)
MAX_CLUE_SPANS = 3
"""Places highlighted for one clue (its first occurrences)."""


NAME = "<name>"
_SENTENCE_END = frozenset(".!?\n\r:;\"'“”‘’()[]*-•–—")


def _is_name(folded: Folded, start: int, end: int) -> bool:
    """Whether a word was typed with a capital (and not all in capitals) inside a sentence."""
    original = folded.original
    first = folded.starts[start] if folded.starts is not None else start
    if not chars.is_upper(original[first]):
        return False  # the usual case, decided at once
    _, last = folded.span(start, end)
    word = original[first:last]
    if len(word) < 2 or chars.is_upper_word(word):
        return False
    before = first - 1
    while before >= 0 and original[before] in " \t":
        before -= 1
    return before >= 0 and original[before] not in _SENTENCE_END


def tokens(folded: Folded) -> list[tuple[str, int, int]]:
    """The words and marks of a folded text, each with its span in the folded text."""
    found = []
    for m in _TOKEN.finditer(folded.text):
        token = m.group()
        if "a" <= token[0] <= "z":
            if _is_name(folded, m.start(), m.end()):
                token = NAME
        elif "0" <= token[0] <= "9":
            token = _DIGITS.sub("0", token)
        found.append((token, m.start(), m.end()))
    return found


def features(folded: Folded) -> dict[str, list[tuple[int, int]]]:
    """Every feature of a folded field, with the spans where it occurs (in order)."""
    found: dict[str, list[tuple[int, int]]] = {}
    words = tokens(folded)
    for token, start, end in words:
        found.setdefault(token, []).append((start, end))
    for (first, start, _), (second, _, end) in itertools.pairwise(words):
        found.setdefault(f"{first} {second}", []).append((start, end))
    return found


Clue = tuple[str, int]
"""(feature, weight in tenths)."""
Place = tuple[int, int]
"""A span of the folded body."""


def _first_places(keys: list[Any]) -> dict[Any, int]:
    """Where each key first occurs in ``keys`` (built in C: later items are written first, so
    the first occurrence is written last and stays)."""
    return dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))


@dataclass(frozen=True, slots=True)
class Evidence:
    """The body's features that have a learned weight: their sum, each one, and their places."""

    clues: tuple[Clue, ...]
    """Every feature with a weight, strongest first."""
    tenths: int
    """What they add up to, in tenths of a point: positive towards spam."""
    words: list[tuple[str, int, int]] = field(repr=False, compare=False)
    """The body's tokens (see :func:`tokens`), to find where a clue is."""
    keys: tuple[list[str], list[tuple[str, str]]] = field(repr=False, compare=False)
    """The tokens' texts, and each two in a row."""
    first: tuple[dict[str, int], dict[tuple[str, str], int]] = field(repr=False, compare=False)
    """Where each token and each two in a row first occur."""

    @property
    def points(self) -> int:
        """The sum in whole points, rounded half away from zero."""
        return (abs(self.tenths) + 5) // 10

    @property
    def towards_spam(self) -> bool:
        return self.tenths > 0

    def leading(self) -> tuple[Clue, ...]:
        """The clues that pull the way the sum goes, strongest first."""
        sign = 1 if self.towards_spam else -1
        return tuple(clue for clue in self.clues if clue[1] * sign > 0)

    def _place(self, index: int, pair: bool) -> Place:
        return self.words[index][1], self.words[index + pair][2]

    @staticmethod
    def _key(feature: str) -> tuple[bool, Any]:
        """Whether a feature is two words, and how :attr:`keys` and :attr:`first` hold it."""
        first, _, second = feature.partition(" ")
        return (True, (first, second)) if second else (False, first)

    def first_place(self, feature: str) -> Place:
        """Where a clue's feature first occurs."""
        pair, key = self._key(feature)
        return self._place(self.first[pair][key], pair)

    def places(self, feature: str) -> tuple[Place, ...]:
        """Where a clue's feature occurs: its first :data:`MAX_CLUE_SPANS` places."""
        pair, key = self._key(feature)
        keys: list[Any] = self.keys[pair]
        index = self.first[pair][key]
        found = [self._place(index, pair)]
        while len(found) < MAX_CLUE_SPANS:
            try:
                index = keys.index(key, index + 1)
            except ValueError:
                break
            found.append(self._place(index, pair))
        return tuple(found)


def _strongest_first(clue: Clue) -> tuple[int, str]:
    return -abs(clue[1]), clue[0]


def evidence(
    draft: Draft, weights: Mapping[str, int], pairs: Mapping[tuple[str, str], int]
) -> Evidence:
    """The body's features that have a weight, and their sum: a long body's sum is divided by
    the square root of how many of its features have a weight (in whole tenths, rounded half
    away from zero), so that length alone does not decide. The features are the same as
    :func:`features` gives, each counted once; ``pairs`` holds the two-word features of
    ``weights`` by their two words. The sets are taken in C: a body's words are looked up once
    each, and a clue's places are found only when it is shown."""
    words = draft.memo("tokens", lambda: tokens(draft.body))
    names = [token for token, _, _ in words]
    twos = list(itertools.pairwise(names))
    clues = [(token, weight) for token in weights.keys() & set(names) if (weight := weights[token])]
    clues += [(" ".join(two), weight) for two in pairs.keys() & set(twos) if (weight := pairs[two])]
    clues.sort(key=_strongest_first)
    total = sum(weight for _, weight in clues)
    if len(clues) > 1:
        scaled = abs(total) / math.sqrt(len(clues))
        total = int(scaled + 0.5) * (1 if total > 0 else -1)
    return Evidence(
        tuple(clues), total, words, (names, twos), (_first_places(names), _first_places(twos))
    )


def scaled(weight: int, evidence: Evidence) -> float:
    """One clue's share of the sum, in points (its weight scaled like the sum)."""
    count = len(evidence.clues)
    return weight / 10 / (math.sqrt(count) if count > 1 else 1.0)


def hits(found: Evidence, clues: tuple[Clue, ...], limit: int) -> list[Hit]:
    """Hits for the clues' places, at most ``limit``, in clue order."""
    marked: list[Hit] = []
    seen: set[Place] = set()
    for feature, _ in clues:
        for start, end in found.places(feature):
            if (start, end) not in seen and len(marked) < limit:
                seen.add((start, end))
                marked.append(Hit("body", start, end))
        if len(marked) >= limit:
            break
    return marked
