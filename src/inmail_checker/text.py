"""A matching view of a draft that resists simple evasion, with a map back to the original.

Rules never match the text the user typed directly: they match a *folded* view in which
compatibility forms are unified (NFKD), white space and digits of every script become ASCII,
accents, zero-width characters and soft hyphens are
dropped, look-alike letters inside Latin words become Latin, letters spaced or dotted apart
("f r e e", "d.e.m.o") are joined, and digits standing in for letters inside words ("d3mo")
become letters. Every folded character remembers the original code point it came from, so a
match in the folded view maps back to the exact span the user typed.

Every character fact comes from the pinned Unicode tables of :mod:`.chars`, never from the
running Python, so the folded view is the same in every Python and in the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import chars

# Characters that carry no visible letter and are used to break up trigger words.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufeff\uffa0"
)

# Look-alike letters from other scripts, applied only inside words that also hold Latin
# letters, so that text written wholly in Cyrillic or Greek is left alone.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "һ": "h",
        "ɡ": "g",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        # Latin variants that NFKC keeps
        "ı": "i",
        "ȷ": "j",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ß": "ss",
    }
)

# Digits and signs that stand in for letters inside words ("d3mo", "fr33", "m0ney").
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})

# A word that mixes letters with stand-in digits: at least two letters and one stand-in.
# Each class in the look-aheads is disjoint from the next, so matching stays linear.
# (The second look-ahead puts a stand-in right after the word's first letters, if any; the
# first puts a letter after the word's first digits, if any.)
_LEET_WORD = chars.compile(r"\b(?=[0-9]*[a-z][0-9]*[a-z])(?=[a-z]*[013457])[a-z0-9]+\b")

# Typographic punctuation folded to its ASCII form so phrase lists need one spelling.
PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
}
_PUNCTUATION = str.maketrans(PUNCTUATION)

# Three or more single letters kept apart by one repeated separator: "f r e e", "d.e.m.o".
_SPLIT_LETTERS = chars.compile(
    r"(?<![\p{alnum}])([a-z])(?:([ .\-_*/|·•])[a-z])(?:\2[a-z])+(?![\p{alnum}])"
)

# Quick tests that a text has no match of the two patterns above. Both start with a character
# class, which the regex engine scans for in C, where the patterns above start with assertions
# tried at every position. Each holds the start of every match of its pattern:
# a lone letter, a separator, a letter, the same separator, a letter ...
_MAYBE_SPLIT_LETTERS = chars.compile(r"([ .\-_*/|·•])(?<=(?<![\p{alnum}])[a-z].)[a-z]\1[a-z]")
# ... and a stand-in digit after the word's first letters, or digits then a letter (below).
_MAYBE_LEET_WORD = chars.compile(r"[0-9](?:[a-z]|(?<=[a-z][013457]))")


@dataclass(frozen=True, slots=True)
class Folded:
    """The folded view of one field and the way back to the original text.

    ``starts[i]`` is the index (in code points) of the original character that produced
    folded character ``i``; ``None`` means the two texts line up one to one.
    """

    original: str
    text: str
    starts: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the folded text to a span of the original text.

        The span grows to cover characters that were dropped inside or right after it
        (accents, zero-width characters), so a highlight never splits a letter from its mark.
        """
        starts = self.starts
        if starts is None:
            return start, end
        if start >= end:
            origin = starts[start] if start < len(starts) else len(self.original)
            return origin, origin
        first = starts[start]
        last = starts[end - 1]
        if end < len(starts):
            following = starts[end]
            stop = following if following > last else last + 1
        else:
            stop = len(self.original)
        return first, stop


