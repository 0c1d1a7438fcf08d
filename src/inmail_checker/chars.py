"""Every Unicode fact the checker uses, from one pinned Unicode version (:data:`UNICODE`).

Python's own Unicode database is the one its release shipped with (14.0 in 3.11, 16.0 in
3.14, which the page runs in Pyodide), and ``\\w``, ``\\d``, ``\\s``, ``\\b``, ``str.lower()``,
``str.split()`` or ``unicodedata`` all read it. So that a draft gets the same report in every
Python, the checker reads none of them on text that is not ASCII: its facts come from
``data/unicode.json``, written by ``scripts/unicode_tables.py`` from one Unicode version, and

- the folded view (:mod:`.text`) folds each character with :func:`fold_char`;
- every pattern is compiled by :func:`compile` (the package's own) or :func:`compile_rule`
  (the rules'), with ``re.ASCII``: ``\\w``, ``\\d``, ``\\s``, ``\\b`` and the classes
  ``\\p{letter}``, ``\\p{word}``, ``\\p{upper}`` ... are spelled out as ranges of code points
  from the table, so no pattern asks Python which characters are letters;
- words are split, ends stripped and capitals told by :func:`split`, :func:`strip`,
  :func:`is_upper` and friends, from the same table;
- :func:`grapheme_start` and :func:`grapheme_end` move a span's ends to whole characters as
  a reader sees them (extended grapheme clusters, UAX #29), so a highlight never splits a
  letter from its accent or an emoji from its variation selector or skin tone.

The tests check that no pattern in the package is compiled without ``re.ASCII`` and that the
table is what the script writes.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

_DATA_FILE = "data/unicode.json"


def _load() -> dict[str, Any]:
    text = (resources.files(__package__) / _DATA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# Read when the module is imported, never later: the page's worker restores Python from a memory
# snapshot, which holds what was read but not the package's files.
_DATA = _load()


def _data() -> dict[str, Any]:
    return _DATA


UNICODE = "16.0.0"
"""The Unicode version of every character fact the checker uses."""

Ranges = tuple[tuple[int, int], ...]


@functools.cache
def ranges(name: str) -> Ranges:
    """The code point ranges (first, last) of a class: ``space``, ``letter``, ``word``,
    ``digit``, ``numeric``, ``upper``, ``lower``, ``cased``, ``control``, ``extpict``,
    ``gcb:NAME`` or ``incb:NAME``."""
    data = _data()
    if ":" in name:
        group, key = name.split(":", 1)
        rows = data[group][key]
    else:
        rows = data[name]
    return tuple((first, last) for first, last in rows)


class _Membership:
    """Fast membership in a class: ASCII by a table, the rest by bisection, both cached."""

    __slots__ = ("_firsts", "_lasts", "cache")

    def __init__(self, name: str) -> None:
        table = ranges(name)
        self._firsts = [first for first, _ in table]
        self._lasts = [last for _, last in table]
        self.cache: dict[str, bool] = {}

    def __call__(self, char: str) -> bool:
        known = self.cache.get(char)
        if known is None:
            code = ord(char)
            index = bisect.bisect_right(self._firsts, code) - 1
            known = self.cache[char] = index >= 0 and code <= self._lasts[index]
        return known


@functools.cache
def member(name: str) -> Callable[[str], bool]:
    """A test of one character's membership in the class ``name`` (see :func:`ranges`)."""
    return _Membership(name)


# --- Folding -------------------------------------------------------------------------------

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


@functools.cache
def _fold_rows() -> tuple[list[int], list[int], list[str | int]]:
    rows = _data()["fold"]
    return [row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]


def _hangul(code: int) -> str:
    """A Hangul syllable's decomposition into its jamo (Unicode's arithmetic, section 3.12)."""
    index = code - _HANGUL_FIRST
    lead, rest = divmod(index, 588)
    vowel, trail = divmod(rest, 28)
    jamo = chr(0x1100 + lead) + chr(0x1161 + vowel)
    return jamo + chr(0x11A7 + trail) if trail else jamo


_FOLDED: dict[str, str] = {}


def fold_char(char: str) -> str:
    """What the folded view makes of one non-ASCII character: nothing (marks, format
    characters), a space or a line break (white space), an ASCII digit (decimal digits), ASCII
    quotes and dashes, or its compatibility decomposition without combining marks, in lower
    case. A lone surrogate becomes U+FFFD, so that offsets stay aligned."""
    folded = _FOLDED.get(char)
    if folded is not None:
        return folded
    code = ord(char)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        folded = _hangul(code)
    else:
        firsts, lasts, values = _fold_rows()
        index = bisect.bisect_right(firsts, code) - 1
        if index >= 0 and code <= lasts[index]:
            value = values[index]
            folded = chr(code + value) if isinstance(value, int) else value
        else:
            folded = char
    if len(_FOLDED) < 65536:
        _FOLDED[char] = folded
    return folded


