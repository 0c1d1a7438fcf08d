"""Custom matchers: the few rules that need logic rather than a phrase list.

Each takes the folded draft and its rule and returns hits. A hit's offsets are in the folded
text unless ``original=True``, when they index the text the user typed (lengths, capitals).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .prefilter import read

if TYPE_CHECKING:
    from .engine import Draft, Hit
    from .registry import Rule

SUBJECT_LIMIT = 200
BODY_LIMIT = 2000
BODY_SAFE_LIMIT = 1900
LONG_BODY = 1200
SHORT_BODY_WORDS = 12
WALL_OF_TEXT = 600
"""Characters in one paragraph without a line break."""

Matcher = Callable[["Draft", "Rule"], "list[Hit]"]
MATCHERS: dict[str, Matcher] = {}


def matcher(function: Matcher) -> Matcher:
    MATCHERS[function.__name__] = function
    return function


def _hit(field: str, start: int | None = None, end: int | None = None, **values: str | int) -> Hit:
    from .engine import Hit

    return Hit(field, start, end, dict(values), original=True)  # type: ignore[arg-type]


def _words(text: str) -> int:
    return len(text.split())


def body_words(draft: Draft) -> int:
    """Words in the body as typed (counted once per draft: several rules ask)."""
    return draft.memo("body words", lambda: _words(draft.body.original))


def _body_questions(draft: Draft) -> list[tuple[int, int]]:
    return draft.memo("questions", lambda: _questions(draft.body.original))


# --- Whole-draft and length checks -------------------------------------------------------


@matcher
def empty_draft(draft: Draft, rule: Rule) -> list[Hit]:
    if draft.body.original.strip():
        return []
    return [_hit("body")]


@matcher
def subject_missing(draft: Draft, rule: Rule) -> list[Hit]:
    return [] if draft.subject.original.strip() else [_hit("subject")]


@matcher
def subject_too_long(draft: Draft, rule: Rule) -> list[Hit]:
    text = draft.subject.original
    if len(text) <= SUBJECT_LIMIT:
        return []
    return [_hit("subject", SUBJECT_LIMIT, len(text), count=len(text), limit=SUBJECT_LIMIT)]


@matcher
def body_over_limit(draft: Draft, rule: Rule) -> list[Hit]:
    text = draft.body.original
    if len(text) <= BODY_LIMIT:
        return []
    return [_hit("body", BODY_LIMIT, len(text), count=len(text), limit=BODY_LIMIT)]


@matcher
def body_near_limit(draft: Draft, rule: Rule) -> list[Hit]:
    text = draft.body.original
    if not BODY_SAFE_LIMIT < len(text) <= BODY_LIMIT:
        return []
    return [_hit("body", BODY_SAFE_LIMIT, len(text), count=len(text), limit=BODY_SAFE_LIMIT)]


@matcher
def body_long(draft: Draft, rule: Rule) -> list[Hit]:
    text = draft.body.original
    if len(text.rstrip()) <= LONG_BODY:
        return []
    return [_hit("body", LONG_BODY, len(text), count=len(text), limit=LONG_BODY)]


@matcher
def body_too_short(draft: Draft, rule: Rule) -> list[Hit]:
    words = body_words(draft)
    if words == 0 or words >= SHORT_BODY_WORDS:
        return []
    return [_hit("body", count=words)]


_PARAGRAPH = re.compile(r"[^\n]+")


@matcher
def wall_of_text(draft: Draft, rule: Rule) -> list[Hit]:
    text = draft.body.original
    if len(text) <= WALL_OF_TEXT:
        return []
    return [
        _hit("body", m.start(), m.end(), count=m.end() - m.start())
        for m in _PARAGRAPH.finditer(text)
        if len(m.group().strip()) > WALL_OF_TEXT
    ]


# --- Shouting, exclamations, emoji -------------------------------------------------------

_CAPS_WORD = re.compile(r"\b[A-Z]{2,}(?:'[A-Z]+)?\b")
_LETTER = re.compile(r"[^\W\d_]")
# Words in capitals are shouting only when they are ordinary words: capitals are also how
# acronyms, certificates and product names are written ("NEBOSH", "AWS", "SAP PM").
_SHOUTED_WORDS = frozenset(
    """
    act all alert amazing and are attention awesome best big biggest bonus breaking buy call can
    cash chance check click congratulations deal dollars don't done easy every exclusive expires
    extra fast final first for free from get gift great guarantee guaranteed help here hiring huge
    hurry important incredible instant is it join just know last life limited love massive miss
    money must need never new not notice now off offer offers once only open opportunity order our
    please price prize profit read really reply risk sale save secret see shocking special start
    stop the this time today top totally truly unbelievable urgent very want warning we what win
    winner wow you your yours
    """.split()
)
# Words in capitals, and the run they form. This is \b[A-Z]{2,}... with the word boundary
# checked after the first capital, (?<!\w[A-Z]), the same test: starting with a character class
# lets the regex engine skip to the next capital in C instead of trying every position.
_CAPS_RUN = re.compile(
    r"[A-Z](?<!\w[A-Z])[A-Z]+(?:'[A-Z]+)?[!?.,]*(?:[ \t]+[A-Z]{2,}(?:'[A-Z]+)?[!?.,]*)*"
)


def _is_shouting(run: str) -> bool:
    """A run of capitals shouts when it holds two ordinary words, or one of six letters or more."""
    words = [w.lower() for w in _CAPS_WORD.findall(run)]
    ordinary = [w for w in words if w in _SHOUTED_WORDS]
    return (
        len(ordinary) >= 2
        or any(len(w) >= 6 for w in ordinary)
        or (len(words) >= 3 and len(ordinary) >= 1 and len(ordinary) * 2 >= len(words))
    )


@matcher
def all_caps(draft: Draft, rule: Rule) -> list[Hit]:
    text = draft.body.original
    return [
        _hit("body", m.start(), m.end())
        for m in _CAPS_RUN.finditer(text)
        if _is_shouting(m.group())
    ]


@matcher
def subject_shouting(draft: Draft, rule: Rule) -> list[Hit]:
    text = draft.subject.original
    letters = _LETTER.findall(text)
    if len(letters) < 8:
        return []
    upper = sum(1 for c in letters if c.isupper())
    mostly_capitals = upper * 10 >= len(letters) * 7
    if mostly_capitals or any(_is_shouting(m.group()) for m in _CAPS_RUN.finditer(text)):
        stripped = text.strip()
        start = text.index(stripped)
        return [_hit("subject", start, start + len(stripped))]
    return []


_EXCLAMATION_RUN = re.compile(r"[!¡！]{2,}|[!?]*![!?]*\?[!?]*|[!?]*\?[!?]*![!?]*")
_EXCLAMATION = re.compile(r"[!！]")


@matcher
def exclamations(draft: Draft, rule: Rule) -> list[Hit]:
    hits: list[Hit] = []
    for name in rule.fields:
        text = draft.get(name).original
        if "!" not in text and "¡" not in text and "！" not in text:
            continue  # every run, and every mark counted, holds one of these
        runs = [m.span() for m in _EXCLAMATION_RUN.finditer(text)]
        if not runs and len(_EXCLAMATION.findall(text)) >= 3:
            runs = [m.span() for m in _EXCLAMATION.finditer(text)]
        hits.extend(_hit(name, start, end) for start, end in runs)
    return hits


_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\U0001f1e6-\U0001f1ff"
_EMOJI_CHAR = re.compile(f"[{_EMOJI}]")
_EMOJI_RUN = re.compile(f"[{_EMOJI}](?:[\\s\ufe0f\u200d\U0001f3fb-\U0001f3ff]*[{_EMOJI}]){{2,}}")


@matcher
def emoji(draft: Draft, rule: Rule) -> list[Hit]:
    hits: list[Hit] = []
    for name in rule.fields:
        text = draft.get(name).original
        if text.isascii():
            continue  # every emoji is outside ASCII
        runs = [m.span() for m in _EMOJI_RUN.finditer(text)]
        if not runs and len(_EMOJI_CHAR.findall(text)) > 4:
            runs = [m.span() for m in _EMOJI_CHAR.finditer(text)]
        hits.extend(_hit(name, start, end) for start, end in runs)
    return hits


# --- Greeting, purpose and asks ----------------------------------------------------------

_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hallo|hola|bonjour)"
    r"\b[ \t,]*",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"(?:Dr\.?|Prof\.?|Mr\.?|Ms\.?|Mrs\.?)?\s*[A-Z\u00c0-\u024f][\w'’\-]+")
_NOT_NAMES = frozenset(
    [
        "There",
        "All",
        "Everyone",
        "Team",
        "Sir",
        "Madam",
        "Friend",
        "Friends",
        "Folks",
        "Guys",
        "Hiring",
        "Recruiter",
        "Manager",
        "Professional",
        "Connection",
        "Colleague",
        "Dear",
        "Hello",
        "Hi",
        "Hey",
        "Future",
        "Sir/Madam",
    ]
)


@matcher
def named_greeting(draft: Draft, rule: Rule) -> list[Hit]:
    text = draft.body.original
    greeting = _GREETING.match(text)
    if not greeting:
        return []
    name = _NAME_WORD.match(text, greeting.end())
    if not name or name.group().strip() in _NOT_NAMES:
        return []
    start = name.start() + (len(name.group()) - len(name.group().lstrip()))
    return [_hit("body", start, name.end())]


# One sentence and the marks that end it; each character is read once, so it stays linear.
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _questions(text: str) -> list[tuple[int, int]]:
    if "?" not in text:
        return []  # a question holds a question mark
    spans = []
    for m in _SENTENCE.finditer(text):
        if "?" not in m.group():
            continue
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        end = m.start() + len(m.group().rstrip("!."))
        if end - start > 3:
            spans.append((start, end))
    return spans


_ASK = re.compile(
    r"(?<![a-z])(?:would you|could you|can you|will you|are you open|are you free|would it be"
    r"|is there any chance|may i|might you|i'?d (?:love|like|appreciate|be grateful|welcome)"
    r"|i would (?:love|like|appreciate|be grateful|welcome)|please (?:let|share|send|tell"
    r"|consider|see|reply|get back)|let me know|if you(?:'re| are) (?:ever )?(?:open|willing"
    r"|interested|up for|free|around|curious)|if you(?:'d| would)? ever|you'?d (?:ever )?consider"
    r"|happy to|do you|did you|any (?:advice|tips|thoughts|pointers)|feel free|i'?m hoping"
    r"|i am hoping|i hope to|interested in (?:a|an|the)|open to|whether you|if you have time"
    r"|if you ever have|if you ever had|drop me a line|reply here|write back|just tell me"
    r"|tell me (?:what|if|whether|when|how)|keen to|up for)(?![a-z])"
)
# A thank-you, a congratulation or a shared link needs no ask.
_NO_ASK_NEEDED = re.compile(
    r"(?<![a-z])(?:thank|thanks|congrat|well done|kudos|happy birthday|here'?s the|here is the"
    r"|hope it helps|hope this helps|just wanted to (?:say|share|let you know)|for what it'?s worth"
    r"|sharing (?:this|it|in case))"
)


# Whole words one of which every match holds (see prefilter): a body without any is not searched.
_ASK_KEYS = read(_ASK.pattern).keys
_NO_ASK_NEEDED_KEYS = read(_NO_ASK_NEEDED.pattern).keys


def _searchable(draft: Draft, keys: frozenset[str] | None) -> bool:
    """False when a pattern whose gate keys are ``keys`` cannot match the folded body."""
    return keys is None or not keys.isdisjoint(draft.gates("body").keys)


@matcher
def no_ask(draft: Draft, rule: Rule) -> list[Hit]:
    if body_words(draft) < SHORT_BODY_WORDS:
        return []
    text = draft.body.text
    if (
        "?" in text
        or (_searchable(draft, _ASK_KEYS) and _ASK.search(text))
        or (_searchable(draft, _NO_ASK_NEEDED_KEYS) and _NO_ASK_NEEDED.search(text))
    ):
        return []
    return [_hit("body")]


@matcher
def many_asks(draft: Draft, rule: Rule) -> list[Hit]:
    questions = _body_questions(draft)
    if len(questions) < 4:
        return []
    return [_hit("body", start, end, count=len(questions)) for start, end in questions]


@matcher
def one_clear_question(draft: Draft, rule: Rule) -> list[Hit]:
    questions = _body_questions(draft)
    if len(questions) != 1:
        return []
    start, end = questions[0]
    if _words(draft.body.original[start:end]) > 40:
        return []
    return [_hit("body", start, end)]


# Words about the sender (group 1) or the reader, in one scan. Each match is a whole run of
# letters and apostrophes, and the two lists share no first letter, so no match of one can
# hide a match of the other.
_PRONOUN = re.compile(
    r"(?<![a-z'])(?:(i|i'm|i've|i'd|i'll|me|my|mine|we|we're|we've|our|ours|us)"
    r"|you|you're|you've|you'd|your|yours)(?![a-z'])"
)


@matcher
def all_about_me(draft: Draft, rule: Rule) -> list[Hit]:
    text = draft.body.text
    if _words(text) < 40:
        return []
    mine = yours = 0
    for self_word in _PRONOUN.findall(text):  # group 1, empty for the reader
        if self_word:
            mine += 1
        else:
            yours += 1
    if mine >= 10 and mine >= 4 * max(yours, 1):
        return [_hit("body", count=mine, yours=yours)]
    return []


_REASON = re.compile(
    r"(?<![a-z])(?:because|since you|your (?:[a-z'-]+ ){0,2}(?:post|article|talk|paper|book"
    r"|podcast|work|research|team|company|presentation|comment|thread|project|newsletter|blog"
    r"|launch|announcement|experience|background|role|session|keynote|panel|study|thesis|repo"
    r"|library|report|episode|interview|video|course|question|answer|unit|lesson|design|code"
    r"|essay|tweet|review|app|tool|product|startup|lab|group|class|book|thesis|promotion"
    r"|move|news|award|portfolio|photos|exhibit|recipe|tutorial|guide|slides|demo|feedback|advice"
    r"|help|idea|story|journey|career|path|program|programme)"
    r"|you (?:shared|posted|wrote|built|gave|said|mentioned|published|presented|spoke|led|ran"
    r"|started|launched|created|made|designed|organi[sz]ed|hosted|taught|helped|answered)"
    r"|i (?:saw|noticed|read|heard|watched|enjoyed|loved|attended|listened|found|came across your"
    r"|follow your|have followed|have been following|mentioned|promised)|we met|met you|we spoke"
    r"|we talked|we chatted|great (?:meeting|chatting|talking|to meet|to see)|(?:nice|lovely|good)"
    r" (?:meeting|chatting|talking|to meet)|referred|recommended|suggested (?:i|that i|me)"
    r"|mentioned (?:you|that you|your)|introduc[a-z]*|congrat[a-z]*|thank[a-z]*|new role|new job"
    r"|the news"
    r"|i'?m (?:writing|reaching out|messaging|contacting you) (?:about|because|regarding|to ask"
    r"|to apply|after|since)|i am (?:writing|reaching out|messaging|contacting you) (?:about"
    r"|because|regarding|to ask|to apply|after|since)|applying|application|the (?:role|position"
    r"|opening|job|vacancy)|posted|following (?:our|your|up on our)|after our|as promised"
    r"|with you (?:at|on|in|during|last)"
    r"|at the (?:conference|meetup|event|summit|workshop|talk|panel|fair|dinner|reunion|webinar))"
    r"(?![a-z])"
)


_REASON_KEYS = read(_REASON.pattern).keys


@matcher
def no_reason(draft: Draft, rule: Rule) -> list[Hit]:
    if body_words(draft) < SHORT_BODY_WORDS or (
        _searchable(draft, _REASON_KEYS) and _REASON.search(draft.body.text)
    ):
        return []
    return [_hit("body")]
