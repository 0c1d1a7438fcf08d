"""The plans data file (``plans.toml`` beside this module): loaded, validated, and rendered as
the plans table and the worked credits example.

Validation is strict: an unknown key, a wrong type or a malformed date raises ``GuideError``
naming the file and the plan, so a typo cannot silently drop a figure from the site.
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

DEFAULT_PLANS = Path(__file__).with_name("plans.toml")
"""The plans data file the guide is built from."""
RESPONSE_RATES = (10, 25, 50)
"""Response rates, in percent, for the worked credits example."""

_META_KEYS = {"checked"}
_PLAN_KEYS = {
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
_SOURCE_KEYS = {"title", "url"}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str


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
    """``YYYY-MM`` or ``YYYY-MM-DD``."""
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class PlansData:
    checked: str
    """``YYYY-MM-DD``: when the figures were last checked against the sources."""
    plans: tuple[Plan, ...]


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


def _sources(raw: Any, where: str) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        raise GuideError(f"{where}: 'sources' must be a non-empty list of {{title, url}} tables")
    sources = []
    for item in raw:
        if not isinstance(item, dict):
            raise GuideError(f"{where}: each source must be a table with 'title' and 'url'")
        unknown = set(item) - _SOURCE_KEYS
        if unknown:
            raise GuideError(f"{where}: unknown source key(s) {sorted(unknown)}")
        title = _text(item, "title", where + " source", True)
        url = _text(item, "url", where + " source", True)
        if not url.startswith(("https://", "http://")):
            raise GuideError(f"{where}: source url must start with https:// or http://: {url!r}")
        sources.append(Source(title, url))
    return tuple(sources)


def _plan(raw: Any, index: int, filename: str) -> Plan:
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
    return Plan(
        name=_text(raw, "name", where, True),
        product=_text(raw, "product", where, True),
        credits_per_month=_count(raw, "credits_per_month", where),
        credits_note=_text(raw, "credits_note", where, False),
        max_balance=_count(raw, "max_balance", where),
        max_balance_note=_text(raw, "max_balance_note", where, False),
        reload=_text(raw, "reload", where, True),
        uncertain=uncertain,
        as_of=_date(raw.get("as_of"), where, "as_of", month_allowed=True),
        sources=_sources(raw.get("sources"), where),
    )


def parse_plans(text: str, filename: str) -> PlansData:
    """Parse and validate the plans data; errors name ``filename``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GuideError(f"{filename}: {error}") from error
    unknown = set(data) - {"meta", "plan"}
    if unknown:
        raise GuideError(f"{filename}: unknown top-level key(s) {sorted(unknown)}")
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise GuideError(f"{filename}: a [meta] table with 'checked' is required")
    unknown = set(meta) - _META_KEYS
    if unknown:
        raise GuideError(f"{filename}: unknown [meta] key(s) {sorted(unknown)}")
    checked = _date(meta.get("checked"), f"{filename}: [meta]", "checked", month_allowed=False)
    raw_plans = data.get("plan")
    if not isinstance(raw_plans, list) or not raw_plans:
        raise GuideError(f"{filename}: at least one [[plan]] is required")
    plans = tuple(_plan(raw, index, filename) for index, raw in enumerate(raw_plans))
    names = [plan.name for plan in plans]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise GuideError(f"{filename}: duplicate plan name(s) {duplicates}")
    return PlansData(checked, plans)


def load_plans(path: str | os.PathLike[str]) -> PlansData:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise GuideError(f"cannot read the plans data file {file}: {error.strerror}") from error
    return parse_plans(text, str(file))


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


def _with_as_of(figure: Element, as_of: str) -> Element:
    """The as-of date right beside the figure it dates."""
    return append(
        figure, h("br", {}), h("small", {"class": "inmail-as-of"}, "as of ", _time(as_of))
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


def _sources_cell(plan: Plan) -> Element:
    cell = h("span", {"class": "inmail-sources"})
    for index, source in enumerate(plan.sources):
        append(cell, h("br", {}) if index else None, h("a", {"href": source.url}, source.title))
    return cell


def plans_table(data: PlansData) -> list[Element]:
    rows: list[list[Element | str | None]] = [
        [
            _plan_name(plan),
            _with_as_of(_figure(plan.credits_per_month, plan.credits_note), plan.as_of),
            _figure(plan.max_balance, plan.max_balance_note),
            plan.reload,
            _sources_cell(plan),
        ]
        for plan in data.plans
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
        h(
            "p",
            {"class": "inmail-table-note"},
            "Figures checked against the sources on ",
            _time(data.checked),
            ". Plans marked ",
            _uncertain(),
            " have no current official figure: treat them as a rough guide.",
        ),
    )


def inmails_per_month(credits: int, rate_percent: int) -> int:
    """InMails a month's credits stretch to when each response returns its credit.

    Sending S InMails gets ``r * S`` responses, each giving a credit back: S = N + r * S, so
    S = N / (1 - r), rounded down. Integer arithmetic, so no float ever reaches the page.
    """
    return credits * 100 // (100 - rate_percent)


def credits_example(data: PlansData) -> list[Element]:
    plans = [plan for plan in data.plans if plan.credits_per_month is not None]
    rows: list[list[Element | str | None]] = [
        [
            h("span", {}, plan.name, *((" ", _uncertain()) if plan.uncertain else ())),
            str(plan.credits_per_month),
            *(str(inmails_per_month(plan.credits_per_month or 0, r)) for r in RESPONSE_RATES),
        ]
        for plan in plans
    ]
    rates = ", ".join(f"{rate}%" for rate in RESPONSE_RATES)
    head = ["Plan", "Credits per month", *(f"At {rate}% responses" for rate in RESPONSE_RATES)]
    return lines(
        block(
            "div",
            {"class": "inmail-credits-example"},
            table(head, rows, numeric=frozenset(range(1, 2 + len(RESPONSE_RATES)))),
        ),
        h(
            "p",
            {"class": "inmail-table-note"},
            f"InMails you can send in a month at response rates of {rates}. Assumes every "
            "response (accepted, declined or replied to) returns its credit within the same "
            "month and that credit is spent again: N credits stretch to about N ÷ (1 − r) "
            "InMails, rounded down. Unanswered InMails return nothing. Figures as in the plans "
            "table, checked on ",
            _time(data.checked),
            ".",
        ),
    )