# --- Patterns ------------------------------------------------------------------------------


def _escape(code: int) -> str:
    char = chr(code)
    if char.isascii() and (char.isalnum() or char == " "):
        return char
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else (f"\\U{code:08x}")
    )


@functools.cache
def class_body(name: str, ascii_only: bool = False) -> str:
    """The ranges of a class as the inside of a regex character class (no brackets)."""
    parts = []
    for first, last in ranges(name):
        if ascii_only:
            if first > 0x7F:
                break
            last = min(last, 0x7F)
        parts.append(_escape(first) if first == last else f"{_escape(first)}-{_escape(last)}")
    # A class with no ASCII member: for a text that is all ASCII, one that never matches.
    return "".join(parts) or r"\x80"


_CLASSES = {"w": "word", "d": "digit", "s": "space"}
_ESCAPE = re.compile(r"\\(?:p\{([a-z:_A-Z]+)\}|([wWdDsSbB])|.)", re.ASCII | re.DOTALL)


def translate(pattern: str, ascii_only: bool = False, folded: bool = False) -> str:
    """``pattern`` with every class that Python would look up in its own Unicode database
    spelled out from the table: ``\\w``, ``\\d``, ``\\s`` and their negations, ``\\b`` and
    ``\\B``, and the package's own ``\\p{name}`` (a class of :func:`ranges`, inside ``[...]``).
    With ``ascii_only``, the classes keep their ASCII members only: the same pattern for a text
    that is all ASCII. With ``folded``, ``\\d`` and ``\\s`` keep their ASCII members only: the
    folded view has no other digit or space (see :func:`fold_char`).

    ``\\W``, ``\\D`` and ``\\S`` cannot stand inside a class (``[\\W_]``): a ValueError."""
    out: list[str] = []
    position = 0
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            match = _ESCAPE.match(pattern, index)
            assert match is not None
            name, letter = match.group(1), match.group(2)
            if name is not None:
                out.append(pattern[position:index] + class_body(name, ascii_only))
                position = match.end()
            elif letter is not None:
                only = ascii_only or (folded and letter in "dDsS")
                out.append(pattern[position:index] + _spelled(letter, in_class, only))
                position = match.end()
            index = match.end()
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            # "[]" and "[^]" at the start hold a literal "]".
            index += 1
            if index < len(pattern) and pattern[index] == "^":
                index += 1
            if index < len(pattern) and pattern[index] == "]":
                index += 1
            continue
        index += 1
    out.append(pattern[position:])
    return "".join(out)


def _spelled(letter: str, in_class: bool, ascii_only: bool) -> str:
    if letter in "bB":
        if in_class:
            return r"\x08" if letter == "b" else "B"
        word = class_body("word", ascii_only)
        if letter == "b":
            return f"(?:(?<![{word}])(?=[{word}])|(?<=[{word}])(?![{word}]))"
        return f"(?:(?<![{word}])(?![{word}])|(?<=[{word}])(?=[{word}]))"
    body = class_body(_CLASSES[letter.lower()], ascii_only)
    if letter.islower():
        return body if in_class else f"[{body}]"
    if in_class:
        raise ValueError(f"\\{letter} inside a character class cannot be spelled out")
    return f"[^{body}]"


