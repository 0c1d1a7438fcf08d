"""The checker's form and result panel, rendered from Python so the limits it counts against, the
words it shows (context questions and answers) and its example drafts come from the checker
and the guide's data. The page script (docs/assets/checker/) finds its parts by their ids and
brings them to life; without it the form still shows, and says so.

Layout: the draft column (examples menu, subject, message, the three context questions,
actions), the score bar (shown on narrow screens when the result is out of view), and the
result column (sticky beside the draft on wide screens).
"""

from __future__ import annotations

import json
from xml.etree.ElementTree import Element

from inmail_checker.registry import RULES_BY_ID
from inmail_checker.report import (
    ANSWERED_LABELS,
    AUDIENCE_LABELS,
    CONTEXT_QUESTIONS,
    MAX_CHECKED,
    NO_CONTEXT,
    STAGE_LABELS,
)

from .examples import Example, checked_examples
from .html import block, h, lines

_LIMITS = RULES_BY_ID["form.near-limit"].params
_SUBJECT_LIMIT = RULES_BY_ID["subject.too-long"].params["limit"]


def _count(field_id: str, limit: int, warn_from: int) -> Element:
    """The live count; the page script reads the limits from its data attributes."""
    return h(
        "span",
        {
            "class": "inmail-count",
            "id": f"{field_id}-count",
            "data-limit": str(limit),
            "data-warn-from": str(warn_from),
        },
        f"0 / {limit:,} characters",
    )


def _field(field_id: str, label: str, limits: tuple[int, int], textarea: dict[str, str]) -> Element:
    return block(
        "div",
        {"class": "inmail-checker__field"},
        block(
            "div",
            {"class": "inmail-checker__label-row"},
            h("label", {"for": field_id}, label),
            _count(field_id, *limits),
        ),
        block(
            "div",
            {"class": "inmail-editor"},
            h(
                "div",
                {
                    "class": "inmail-editor__backdrop",
                    "id": f"{field_id}-backdrop",
                    "aria-hidden": "true",
                },
            ),
            h(
                "textarea",
                {
                    "id": field_id,
                    "autocomplete": "off",
                    "spellcheck": "true",
                    "aria-describedby": f"{field_id}-count",
                    **textarea,
                },
            ),
        ),
    )


def _question(name: str, options: dict[str, str], default: str) -> Element:
    """One context question: a label and a select, its answers in the checker's words."""
    field_id = f"inmail-{name}"
    return block(
        "div",
        {"class": "inmail-context__question"},
        h("label", {"for": field_id}, CONTEXT_QUESTIONS[name]),
        block(
            "select",
            {"id": field_id, "name": name},
            *(
                h(
                    "option",
                    {"value": value, "selected": "selected" if value == default else None},
                    text,
                )
                for value, text in options.items()
            ),
        ),
    )


def _context() -> Element:
    """The three questions the text can't answer, with the default context selected."""
    answered = {"yes" if value else "no": text for value, text in ANSWERED_LABELS.items()}
    return block(
        "fieldset",
        {"class": "inmail-context", "id": "inmail-context"},
        h("legend", {}, "What the text can’t show"),
        _question("stage", {str(k): v for k, v in STAGE_LABELS.items()}, NO_CONTEXT.stage),
        _question("answered", answered, "yes" if NO_CONTEXT.answered else "no"),
        _question("audience", {str(k): v for k, v in AUDIENCE_LABELS.items()}, NO_CONTEXT.audience),
    )


def _examples(examples: tuple[Example, ...]) -> Element:
    """The "Try an example" menu: a disclosure with one button per example, and the question
    the page asks before an example replaces a draft."""
    return block(
        "details",
        {"class": "inmail-examples", "id": "inmail-examples"},
        h("summary", {"class": "inmail-examples__summary"}, "Try an example"),
        block(
            "div",
            {"class": "inmail-examples__panel"},
            block(
                "ul",
                {"class": "inmail-examples__list"},
                *(
                    h(
                        "li",
                        {},
                        h(
                            "button",
                            {
                                "type": "button",
                                "class": "inmail-examples__item",
                                "data-example": example.id,
                            },
                            example.label,
                        ),
                    )
                    for example in examples
                ),
            ),
            block(
                "div",
                {
                    "class": "inmail-examples__confirm",
                    "id": "inmail-examples-confirm",
                    "hidden": "hidden",
                },
                h("p", {"id": "inmail-examples-question", "tabindex": "-1"}),
                h(
                    "button",
                    {"type": "button", "class": "md-button", "id": "inmail-examples-replace"},
                    "Replace my draft",
                ),
                h(
                    "button",
                    {"type": "button", "class": "md-button", "id": "inmail-examples-keep"},
                    "Keep my draft",
                ),
            ),
        ),
    )


def _examples_data(examples: tuple[Example, ...]) -> Element:
    """The examples' text, as JSON in a <template> that the page script reads: inert (never
    executed, never shown), and left alone by Material's instant navigation, which runs every
    <script> of a new page again whatever its type."""
    text = json.dumps([example.to_dict() for example in examples], ensure_ascii=False)
    return h("template", {"id": "inmail-examples-data"}, text)


def _button(button_id: str, text: str, disabled: bool = False) -> Element:
    return h(
        "button",
        {
            "type": "button",
            "class": "md-button",
            "id": button_id,
            "disabled": "disabled" if disabled else None,
        },
        text,
    )


