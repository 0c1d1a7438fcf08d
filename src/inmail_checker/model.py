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
from dataclasses import dataclass

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


Clue = tuple[str, int, tuple[tuple[int, int], ...]]
"""(feature, weight in tenths, the spans of its first places)."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """The body's features that have a learned weight: their sum, and each one."""

    clues: tuple[Clue, ...]
    """Every feature with a weight, strongest first."""
    tenths: int
    """What they add up to, in tenths of a point: positive towards spam."""

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


def evidence(
    draft: Draft, weights: Mapping[str, int], pairs: Mapping[tuple[str, str], int]
) -> Evidence:
    """The body's features that have a weight, and their sum: a long body's sum is divided by
    the square root of how many of its features have a weight (in whole tenths, rounded half
    away from zero), so that length alone does not decide. Only the features that have a
    weight are gathered, in one pass over the words (the same as :func:`features` gives);
    ``pairs`` holds the two-word features of ``weights`` by their two words."""
    found: dict[str, list[tuple[int, int]]] = {}
    words = draft.memo("tokens", lambda: tokens(draft.body))
    for token, start, end in words:
        if token in weights:
            found.setdefault(token, []).append((start, end))
    names = [token for token, _, _ in words]
    for index, pair in enumerate(itertools.pairwise(names)):
        if pair in pairs:
            found.setdefault(" ".join(pair), []).append((words[index][1], words[index + 1][2]))
    clues: list[Clue] = [
        (feature, weight, tuple(spans[:MAX_CLUE_SPANS]))
        for feature, spans in found.items()
        if (weight := weights[feature])
    ]
    clues.sort(key=lambda clue: (-abs(clue[1]), clue[0]))
    total = sum(weight for _, weight, _ in clues)
    if len(clues) > 1:
        scaled = abs(total) / math.sqrt(len(clues))
        total = int(scaled + 0.5) * (1 if total > 0 else -1)
    return Evidence(tuple(clues), total)


def scaled(weight: int, evidence: Evidence) -> float:
    """One clue's share of the sum, in points (its weight scaled like the sum)."""
    count = len(evidence.clues)
    return weight / 10 / (math.sqrt(count) if count > 1 else 1.0)


def hits(clues: tuple[Clue, ...], limit: int) -> list[Hit]:
    """Hits for the clues' places, at most ``limit``, in clue order."""
    found: list[Hit] = []
    seen: set[tuple[int, int]] = set()
    for _, _, spans in clues:
        for start, end in spans:
            if (start, end) not in seen and len(found) < limit:
                seen.add((start, end))
                found.append(Hit("body", start, end))
    return found
