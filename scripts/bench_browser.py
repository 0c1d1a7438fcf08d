"""Benchmark the in-page checker in headless Chromium (a measurement, not a test).

Builds the site into a temporary directory, serves it on 127.0.0.1 and measures, in one run:

(a) a bare page that only calls ``loadPyodide()`` from the same files (on the main thread, and
    in a module worker like the checker), from navigation start to "loaded"; and, to tell the
    Python work from the page's, a bare worker that also installs the wheel and imports it;
(b) the checker page, from navigation start until it is ready to check (Pyodide started, the
    wheel installed, ``inmail_checker`` imported);
(c) for a 400- and a 2,000-character draft, one keystroke at a time: from the input event to
    the DOM update of ``data-score`` (includes the page's 150 ms debounce, by design), and the
    page's own check+render time (request sent to the worker -> result rendered), which is
    the same path without the debounce (at 2,000 characters a typed letter takes the draft past
    LinkedIn's limit, where the page waits for an 800 ms pause instead: half of those
    keystrokes wait that long, by design);
(d) bytes transferred for the checker page and a guide page (until the network is idle), as
    served here (uncompressed) and as gzip would make them (an estimate of what a static host
    that compresses text sends);
(e) typing into a 100 KB draft (past the InMail limit: the page checks on a pause), one key
    every 50 ms: the page's input handler time per keystroke (its own measure, inmail:input),
    the keystrokes whose input-to-next-paint took 16 ms or more (Event Timing), and the long
    tasks (50 ms or more) while typing;
(f) a 1 MB paste (a real Ctrl+V from the clipboard) into the checker, until its result shows:
    every long task and the longest, the input handler's time, where the text went (the page
    keeps what the checker reads in the box and sets the rest aside), and, for comparison, the
    same paste into a bare page holding only a textarea styled like the checker's (what the
    browser itself costs when a textarea takes the whole megabyte).

Each (a)/(b) run uses a fresh browser context (empty cache). Usage:

    python scripts/bench_browser.py [--runs 5] [--edits 60] [--only e,f] [--json out.json]

Chromium: INMAIL_BROWSER or /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

from inmail_lab.browser import CHROMIUM_ARGS, chromium_path
from inmail_lab.serve import serve
from inmail_lab.site import build_site as build_lab_site

BARE_PAGE = """<!doctype html>
<meta charset="utf-8"><title>loading</title>
<script type="module">
import { loadPyodide } from "../assets/checker/runtime/pyodide.mjs";
await loadPyodide({ indexURL: new URL("../assets/checker/runtime/", location).href });
window.__loaded = performance.now();
document.title = "loaded";
</script>
"""

BARE_WORKER_PAGE = """<!doctype html>
<meta charset="utf-8"><title>loading</title>
<script type="module">
const worker = new Worker(new URL("bare-worker.mjs", location), { type: "module" });
worker.onmessage = () => { window.__loaded = performance.now(); document.title = "loaded"; };
</script>
"""

BARE_WORKER = """
import { loadPyodide } from "../assets/checker/runtime/pyodide.mjs";
await loadPyodide({ indexURL: new URL("../assets/checker/runtime/", import.meta.url).href });
self.postMessage("loaded");
"""

# The checker's Python work without the guide page around it: runtime, wheel, import.
PACKAGE_WORKER_PAGE = BARE_WORKER_PAGE.replace("bare-worker.mjs", "package-worker.mjs")
PACKAGE_WORKER = """
import { loadPyodide } from "../assets/checker/runtime/pyodide.mjs";

