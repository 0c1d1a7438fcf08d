"""Required literals: the words one of which every match of a regex must contain.

They make gates, a cheap test, proved safe by reading the pattern, that a regex cannot match a
text.

Every match of ``(?<![a-z])(?:pay|send)[^.!?\\n]{0,30}(?<![a-z])registration fee(?![a-z])``
contains the whole words "registration" and "fee". :func:`read` reads a pattern's syntax tree
and finds such a set of *keys*, one of which every match contains: whole words of the text
(maximal runs of the letters a-z, :data:`WORD`) or rare punctuation (:data:`GATE_CHARS`). The
engine finds the keys of a text once (:func:`text_keys`) and skips every pattern none of whose
keys is there. A skipped pattern is one that cannot match, so gates make checking faster and
never change a result.

The analysis is conservative: a flag, a back-reference or a node it does not know means no
gate, and the pattern always runs. It reads the tree that ``re._parser``, CPython's own regex
parser (also in Pyodide), builds; should that module be missing or change shape, every gate is
off and nothing else changes.

How a pattern is read: as a set of *spellings*, each the shape of some of its matches. A
spelling is ``(letters,)``, a run of letters a-z, or ``(left, mark, key, mark, right)``: a run
of letters open to the left, a marker, some text holding the key ``key``, a marker and a run
open to the right. A marker is ``SEP`` (a character that is not a-z, or an assertion that the
neighbour is not one: either ends a word) or ``ANY`` (unknown text: nothing, letters,
anything). A key is a set of words one of which the text holds, kept with its cost (how likely
a draft is to hold one of them); joining two spellings keeps the cheaper key, and spellings of
the same shape share the union of their keys, which keeps the sets small.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

WORD = re.compile(r"[a-z]+", re.ASCII)
"""A word of the text as the gates see it: a maximal run of the letters a-z."""

GATE_CHARS = "#$%*+<>@[]{|}"
"""Punctuation rare enough in prose to gate a pattern on (`$` in "$first_name", say)."""

_SEP = "\x00"
_ANY = "\x01"
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_LIMIT = 256
"""The most spellings followed at once; beyond, all but the open ends are forgotten."""
_BRANCH_LIMIT = 2048
"""The most spellings of one alternation (a long list of words, say)."""
_SMALL_CLASS = 4
"""A character class of at most this many letters is spelled out; a larger one is unknown."""

_FREQUENCY_FILE = "data/word_frequency.json"
"""How likely a draft is to hold a word: the share of the labelled corpora's drafts that hold
it, for the words common enough to make poor keys, and the average share of the others.
Written by ``scripts/word_frequency.py``; it only steers which keys a gate picks, never whether
a gate is sound."""


def _load_frequency() -> tuple[dict[str, float], float, float]:
    from importlib import resources

    data = json.loads((resources.files(__package__) / _FREQUENCY_FILE).read_text("utf-8"))
    return data["common"], data["other"], data["other_short"]


_FREQUENCY, _RARE, _RARE_SHORT = _load_frequency()

Key = tuple[float, tuple[str, ...]]
"""(cost, words): the text holds one of the words. The cost is -log(chance it holds none)."""
Spelling = tuple[Any, ...]

_NO_KEY: Key = (math.inf, ())


@functools.lru_cache(maxsize=4096)
def _chance(key: str) -> float:
    """Roughly how likely a draft is to hold ``key``."""
    if key in _FREQUENCY:
        return _FREQUENCY[key]
    if len(key) == 1 and key in GATE_CHARS:
        return 0.03
    return _RARE_SHORT if len(key) <= 4 else _RARE


def _key(words: Iterable[str]) -> Key:
    words = tuple(sorted(set(words)))
    return -sum(math.log1p(-_chance(word)) for word in words), words


@functools.lru_cache(maxsize=4096)
def _word_key(word: str) -> Key:
    return _key((word,))


def _join(left: Spelling, right: Spelling) -> Spelling:
    """The spelling of a match of ``left`` followed by one of ``right``."""
    if len(left) == 1:
        if len(right) == 1:
            return (left[0] + right[0],)
        return (left[0] + right[0], *right[1:])
    if len(right) == 1:
        return (*left[:4], left[4] + right[0])
    key = min(left[2], right[2])
    run = left[4] + right[0]
    if run and left[3] == _SEP and right[1] == _SEP:  # a whole word where the two meet
        key = min(key, _word_key(run))
    return (left[0], left[1], key, right[3], right[4])


def _merge(spellings: Iterable[Spelling]) -> set[Spelling]:
    """The same set with spellings of one shape made one, holding the union of their keys."""
    shapes: dict[Spelling, list[Key]] = {}
    result: set[Spelling] = set()
    for spelling in spellings:
        if len(spelling) == 1:
            result.add(spelling)
        else:
            shapes.setdefault((*spelling[:2], *spelling[3:]), []).append(spelling[2])
    for (left, mark, end, right), keys in shapes.items():
        if len(keys) == 1:
            key = keys[0]
        elif _NO_KEY in keys:
            key = _NO_KEY
        else:
            key = _key(word for _, words in keys for word in words)
        result.add((left, mark, key, end, right))
    return result


def _product(lefts: Iterable[Spelling], rights: Iterable[Spelling]) -> set[Spelling]:
    rights = tuple(rights)
    return _merge(_join(left, right) for left in lefts for right in rights)


def _tail(spelling: Spelling) -> Spelling:
    """A spelling with its open left run forgotten (its key is kept)."""
    if len(spelling) == 1:
        return ("", _ANY, _NO_KEY, _ANY, spelling[0])
    return ("", _ANY, *spelling[2:])


_EMPTY: Spelling = ("",)
_SEPARATOR: Spelling = ("", _SEP, _NO_KEY, _SEP, "")
_UNKNOWN: Spelling = ("", _ANY, _NO_KEY, _ANY, "")


def _char(char: str) -> Spelling:
    if char in _LETTERS:
        return (char,)
    if char in GATE_CHARS:
        return ("", _SEP, _word_key(char), _SEP, "")
    return _SEPARATOR


def _spell(text: str) -> Spelling:
    """The spelling of a literal text."""
    spelling: Spelling = _EMPTY
    for run in _RUNS.findall(text):
        spelling = _join(spelling, (run,) if run[0] in _LETTERS else _char(run))
    return spelling


_RUNS = re.compile(r"[a-z]+|[^a-z]", re.ASCII)


def _letters_between(low: int, high: int) -> set[str]:
    """The letters a-z among the code points ``low`` to ``high``."""
    return {chr(code) for code in range(max(low, 97), min(high, 122) + 1)}


class _Unsupported(Exception):
    """A construct the analysis does not model: the pattern gets no gate."""


class _Reader:
    """Reads a ``re._parser`` tree as a set of spellings."""

    def __init__(self, constants: Any) -> None:
        self.c = constants

    def sequence(self, items: Iterable[tuple[Any, Any]]) -> set[Spelling]:
        return _chain(self.parts(items))

    def parts(self, items: Iterable[tuple[Any, Any]]) -> Iterator[set[Spelling]]:
        """The spellings of each item; a run of literal characters is spelled at once."""
        literal = self.c.LITERAL
        run: list[str] = []
        for op, value in items:
            if op is literal:
                run.append(chr(value))
                continue
            if run:
                yield {_spell("".join(run))}
                run = []
            yield self.node(op, value)
        if run:
            yield {_spell("".join(run))}

    def node(self, op: Any, value: Any) -> set[Spelling]:
        c = self.c
        if op is c.LITERAL:
            return {_char(chr(value))}
        if op is c.NOT_LITERAL or op is c.ANY:
            return {_UNKNOWN}
        if op is c.IN:
            return self.char_class(value)
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = value
            if add_flags or del_flags:
                raise _Unsupported("inline flags")
            return self.sequence(sub.data)
        if op is c.ATOMIC_GROUP:
            return self.sequence(value.data)
        if op is c.BRANCH:
            spellings = _merge(s for branch in value[1] for s in self.sequence(branch.data))
            return spellings if len(spellings) <= _BRANCH_LIMIT else {_UNKNOWN}
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            return self.repeat(*value)
        if op is c.AT:
            # The start or the end of the text ends a word; other anchors tell nothing.
            edges = (c.AT_BEGINNING, c.AT_BEGINNING_STRING, c.AT_END, c.AT_END_STRING)
            return {_SEPARATOR} if value in edges else {_EMPTY}
        if op is c.ASSERT_NOT:
            _direction, sub = value
            # (?<![a-z]) and (?![a-z]): the neighbour is not a letter, so a word ends here.
            items = sub.data
            if len(items) == 1 and items[0][0] is c.IN and self.holds_letters(items[0][1]):
                return {_SEPARATOR}
            return {_EMPTY}
        if op is c.ASSERT:
            direction, sub = value
            # (?<=[.!?\n]) or (?=\s*[,.]): the neighbour is not a letter either.
            inner = self.sequence(sub.data)
            if direction < 0:
                ends = all(len(s) == 5 and s[3] == _SEP and not s[4] for s in inner)
            else:
                ends = all(len(s) == 5 and not s[0] and s[1] == _SEP for s in inner)
            return {_SEPARATOR} if ends else {_EMPTY}
        raise _Unsupported(op)

    def char_class(self, items: list[tuple[Any, Any]]) -> set[Spelling]:
        """One character: a few letters (and maybe a separator), a separator, or unknown."""
        c = self.c
        negate = False
        letters: set[str] = set()
        others: set[str] = set()
        separators = (
            c.CATEGORY_DIGIT,
            c.CATEGORY_SPACE,
            c.CATEGORY_NOT_WORD,
            c.CATEGORY_UNI_DIGIT,
            c.CATEGORY_UNI_SPACE,
            c.CATEGORY_UNI_NOT_WORD,
        )
        for op, value in items:
            if op is c.NEGATE:
                negate = True
            elif op is c.LITERAL:
                (letters if chr(value) in _LETTERS else others).add(chr(value))
            elif op is c.RANGE:
                letters.update(_letters_between(*value))
                if value[0] < 97 or value[1] > 122:
                    others.add(_SEP)
            elif op is c.CATEGORY and value in separators:
                others.add(_SEP)
            elif op is c.CATEGORY:  # \w, \S, \D: any letter, and more
                letters.update(_LETTERS)
                others.add(_SEP)
            else:
                raise _Unsupported(op)
        if negate:
            return {_SEPARATOR} if letters == _LETTERS else {_UNKNOWN}
        if len(letters) > _SMALL_CLASS:
            return {_UNKNOWN}
        if len(others) == 1 and not letters:  # one character: a key if it is a rare one
            return {_char(others.pop())}
        return {(letter,) for letter in letters} | ({_SEPARATOR} if others else set())

    def holds_letters(self, items: list[tuple[Any, Any]]) -> bool:
        """True for a class, not negated, that every letter a-z belongs to."""
        c = self.c
        covered: set[str] = set()
        for op, value in items:
            if op is c.NEGATE:
                return False
            if op is c.RANGE:
                covered.update(_letters_between(*value))
            elif op is c.LITERAL:
                covered.add(chr(value))
        return covered >= _LETTERS

    def repeat(self, low: int, high: int, sub: Any) -> set[Spelling]:
        body = self.sequence(sub.data)
        if body <= {_EMPTY, _SEPARATOR}:  # only separators: any number of them is one
            return {_SEPARATOR} if low >= 1 and _EMPTY not in body else {_EMPTY, _SEPARATOR}
        spellings = {_EMPTY} if low == 0 else set()
        if high <= 4 and len(body) ** high <= _LIMIT:  # a few repeats: spell them all
            current = {_EMPTY}
            for count in range(1, high + 1):
                current = _product(current, body)
                if count >= low:
                    spellings |= current
            return _merge(spellings)
        # Many repeats: the first and the last, and anything in between.
        if len(body) ** 2 <= _LIMIT:
            return _merge(spellings | body | _product(_product(body, {_UNKNOWN}), body))
        return _merge(spellings | _product(body, {_UNKNOWN}))


def _chain(parts: Iterable[AbstractSet[Spelling]]) -> set[Spelling]:
    """The spellings of one part after another."""
    spellings: set[Spelling] = {_EMPTY}
    for part in parts:
        if len(part) == 1 and len(spellings) == 1:  # the common case: one literal more
            spellings = {_join(*spellings, *part)}
            continue
        if len(spellings) > 1 and len(spellings) * len(part) > _LIMIT:
            spellings = _merge(_tail(spelling) for spelling in spellings)
            if len(spellings) > 1 and len(spellings) * len(part) > _LIMIT:
                spellings = {_UNKNOWN}
        spellings = _product(spellings, part)
    return spellings


@dataclass(frozen=True, slots=True)
class Reading:
    """What :func:`read` learnt about a regular expression."""

    keys: frozenset[str] | None
    """Keys (whole words, or characters of :data:`GATE_CHARS`) one of which every match
    contains; None when the analysis cannot promise any."""
    min_length: int
    """The fewest characters a match can have (0 when the pattern could not be read)."""
    groups: int
    """How many capturing groups it has."""
    checked: bool
    """True when the parser read every piece: the regex compiles (see :func:`read`) and the
    figures above are exact. False when the parser could not be used."""


READINGS_FILE = "readings.json"
"""Readings worked out ahead of time. ``inmail_guide.webbuild`` writes this file into the
browser's wheel only, so that Pyodide starts without parsing every pattern again; elsewhere it
is absent and every pattern is read when the rules load. Other modules keep sections of their
own in it (:func:`remember`)."""


@functools.cache
def analysis_version() -> str:
    """A fingerprint of this module and its word frequencies: saved readings are used only by
    the analysis that made them."""
    from importlib import resources

    digest = hashlib.sha256()
    with open(__file__, "rb") as handle:
        digest.update(handle.read())
    digest.update((resources.files(__package__) / _FREQUENCY_FILE).read_bytes())
    return digest.hexdigest()[:16]


def _saved_file() -> tuple[dict[str, Reading], dict[str, Any]]:
    """The saved readings, and the file's other sections (see :func:`readings_json`)."""
    from importlib import resources

    try:
        text = (resources.files(__package__) / READINGS_FILE).read_text(encoding="utf-8")
        data = json.loads(text)
        if data.get("analysis") != analysis_version():
            return {}, {}
        readings = {
            key: Reading(None if keys is None else frozenset(keys), length, groups, checked)
            for key, (keys, length, groups, checked) in data["readings"].items()
        }
        sections = {k: v for k, v in data.items() if k != "readings" and isinstance(v, dict)}
        return readings, sections
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, {}


