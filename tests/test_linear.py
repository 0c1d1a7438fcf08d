"""Linear by construction: every regex of the package, attacked, grows in proportion to its text.

Attack strings are generated for every regex: the package's own patterns (the folded view,
matchers, batch, the model's tokens, inputs), and every alternative and whole regex of every
rule's phrase list and patterns, as the rule set compiles them. For each pattern: runs of each
character its classes and literals accept, and each unbounded repeat "pumped" after what comes
before it, each followed by a character that forces a failure. Each is timed at 10 KB and at
100 KB: linear growth is a ratio of about 10, quadratic 100. The assertion is on that ratio
(generous: at most 30), never on a fixed time; a text that takes too long already at 2 KB stops
the test before it could hang.

The same is done end to end for ``fold``, ``check`` and ``template_words`` on the shapes that
were slow before (issue 9).
"""

from __future__ import annotations

import functools
import gc
import importlib
import inspect
import math
import pkgutil
import random
import re
import time
from collections.abc import Callable, Iterator
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import pytest

import inmail_checker
from inmail_checker import RULES, chars, check, matchers
from inmail_checker.batch import template_words
from inmail_checker.phrases import compile_phrases
from inmail_checker.text import fold

from .regex_tree import Spelling, class_source, spell

SMALL, LARGE = 10_000, 100_000
RATIO = 30
"""Linear growth from 10 KB to 100 KB is about 10; quadratic is 100."""
FLOOR = 0.003
"""Seconds below which a 100 KB run is taken as linear whatever its ratio: at that size a
pattern in the square of the length runs for seconds, and below this, timer noise rules."""
GIVE_UP = 2.0
"""Seconds for a text of 2 KB or less: more means a growth that would hang the test later."""

# Characters to attack with, by kind: from each kind, the first that a class accepts.
_KINDS = (
    "az",
    "AZ",
    "01357",
    " \t\n",
    ".,!?-_'",
    ';:’"/@#$%&*+=<>{}[]()|~^\\`',
    "éàüßø",
    "аеоріΑαβ",
    "你好한",
    "😀🔥❤",
    "\ufe0f\u200d\u200b\u0301",
    "·•¡！？",
    "٣",
    "\u00a0\u2028",
    "\x00\x01",
)
_POOL = "".join(_KINDS)
_SUFFIXES = ("\x00", "!", " ", "a", "1", "é")


