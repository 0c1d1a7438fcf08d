"""The rules reference, generated from the registry: one section per rule, grouped by category.

Each rule's heading carries the rule id as its ``id``, so ``rules/#pitch.book-a-call`` is the
rule's permanent address (the checker links findings there).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from inmail_checker import Rule
from inmail_checker.registry import ALL_RULES, CATEGORIES
from inmail_checker.render import signed
from inmail_checker.report import SEVERITY_LABELS, VERDICT_LABELS
from inmail_checker.scoring import points

from .drafts import render_example
from .html import block, h, lines

_FIELDS = {"subject": "the subject", "body": "the body", None: "the subject and the body"}


def _facts(rule: Rule) -> Element:
    facts: list[Element | str] = [h("code", {}, rule.id)]
    if rule.is_strength:
        facts.append(h("span", {"class": "inmail-bonus"}, f"{signed(points(rule))} points"))
    else:
        facts += [
            h(
                "span",
                {"class": f"inmail-severity inmail-severity--{rule.severity}"},
                SEVERITY_LABELS[rule.severity],
            ),
            h("span", {"class": "inmail-points"}, f"{signed(-points(rule))} points"),
        ]
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
        return f"{rule.title}, found by comparing the drafts of a batch (the command line's "
        "--jsonl and --csv), never in a single draft."
    if rule.kind == "custom":
        return f"{rule.title}, found by a check on {where} with the settings below."
    if rule.kind == "count":
        return (
            f"{rule.title}, found when a list of phrases matches at least {rule.min_count} "
            f"times in {where}."
        )
    return f"{rule.title}, found with a list of phrases matched as whole words in {where}."


def _value(value: Any) -> str:
    if isinstance(value, tuple):
        shown = ", ".join(value[:8])
        return f"{len(value)} entries: {shown}{', …' if len(value) > 8 else ''}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _settings(rule: Rule) -> Element | None:
    """The rule's parameters, a fact's value linked to its source."""
    if not rule.params and not rule.lists:
        return None
    items: list[Element] = []
    for name, value in rule.params.items():
        fact = rule.facts.get(name)
        cited: list[Element | str] = []
        if fact is not None:
            cited = [" (", _source(fact.source, f"source, as of {fact.as_of}"), ")"]
        items.append(h("li", {}, h("code", {}, name), f": {_value(value)}", *cited))
    for name, phrase_list in rule.lists.items():
        count = len(phrase_list.phrases) + len(phrase_list.patterns)
        items.append(h("li", {}, h("code", {}, name), f": a list of {count} phrases or patterns"))
    return block("ul", {"class": "inmail-rule__settings"}, *items)


def _source(url: str, label: str | None = None) -> Element:
    parts = urlsplit(url)
    label = label or (parts.netloc + parts.path).removeprefix("www.").rstrip("/")
    return h("a", {"href": url}, label)


def _pair(term: str, *definition: Element | str) -> list[Element]:
    return [h("dt", {}, term), h("dd", {}, *definition)]


def rule_section(rule: Rule, link_base: str) -> list[Element]:
    """A rule's heading (id = rule id) and what the reference says about it."""
    about = [*_pair("What it flags", what_it_flags(rule))]
    settings = _settings(rule)
    if settings is not None:
        about += _pair("Settings", settings)
    about += [*_pair("Why it matters", rule.rationale), *_pair("How to fix it", rule.fix)]
    if rule.source:
        about += _pair("Source", _source(rule.source))
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


def rules_reference(link_base: str) -> list[Element]:
    """Every rule, grouped under its category's title, in registry order."""
    elements: list[Element] = []
    for category, title in CATEGORIES.items():
        rules = [rule for rule in ALL_RULES if rule.category == category]
        if not rules:
            continue
        summary = f"{len(rules)} rule{'s' if len(rules) != 1 else ''}."
        elements += lines(
            h("h2", {"id": category}, title),
            h("p", {"class": "inmail-category__summary"}, summary),
        )
        for rule in rules:
            elements += rule_section(rule, link_base)
    return elements
