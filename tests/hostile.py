"""Hostile drafts, in one place: the pieces they are made of, the ways a spammer disguises a
phrase, and two ways to draw them (Hypothesis strategies for the property tests, a seeded
generator for the parity corpus that Pyodide checks too).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from hypothesis import strategies as st

# Phrases the rules look for, and ordinary words around them.
PHRASES = [
    "book a call", "free", "demo", "guaranteed returns", "work from home", "limited time",
    "quick question", "following up", "Hi Ana,", "I read your paper on queues", "WhatsApp",
    "URGENT", "$5,000", "https://bit.ly/x", "www.example.com/pricing", "re:", "RE: FWD:",
    "{first_name}", "[Company]", "%NAME%", "*|FNAME|*", "Why?", "!!!", "?!", "...", "—", "’",
    "#hashtag", "@name", "thanks", "could you share the slides?",
]  # fmt: skip

# Characters where text handling goes wrong: controls, surrogates, invisible and bidi
# characters, marks, emoji sequences, other scripts, special casing, and characters new in
# Unicode 15 and 16 (which older Pythons do not know: the checker's own tables must).
ODD = [
    "\n", "\n\n", "\r\n", "\r", "\t", " ", "\u00a0", "\u3000", "\x00", "\x1b", "\x7f", "\x85",
    "\ud800", "\udc00", "\udbff", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
    "\u202e", "\u202c", "\u2066", "\u2069", "\u0301", "\u0302\u0303", "\u20e3", "\ufe0f",
    "👋", "👋🏽", "👩🏽‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇬🇧", "🇬", "❤️", "#️⃣", "😀", "🔥",
    "é", "e\u0301", "ß", "ẞ", "İ", "ı", "ﬁ", "ŉ", "ΐ", "ｆｒｅｅ", "𝐟𝐫𝐞𝐞", "оп", "Ω",
    "مرحبا", "שלום", "中文", "你好", "한국어", "\u1100\u1161\u11a8", "नमस्ते", "क्\u200dष",
    "क्ष", "ไทย", "٣", "½", "Ⅻ", "\ue000", "\U0010ffff", "\ufffe",
    # Unicode 15.0
    "\U0001e030", "\U0001e031", "\U00011f00", "\U0001e4d0", "\U00031350", "\U0001fae8",
    "\U0001f7f0", "\U00011b00",
    # Unicode 16.0
    "\U000105c0", "\U0001e5d0", "\U00011bc0", "\U0001fae9", "\U0001cc00", "\U00010d40",
    "\U00016d40", "\U00016100", "\U00011380", "\U0001ccd6",
]  # fmt: skip

_LOOK_ALIKES = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і", "x": "х"}
_LEET = {"e": "3", "o": "0", "a": "4", "i": "1", "s": "5"}


def _each_letter(word: str, join: str) -> str:
    return join.join(word)


# How a phrase is disguised so that a word list misses it.
DISGUISES: dict[str, Callable[[str], str]] = {
    "as typed": lambda text: text,
    "capitals": str.upper,
    "spaced": lambda text: _each_letter(text, " "),
    "dotted": lambda text: _each_letter(text, "."),
    "zero-width": lambda text: _each_letter(text, "\u200b"),
    "soft hyphens": lambda text: _each_letter(text, "\u00ad"),
    "accents": lambda text: "".join(c + "\u0301" if c.isalpha() else c for c in text),
    "look-alikes": lambda text: "".join(_LOOK_ALIKES.get(c, c) for c in text),
    "stand-in digits": lambda text: "".join(_LEET.get(c, c) for c in text),
    "fullwidth": lambda text: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text),
}

# --- Hypothesis ------------------------------------------------------------------------------

_any_char = st.characters(codec=None, categories=None)
"""Any code point at all, lone surrogates included."""

piece = st.one_of(
    st.builds(lambda phrase, how: DISGUISES[how](phrase), st.sampled_from(PHRASES),
              st.sampled_from(sorted(DISGUISES))),
    st.sampled_from(ODD),
    st.text(_any_char, min_size=1, max_size=4),
    st.sampled_from(ODD).map(lambda odd: odd * 40),
)  # fmt: skip

hostile_text = st.lists(piece, max_size=30).map("".join)
"""A body: pieces of every kind, joined with nothing or with what a piece brings."""

hostile_subject = st.lists(piece, max_size=6).map("".join)

# --- Seeded, for the parity corpus -----------------------------------------------------------


FUZZ_SEED, FUZZ_DRAFTS = 20261203, 400
"""The parity corpus: what Pyodide (tests/test_parity.py) and every CPython here
(tests/test_pythons.py) check against this Python."""


def seeded_text(rng: random.Random, pieces: int) -> str:
    """A hostile text from ``rng``: the same seed gives the same text on every Python."""
    parts = []
    for _ in range(rng.randint(0, pieces)):
        roll = rng.random()
        if roll < 0.4:
            how = rng.choice(sorted(DISGUISES))
            parts.append(DISGUISES[how](rng.choice(PHRASES)))
        elif roll < 0.85:
            parts.append(rng.choice(ODD))
        else:
            parts.append("".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 3))))
        if rng.random() < 0.5:
            parts.append(" ")
    return as_javascript_holds("".join(parts))


def as_javascript_holds(text: str) -> str:
    """``text`` as a JavaScript string (and JSON) carries it: a high surrogate followed by a low
    one is one character there, so it is made one here."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def seeded_drafts(seed: int, count: int) -> list[tuple[str, str]]:
    """``count`` hostile (subject, body) pairs from ``seed``."""
    rng = random.Random(seed)
    return [(seeded_text(rng, 5), seeded_text(rng, 40)) for _ in range(count)]