def _patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled regex of the package, by name."""
    found: dict[str, re.Pattern[str]] = {}
    for module_info in pkgutil.walk_packages(inmail_checker.__path__, "inmail_checker."):
        if module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        for attribute, value in vars(module).items():
            name = f"{module_info.name}.{attribute}"
            if isinstance(value, re.Pattern):
                found[name] = value
            elif isinstance(value, chars.Pattern):
                found[f"{name}[ascii]"] = value.variant("a")
                found[f"{name}[unicode]"] = value.variant("é")
    for rule in RULES:
        if rule.function == "all_about_me":
            params = rule.params
            pattern = matchers._pronouns(params["self_words"], params["reader_words"])
            found[f"{rule.id}:pronouns"] = pattern
        lists = [("", rule.matcher), *((f":{n}", pl) for n, pl in rule.lists.items())]
        if rule.unless is not None:
            lists.append((":unless", rule.unless))
        for suffix, phrase_list in lists:
            if not (phrase_list.phrases or phrase_list.patterns):
                continue
            compiled = compile_phrases(phrase_list.phrases, phrase_list.patterns)
            found[f"{rule.id}{suffix}:whole"] = compiled.whole
            for index, alternative in enumerate(compiled.alternatives):
                # A rule's own pattern; the phrase list's pieces (whose only repeats are the
                # flexible spaces the package writes) are attacked through the whole regex.
                if alternative.regex.startswith("(?:"):
                    found[f"{rule.id}{suffix}:{index}"] = alternative.pattern
    return found


PATTERNS = _patterns()


def test_every_kind_of_pattern_is_attacked() -> None:
    names = set(PATTERNS)
    for expected in (
        "inmail_checker.text._LETTER_RUN[unicode]",
        "inmail_checker.text._SPLIT_LETTERS[ascii]",
        "inmail_checker.matchers._MARKS",
        "inmail_checker.batch._NUMBER_WORD[unicode]",
        "inmail_checker.model._TOKEN",
        "inmail_checker.phrases",  # none at module level: its regexes are the rules'
    ):
        if expected != "inmail_checker.phrases":
            assert expected in names, expected
    assert sum(":whole" in name for name in names) >= 40
    assert len(names) >= 150


def _in_class(char: str, items: list[tuple[object, object]], flags: int) -> bool:
    """Whether ``char`` is in a parsed class, asked of a regex made of that class alone."""
    return char in _members(class_source(items), flags)


@functools.cache
def _members(source: str, flags: int) -> frozenset[str]:
    """The characters of the pool in a class (each class compiled once)."""
    try:
        regex = re.compile(source, flags)
    except (re.error, KeyError):
        return frozenset()
    return frozenset(char for char in _POOL if regex.fullmatch(char))


def _walk(items: list[tuple[object, object]]) -> Iterator[tuple[object, object]]:
    for op, value in items:
        yield op, value
        if op is sre.BRANCH:
            for branch in value[1]:  # type: ignore[index]
                yield from _walk(branch.data)
        elif op is sre.SUBPATTERN:
            yield from _walk(value[3].data)  # type: ignore[index]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            yield from _walk(value[2].data)  # type: ignore[index]
        elif op in (sre.ASSERT, sre.ASSERT_NOT, sre.ATOMIC_GROUP):
            sub = value[1] if op is not sre.ATOMIC_GROUP else value  # type: ignore[index]
            yield from _walk(sub.data)


def _repeated(items: list[tuple[object, object]]) -> Iterator[tuple[object, object]]:
    """The nodes inside a repeat that can run long (what a run of characters can pump)."""
    for op, value in _walk(items):
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and value[1] > 20:  # type: ignore[index]
            yield from _walk(value[2].data)  # type: ignore[index]


def _accepted(pattern: re.Pattern[str]) -> list[str]:
    """Characters that a repeat of the pattern accepts: its literals, and of each kind of
    character the first its classes accept."""
    tree = _parser.parse(pattern.pattern, pattern.flags)
    found: dict[str, None] = {}
    for op, value in _repeated(tree.data):
        if op is sre.LITERAL:
            found[chr(value)] = None  # type: ignore[call-overload]
        elif op is sre.IN:
            for kind in _KINDS:
                members = [c for c in kind if _in_class(c, value, pattern.flags)]  # type: ignore[arg-type]
                found.update(dict.fromkeys(members[:1]))
        elif op in (sre.ANY, sre.NOT_LITERAL):
            found.update(dict.fromkeys("a !"))
    return list(found)


_SPELLING = Spelling(
    members=lambda items: [c for c in _POOL if _in_class(c, items, 0)],
    fallback=["a"],
    any_char=lambda rng: "a",
    repeats=lambda low, high, rng: max(low, min(high, 1)),
)
"""Text that follows a pattern: each repeat once (or its least), ``a`` for any character."""


def _pumps(
    items: list[tuple[object, object]], rng: random.Random, before: str = ""
) -> Iterator[tuple[str, str]]:
    """(prefix, pump) for every unbounded repeat: the text before it, and one of its turns."""
    for index, (op, value) in enumerate(items):
        prefix = before + "".join(spell(items[:index], rng, _SPELLING))
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            _, high, sub = value  # type: ignore[misc]
            if high > 20:
                pump = "".join(spell(sub.data, rng, _SPELLING))
                if pump:
                    yield prefix, pump
            yield from _pumps(sub.data, rng, prefix)
        elif op is sre.SUBPATTERN:
            yield from _pumps(value[3].data, rng, prefix)  # type: ignore[index]
        elif op is sre.BRANCH:
            for branch in value[1]:  # type: ignore[index]
                yield from _pumps(branch.data, rng, prefix)


def attacks(pattern: re.Pattern[str]) -> list[Callable[[int], str]]:
    """Texts of any size made to be hard for ``pattern``."""
    made: dict[tuple[str, str, str], None] = {}
    for char in _accepted(pattern):
        made[("", char, "\x00")] = None
    rng = random.Random(len(pattern.pattern))
    tree = _parser.parse(pattern.pattern, pattern.flags)
    for prefix, pump in list(_pumps(tree.data, rng))[:8]:
        for suffix in _SUFFIXES[:2]:
            made[(prefix, pump, suffix)] = None
    # Every pattern, repeats or none: text that follows it, again and again (a match, or
    # nearly one, at every turn).
    whole = "".join(spell(tree.data, rng, _SPELLING))
    if whole:
        made[("", whole, "\x00")] = None
    return [_sized(*key) for key in made]


def _sized(prefix: str, pump: str, suffix: str) -> Callable[[int], str]:
    def text(size: int) -> str:
        count = max(1, (size - len(prefix) - len(suffix)) // len(pump))
        return prefix + pump * count + suffix

    text.__name__ = repr((prefix[:20], pump[:20], suffix))
    return text


SIZES = (250, 500, 1_000, 2_000, 5_000, SMALL, LARGE)
STEP_FLOOR = 0.005
"""Seconds below which a step's growth is not judged: timer noise."""


