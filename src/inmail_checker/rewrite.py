"""Suggested words for the mechanical fixes a rule declares (its ``rewrite``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from . import chars
from .registry import Rule
from .report import QUOTE_LIMIT, Field, Rewrite, Span, quote

_MARKS = re.compile(r"[!?¡！？]+", re.ASCII)
_TRAILING_SPACE = re.compile(r"[ \t]*", re.ASCII)
_CAPITALS = re.compile(r"[A-Z][A-Z']+", re.ASCII)


def rewrites(
    rule: Rule, spans: tuple[Span, ...], texts: Mapping[Field, str]
) -> tuple[Rewrite, ...]:
    """One rewrite per span, for a rule that declares one; ``texts``: the fields as typed. A
    span longer than :data:`QUOTE_LIMIT` gets none: no one retypes that much by hand, and it
    keeps reports small."""
    spec = rule.rewrite
    if spec is None:
        return ()
    result = []
    for span in spans:
        if span.end - span.start > QUOTE_LIMIT:
            continue
        text = texts[span.field]
        words = text[span.start : span.end]
        if spec.kind == "replace":
            result.append(Rewrite(span, spec.text, spec.fill_in))
        elif spec.kind == "delete":
            # The space after the deleted words goes too ("Re: Your talk" → "Your talk").
            end = _TRAILING_SPACE.match(text, span.end)
            stop = end.end() if end else span.end
            result.append(Rewrite(_widened(span, text, stop), ""))
        elif spec.kind == "collapse-marks":
            mark = "?" if any(c in words for c in "?？") else "!"
            result.append(Rewrite(span, _MARKS.sub(mark, words)))
        elif spec.kind == "sentence-case":
            result.append(Rewrite(span, _sentence_case(words, text[: span.start], rule)))
    return tuple(result)


def _widened(span: Span, text: str, stop: int) -> Span:
    extra = stop - span.end  # spaces and tabs: one UTF-16 unit each
    return Span(
        span.field,
        span.start,
        stop,
        span.start_utf16,
        span.end_utf16 + extra,
        quote(text[span.start : stop]),
    )


def _starts_sentence(before: str) -> bool:
    """Whether a sentence starts after ``before``: it is empty, or ends with white space that
    holds a line break or follows a full stop, "!" or "?". (Read from the end, in one pass: the
    regex ``(?:^|[.!?]\\s+|\\n\\s*)$`` searched the whole text, the square of a long run of line
    breaks.)"""
    if not before:
        return True
    trimmed = chars.rstrip(before)
    spaces = before[len(trimmed) :]
    return "\n" in spaces or (bool(spaces) and trimmed[-1:] in (".", "!", "?"))


def _sentence_case(words: str, before: str, rule: Rule) -> str:
    """Ordinary words in capitals in lower case, acronyms kept ("FREE AWS CREDITS NOW" →
    "free AWS credits now"), with a capital where a sentence starts."""
    ordinary = {word.lower() for word in rule.params.get("ordinary_words", ())}

    def lower(match: re.Match[str]) -> str:
        word = match.group()
        return word.lower() if word.lower() in ordinary or len(word) > 3 else word

    result = _CAPITALS.sub(lower, words)
    if result and _starts_sentence(before) and "a" <= result[0] <= "z":
        result = result[0].upper() + result[1:]
    return result
