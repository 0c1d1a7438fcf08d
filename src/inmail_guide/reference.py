"""The rules reference, generated from the registry: a summary table of every rule, then one
section per rule, grouped by family.

Each rule's heading carries the rule id as its ``id``, so ``rules/#pitch.book-a-call`` is the
rule's permanent address (the checker links findings there). A rule's source and every
LinkedIn fact its texts quote are linked, with their dates, from the same data as the guide's
pages.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from inmail_checker import Rule
from inmail_checker.registry import ALL_RULES, CATEGORIES
from inmail_checker.render import signed
from inmail_checker.report import SEVERITY_LABELS, VERDICT_LABELS
from inmail_checker.scoring import points

from .citations import fact_source
from .drafts import render_example
from .errors import GuideError
from .html import block, h, lines, table
from .sources import Catalogue, Source, source_link

_FIELDS = {"subject": "the subject", "body": "the body", None: "the subject and the body"}


def _severity(rule: Rule) -> Element:
    if rule.is_strength:
        return h("span", {"class": "inmail-bonus"}, "Strength")
    return h(
        "span",
        {"class": f"inmail-severity inmail-severity--{rule.severity}"},
        SEVERITY_LABELS[rule.severity],
    )


def _points(rule: Rule) -> str:
    return signed(points(rule) if rule.is_strength else -points(rule))


def _facts(rule: Rule) -> Element:
    facts: list[Element | str] = [h("code", {}, rule.id), _severity(rule)]
    unit = "points" if points(rule) != 1 else "point"
    facts.append(h("span", {"class": "inmail-points"}, f"{_points(rule)} {unit}"))
    if rule.ceiling:
        facts.append(
            h(
                "span",
                {"class": "inmail-ceiling"},
                f"caps the verdict at {VERDICT_LABELS[rule.ceiling]}",
            )
        )
    spaced: list[Element | str] = []
    for fact in facts:
        spaced += [fact, " "]
    return h("p", {"class": "inmail-rule__facts"}, *spaced[:-1])


def what_it_flags(rule: Rule) -> str:
    """What the rule looks for, where, and with which kind of matcher."""
    where = _FIELDS[rule.field]
    if rule.scope == "batch":
        return (
            f"{rule.title}, found by comparing the drafts of a batch (the command line's "
            "--jsonl and --csv), never in a single draft."
        )
    if rule.kind == "custom":
        return f"{rule.title}, found by a check on {where} with the settings below."
    if rule.kind == "count":
        return (
            f"{rule.title}, found when a list of phrases matches at least {rule.min_count} "
            f"times in {where}."
        )
    if rule.kind == "model":
        return f"{rule.title}, found from the words of {where} and their learned weights."
    if rule.kind == "context":
        return f"{rule.title}, found from what you tell the checker about the message."
    return f"{rule.title}, found with a list of phrases matched as whole words in {where}."


def _value(value: Any) -> str:
    if isinstance(value, tuple):
        shown = ", ".join(value[:8])
        return f"{len(value)} entries: {shown}{', …' if len(value) > 8 else ''}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _settings(rule: Rule, catalogue: Catalogue) -> Element | None:
    """The rule's parameters; LinkedIn's figures are marked as such (their sources are listed
    under the rule's Sources)."""
    if not rule.params and not rule.lists:
        return None
    items: list[Element] = []
    for name, value in rule.params.items():
        fact = rule.facts.get(name)
        if fact is not None:
            fact_source(fact, catalogue)  # a fact's source must be listed
        mark = h("small", {}, " (LinkedIn's figure)") if fact is not None else None
        items.append(h("li", {}, h("code", {}, name), f": {_value(value)}", mark))
    for name, phrase_list in rule.lists.items():
        count = len(phrase_list.phrases) + len(phrase_list.patterns)
        items.append(h("li", {}, h("code", {}, name), f": a list of {count} phrases or patterns"))
    return block("ul", {"class": "inmail-rule__settings"}, *items)


def rule_source(rule: Rule, catalogue: Catalogue) -> Source | None:
    if not rule.source:
        return None
    source = catalogue.by_url(rule.source)
    if source is None:
        raise GuideError(
            f"rule {rule.id}: its source {rule.source} is not in the guide's sources file"
        )
    return source


def _sources(rule: Rule, catalogue: Catalogue) -> Element | None:
    """Where the rule's LinkedIn claims come from: its source and the sources of the facts it
    quotes, each with the date it was checked (and published, for an article)."""
    found: list[Source] = []
    source = rule_source(rule, catalogue)
    if source is not None:
        found.append(source)
    found += [fact_source(fact, catalogue) for fact in rule.facts.values()]
    items = [
        h(
            "li",
            {},
            source_link(source, source.name),
            f", published {source.published_text}" if source.published else None,
            f"; checked {source.checked_text}.",
        )
        for source in dict.fromkeys(found)
    ]
    return block("ul", {"class": "inmail-rule__sources"}, *items) if items else None


def _pair(term: str, *definition: Element | str | None) -> list[Element]:
    return [h("dt", {}, term), h("dd", {}, *definition)]


def rule_section(rule: Rule, link_base: str, catalogue: Catalogue) -> list[Element]:
    """A rule's heading (id = rule id) and what the reference says about it."""
    about = [*_pair("What it flags", what_it_flags(rule))]
    settings = _settings(rule, catalogue)
    if settings is not None:
        about += _pair("Settings", settings)
    about += [*_pair("Why it matters", rule.rationale), *_pair("How to fix it", rule.fix)]
    sources = _sources(rule, catalogue)
    if sources is not None:
        about += _pair("Sources", sources)
    examples = None
    if rule.flagged:
        flagged = next((e for e in rule.flagged if e.match), rule.flagged[0])
        examples = block(
            "div",
            {"class": "inmail-examples"},
            render_example(rule, flagged, True, link_base),
            render_example(rule, rule.clean[0], False, link_base),
        )
    return lines(
        h("h3", {"id": rule.id}, rule.title),
        block(
            "div",
            {"class": "inmail-rule"},
            _facts(rule),
            block("dl", {"class": "inmail-rule__about"}, *about),
            examples,
        ),
    )


def _families() -> list[tuple[str, str, list[Rule]]]:
    families = []
    for category, title in CATEGORIES.items():
        rules = [rule for rule in ALL_RULES if rule.category == category]
        if rules:
            families.append((category, title, rules))
    return families


def summary_table() -> Element:
    """Every rule in one table, family by family: id, title, severity, points."""
    rows: list[list[Element | str | None]] = []
    for _, _, rules in _families():
        for rule in rules:
            rows.append(
                [
                    h("a", {"href": f"#{rule.id}"}, h("code", {}, rule.id)),
                    rule.title,
                    _severity(rule),
                    _points(rule),
                ]
            )
    return block(
        "div",
        {"class": "inmail-rules-summary"},
        table(["Rule", "Title", "Severity", "Points"], rows, numeric=frozenset({3})),
    )


def rules_summary() -> list[Element]:
    """Links to each family, and the table of every rule."""
    families = _families()
    jump = h("p", {"class": "inmail-families"}, "Families: ")
    for index, (category, title, rules) in enumerate(families):
        if index:
            jump[-1].tail = " · "
        jump.append(h("a", {"href": f"#{category}"}, f"{title} ({len(rules)})"))
    return lines(jump, summary_table())


def rules_reference(link_base: str, catalogue: Catalogue) -> list[Element]:
    """Every rule, grouped under its family's title."""
    elements: list[Element] = []
    for category, title, rules in _families():
        summary = f"{len(rules)} rule{'s' if len(rules) != 1 else ''}."
        elements += lines(
            h("h2", {"id": category}, title),
            h("p", {"class": "inmail-category__summary"}, summary),
        )
        for rule in rules:
            elements += rule_section(rule, link_base, catalogue)
    return elements
