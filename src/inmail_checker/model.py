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
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .draft import Draft, Hit
from .text import Folded

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+(?:[.,][0-9]+)*|[$€£%!?@]")
_DIGITS = re.compile(r"[0-9]")
MAX_CLUE_SPANS = 3
"""Places highlighted for one clue (its first occurrences)."""


NAME = "<name>"
_SENTENCE_END = frozenset(".!?\n\r:;\"'“”‘’()[]*-•–—")


def _is_name(folded: Folded, start: int, end: int) -> bool:
    """Whether a word was typed with a capital (and not all in capitals) inside a sentence."""
    first, last = folded.span(start, end)
    word = folded.original[first:last]
    if len(word) < 2 or not word[0].isupper() or word.isupper():
        return False
    before = folded.original[:first].rstrip(" \t")
    return bool(before) and before[-1] not in _SENTENCE_END


def tokens(folded: Folded) -> list[tuple[str, int, int]]:
    """The words and marks of a folded text, each with its span in the folded text."""
    found = []
    for m in _TOKEN.finditer(folded.text):
        token = _DIGITS.sub("0", m.group())
        if token[0].isalpha() and _is_name(folded, m.start(), m.end()):
            token = NAME
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


@dataclass(frozen=True, slots=True)
class Evidence:
    """The clues of one direction: the features present and their weights (tenths)."""

    clues: tuple[tuple[str, int, tuple[tuple[int, int], ...]], ...]
    """(feature, weight in tenths, its first spans), strongest first."""

    @property
    def tenths(self) -> int:
        return sum(abs(weight) for _, weight, _ in self.clues)

    @property
    def points(self) -> int:
        """The points of all its clues together, rounded half up."""
        return (self.tenths + 5) // 10


def evidence(draft: Draft, weights: Mapping[str, int]) -> tuple[Evidence, Evidence]:
    """(towards spam, towards genuine): the body's features that have a weight."""
    spam: list[tuple[str, int, tuple[tuple[int, int], ...]]] = []
    genuine: list[tuple[str, int, tuple[tuple[int, int], ...]]] = []
    for feature, spans in draft.memo("features", lambda: features(draft.body)).items():
        weight = weights.get(feature)
        if weight:
            entry = (feature, weight, tuple(spans[:MAX_CLUE_SPANS]))
            (spam if weight > 0 else genuine).append(entry)
    order = lambda entry: (-abs(entry[1]), entry[0])  # noqa: E731
    return Evidence(tuple(sorted(spam, key=order))), Evidence(tuple(sorted(genuine, key=order)))


def hits(evidence: Evidence, limit: int) -> list[Hit]:
    """Hits for the strongest clues' places, at most ``limit``, in clue order."""
    found: list[Hit] = []
    seen: set[tuple[int, int]] = set()
    for _, _, spans in evidence.clues:
        for start, end in spans:
            if (start, end) not in seen and len(found) < limit:
                seen.add((start, end))
                found.append(Hit("body", start, end))
    return found
