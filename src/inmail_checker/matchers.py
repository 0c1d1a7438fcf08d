"""Custom matchers: the few rules that need logic rather than a phrase list.

Each takes the folded draft, its rule (whose ``params`` hold the numbers and word lists it
reads) and the rule's compiled ``lists``, and returns hits. A hit's offsets are in the folded
text unless ``original=True``, when they index the text the user typed (lengths, capitals).
Only logic lives here: every threshold and word is in the rule files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

from . import chars
from .draft import Draft, Hit
from .literals import text_keys
from .phrases import Phrases
from .registry import Rule
from .report import Field
from .text import fold

Lists = Mapping[str, Phrases]
Matcher = Callable[[Draft, Rule, Lists], list[Hit]]
MATCHERS: dict[str, Matcher] = {}
"""Custom matchers by name, as rule files name them in ``function``."""


def matcher(function: Matcher) -> Matcher:
    MATCHERS[function.__name__] = function
    return function


def _hit(field: Field, start: int | None = None, end: int | None = None, **values: int) -> Hit:
    return Hit(field, start, end, dict(values), original=True)


def _words(text: str) -> int:
    return len(chars.split(text))


def _body_questions(draft: Draft) -> list[tuple[int, int]]:
    return draft.memo("questions", lambda: _questions(draft.body.original))


def _searches(draft: Draft, lists: Lists, name: str) -> bool:
    """Whether the folded body holds a match of the rule's list ``name``."""
    return lists[name].search(draft.body.text, draft.keys("body"))


# --- Whole-draft and length checks -------------------------------------------------------