def fold(original: str) -> Folded:
    """Build the folded view of ``original``. Never raises on any string."""
    if original.isascii():
        lowered = original.lower()
        if not (
            (_MAYBE_SPLIT_LETTERS.search(lowered) and _SPLIT_LETTERS.search(lowered))
            or (_MAYBE_LEET_WORD.search(lowered) and _LEET_WORD.search(lowered))
        ):
            return Folded(original, lowered, None)
    pieces: list[str] = []
    starts: list[int] = []
    for run in _ASCII_RUN_OR_CHAR.finditer(original):
        index = run.start()
        piece = run.group()
        if piece.isascii():  # a run of ASCII: lower case, one character for one
            pieces.append(piece.lower())
            starts.extend(range(index, run.end()))
            continue
        if piece in _INVISIBLE:
            continue
        piece = chars.fold_char(piece)
        pieces.append(piece)
        starts.extend([index] * len(piece))
    text = "".join(pieces)
    text, starts = _unconfuse(text, starts)
    text, starts = _join_split_letters(text, starts)
    if _MAYBE_LEET_WORD.search(text):
        text = _LEET_WORD.sub(lambda m: m.group().translate(_LEET), text)
    return Folded(original, text, tuple(starts))


_ASCII_RUN_OR_CHAR = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]", re.ASCII)

# A letter run of the folded view: any script's letters (categories L*, from the table).
_LETTER_RUN = chars.compile(r"[\p{letter}]+")
_A_TO_Z = re.compile("[a-z]", re.ASCII)
# Every folded ASCII letter is a small one, so a letter run that holds both a Latin letter and
# a look-alike has a small Latin letter right next to a letter that is not ASCII.
_MIXED = re.compile(r"[a-z][^\x00-\x7f]|[^\x00-\x7f][a-z]", re.ASCII)


def _unconfuse(text: str, starts: list[int]) -> tuple[str, list[int]]:
    """Replace look-alike letters inside words (runs of letters) that also hold Latin letters.

    Linear: one scan for the runs, each read once. (The pattern this replaces,
    ``[^\\W\\d_]*[a-z][^\\W\\d_]*``, tried again from every letter of a run with no a-z: the
    square of its length.)"""
    if text.isascii() or not _MIXED.search(text):
        return text, starts
    pieces: list[str] = []
    new_starts: list[int] = []
    position = 0
    for match in _LETTER_RUN.finditer(text):
        word = match.group()
        if word.isascii() or not _A_TO_Z.search(word):
            continue
        begin, finish = match.span()
        pieces.append(text[position:begin])
        new_starts.extend(starts[position:begin])
        for offset, char in enumerate(word):
            replaced = char.translate(_CONFUSABLES)
            pieces.append(replaced)
            new_starts.extend([starts[begin + offset]] * len(replaced))
        position = finish
    if position == 0:
        return text, starts
    pieces.append(text[position:])
    new_starts.extend(starts[position:])
    return "".join(pieces), new_starts


def _join_split_letters(text: str, starts: list[int]) -> tuple[str, list[int]]:
    """Join letters spaced or dotted apart, dropping the separators from the folded view."""
    if not _MAYBE_SPLIT_LETTERS.search(text):
        return text, starts
    pieces: list[str] = []
    new_starts: list[int] = []
    position = 0
    for match in _SPLIT_LETTERS.finditer(text):
        begin, finish = match.span()
        if text[begin] in "ai" and finish - begin >= 7:
            begin += 2  # "a f r e e": the article stays a word of its own
        pieces.append(text[position:begin])
        new_starts.extend(starts[position:begin])
        for offset in range(begin, finish):
            if "a" <= text[offset] <= "z":
                pieces.append(text[offset])
                new_starts.append(starts[offset])
        position = finish
    if position == 0:
        return text, starts
    pieces.append(text[position:])
    new_starts.extend(starts[position:])
    return "".join(pieces), new_starts


_ASTRAL = re.compile("[\U00010000-\U0010ffff]", re.ASCII)


def utf16_offsets(text: str) -> list[int] | None:
    """UTF-16 offset of each code point boundary of ``text``, or None when they are equal.

    JavaScript strings count UTF-16 code units; Python counts code points. Characters outside
    the Basic Multilingual Plane (most emoji) take two units.
    """
    if not _ASTRAL.search(text):  # a scan in C: most drafts have no emoji
        return None
    # Between two astral characters the offsets run one for one, shifted by the number of
    # astral characters before them: a range each, built in C.
    offsets: list[int] = []
    start = shift = 0
    for match in _ASTRAL.finditer(text):
        index = match.start()
        offsets.extend(range(start + shift, index + 1 + shift))
        start, shift = index + 1, shift + 1
    offsets.extend(range(start + shift, len(text) + 1 + shift))
    return offsets
