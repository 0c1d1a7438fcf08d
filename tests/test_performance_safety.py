"""The speed-ups never change a result.

A compiled phrase list (``inmail_checker.phrases``) runs its alternatives one by one and skips
those whose gate (see ``inmail_checker.literals``) the text does not open; several quick
pre-checks guard slow patterns in ``text`` and ``matchers``. These tests check, on the corpus, the
rule examples and strings spelled out from every pattern, that a gate never shuts out an
alternative that matches, that the split alternatives find exactly what the whole regex finds,
and that each pre-check holds wherever its pattern matches."""

from __future__ import annotations

import random
import re
from re import _parser  # type: ignore[attr-defined]

import pytest

from inmail_checker import RULES, RuleSet, check, matchers, text
from inmail_checker.chars import compile_rule, translate
from inmail_checker.literals import read, text_keys
from inmail_checker.phrases import Phrases, compile_phrases
from inmail_checker.registry import PhraseList, parse_rules
from inmail_checker.text import fold
from inmail_lab.corpus import load_handwritten as load_corpus

from .regex_tree import Spelling, class_source, spell

_POOL = "abcdeimnorstuy0123457 .,!?;:'\"-\n$%#@/{}[]<>|*_+()&€éАаABZ"
_CONTEXT = ["", " ", "a", "9", ".", "\n", "Hi Ana, ", "xyz", "'", "I'm ", "not ", "your "]


_SPELLING = Spelling(
    members=lambda items: [c for c in _POOL if _in_class(c, items)],
    fallback=_POOL,
    any_char=lambda rng: rng.choice(_POOL),
    repeats=lambda low, high, rng: rng.randint(low, min(high, low + 3)),
    lookahead=0.7,
)
"""Random text that follows a pattern closely (it need not match: near misses are what gates
must get right too)."""


def _in_class(char: str, items: list[tuple[object, object]]) -> bool:
    return re.fullmatch(class_source(items), char) is not None


