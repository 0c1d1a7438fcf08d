"""Finding LinkedIn-style figures in text: a number next to "credit", "character", "day",
"hour", "week", "InMail" or "%". Shared by the tests of rule texts and of the built pages."""

from __future__ import annotations

import re

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "twenty|thirty|forty|fifty|sixty|ninety|hundred"
)
_NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_NUMBER_WORDS})"
_KEYWORD = r"(?:credits?|characters?|days?|hours?|weeks?|months?|inmails?)"
FIGURE = re.compile(
    rf"(?<![\w.,]){_NUMBER}(?:\s*(?:%|percent\b)|(?:[\s-]+\w+){{0,2}}?[\s-]+{_KEYWORD}\b)",
    re.IGNORECASE,
)
"""A figure with its keyword: "2,000 characters", "90-day", "13%", "100 or more InMails"."""
NUMBER = re.compile(rf"^{_NUMBER}", re.IGNORECASE)
QUOTED = re.compile(r'"[^"]{1,80}"|“[^”]{1,80}”')
"""A short quotation: an example of what a message says ("grow revenue by 40%"), not a claim."""


def unquoted(text: str) -> str:
    return QUOTED.sub(" ", text)


def figures(text: str) -> list[str]:
    """The figures of ``text``, quotations left out."""
    return [match.group() for match in FIGURE.finditer(unquoted(text))]


def number(figure: str) -> str:
    """The number a figure starts with, as written ("2,000")."""
    match = NUMBER.match(figure)
    assert match, figure
    return match.group()
