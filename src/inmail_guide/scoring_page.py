"""The "How the checker scores" content, generated from the fitted model (``data/model.json``)
and the rules, so that no figure is ever typed twice: the formula, the verdicts, where the
numbers come from and how well they do, the ceilings, the learned words and every rule's
points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element

from inmail_checker.registry import ALL_RULES, CATEGORIES
from inmail_checker.render import signed
from inmail_checker.report import SEVERITY_LABELS, VERDICT_LABELS, VERDICTS, Verdict
from inmail_checker.scoring import CEILING_SCORES, MODEL, THRESHOLDS, points

from .drafts import rule_href
from .html import block, h, lines, table

LEARNED_WORDS_SHOWN = 15
"""Learned words listed each way on the page (the strongest)."""


def verdict_ranges() -> list[tuple[Verdict, int, int]]:
    """(verdict, lowest score, highest score) for every verdict, best first."""
    ranges: list[tuple[Verdict, int, int]] = []
    top = 100
    for lowest, verdict in THRESHOLDS:
        ranges.append((verdict, lowest, top))
        top = lowest - 1
    ranges.append((VERDICTS[-1], 0, top))
    return ranges


def _verdict(verdict: Verdict) -> Element:
    return h(
        "span",
        {"class": f"inmail-verdict__label inmail-verdict--{verdict}"},
        VERDICT_LABELS[verdict],
    )


def _rule_link(rule_id: str, link_base: str) -> Element:
    return h("a", {"href": rule_href(link_base, rule_id)}, h("code", {}, rule_id))


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _figures(fit: Mapping[str, Any]) -> Element | None:
    """The cross-validated figures of the fit, per corpus and by origin and category."""
    groups = fit.get("groups") or []
    if not groups:
        return None
    rows = [
        [
            group["name"],
            str(group["messages"]),
            f"{group['auc']:.2f}" if group.get("auc") is not None else "–",
            _percent(group["spam_flagged"]) if group.get("spam_flagged") is not None else "–",
            _percent(group["genuine_genuine"]) if group.get("genuine_genuine") is not None else "–",
            _percent(group["genuine_spam"]) if group.get("genuine_spam") is not None else "–",
        ]
        for group in groups
    ]
    return table(
        [
            "Messages",
            "Count",
            "AUC",
            "Spam flagged",
            "Genuine called looks genuine",
            "Genuine called likely spam",
        ],
        rows,
        numeric=frozenset({1, 2, 3, 4, 5}),
    )


def _words(direction: int) -> str:
    chosen = sorted(
        ((weight, word) for word, weight in MODEL.words.items() if weight * direction > 0),
        key=lambda item: (-abs(item[0]), item[1]),
    )[:LEARNED_WORDS_SHOWN]
    return ", ".join(f"“{word}” ({weight / 10:+.1f})" for weight, word in chosen) or "none yet"


def scoring(link_base: str) -> list[Element]:
    data = MODEL.data
    fit: Mapping[str, Any] = data.get("fit", {})
    capped = [rule for rule in ALL_RULES if rule.ceiling and not rule.is_strength]
    ceilings = "; ".join(
        f"{score} for {VERDICT_LABELS[verdict]}" for verdict, score in CEILING_SCORES.items()
    )
    figures = _figures(fit)
    return lines(
        h("h2", {"id": "formula"}, "The formula"),
        h(
            "p",
            {},
            f"Every draft starts at {MODEL.start} points. Each problem the checker finds takes "
            "its points off, each strength adds its points, and the result is kept between 0 "
            "and 100. The report lists every term, so you can add it up yourself:",
        ),
        h(
            "p",
            {"class": "inmail-formula"},
            h(
                "code",
                {},
                f"score = {MODEL.start} − points of each problem + points of each strength",
            ),
        ),
        h(
            "p",
            {},
            "A problem counts once, however often it shows: the report lists every place it "
            "was found. A few problems also cap the verdict (below).",
        ),
        h("h2", {"id": "verdicts"}, "Verdicts"),
        h("p", {}, "The verdict follows from the score:"),
        table(
            ["Verdict", "Score"],
            [[_verdict(v), f"{low} to {high}"] for v, low, high in verdict_ranges()],
        ),
        h("h2", {"id": "fitted"}, "Where the numbers come from"),
        h(
            "p",
            {},
            "No number here was set by hand. One logistic model is fitted on labelled "
            "messages: real messages found on public pages and repositories (paraphrased), "
            "and drafts written for this project. Its inputs are the rules that fired and the "
            "words of the message. Each rule's fitted weight becomes its points, and so does "
            f"each word's: {MODEL.scale} points for each unit of the model's log-odds. A "
            "problem never adds points and a strength never takes any off. The verdict "
            "thresholds are fitted with them.",
        ),
        h(
            "p",
            {},
            f"Fitted on {fit.get('messages', 0):,} labelled messages"
            + (f" ({fit['folds']}-fold cross-validation below)." if figures is not None else "."),
        ),
        h("h2", {"id": "how-well"}, "How well it does") if figures is not None else None,
        h(
            "p",
            {},
            "Figures from cross-validation: each message was scored by a model fitted without "
            "it, or any other message from the same site or repository. Real messages are "
            "scored on their body alone: most are e-mails or GitHub issues, whose subject "
            "lines are not InMail subjects. AUC is the chance that a random spam message "
            "scores lower than a random genuine one. Spam flagged means called needs work or "
            "likely spam.",
        )
        if figures is not None
        else None,
        figures,
        h("h2", {"id": "words"}, "The learned words"),
        h(
            "p",
            {},
            "Words and phrases of the message move the score through two entries of the report: ",
            _rule_link("wording.outreach", link_base),
            " takes off the points of the words common in mass outreach, and ",
            _rule_link("strength.personal-wording", link_base),
            " adds those of the words common in personal notes. Each lists its clues. The "
            "strongest, with their points:",
        ),
        h("p", {}, h("strong", {}, "Towards spam: "), _words(1)),
        h("p", {}, h("strong", {}, "Towards a genuine note: "), _words(-1)),
        h("h2", {"id": "ceilings"}, "Verdict ceilings"),
        h(
            "p",
            {},
            "A few problems cap the verdict, whatever else the draft does well: the labelling "
            f"rules of the corpora say so of them. While one is found, the score is at most "
            f"{ceilings}. These rules cap the verdict:",
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
            ["Rule", "Category", "Severity", "Points", "Caps verdict at"],
            [
                [
                    _rule_link(rule.id, link_base),
                    CATEGORIES[rule.category],
                    "Strength" if rule.is_strength else SEVERITY_LABELS[rule.severity],
                    signed(points(rule) if rule.is_strength else -points(rule)),
                    VERDICT_LABELS[rule.ceiling] if rule.ceiling else "",
                ]
                for rule in ALL_RULES
                if rule.kind != "model"
            ],
            numeric=frozenset({3}),
        ),
    )
