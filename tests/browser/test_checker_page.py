"""The checker page in headless Chromium: same results as the CLI, usable, safe, self-contained.

One browser for the session. Most tests share one page that has the checker loaded; the tests
that need their own screen size, storage or a broken runtime get their own browser context.
The last test checks that no request of the whole session left the site's origin.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from inmail_checker import RULES, check, web
from inmail_checker.report import QUOTE_LIMIT, Context
from inmail_guide.examples import load_examples
from inmail_lab.corpus import load_handwritten as load_corpus
from tests.browser.conftest import ROOT, Traffic

pytestmark = pytest.mark.browser

READY_TIMEOUT = 120_000  # ms; generous for a loaded two-core machine, never a speed claim
RESULT = "#inmail-result"
CURRENT = "#inmail-result[data-state='current']"
MOUNTED = "#inmail-checker.inmail-checker--live"  # the page script has restored the draft
READY = "#inmail-checker[data-state='ready']"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EXAMPLES = load_examples()
NO_CONTEXT = Context()

# Whether a score (a number) is on screen: the result's own, or the score bar's.
SCORE_IN_VIEW = """() => {
  const inView = (node) => {
    if (!node) return false;
    const box = node.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
      && box.bottom <= innerHeight && box.right <= innerWidth;
  };
  return ["inmail-score", "inmail-scorebar-score"]
    .map((id) => document.getElementById(id))
    .some((node) => inView(node) && /^\\d+$/.test(node.textContent));
}"""

# UTF-16 ranges the mirror paints as highlights: marks, and whole lines painted as a region.
PAINTED = """(id) => {
  const ranges = [];
  let offset = 0;
  for (const line of document.getElementById(id).querySelectorAll(".inmail-line")) {
    const length = line.textContent.length;
    if (line.classList.contains("inmail-line--region")) ranges.push([offset, offset + length]);
    for (const mark of line.querySelectorAll("mark")) {
      const from = offset + Number(mark.dataset.from);
      ranges.push([from, from + mark.textContent.length]);
    }
    offset += length + 1;
  }
  return ranges;
}"""


# --- Helpers -------------------------------------------------------------------------------


def wait_for_result(page, timeout: int = READY_TIMEOUT) -> tuple[str, str]:
    page.locator(CURRENT).wait_for(state="attached", timeout=timeout)
    result = page.locator(RESULT)
    return result.get_attribute("data-score"), result.get_attribute("data-verdict")


def set_context(page, context: Context) -> None:
    page.locator("#inmail-stage").select_option(context.stage)
    page.locator("#inmail-answered").select_option("yes" if context.answered else "no")
    page.locator("#inmail-audience").select_option(context.audience)


def enter_draft(page, subject: str, body: str, context: Context = NO_CONTEXT) -> None:
    set_context(page, context)
    page.get_by_label("Subject", exact=True).fill(subject)
    page.get_by_label("Message", exact=True).fill(body)


def _merge(ranges: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def paintable(text: str, segments: list[dict]) -> list[list[int]]:
    """The UTF-16 ranges of the segments, without the line breaks (the mirror paints lines)."""
    units = text.encode("utf-16-le", "surrogatepass")
    breaks = [at // 2 for at in range(0, len(units), 2) if units[at : at + 2] == b"\n\x00"]
    pieces = []
    for segment in segments:
        start = segment["start"]
        for cut in [at for at in breaks if segment["start"] <= at < segment["end"]]:
            pieces.append([start, cut])
            start = cut + 1
        pieces.append([start, segment["end"]])
    return _merge([piece for piece in pieces if piece[1] > piece[0]])


def painted(page, field: str) -> list[list[int]]:
    return _merge(page.evaluate(PAINTED, f"inmail-{field}-backdrop"))


def expected(subject: str, body: str, context: Context = NO_CONTEXT) -> dict:
    """What the worker returns for this draft: CPython runs the same function."""
    return json.loads(
        web.check_draft(body, subject, context.stage, context.answered, context.audience)
    )


def cards(page) -> list[str]:
    return page.eval_on_selector_all(
        "#inmail-findings > li[data-rule]", "items => items.map(item => item.dataset.rule)"
    )


def assert_page_matches_cli(page, subject: str, body: str, context: Context = NO_CONTEXT) -> None:
    result = expected(subject, body, context)
    report = result["report"]
    score, verdict = wait_for_result(page)
    assert (score, verdict) == (str(report["score"]), report["verdict"])
    assert report == check(body, subject, context=context).to_dict()
    for field, text in (("subject", subject), ("body", body)):
        assert painted(page, field) == paintable(text, result["segments"][field]), field
    # One card per rule, in the report's order (points, then severity).
    assert cards(page) == [finding["rule"] for finding in report["findings"]]
    strengths = page.eval_on_selector_all(
        "#inmail-strengths > li[data-rule]", "items => items.map(item => item.dataset.rule)"
    )
    assert strengths == [strength["rule"] for strength in report["strengths"]]
    assert page.locator("#inmail-sum").text_content() == f"How the score adds up: {result['sum']}"
    # The report's UTF-16 offsets cut the page's own text exactly where the checker says.
    spans = [span for finding in report["findings"] for span in finding["spans"]]
    cuts = page.evaluate(
        """(spans) => spans.map((span) =>
            document.getElementById(`inmail-${span.field}`).value
              .slice(span.start_utf16, span.end_utf16))""",
        spans,
    )
    quoted = [cut if len(cut) <= QUOTE_LIMIT else cut[:QUOTE_LIMIT] + "…" for cut in cuts]
    assert quoted == [span["text"] for span in spans]


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


WIDGET = ["#inmail-checker", "#inmail-failure"]
"""The checker's own markup (the rest of a page is the theme's and the guide's)."""