_SAVED, _SAVED_SECTIONS = _saved_file()
_MADE: dict[str, Reading] = {}
_MADE_SECTIONS: dict[str, dict[str, Callable[[], Any]]] = {}


def saved_section(name: str) -> dict[str, Any]:
    """What other modules saved in the file under ``name`` (see :func:`remember`): empty when
    the file is absent or was made by another analysis."""
    section: dict[str, Any] = _SAVED_SECTIONS.get(name, {})
    return section


def remember(name: str, key: str, value: Callable[[], Any]) -> None:
    """Keep what ``value()`` gives under ``key`` in the file's section ``name``, for the next
    :func:`readings_json`: work another module does once at build time rather than at every
    start in the browser. The key must name everything the value depends on. ``value`` is
    called only when the file is written (never by a check), and a value JSON does not give
    back as it was is left out."""
    _MADE_SECTIONS.setdefault(name, {})[key] = value


def readings_json() -> str:
    """Every reading made in this process, as the file :data:`READINGS_FILE` holds them, with
    the sections other modules remembered."""
    readings = {
        key: [None if r.keys is None else sorted(r.keys), r.min_length, r.groups, r.checked]
        for key, r in sorted({**_SAVED, **_MADE}.items())
    }
    sections: dict[str, dict[str, Any]] = {}
    for name in sorted({*_SAVED_SECTIONS, *_MADE_SECTIONS}):
        section = dict(_SAVED_SECTIONS.get(name, {}))
        for key, value in _MADE_SECTIONS.get(name, {}).items():
            made = value()
            if json.loads(json.dumps(made)) == made:
                section[key] = made
        sections[name] = dict(sorted(section.items()))
    data = {"analysis": analysis_version(), "readings": readings, **sections}
    return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"