def _seconds(action: Callable[[str], object], text: str) -> float:
    """CPU seconds of this thread: a busy machine that lends the core to another process does
    not count (the suite shares two cores with whatever else runs)."""
    start = time.thread_time()
    action(text)
    return time.thread_time() - start


def _best(run: Callable[[str], object], text: str, times: int) -> float:
    return min(_seconds(run, text) for _ in range(times))


def growth(run: Callable[[str], object], make: Callable[[int], str]) -> tuple[float, float]:
    """(ratio of the time at 100 KB to the time at 10 KB, the time at 100 KB), each time the
    best of two (one run at 100 KB). The sizes grow step by step from 250 characters; two steps
    in a row whose time grows much faster than their text (more than ``factor ** 1.8``: twice
    the text, 3.5 times the time, where linear is 2 and quadratic 4) stop there, the ratio
    extrapolated, so a pattern in the square or the cube of the length fails in seconds instead
    of hanging."""
    run(make(SIZES[0]))  # compile what is compiled when first needed
    times: dict[int, float] = {}
    before_size = 0
    steep = 0
    # No collection while timing. (None before either: in the whole suite's process, with its
    # large heap, a full collection before each of some 5,000 attacks costs minutes.)
    gc.disable()
    try:
        for size in SIZES:
            # Best of two where timer noise matters; once at the largest (a slow run there only
            # makes the ratio worse, and _assert_linear tries again).
            times[size] = _best(run, make(size), 1 if size == LARGE else 2)
            if size <= 2_000:
                assert times[size] < GIVE_UP, f"{make.__name__}: {times[size]:.2f} s at {size}"
            if before_size and times[size] > STEP_FLOOR:
                factor = size / before_size
                step = times[size] / max(times[before_size], 1e-7)
                steep = steep + 1 if step > factor**1.8 else 0
                if steep == 2 or times[size] > GIVE_UP * 5:
                    exponent = max(1.0, math.log(step) / math.log(factor))
                    return (LARGE / SMALL) ** exponent, times[size] * (LARGE / size) ** exponent
            before_size = size
    finally:
        gc.enable()
    return times[LARGE] / max(times[SMALL], 1e-7), times[LARGE]


