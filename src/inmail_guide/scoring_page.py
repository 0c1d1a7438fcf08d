"""The "How the checker scores" content, generated from :mod:`inmail_checker.scoring` so that no
figure is ever typed twice.

Figures come from the constants; the words for the two rule-based conditions (which problems
withhold the strengths bonus, which count as spam signals) come from asking the scoring
functions about the real rules, so the page follows the code when either changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from xml.etree.ElementTree import Element

from inmail_checker import RULES, Rule
from inmail_checker.registry import CATEGORIES
from inmail_checker.report import SEVERITIES, SEVERITY_LABELS, VERDICT_LABELS, VERDICTS, Verdict
from inmail_checker.scoring import (
    BASE,
    CATEGORY_CAPS,
    CEILING_SCORES,
    SPAM_FAMILIES,
    SPAM_FLOOR,
    STRENGTH_CAP,
    THRESHOLDS,
    is_spam_signal,
    rule_penalty,
    verdict_for,
    withholds_bonus,
)

from .drafts import rule_href
from .html import block, h, lines, table

EXAMPLE_WEIGHT = 10
"""The weight used to show how repeats add up (any weight would do)."""
_REPEATS = (1, 2, 3, 4)


def verdict_ranges() -> list[tuple[Verdict, int, int]]:
    """(verdict, lowest score, highest score) for every verdict, best first."""
    ranges = []
    top = 100
    for lowest, verdict in THRESHOLDS:
        ranges.append((verdict, lowest, top))
        top = lowest - 1
    worst = next(v for v in VERDICTS if v not in {verdict for _, verdict in THRESHOLDS})
    ranges.append((worst, 0, top))
    return ranges


def _problems() -> list[Rule]:
    return [rule for rule in RULES if not rule.is_strength]


def severities_where(predicate: Callable[[Rule], bool], rules: Iterable[Rule]) -> list[str]:
    """The severities of the rules for which ``predicate`` holds, mildest first."""
    found = {rule.severity for rule in rules if predicate(rule)}
    return [severity for severity in SEVERITIES if severity in found]


def _severity_words(severities: list[str]) -> str:
    """["medium", "high"] → "medium- or high-severity"."""
    if not severities:
        return "no"
    words = [f"{s}-" for s in severities[:-1]] + [f"{severities[-1]}-severity"]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _verdict(verdict: Verdict) -> Element:
    return h(
        "span",
        {"class": f"inmail-verdict__label inmail-verdict--{verdict}"},
        VERDICT_LABELS[verdict],
    )


def _rule_link(rule_id: str, link_base: str) -> Element:
    return h("a", {"href": rule_href(link_base, rule_id)}, h("code", {}, rule_id))


def _strengths_text() -> str:
    withholding = _severity_words(severities_where(withholds_bonus, _problems()))
    return (
        "Each strength adds its bonus once, however often it shows. Together they add at most "
        f"{STRENGTH_CAP} points, and nothing at all while the draft has a {withholding} "
        "problem: a kind opening does not excuse a pitch, and a real problem is worth fixing "
        "however warm the rest is."
    )


def _names(titles: list[str], joiner: str) -> list[Element | str]:
    """Category titles in italics, so titles that contain "and" stay readable in a list."""
    content: list[Element | str] = []
    for index, title in enumerate(titles):
        if index:
            content.append(f" {joiner} " if index == len(titles) - 1 else ", ")
        content.append(h("em", {}, title))
    return content


def _spam_paragraph() -> Element:
    spam_rules = [rule for rule in _problems() if rule.category in SPAM_FAMILIES]
    signal = _severity_words(severities_where(is_spam_signal, spam_rules))
    others = [CATEGORIES[c] for c in CATEGORY_CAPS if c not in SPAM_FAMILIES]
    floor_verdict = VERDICT_LABELS[verdict_for(SPAM_FLOOR)]
    return h(
        "p",
        {},
        f"Only a spam signal can make a draft likely spam: a {signal} problem in ",
        *_names([CATEGORIES[family] for family in SPAM_FAMILIES], "or"),
        f". Without one, the score stays at {SPAM_FLOOR} or more ({floor_verdict}): problems of ",
        *_names(others, "or"),
        " alone make a draft need work, never spam.",
    )


def scoring(link_base: str) -> list[Element]:
    problems = _problems()
    capped = [rule for rule in problems if rule.ceiling]
    repeats = ", ".join(
        f"{n} time{'s' if n > 1 else ''}: {rule_penalty(EXAMPLE_WEIGHT, n)}" for n in _REPEATS
    )
    ceilings = "; ".join(
        f"{score} for {VERDICT_LABELS[verdict]}" for verdict, score in CEILING_SCORES.items()
    )
    return lines(
        h("h2", {"id": "formula"}, "The formula"),
        h(
            "p",
            {},
            f"Every draft starts at {BASE} points. Each problem the checker finds takes points "
            "off, each strength adds a few, and the result is kept between 0 and 100:",
        ),
        h(
            "p",
            {"class": "inmail-formula"},
            h(
                "code",
                {},
                f"score = {BASE} − points off (per category, each capped) "
                f"+ strengths (at most {STRENGTH_CAP})",
            ),
        ),
        h(
            "p",
            {},
            "Then three limits apply, explained below: strengths count only when no real "
            "problem is found, a draft without a spam signal is never called spam, and a few "
            "problems cap the verdict.",
        ),
        h("h2", {"id": "verdicts"}, "Verdicts"),
        h("p", {}, "The verdict follows from the score alone:"),
        table(
            ["Verdict", "Score"],
            [[_verdict(v), f"{low} to {high}"] for v, low, high in verdict_ranges()],
        ),
        h("h2", {"id": "repeats"}, "Repeated problems"),
        h(
            "p",
            {},
            "A rule costs its weight the first time it fires. Each repeat adds half the weight "
            "(rounded down), and a rule never costs more than twice its weight: a habit makes a "
            "draft worse, but one habit cannot sink it on its own. For a rule of weight "
            f"{EXAMPLE_WEIGHT}, found {repeats}.",
        ),
        h("h2", {"id": "caps"}, "Caps per category"),
        h(
            "p",
            {},
            "The points one category takes off add up to at most its cap, so a draft is judged "
            "on several kinds of problem rather than on one long list of the same kind.",
        ),
        table(
            ["Category", "Rules", "Most points off"],
            [
                [CATEGORIES[category], str(sum(r.category == category for r in problems)), str(cap)]
                for category, cap in CATEGORY_CAPS.items()
            ],
            numeric=frozenset({1, 2}),
        ),
        h("h2", {"id": "strengths"}, "Strengths"),
        h("p", {}, _strengths_text()),
        h("h2", {"id": "spam-signals"}, "Only spam is called spam"),
        _spam_paragraph(),
        h("h2", {"id": "ceilings"}, "Verdict ceilings"),
        h(
            "p",
            {},
            "A few problems cap the verdict, whatever else the draft does well. While one of them "
            f"is found, the score is at most {ceilings}. These rules cap the verdict:",
        ),
        block(
            "ul",
            {},
            *(
                h(
                    "li",
                    {},
                    _rule_link(rule.id, link_base),
                    f" {rule.title}: at most {VERDICT_LABELS[rule.ceiling]}"
                    if rule.ceiling
                    else "",
                )
                for rule in capped
            ),
        ),
        h("h2", {"id": "weights"}, "Every rule's points"),
        table(
            ["Rule", "Category", "Severity", "Points", "Spam signal", "Caps verdict at"],
            [
                [
                    _rule_link(rule.id, link_base),
                    CATEGORIES[rule.category],
                    "Strength" if rule.is_strength else SEVERITY_LABELS[rule.severity],
                    f"+{rule.bonus}" if rule.is_strength else str(rule.weight),
                    "yes" if not rule.is_strength and is_spam_signal(rule) else "",
                    VERDICT_LABELS[rule.ceiling] if rule.ceiling else "",
                ]
                for rule in RULES
            ],
            numeric=frozenset({3}),
        ),
    )
