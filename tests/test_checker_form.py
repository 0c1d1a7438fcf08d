"""The checker page's form (rendered by the docs extension) and its example drafts.

The examples are data (src/inmail_guide/examples.toml), checked here with the real checker like
the guide's checked drafts; the form carries them, the context questions in the checker's own
words, and the limits the page counts against.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown.serializers import to_html_string

from inmail_checker import check, web
from inmail_checker.registry import RULES_BY_ID
from inmail_checker.render import context_line
from inmail_checker.report import (
    AUDIENCE_LABELS,
    CONTEXT_QUESTIONS,
    STAGE_LABELS,
    VERDICTS,
    Context,
)
from inmail_guide import GuideError
from inmail_guide.checker_form import _examples_data, checker_form
from inmail_guide.examples import DEFAULT_EXAMPLES, Example, check_example, load_examples

EXAMPLES = load_examples()


class _Form(HTMLParser):
    """The form's tags, the text of each element with an id, each label's text by its target,
    and each select's options as (value, text, selected)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.options: dict[str, list[tuple[str, str, bool]]] = {}
        self._open: list[tuple[str, dict[str, str], list[str]]] = []
        self._select = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        self.tags.append((tag, values))
        if tag == "select":
            self._select = values["id"]
            self.options[self._select] = []
        self._open.append((tag, values, []))

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            return
        name, values, parts = self._open.pop()
        text = "".join(parts)
        if self._open:
            self._open[-1][2].append(text)
        if "id" in values:
            self.text[values["id"]] = text
        if name == "label":
            self.labels[values["for"]] = text
        if name == "option":
            self.options[self._select].append((values["value"], text, "selected" in values))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)

    def by_id(self, node_id: str) -> dict[str, str]:
        return next(attrs for _, attrs in self.tags if attrs.get("id") == node_id)


@pytest.fixture(scope="module")
def form() -> _Form:
    return _Form("".join(to_html_string(element) for element in checker_form()))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.id)
def test_each_example_gets_its_claimed_verdict_from_the_real_checker(example) -> None:
    report = check_example(example)
    assert report.verdict == example.verdict


def test_the_examples_are_a_good_one_one_that_needs_work_and_a_pitch() -> None:
    assert [example.verdict for example in EXAMPLES] == list(VERDICTS)
    pitch = check(EXAMPLES[-1].body, EXAMPLES[-1].subject)
    assert any(finding.category == "pitch" for finding in pitch.findings)
    # The one that needs work shows the page's one-click fixes.
    needs_work = check(EXAMPLES[1].body, EXAMPLES[1].subject)
    assert any(finding.rewrites for finding in needs_work.findings)


def test_a_wrong_claim_fails_naming_the_example_and_both_verdicts(tmp_path: Path) -> None:
    text = DEFAULT_EXAMPLES.read_text(encoding="utf-8")
    broken = tmp_path / "examples.toml"
    broken.write_text(text.replace('verdict = "likely-spam"', 'verdict = "looks-genuine"'))
    pitch = load_examples(broken)[-1]
    with pytest.raises(GuideError, match=r"'pitch'.*'looks-genuine'.*'likely-spam'"):
        check_example(pitch)


@pytest.mark.parametrize(
    ("find", "replace", "message"),
    [
        ('id = "good"', 'id = "good"\ncolour = "red"', "unknown key"),
        ('verdict = "looks-genuine"', 'verdict = "fine"', "unknown verdict"),
        ('id = "pitch"', 'id = "good"', "share an id"),
        ('id = "good"', 'id = "good"\ncontext = { stage = "later" }', "bad context"),
    ],
)
def test_bad_example_files_fail_naming_the_problem(
    tmp_path: Path, find: str, replace: str, message: str
) -> None:
    broken = tmp_path / "examples.toml"
    broken.write_text(DEFAULT_EXAMPLES.read_text(encoding="utf-8").replace(find, replace, 1))
    with pytest.raises(GuideError, match=message):
        load_examples(broken)


def test_the_form_carries_the_examples_as_inert_data(form: _Form) -> None:
    # A <template>: never executed (no CSP hash needed), never shown, and not run again by
    # Material's instant navigation as a <script> would be.
    assert ("template", {"id": "inmail-examples-data"}) in form.tags
    parsed = json.loads(form.text["inmail-examples-data"])
    assert parsed == [example.to_dict() for example in EXAMPLES]
    buttons = [attrs["data-example"] for tag, attrs in form.tags if "data-example" in attrs]
    assert buttons == [example.id for example in EXAMPLES]


def test_example_data_cannot_break_out_of_its_element() -> None:
    hostile = Example("x", "x", "likely-spam", "</template><b>", "<!-- & -->", Context())
    html = to_html_string(_examples_data((hostile,)))
    assert html.count("</template>") == 1 and "<b>" not in html and "<!--" not in html
    form = _Form(html)
    assert json.loads(form.text["inmail-examples-data"])[0]["subject"] == "</template><b>"


def test_the_context_questions_use_the_checkers_words_and_default(form: _Form) -> None:
    for name in ("stage", "answered", "audience"):
        assert form.labels[f"inmail-{name}"] == CONTEXT_QUESTIONS[name]
    stage, answered, audience = (
        form.options[f"inmail-{name}"] for name in ("stage", "answered", "audience")
    )
    assert [(value, text) for value, text, _ in stage] == list(STAGE_LABELS.items())
    assert [(value, text) for value, text, _ in audience] == list(AUDIENCE_LABELS.items())
    assert [value for value, _, _ in answered] == ["no", "yes"]
    selected = {
        name: next(value for value, _, chosen in options if chosen)
        for name, options in form.options.items()
    }
    assert selected == {"inmail-stage": "first", "inmail-answered": "no", "inmail-audience": "one"}


def test_the_counts_use_the_checkers_limits(form: _Form) -> None:
    body = form.by_id("inmail-body-count")
    assert int(body["data-limit"]) == RULES_BY_ID["form.near-limit"].params["limit"]
    assert int(body["data-warn-from"]) == RULES_BY_ID["form.near-limit"].params["safe"]
    limits = json.loads(web.ready())["limits"]
    assert int(form.by_id("inmail-subject-count")["data-limit"]) == limits["subject"]
    assert int(form.by_id("inmail-checker")["data-checked-limit"]) == limits["checked"]


def test_reports_say_the_context_only_when_it_is_not_the_default() -> None:
    body, subject = "Hi Ana, just following up. Any thoughts?", "Following up"
    assert context_line(Context()) is None
    plain = web.report_text(body, subject)
    assert "Context:" not in plain
    said = context_line(Context(stage="follow-up", audience="many"))
    assert said == ("Context: a follow-up with no answer yet, answered before: no, sent to: many.")
    assert said in web.report_text(body, subject, "follow-up", False, "many")
    assert said in web.report_text(body, subject, "follow-up", False, "many", markdown=True)
