"""Gates: a cheap test, proved safe by reading the pattern, that a regex cannot match a text.

A match of ``(?<![a-z])(?:pay|send)[^.!?\\n]{0,30}(?<![a-z])registration fee(?![a-z])`` always
contains the whole words "registration" and "fee". :func:`required_words` reads a pattern's
syntax tree and returns a set of *keys*, one of which every match contains: whole words of the
text (maximal runs of the letters a-z, :data:`WORD`) or rare punctuation (:data:`GATE_CHARS`).
The engine finds the keys of a text once and skips every pattern whose keys are all missing.
A skipped pattern is one that cannot match, so gates make checking faster and never change a
result.

The analysis is conservative: a flag, a back-reference or a node it does not know gives
``None``, "no gate", and the pattern always runs. It reads the tree that ``re._parser``,
CPython's own regex parser (also in Pyodide), builds; should that module be missing or change
shape, every gate is off and nothing else changes.

How a pattern is read: as the set of its *spellings*, each the shape of some of its matches.
A spelling is a tuple ``(letters,)`` for a run of letters a-z, or ``(left, mark, key, mark,
right)``: an open run of letters, a marker (``SEP`` or ``ANY``), unknown text that holds the key
``key`` (if not empty) as a whole word, a marker and another open run. ``SEP`` stands for a
character that is not a-z, or an assertion that the neighbour is not one: either ends a word.
``ANY`` stands for unknown text. Only the rarest key of a spelling is kept, which is all the
gate needs and keeps the sets small.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

WORD = re.compile(r"[a-z]+")
"""A word of the text as the gates see it: a maximal run of the letters a-z."""

GATE_CHARS = "#$%*+<>@[]{|}"
"""Punctuation rare enough in prose to gate a pattern on (`$` in "$first_name", say)."""

_SEP = "\x00"
_ANY = "\x01"
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_LIMIT = 128
"""The most spellings followed through a sequence before it is cut in two."""
_BRANCH_LIMIT = 2048
"""The most spellings of one alternation (a long phrase list, say)."""
_SMALL_CLASS = 4
"""A character class of at most this many letters is spelled out; a larger one is unknown."""

# How common a word is in drafts, from the share of the labelled corpus's drafts that hold
# it: in 40% or more, 15% or more, 5% or more. Such words make poor gates.
_FREQUENCY = {
    **dict.fromkeys("a and at for hi i in is it of on the to we you your".split(), 80.0),
    **dict.fromkeys(
        """
        about are be best can d first from have how if just last like m me month my not one or
        our re regards s saw so t team thank thanks that this time up ve was week who with work
        would years
        """.split(),
        30.0,
    ),
    **dict.fromkeys(
        """
        across after again all also am an any application around as ask back because been
        before building but by call came community company congratulations could data day days
        dear did do don dr engineer every exactly experience few following found free get good
        had has hello help here hiring hours interested interview into job keep kind know lead
        ll long looking lot love manager message minute minutes months more most move much name
        need new next no now only open out over people person please post profile project
        question read reply role run said same see send share short similar since small someone
        something start still student take talk tell than their there they thing think three
        through trying two understand use very want were what when where which will worked
        working writing year
        """.split(),
        10.0,
    ),
}

Spelling = tuple[str, ...]


class _Unsupported(Exception):
    """A construct the analysis does not model: the pattern gets no gate."""


@functools.lru_cache(maxsize=4096)
def _weight(key: str) -> float:
    """Roughly how likely a draft is to hold ``key``: lower is a better gate."""
    if key in _FREQUENCY:
        return _FREQUENCY[key]
    if len(key) == 1 and key in GATE_CHARS:
        return 4.0
    return 1.0 + 8.0 / len(key)  # a word not listed: the shorter, the likelier


def _rarer(first: str, second: str) -> str:
    if not first:
        return second
    if not second:
        return first
    return min(first, second, key=lambda key: (_weight(key), key))


def _join(left: Spelling, right: Spelling) -> Spelling:
    """The spelling of a match of ``left`` followed by one of ``right``."""
    if len(left) == 1:
        if len(right) == 1:
            return (left[0] + right[0],)
        return (left[0] + right[0], *right[1:])
    if len(right) == 1:
        return (*left[:4], left[4] + right[0])
    run = left[4] + right[0]
    key = _rarer(left[2], right[2])
    if run and left[3] == _SEP and right[1] == _SEP:  # a whole word where the two meet
        key = _rarer(key, run)
    return (left[0], left[1], key, right[3], right[4])


def _product(lefts: Iterable[Spelling], rights: Iterable[Spelling]) -> set[Spelling]:
    rights = tuple(rights)
    return {_join(left, right) for left in lefts for right in rights}


_EMPTY: Spelling = ("",)
_SEPARATOR: Spelling = ("", _SEP, "", _SEP, "")
_UNKNOWN: Spelling = ("", _ANY, "", _ANY, "")


def _char(char: str) -> Spelling:
    if char in _LETTERS:
        return (char,)
    if char in GATE_CHARS:
        return ("", _SEP, char, _SEP, "")
    return _SEPARATOR


def _letters_between(low: int, high: int) -> set[str]:
    """The letters a-z among the code points ``low`` to ``high``."""
    return {chr(code) for code in range(max(low, 97), min(high, 122) + 1)}


def _tail(spelling: Spelling) -> Spelling:
    """A spelling with all but its open end made unknown."""
    if len(spelling) == 1:
        return ("", _ANY, "", _ANY, spelling[0])
    return ("", _ANY, "", spelling[3], spelling[4])


def _spell(text: str) -> Spelling:
    """The spelling of a literal text."""
    spelling: Spelling = _EMPTY
    for run in _RUNS.findall(text):
        spelling = _join(spelling, _char(run) if len(run) == 1 and run not in _LETTERS else (run,))
    return spelling


_RUNS = re.compile(r"[a-z]+|[^a-z]")


def _key(spelling: Spelling) -> str:
    """The rarest key of a spelling with unknown text on both sides ("" if it has none)."""
    return spelling[2] if len(spelling) == 5 else ""


def _gate(spellings: set[Spelling]) -> frozenset[str] | None:
    """One key from each spelling; None if a spelling has none."""
    keys = {_key(spelling) for spelling in spellings}
    return None if "" in keys else frozenset(keys)


def _cost(keys: frozenset[str]) -> tuple[float, list[str]]:
    return sum(_weight(key) for key in keys), sorted(keys)


class _Reader:
    """Reads a ``re._parser`` tree as sets of spellings and collects gates on the way."""

    def __init__(self, constants: Any) -> None:
        self.c = constants
        self.gates: list[frozenset[str]] = []
        """Key sets of stretches of the pattern that every match goes through."""

    def sequence(self, items: Iterable[tuple[Any, Any]], required: bool) -> set[Spelling]:
        return self.chain(self.parts(items, required), required)

    def parts(self, items: Iterable[tuple[Any, Any]], required: bool) -> Iterator[set[Spelling]]:
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
            yield self.node(op, value, required)
        if run:
            yield {_spell("".join(run))}

    def chain(self, parts: Iterable[set[Spelling]], required: bool) -> set[Spelling]:
        """The spellings of one part after another."""
        spellings = {_EMPTY}
        for part in parts:
            if len(part) == 1 and len(spellings) == 1:  # the common case: one literal more
                spellings = {_join(*spellings, *part)}
                continue
            if len(part) > 1 and len(spellings) * len(part) > _LIMIT:
                spellings = self.cut(spellings, required)
                if len(spellings) > 1 and len(spellings) * len(part) > _LIMIT:
                    part = {_UNKNOWN}
            spellings = _product(spellings, part)
        return spellings

    def cut(self, spellings: set[Spelling], required: bool) -> set[Spelling]:
        """Too many spellings to follow: keep the gate this stretch offers (if every match
        goes through it) and go on from the open ends of its spellings alone."""
        if required:
            gate = _gate({_join(_UNKNOWN, _join(spelling, _UNKNOWN)) for spelling in spellings})
            if gate is not None:
                self.gates.append(gate)
        return {_tail(spelling) for spelling in spellings}

    def node(self, op: Any, value: Any, required: bool) -> set[Spelling]:
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
            return self.sequence(sub.data, required)
        if op is c.ATOMIC_GROUP:
            return self.sequence(value.data, required)
        if op is c.BRANCH:
            spellings: set[Spelling] = set()
            for alternative in value[1]:
                spellings |= self.sequence(alternative.data, False)
            return spellings if len(spellings) <= _BRANCH_LIMIT else {_UNKNOWN}
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            return self.repeat(*value, required)
        if op is c.AT:
            # The start or the end of the text ends a word; other anchors tell nothing.
            ends = (c.AT_BEGINNING, c.AT_BEGINNING_STRING, c.AT_END, c.AT_END_STRING)
            return {_SEPARATOR} if value in ends else {_EMPTY}
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
            inner = self.sequence(sub.data, False)
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
        for op, value in items:
            if op is c.NEGATE:
                negate = True
            elif op is c.LITERAL:
                (letters if chr(value) in _LETTERS else others).add(chr(value))
            elif op is c.RANGE:
                low, high = value
                letters.update(_letters_between(low, high))
                if low < 97 or high > 122:
                    others.add(_SEP)
            elif op is c.CATEGORY and value in self._separator_categories():
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
        spellings = {(letter,) for letter in letters}
        # One listed character that is a key stays one; several mean "some separator".
        if len(others) == 1 and not letters:
            return {_char(next(iter(others)))}
        return spellings | ({_SEPARATOR} if others else set())

    def _separator_categories(self) -> tuple[Any, ...]:
        c = self.c
        return (
            c.CATEGORY_DIGIT,
            c.CATEGORY_SPACE,
            c.CATEGORY_NOT_WORD,
            c.CATEGORY_UNI_DIGIT,
            c.CATEGORY_UNI_SPACE,
            c.CATEGORY_UNI_NOT_WORD,
        )

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

    def repeat(self, low: int, high: int, sub: Any, required: bool) -> set[Spelling]:
        body = self.sequence(sub.data, required and low >= 1)
        if body <= {_EMPTY, _SEPARATOR}:  # only separators: any number of them is one
            return {_SEPARATOR} if low >= 1 and _EMPTY not in body else {_EMPTY, _SEPARATOR}
        if high <= 4 and len(body) ** high <= _LIMIT:
            spellings: set[Spelling] = set()
            current = {_EMPTY}
            for count in range(high + 1):
                if count >= low:
                    spellings |= current
                if count < high:
                    current = _product(current, body)
            return spellings
        # Many repeats: the first and the last, and anything in between.
        spellings = {_EMPTY} if low == 0 else set()
        if len(body) ** 2 <= _LIMIT:
            return spellings | body | _product(_product(body, {_UNKNOWN}), body)
        return spellings | _product(body, {_UNKNOWN})


@dataclass(frozen=True, slots=True)
class Reading:
    """What :func:`read` learnt about a regular expression."""

    keys: frozenset[str] | None
    """Keys (whole words, or characters of :data:`GATE_CHARS`) one of which every match
    contains; None when the analysis cannot promise any."""
    min_length: int
    """The fewest characters a match can have (0 when the pattern could not be read)."""


def read(*pieces: str) -> Reading:
    """Read the regular expression ``"".join(pieces)``. Each piece must be a regular
    expression of its own (a phrase's units, say); pieces are read once and remembered."""
    parts = []
    gates: list[frozenset[str]] = []
    min_length = 0
    for piece in pieces:
        spellings, piece_gates, piece_length = _read(piece)
        parts.append(spellings)
        gates += piece_gates
        min_length += piece_length
    if None in parts:
        return Reading(None, min_length)
    reader = _Reader(None)
    spellings = reader.chain(parts, True)  # type: ignore[arg-type]
    last = _gate({_join(_UNKNOWN, _join(spelling, _UNKNOWN)) for spelling in spellings})
    gates += reader.gates + ([last] if last is not None else [])
    return Reading(min(gates, key=_cost) if gates else None, min_length)


@functools.lru_cache(maxsize=512)
def _read(
    piece: str,
) -> tuple[frozenset[Spelling] | None, tuple[frozenset[str], ...], int]:
    """A piece's spellings (None if unreadable), the gates found inside it, its least length."""
    try:
        from re import _constants as constants  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]

        tree = parser.parse(piece)
        min_length = int(tree.getwidth()[0])
    except Exception:  # no reading, no gate: the pattern simply always runs
        return None, (), 0
    try:
        if tree.state.flags & ~constants.SRE_FLAG_UNICODE:
            raise _Unsupported("flags")
        reader = _Reader(constants)
        spellings = reader.sequence(tree.data, True)
    except Exception:  # _Unsupported, or a tree of an unknown shape
        return None, (), min_length
    return frozenset(spellings), tuple(reader.gates), min_length


def text_keys(text: str) -> frozenset[str]:
    """The keys of a text: its words and the :data:`GATE_CHARS` it holds."""
    keys = set(WORD.findall(text))
    keys.update(char for char in GATE_CHARS if char in text)
    return frozenset(keys)