def axe_serious(page, include: list[str] | None = None) -> list[dict[str, object]]:
    # Evaluated through the DevTools protocol, which the page's CSP does not govern.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    # Two widgets of Material's own markup that the theme offers no block to fix: the search
    # dialog (role=dialog without a name) and the instant-navigation progress bar.
    context = {"exclude": [".md-search", ".md-progress"]}
    if include:
        context["include"] = include
    results = page.evaluate(
        """async (context) => await axe.run(context, {resultTypes: ["violations"]})""",
        context,
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
            "summary": violation["nodes"][0]["failureSummary"][:300],
        }
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def tab_to(page, predicate: str, limit: int = 150) -> None:
    """Presses Tab until ``predicate`` (JS, about document.activeElement) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const a = document.activeElement; return !!({predicate}); }})()"
        ):
            return
    pytest.fail(f"Tab never reached {predicate}")


def open_checker(new_context, base_url: str, **options):
    page = new_context(**options).new_page()
    page.goto(base_url + "checker/")
    page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)
    return page


def _sample_corpus() -> list:
    corpus = sorted(load_corpus(), key=lambda draft: draft.id)
    assert len(corpus) >= 50, "the labelled corpus in tests/corpus/ is missing or tiny"
    astral = [d for d in corpus if any(ord(c) > 0xFFFF for c in d.subject + d.body)]
    sample = corpus[:: max(1, len(corpus) // 12)] + astral[:3]
    return list({draft.id: draft for draft in sample}.values())


CORPUS_SAMPLE = _sample_corpus()

# One draft per kind of suggested rewrite: (rule, subject, body).
REWRITES = [
    ("subject.fake-reply", "Re: your talk on retries", "Hi Sam, I saw your talk on retries."),
    ("subject.shouting", "QUESTION ABOUT YOUR TALK", "Hi Sam, how did you test the backoff?"),
    ("form.all-caps", "Your talk", "Hi Sam, your talk was REALLY VERY GOOD. How did you test it?"),
    ("form.exclamations", "Your talk", "Hi Sam, I saw your talk on retries!!! Any slides?"),
    ("scam.link-shortener", "Your talk", "Hi Sam, my notes: bit.ly/x2retry. How did you test it?"),
    ("bulk.generic-greeting", "Your talk", "Dear Sir/Madam, I saw your talk. How did you test it?"),
    (
        "bulk.vague-greeting",
        "Your talk",
        "Hi there, I saw your talk on retries. How did you test it?",
    ),
]


def rewritten(text: str, rewrites: list[dict], field: str) -> tuple[str, int | None]:
    """The text with the rewrites of ``field`` applied (ASCII drafts: code points are UTF-16
    units), and where a fill-in leaves the caret."""
    caret = None
    for rewrite in sorted(rewrites, key=lambda r: -r["span"]["start_utf16"]):
        span = rewrite["span"]
        if span["field"] != field:
            continue
        text = text[: span["start_utf16"]] + rewrite["text"] + text[span["end_utf16"] :]
        if rewrite["fill_in"]:
            caret = span["start_utf16"] + len(rewrite["text"])
    return text, caret


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def context(new_context):
    return new_context(permissions=["clipboard-read", "clipboard-write"])


@pytest.fixture(scope="module")
def page(context, base_url: str):
    """The checker page, loaded once and ready."""
    page = context.new_page()
    page.goto(base_url + "checker/")
    page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)
    return page


# --- The page says what the CLI says -------------------------------------------------------


@pytest.mark.parametrize("draft", CORPUS_SAMPLE, ids=lambda draft: draft.id)
def test_corpus_draft_gets_the_cli_result(page, draft) -> None:
    enter_draft(page, draft.subject, draft.body)
    assert_page_matches_cli(page, draft.subject, draft.body)


def test_findings_are_one_card_per_rule_with_points_count_and_every_place(page) -> None:
    subject = "Quick question"
    body = (
        "Hi Sam, our platform is great. Can we book a call? Our platform saves time, "
        "so book a call today. Our platform is cheap: book a call!!!"
    )
    enter_draft(page, subject, body)
    assert_page_matches_cli(page, subject, body)
    report = check(body, subject)
    repeated = [finding for finding in report.findings if finding.count > 1]
    assert repeated, "the draft should fire a rule more than once"
    for finding in report.findings:
        card = page.locator(f"#inmail-findings > li[data-rule='{finding.rule}']")
        points = card.locator(".inmail-points").text_content()
        assert points == (f"−{finding.points}" if finding.points else "0")
        assert card.locator(".inmail-finding__message").text_content().startswith(finding.message)
        # Fix always shown; Why behind a disclosure.
        assert card.locator(".inmail-finding__fix").is_visible()
        assert card.locator("details.inmail-finding__why > summary").count() == 1
        places = card.locator("button.inmail-span")
        assert places.count() == (len(finding.spans) if len(finding.spans) > 1 else 0)
    finding = repeated[0]
    card = page.locator(f"#inmail-findings > li[data-rule='{finding.rule}']")
    assert f"({finding.count} places)" in card.locator(".inmail-finding__message").text_content()
    for at, span in enumerate(finding.spans):
        card.locator("button.inmail-span").nth(at).click()
        field = page.locator(f"#inmail-{span.field}")
        assert field.evaluate("t => [t.selectionStart, t.selectionEnd]") == [
            span.start_utf16,
            span.end_utf16,
        ]
    active = page.eval_on_selector_all(
        f"#inmail-{finding.field}-backdrop mark.is-active", "marks => marks.length"
    )
    assert active >= 1
    # Points are ordered, most first; strengths show theirs.
    listed = page.eval_on_selector_all(
        "#inmail-findings .inmail-points", "nodes => nodes.map(n => Number(n.dataset.points))"
    )
    assert listed == sorted(listed, reverse=True)
    for strength in report.strengths:
        item = page.locator(f"#inmail-strengths > li[data-rule='{strength.rule}']")
        assert item.locator(".inmail-bonus").text_content() == f"+{strength.points}"


def test_selecting_a_finding_reveals_its_words_and_the_mirror_follows(page) -> None:
    padding = "\n".join(f"Line {n} about the river survey." for n in range(60))
    body = f"Hi Sam,\n{padding}\nCould we book a quick call next week?"
    enter_draft(page, "Question about your survey", body)
    assert_page_matches_cli(page, "Question about your survey", body)
    report = check(body, "Question about your survey")
    finding = next(f for f in report.findings if f.spans and f.spans[0].start > len(padding))
    page.locator(
        f"#inmail-findings > li[data-rule='{finding.rule}'] .inmail-finding__select"
    ).click()
    textarea = page.get_by_label("Message", exact=True)
    span = finding.spans[0]
    assert textarea.evaluate("t => [t.selectionStart, t.selectionEnd]") == [
        span.start_utf16,
        span.end_utf16,
    ]
    # The words were far below the fold of the textarea: it scrolled, and its mirror with it.
    assert textarea.evaluate("t => t.scrollTop") > 0
    mirror = page.evaluate(
        """() => {
            const layer = document.querySelector("#inmail-body-backdrop .inmail-editor__layer");
            return new DOMMatrix(getComputedStyle(layer).transform).m42;
        }"""
    )
    assert mirror == -textarea.evaluate("t => t.scrollTop")
    active = page.eval_on_selector_all(
        "#inmail-body-backdrop mark.is-active", "marks => marks.map(m => m.textContent)"
    )
    assert span.text in "".join(active)
    # The active mark sits where the textarea shows the words: inside its visible box.
    box = textarea.bounding_box()
    mark = page.locator("#inmail-body-backdrop mark.is-active").first.bounding_box()
    assert box["y"] <= mark["y"] and mark["y"] + mark["height"] <= box["y"] + box["height"]


def test_no_span_is_painted_as_both_a_problem_and_a_strength(page) -> None:
    for example in EXAMPLES:
        enter_draft(page, example.subject, example.body)
        wait_for_result(page)
        both = page.eval_on_selector_all(
            "#inmail-checker [data-findings][data-strengths]", "nodes => nodes.length"
        )
        assert both == 0


def test_every_rule_with_a_rewrite_has_an_apply_test() -> None:
    rewriting = {rule.id for rule in RULES if rule.rewrite is not None}
    assert {rule for rule, _, _ in REWRITES} == rewriting


@pytest.mark.parametrize(("rule", "subject", "body"), REWRITES, ids=[r[0] for r in REWRITES])
def test_apply_is_one_undoable_edit_and_the_finding_goes(page, rule, subject, body) -> None:
    enter_draft(page, subject, body)
    wait_for_result(page)
    report = expected(subject, body)["report"]
    finding = next(f for f in report["findings"] if f["rule"] == rule)
    assert finding["rewrites"], f"{rule} offers no rewrite for this draft"
    field = finding["rewrites"][0]["span"]["field"]
    original = subject if field == "subject" else body
    textarea = page.locator(f"#inmail-{field}")
    # The caret sits at the end of the field before Apply.
    textarea.evaluate("t => t.setSelectionRange(t.value.length, t.value.length)")
    page.locator(f"#inmail-findings > li[data-rule='{rule}'] button.inmail-apply").click()
    new_text, fill_caret = rewritten(original, finding["rewrites"], field)
    assert textarea.input_value() == new_text
    caret = textarea.evaluate("t => [t.selectionStart, t.selectionEnd]")
    if fill_caret is None:
        assert caret == [len(new_text), len(new_text)]  # where it was, moved with the text
    else:
        assert caret == [fill_caret, fill_caret]  # where the writer types the name
        fill_in = next(r["fill_in"] for r in finding["rewrites"] if r["fill_in"])
        assert fill_in in page.locator("#inmail-notice").text_content()
    assert page.evaluate("document.activeElement.id") == f"inmail-{field}"
    wait_for_result(page)
    assert rule not in cards(page)
    new_subject, new_body = (new_text, body) if field == "subject" else (subject, new_text)
    assert rule not in [f.rule for f in check(new_body, new_subject).findings]
    assert_page_matches_cli(page, new_subject, new_body)
    # One Ctrl+Z brings the words back.
    page.keyboard.press("Control+z")
    assert textarea.input_value() == original
    wait_for_result(page)
    assert rule in cards(page)


def test_the_context_questions_change_the_verdict(page) -> None:
    candidates = [
        ("Following up", "Hi Ana, just following up on my last message about the flood data."),
        ("Quick one", "Hi Ana, just following up. Can we book a call this week?"),
        (EXAMPLES[1].subject, EXAMPLES[1].body),
    ]
    contexts = [
        Context(),
        Context(stage="reply"),
        Context(stage="follow-up"),
        Context(stage="follow-up", answered=True),
        Context(audience="many"),
    ]
    changed = False
    for subject, body in candidates:
        verdicts = set()
        for context in contexts:
            enter_draft(page, subject, body, context)
            assert_page_matches_cli(page, subject, body, context)
            verdicts.add(page.locator(RESULT).get_attribute("data-verdict"))
        changed |= len(verdicts) > 1
    assert changed, "no candidate draft changes verdict with its context: pick another draft"
    # The advice follows the context: repeated messages, bulk.
    enter_draft(page, "Following up", candidates[0][1], Context(stage="follow-up"))
    wait_for_result(page)
    assert "followup.unanswered" in cards(page)
    set_context(page, Context(audience="many"))
    wait_for_result(page)
    assert "bulk.many-recipients" in cards(page)
    set_context(page, NO_CONTEXT)


def test_copy_report_gives_the_clis_text_and_markdown(page) -> None:
    subject, body = "Quick question", "Hi, can we book a call about our platform?"
    context = Context(stage="follow-up", audience="many")
    enter_draft(page, subject, body, context)
    wait_for_result(page)
    args = (body, subject, context.stage, context.answered, context.audience)
    page.locator("#inmail-checker").get_by_role("button", name="Copy report", exact=True).click()
    page.get_by_text("Report copied to the clipboard.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == web.report_text(*args)
    page.locator("#inmail-checker").get_by_role("button", name="Copy as Markdown").click()
    page.get_by_text("Report copied to the clipboard, in Markdown.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == web.report_text(*args, markdown=True)
    set_context(page, NO_CONTEXT)


# --- While typing, and at any size ---------------------------------------------------------


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["1280x800", "390x844"])
def test_the_result_stays_visible_while_typing(new_context, base_url: str, viewport) -> None:
    width, height = viewport
    page = open_checker(
        new_context, base_url, viewport={"width": width, "height": height}, has_touch=width < 500
    )
    page.locator("summary.inmail-examples__summary").click()
    page.locator("button[data-example='needs-work']").click()
    wait_for_result(page)
    body = page.get_by_label("Message", exact=True)
    body.click()
    page.keyboard.press("Control+End")
    # After each input event (once the browser has laid the page out): the shown score, its
    # state, and whether a score is on screen.
    page.evaluate(f"window.__scoreInView = {SCORE_IN_VIEW}")
    page.evaluate(
        """() => {
            window.__afterInput = [];
            const result = document.getElementById("inmail-result");
            document.getElementById("inmail-body").addEventListener("input", () =>
              requestAnimationFrame(() => setTimeout(() => window.__afterInput.push(
                [result.dataset.score, result.dataset.state, window.__scoreInView()]))));
        }"""
    )
    text = " Could we talk about it, Sam?"
    page.keyboard.type(text, delay=15)
    wait_for_result(page)
    page.wait_for_timeout(50)
    after = page.evaluate("window.__afterInput")
    assert len(after) == len(text)
    scores = [score for score, _, _ in after]
    assert all(re.fullmatch(r"\d+", score) for score in scores), "the score was blanked"
    assert {state for _, state, _ in after} <= {"updating", "current"}
    assert "updating" in {state for _, state, _ in after}, "never marked as updating"
    assert all(visible for _, _, visible in after), "the score left the screen while typing"
    if width < 500:
        bar = page.locator("#inmail-scorebar")
        assert bar.is_visible()
        assert (
            bar.locator("#inmail-scorebar-score").text_content()
            == page.locator("#inmail-score").text_content()
        )
        # The bar jumps to the details, keyboard included.
        bar.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "inmail-result"
        page.wait_for_timeout(600)
        assert page.locator("#inmail-result-head").is_visible()
        assert axe_serious(page, include=WIDGET) == []
    else:
        assert not page.locator("#inmail-scorebar").is_visible()
        # Side by side: the result column beside the draft, navigation and contents hidden.
        draft_box = page.locator(".inmail-checker__draft").bounding_box()
        result_box = page.locator("#inmail-result").bounding_box()
        assert result_box["x"] >= draft_box["x"] + draft_box["width"]
        assert not page.locator(".md-sidebar--primary").is_visible()
        assert not page.locator(".md-sidebar--secondary").is_visible()
    page.close()


def test_typing_key_by_key_shows_the_newest_result(page) -> None:
    page.get_by_label("Subject", exact=True).fill("Quick question")
    body = page.get_by_label("Message", exact=True)
    body.fill("")
    wait_for_result(page)
    text = "Hi Ana 👋, I read your post on river ecology. Can we book a call about our platform?"
    body.press_sequentially(text)
    assert_page_matches_cli(page, "Quick question", text)


def test_counts_use_code_points_and_warn_near_the_limit(page) -> None:
    enter_draft(page, "S" * 201, "😀" * 1950)
    subject_count = page.locator("#inmail-subject-count")
    body_count = page.locator("#inmail-body-count")
    assert subject_count.text_content().startswith("201 / 200")
    assert subject_count.get_attribute("data-state") == "over"
    assert body_count.text_content().startswith("1,950 / 2,000")
    assert body_count.get_attribute("data-state") == "near"
    page.get_by_label("Message", exact=True).fill("😀" * 1899)
    assert body_count.get_attribute("data-state") == "ok"
    assert_page_matches_cli(page, "S" * 201, "😀" * 1899)
    # Edits count only what they change: a pair deleted whole, or cut in two, or typed inside.
    body = page.get_by_label("Message", exact=True)
    body.fill("a😀b😀c")
    body.evaluate("t => t.setSelectionRange(2, 2)")  # between the halves of the first pair
    page.keyboard.press("Backspace")  # Chrome deletes the whole character
    body.evaluate("t => t.setSelectionRange(1, 1)")
    page.keyboard.type("🙂x")
    for cut in ("t => t.setRangeText('', 5, 6)", "t => t.setRangeText('\\ud83d', 0, 0)"):
        body.evaluate(cut)  # a lone surrogate left behind, then one added
        body.dispatch_event("input")
    value = body.input_value()
    assert body_count.text_content().startswith(f"{len(value)} / ")
    assert_page_matches_cli(page, "S" * 201, value)


# --- Examples, keyboard, storage -----------------------------------------------------------


def test_examples_load_in_one_click_and_never_overwrite_without_asking(page) -> None:
    menu = page.locator("summary.inmail-examples__summary")
    page.locator("#inmail-checker").get_by_role("button", name="Clear", exact=True).click()
    for example in EXAMPLES:
        menu.click()
        page.locator(f"button[data-example='{example.id}']").click()
        assert page.get_by_label("Subject", exact=True).input_value() == example.subject
        assert page.get_by_label("Message", exact=True).input_value() == example.body
        _, verdict = wait_for_result(page)
        assert verdict == example.verdict
    # A draft of the reader's own: the menu asks, and "Keep" keeps it.
    mine = "Hi Sam, my own words about your retries talk. Any slides?"
    enter_draft(page, "My subject", mine)
    wait_for_result(page)
    menu.click()
    page.locator("button[data-example='pitch']").click()
    question = page.locator("#inmail-examples-question")
    assert question.is_visible() and "Replace your draft" in question.text_content()
    assert page.evaluate("document.activeElement.id") == "inmail-examples-question"
    assert page.get_by_label("Message", exact=True).input_value() == mine
    page.get_by_role("button", name="Keep my draft").click()
    assert not page.locator("#inmail-examples").evaluate("d => d.open")
    assert page.get_by_label("Message", exact=True).input_value() == mine
    # Escape closes the menu without a change.
    menu.click()
    page.locator("button[data-example='pitch']").click()
    page.keyboard.press("Escape")
    assert not page.locator("#inmail-examples").evaluate("d => d.open")
    assert page.get_by_label("Message", exact=True).input_value() == mine
    # "Replace" replaces, and Ctrl+Z in the field brings the draft back.
    menu.click()
    page.locator("button[data-example='pitch']").click()
    page.get_by_role("button", name="Replace my draft").click()
    assert page.get_by_label("Message", exact=True).input_value() == EXAMPLES[-1].body
    wait_for_result(page)
    page.get_by_label("Message", exact=True).focus()
    page.keyboard.press("Control+z")
    assert page.get_by_label("Message", exact=True).input_value() == mine


def test_keyboard_only_example_context_apply_why_select_and_copy(
    new_context, base_url: str
) -> None:
    page = open_checker(
        new_context,
        base_url,
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page.evaluate("document.activeElement && document.activeElement.blur(); scrollTo(0, 0)")
    tab_to(page, "a.matches('summary.inmail-examples__summary')")
    page.keyboard.press("Enter")
    tab_to(page, "a.dataset.example === 'needs-work'", limit=5)
    page.keyboard.press("Enter")
    example = EXAMPLES[1]
    assert page.get_by_label("Message", exact=True).input_value() == example.body
    assert_page_matches_cli(page, example.subject, example.body)
    # A context question, by keyboard: "a reply to them".
    tab_to(page, "a.id === 'inmail-stage'")
    page.keyboard.press("ArrowDown")
    assert page.locator("#inmail-stage").input_value() == "reply"
    assert_page_matches_cli(page, example.subject, example.body, Context(stage="reply"))
    page.keyboard.press("ArrowUp")
    assert_page_matches_cli(page, example.subject, example.body)
    # Apply, by keyboard.
    report = check(example.body, example.subject)
    first = next(f for f in report.findings if f.rewrites)
    tab_to(page, "a.matches('button.inmail-apply')")
    rule = page.evaluate("document.activeElement.closest('li').dataset.rule")
    assert rule == first.rule
    page.keyboard.press("Enter")
    wait_for_result(page)
    assert rule not in cards(page)
    # The "Why" of a card opens and closes from the keyboard.
    tab_to(page, "a.matches('details.inmail-finding__why > summary')")
    was_open = page.evaluate("document.activeElement.parentElement.open")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is (not was_open)
    # Select a finding's words from the keyboard.
    page.evaluate("document.getElementById('inmail-body').focus()")
    tab_to(page, "a.matches('button.inmail-finding__select')")
    index = int(page.evaluate("document.activeElement.dataset.index"))
    subject = page.get_by_label("Subject", exact=True).input_value()
    body = page.get_by_label("Message", exact=True).input_value()
    finding = check(body, subject).findings[index]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"inmail-{finding.field}"
    if finding.spans:
        span = finding.spans[0]
        selection = page.evaluate(
            "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
        )
        assert selection == [span.start_utf16, span.end_utf16]
    # Copy, from the keyboard.
    tab_to(page, "a.id === 'inmail-copy-text'")
    page.keyboard.press("Enter")
    page.get_by_text("Report copied to the clipboard.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == web.report_text(body, subject)
    page.close()


def test_why_is_open_on_first_read_and_folded_after(new_context, base_url: str) -> None:
    page = open_checker(new_context, base_url)
    subject, body = "Re: your talk", "Hi Sam, I saw your talk on retries. Any slides?"
    enter_draft(page, subject, body)
    wait_for_result(page)
    why = page.locator("#inmail-findings > li[data-rule='subject.fake-reply'] details")
    assert why.evaluate("d => d.open")
    # Later keystrokes keep the card, and the reader's choice.
    why.locator("summary").click()
    page.get_by_label("Message", exact=True).press("End")
    page.keyboard.type(" Thanks.")
    wait_for_result(page)
    assert not why.evaluate("d => d.open")
    page.reload()
    page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)
    wait_for_result(page)
    assert not why.evaluate("d => d.open")
    page.close()


def test_reload_keeps_the_draft_and_context_and_clear_removes_them(page) -> None:
    subject, body = "Your talk at PyCon", "Hi Sam, I saw your talk on retries. One question?"
    context = Context(stage="reply", answered=True, audience="few")
    enter_draft(page, subject, body, context)
    wait_for_result(page)
    page.reload()
    page.locator(MOUNTED).wait_for(state="attached")
    assert page.get_by_label("Subject", exact=True).input_value() == subject
    assert page.get_by_label("Message", exact=True).input_value() == body
    assert page.locator("#inmail-stage").input_value() == "reply"
    assert page.locator("#inmail-answered").input_value() == "yes"
    assert page.locator("#inmail-audience").input_value() == "few"
    assert_page_matches_cli(page, subject, body, context)
    page.locator("#inmail-checker").get_by_role("button", name="Clear", exact=True).click()
    assert page.get_by_label("Subject", exact=True).input_value() == ""
    assert page.get_by_label("Message", exact=True).input_value() == ""
    assert page.locator("#inmail-stage").input_value() == "first"
    assert page.evaluate("localStorage.getItem('inmail-checker.draft')") is None
    page.reload()
    page.locator(MOUNTED).wait_for(state="attached")
    assert page.get_by_label("Message", exact=True).input_value() == ""
    assert page.locator(RESULT).get_attribute("data-score") == ""
    page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)


# --- Safety ----------------------------------------------------------------------------------


def test_html_and_script_in_a_draft_are_shown_as_text(page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    subject = '<b onmouseover="alert(1)">FREE</b> <img src=x onerror="window.__pwned=1">'
    body = (
        "Hi <script>window.__pwned = 2</script> Sam,\n"
        '<img src="nope.png" onerror="window.__pwned = 3">book a call</img>\n'
        "<iframe src=\"javascript:alert('x')\"></iframe> &lt;b&gt; {{7*7}} ${7*7}"
    )
    enter_draft(page, subject, body)
    assert_page_matches_cli(page, subject, body)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    injected = page.eval_on_selector_all(
        "#inmail-checker img, #inmail-checker script:not([type='application/json']),"
        " #inmail-checker iframe, #inmail-checker b",
        "nodes => nodes.length",
    )
    assert injected == 0
    segments = expected(subject, body)["segments"]
    for field, text in (("subject", subject), ("body", body)):
        mirrored = "\n".join(
            page.eval_on_selector_all(
                f"#inmail-{field}-backdrop .inmail-line", "lines => lines.map(l => l.textContent)"
            )
        )
        # As text, as far as the last mark (past it the mirror has nothing to paint).
        last = max((segment["end"] for segment in segments[field]), default=0)
        assert text.startswith(mirrored) and len(mirrored) >= last
    messages = page.eval_on_selector_all(
        "#inmail-findings .inmail-finding__message", "nodes => nodes.map(n => n.textContent)"
    )
    findings = check(body, subject).findings
    assert [m.split(" (")[0] for m in messages] == [f.message.split(" (")[0] for f in findings]


def test_checker_page_inline_scripts_are_all_allowed_by_hash(built_site: Path) -> None:
    html = (built_site / "checker" / "index.html").read_text(encoding="utf-8")
    policies = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert len(policies) == 1
    script_src = next(
        part.split()[1:] for part in policies[0].split(";") if part.split()[:1] == ["script-src"]
    )
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'wasm-unsafe-eval'" in script_src
    inline = _inline_scripts(html)
    assert inline, "expected Material's inline scripts on the page"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in script_src, (
            f"inline script not allowed by the CSP in docs/checker.md: add 'sha256-{digest}' "
            f"for {script[:80]!r}"
        )


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        kind = (values.get("type") or "text/javascript").lower()
        executable = kind in ("text/javascript", "module", "application/javascript")
        self._inline = tag == "script" and "src" not in values and executable
        if self._inline:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inline = False

    def handle_data(self, data: str) -> None:
        if self._inline:
            self.scripts[-1] += data


def _inline_scripts(html: str) -> list[str]:
    parser = _Scripts()
    parser.feed(html)
    return parser.scripts


def test_no_csp_violation_on_the_checker_page(page) -> None:
    assert page.evaluate("document.querySelector('meta[http-equiv=Content-Security-Policy]')")
    assert csp_violations(page) == []


# --- Accessibility -------------------------------------------------------------------------


def test_axe_finds_nothing_serious_in_the_checker(page) -> None:
    enter_draft(page, EXAMPLES[1].subject, EXAMPLES[1].body + " Thanks.")
    wait_for_result(page)
    page.locator("#inmail-findings button.inmail-finding__select").first.click()
    page.locator("summary.inmail-examples__summary").click()
    page.locator("button[data-example='pitch']").click()  # the question is showing
    assert axe_serious(page, include=WIDGET) == []
    page.get_by_role("button", name="Keep my draft").click()
    # While updating, too.
    page.get_by_label("Message", exact=True).press("End")
    page.keyboard.type(" Thanks")
    assert axe_serious(page, include=WIDGET) == []
    wait_for_result(page)


def test_results_are_announced_politely(page) -> None:
    status = page.locator("#inmail-status")
    assert status.get_attribute("aria-live") == "polite"
    assert page.locator("#inmail-notice").get_attribute("aria-live") == "polite"
    enter_draft(page, EXAMPLES[0].subject, EXAMPLES[0].body)
    score, _ = wait_for_result(page)
    assert status.text_content().startswith(f"Score {score} out of 100")


def test_axe_finds_nothing_serious_on_the_checker_page(page) -> None:
    enter_draft(page, "Quick question", "Hi, can we book a call about our platform? 😀")
    wait_for_result(page)
    assert axe_serious(page) == []


def test_axe_finds_nothing_serious_on_the_home_page(page, base_url: str) -> None:
    page.goto(base_url)
    assert axe_serious(page) == []
    page.goto(base_url + "checker/")
    page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)


def test_axe_finds_nothing_serious_in_dark_mode(new_context, base_url: str) -> None:
    dark = new_context(color_scheme="dark").new_page()
    dark.goto(base_url + "checker/")
    assert dark.evaluate("document.body.dataset.mdColorScheme") == "slate"
    enter_draft(dark, EXAMPLES[1].subject, EXAMPLES[1].body)
    wait_for_result(dark)
    assert axe_serious(dark, include=WIDGET) == []
    assert axe_serious(dark) == []
    dark.goto(base_url)
    assert axe_serious(dark) == []
    dark.close()


# --- Getting there, and when things go wrong -----------------------------------------------


def test_instant_navigation_starts_the_checker_and_guide_pages_load_no_pyodide(
    new_context, base_url: str, traffic: Traffic
) -> None:
    page = new_context().new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(base_url)
    page.goto(base_url + "writing/")
    page.wait_for_load_state("networkidle")
    # Guide pages load only the small boot script: not the checker, its worker or Pyodide.
    assert not [url for url in seen if "/assets/checker/runtime/" in url]
    assert not [url for url in seen if "checker-page.mjs" in url or "checker-worker" in url]
    assert [url for url in seen if url.endswith("/assets/checker/checker.mjs")]
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Check an InMail draft").first.click()
    page.wait_for_url("**/checker/")
    subject, body = "Question about your flood paper", "Hi Sam, I read your paper. Any tips?"
    # Typed while the runtime may still be loading: the result comes when it is ready.
    enter_draft(page, subject, body)
    assert_page_matches_cli(page, subject, body)
    assert page.evaluate("window.__sameDocument") is True, "Material reloaded the page"
    assert [url for url in seen if url.endswith("/assets/checker/runtime/pyodide.asm.wasm.zst")]
    # Away and back, still without a reload: the draft and its result are still there.
    page.evaluate("document.getElementById('inmail-checker').dataset.left = ''")
    page.get_by_role("link", name="Checklist").first.click()
    page.wait_for_url("**/checklist/")
    page.go_back()
    page.wait_for_url("**/checker/")
    # The address changes before the page's content does (it comes through the service worker
    # once the checker has started): wait for the new form, not the one that was left.
    page.locator(f"{MOUNTED}:not([data-left])").wait_for(state="attached")
    assert page.get_by_label("Message", exact=True).input_value() == body
    assert_page_matches_cli(page, subject, body)
    assert page.evaluate("window.__sameDocument") is True
    assert csp_violations(page) == []
    page.close()


def test_a_failed_runtime_download_says_so_and_keeps_the_draft(new_context, base_url: str) -> None:
    context = new_context()
    # The WebAssembly, as its Zstandard copy (what the page fetches) and plain (the fallback).
    context.route("**/assets/checker/runtime/pyodide.asm.wasm*", lambda route: route.abort())
    page = context.new_page()
    page.goto(base_url + "checker/")
    enter_draft(page, "Your talk", "Hi Sam, a question about your talk?")
    failure = page.locator("#inmail-failure")
    failure.wait_for(state="visible", timeout=READY_TIMEOUT)
    assert "can’t run" in failure.text_content()
    assert (
        failure.get_by_role("link", name="checklist before you hit send")
        .get_attribute("href")
        .endswith("checklist/")
    )
    assert page.locator(RESULT).get_attribute("data-score") == ""
    page.reload()
    page.locator(MOUNTED).wait_for(state="attached")
    assert (
        page.get_by_label("Message", exact=True).input_value()
        == "Hi Sam, a question about your talk?"
    )
    page.close()


def test_a_worker_that_cannot_start_says_so(new_context, base_url: str) -> None:
    # What a browser without module workers sees: the worker script fails to evaluate.
    context = new_context()
    context.route(
        "**/assets/checker/checker-worker.mjs",
        lambda route: route.fulfill(body="import {", content_type="text/javascript"),
    )
    page = context.new_page()
    page.goto(base_url + "checker/")
    failure = page.locator("#inmail-failure")
    failure.wait_for(state="visible", timeout=READY_TIMEOUT)
    assert "module workers" in failure.text_content()
    assert page.locator(RESULT).get_attribute("data-score") == ""
    page.close()


def test_without_webassembly_the_page_says_so(new_context, base_url: str) -> None:
    context = new_context()
    context.add_init_script("delete globalThis.WebAssembly")
    page = context.new_page()
    page.goto(base_url + "checker/")
    failure = page.locator("#inmail-failure")
    failure.wait_for(state="visible", timeout=READY_TIMEOUT)
    assert "WebAssembly" in failure.text_content()
    page.get_by_label("Message", exact=True).fill("Still typing")
    # Saved once the typing pauses (the page's CSP forbids wait_for_function's eval: poll).
    for _ in range(50):
        if "Still typing" in (page.evaluate("localStorage.getItem('inmail-checker.draft')") or ""):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the draft was not saved")
    page.close()


def test_a_one_megabyte_paste_keeps_the_page_responsive(new_context, base_url: str) -> None:
    page = open_checker(new_context, base_url)
    unit = "Hi Sam 👋, I read your paper on river ecology and liked the part on floods. " * 12
    body = (unit + "\n") * 1110
    assert len(body) > 1_000_000
    page.get_by_label("Subject", exact=True).fill("A long one")
    wait_for_result(page)
    # A paste: the whole text arrives in one input event.
    page.evaluate(
        """(text) => {
            const field = document.getElementById("inmail-body");
            field.value = text;
            const paste = {bubbles: true, inputType: "insertFromPaste"};
            field.dispatchEvent(new InputEvent("input", paste));
        }""",
        body,
    )
    # The last result stays while the new one is made; the page still answers the keyboard.
    assert page.locator(RESULT).get_attribute("data-state") == "updating"
    page.locator("#inmail-result[data-checking]").wait_for(state="attached")
    assert page.evaluate("1 + 1") == 2
    page.get_by_label("Subject", exact=True).press("End")
    assert page.evaluate("document.getElementById('inmail-result').dataset.checking") == "true"
    assert page.locator("#inmail-body-count").text_content().startswith("1,000,110 / 2,000")
    report = check(body, "A long one")
    score, verdict = wait_for_result(page, timeout=300_000)
    assert (score, verdict) == (str(report.score), report.verdict)
    assert cards(page) == [finding.rule for finding in report.findings]
    # The mirror holds the text only as far as the checker reads it.
    mirrored = page.evaluate("document.getElementById('inmail-body-backdrop').textContent.length")
    limit = json.loads(web.ready())["limits"]["checked"]
    assert limit * 0.9 < mirrored < limit * 1.2
    page.close()


def test_a_paste_past_what_the_checker_reads_is_cut_there_and_the_rest_set_aside(
    new_context, base_url: str
) -> None:
    # A real Ctrl+V of a megabyte: a textarea holding it blocks the page for a second or more
    # (scripts/bench_browser.py --only f), so the box takes what the checker reads and the page
    # keeps the rest, to copy or save; nothing is lost and Ctrl+Z still undoes the paste.
    page = open_checker(new_context, base_url, permissions=["clipboard-read", "clipboard-write"])
    limit = json.loads(web.ready())["limits"]["checked"]
    unit = "Hi Sam 👋, I read your paper on river ecology and liked the part on floods. " * 12
    pasted = (unit + "\n") * 1110  # astral characters: code points and UTF-16 units differ
    before = "Hi Ana, "
    head, rest = pasted[: limit - len(before)], pasted[limit - len(before) :]
    body = page.get_by_label("Message", exact=True)
    aside = page.locator("#inmail-aside")
    notice = page.locator("#inmail-notice")
    stored = "localStorage.getItem('inmail-checker.set-aside')"
    page.get_by_label("Subject", exact=True).fill("A long one")
    body.fill(before)
    body.press("End")

    def paste(text: str) -> None:
        page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
        body.press("Control+V")

    # A paste that fits is the browser's, and so is its undo.
    paste("a short note. ")
    assert body.input_value() == before + "a short note. "
    body.press("Control+z")
    assert body.input_value() == before
    assert aside.is_hidden()

    paste(pasted)
    page.locator("#inmail-body:not([readonly])").wait_for()  # in the box, a piece at a time
    aside.wait_for(state="visible")
    assert body.input_value() == before + head
    assert page.evaluate(stored) == rest
    assert f"{len(rest):,} pasted characters past the {limit:,}" in aside.text_content()
    assert notice.get_attribute("aria-live") == "polite"
    assert notice.text_content() == (
        f"Pasted the first {len(head):,} of {len(pasted):,} characters: the checker reads "
        f"{limit:,} characters of a field. The other {len(rest):,} are set aside below. "
        "Ctrl+Z undoes the paste."
    )
    # Ctrl+Z undoes it, set-aside text and all; pasting again sets it aside again.
    body.press("Control+z")
    assert body.input_value() == before
    assert aside.is_hidden() and page.evaluate(stored) is None
    paste(pasted)
    page.locator("#inmail-body:not([readonly])").wait_for()
    aside.wait_for(state="visible")
    assert body.input_value() == before + head

    with page.expect_download() as download:
        page.get_by_role("button", name="Save it as a file").click()
    assert Path(download.value.path()).read_text(encoding="utf-8") == rest
    page.get_by_role("button", name="Copy the set-aside text").click()
    notice.get_by_text(f"Copied the {len(rest):,} set-aside characters").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == rest

    # The page stays usable: typing goes on and the result comes, for what the box holds.
    body.press("End")
    page.keyboard.type(" Thanks")
    report = check(before + head + " Thanks", "A long one")
    score, verdict = wait_for_result(page, timeout=300_000)
    assert (score, verdict) == (str(report.score), report.verdict)

    # A reload keeps both; discarding forgets the set-aside text, and says so.
    page.reload()
    page.locator(MOUNTED).wait_for(state="attached")
    assert body.input_value() == before + head + " Thanks"
    assert aside.is_visible() and page.evaluate(stored) == rest
    page.get_by_role("button", name="Discard it").click()
    assert aside.is_hidden() and page.evaluate(stored) is None
    assert notice.text_content() == "Set-aside text discarded."
    assert page.evaluate("document.activeElement.id") == "inmail-body"
    page.close()


def test_text_dropped_past_what_the_checker_reads_is_cut_there_too(
    new_context, base_url: str
) -> None:
    page = open_checker(new_context, base_url)
    limit = json.loads(web.ready())["limits"]["checked"]
    dropped = "Hi Sam, a long note about river ecology and floods.\n" * 4000
    before = "Hi Ana, "
    head, rest = dropped[: limit - len(before)], dropped[limit - len(before) :]
    body = page.get_by_label("Message", exact=True)
    body.fill(before)
    body.press("End")
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const drop = {bubbles: true, cancelable: true, dataTransfer: data};
            document.getElementById("inmail-body").dispatchEvent(new DragEvent("drop", drop));
        }""",
        dropped,
    )
    page.locator("#inmail-aside").wait_for(state="visible")
    page.locator("#inmail-body:not([readonly])").wait_for()
    assert body.input_value() == before + head
    assert page.evaluate("localStorage.getItem('inmail-checker.set-aside')") == rest
    notice = page.locator("#inmail-notice").text_content() or ""
    assert notice.startswith(f"Dropped the first {len(head):,} of {len(dropped):,} characters")
    body.press("Control+z")
    assert body.input_value() == before
    page.close()


def test_no_request_left_the_origin_and_no_csp_error(traffic: Traffic) -> None:
    assert traffic.requests, "no request was recorded"
    runtime = "/assets/checker/runtime/"
    assert any(url.endswith(f"{runtime}pyodide.asm.wasm.zst") for url in traffic.requests)
    assert any(url.endswith(".whl.zst") for url in traffic.requests)
    assert traffic.foreign() == []
    assert [e for e in traffic.console_errors if "Content Security Policy" in e] == []
