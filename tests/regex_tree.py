"""Reading a regex's parsed tree (CPython's ``re._parser``), for the tests that spell text from
a pattern: what a character class accepts, as a regex of that class alone, and text that
follows a pattern."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]

_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def class_source(items: list[tuple[object, object]]) -> str:
    """The source of a regex that is the parsed class ``items`` alone."""
    parts, negate = [], False
    for op, value in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            parts.append(re.escape(chr(value)))  # type: ignore[call-overload]
        elif op is sre.RANGE:
            low, high = value  # type: ignore[misc]
            parts.append(f"{re.escape(chr(low))}-{re.escape(chr(high))}")
        elif op is sre.CATEGORY:
            parts.append(_CATEGORIES[str(value).replace("UNI_", "")])
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


@dataclass(frozen=True)
class Spelling:
    """How :func:`spell` writes a pattern's nodes: the characters a class offers (from a pool,
    else ``fallback``), a character for ``.`` or ``[^x]``, how many times a repeat runs, and
    how often a lookahead's text is written out (0: never, and no draw is made)."""

    members: Callable[[list[tuple[object, object]]], list[str]]
    fallback: Sequence[str]
    any_char: Callable[[random.Random], str]
    repeats: Callable[[int, int, random.Random], int]
    lookahead: float = 0.0


def spell(items: list[tuple[object, object]], rng: random.Random, how: Spelling) -> Iterator[str]:
    """Text that follows a parsed regex (it need not match: near misses test gates too)."""
    for op, value in items:
        if op is sre.LITERAL:
            yield chr(value)  # type: ignore[call-overload]
        elif op is sre.IN:
            yield rng.choice(how.members(value) or how.fallback)  # type: ignore[arg-type]
        elif op in (sre.ANY, sre.NOT_LITERAL):
            yield how.any_char(rng)
        elif op is sre.BRANCH:
            yield from spell(rng.choice(value[1]).data, rng, how)  # type: ignore[index]
        elif op is sre.SUBPATTERN:
            yield from spell(value[3].data, rng, how)  # type: ignore[index]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = value  # type: ignore[misc]
            for _ in range(how.repeats(low, high, rng)):
                yield from spell(sub.data, rng, how)
        elif (
            op is sre.ASSERT
            and how.lookahead
            and value[0] > 0  # type: ignore[index]
            and rng.random() < how.lookahead
        ):
            yield "".join(spell(value[1].data, rng, how))  # type: ignore[index]