ROOT = Path(__file__).resolve().parent.parent
const indexURL = new URL("../assets/checker/runtime/", import.meta.url).href;
const pyodide = await loadPyodide({ indexURL, packages: ["inmail-checker"] });
pyodide.runPython("import inmail_checker");
self.postMessage("loaded");
"""

# Long tasks, and keyboard events that took 16 ms or more from input to paint: recorded on the
# checker page and on the bare textarea alike.
OBSERVERS = """
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    window.__bench.long.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask" });
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (entry.name === "keydown" || entry.name === "input" || entry.name === "keypress")
      window.__bench.slow.push([entry.name, entry.startTime, entry.duration]);
}).observe({ type: "event", durationThreshold: 16 });
"""

# Installed before any page script: when the checker becomes ready, when each result is shown
# (the result's data-state turns "current"), keystroke timings, long tasks, slow events.
RECORDER = (
    """
window.__bench = { ready: null, inputs: [], scores: [], long: [], slow: [] };
document.addEventListener("input", () => window.__bench.inputs.push(performance.now()), true);
new MutationObserver((records) => {
  for (const { target } of records) {
    const now = performance.now();
    if (target.id === "inmail-checker" && target.dataset.state === "ready")
      window.__bench.ready ??= now;
    if (target.id === "inmail-result" && target.dataset.state === "current")
      window.__bench.scores.push(now);
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
"""
    + OBSERVERS
)

# The checker's textarea alone, as the checker page styles it: what a paste costs the browser.
TEXTAREA_PAGE = (
    """<!doctype html>
<meta charset="utf-8"><title>textarea</title>
<style>
body { font-family: -apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif; }
textarea { box-sizing: border-box; width: 620px; height: 340px; padding: 0.55rem 0.7rem;
  font: 400 16px/1.6 inherit; white-space: pre-wrap; overflow-wrap: break-word; }
</style>
<label for="t">Message</label>
<textarea id="t"></textarea>
<script>
window.__bench = { long: [], slow: [] };
"""
    + OBSERVERS
    + """</script>
"""
)

SENTENCES = [
    "Hi Sam, I read your paper on flood models for the Severn and liked the section on",
    " uncertainty in rainfall inputs. I work on a similar problem for the Douro basin and",
    " we hit the same calibration issue you describe when gauges go missing for weeks.",
    " Would you be open to a short exchange by message about how you filled those gaps?",
    " No call needed, and if you are busy a no is completely fine. Thanks, Ana",
]


def draft_of(length: int) -> str:
    text = ""
    while len(text) < length:
        text += "".join(SENTENCES) + "\n\n"
    return text[:length]


def emit(results: dict[str, object], path: Path | None) -> None:
    """Print the results as JSON, and write them to ``path`` too when one is given."""
    text = json.dumps(results, indent=2)
    print(text)
    if path:
        path.write_text(text + "\n", encoding="utf-8")


def _browser_path() -> str:
    path = chromium_path()
    if path is None:
        raise SystemExit("no Chromium: set INMAIL_BROWSER")
    return path


def build_site(folder: Path) -> Path:
    site = build_lab_site(folder)
    bench = site / "bench"
    bench.mkdir()
    (bench / "bare.html").write_text(BARE_PAGE, encoding="utf-8")
    (bench / "bare-worker.html").write_text(BARE_WORKER_PAGE, encoding="utf-8")
    (bench / "bare-worker.mjs").write_text(BARE_WORKER, encoding="utf-8")
    (bench / "package-worker.html").write_text(PACKAGE_WORKER_PAGE, encoding="utf-8")
    (bench / "package-worker.mjs").write_text(PACKAGE_WORKER, encoding="utf-8")
    (bench / "textarea.html").write_text(TEXTAREA_PAGE, encoding="utf-8")
    return site


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": round(statistics.median(values), 1),
        "p95": round(percentile(values, 0.95), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
    }


def time_bare(browser, url: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.title === 'loaded'", timeout=180_000)
    loaded = page.evaluate("window.__loaded")
    context.close()
    return loaded


STEPS = """() => {
  const [navigation] = performance.getEntriesByType("navigation");
  const steps = { "dom-content-loaded": navigation.domContentLoadedEventEnd };
  for (const mark of performance.getEntriesByType("mark")) {
    if (mark.name.startsWith("inmail:")) steps[mark.name.slice(7)] = mark.startTime;
  }
  steps["page-ready"] = window.__bench.ready;
  return steps;
}"""


def time_checker(browser, url: str) -> dict[str, float]:
    """Milliseconds from navigation start to each step of the checker's start-up."""
    context = browser.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.goto(url)
    page.locator("#inmail-checker[data-state='ready']").wait_for(state="attached", timeout=180_000)
    steps = page.evaluate(STEPS)
    context.close()
    return steps


def keystrokes(browser, url: str, length: int, edits: int) -> dict[str, object]:
    context = browser.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.goto(url)
    page.locator("#inmail-checker[data-state='ready']").wait_for(state="attached", timeout=180_000)
    page.get_by_label("Subject", exact=True).fill("Your flood paper")
    body = page.get_by_label("Message", exact=True)
    body.fill(draft_of(length))
    page.locator("#inmail-result[data-state='current']").wait_for(state="attached")
    body.press("End")
    page.evaluate(
        "window.__bench.inputs = []; window.__bench.scores = []; performance.clearMeasures()"
    )
    end_to_end: list[float] = []
    for edit in range(edits):
        # Type a letter, then delete it: the draft stays at the same length.
        body.press("Backspace" if edit % 2 else "e")
        page.locator("#inmail-result[data-state='current']").wait_for(state="attached")
        inputs, scores = page.evaluate("[window.__bench.inputs, window.__bench.scores]")
        end_to_end.append(scores[-1] - inputs[-1])
    check_render = page.evaluate(
        "performance.getEntriesByName('inmail:check+render').map(e => e.duration)"
    )
    worker = page.evaluate("performance.getEntriesByName('inmail:worker').map(e => e.duration)")
    chars = page.evaluate("document.getElementById('inmail-body').value.length")
    context.close()
    return {
        "draft_chars": chars,
        "input_to_data_score_ms (includes 150 ms debounce)": summary(end_to_end),
        "check_and_render_ms (no debounce)": summary(check_render[-edits:]),
        "worker_round_trip_ms": summary(worker[-edits:]),
    }


def open_checker(browser, url: str, **options: object):
    context = browser.new_context(**options)
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.goto(url)
    page.locator("#inmail-checker[data-state='ready']").wait_for(state="attached", timeout=180_000)
    return context, page


def typing_bare(browser, base: str, length: int, keys: int) -> dict[str, object]:
    """The same keystrokes into the bare textarea: what the browser itself costs."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "bench/textarea.html")
    field = page.locator("#t")
    field.fill(draft_of(length))
    field.press("End")
    page.wait_for_timeout(500)
    page.evaluate("window.__bench.long = []; window.__bench.slow = []")
    for key in range(keys):
        field.press("Backspace" if key % 2 else "e")
        page.wait_for_timeout(50)
    page.wait_for_timeout(200)
    long_tasks, slow = page.evaluate("[window.__bench.long, window.__bench.slow]")
    context.close()
    return {
        "keystrokes_with_input_to_paint_16ms_or_more": sum(entry[0] == "keydown" for entry in slow),
        "slowest_input_to_paint_ms": max((entry[2] for entry in slow), default=0),
        "long_tasks_ms": [round(duration) for _, duration in long_tasks],
    }


def typing_large(browser, base: str, length: int, keys: int) -> dict[str, object]:
    """One key every 50 ms at the end of a ``length``-character draft (a letter, then its
    deletion, so the length stays put)."""
    url = base + "checker/"
    context, page = open_checker(browser, url)
    page.get_by_label("Subject", exact=True).fill("Your flood paper")
    body = page.get_by_label("Message", exact=True)
    body.fill(draft_of(length))
    page.locator("#inmail-result[data-state='current']").wait_for(state="attached", timeout=180_000)
    body.press("End")
    page.wait_for_timeout(500)
    page.evaluate("window.__bench.long = []; window.__bench.slow = []; performance.clearMeasures()")
    for key in range(keys):
        body.press("Backspace" if key % 2 else "e")
        page.wait_for_timeout(50)
    page.locator("#inmail-result[data-state='current']").wait_for(state="attached", timeout=180_000)
    handler = page.evaluate(
        "performance.getEntriesByName('inmail:input').map(entry => entry.duration)"
    )
    long_tasks, slow = page.evaluate("[window.__bench.long, window.__bench.slow]")
    chars = page.evaluate("document.getElementById('inmail-body').value.length")
    context.close()
    keystrokes = [entry for entry in slow if entry[0] == "keydown"]
    return {
        "draft_chars": chars,
        "keystrokes": keys,
        "input_handler_ms": summary(handler),
        "keystrokes_with_input_to_paint_16ms_or_more": len(keystrokes),
        "slowest_input_to_paint_ms": max((entry[2] for entry in slow), default=0),
        "long_tasks_ms": [round(duration) for _, duration in long_tasks],
        "bare_textarea": typing_bare(browser, base, length, keys),
    }


MEGABYTE_UNIT = "Hi Sam 👋, I read your paper on river ecology and liked the part on floods. " * 12
MEGABYTE = (MEGABYTE_UNIT + "\n") * 1110


def paste(page, selector: str) -> float:
    """Pastes MEGABYTE into ``selector`` with Ctrl+V; returns the time of the keystroke."""
    page.evaluate("(text) => navigator.clipboard.writeText(text)", MEGABYTE)
    page.locator(selector).focus()
    page.evaluate("window.__bench.long = []")
    started = page.evaluate("performance.now()")
    page.keyboard.press("Control+V")
    return started


def paste_megabyte(browser, base: str) -> dict[str, object]:
    options = {"permissions": ["clipboard-read", "clipboard-write"]}
    # The browser's own cost: the same paste into a bare textarea.
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(base + "bench/textarea.html")
    paste(page, "#t")
    page.wait_for_function("document.getElementById('t').value.length > 1000000")
    page.wait_for_timeout(1500)
    bare = page.evaluate("window.__bench.long")
    context.close()

    context, page = open_checker(browser, base + "checker/", **options)
    page.get_by_label("Subject", exact=True).fill("A long one")
    page.locator("#inmail-result[data-state='current']").wait_for(state="attached")
    page.evaluate("performance.clearMeasures()")
    started = paste(page, "#inmail-body")
    page.locator("#inmail-aside").wait_for(state="visible")
    page.locator("#inmail-result[data-state='current']").wait_for(state="attached", timeout=300_000)
    shown = page.evaluate("window.__bench.scores.at(-1)")
    page.wait_for_timeout(1500)  # saving waits for a pause: measure it too
    long_tasks = page.evaluate("window.__bench.long")
    handler = page.evaluate(
        "performance.getEntriesByName('inmail:input').map(entry => entry.duration)"
    )
    render = page.evaluate(
        "performance.getEntriesByName('inmail:check+render').map(entry => entry.duration)"
    )
    worker = page.evaluate("performance.getEntriesByName('inmail:worker').map(e => e.duration)")
    in_box, set_aside = page.evaluate(
        "[document.getElementById('inmail-body').value,"
        " localStorage.getItem('inmail-checker.set-aside')]"
    )
    context.close()
    return {
        "chars": len(MEGABYTE),
        "bare_textarea_longest_task_ms": round(max((d for _, d in bare), default=0)),
        "checker_longest_task_ms": round(max((d for _, d in long_tasks), default=0)),
        "bare_textarea_long_tasks_ms": [round(duration) for _, duration in bare],
        "checker_long_tasks_ms": [round(duration) for _, duration in long_tasks],
        "checker_chars_in_box": len(in_box),
        "checker_chars_set_aside": len(set_aside or ""),
        "checker_nothing_lost": in_box + (set_aside or "") == MEGABYTE,
        "checker_input_handler_ms": [round(duration, 1) for duration in handler],
        "checker_paste_to_result_ms": round(shown - started),
        "checker_worker_round_trip_ms": [round(duration) for duration in worker],
        "checker_render_ms (check+render minus worker)": [
            round(total - inner) for total, inner in zip(render, worker, strict=False)
        ],
    }


def transfer(browser, url: str, site: Path, base: str) -> dict[str, object]:
    context = browser.new_context()
    page = context.new_page()
    sizes: list[tuple[str, int]] = []

    def finished(request) -> None:
        response = request.response()
        if response is None:
            return
        sizes.append((request.url, request.sizes()["responseBodySize"]))

    page.on("requestfinished", finished)
    page.goto(url)
    if "checker" in url:
        page.locator("#inmail-checker[data-state='ready']").wait_for(
            state="attached", timeout=180_000
        )
    page.wait_for_load_state("networkidle")
    context.close()
    served = sum(size for _, size in sizes)
    compressed = 0
    for request_url, size in sizes:
        local = site / request_url[len(base) :].split("?")[0]
        if local.is_dir() or not local.suffix:
            local = local / "index.html"
        if local.suffix in (".zip", ".whl", ".png", ".jpg", ".woff2") or not local.is_file():
            compressed += size
        else:
            compressed += len(gzip.compress(local.read_bytes(), 6))
    return {
        "requests": len(sizes),
        "bytes_served": served,
        "bytes_if_gzipped": compressed,
        "largest": sorted(((u[len(base) :], s) for u, s in sizes), key=lambda item: -item[1])[:6],
    }


def startup(browser, base: str, runs: int) -> dict[str, object]:
    bare, bare_worker, package_worker, steps = [], [], [], []
    for _ in range(runs):
        bare.append(time_bare(browser, base + "bench/bare.html"))
        bare_worker.append(time_bare(browser, base + "bench/bare-worker.html"))
        package_worker.append(time_bare(browser, base + "bench/package-worker.html"))
        steps.append(time_checker(browser, base + "checker/"))
    checker = [run["page-ready"] for run in steps]
    return {
        "a_bare_loadPyodide_main_thread_ms": summary(bare),
        "a_bare_loadPyodide_module_worker_ms": summary(bare_worker),
        "a_bare_worker_plus_wheel_and_import_ms": summary(package_worker),
        "b_checker_ready_ms": summary(checker),
        "b_checker_steps_median_ms": {
            step: round(statistics.median(run[step] for run in steps))
            for step in sorted(steps[0], key=lambda step: steps[0][step])
        },
        "b_over_a": round(statistics.median(checker) / statistics.median(bare), 2),
        "b_over_a_worker": round(statistics.median(checker) / statistics.median(bare_worker), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page (a, b)")
    parser.add_argument("--edits", type=int, default=60, help="keystrokes per draft size (c)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--only", default="a,b,c,d,e,f", help="comma-separated parts to run (default: all)"
    )
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    from playwright.sync_api import sync_playwright

    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(Path(folder))
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=_browser_path(), args=CHROMIUM_ARGS, headless=True
            )
            if parts & {"a", "b"}:
                results.update(startup(browser, base, args.runs))
            if "c" in parts:
                for length in (400, 2000):
                    results[f"c_keystroke_{length}"] = keystrokes(
                        browser, base + "checker/", length, args.edits
                    )
            if "d" in parts:
                results["d_transfer_checker_page"] = transfer(
                    browser, base + "checker/", site, base
                )
                results["d_transfer_guide_page"] = transfer(browser, base + "writing/", site, base)
            if "e" in parts:
                results["e_typing_100k"] = typing_large(browser, base, 100_000, 100)
            if "f" in parts:
                results["f_paste_1mb"] = paste_megabyte(browser, base)
            results["chromium"] = browser.version
            browser.close()
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
