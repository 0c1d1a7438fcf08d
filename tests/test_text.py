"""The folded view undoes simple evasion while every match maps back to what the user typed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from inmail_checker.text import fold, utf16_offsets


@pytest.mark.parametrize(
    ("typed", "word", "expected_span_text"),
    [
        ("Book a d3mo today", "demo", "d3mo"),
        ("a f r e e trial", "free", "f r e e"),
        ("see the d.e.m.o", "demo", "d.e.m.o"),
        ("ｆｒｅｅ offer", "free", "ｆｒｅｅ"),
        ("frее offer", "free", "frее"),  # Cyrillic е
        ("de\u200bmo", "demo", "de\u200bmo"),
        ("de\u00admo", "demo", "de\u00admo"),
        ("demo\u0301 now", "demo", "demo\u0301"),  # the accent stays with its letter
        ("😀 demo", "demo", "demo"),
        ("ﬁnance", "finance", "ﬁnance"),  # a ligature expands to two letters
    ],
)
def test_fold_matches_and_maps_back(typed: str, word: str, expected_span_text: str) -> None:
    folded = fold(typed)
    index = folded.text.find(word)
    assert index >= 0, folded.text
    start, end = folded.span(index, index + len(word))
    assert typed[start:end] == expected_span_text


def test_plain_ascii_text_is_lowercased_without_a_map() -> None:
    folded = fold("Hello Ana, How are you?")
    assert folded.text == "hello ana, how are you?"
    assert folded.starts is None


def test_whole_cyrillic_words_are_left_alone() -> None:
    assert fold("Привет, как дела").text == "привет, как дела"


def test_numbers_and_acronyms_are_not_turned_into_letters() -> None:
    assert fold("We grew 40% in Q3 with 15 minutes").text == "we grew 40% in q3 with 15 minutes"


def test_typographic_apostrophes_fold_to_ascii() -> None:
    assert fold("I haven’t heard back").text == "i haven't heard back"


def test_initials_are_not_joined_with_the_article() -> None:
    assert "a free" in fold("give you a f r e e trial").text


@pytest.mark.parametrize("text", ["", "\x00", "\ud800", "a\udfffb", "\u0301", "\u200b" * 5])
def test_fold_never_raises(text: str) -> None:
    folded = fold(text)
    assert folded.span(0, len(folded.text)) == (0, len(text)) or not folded.text


def test_fold_is_linear_on_adversarial_input() -> None:
    # Patterns that would backtrack badly on long runs finish quickly and keep the length.
    for text in ["a0" * 200_000, "a " * 200_000, "x" + "1" * 400_000]:
        assert len(fold(text).text) <= len(text)


def test_utf16_offsets_count_astral_characters_twice() -> None:
    assert utf16_offsets("abc") is None
    assert utf16_offsets("a😀b") == [0, 1, 3, 4]


@pytest.mark.build
def test_the_unicode_tables_are_what_the_script_makes() -> None:
    """data/unicode.json is generated from pinned Unicode 16.0 sources (the dev extra's
    unicodedata2 and regex); the script's --check fails when the file has drifted from them."""
    script = Path(__file__).resolve().parents[1] / "scripts" / "unicode_tables.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
