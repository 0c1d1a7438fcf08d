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
