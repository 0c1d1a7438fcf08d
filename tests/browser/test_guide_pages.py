"""Guide pages in headless Chromium: the checklist prints on one sheet, search finds what
readers type, the rules reference works from the keyboard, and axe finds nothing serious."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_checker_page import axe_serious

pytestmark = pytest.mark.browser

PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.fixture(scope="module")
def guide(new_context):
    page = new_context().new_page()
    yield page
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_checklist_prints_on_one_sheet(guide, base_url: str, paper: str) -> None:
    guide.goto(base_url + "checklist/")
    pdf = guide.pdf(format=paper)
    assert len(PAGE.findall(pdf)) == 1, (
        f"the checklist prints on {len(PAGE.findall(pdf))} {paper} pages"
    )


def test_the_printed_checklist_has_clear_boxes_and_no_screen_notes(guide, base_url: str) -> None:
    guide.goto(base_url + "checklist/")
    guide.emulate_media(media="print")
    try:
        assert not guide.get_by_text("Print it", exact=True).is_visible()
        boxes = guide.eval_on_selector_all(
            ".task-list-indicator",
            """marks => marks.map(mark => {
                const box = getComputedStyle(mark, "::before");
                return [box.borderTopWidth, box.borderTopColor, box.width];
            })""",
        )
        assert len(boxes) >= 15
        for width, colour, size in boxes:
            assert float(width.removesuffix("px")) >= 1.5, width
            assert colour == "rgb(0, 0, 0)", colour
            assert float(size.removesuffix("px")) >= 10, size
        assert guide.get_by_role("heading", name="The message").is_visible()
    finally:
        guide.emulate_media(media="screen")


def test_searching_refund_finds_the_credit_back_section(guide, base_url: str) -> None:
    guide.goto(base_url)
    guide.keyboard.press("/")  # Material's shortcut to the search box
    guide.keyboard.type("refund")
    section = guide.locator(".md-search-result__link[href*='credits/'][href$='#credit-back']")
    section.first.wait_for(state="attached", timeout=30_000)
    # The best match is the credits page, and its section on credit back is listed with it.
    best = guide.locator(".md-search-result__item").first
    assert "credits/" in (best.locator("a").first.get_attribute("href") or "")
    assert best.locator("a[href$='#credit-back']").count() == 1


def test_a_long_example_opens_from_the_keyboard(guide, base_url: str) -> None:
    guide.goto(base_url + "rules/#form.near-limit")
    summary = guide.locator("[id='form.near-limit'] + .inmail-rule details.inmail-full summary")
    summary.focus()
    details = guide.locator("[id='form.near-limit'] + .inmail-rule details.inmail-full")
    assert details.get_attribute("open") is None
    guide.keyboard.press("Enter")
    assert details.get_attribute("open") is not None


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        "rules/",
        "credits/",
        "how-it-works/",
        "writing/",
        "sources/",
        "spam/",
        "why/",
        "reporting/",
        "checklist/",
        "cli/",
        "schema/",
    ],
)
def test_axe_finds_nothing_serious_on_guide_pages(
    new_context, base_url: str, scheme: str, path: str
) -> None:
    page = new_context(color_scheme=scheme).new_page()
    page.goto(base_url + path)
    assert axe_serious(page) == []
    page.close()