def _samples(pattern: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    tree = _parser.parse(pattern)
    return [
        rng.choice(_CONTEXT) + "".join(spell(tree.data, rng, _SPELLING)) + rng.choice(_CONTEXT)
        for _ in range(count)
    ]


def _texts() -> list[str]:
    texts = []
    for draft in load_corpus():
        texts += [draft.body, draft.subject]
    for rule in RULES:
        for example in (*rule.flagged, *rule.clean):
            texts += [example.body, example.subject]
    return [text for text in dict.fromkeys(texts) if text]


TEXTS = _texts()
# Every phrase list of the shipped rules: phrase and count rules' own, and custom rules' lists.
PHRASE_LISTS: dict[str, PhraseList] = {
    **{rule.id: rule.matcher for rule in RULES if rule.kind in ("phrases", "count")},
    **{f"{rule.id}:unless": rule.unless for rule in RULES if rule.unless is not None},
    **{f"{rule.id}:{name}": pl for rule in RULES for name, pl in rule.lists.items()},
}


def _reference(pattern: re.Pattern[str], folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(folded) if m.end() > m.start()]


def _spans(matcher: Phrases, text: str) -> list[tuple[int, int]]:
    """What a rule set finds: only the alternatives the text's words open run."""
    return matcher.spans(text, matcher.open_mask(text_keys(text)))


def _compiled(phrase_list: PhraseList) -> Phrases:
    return compile_phrases(phrase_list.phrases, phrase_list.patterns)


def test_every_phrase_list_is_split_and_most_alternatives_have_a_gate() -> None:
    compiled = [_compiled(pl) for pl in PHRASE_LISTS.values()]
    alternatives = [a for matcher in compiled for a in matcher.alternatives]
    assert all(matcher.alternatives for matcher in compiled)
    assert all(a.pattern.pattern == translate(a.regex, folded=True) for a in alternatives)
    assert sum(a.keys is not None for a in alternatives) >= 0.9 * len(alternatives)


@pytest.mark.parametrize("name", list(PHRASE_LISTS))
def test_gated_alternatives_find_what_the_whole_regex_finds(name: str) -> None:
    matcher = _compiled(PHRASE_LISTS[name])
    whole = compile_rule(matcher.regex)
    samples = [
        sample
        for index, alternative in enumerate(matcher.alternatives)
        for sample in _samples(alternative.pattern.pattern, 12, index)
    ]
    rng = random.Random(name)
    mixtures = [" ".join(rng.sample(samples, min(4, len(samples)))) for _ in range(30)]
    for raw in [*TEXTS, *samples, *mixtures]:
        folded = fold(raw).text
        assert _spans(matcher, folded) == _reference(whole, folded), (name, raw)
        assert matcher.search(folded, text_keys(folded)) == bool(_reference(whole, folded))
        keys = text_keys(raw)  # gates hold on any string, folded or not
        for alternative in matcher.alternatives:
            if alternative.keys is not None and alternative.pattern.search(raw):
                assert not alternative.keys.isdisjoint(keys), (alternative.pattern.pattern, raw)


def test_the_rule_set_finds_what_running_every_rule_finds() -> None:
    gated, ungated = RuleSet.compile(), RuleSet.compile(gated=False)
    for raw in TEXTS:
        for subject, body in ((raw[:200], raw), ("", raw), (raw, "")):
            fast = check(body, subject, rules=gated)
            slow = check(body, subject, rules=ungated)
            assert fast == slow, raw


@pytest.mark.parametrize(
    ("phrases", "alternatives"),
    [
        (["bc", "abc d", "a", "ab-c", "b c'd"], 6),  # the phrase trie cut by first letter: a, b
        (["bc", "-ab", "abc d"], 5),  # a phrase starts with an optional unit: one trie
    ],
)
def test_overlapping_alternatives_merge_as_one_alternation(
    phrases: list[str], alternatives: int
) -> None:
    quoted = ", ".join(f'"{phrase}"' for phrase in phrases)
    toml = (
        '[[rule]]\nid = "pitch.overlap"\ntitle = "t"\nmessage = "m"\nrationale = "r"\n'
        f'fix = "f"\nphrases = [{quoted}]\n'
        "patterns = ['ab', 'abcd', '(?<![a-z])b[a-z]+', 'cd(?:ab)?']\n"
        'flagged = ["ab"]\nclean = ["x"]\n'
    )
    (rule,) = parse_rules(toml, "test.toml")
    matcher = _compiled(rule.matcher)
    assert len(matcher.alternatives) == alternatives
    whole = compile_rule(matcher.regex)
    rng = random.Random(3)
    pieces = ["a", "b", "c", "d", " ", "-", "'", "ab", "bcd", "abc d", "x", "b c'd"]
    for _ in range(600):
        raw = "".join(rng.choice(pieces) for _ in range(12))
        assert _spans(matcher, raw) == _reference(whole, raw), raw


def test_merge_hands_over_to_the_whole_regex_when_overlaps_waste_too_much() -> None:
    # Each "t.me/..." link match runs to the end of the text and is overlapped by the match of
    # "whatsapp@t" before it: merging the two would take time in the square of the length.
    rule = next(rule for rule in RULES if rule.id == "scam.off-platform")
    matcher = Phrases(rule.matcher.phrases, rule.matcher.patterns)
    assert matcher._whole is None  # split: the whole regex is compiled only when needed
    raw = "whatsapp@t.me/" * 2000
    assert _spans(matcher, raw) == _reference(compile_rule(matcher.regex), raw)
    assert matcher._whole is not None


@pytest.mark.parametrize(
    "patterns",
    [["(a)b"], ["x*"], ["a|"], [r"(?P<n>a)(?P=n)"]],
    ids=["group", "empty match", "empty alternative", "back-reference"],
)
def test_rules_that_cannot_be_split_keep_their_whole_regex(patterns: list[str]) -> None:
    quoted = ", ".join(f"'{pattern}'" for pattern in patterns)
    toml = (
        '[[rule]]\nid = "pitch.x"\ntitle = "t"\nmessage = "m"\nrationale = "r"\nfix = "f"\n'
        f'patterns = [{quoted}]\nflagged = ["ab"]\nclean = ["x"]\n'
    )
    (rule,) = parse_rules(toml, "test.toml")
    matcher = _compiled(rule.matcher)
    assert matcher.alternatives == ()
    assert _spans(matcher, "ab aab x") == _reference(compile_rule(matcher.regex), "ab aab x")


@pytest.mark.parametrize(
    ("pattern", "keys"),
    [
        (
            r"(?<![a-z])(?:pay|send)[^.!?\n]{0,30}(?<![a-z])registration fee(?![a-z])",
            {"registration"},
        ),
        (r"(?<![a-z])free(?![a-z])", {"free"}),
        (
            r"(?<![a-z])(?:gratis|complimentary) (?:trial|demo)(?![a-z])",
            {"trial", "demo"},
        ),
        (r"%[a-z][a-z_]{2,30}%", {"%"}),
        (r"(?:^|(?<=[.!?\n]))urgent(?:ly)?\s*[!:]", {"urgent", "urgently"}),
    ],
)
def test_gate_keys_are_whole_words_or_rare_characters(pattern: str, keys: set[str]) -> None:
    assert read(pattern).keys == keys


@pytest.mark.parametrize(
    "pattern",
    [
        "free",  # no boundary: "carefree" matches, so "free" need not be a whole word
        r"(?<![a-z])free",  # "freedom"
        r"(?i)(?<![a-z])free(?![a-z])",  # flags are not modelled
        r"(?<![a-z])(free)\1(?![a-z])",  # back-references are not modelled
        r"(?<![a-z])[a-z]+(?![a-z])",
        r"(?<![a-z])(?:free|[a-z]{3})(?![a-z])",
    ],
)
def test_no_gate_when_no_word_is_certain(pattern: str) -> None:
    assert read(pattern).keys is None


def test_min_length_and_groups() -> None:
    assert (read("ab?").min_length, read("(?:ab)?").min_length) == (1, 0)
    assert (read("(a)(?:b)").groups, read("a").groups) == (1, 0)


@pytest.mark.parametrize(
    "pattern",
    [
        "(unclosed",
        "a{2,1}",
        r"(?<=a+)b",
        r"(?<!ab|c)x",
        r"x(?:y(?<=a|bc))",
        r"(?<=ab|cd)x",
        r"a(?<=(?<!x)y)b",
        r"(?P<n>a)(?P=n)",
        r"(?<![a-z])(?:pay|send)(?!\w)",
    ],
)
def test_reading_fails_exactly_where_compiling_fails(pattern: str) -> None:
    # Alternatives compile when first needed, so reading is what rejects a bad rule file.
    try:
        re.compile(pattern)
    except re.error:
        with pytest.raises(re.error):
            read(pattern)
    else:
        assert read(pattern).checked


# What form.exclamations found before it was made linear (cubic on "?" * n + " !").
EXCLAMATION_RUN = re.compile(r"[!¡！]{2,}|[!?]*![!?]*\?[!?]*|[!?]*\?[!?]*![!?]*")


def test_mark_runs_find_what_the_cubic_pattern_found() -> None:
    rng = random.Random(9)
    pieces = ["!", "?", "¡", "！", "？", " ", "a", "!!", "?!", "!?"]
    samples = [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(20_000)
    ]
    for sample in [*TEXTS, *samples]:
        expected = [m.span() for m in EXCLAMATION_RUN.finditer(sample)]
        assert matchers._mark_runs(sample) == expected, sample


def _fuzz(patterns: list[str], seed: int) -> list[str]:
    return [
        *TEXTS,
        *(s for p in patterns for s in _samples(p, 150, seed)),
        *(t.lower() for t in TEXTS),
    ]


def test_text_pre_checks_hold_wherever_their_pattern_matches() -> None:
    patterns = [translate(text._SPLIT_LETTERS.pattern), translate(text._LEET_WORD.pattern)]
    for sample in _fuzz(patterns, 1):
        lowered = sample.lower()
        if text._SPLIT_LETTERS.search(lowered):
            assert text._MAYBE_SPLIT_LETTERS.search(lowered), sample
        if text._LEET_WORD.search(lowered):
            assert text._MAYBE_LEET_WORD.search(lowered), sample


def test_capitals_run_checks_the_word_boundary_after_its_first_capital() -> None:
    original = re.compile(r"\b[A-Z]{2,}(?:'[A-Z]+)?[!?.,]*(?:[ \t]+[A-Z]{2,}(?:'[A-Z]+)?[!?.,]*)*")
    rng = random.Random(4)
    pieces = ["A", "B", "Z", "a", "é", "É", "_", "1", " ", "\t", "'", "!", ".", "ÀB", "ABC", "x"]
    samples = [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(20_000)
    ]
    for sample in [*TEXTS, *samples]:
        expected = [m.span() for m in original.finditer(sample)]
        assert [m.span() for m in matchers._CAPS_RUN.finditer(sample)] == expected, sample


def test_matcher_pre_checks_hold_wherever_their_pattern_matches() -> None:
    patterns = [
        translate(matchers._CAPS_RUN.pattern),
        EXCLAMATION_RUN.pattern,
        translate(matchers._EMOJI_RUN.pattern),
    ]
    for sample in _fuzz(patterns, 2):
        if matchers._mark_runs(sample):
            assert any(mark in sample for mark in "!¡！"), sample
        if matchers._EMOJI_CHAR.search(sample):
            assert not sample.isascii(), sample
        if "?" not in sample:
            assert matchers._questions(sample) == [], sample
