"""Reading a regex's parsed tree (CPython's ``re._parser``), for the tests that spell text from
a pattern: what a character class accepts, as a regex of that class alone."""

from __future__ import annotations

import re
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