class Pattern:
    """A pattern of the package, compiled from the table (see :func:`translate`) with
    ``re.ASCII``: twice, when first needed, once for texts that are all ASCII (small classes:
    fast to compile and to run) and once for the others."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags | re.ASCII
        self._compiled: list[re.Pattern[str] | None] = [None, None]

    def variant(self, text: str) -> re.Pattern[str]:
        """The compiled pattern that reads ``text`` (all ASCII or not)."""
        index = 0 if text.isascii() else 1
        compiled = self._compiled[index]
        if compiled is None:
            compiled = re.compile(translate(self.pattern, index == 0), self.flags)
            self._compiled[index] = compiled
        return compiled

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.variant(text).search(text, pos)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.variant(text).match(text, pos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.variant(text).fullmatch(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.variant(text).finditer(text)

    def findall(self, text: str) -> list[Any]:
        return self.variant(text).findall(text)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.variant(text).sub(replacement, text)


def compile(pattern: str, flags: int = 0) -> Pattern:
    """A pattern of the package (see :class:`Pattern`)."""
    return Pattern(pattern, flags)


def compile_rule(pattern: str) -> re.Pattern[str]:
    """A rule's pattern (or a phrase list's regex) as the rules run it: on the folded text,
    where all white space and digits are ASCII (see :func:`fold_char`), with ``\\w``, ``\\b``,
    ``\\d`` and ``\\s`` read from the table and ``re.ASCII``."""
    return re.compile(translate(pattern, folded=True), re.ASCII)


# --- Words, spaces, capitals ---------------------------------------------------------------

_NOT_SPACE = compile(r"[^\p{space}]+")
# A run of spaces is tried from its first character only (the look-behind): from each of its
# characters, a run that does not end the text would be read again, the square of its length.
_SPACE_EDGES = compile(r"^[\p{space}]+|(?<![\p{space}])[\p{space}]+$")


def split(text: str) -> list[str]:
    """``text.split()``, with white space as the table says."""
    if text.isascii():
        return text.split()
    return _NOT_SPACE.findall(text)


def strip(text: str) -> str:
    """``text.strip()``, with white space as the table says."""
    if text.isascii():
        return text.strip()
    return _SPACE_EDGES.sub("", text)


def lstrip_length(text: str) -> int:
    """How many characters of white space ``text`` starts with."""
    if text.isascii():
        return len(text) - len(text.lstrip())
    match = _LEADING.match(text)
    return match.end() if match else 0


def rstrip(text: str) -> str:
    """``text.rstrip()``, with white space as the table says."""
    if text.isascii():
        return text.rstrip()
    match = _TRAILING.search(text)
    return text[: match.start()] if match else text


_LEADING = compile(r"[\p{space}]+")
_TRAILING = compile(r"(?<![\p{space}])[\p{space}]+$")


def is_space(char: str) -> bool:
    return member("space")(char)


def is_upper(char: str) -> bool:
    """Whether one character is a capital (the Uppercase property)."""
    if char.isascii():
        return "A" <= char <= "Z"
    return member("upper")(char)


def is_upper_word(text: str) -> bool:
    """``text.isupper()``: it has a cased character, and every cased character is a capital."""
    if text.isascii():
        return text.isupper()
    cased = member("cased")
    upper = member("upper")
    found = False
    for char in text:
        if cased(char):
            if not upper(char):
                return False
            found = True
    return found


def is_control(char: str) -> bool:
    """A control character or a lone surrogate (categories Cc and Cs)."""
    return member("control")(char)


# --- Grapheme clusters (UAX #29) -----------------------------------------------------------

GCB_NAMES = (
    "CR",
    "LF",
    "Control",
    "Extend",
    "ZWJ",
    "Regional_Indicator",
    "Prepend",
    "SpacingMark",
    "L",
    "V",
    "T",
    "LV",
    "LVT",
)


@functools.cache
def _gcb_table() -> tuple[list[int], list[int], list[str]]:
    rows = sorted(
        (first, last, name) for name in GCB_NAMES for first, last in ranges(f"gcb:{name}")
    )
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


_GCB_CACHE: dict[str, str] = {}


def _gcb(char: str) -> str:
    known = _GCB_CACHE.get(char)
    if known is None:
        firsts, lasts, names = _gcb_table()
        code = ord(char)
        index = bisect.bisect_right(firsts, code) - 1
        known = names[index] if index >= 0 and code <= lasts[index] else "Other"
        if len(_GCB_CACHE) < 65536:
            _GCB_CACHE[char] = known
    return known


_HANGUL_AFTER = {
    "L": {"L", "V", "LV", "LVT"},
    "LV": {"V", "T"},
    "V": {"V", "T"},
    "LVT": {"T"},
    "T": {"T"},
}


def is_boundary(text: str, index: int) -> bool:
    """Whether a grapheme cluster (UAX #29, extended) may start at ``index`` of ``text``."""
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if before.isascii() and after.isascii():
        return not (before == "\r" and after == "\n")
    left, right = _gcb(before), _gcb(after)
    if left in ("CR", "LF", "Control") or right in ("CR", "LF", "Control"):  # GB4, GB5
        return not (left == "CR" and right == "LF")
    if right in _HANGUL_AFTER.get(left, ()):  # GB6-GB8
        return False
    if right in ("Extend", "ZWJ", "SpacingMark") or left == "Prepend":  # GB9-GB9b
        return False
    if right == "Regional_Indicator" and left == "Regional_Indicator":  # GB12, GB13
        run = 0
        position = index - 1
        while position >= 0 and _gcb(text[position]) == "Regional_Indicator":
            run += 1
            position -= 1
        return run % 2 == 0
    if left == "ZWJ" and member("extpict")(after):  # GB11
        position = index - 2
        while position >= 0 and _gcb(text[position]) == "Extend":
            position -= 1
        return not (position >= 0 and member("extpict")(text[position]))
    if member("incb:Consonant")(after):  # GB9c
        position = index - 1
        linked = False
        while position >= 0:
            char = text[position]
            if member("incb:Linker")(char):
                linked = True
            elif not (member("incb:Extend")(char)):
                break
            position -= 1
        return not (linked and position >= 0 and member("incb:Consonant")(text[position]))
    return True


def grapheme_start(text: str, index: int) -> int:
    """The start of the grapheme cluster that holds ``index`` (``index`` itself when a
    cluster starts there)."""
    while index > 0 and not is_boundary(text, index):
        index -= 1
    return index


def grapheme_end(text: str, index: int) -> int:
    """The first cluster boundary at or after ``index``."""
    while index < len(text) and not is_boundary(text, index):
        index += 1
    return index
