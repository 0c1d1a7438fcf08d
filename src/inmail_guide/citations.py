"""Facts, plan figures and citations in running text, and what a page gets from them.

Inline, anywhere in a page's Markdown::

    [fact:body-limit characters]   "2,000 characters" and its source marker, from facts.toml
    [fact:short-message-gain %]    "22%" (words after the name are the unit; "%" sticks)
    [plan:premium-career]          "5 credits a month" and its sources, from plans.toml
    [plan:premium-career balance]  "15 credits" (the most the plan holds)
    [cite:help-75 help-57013]      the markers of these sources (ids of sources.toml)
    [limit:checked characters]     "100,000 characters": one of the checker's own limits

A fact is rendered from the same data the checker's rules read, so no figure is typed twice.
Then, over the whole page (:func:`finish_page`): a block that cites one source several times
keeps only the last marker; links written ``repo:issues/new`` point into the repository that
``repo_url`` names; and the page gets a "Checked:" line under its title, from the sources it
links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor

from inmail_checker.registry import FACTS, Fact
from inmail_checker.report import MAX_CHECKED, MAX_REPORT_BYTES, MAX_SPANS, QUOTE_LIMIT

from .errors import GuideError
from .html import h
from .plans import PlansData, plan_id
from .sources import Catalogue, Source, checked_line, cite

INLINE = r"\[(?P<kind>fact|plan|cite|limit):(?P<args>[^\]\n]+)\]"
BLOCKS = frozenset({"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"})
REPO_SCHEME = "repo:"


def format_value(value: int | str) -> str:
    return f"{value:,}" if isinstance(value, int) else value


def with_unit(value: str, unit: str) -> str:
    if not unit:
        return value
    return f"{value}{unit}" if not unit[0].isalnum() else f"{value} {unit}"


def fact_source(fact: Fact, catalogue: Catalogue) -> Source:
    source = catalogue.by_url(fact.source)
    if source is None:
        raise GuideError(f"fact {fact.name!r}: its source {fact.source} is not in the sources file")
    return source


def quote_fact(name: str, unit: str, catalogue: Catalogue) -> Element:
    fact = FACTS.get(name)
    if fact is None:
        raise GuideError(f"[fact:{name}]: no such fact (known: {', '.join(sorted(FACTS))})")
    text = with_unit(format_value(fact.value), unit)
    return h(
        "span",
        {"class": "inmail-quote"},
        h(
            "span",
            {"class": "inmail-fact", "data-fact": name, "title": f"As of {fact.as_of}"},
            text,
        ),
        cite([fact_source(fact, catalogue)]),
    )


LIMITS = {
    "checked": MAX_CHECKED,
    "places": MAX_SPANS,
    "quote": QUOTE_LIMIT,
    "report-bytes": MAX_REPORT_BYTES,
}
"""The checker's own limits that pages quote, by the names ``[limit:…]`` takes."""


def quote_limit(name: str, unit: str) -> Element:
    value = LIMITS.get(name)
    if value is None:
        raise GuideError(f"[limit:{name}]: no such limit (known: {', '.join(sorted(LIMITS))})")
    return h(
        "span", {"class": "inmail-limit", "data-limit": name}, with_unit(format_value(value), unit)
    )


def quote_plan(args: list[str], plans: PlansData, catalogue: Catalogue) -> Element:
    wanted, *rest = args
    what = rest[0] if rest else "monthly"
    plan = next((plan for plan in plans.plans if plan_id(plan) == wanted), None)
    if plan is None:
        known = ", ".join(plan_id(plan) for plan in plans.plans)
        raise GuideError(f"[plan:{wanted}]: no such plan (known: {known})")
    if what not in ("monthly", "balance") or len(rest) > 1:
        raise GuideError(f"[plan:{wanted}]: say nothing or 'balance' after the plan, not {rest}")
    value = plan.credits_per_month if what == "monthly" else plan.max_balance
    if value is None or plan.uncertain:
        raise GuideError(f"[plan:{wanted}]: has no current official figure to quote")
    text = f"{value:,} credits a month" if what == "monthly" else f"{value:,} credits"
    return h(
        "span",
        {"class": "inmail-quote"},
        h("span", {"class": "inmail-plan-figure", "data-plan": wanted, "data-figure": what}, text),
        cite(catalogue[source] for source in plan.sources),
    )