def read(*pieces: str) -> Reading:
    """Read the regular expression ``"".join(pieces)``, or take its saved reading. Each piece
    must be a regular expression of its own (a phrase's units, say); pieces are read once and
    remembered.

    Raises ``re.error`` where ``re.compile`` would: a syntax error, or a look-behind without a
    fixed width (the one error ``re.compile`` finds after parsing).
    """
    key = _SEP.join(pieces)
    reading = _SAVED.get(key)
    if reading is None:
        reading = _MADE[key] = _read_pieces(pieces)
    return reading


def _read_pieces(pieces: tuple[str, ...]) -> Reading:
    parts = []
    min_length = groups = 0
    checked = True
    for piece in pieces:
        spellings, piece_length, piece_groups, piece_checked = _read(piece)
        parts.append(spellings)
        min_length += piece_length
        groups += piece_groups
        checked = checked and piece_checked
    known = [part for part in parts if part is not None]
    if len(known) < len(parts):
        return Reading(None, min_length, groups, checked)
    whole = _chain([frozenset({_UNKNOWN}), *known, frozenset({_UNKNOWN})])
    keys = {spelling[2] for spelling in whole}  # each a 5-tuple: unknown text on both sides
    if _NO_KEY in keys:
        return Reading(None, min_length, groups, checked)
    words = frozenset(word for _, words in keys for word in words)
    return Reading(words, min_length, groups, checked)