@matcher
def empty_draft(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    return [] if chars.strip(draft.body.original) else [_hit("body")]


@matcher
def subject_missing(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    return [] if chars.strip(draft.subject.original) else [_hit("subject")]


def _past(draft: Draft, field: Field, limit: int) -> list[Hit]:
    """The part of a field past ``limit`` characters, if any (up to what was checked).

    A limit that falls inside a word marks that whole word: it is the word that would be cut.
    """
    length = draft.length(field)
    if length <= limit:
        return []
    text = draft.get(field).original
    start = min(limit, len(text))
    if 0 < start < len(text) and text[start].isalnum():
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    return [_hit(field, start, len(text), count=length)]


@matcher
def subject_too_long(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    return _past(draft, "subject", rule.params["limit"])


@matcher
def body_over_limit(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    return _past(draft, "body", rule.params["limit"])


@matcher
def body_near_limit(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    if draft.length("body") > rule.params["limit"]:
        return []
    return _past(draft, "body", rule.params["safe"])


@matcher
def body_long(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    text = draft.body.original
    if draft.length("body") == len(text) and len(chars.rstrip(text)) <= rule.params["limit"]:
        return []
    return _past(draft, "body", rule.params["limit"])


@matcher
def checked_in_part(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    """A field longer than what the checker reads: the rest is named, not checked."""
    hits = []
    for name in ("subject", "body"):
        checked = len(draft.get(name).original)
        if draft.length(name) > checked:
            hits.append(_hit(name, checked, draft.length(name), count=draft.length(name)))
    return hits


@matcher
def context(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    """A context rule: fires when the draft's context has every value its params name."""
    said = draft.context.to_dict()
    return [_hit("body")] if all(said[key] == value for key, value in rule.params.items()) else []


@matcher
def body_too_short(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    words = draft.words()
    if words == 0 or words >= rule.params["min_words"]:
        return []
    return [_hit("body", count=words)]


_PARAGRAPH = re.compile(r"[^\n]+", re.ASCII)


@matcher
def wall_of_text(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    text = draft.body.original
    longest = rule.params["max_paragraph"]
    if len(text) <= longest:
        return []
    return [
        _hit("body", m.start(), m.end(), count=m.end() - m.start())
        for m in _PARAGRAPH.finditer(text)
        if len(chars.strip(m.group())) > longest
    ]


# --- Shouting, exclamations, emoji -------------------------------------------------------

_CAPS_WORD = chars.compile(r"\b[A-Z]{2,}(?:'[A-Z]+)?\b")
_LETTER = chars.compile(r"[\p{letter}]")
# Words in capitals, and the run they form. This is \b[A-Z]{2,}... with the word boundary
# checked after the first capital, (?<!\w[A-Z]), the same test: starting with a character class
# lets the regex engine skip to the next capital in C instead of trying every position.
_CAPS_RUN = chars.compile(
    r"[A-Z](?<!\w[A-Z])[A-Z]+(?:'[A-Z]+)?[!?.,]*(?:[ \t]+[A-Z]{2,}(?:'[A-Z]+)?[!?.,]*)*"
)


@functools.lru_cache(maxsize=16)
def _word_set(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word.lower() for word in words)


def _is_shouting(run: str, rule: Rule) -> bool:
    """A run of capitals shouts when it holds enough ordinary words (not acronyms), or one long
    one, or when ordinary words are half of a longer run."""
    params = rule.params
    ordinary_words = _word_set(params["ordinary_words"])
    words = [w.lower() for w in _CAPS_WORD.findall(run)]
    ordinary = [w for w in words if w in ordinary_words]
    return (
        len(ordinary) >= params["min_ordinary"]
        or any(len(w) >= params["long_word"] for w in ordinary)
        or (
            len(words) >= params["min_run_words"]
            and len(ordinary) >= 1
            and len(ordinary) * 2 >= len(words)
        )
    )


@matcher
def all_caps(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    text = draft.body.original
    return [
        _hit("body", m.start(), m.end())
        for m in _CAPS_RUN.finditer(text)
        if _is_shouting(m.group(), rule)
    ]


@matcher
def subject_shouting(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    text = draft.subject.original
    letters = _LETTER.findall(text)
    if len(letters) < rule.params["min_letters"]:
        return []
    upper = sum(1 for c in letters if chars.is_upper(c))
    mostly_capitals = upper * 100 >= len(letters) * rule.params["capitals_percent"]
    if mostly_capitals or any(_is_shouting(m.group(), rule) for m in _CAPS_RUN.finditer(text)):
        stripped = chars.strip(text)
        start = text.index(stripped)
        return [_hit("subject", start, start + len(stripped))]
    return []


_BANGS = "!¡！"
# Where runs of marks can be: two marks or more in a row. Each is then read once, in
# _mark_runs, never tried again from each of its characters.
_MARKS = re.compile("[!?¡！]{2,}", re.ASCII)


def _mark_runs(text: str) -> list[tuple[int, int]]:
    """What ``[!¡！]{2,}|[!?]*![!?]*\\?[!?]*|[!?]*\\?[!?]*![!?]*`` finds (two or more
    exclamation marks; or a run of ! and ? that holds both), in linear time: that pattern tried
    the rest of a run again from each of its marks, the cube of the run's length.

    At a mark, the first alternative takes the run of exclamation marks there when it is two
    long or more; the others take the run of ! and ? there when it holds both (it ends where
    that run ends). Else the next mark is tried; a run of ! and ? that does not hold both from
    its first mark does not from any later one, so only an exclamation mark can start a match
    inside it."""
    found: list[tuple[int, int]] = []
    for marks in _MARKS.finditer(text):
        run = marks.group()
        offset = marks.start()
        size = len(run)
        # From the end: where each character's run of exclamation marks (bangs_end) and of
        # ! and ? (mixed_end) ends, and whether that run holds a ! and a ?.
        bangs_end = [0] * (size + 1)
        mixed_end = [0] * (size + 1)
        has_bang = [False] * (size + 1)
        has_question = [False] * (size + 1)
        bangs_end[size] = mixed_end[size] = size
        for index in range(size - 1, -1, -1):
            char = run[index]
            bangs_end[index] = bangs_end[index + 1] if char in _BANGS else index
            if char in "!?":
                mixed_end[index] = mixed_end[index + 1]
                has_bang[index] = char == "!" or has_bang[index + 1]
                has_question[index] = char == "?" or has_question[index + 1]
            else:
                mixed_end[index] = index
        index = 0
        while index < size:
            if bangs_end[index] - index >= 2:
                found.append((offset + index, offset + bangs_end[index]))
                index = bangs_end[index]
            elif has_bang[index] and has_question[index]:
                found.append((offset + index, offset + mixed_end[index]))
                index = mixed_end[index]
            else:
                index += 1
    return found


@matcher
def exclamations(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    """Runs of marks ("!!!", "?!"): single marks, however many, are a writer's voice."""
    hits: list[Hit] = []
    for name in rule.fields:
        text = draft.get(name).original
        if any(mark in text for mark in _BANGS):  # every run holds one of these
            hits.extend(_hit(name, start, end) for start, end in _mark_runs(text))
    return hits


_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\U0001f1e6-\U0001f1ff"
_EMOJI_CHAR = re.compile(f"[{_EMOJI}]", re.ASCII)
_EMOJI_RUN = chars.compile(f"[{_EMOJI}](?:[\\s\ufe0f\u200d\U0001f3fb-\U0001f3ff]*[{_EMOJI}]){{2,}}")


@matcher
def emoji(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    """Runs of three emoji or more, or, with no run, every emoji once there are more than
    ``max_single`` of them."""
    hits: list[Hit] = []
    for name in rule.fields:
        text = draft.get(name).original
        if text.isascii():
            continue  # every emoji is outside ASCII
        runs = [m.span() for m in _EMOJI_RUN.finditer(text)]
        if not runs and len(_EMOJI_CHAR.findall(text)) > rule.params["max_single"]:
            runs = [m.span() for m in _EMOJI_CHAR.finditer(text)]
        hits.extend(_hit(name, start, end) for start, end in runs)
    return hits


# --- Greeting, purpose and asks ----------------------------------------------------------

_GREETING = chars.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hallo|hola|bonjour)"
    r"\b[ \t,]*",
    re.IGNORECASE,
)
# A name after the greeting: an optional title, then one or two capitalised words, then what
# ends a greeting (a comma, a mark, a dash or the end of the line): "Hi Ana," but not "Hi Can
# you help?".
_NAME_WORD = chars.compile(
    r"(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?[ \t]+)?"
    r"([A-Z\u00c0-\u024f][\w'’\-]*(?:[ \t]+[A-Z\u00c0-\u024f][\w'’\-]*)?)"
    r"(?=[ \t]*(?:[,!.:;—–\-]|\r?\n|$))"
)


@matcher
def named_greeting(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    text = draft.body.original
    greeting = _GREETING.match(text)
    if not greeting:
        return []
    name = _NAME_WORD.match(text, greeting.end())
    if not name or any(word in rule.params["not_names"] for word in chars.split(name.group(1))):
        return []
    return [_hit("body", name.start(), name.end())]


# One sentence and the marks that end it; each character is read once, so it stays linear.
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*", re.ASCII)


def _questions(text: str) -> list[tuple[int, int]]:
    if "?" not in text:
        return []  # a question holds a question mark
    spans = []
    for m in _SENTENCE.finditer(text):
        if "?" not in m.group():
            continue
        start = m.start() + chars.lstrip_length(m.group())
        end = m.start() + len(m.group().rstrip("!."))
        if end - start > 3:
            spans.append((start, end))
    return spans


@matcher
def no_ask(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    if draft.words() < rule.params["min_words"]:
        return []
    if (
        "?" in draft.body.text
        or _searches(draft, lists, "asks")
        or _searches(draft, lists, "no_ask_needed")
    ):
        return []
    return [_hit("body")]


def _asks(draft: Draft, asks: Phrases) -> list[tuple[int, int]]:
    """The body's questions, and its sentences that ask without a question mark ("Please
    send me your deck.")."""
    text = draft.body.original
    found = list(_body_questions(draft))
    for m in _SENTENCE.finditer(text):
        sentence = m.group()
        if "?" in sentence:
            continue
        start = m.start() + chars.lstrip_length(sentence)
        end = m.start() + len(chars.rstrip(sentence))
        if end > start and asks.search(folded := fold(text[start:end]).text, text_keys(folded)):
            found.append((start, end))
    return sorted(found)


@matcher
def many_asks(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    asks = _asks(draft, lists["asks"]) if rule.params["count_requests"] else _body_questions(draft)
    if len(asks) < rule.params["min_questions"]:
        return []
    return [_hit("body", start, end, count=len(asks)) for start, end in asks]


@matcher
def one_clear_question(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    questions = _body_questions(draft)
    if len(questions) != 1:
        return []
    start, end = questions[0]
    if _words(draft.body.original[start:end]) > rule.params["max_words"]:
        return []
    return [_hit("body", start, end)]


@functools.lru_cache(maxsize=8)
def _pronouns(mine: tuple[str, ...], yours: tuple[str, ...]) -> re.Pattern[str]:
    """Words about the sender (group 1) or the reader, in one scan. Each match is a whole run
    of letters and apostrophes."""
    ordered = sorted(mine, key=len, reverse=True), sorted(yours, key=len, reverse=True)
    return re.compile(
        rf"(?<![a-z'])(?:({'|'.join(map(re.escape, ordered[0]))})"
        rf"|{'|'.join(map(re.escape, ordered[1]))})(?![a-z'])",
        re.ASCII,
    )


@matcher
def all_about_me(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    text = draft.body.text
    params = rule.params
    if _words(text) < params["min_words"]:
        return []
    mine = yours = 0
    for self_word in _pronouns(params["self_words"], params["reader_words"]).findall(text):
        if self_word:  # group 1, empty for the reader
            mine += 1
        else:
            yours += 1
    if mine >= params["min_self"] and mine >= params["ratio"] * max(yours, 1):
        return [_hit("body", count=mine, yours=yours)]
    return []


@matcher
def no_reason(draft: Draft, rule: Rule, lists: Lists) -> list[Hit]:
    if draft.words() < rule.params["min_words"] or _searches(draft, lists, "reasons"):
        return []
    return [_hit("body")]
