"""The report's JSON Schema, shown verbatim from the file the CLI and the tests validate against."""

from __future__ import annotations

import json
from importlib import resources
from xml.etree.ElementTree import Element

from .errors import GuideError
from .html import h, lines

SCHEMA_FILE = "report.schema.json"


def schema_text() -> str:
    """The schema file's text; a missing or broken file stops the build with a clear message."""
    resource = resources.files("inmail_checker") / SCHEMA_FILE
    try:
        text = resource.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError) as error:
        raise GuideError(
            f"[inmail:report-schema]: the schema file src/inmail_checker/{SCHEMA_FILE} is missing"
        ) from error
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise GuideError(
            f"[inmail:report-schema]: src/inmail_checker/{SCHEMA_FILE} is not valid JSON: {error}"
        ) from error
    return text


def report_schema() -> list[Element]:
    return lines(
        h(
            "pre",
            {"class": "inmail-schema"},
            h("code", {"class": "language-json"}, schema_text().rstrip("\n")),
        )
    )


EXAMPLE_SUBJECT = "Your talk on queues"
EXAMPLE_BODY = "Hi Ana 👋 could we book a demo next week? Thanks, Raj"
_SHOWN = 60
"""Longer strings in the example are cut here, with "…"."""


def _shortened(value: object) -> object:
    if isinstance(value, str):
        return value if len(value) <= _SHOWN else value[: _SHOWN - 1].rstrip() + "…"
    if isinstance(value, list):
        return [_shortened(item) for item in value]
    if isinstance(value, dict):
        return {key: _shortened(item) for key, item in value.items()}
    return value


def report_example() -> list[Element]:
    """What ``inmail-check --format json`` prints for the example draft, run now: the page's
    example is never out of date. Long strings are cut with "…"."""
    from inmail_checker import check

    report = check(EXAMPLE_BODY, EXAMPLE_SUBJECT).to_dict()
    text = json.dumps(_shortened(report), ensure_ascii=False, indent=2)
    return lines(h("pre", {}, h("code", {"class": "language-json"}, text)))
