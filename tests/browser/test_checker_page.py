"""The checker page in headless Chromium: same results as the CLI, usable, safe, self-contained.

One browser for the session. Most tests share one page that has the checker loaded; the tests
that break something (no WebAssembly, a failed download, a 1 MB draft kept in storage) get
their own browser context. The last test checks that no request of the whole session left the
site's origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from inmail_checker import check
from inmail_checker.render import text_report
from inmail_lab.corpus import load_handwritten as load_corpus
from tests.browser.conftest import ROOT, Traffic

pytestmark = pytest.mark.browser

READY_TIMEOUT = 120_000  # ms; generous for a loaded two-core machine, never a speed claim
RESULT = "#inmail-result"
RESULT_READY = "#inmail-result:not([data-score=''])"
MOUNTED = "#inmail-checker.inmail-checker--live"  # the page script has restored the draft
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


# --- Helpers -------------------------------------------------------------------------------


def wait_for_result(page, timeout: int = READY_TIMEOUT) -> tuple[str, str]:
    page.locator(RESULT_READY).wait_for(state="attached", timeout=timeout)
    result = page.locator(RESULT)
    return result.get_attribute("data-score"), result.get_attribute("data-verdict")


def enter_draft(page, subject: str, body: str) -> None:
    page.get_by_label("Subject", exact=True).fill(subject)
    page.get_by_label("Message", exact=True).fill(body)


def covered(page, backdrop_id: str) -> list[list[int]]:
    """UTF-16 ranges of the draft painted as highlights, adjacent ones merged."""
    ranges = page.evaluate(
        """(id) => {
            const ranges = [];
            let offset = 0;
            for (const node of document.getElementById(id).childNodes) {
              const length = node.textContent.length;
              if (node.nodeName === "MARK") ranges.push([offset, offset + length]);
              offset += length;
            }
            return ranges;
        }""",
        backdrop_id,
    )
    return _merge(ranges)


def _merge(ranges: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def expected_highlights(report, field: str) -> list[list[int]]:
    return _merge(
        [
            [span.start_utf16, span.end_utf16]
            for item in (*report.findings, *report.strengths)
            for span in item.spans
            if span.field == field and span.end > span.start
        ]
    )


def assert_page_matches_cli(page, subject: str, body: str) -> None:
    report = check(body, subject)
    score, verdict = wait_for_result(page)
    assert (score, verdict) == (str(report.score), report.verdict)
    assert covered(page, "inmail-subject-backdrop") == expected_highlights(report, "subject")
    assert covered(page, "inmail-body-backdrop") == expected_highlights(report, "body")
    listed = page.eval_on_selector_all(
        "#inmail-findings li[data-rule]", "items => items.map(item => item.dataset.rule)"
    )
    assert listed == [finding.rule for finding in report.findings][:200]
    # The report's UTF-16 offsets cut the page's own text exactly where the checker says.
    cuts = page.evaluate(
        """(spans) => spans.map(([field, start, end]) =>
            document.getElementById(field === "subject" ? "inmail-subject" : "inmail-body")
              .value.slice(start, end))""",
        [[s.field, s.start_utf16, s.end_utf16] for f in report.findings for s in f.spans],
    )
    typed = {"subject": subject, "body": body}
    assert cuts == [typed[s.field][s.start : s.end] for f in report.findings for s in f.spans]


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


def _sample_corpus() -> list:
    corpus = sorted(load_corpus(), key=lambda draft: draft.id)
    assert len(corpus) >= 50, "the labelled corpus in tests/corpus/ is missing or tiny"
    astral = [d for d in corpus if any(ord(c) > 0xFFFF for c in d.subject + d.body)]
    sample = corpus[:: max(1, len(corpus) // 16)] + astral[:4]
    return list({draft.id: draft for draft in sample}.values())


CORPUS_SAMPLE = _sample_corpus()


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def context(new_context):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    return context


@pytest.fixture(scope="module")
def page(context, base_url: str):
    """The checker page, loaded once and ready."""
    page = context.new_page()
    page.goto(base_url + "checker/")
    page.locator("#inmail-checker[data-state='ready']").wait_for(
        state="attached", timeout=READY_TIMEOUT
    )
    return page


# --- The page says what the CLI says -------------------------------------------------------


@pytest.mark.parametrize("draft", CORPUS_SAMPLE, ids=lambda draft: draft.id)
def test_corpus_draft_gets_the_cli_result(page, draft) -> None:
    enter_draft(page, draft.subject, draft.body)
    assert_page_matches_cli(page, draft.subject, draft.body)


def test_typing_key_by_key_shows_the_newest_result_only(page) -> None:
    page.get_by_label("Subject", exact=True).fill("Quick question")
    body = page.get_by_label("Message", exact=True)
    body.fill("")
    # Records data-score just after each input event (long before the debounce ends).
    page.evaluate(
        """() => {
            window.__scoreAfterInput = [];
            const result = document.getElementById("inmail-result");
            document.getElementById("inmail-body").addEventListener("input", () =>
              setTimeout(() => window.__scoreAfterInput.push(result.dataset.score), 0));
        }"""
    )
    text = "Hi Ana 👋, I read your post on river ecology. Can we book a call about our platform?"
    body.press_sequentially(text)
    assert_page_matches_cli(page, "Quick question", text)
    # After every keystroke the result was blank until the check of that very text was shown.
    after_input = page.evaluate("window.__scoreAfterInput")
    assert len(after_input) == len(text)
    assert set(after_input) == {""}


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


# --- Keyboard, storage, clipboard ----------------------------------------------------------


def test_keyboard_only_tab_type_and_select_a_finding(page) -> None:
    page.get_by_label("Subject", exact=True).fill("")
    page.get_by_label("Message", exact=True).fill("")
    page.evaluate("document.activeElement && document.activeElement.blur(); scrollTo(0, 0)")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "inmail-subject":
            break
    else:
        pytest.fail("Tab never reached the Subject field")
    subject = "Re: our call"
    body = "Hi Sam, our platform saves time. Can I book a call with you this week? 🙂"
    page.keyboard.type(subject)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "inmail-body"
    page.keyboard.type(body)
    assert_page_matches_cli(page, subject, body)
    report = check(body, subject)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('button[data-finding]')"):
            break
    else:
        pytest.fail("Tab never reached a finding")
    index = int(page.evaluate("document.activeElement.dataset.finding"))
    finding = report.findings[index]
    page.keyboard.press("Enter")
    field_id = "inmail-subject" if finding.field == "subject" else "inmail-body"
    assert page.evaluate("document.activeElement.id") == field_id
    if finding.spans:
        span = finding.spans[0]
        selection = page.evaluate(
            "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
        )
        assert selection == [span.start_utf16, span.end_utf16]
        active = page.eval_on_selector_all(
            f"#{field_id}-backdrop mark.is-active", "marks => marks.map(m => m.textContent)"
        )
        assert span.text in "".join(active)


def test_clicking_a_finding_selects_and_reveals_its_words(page) -> None:
    padding = "\n".join(f"Line {n} about the river survey." for n in range(60))
    body = f"Hi Sam,\n{padding}\nCould we book a quick call next week?"
    enter_draft(page, "Question about your survey", body)
    assert_page_matches_cli(page, "Question about your survey", body)
    report = check(body, "Question about your survey")
    index = next(i for i, f in enumerate(report.findings) if f.rule == "pitch.book-a-call")
    page.locator(f"button[data-finding='{index}']").click()
    textarea = page.get_by_label("Message", exact=True)
    span = report.findings[index].spans[0]
    assert textarea.evaluate("t => [t.selectionStart, t.selectionEnd]") == [
        span.start_utf16,
        span.end_utf16,
    ]
    # The words were far below the fold of the textarea: it scrolled, and its mirror with it.
    assert textarea.evaluate("t => t.scrollTop") > 0
    assert page.evaluate(
        "document.getElementById('inmail-body-backdrop').scrollTop"
        " === document.getElementById('inmail-body').scrollTop"
    )


def test_reload_keeps_the_draft_and_clear_removes_it(page) -> None:
    subject, body = "Your talk at PyCon", "Hi Sam, I saw your talk on retries. One question?"
    enter_draft(page, subject, body)
    wait_for_result(page)
    page.reload()
    page.locator(MOUNTED).wait_for(state="attached")
    assert page.get_by_label("Subject", exact=True).input_value() == subject
    assert page.get_by_label("Message", exact=True).input_value() == body
    assert_page_matches_cli(page, subject, body)
    page.locator("#inmail-checker").get_by_role("button", name="Clear").click()
    assert page.get_by_label("Subject", exact=True).input_value() == ""
    assert page.get_by_label("Message", exact=True).input_value() == ""
    assert page.evaluate("localStorage.getItem('inmail-checker.draft')") is None
    page.reload()
    page.locator(MOUNTED).wait_for(state="attached")
    assert page.get_by_label("Message", exact=True).input_value() == ""
    assert page.locator(RESULT).get_attribute("data-score") == ""
    page.locator("#inmail-checker[data-state='ready']").wait_for(
        state="attached", timeout=READY_TIMEOUT
    )


def test_copy_report_puts_plain_text_on_the_clipboard(page) -> None:
    subject, body = "Quick question", "Hi, can we book a call about our platform?"
    enter_draft(page, subject, body)
    wait_for_result(page)
    page.locator("#inmail-checker").get_by_role("button", name="Copy report").click()
    page.get_by_text("Report copied to the clipboard.").wait_for()
    text = page.evaluate("navigator.clipboard.readText()")
    # The same text the command line prints: one renderer.
    assert text == text_report(check(body, subject), body, subject)


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
        "#inmail-checker img, #inmail-checker script, #inmail-checker iframe, #inmail-checker b",
        "nodes => nodes.length",
    )
    assert injected == 0
    for field in ("subject", "body"):
        mirrored = page.evaluate(
            f"document.getElementById('inmail-{field}-backdrop').textContent.slice(0, -1)"
        )
        assert mirrored == (subject if field == "subject" else body)
    messages = page.eval_on_selector_all(
        "#inmail-findings .inmail-finding__message", "nodes => nodes.map(n => n.textContent)"
    )
    assert messages == [f.message for f in check(body, subject).findings][:200]


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
    enter_draft(page, "Quick question", "Hi, can we book a call about our platform? 😀")
    wait_for_result(page)
    page.locator("#inmail-findings button").first.click()
    assert axe_serious(page, include=WIDGET) == []


def test_axe_finds_nothing_serious_on_the_checker_page(page) -> None:
    enter_draft(page, "Quick question", "Hi, can we book a call about our platform? 😀")
    wait_for_result(page)
    assert axe_serious(page) == []


def test_axe_finds_nothing_serious_on_the_home_page(page, base_url: str) -> None:
    page.goto(base_url)
    assert axe_serious(page) == []


def test_axe_finds_nothing_serious_in_dark_mode(new_context, base_url: str) -> None:
    dark = new_context(color_scheme="dark").new_page()
    dark.goto(base_url + "checker/")
    assert dark.evaluate("document.body.dataset.mdColorScheme") == "slate"
    enter_draft(dark, "Quick question", "Hi, can we book a call about our platform?")
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
    assert [url for url in seen if url.endswith("/assets/checker/runtime/pyodide.asm.wasm")]
    # Away and back, still without a reload: the draft and its result are still there.
    page.get_by_role("link", name="Checklist").first.click()
    page.wait_for_url("**/checklist/")
    page.go_back()
    page.wait_for_url("**/checker/")
    assert page.get_by_label("Message", exact=True).input_value() == body
    assert_page_matches_cli(page, subject, body)
    assert page.evaluate("window.__sameDocument") is True
    assert csp_violations(page) == []
    page.close()


def test_a_failed_runtime_download_says_so_and_keeps_the_draft(new_context, base_url: str) -> None:
    context = new_context()
    context.route("**/assets/checker/runtime/pyodide.asm.wasm", lambda route: route.abort())
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
    assert "Still typing" in page.evaluate("localStorage.getItem('inmail-checker.draft')")
    page.close()


def test_a_one_megabyte_paste_keeps_the_page_responsive(new_context, base_url: str) -> None:
    page = new_context().new_page()
    page.goto(base_url + "checker/")
    page.locator("#inmail-checker[data-state='ready']").wait_for(
        state="attached", timeout=READY_TIMEOUT
    )
    unit = "Hi Sam 👋, I read your paper on river ecology and liked the part on floods. " * 12
    body = (unit + "\n") * 1110
    assert len(body) > 1_000_000
    page.get_by_label("Subject", exact=True).fill("A long one")
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
    # While the worker checks, the page still runs scripts and answers the keyboard.
    page.locator("#inmail-result[data-checking]").wait_for(state="attached")
    assert page.evaluate("1 + 1") == 2
    page.get_by_label("Subject", exact=True).press("End")
    assert page.evaluate("document.getElementById('inmail-result').dataset.checking") == "true"
    assert page.locator("#inmail-body-count").text_content().startswith("1,000,110 / 2,000")
    report = check(body, "A long one")
    score, verdict = wait_for_result(page, timeout=300_000)
    assert (score, verdict) == (str(report.score), report.verdict)
    listed = page.locator("#inmail-findings > li").count()
    assert listed == min(len(report.findings), 200) + (len(report.findings) > 200)
    page.close()


def test_no_request_left_the_origin_and_no_csp_error(traffic: Traffic) -> None:
    assert traffic.requests, "no request was recorded"
    assert any(url.endswith("/assets/checker/runtime/pyodide.asm.wasm") for url in traffic.requests)
    assert any(url.endswith(".whl") for url in traffic.requests)
    assert traffic.foreign() == []
    assert [e for e in traffic.console_errors if "Content Security Policy" in e] == []
