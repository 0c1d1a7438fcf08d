"""The checker's form and result panel, rendered from Python so the limits it counts against and
the words it shows come from the checker itself. The page script (docs/assets/checker/) finds
its parts by their ids and brings them to life; without it the form still shows, and says so.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from inmail_checker.registry import RULES_BY_ID

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


def checker_form() -> list[Element]:
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
    result = block(
        "section",
        {
            "class": "inmail-result is-empty",
            "id": "inmail-result",
            "data-score": "",
            "data-verdict": "",
            "aria-labelledby": "inmail-result-heading",
        },
        h("h2", {"class": "inmail-visually-hidden", "id": "inmail-result-heading"}, "Result"),
        block(
            "div",
            {"class": "inmail-result__head"},
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
        ),
        h(
            "p",
            {"class": "inmail-status", "id": "inmail-status", "aria-live": "polite"},
            "The checker starts when this page’s script runs.",
        ),
        block(
            "div",
            {"id": "inmail-details", "hidden": "hidden"},
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
    checker = block(
        "div",
        {"id": "inmail-checker", "class": "inmail-checker", "data-state": "static"},
        block("div", {"class": "inmail-checker__fields"}, subject, body),
        block(
            "div",
            {"class": "inmail-checker__actions"},
            h(
                "button",
                {
                    "type": "button",
                    "class": "md-button",
                    "id": "inmail-copy",
                    "disabled": "disabled",
                },
                "Copy report",
            ),
            h("button", {"type": "button", "class": "md-button", "id": "inmail-clear"}, "Clear"),
        ),
        h("p", {"class": "inmail-notice", "id": "inmail-notice", "aria-live": "polite"}),
        result,
    )
    return lines(checker)
