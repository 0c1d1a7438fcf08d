"""Subject-line swaps, checked at build time: a table whose left column the checker must flag
and whose right column it must leave alone.

    ```inmail-subjects
    Quick question => Your talk on data contracts at PyCon
    ```

Each line is a subject to avoid, ``=>``, and a better one. The table shows what the checker
says about the first (its findings, each linking to its rule), so a claim such as "the checker
flags every subject in the left column" is true by construction: the build fails otherwise.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from inmail_checker import check

from .drafts import rule_href
from .errors import GuideError
from .html import append, h, table

SEPARATOR = "=>"
_BODY = "Hi Ana, I enjoyed your talk on caching. May I ask how you chose the eviction policy?"
"""A plain body, so that only the subject line is judged."""


def subject_findings(subject: str) -> list[tuple[str, str]]:
    """(rule id, title) of each finding about the subject line."""
    report = check(_BODY, subject)
    return [(f.rule, f.title) for f in report.findings if f.field == "subject"]


def subject_swaps(title: str, text: str, link_base: str) -> Element:
    rows: list[list[Element | str | None]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        bad, separator, good = (part.strip() for part in line.partition(SEPARATOR))
        if not separator or not bad or not good:
            raise GuideError(f"{title}: line {number} must be 'subject to avoid => better one'")
        flagged = subject_findings(bad)
        if not flagged:
            raise GuideError(f"{title}: the checker finds nothing wrong with the subject {bad!r}")
        left_alone = subject_findings(good)
        if left_alone:
            rules = ", ".join(rule for rule, _ in left_alone)
            raise GuideError(f"{title}: the checker flags the better subject {good!r} ({rules})")
        said = h("span", {})
        for index, (rule, rule_title) in enumerate(flagged):
            append(
                said,
                "; " if index else None,
                h("a", {"href": rule_href(link_base, rule)}, rule_title),
            )
        rows.append(
            [
                h("span", {"class": "inmail-subject"}, bad),
                said,
                h("span", {"class": "inmail-subject"}, good),
            ]
        )
    if not rows:
        raise GuideError(f"{title}: no subject lines")
    return h(
        "div",
        {"class": "inmail-swaps", "role": "group", "aria-label": title},
        table(["Instead of", "The checker flags", "Try"], rows),
    )