def _aside() -> Element:
    """Where the end of a paste too long to check waits: the page fills in the text and shows
    it (a box holding a megabyte freezes the page; the checker reads MAX_CHECKED characters)."""
    return block(
        "div",
        {"class": "inmail-aside", "id": "inmail-aside", "hidden": "hidden"},
        h("p", {"class": "inmail-aside__text", "id": "inmail-aside-text"}),
        block(
            "div",
            {"class": "inmail-checker__actions"},
            _button("inmail-aside-copy", "Copy the set-aside text"),
            _button("inmail-aside-save", "Save it as a file"),
            _button("inmail-aside-discard", "Discard it"),
        ),
    )


def _score_bar() -> Element:
    """The compact score on narrow screens: it stays in view while the result is out of it, and
    jumps to the details."""
    return h(
        "a",
        {
            "class": "inmail-scorebar",
            "id": "inmail-scorebar",
            "href": "#inmail-result",
            "hidden": "hidden",
        },
        h(
            "span",
            {"class": "inmail-scorebar__score"},
            h("span", {"id": "inmail-scorebar-score"}, "–"),
            " / 100",
        ),
        " ",
        h(
            "span",
            {"class": "inmail-verdict inmail-scorebar__verdict", "id": "inmail-scorebar-verdict"},
        ),
        " ",
        h("span", {"class": "inmail-scorebar__problems", "id": "inmail-scorebar-problems"}),
        " ",
        h(
            "span",
            {"class": "inmail-updating", "id": "inmail-scorebar-updating", "hidden": "hidden"},
            "Updating…",
        ),
        " ",
        h("span", {"class": "inmail-scorebar__go"}, "Details"),
    )


def _result() -> Element:
    return block(
        "section",
        {
            "class": "inmail-result is-empty",
            "id": "inmail-result",
            "data-score": "",
            "data-verdict": "",
            "data-state": "empty",
            "aria-labelledby": "inmail-result-heading",
            "tabindex": "-1",
        },
        h(
            "h2",
            {"class": "inmail-visually-hidden", "id": "inmail-result-heading"},
            "Result",
        ),
        block(
            "div",
            {"class": "inmail-result__head", "id": "inmail-result-head"},
            h(
                "p",
                {"class": "inmail-result__score"},
                h("span", {"id": "inmail-score"}, "–"),
                h("span", {"class": "inmail-result__out-of"}, " / 100"),
            ),
            h(
                "p",
                {"class": "inmail-verdict inmail-result__verdict", "id": "inmail-verdict"},
                h("span", {"class": "inmail-result__placeholder"}, "No result yet"),
            ),
            h(
                "p",
                {"class": "inmail-updating", "id": "inmail-updating", "hidden": "hidden"},
                "Updating…",
            ),
        ),
        h(
            "p",
            {"class": "inmail-status", "id": "inmail-status", "aria-live": "polite"},
            "The checker starts when this page’s script runs.",
        ),
        block(
            "div",
            {"id": "inmail-details", "hidden": "hidden"},
            h("p", {"class": "inmail-sum", "id": "inmail-sum"}),
            h("h3", {"id": "inmail-findings-heading"}, "Problems"),
            h(
                "ol",
                {
                    "class": "inmail-findings",
                    "id": "inmail-findings",
                    "aria-labelledby": "inmail-findings-heading",
                },
            ),
            h("h3", {"id": "inmail-strengths-heading"}, "Strengths"),
            h(
                "ul",
                {
                    "class": "inmail-result-strengths",
                    "id": "inmail-strengths",
                    "aria-labelledby": "inmail-strengths-heading",
                },
            ),
        ),
    )


def checker_form() -> list[Element]:
    examples = checked_examples()
    subject = _field(
        "inmail-subject",
        "Subject",
        (_SUBJECT_LIMIT, _SUBJECT_LIMIT),
        {
            "class": "inmail-editor__input inmail-editor__input--subject",
            "rows": "1",
            "placeholder": "What the message is about, in a few words",
        },
    )
    body = _field(
        "inmail-body",
        "Message",
        (_LIMITS["limit"], _LIMITS["safe"]),
        {
            "class": "inmail-editor__input inmail-editor__input--body",
            "rows": "12",
            "placeholder": "Hi Sam, I read your post on …",
        },
    )
    draft = block(
        "div",
        {"class": "inmail-checker__draft"},
        block("div", {"class": "inmail-checker__toolbar"}, _examples(examples)),
        subject,
        body,
        _context(),
        block(
            "div",
            {"class": "inmail-checker__actions"},
            _button("inmail-copy-text", "Copy report", disabled=True),
            _button("inmail-copy-markdown", "Copy as Markdown", disabled=True),
            _button("inmail-clear", "Clear"),
        ),
        h("p", {"class": "inmail-notice", "id": "inmail-notice", "aria-live": "polite"}),
        _aside(),
    )
    checker = block(
        "div",
        {
            "id": "inmail-checker",
            "class": "inmail-checker",
            "data-state": "static",
            # A paste that would take a field past what the checker reads is cut there.
            "data-checked-limit": str(MAX_CHECKED),
        },
        draft,
        _score_bar(),
        _result(),
        _examples_data(examples),
    )
    return lines(checker)