class QuoteProcessor(InlineProcessor):
    """``[fact:…]``, ``[plan:…]``, ``[cite:…]`` and ``[limit:…]`` in running text."""

    def __init__(
        self, md: Markdown, catalogue: Callable[[], Catalogue], plans: Callable[[], PlansData]
    ) -> None:
        super().__init__(INLINE, md)
        self.catalogue = catalogue
        self.plans = plans

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Element, int, int]:  # type: ignore[override]
        kind, args = m["kind"], m["args"].split()
        if not args:
            raise GuideError(f"[{kind}:] names nothing")
        catalogue = self.catalogue()
        if kind == "fact":
            element = quote_fact(args[0], " ".join(args[1:]), catalogue)
        elif kind == "plan":
            element = quote_plan(args, self.plans(), catalogue)
        elif kind == "limit":
            element = quote_limit(args[0], " ".join(args[1:]))
        else:
            element = cite(catalogue[source_id] for source_id in args)
        return element, m.start(0), m.end(0)


# --- The whole page -------------------------------------------------------------------------


def _parents(root: Element) -> dict[Element, Element]:
    return {child: parent for parent in root.iter() for child in parent}


def _remove(parent: Element, element: Element) -> None:
    """Remove ``element``, keeping the text that follows it."""
    index = list(parent).index(element)
    parent.remove(element)
    if element.tail:
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail


def _classes(element: Element) -> set[str]:
    return set(element.get("class", "").split())


def merge_citations(root: Element) -> None:
    """In each block, a source cited several times keeps only its last marker."""
    parents = _parents(root)
    by_block: dict[Element, list[Element]] = {}
    for marker in root.iter("sup"):
        if "inmail-cite" not in _classes(marker):
            continue
        block = parents.get(marker)
        while block is not None and block.tag not in BLOCKS:
            block = parents.get(block)
        # A table is one block: its figures share one marker, in its last cell.
        table = block
        while table is not None and block is not None and block.tag in ("td", "th"):
            table = parents.get(table)
            if table is not None and table.tag == "table":
                block = table
        by_block.setdefault(block if block is not None else root, []).append(marker)
    for markers in by_block.values():
        seen: set[str] = set()
        for marker in reversed(markers):
            links = [link for link in marker if link.tag == "a"]
            kept = [link for link in links if link.get("href", "") not in seen]
            seen.update(link.get("href", "") for link in links)
            if not kept:
                _remove(parents[marker], marker)
            elif len(kept) < len(links):
                tail = marker.tail
                marker.clear()
                marker.set("class", "inmail-cite")
                marker.tail = tail
                for index, link in enumerate(kept):
                    link.tail = None
                    if index:
                        kept[index - 1].tail = ", "
                    marker.append(link)


def resolve_repository_links(root: Element, repo_url: str) -> None:
    """``repo:issues/new`` → ``<repo_url>/issues/new``: every repository link from one setting."""
    for link in root.iter("a"):
        href = link.get("href", "")
        if not href.startswith(REPO_SCHEME):
            continue
        if not repo_url:
            raise GuideError(
                f"a link to {href!r} needs the extension's repo_url option (mkdocs.yml: repo_url)"
            )
        rest = href[len(REPO_SCHEME) :].lstrip("/")
        link.set("href", repo_url.rstrip("/") + ("/" + rest if rest else ""))


def cited_sources(root: Element, catalogue: Catalogue) -> list[Source]:
    found: dict[str, Source] = {}
    for link in root.iter("a"):
        source = catalogue.by_url(link.get("href", ""))
        if source is not None:
            found[source.id] = source
    return list(found.values())


def add_checked_line(root: Element, catalogue: Catalogue, sources_page: str) -> None:
    """Put "Checked: <month year>" under the page's title (its first-level heading) when the
    page cites a source."""
    sources = cited_sources(root, catalogue)
    title = next((i for i, child in enumerate(root) if child.tag == "h1"), None)
    if not sources or title is None:
        return
    line = checked_line(sources, sources_page)
    line.tail = "\n"
    root.insert(title + 1, line)


def finish_page(root: Element, catalogue: Catalogue, repo_url: str, link_base: str) -> None:
    resolve_repository_links(root, repo_url)
    merge_citations(root)
    add_checked_line(root, catalogue, f"{link_base}sources.md")