# Patterns the package only ever tries at one place (``match`` or ``fullmatch``): attacked
# there, as they are used, not from every position.
ANCHORED = {
    "inmail_checker.matchers._GREETING",
    "inmail_checker.matchers._NAME_WORD",
    "inmail_checker.engine._WORDS",
    "inmail_checker.chars._LEADING",
    "inmail_checker.inputs._SUBJECT_LINE",
    "inmail_checker.rewrite._TRAILING_SPACE",
}


def _scan(pattern: re.Pattern[str], name: str = "") -> Callable[[str], object]:
    if name.split("[")[0] in ANCHORED:
        return pattern.match
    return lambda text: sum(1 for _ in pattern.finditer(text))


def test_anchored_patterns_are_used_only_where_they_are_anchored() -> None:
    for name in ANCHORED:
        module, attribute = name.rsplit(".", 1)
        source = inspect.getsource(importlib.import_module(module))
        uses = re.findall(rf"\b{attribute}\.(\w+)\(", source)
        assert uses and set(uses) <= {"match", "fullmatch"}, (name, uses)


def _assert_linear(
    name: str, run: Callable[[str], object], make: Callable[[int], str], tries: int = 3
) -> None:
    for _ in range(tries):  # again, up to twice, in case the machine was busy
        ratio, large = growth(run, make)
        if ratio <= RATIO or large < FLOOR:
            return
    assert ratio <= RATIO or large < FLOOR, f"{name} on {make.__name__}: x{ratio:.0f} in time"


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_pattern_is_linear_on_its_attacks(name: str) -> None:
    pattern = PATTERNS[name]
    made = attacks(pattern)
    assert made
    for make in made:
        _assert_linear(name, _scan(pattern, name), make)


# The shapes of issue 9 and their kin, end to end.
SHAPES: dict[str, Callable[[int], str]] = {
    "question marks then a bang": _sized("", "?", " !"),
    "marks mixed": _sized("", "!?", ""),
    "cyrillic letters": _sized("", "а", ""),
    "chinese without punctuation": _sized("", "你好", ""),
    "latin and cyrillic mixed": _sized("", "aа", ""),
    "one long word": _sized("", "a", ""),
    "one long word of digits": _sized("", "7", "x"),
    "spaced letters": _sized("", "a ", "!"),
    "dotted letters": _sized("", "d.", "é"),
    "stand-in digits": _sized("", "a0", "_"),
    "capitals": _sized("", "FREE ", "a"),
    "emoji with selectors": _sized("", "❤️", ""),
    "combining marks": _sized("a", "\u0301", ""),
    "flags": _sized("", "🇬🇧", "🇬"),
    "merge fields": _sized("", "[Name] ", ""),
    "links": _sized("", "www.a.", ""),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_fold_and_check_are_linear(shape: str) -> None:
    make = SHAPES[shape]
    _assert_linear(f"fold {shape}", fold, make)
    _assert_linear(f"check {shape}", lambda text: check(text, text[:200]), make)


# What issue 9 found, as it was: the attacks must catch each of them.
ISSUE_9 = {
    "form.exclamations": r"[!¡！]{2,}|[!?]*![!?]*\?[!?]*|[!?]*\?[!?]*![!?]*",
    "look-alike folding": r"[^\W\d_]*[a-z][^\W\d_]*",
    "batch number words": r"\w*\d\w*",
}


@pytest.mark.parametrize("name", list(ISSUE_9))
def test_the_attacks_catch_the_patterns_issue_9_found(name: str) -> None:
    pattern = re.compile(ISSUE_9[name])
    for make in attacks(pattern):
        try:
            _assert_linear(name, _scan(pattern), make, tries=1)
        except AssertionError:
            return
    pytest.fail(f"no attack shows that {name} is not linear")


@pytest.mark.parametrize("shape", ["one long word", "cyrillic letters", "one long word of digits"])
def test_template_words_are_linear(shape: str) -> None:
    _assert_linear(f"template_words {shape}", template_words, SHAPES[shape])
