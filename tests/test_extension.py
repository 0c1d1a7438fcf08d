"""The `inmail` Markdown extension: golden HTML, errors, and completeness of generated pages.

Goldens live in tests/golden/<name>.md (input) and <name>.html (expected output). To accept
new output after an intended change, run:

    INMAIL_REGEN_GOLDEN=1 pytest tests/test_extension.py

and review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import os
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from inmail_checker import RULES, check
from inmail_checker.registry import ALL_RULES, CATEGORIES
from inmail_checker.render import Mark, breakdown, signed
from inmail_checker.scoring import CEILING_SCORES, MODEL, THRESHOLDS, points
from inmail_guide import GuideError, schema_block
from inmail_guide.drafts import marked_text, split_draft
from inmail_guide.extension import InMailExtension, makeExtension
from inmail_guide.html import h
from inmail_guide.scoring_page import verdict_ranges

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURE_PLANS = GOLDEN / "plans.toml"
REGENERATE = os.environ.get("INMAIL_REGEN_GOLDEN") == "1"


def render(text: str, plans_file: Path = FIXTURE_PLANS, **options: str) -> str:
    extensions = [
        "admonition",
        "attr_list",
        "md_in_html",
        "toc",
        "pymdownx.superfences",
        "pymdownx.tabbed",
        InMailExtension(plans_file=str(plans_file), **options),
    ]
    configs = {"pymdownx.tabbed": {"alternate_style": True}}
    return markdown.markdown(text, extensions=extensions, extension_configs=configs)


class Elements(HTMLParser):
    """Every start tag of an HTML fragment, with its attributes, and the text by element id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open_ids: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        self.tags.append((tag, values))
        if "id" in values:
            self._open_ids.append((tag, values["id"]))
            self.text_by_id[values["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open_ids and self._open_ids[-1][0] == tag:
            self._open_ids.pop()

    def handle_data(self, data: str) -> None:
        for _, element_id in self._open_ids:
            self.text_by_id[element_id] += data

    def with_class(self, name: str) -> list[dict[str, str]]:
        return [attrs for _, attrs in self.tags if name in attrs.get("class", "").split()]

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}


# --- Golden HTML ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["draft", "nested", "plans"])
def test_golden(name: str) -> None:
    html = render((GOLDEN / f"{name}.md").read_text(encoding="utf-8")) + "\n"
    expected_file = GOLDEN / f"{name}.html"
    if REGENERATE:
        expected_file.write_text(html, encoding="utf-8")
    assert expected_file.exists(), f"no golden file {expected_file}: run with INMAIL_REGEN_GOLDEN=1"
    assert html == expected_file.read_text(encoding="utf-8")


# --- Drafts ---------------------------------------------------------------------------------


def test_draft_text_is_escaped_and_never_parsed_as_markdown() -> None:
    html = render((GOLDEN / "draft.md").read_text(encoding="utf-8"))
    assert "<script" not in html
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp;' in html
    assert "*not emphasis* [not a link](x) {: .not-attrs }" in html
    assert "<em>" not in html
    assert 'aria-label="Example draft: A pitch &lt;in&gt; disguise &amp; more"' in html


def test_draft_shows_the_real_score_verdict_and_findings() -> None:
    subject = "Quick question"
    body = "Hi {first_name}, our platform helps companies like yours. Do you have 15 minutes?"
    report = check(body, subject)
    assert report.verdict == "likely-spam"
    html = render(
        f'```inmail-draft verdict="likely-spam" title="T"\nSubject: {subject}\n{body}\n```'
    )
    found = Elements(html)
    score = found.with_class("inmail-verdict__score")
    assert len(score) == 1
    assert f"score <strong>{report.score}</strong>/100" in html
    assert ">Likely spam<" in html
    # One list item per finding, each linking to its rule's section.
    assert len(found.with_class("inmail-finding")) == len(report.findings)
    links = [attrs["href"] for attrs in found.with_class("inmail-rule-link")]
    for finding in report.findings:
        assert f"/rules.md#{finding.rule}" in links
    # Every finding with a span is highlighted, with its severity as a class.
    marks = found.with_class("inmail-mark")
    for finding in report.findings:
        if finding.spans and not finding.clues:
            assert any(f"inmail-mark--{finding.severity}" in m["class"] for m in marks)
    assert all(m["title"] for m in marks)
    assert len(found.with_class("inmail-strength")) == len(report.strengths)


def test_breakdown_always_arrives_at_the_real_score() -> None:
    drafts = [("WOW!!! AMAZING NEWS FOR YOU", "THIS IS HUGE!!! #growth #sales #win #success")]
    drafts += [(e.subject, e.body) for rule in RULES for e in (*rule.flagged, *rule.clean)]
    for subject, body in drafts:
        report = check(body, subject)
        assert breakdown(report).endswith(f" {report.score}."), (subject, body)
    clamped = check(drafts[0][1], drafts[0][0])
    assert "kept within 0 to 100" in breakdown(clamped) or clamped.score > 0


def test_link_base_option_changes_rule_links() -> None:
    html = render(
        '```inmail-draft verdict="likely-spam" title="T"\nHi {first_name}, buy now!!!\n```',
        link_base="../",
    )
    assert 'href="../rules.md#bulk.merge-field"' in html


def test_wrong_verdict_fails_naming_the_draft_and_both_verdicts() -> None:
    text = '```inmail-draft verdict="looks-genuine" title="Sneaky pitch"\nHi {first_name}\n```'
    with pytest.raises(GuideError) as error:
        render(text)
    message = str(error.value)
    assert "Sneaky pitch" in message
    assert "looks-genuine" in message
    assert "likely-spam" in message or "needs-work" in message


def test_verdict_must_be_a_known_verdict() -> None:
    with pytest.raises(GuideError, match=r"'Odd'.*unknown verdict 'spammy'"):
        render('```inmail-draft verdict="spammy" title="Odd"\nHello\n```')


def test_unknown_fence_attribute_fails_naming_it_and_the_draft() -> None:
    text = '```inmail-draft verdict="likely-spam" title="Extra" colour="red"\nHi\n```'
    with pytest.raises(GuideError, match=r"'Extra'.*unknown attribute\(s\) colour"):
        render(text)


def test_missing_fence_attributes_fail() -> None:
    with pytest.raises(GuideError, match=r"'No verdict'.*missing attribute\(s\) verdict"):
        render('```inmail-draft title="No verdict"\nHi\n```')
    with pytest.raises(GuideError, match=r"\(untitled\).*missing attribute\(s\) title"):
        render('```inmail-draft verdict="likely-spam"\nHi\n```')


def test_unreadable_attributes_and_unclosed_fences_fail() -> None:
    with pytest.raises(GuideError, match="fence was not rendered"):
        render('```inmail-draft verdict=likely-spam title="T"\nHi\n```')
    with pytest.raises(GuideError, match="fence was not rendered"):
        render('```inmail-draft verdict="likely-spam" title="Open"\nHi {first_name}\n')


def test_a_draft_that_cannot_be_placed_fails() -> None:
    # Indented four spaces at the top level: an indented code block, not a draft.
    verdict = check("Hi").verdict
    text = f'Text.\n\n    ```inmail-draft verdict="{verdict}" title="Lost"\n    Hi\n    ```\n'
    with pytest.raises(GuideError, match="'Lost' could not be placed"):
        render(text)


def test_split_draft() -> None:
    assert split_draft("Subject: Hello\n\nBody\nmore") == ("Hello", "Body\nmore")
    assert split_draft("Subject: Hello\nBody") == ("Hello", "Body")
    assert split_draft("Subject:\n\nBody") == ("", "Body")
    assert split_draft("Body only\nSubject: not a subject") == (
        "",
        "Body only\nSubject: not a subject",
    )
    assert split_draft("Subject: Only a subject") == ("Only a subject", "")


def test_overlapping_marks_split_and_take_the_most_severe_class() -> None:
    element = marked_text(
        h("p"),
        "abcdefgh",
        [Mark(1, 5, "low", "L", 0), Mark(3, 7, "high", "H", 1), Mark(6, 8, "strength", "S", 2)],
    )
    pieces = [(child.text, child.get("class"), child.get("title")) for child in element]
    assert element.text == "a"
    assert pieces == [
        ("bc", "inmail-mark inmail-mark--low", "L"),
        ("de", "inmail-mark inmail-mark--high", "L H"),
        ("f", "inmail-mark inmail-mark--high", "H"),
        ("g", "inmail-mark inmail-mark--high", "H S"),
        ("h", "inmail-mark inmail-mark--strength", "S"),
    ]


def test_entry_point_and_make_extension() -> None:
    html = markdown.markdown("[inmail:scoring]", extensions=["inmail"])
    assert 'id="formula"' in html
    assert isinstance(makeExtension(), InMailExtension)


# --- Markers --------------------------------------------------------------------------------


def test_unknown_marker_fails_naming_it() -> None:
    with pytest.raises(GuideError, match=r"unknown marker \[inmail:rules-referense\]"):
        render("Intro.\n\n[inmail:rules-referense]\n")


def test_marker_inside_a_sentence_is_left_alone() -> None:
    html = render("Write [inmail:plans-table] on a line of its own.")
    assert "[inmail:plans-table]" in html
    assert "<table" not in html


def test_a_marker_line_inside_a_paragraph_still_counts() -> None:
    html = render("Before.\n[inmail:credits-example]\nAfter.")
    assert html.startswith("<p>Before.</p>")
    assert "<table>" in html
    assert html.rstrip().endswith("<p>After.</p>")
    with pytest.raises(GuideError, match=r"unknown marker \[inmail:nope\]"):
        render("[inmail:credits-example]\n[inmail:nope]")


def test_every_rule_has_a_section_with_its_id_as_anchor() -> None:
    html = render("# Rules\n\n[inmail:rules-reference]\n")
    found = Elements(html)
    headings = {attrs["id"]: tag for tag, attrs in found.tags if tag in ("h2", "h3")}
    for rule in ALL_RULES:
        assert headings.get(rule.id) == "h3", rule.id
        assert found.text_by_id[rule.id].startswith(rule.title)
        assert escape(rule.rationale, quote=False) in html
    for category, title in CATEGORIES.items():
        if any(rule.category == category for rule in RULES):
            assert headings.get(category) == "h2"
            assert found.text_by_id[category].startswith(title)
    # One flagged and one clean example per rule, each checked by the real checker.
    assert len(found.with_class("inmail-example--flagged")) == len(RULES)
    assert len(found.with_class("inmail-example--clean")) == len(RULES)
    # Rule headings come in registry order, so the page reads like the rule files.
    order = [attrs["id"] for tag, attrs in found.tags if tag == "h3"]
    assert order == [rule.id for rule in ALL_RULES]


def test_toc_permalinks_use_rule_ids() -> None:
    html = markdown.markdown(
        "[inmail:rules-reference]",
        extensions=[InMailExtension(), "toc"],
        extension_configs={"toc": {"permalink": True}},
    )
    assert 'href="#pitch.book-a-call"' in html


def test_scoring_page_shows_the_fitted_numbers() -> None:
    html = render("[inmail:scoring]")
    text = html.replace("\n", " ")
    assert f"starts at {MODEL.start} points" in text
    assert f"{MODEL.scale} points for each unit" in text
    for verdict, low, high in verdict_ranges():
        assert f"{low} to {high}" in text, verdict
    assert [low for _, low, _ in verdict_ranges()[:-1]] == [low for low, _ in THRESHOLDS]
    for score in CEILING_SCORES.values():
        assert f"{score} for" in text
    for rule in ALL_RULES:
        if rule.kind != "model":
            assert f'href="/rules.md#{rule.id}"' in html
            assert f">{signed(points(rule) if rule.is_strength else -points(rule))}</td>" in html


def test_scoring_page_shows_the_cross_validated_figures() -> None:
    html = render("[inmail:scoring]")
    groups = MODEL.data["fit"]["groups"]
    assert groups
    for group in groups:
        assert escape(group["name"], quote=False) in html
        if group.get("auc") is not None:
            assert f"{group['auc']:.2f}" in html


def test_the_learned_words_are_shown_with_their_points() -> None:
    html = render("[inmail:scoring]")
    strongest = max(MODEL.words.items(), key=lambda item: (abs(item[1]), item[0]))
    assert f"“{escape(strongest[0], quote=False)}” ({strongest[1] / 10:+.1f})" in html


def test_report_schema_shows_the_schema_file_verbatim() -> None:
    text = schema_block.schema_text()
    html = render("[inmail:report-schema]")
    assert html.startswith('<pre class="inmail-schema" data-inmail="report-schema">')
    assert '<code class="language-json">{' in html
    assert '"$schema"' in text
    assert escape(text.strip(), quote=False) in html


def test_missing_report_schema_is_a_clear_build_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_block, "SCHEMA_FILE", "no-such.schema.json")
    with pytest.raises(GuideError, match=r"\[inmail:report-schema\]: .*no-such\.schema\.json"):
        render("[inmail:report-schema]")
