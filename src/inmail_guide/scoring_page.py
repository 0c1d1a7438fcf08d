"""The "How the checker scores" content, generated from :mod:`inmail_checker.scoring` so that no
figure is ever typed twice."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from inmail_checker import RULES
from inmail_checker.registry import CATEGORIES
from inmail_checker.report import VERDICTS
from inmail_checker.scoring import (
    BASE,
    CATEGORY_CAPS,
    CEILING_SCORES,
    STRENGTH_CAP,
    THRESHOLDS,
    rule_penalty,
)

from .drafts import SEVERITY_LABELS, VERDICT_LABELS, rule_href
from .html import h, lines, table

EXAMPLE_WEIGHT = 10
"""The weight used to show how repeats add up (any weight would do)."""
_REPEATS = (1, 2, 3, 4)


def verdict_ranges() -> list[tuple[str, int, int]]:
    """(verdict, lowest score, highest score) for every verdict, best first."""
    ranges = []
    top = 100
    for lowest, verdict in THRESHOLDS:
        ranges.append((verdict, lowest, top))
        top = lowest - 1
    worst = next(v for v in VERDICTS if v not in {verdict for _, verdict in THRESHOLDS})
    ranges.append((worst, 0, top))
    return ranges


def _verdict(verdict: str) -> Element:
    return h(
        "span",
        {"class": f"inmail-verdict__label inmail-verdict--{verdict}"},
        VERDICT_LABELS[verdict],
    )


def _rule_link(rule_id: str, link_base: str) -> Element:
    return h("a", {"href": rule_href(link_base, rule_id)}, h("code", {}, rule_id))


def scoring(link_base: str) -> list[Element]:
    problems = [rule for rule in RULES if not rule.is_strength]
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
        h(
            "p",
            {},
            "Each strength adds its bonus once, however often it shows. Together they add at "
            f"most {STRENGTH_CAP} points, and half of that (rounded down) when the draft has a "
            "high-severity problem: kind words do not excuse a scam.",
        ),
        h("h2", {"id": "ceilings"}, "Verdict ceilings"),
        h(
            "p",
            {},
            "A few problems cap the verdict, whatever else the draft does well. While one of them "
            f"is found, the score is at most {ceilings}. These rules cap the verdict:",
        ),
        h(
            "ul",
            {},
            *(
                h(
                    "li",
                    {},
                    _rule_link(rule.id, link_base),
                    f" {rule.title}: at most {VERDICT_LABELS[rule.ceiling or '']}",
                )
                for rule in capped
            ),
        ),
        h("h2", {"id": "weights"}, "Every rule's points"),
        table(
            ["Rule", "Category", "Severity", "Points", "Caps verdict at"],
            [
                [
                    _rule_link(rule.id, link_base),
                    CATEGORIES[rule.category],
                    SEVERITY_LABELS[rule.severity] if not rule.is_strength else "Strength",
                    str(rule.weight) if not rule.is_strength else f"+{rule.bonus}",
                    VERDICT_LABELS[rule.ceiling] if rule.ceiling else "",
                ]
                for rule in RULES
            ],
            numeric=frozenset({3}),
        ),
    )
