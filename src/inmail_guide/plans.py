"""The plans data file (``plans.toml`` beside this module): loaded, validated, and rendered as
the plans table, the worked credits example and its walk-through.

Validation is strict: an unknown key, a wrong type, a malformed date or a source the sources
file does not list raises ``GuideError`` naming the file and the plan, so a typo cannot
silently drop a figure from the site.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from .errors import GuideError
from .html import append, block, h, lines, table
from .sources import Catalogue, Source, cite, load_sources, source_link

DEFAULT_PLANS = Path(__file__).with_name("plans.toml")
"""The plans data file the guide is built from."""
RESPONSE_RATES = (10, 25, 50)
"""Response rates, in percent, for the worked credits example."""

_PLAN_KEYS = {
    "id",
    "name",
    "product",
    "credits_per_month",
    "credits_note",
    "max_balance",
    "max_balance_note",
    "reload",
    "uncertain",
    "as_of",
    "sources",
}
_REQUIRED_PLAN_KEYS = {"name", "product", "reload", "as_of", "sources"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    product: str
    credits_per_month: int | None
    credits_note: str
    max_balance: int | None
    max_balance_note: str
    reload: str
    uncertain: bool
    as_of: str
    """``YYYY-MM`` or ``YYYY-MM-DD``: when the figure held (for an old figure, when it was
    announced)."""
    sources: tuple[str, ...]
    """Ids of the sources file."""
    id: str = ""

    @property
    def published(self) -> bool:
        """Whether LinkedIn has published a monthly figure (current or not)."""
        return self.credits_per_month is not None


def plan_id(plan: Plan) -> str:
    """The plan's id, or its name in lower case with hyphens."""
    return plan.id or re.sub(r"[^a-z0-9]+", "-", plan.name.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class PlansData:
    plans: tuple[Plan, ...]
    catalogue: Catalogue

    def sources(self, plan: Plan) -> list[Source]:
        return [self.catalogue[source_id] for source_id in plan.sources]


def _date(value: Any, where: str, key: str, month_allowed: bool) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        if month_allowed and _MONTH.match(value):
            return value
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    shape = "YYYY-MM or YYYY-MM-DD" if month_allowed else "YYYY-MM-DD"
    raise GuideError(f"{where}: '{key}' must be a date ({shape}), not {value!r}")


def _text(raw: dict[str, Any], key: str, where: str, required: bool) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise GuideError(f"{where}: '{key}' must be {'non-empty ' if required else ''}text")
    return value.strip()


def _count(raw: dict[str, Any], key: str, where: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GuideError(f"{where}: '{key}' must be a whole number >= 0, not {value!r}")
    return value


def _sources(raw: Any, where: str, catalogue: Catalogue) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(item, str) for item in raw):
        raise GuideError(f"{where}: 'sources' must be a non-empty list of source ids")
    for source_id in raw:
        try:
            catalogue[source_id]
        except GuideError as error:
            raise GuideError(f"{where}: {error}") from error
    return tuple(raw)


def _plan(raw: Any, index: int, filename: str, catalogue: Catalogue) -> Plan:
    if not isinstance(raw, dict):
        raise GuideError(f"{filename}: plan {index + 1} must be a table")
    where = f"{filename}: plan {raw.get('name', index + 1)!r}"
    unknown = set(raw) - _PLAN_KEYS
    if unknown:
        raise GuideError(f"{where}: unknown key(s) {sorted(unknown)}")
    missing = _REQUIRED_PLAN_KEYS - set(raw)
    if missing:
        raise GuideError(f"{where}: missing key(s) {sorted(missing)}")
    uncertain = raw.get("uncertain", False)
    if not isinstance(uncertain, bool):
        raise GuideError(f"{where}: 'uncertain' must be true or false")
    plan_key = _text(raw, "id", where, False)
    if plan_key and not _ID.match(plan_key):
        raise GuideError(f"{where}: 'id' must be lower-case words joined by hyphens")
    return Plan(
        id=plan_key,
        name=_text(raw, "name", where, True),
        product=_text(raw, "product", where, True),
        credits_per_month=_count(raw, "credits_per_month", where),
        credits_note=_text(raw, "credits_note", where, False),
        max_balance=_count(raw, "max_balance", where),
        max_balance_note=_text(raw, "max_balance_note", where, False),
        reload=_text(raw, "reload", where, True),
        uncertain=uncertain,
        as_of=_date(raw.get("as_of"), where, "as_of", month_allowed=True),
        sources=_sources(raw.get("sources"), where, catalogue),
    )


def parse_plans(text: str, filename: str, catalogue: Catalogue | None = None) -> PlansData:
    """Parse and validate the plans data; errors name ``filename``. Sources are checked against
    ``catalogue`` (default: the guide's sources file)."""
    catalogue = catalogue or load_sources()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GuideError(f"{filename}: {error}") from error
    unknown = set(data) - {"plan"}
    if unknown:
        raise GuideError(f"{filename}: unknown top-level key(s) {sorted(unknown)}")
    raw_plans = data.get("plan")
    if not isinstance(raw_plans, list) or not raw_plans:
        raise GuideError(f"{filename}: at least one [[plan]] is required")
    plans = tuple(_plan(raw, index, filename, catalogue) for index, raw in enumerate(raw_plans))
    for what, values in (
        ("name", [plan.name for plan in plans]),
        ("id", [plan_id(plan) for plan in plans]),
    ):
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            raise GuideError(f"{filename}: duplicate plan {what}(s) {duplicates}")
    return PlansData(plans, catalogue)


def load_plans(path: str | os.PathLike[str], catalogue: Catalogue | None = None) -> PlansData:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise GuideError(f"cannot read the plans data file {file}: {error.strerror}") from error
    return parse_plans(text, str(file), catalogue)


def date_text(value: str) -> str:
    """``2026-11`` → ``Nov 2026``; ``2026-11-27`` → ``27 Nov 2026``."""
    parts = [int(part) for part in value.split("-")]
    month = f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {month}" if len(parts) == 3 else month


def _time(value: str) -> Element:
    return h("time", {"datetime": value}, date_text(value))


def _uncertain() -> Element:
    return h(
        "span",
        {
            "class": "inmail-label inmail-label--uncertain",
            "title": "No current official source confirms this figure",
        },
        "uncertain",
    )


def _figure(value: int | None, note: str) -> Element:
    """A figure with its note, or the note alone (e.g. "4 x monthly") when none is published."""
    if value is None:
        return h("span", {"class": "inmail-figure"}, note or "not published")
    return h(
        "span",
        {"class": "inmail-figure"},
        h("strong", {}, str(value)),
        " " if note else None,
        h("small", {}, f"({note})") if note else None,
    )


def _with_as_of(figure: Element, plan: Plan, data: PlansData) -> Element:
    """The figure's date beside it, when it is older than the check of its sources (an old
    official figure); a current figure is dated by the page's "Checked:" line."""
    checked = min(source.checked for source in data.sources(plan))
    if plan.as_of[:7] >= checked:
        return figure
    return append(
        figure,
        h("br", {}),
        h("small", {"class": "inmail-as-of"}, "announced ", _time(plan.as_of)),
    )


def _plan_name(plan: Plan) -> Element:
    return h(
        "span",
        {"class": "inmail-plan"},
        plan.name,
        *((" ", _uncertain()) if plan.uncertain else ()),
        h("br", {}),
        h("small", {}, plan.product),
    )


def _sources_cell(plan: Plan, data: PlansData) -> Element:
    cell = h("span", {"class": "inmail-sources"})
    for index, source in enumerate(data.sources(plan)):
        append(cell, h("br", {}) if index else None, source_link(source, source.name))
    return cell


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def plans_table(data: PlansData) -> list[Element]:
    """The plans with a published figure, then one sentence naming those without one."""
    rows: list[list[Element | str | None]] = [
        [
            _plan_name(plan),
            _with_as_of(_figure(plan.credits_per_month, plan.credits_note), plan, data),
            _figure(plan.max_balance, plan.max_balance_note),
            plan.reload,
            _sources_cell(plan, data),
        ]
        for plan in data.plans
        if plan.published
    ]
    unpublished = [plan for plan in data.plans if not plan.published]
    note: list[Element | str] = []
    if any(plan.uncertain for plan in data.plans if plan.published):
        note += [
            "Plans marked ",
            _uncertain(),
            " have no current official figure: treat them as a rough guide. ",
        ]
    if unpublished:
        sources = [source for plan in unpublished for source in data.sources(plan)]
        note += [
            f"LinkedIn publishes no InMail figures for {_names([p.name for p in unpublished])}.",
            cite(sources),
        ]
    return lines(
        block(
            "div",
            {"class": "inmail-plans"},
            table(
                ["Plan", "Credits per month", "Most you can hold", "Reload", "Sources"],
                rows,
            ),
        ),
        h("p", {"class": "inmail-table-note"}, *note) if note else None,
    )


def inmails_per_month(credits: int, rate_percent: int) -> int:
    """InMails a month's credits stretch to when each response returns its credit.

    Sending S InMails gets ``r * S`` responses, each giving a credit back: S = N + r * S, so
    S = N / (1 - r), rounded down. Integer arithmetic, so no float ever reaches the page.
    """
    return credits * 100 // (100 - rate_percent)


def current_plans(data: PlansData) -> list[Plan]:
    """The plans with a current official monthly figure."""
    return [plan for plan in data.plans if plan.published and not plan.uncertain]


def credits_example(data: PlansData) -> list[Element]:
    plans = current_plans(data)
    rows: list[list[Element | str | None]] = [
        [
            plan.name,
            h(
                "span",
                {"data-plan": plan_id(plan), "data-figure": "monthly"},
                str(plan.credits_per_month),
            ),
            *(str(inmails_per_month(plan.credits_per_month or 0, r)) for r in RESPONSE_RATES),
        ]
        for plan in plans
    ]
    head = ["Plan", "Credits per month", *(f"If {rate}% respond" for rate in RESPONSE_RATES)]
    sources = [source for plan in plans for source in data.sources(plan)]
    return lines(
        block(
            "div",
            {"class": "inmail-credits-example inmail-worked"},
            table(head, rows, numeric=frozenset(range(1, 2 + len(RESPONSE_RATES)))),
            h(
                "p",
                {"class": "inmail-table-note"},
                "InMails you can send in a month, for each plan with a current official "
                "figure (the credits per month are those of the plans table). It assumes that "
                "every response (accepted, declined or replied to) gives its credit back within "
                "the month, and that you send that credit again. Unanswered InMails give nothing "
                "back.",
                cite(sources),
            ),
        )
    )


_RATE_WORDS = ((50, "half of the people you write to respond"), (75, "three in four respond"))
"""(rate in percent, the rate in words) for the walk-through."""


def credits_walkthrough(data: PlansData) -> list[Element]:
    """The worked example in words, for the smallest current plan: no algebra."""
    plans = current_plans(data)
    if not plans:
        raise GuideError("no plan has a current official figure to work through")
    plan = min(plans, key=lambda plan: plan.credits_per_month or 0)
    credits = plan.credits_per_month or 0
    figure = h(
        "span",
        {"class": "inmail-quote"},
        h(
            "span",
            {"data-plan": plan_id(plan), "data-figure": "monthly"},
            f"{credits:,} credits a month",
        ),
        cite(data.sources(plan)),
    )
    items = [
        h(
            "li",
            {},
            f"If nobody responds, you send {credits:,} InMails, and that's it for the month.",
        )
    ]
    for index, (rate, words) in enumerate(_RATE_WORDS):
        how = (
            "each response gives a credit back, and you send it again. Your"
            if not index
            else "your"
        )
        items.append(
            h(
                "li",
                {},
                f"If {words}, {how} {credits:,} credits stretch to about "
                f"{inmails_per_month(credits, rate):,} InMails.",
            )
        )
    return lines(
        block(
            "div",
            {"class": "inmail-worked"},
            h("p", {}, f"Take {plan.name}, which comes with ", figure, "."),
            block("ul", {}, *items),
        )
    )