@functools.lru_cache(maxsize=512)
def _read(piece: str) -> tuple[frozenset[Spelling] | None, int, int, bool]:
    """A piece's spellings (None if they cannot be read), the least length of its matches,
    its number of groups, and whether the parser could tell all that."""
    try:
        from re import _compiler as compiler  # type: ignore[attr-defined]
        from re import _constants as constants  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:
        return None, 0, 0, False
    try:
        tree = parser.parse(piece)
        _check_look_behinds(tree.data, constants, compiler.MAXCODE)
        min_length, groups = int(tree.getwidth()[0]), int(tree.state.groups) - 1
    except re.error:
        raise
    except Exception:  # a parser of another shape: tell nothing
        return None, 0, 0, False
    try:
        if tree.state.flags & ~constants.SRE_FLAG_UNICODE:
            raise _Unsupported("flags")
        spellings = frozenset(_Reader(constants).sequence(tree.data))
    except Exception:  # _Unsupported, or a tree of an unknown shape: no gate
        spellings = None
    return spellings, min_length, groups, True


def _check_look_behinds(items: Iterable[tuple[Any, Any]], constants: Any, most: int) -> None:
    """Raise what ``re.compile`` raises for a look-behind that has no fixed width."""
    for op, value in items:
        if op in (constants.ASSERT, constants.ASSERT_NOT) and value[0] < 0:
            low, high = value[1].getwidth()
            if low > most:
                raise re.error("looks too much behind")
            if low != high:
                raise re.error("look-behind requires fixed-width pattern")
        for sub in _subpatterns(value):
            _check_look_behinds(sub.data, constants, most)


def _subpatterns(value: Any) -> Iterator[Any]:
    """The sub-patterns in a node's value, however deep in tuples and lists."""
    if hasattr(value, "data") and hasattr(value, "getwidth"):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _subpatterns(item)


def text_keys(text: str) -> frozenset[str]:
    """The keys of a text: its words and the :data:`GATE_CHARS` it holds."""
    keys = set(WORD.findall(text))
    keys.update(char for char in GATE_CHARS if char in text)
    return frozenset(keys)
