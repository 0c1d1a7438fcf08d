"""The docs extension's facts, citations, repository links, subject-line tables and rules
reference, on small inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inmail_checker.registry import ALL_RULES, FACTS
from inmail_checker.render import signed
from inmail_checker.report import MAX_CHECKED, MAX_REPORT_BYTES
from inmail_checker.scoring import points
from inmail_guide import GuideError
from inmail_guide.citations import LIMITS, format_value
from inmail_guide.drafts import SHORTEN_OVER, excerpt_windows
from inmail_guide.sources import load_sources
from tests.test_extension import Elements, render

CATALOGUE = load_sources()
DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_a_fact_is_quoted_from_facts_toml_with_its_source_and_date() -> None:
    fact = FACTS["body-limit"]
    html = render("Up to [fact:body-limit characters] in the body.")
    quoted = Elements(html).with_class("inmail-fact")
    assert [(q["data-fact"], q["title"]) for q in quoted] == [("body-limit", f"As of {fact.as_of}")]
    assert f">{format_value(fact.value)} characters</span>" in html
    assert f'href="{fact.source}"' in html
    assert ">Help 437</a>" in html


def test_a_percent_sticks_to_its_figure() -> None:
    html = render("[fact:short-message-gain %] more")
    assert f">{FACTS['short-message-gain'].value}%</span>" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fact:no-such-fact]", r"\[fact:no-such-fact\]: no such fact"),
        ("[cite:help-0]", r"unknown source 'help-0'"),
        ("[cite: ]", r"names nothing"),
        ("[limit:nope characters]", r"\[limit:nope\]: no such limit \(known: checked, places"),
    ],
)
def test_an_unknown_fact_or_source_stops_the_build(text: str, message: str) -> None:
    with pytest.raises(GuideError, match=message):
        render(text)


def test_the_checkers_limits_are_quoted_from_the_package() -> None:
    html = render("Checked up to [limit:checked characters]; [limit:report-bytes bytes] at most.")
    quoted = Elements(html).with_class("inmail-limit")
    assert [q["data-limit"] for q in quoted] == ["checked", "report-bytes"]
    assert f">{MAX_CHECKED:,} characters</span>" in html
    assert f">{MAX_REPORT_BYTES:,} bytes</span>" in html


def test_the_pages_type_no_limit_of_the_checker_by_hand() -> None:
    """The checker's limits reach the guide through [limit:…] only."""
    typed = {f"{value:,}" for value in LIMITS.values() if value >= 1000}
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        assert not [figure for figure in typed if figure in text], page.name


def test_inline_code_is_left_alone() -> None:
    html = render("Write `[fact:body-limit]` in a page.")
    assert "<code>[fact:body-limit]</code>" in html


def test_one_source_cited_twice_in_a_block_keeps_its_last_marker() -> None:
    html = render(
        "Subject [fact:subject-limit characters], body [fact:body-limit characters].[cite:help-75]"
        "\n\nAnother paragraph.[cite:help-437]"
    )
    first, second = html.split("</p>")[:2]
    assert first.count(">Help 437<") == 1 and first.count(">Help 75<") == 1
    assert first.index(">Help 437<") > first.index(">2,000 characters<")
    assert second.count(">Help 437<") == 1


def test_a_table_shares_one_marker_per_source() -> None:
    html = render(
        "| a | b |\n|---|---|\n"
        "| [fact:short-message characters] | [fact:mid-message characters] |\n"
        "| [fact:long-message characters] | x |\n",
    )
    assert html.count(">SEJ 2022<") == 1


def test_a_page_gets_one_checked_line_under_its_title() -> None:
    html = render("# Title\n\nA fact.[cite:talent-blog-2014 help-75]\n")
    lines = Elements(html).with_class("inmail-checked")
    assert len(lines) == 1
    assert html.index("</h1>") < html.index('class="inmail-checked"') < html.index("A fact.")
    oldest = min(CATALOGUE["talent-blog-2014"].checked, CATALOGUE["help-75"].checked)
    assert f'<time datetime="{oldest}">' in html
    assert 'href="/sources.md"' in html
    assert "inmail-checked" not in render("# Title\n\nNo sources here.\n")


def test_repository_links_take_the_repo_url_option() -> None:
    html = render("[open an issue](repo:issues/new)", repo_url="https://github.com/me/fork/")
    assert 'href="https://github.com/me/fork/issues/new"' in html
    with pytest.raises(GuideError, match="needs the extension's repo_url option"):
        render("[open an issue](repo:issues/new)")


# --- Subject-line tables ----------------------------------------------------------------------


def test_subject_swaps_show_what_the_checker_flags_on_the_left() -> None:
    html = render('```inmail-subjects title="Swaps"\nQuick question => Your talk on caching\n```\n')
    assert 'href="/rules.md#subject.clickbait"' in html
    assert "Quick question" in html and "Your talk on caching" in html
    assert "<pre" not in html


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Your talk on caching => Question about your paper", "finds nothing wrong"),
        ("Quick question => Re: our chat", "flags the better subject"),
        ("Quick question", "must be 'subject to avoid => better one'"),
    ],
)
def test_a_subject_swap_the_checker_disagrees_with_stops_the_build(line: str, message: str) -> None:
    with pytest.raises(GuideError, match=message):
        render(f'```inmail-subjects title="Swaps"\n{line}\n```\n')


# --- Rules reference ----------------------------------------------------------------------------


def test_the_summary_table_lists_every_rule_with_its_severity_and_points() -> None:
    html = render("[inmail:rules-summary]")
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    assert len(rows) == len(ALL_RULES)
    for rule, row in zip(ALL_RULES, rows, strict=True):
        assert f'href="#{rule.id}"' in row
        assert signed(points(rule) if rule.is_strength else -points(rule)) in row
        label = "Strength" if rule.is_strength else rule.severity.capitalize()
        assert f">{label}</span>" in row
    families = [rule.category for rule in ALL_RULES]
    assert families == sorted(families, key=list(dict.fromkeys(families)).index), "grouped"


def test_long_examples_are_shortened_with_the_whole_text_behind_a_disclosure() -> None:
    html = render("[inmail:rules-reference]")
    shown = [
        example
        for rule in ALL_RULES
        if rule.flagged
        for example in (next((e for e in rule.flagged if e.match), rule.flagged[0]), rule.clean[0])
    ]
    long_examples = [example for example in shown if len(example.body) > SHORTEN_OVER]
    assert len(long_examples) >= 3
    assert html.count('<details class="inmail-full">') == len(long_examples)
    for example in long_examples:
        assert f"Show the whole message ({len(example.body):,} characters)" in html


def test_excerpt_windows_keep_the_start_and_each_mark_and_cut_between_words() -> None:
    from inmail_checker.render import Mark

    text = " ".join(f"word{i}" for i in range(300))
    mark = Mark(1500, 1520, "high", "x", 0)
    windows = excerpt_windows(text, [mark])
    assert windows[0][0] == 0 and len(windows) == 2
    assert windows[1][0] < 1500 < windows[1][1]
    for start, end in windows:
        assert start == 0 or text[start - 1] == " "
        assert end == len(text) or text[end - 1] == " " or text[end] == " "
