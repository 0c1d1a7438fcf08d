"""The guide's sources (``sources.toml`` beside this module): loaded, validated, cited and listed.

One citation style for the whole site comes from here: the short marker in the text
(:func:`cite`), the "Checked:" line of each page (:func:`checked_line`) and the Sources page
(:func:`sources_list`). Facts (``inmail_checker/facts.toml``) name their source by address;
:meth:`Catalogue.by_url` finds it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from .errors import GuideError
from .html import append, block, h, lines

DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")
GROUPS = ("help", "policies", "blogs", "press")
"""The Sources page's sections."""
GUIDE = "guide"
"""The group of the guide's own pages, cited for figures no outside source confirms."""
_KEYS = {"label", "name", "url", "group", "checked", "published", "about"}
_REQUIRED = _KEYS - {"published"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>0[1-9]|1[0-2])(?:-(?P<day>\d{2}))?)?$")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_text(value: str) -> str:
    """``2026-11`` → ``November 2026``; ``2022-05-24`` → ``24 May 2022``; ``2021`` → ``2021``."""
    match = _DATE.match(value)
    if not match:
        raise GuideError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    text = match["year"]
    if match["month"]:
        text = f"{MONTHS[int(match['month']) - 1]} {text}"
    if match["day"]:
        text = f"{int(match['day'])} {text}"
    return text


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    label: str
    """The short marker in the text, e.g. ``Help 75``."""
    name: str
    url: str
    group: str
    checked: str
    """``YYYY-MM``: when the source was last read against the guide."""
    published: str
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` for a dated article, else empty."""
    about: str

    @property
    def checked_text(self) -> str:
        return month_text(self.checked)

    @property
    def published_text(self) -> str:
        return month_text(self.published) if self.published else ""


@dataclass(frozen=True, slots=True)
class Catalogue:
    sources: tuple[Source, ...]

    def __getitem__(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(source.id for source in self.sources)
        raise GuideError(f"unknown source {source_id!r} (known: {known})")

    def by_url(self, url: str) -> Source | None:
        return next((source for source in self.sources if source.url == url), None)


def _source(source_id: str, raw: Any, filename: str) -> Source:
    where = f"{filename}: source {source_id!r}"
    if not _ID.match(source_id):
        raise GuideError(f"{where}: ids are lower-case words joined by hyphens")
    if not isinstance(raw, Mapping):
        raise GuideError(f"{where}: must be a table")
    unknown = set(raw) - _KEYS
    if unknown:
        raise GuideError(f"{where}: unknown key(s) {sorted(unknown)}")
    missing = _REQUIRED - set(raw)
    if missing:
        raise GuideError(f"{where}: missing key(s) {sorted(missing)}")
    if not all(isinstance(value, str) and value.strip() for value in raw.values()):
        raise GuideError(f"{where}: every value must be non-empty text")
    if raw["group"] not in (*GROUPS, GUIDE):
        raise GuideError(f"{where}: group must be one of {', '.join((*GROUPS, GUIDE))}")
    if raw["group"] == GUIDE and not re.match(r"^/[a-z0-9-]+\.md(#[a-z0-9-]+)?$", raw["url"]):
        raise GuideError(f"{where}: a page of the guide is cited as /page.md#section")
    if raw["group"] != GUIDE and not raw["url"].startswith(("https://", "http://")):
        raise GuideError(f"{where}: url must start with https:// or http://")
    if not _MONTH.match(raw["checked"]):
        raise GuideError(f"{where}: 'checked' must be YYYY-MM, not {raw['checked']!r}")
    published = raw.get("published", "")
    if published and not _DATE.match(published):
        raise GuideError(f"{where}: 'published' must be YYYY, YYYY-MM or YYYY-MM-DD")
    return Source(
        id=source_id,
        label=raw["label"].strip(),
        name=raw["name"].strip(),
        url=raw["url"].strip(),
        group=raw["group"],
        checked=raw["checked"],
        published=published,
        about=" ".join(raw["about"].split()),
    )


def parse_sources(text: str, filename: str) -> Catalogue:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GuideError(f"{filename}: {error}") from error
    sources = tuple(_source(key, raw, filename) for key, raw in data.items())
    for attribute in ("url", "label"):
        values = [getattr(source, attribute) for source in sources]
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            raise GuideError(f"{filename}: the same {attribute} twice: {duplicates}")
    return Catalogue(sources)


_CACHE: dict[str, tuple[float, Catalogue]] = {}


def load_sources(path: str | os.PathLike[str] = DEFAULT_SOURCES) -> Catalogue:
    """The catalogue in ``path`` (read again only when the file changes)."""
    file = Path(path)
    try:
        stamp = file.stat().st_mtime
        cached = _CACHE.get(str(file))
        if cached and cached[0] == stamp:
            return cached[1]
        catalogue = parse_sources(file.read_text(encoding="utf-8"), str(file))
    except OSError as error:
        raise GuideError(f"cannot read the sources file {file}: {error.strerror}") from error
    _CACHE[str(file)] = (stamp, catalogue)
    return catalogue


# --- Rendering ------------------------------------------------------------------------------


def source_link(source: Source, text: str | None = None) -> Element:
    """A link to a source, its full name and date in the tooltip."""
    when = f", published {source.published_text}" if source.published else ""
    return h(
        "a",
        {
            "href": source.url,
            "class": "inmail-source",
            "title": f"{source.name}{when}. Checked {source.checked_text}.",
        },
        text or source.label,
    )


def cite(sources: Iterable[Source]) -> Element:
    """The short marker after a claim: its sources' labels, linked, in a superscript."""
    marker = h("sup", {"class": "inmail-cite"})
    for index, source in enumerate(dict.fromkeys(sources)):
        append(marker, ", " if index else None, source_link(source))
    return marker


def checked_line(sources: Iterable[Source], sources_page: str) -> Element:
    """``Checked: November 2026``: the oldest check among the sources a page cites."""
    oldest = min(source.checked for source in sources)
    return h(
        "p",
        {"class": "inmail-checked"},
        "Checked: ",
        h("time", {"datetime": oldest}, month_text(oldest)),
        ". ",
        h("a", {"href": sources_page}, "How we check our sources"),
    )


def _rows(sources: Iterable[Source]) -> list[list[Source]]:
    """Sources in file order; those that share a description (read together) share a row."""
    rows: dict[str, list[Source]] = {}
    for source in sources:
        rows.setdefault(source.about, []).append(source)
    return list(rows.values())


def sources_list(catalogue: Catalogue, group: str) -> list[Element]:
    """One group of the Sources page: a table of Help answers, a list for the others."""
    members = [source for source in catalogue.sources if source.group == group]
    if not members:
        raise GuideError(f"no sources in group {group!r}")
    if group == "help":
        rows = []
        for row in _rows(members):
            links: list[Element | str] = []
            for index, source in enumerate(row):
                links += [", " if index else "", source_link(source, source.id.split("-", 1)[1])]
            rows.append(
                block(
                    "tr",
                    {},
                    h("td", {"data-label": "Answer"}, *links),
                    h("td", {"data-label": "What we use it for"}, row[0].about),
                    h("td", {"data-label": "Checked"}, month_text(row[0].checked)),
                )
            )
        head = block(
            "tr",
            {},
            h("th", {}, "Answer"),
            h("th", {}, "What we use it for"),
            h("th", {}, "Checked"),
        )
        table = block("table", {}, block("thead", {}, head), block("tbody", {}, *rows))
        return lines(block("div", {"class": "inmail-sources-table"}, table))
    items = []
    for source in members:
        dated = f" ({source.published_text})" if source.published else ""
        items.append(
            h(
                "li",
                {},
                source_link(source, source.name),
                f"{dated}. {source.about}. Checked {source.checked_text}.",
            )
        )
    return lines(block("ul", {"class": "inmail-sources-list"}, *items))
