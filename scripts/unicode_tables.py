"""Write src/inmail_checker/data/unicode.json: every Unicode fact the checker uses, from one
pinned Unicode version, so that CPython 3.11-3.14 and Pyodide give the same report.

    python scripts/unicode_tables.py           # write the file
    python scripts/unicode_tables.py --check   # exit 1 if the file is not what this writes

The facts come from two pinned dev dependencies (pyproject.toml), both at Unicode 16.0.0:
``unicodedata2`` (categories, decompositions, combining classes, decimal and numeric values,
bidirectional classes) and ``regex`` (the Uppercase and Lowercase properties, the grapheme
cluster break classes, Extended_Pictographic and Indic_Conjunct_Break). Lower-case mappings
are the one fact neither gives: for a character the running Python knows, ``str.lower()``
(case mappings of existing characters are stable); for a newer one, its name, with CAPITAL
read as SMALL (how Unicode names every case pair added since 14.0). The test suite runs
``--check``.

The file holds, as ranges of code points (``[first, last]``):

- ``fold``: what the folded view (inmail_checker.text) makes of each non-ASCII character that
  it changes: nothing for marks and format characters, a space or a line break for white
  space, the ASCII digit for a decimal digit, typographic quotes and dashes as ASCII, else the
  compatibility decomposition without its combining marks, in lower case;
- the classes the checker's patterns and word counts use: ``space`` (what Python's
  ``str.isspace`` means), ``letter`` (categories L*), ``word`` (``\\w``: letters, numbers and
  ``_``), ``alnum`` (the same without ``_``), ``digit`` (``\\d``: decimal digits),
  ``upper``, ``lower``, ``cased``;
- grapheme cluster data (UAX #29): ``gcb`` (each break class), ``extpict``, ``incb``.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import regex
import unicodedata2 as ud

from inmail_checker.chars import GCB_NAMES
from inmail_checker.text import PUNCTUATION

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "inmail_checker" / "data" / "unicode.json"
VERSION = "16.0.0"
ALL = range(0x110000)

LINE_BREAKS = {"\x85", "\u2028", "\u2029"}


def ranges(test: Callable[[int], bool]) -> list[list[int]]:
    found: list[list[int]] = []
    for code in ALL:
        if test(code):
            if found and found[-1][1] == code - 1:
                found[-1][1] = code
            else:
                found.append([code, code])
    return found


def is_space(code: int) -> bool:
    """Python's str.isspace: bidirectional class WS, B or S, or category Zs."""
    char = chr(code)
    return ud.bidirectional(char) in ("WS", "B", "S") or ud.category(char) == "Zs"


def lower(char: str) -> str:
    """The lower case of one character at the pinned version (see the module's docstring)."""
    if char.isascii():
        return char.lower()
    if unicodedata.category(char) != "Cn":  # the running Python knows it
        return char.lower()
    name = ud.name(char, "")
    if " CAPITAL " in name:
        try:
            return str(ud.lookup(name.replace(" CAPITAL ", " SMALL ")))
        except KeyError:
            return char
    return char


def fold(char: str) -> str:
    """The folded form of one non-ASCII character."""
    category = ud.category(char)
    if category in ("Mn", "Me", "Cf"):
        return ""
    if category == "Cs":
        return "\ufffd"
    if char in PUNCTUATION:
        return PUNCTUATION[char]
    if is_space(ord(char)):
        return "\n" if char in LINE_BREAKS else " "
    if category == "Nd":
        return str(ud.decimal(char))
    decomposed = ud.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not ud.combining(c)) or char
    result = []
    for part in kept:
        if part.isascii():
            result.append(part.lower())
        elif ud.category(part) in ("Mn", "Me", "Cf"):
            continue
        elif is_space(ord(part)):
            result.append(" ")
        elif ud.category(part) == "Nd":
            result.append(str(ud.decimal(part)))
        else:
            result.append(lower(part))
    return "".join(result)


def fold_table() -> list[list[object]]:
    """[first, last, text] where every character in the range folds to ``text``, or
    [first, last, N] (a number) where each folds to the character N code points on (a run of
    one script's capitals, say)."""
    rows: list[list[object]] = []
    for code in range(0x80, 0x110000):
        if 0xAC00 <= code <= 0xD7A3:
            continue  # Hangul syllables: decomposed by arithmetic (inmail_checker.chars)
        char = chr(code)
        folded = fold(char)
        if folded == char:
            continue
        last = rows[-1] if rows else None
        if last is not None and last[1] == code - 1:
            if last[2] == folded:
                last[1] = code
                continue
            if len(folded) == 1:
                shift = ord(folded) - code
                if last[2] == shift:
                    last[1] = code
                    continue
                text = last[2]
                single = last[0] == last[1] and isinstance(text, str) and len(text) == 1
                if single and ord(str(text)) - last[0] == shift:
                    last[1], last[2] = code, shift
                    continue
        rows.append([code, code, folded])
    return rows


def prop(name: str) -> Callable[[int], bool]:
    pattern = regex.compile(rf"\p{{{name}}}")
    return lambda code: pattern.match(chr(code)) is not None


def build() -> dict[str, object]:
    if ud.unidata_version != VERSION:
        raise SystemExit(f"unicodedata2 has Unicode {ud.unidata_version}; pin {VERSION}")
    letter = ranges(lambda c: ud.category(chr(c)).startswith("L"))
    numeric = ranges(lambda c: ud.numeric(chr(c), None) is not None)
    for check in ("\U00010d50", "\U0001e030"):  # Garay (16.0), a modifier letter (15.0)
        if not regex.match(r"\p{L}", check):
            raise SystemExit(f"regex {regex.__version__} predates Unicode {VERSION}")
    upper = prop("Uppercase")
    lower_ = prop("Lowercase")
    return {
        "unicode": VERSION,
        "fold": fold_table(),
        "space": ranges(is_space),
        "letter": letter,
        "word": ranges(
            lambda c: (
                c == 0x5F
                or ud.category(chr(c)).startswith("L")
                or ud.numeric(chr(c), None) is not None
            )
        ),
        "alnum": ranges(
            lambda c: ud.category(chr(c)).startswith("L") or ud.numeric(chr(c), None) is not None
        ),
        "numeric": numeric,
        "digit": ranges(lambda c: ud.category(chr(c)) == "Nd"),
        "upper": ranges(upper),
        "lower": ranges(lower_),
        "cased": ranges(lambda c: upper(c) or lower_(c) or ud.category(chr(c)) == "Lt"),
        "control": ranges(lambda c: ud.category(chr(c)) in ("Cc", "Cs")),
        "gcb": {name: ranges(prop(f"Grapheme_Cluster_Break={name}")) for name in GCB_NAMES},
        "extpict": ranges(prop("Extended_Pictographic")),
        "incb": {
            name: ranges(prop(f"Indic_Conjunct_Break={name}"))
            for name in ("Consonant", "Extend", "Linker")
        },
    }


def render(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run scripts/unicode_tables.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text):,} bytes, Unicode {VERSION})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
