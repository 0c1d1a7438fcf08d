"""Checked example drafts: the text with each finding's exact span marked, the real score and
verdict in words, the findings (each linking to its rule) and the strengths.

Everything here builds ElementTree elements; text is only ever set as element text or
attribute values, so the serializer escapes it and a draft can never inject markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree.ElementTree import Element

from inmail_checker import Report, Rule, check
from inmail_checker.inputs import split_subject
from inmail_checker.registry import Example
from inmail_checker.render import Mark, breakdown, marks, segments, signed
from inmail_checker.report import (
    SEVERITY_LABELS,
    VERDICT_LABELS,
    Context,
    Field,
    Finding,
    Strength,
)

from .errors import GuideError
from .html import append, block, h


def split_draft(text: str) -> tuple[str, str]:
    """(subject, body) from draft text, by the same convention as the CLI's draft files: a
    first line ``Subject: ...`` is the subject, and the rest, after one optional blank line,
    is the body."""
    draft = split_subject(text)
    return draft.subject, draft.body


def rule_href(link_base: str, rule_id: str) -> str:
    """Where a rule is documented: its section on the rules page, whose anchor is its id."""
    return f"{link_base}rules.md#{rule_id}"


def marked_text(element: Element, text: str, field_marks: Sequence[Mark]) -> Element:
    """Append ``text`` to ``element``, wrapping each marked stretch in ``<mark>``: a stretch
    covered by several findings takes the class of the most severe and lists every message in
    its title (see :func:`inmail_checker.render.segments`)."""
    for segment in segments(text, field_marks):
        chunk = text[segment.start : segment.end]
        if not segment.marks:
            append(element, chunk)
            continue
        title = " ".join(dict.fromkeys(m.label for m in segment.marks))
        attrs = {"class": f"inmail-mark inmail-mark--{segment.kind}", "title": title}
        append(element, h("mark", attrs, chunk))
    return element


SHORTEN_OVER = 360
"""Characters: a rule's example longer than this is shown shortened, the whole of it behind a
disclosure."""
_HEAD = 140
_BEFORE = 50
_AFTER = 120


def _to_space(text: str, index: int, step: int) -> int:
    """``index`` moved to the nearest space in the direction of ``step`` (within 20 characters),
    so an excerpt does not cut a word."""
    for moved in range(index, index + 20 * step, step):
        if moved <= 0 or moved >= len(text):
            return max(0, min(len(text), moved))
        if text[moved - 1].isspace():
            return moved
    return index


def excerpt_windows(text: str, field_marks: Sequence[Mark]) -> list[tuple[int, int]]:
    """The stretches of a long text to show: its start, and some words around the start of
    each mark, merged where they meet."""
    wanted = [(0, _HEAD)] + [(m.start - _BEFORE, m.start + _AFTER) for m in field_marks]
    windows: list[tuple[int, int]] = []
    for start, end in sorted(wanted):
        start = _to_space(text, max(0, start), -1)
        end = _to_space(text, min(len(text), end), 1)
        if windows and start <= windows[-1][1] + 20:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


def shortened_text(element: Element, text: str, field_marks: Sequence[Mark]) -> Element:
    """Like :func:`marked_text`, for the excerpt windows only, with "…" for what is left out."""
    windows = excerpt_windows(text, field_marks)
    for index, (start, end) in enumerate(windows):
        if start > 0 or index:
            append(element, h("span", {"class": "inmail-gap", "title": "Text left out"}, " … "))
        inside = [
            Mark(max(m.start, start) - start, min(m.end, end) - start, m.kind, m.label, m.index)
            for m in field_marks
            if m.start < end and m.end > start
        ]
        marked_text(element, text[start:end], inside)
    if windows[-1][1] < len(text):
        append(element, h("span", {"class": "inmail-gap", "title": "Text left out"}, " …"))
    return element


def _marks(items: Sequence[Finding | Strength], field: Field) -> list[Mark]:
    """The marks of a draft shown in the guide: what the rules found (the learned score's clues
    are listed with its finding, not marked)."""
    return marks([item for item in items if not item.clues], field)


def _message(
    subject: str,
    body: str,
    items: Sequence[Finding | Strength],
    *,
    show_empty: bool,
    shorten: bool = False,
) -> Element:
    """The draft as the recipient would see it: subject line, then the body. With ``shorten``,
    a long body is shown in excerpts, the whole of it behind a disclosure."""
    parts: list[Element] = []
    if subject or show_empty:
        line = h("p", {"class": "inmail-draft__subject"})
        append(line, h("span", {"class": "inmail-draft__field"}, "Subject"), " ")
        if subject:
            append(
                line,
                marked_text(
                    h("span", {"class": "inmail-draft__text"}), subject, _marks(items, "subject")
                ),
            )
        else:
            append(line, h("span", {"class": "inmail-draft__empty"}, "(no subject)"))
        parts.append(line)
    if body.strip() or show_empty:
        text = h("p", {"class": "inmail-draft__body"})
        body_marks = _marks(items, "body")
        if not body.strip():
            append(text, h("span", {"class": "inmail-draft__empty"}, "(no message)"))
        elif shorten and len(body) > SHORTEN_OVER:
            shortened_text(text, body, body_marks)
            parts.append(text)
            text = block(
                "details",
                {"class": "inmail-full"},
                h("summary", {}, f"Show the whole message ({len(body):,} characters)"),
                marked_text(h("p", {"class": "inmail-draft__body"}), body, body_marks),
            )
        else:
            marked_text(text, body, body_marks)
        parts.append(text)
    return block("div", {"class": "inmail-draft__message"}, *parts)


def _rule_link(rule_id: str, link_base: str) -> Element:
    return h(
        "a",
        {"class": "inmail-rule-link", "href": rule_href(link_base, rule_id)},
        h("code", {}, rule_id),
    )


def _finding_item(finding: Finding, link_base: str) -> Element:
    return h(
        "li",
        {"class": f"inmail-finding inmail-finding--{finding.severity}"},
        h("span", {"class": "inmail-points"}, signed(-finding.points)),
        " ",
        h(
            "span",
            {"class": f"inmail-severity inmail-severity--{finding.severity}"},
            SEVERITY_LABELS[finding.severity],
        ),
        " ",
        finding.message,
        " ",
        _rule_link(finding.rule, link_base),
    )


def _strength_item(strength: Strength, link_base: str) -> Element:
    return h(
        "li",
        {"class": "inmail-strength"},
        h("span", {"class": "inmail-bonus"}, f"+{strength.points}"),
        " ",
        strength.message,
        " ",
        _rule_link(strength.rule, link_base),
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def render_draft(title: str, subject: str, body: str, report: Report, link_base: str) -> Element:
    """A checked draft, as shown in the guide."""
    verdict = report.verdict
    findings = [_finding_item(f, link_base) for f in report.findings]
    strengths = [_strength_item(s, link_base) for s in report.strengths]
    problems_label = _plural(len(findings), "problem", "problems") if findings else "No problems"
    return block(
        "div",
        {
            "class": f"inmail-draft inmail-draft--{verdict}",
            "role": "group",
            "aria-label": f"Example draft: {title}",
        },
        block(
            "div",
            {"class": "inmail-draft__header"},
            h("p", {"class": "inmail-draft__title"}, title),
            h(
                "p",
                {"class": f"inmail-verdict inmail-verdict--{verdict}"},
                h("span", {"class": "inmail-verdict__label"}, VERDICT_LABELS[verdict]),
                " ",
                h(
                    "span",
                    {"class": "inmail-verdict__score"},
                    "score ",
                    h("strong", {}, str(report.score)),
                    "/100",
                ),
            ),
        ),
        _message(subject, body, [*report.findings, *report.strengths], show_empty=True),
        block(
            "div",
            {"class": "inmail-draft__report"},
            h("p", {"class": "inmail-draft__label"}, problems_label),
            block("ul", {"class": "inmail-findings"}, *findings) if findings else None,
            h("p", {"class": "inmail-draft__label"}, "Strengths") if strengths else None,
            block("ul", {"class": "inmail-strengths"}, *strengths) if strengths else None,
            h("p", {"class": "inmail-draft__sum"}, "Score: ", breakdown(report)),
        ),
    )


def checked_draft(
    title: str, text: str, claimed_verdict: str, link_base: str
) -> tuple[Element, Report]:
    """Check a draft written in the docs and render it; fail if its claimed verdict is wrong."""
    if claimed_verdict not in VERDICT_LABELS:
        raise GuideError(
            f"inmail-draft {title!r}: unknown verdict {claimed_verdict!r} "
            f"(use one of {', '.join(VERDICT_LABELS)})"
        )
    subject, body = split_draft(text)
    report = check(body, subject)
    if report.verdict != claimed_verdict:
        fired = ", ".join(dict.fromkeys(f.rule for f in report.findings)) or "none"
        raise GuideError(
            f"inmail-draft {title!r}: claims verdict {claimed_verdict!r} but the checker gives "
            f"{report.verdict!r} (score {report.score}; findings: {fired})"
        )
    return render_draft(title, subject, body, report, link_base), report


def render_example(rule: Rule, example: Example, flagged: bool, link_base: str) -> Element:
    """One of a rule's own examples, showing only what that rule finds in it."""
    report = check(example.body, example.subject, context=Context(**example.context))
    everything: list[Finding | Strength] = [*report.findings, *report.strengths]
    # The example is about this rule alone.
    items = [item for item in everything if item.rule == rule.id]
    if flagged and not items:
        raise GuideError(f"rule {rule.id}: its flagged example is not flagged: {example}")
    if not flagged and items:
        raise GuideError(f"rule {rule.id}: its clean example is flagged: {example}")
    label = ("Strength found" if rule.is_strength else "Flagged") if flagged else "Not flagged"
    listing = None
    if items:
        listing = block(
            "ul",
            {"class": "inmail-strengths" if rule.is_strength else "inmail-findings"},
            *(
                _strength_item(item, link_base)
                if isinstance(item, Strength)
                else _finding_item(item, link_base)
                for item in items
            ),
        )
    state = "flagged" if flagged else "clean"
    return block(
        "div",
        {"class": f"inmail-example inmail-example--{state}"},
        h("p", {"class": "inmail-example__label"}, label),
        _message(example.subject, example.body, items, show_empty=False, shorten=True),
        listing,
    )
