"""The plans data file and what the guide renders from it: the plans table, the worked example
and its walk-through, and plan figures quoted in running text."""

from __future__ import annotations

from html import escape
from pathlib import Path

import markdown
import pytest

from inmail_guide import GuideError
from inmail_guide.plans import (
    RESPONSE_RATES,
    current_plans,
    inmails_per_month,
    load_plans,
    parse_plans,
    plan_id,
)
from inmail_guide.sources import load_sources
from tests.test_extension import FIXTURE_PLANS, Elements, render

REAL_PLANS = Path(__file__).resolve().parents[1] / "src" / "inmail_guide" / "plans.toml"


def test_every_plan_with_a_figure_is_a_row_and_the_others_one_sentence() -> None:
    data = load_plans(REAL_PLANS)
    html = render("[inmail:plans-table]", plans_file=REAL_PLANS)
    found = Elements(html)
    published = [plan for plan in data.plans if plan.published]
    unpublished = [plan for plan in data.plans if not plan.published]
    assert published and unpublished
    rows = [attrs for tag, attrs in found.tags if tag == "tr"]
    assert len(rows) == 1 + len(published)
    for plan in published:
        assert escape(plan.name, quote=False) in html
        for source in data.sources(plan):
            assert f'href="{source.url}"' in html
    note = html[html.index('class="inmail-table-note"') :]
    for plan in unpublished:
        assert escape(plan.name, quote=False) in note
    assert "LinkedIn publishes no InMail figures for" in note
    uncertain = sum(plan.uncertain for plan in published)
    assert len(found.with_class("inmail-label--uncertain")) == uncertain + 1  # + the note


def test_an_old_figure_shows_when_it_was_announced_and_a_current_one_does_not() -> None:
    html = render("[inmail:plans-table]")
    assert html.count("announced") == 1
    assert '<time datetime="2014-09">Sep 2014</time>' in html
    assert 'datetime="2026-11"' not in html


def test_credits_example_covers_the_plans_with_a_current_figure_only() -> None:
    data = load_plans(REAL_PLANS)
    html = render("[inmail:credits-example]", plans_file=REAL_PLANS)
    current = current_plans(data)
    assert 0 < len(current) < len([plan for plan in data.plans if plan.published])
    assert html.count("<tr>") == 1 + len(current)
    for plan in current:
        for rate in RESPONSE_RATES:
            assert f">{inmails_per_month(plan.credits_per_month or 0, rate)}</td>" in html
    for plan in data.plans:
        if plan.uncertain:
            assert escape(plan.name, quote=False) not in html
    assert "for each plan with a current official figure" in html
    assert "÷" not in html and "1 − r" not in html, "the example needs no algebra"


def test_walkthrough_works_the_smallest_current_plan_in_words() -> None:
    data = load_plans(REAL_PLANS)
    smallest = min(current_plans(data), key=lambda plan: plan.credits_per_month or 0)
    credits = smallest.credits_per_month or 0
    html = render("[inmail:credits-walkthrough]", plans_file=REAL_PLANS)
    assert f"Take {escape(smallest.name)}" in html
    assert f"you send {credits} InMails" in html
    assert f"about {inmails_per_month(credits, 50)} InMails" in html
    assert f"about {inmails_per_month(credits, 75)} InMails" in html
    assert "half of the people" in html and "three in four" in html


def test_inmails_per_month_is_n_over_one_minus_r_rounded_down() -> None:
    assert inmails_per_month(5, 50) == 10
    assert inmails_per_month(15, 10) == 16  # 16.67
    assert inmails_per_month(50, 25) == 66  # 66.67
    assert inmails_per_month(0, 50) == 0


def test_a_plan_is_quoted_from_the_data_with_its_sources() -> None:
    data = load_plans(REAL_PLANS)
    plan = next(plan for plan in data.plans if plan_id(plan) == "premium-career")
    html = render("Career has [plan:premium-career].", plans_file=REAL_PLANS)
    quoted = Elements(html).with_class("inmail-plan-figure")
    assert [(q["data-plan"], q["data-figure"]) for q in quoted] == [("premium-career", "monthly")]
    assert f">{plan.credits_per_month} credits a month</span>" in html
    for source in data.sources(plan):
        assert f'href="{source.url}"' in html
    balance = render("[plan:premium-career balance]", plans_file=REAL_PLANS)
    assert f">{plan.max_balance} credits<" in balance


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[plan:nope]", r"\[plan:nope\]: no such plan"),
        ("[plan:old-plan]", r"\[plan:old-plan\]: has no current official figure"),
        ("[plan:example-plan colour]", r"say nothing or 'balance'"),
    ],
)
def test_a_plan_that_cannot_be_quoted_fails(text: str, message: str) -> None:
    with pytest.raises(GuideError, match=message):
        render(text)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('name = "Example Plan"', r"plan 'Example Plan': unknown key\(s\) \['colour'\]"),
    ],
)
def test_unknown_keys_in_the_plans_file_fail_naming_the_file(change: str, message: str) -> None:
    text = FIXTURE_PLANS.read_text(encoding="utf-8").replace(change, change + '\ncolour = "red"', 1)
    with pytest.raises(GuideError, match=r"plans\.toml: .*" + message):
        parse_plans(text, "src/inmail_guide/plans.toml")


@pytest.mark.parametrize(
    ("find", "replace", "message"),
    [
        ("credits_per_month = 5", 'credits_per_month = "5"', "'credits_per_month' must be a whole"),
        ('as_of = "2026-11"', 'as_of = "November"', "'as_of' must be a date"),
        ("uncertain = false", 'uncertain = "no"', "'uncertain' must be true or false"),
        ('sources = ["help-75"]', 'sources = ["help-9999"]', "unknown source 'help-9999'"),
        ('sources = ["help-75"]', "sources = []", "'sources' must be a non-empty list"),
        ('id = "old-plan"', 'id = "Old Plan"', "'id' must be lower-case"),
        ('id = "old-plan"', 'id = "example-plan"', r"duplicate plan id\(s\) \['example-plan'\]"),
        ('reload = "Monthly"\n', "", r"missing key\(s\) \['reload'\]"),
        ("[[plan]]", "[meta]\nchecked = 2026-11-27\n\n[[plan]]", r"unknown top-level key\(s\)"),
    ],
)
def test_bad_values_in_the_plans_file_fail(find: str, replace: str, message: str) -> None:
    text = FIXTURE_PLANS.read_text(encoding="utf-8")
    assert find in text
    with pytest.raises(GuideError, match=message):
        parse_plans(text.replace(find, replace, 1), "plans.toml")


def test_missing_plans_file_fails_naming_marker_and_file(tmp_path: Path) -> None:
    with pytest.raises(GuideError, match=r"\[inmail:plans-table\]: cannot read .*nowhere\.toml"):
        render("[inmail:plans-table]", plans_file=tmp_path / "nowhere.toml")


def test_plans_default_to_the_file_shipped_with_the_package() -> None:
    html = markdown.markdown("[inmail:plans-table]", extensions=["inmail"])
    for plan in load_plans(REAL_PLANS).plans:
        assert escape(plan.name) in html


def test_every_plan_source_is_in_the_sources_file() -> None:
    catalogue = load_sources()
    for plan in load_plans(REAL_PLANS).plans:
        for source_id in plan.sources:
            assert catalogue[source_id].url.startswith(("https://", "http://"))
