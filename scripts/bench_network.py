"""What a reader lives through on a real connection (a measurement, not a test).

Builds the site into a temporary folder and serves it on 127.0.0.1 as a static host does
(``inmail_lab.serve``'s ``like_a_host``): text, JavaScript, JSON and WebAssembly gzipped (the
archives as they are), ``Cache-Control: max-age=600`` and ETags, as GitHub Pages serves them.
Chromium's DevTools protocol then emulates each network profile
(``Network.emulateNetworkConditions``):

- ``broadband``: 50 Mbit/s down, 10 up, 20 ms latency;
- ``mobile``: 9 Mbit/s down, 3 up, 80 ms latency.

For each profile, side by side in one run (repeated ``--runs`` times, medians reported):

- ``bare``: a page whose module worker only calls ``loadPyodide()`` from Pyodide's full,
  unmodified distribution (what a site gets without this work): navigation start to loaded;
- ``checker``: the checker page with a saved draft (as after a reload) until its first result
  is on the page;
- ``build_snapshot`` (cold only): a worker that starts from a memory snapshot made at build time
  (in Node, through checker-start.mjs) and fetched over the network, then checks a draft: what
  the issue's step 3 would cost a first visit, its own bytes counted (the snapshot is gzipped
  here too, the best case: a host may not compress it);

each cold (a new browser profile: empty caches) and warm (the same profile, a second visit,
after the checker's service worker has kept the build and the worker its snapshot). Bytes are
what crossed the emulated network (encoded sizes), over the whole visit until the network is
idle. Also: the bytes of a guide page, and whether it asked for any of Pyodide's files. The time
per keystroke is ``scripts/bench_browser.py``'s (c), which ``make bench-browser`` runs first.

A page's emulation does not reach its service worker, which fetches for it on warm visits
(the page and its modules network-first, build.json revalidated): before each warm visit the
same conditions are set on every running service worker too, through its own DevTools target.
Bytes the service worker fetches are not counted (revalidations: headers only, when nothing
changed); the report says how many requests it answered.

    python scripts/bench_network.py [--runs 3] [--profiles broadband,mobile] [--json out.json]

Chromium: INMAIL_BROWSER or /usr/bin/chromium. ``make bench-browser`` runs it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_browser import BARE_WORKER_PAGE, emit  # scripts/, beside this one
from inmail_guide.webbuild import PYODIDE, build
from inmail_lab.browser import CHROMIUM_ARGS, chromium_path
from inmail_lab.serve import serve
from inmail_lab.site import build_site

ROOT = Path(__file__).resolve().parent.parent

PROFILES = {
    "broadband": {"down_mbps": 50, "up_mbps": 10, "latency_ms": 20},
    "mobile": {"down_mbps": 9, "up_mbps": 3, "latency_ms": 80},
}
DRAFT = {
    "subject": "Your flood paper",
    "body": "Hi Sam, I read your paper on flood models for the Severn and liked the part on "
    "rainfall. Could we book a quick call about our platform? Free demo!",
}

# The bare page is bench_browser's (a module worker that posts once Pyodide has loaded); its
# worker here loads the copy of Pyodide beside it.
BARE_PAGE = BARE_WORKER_PAGE
BARE_WORKER = """
import { loadPyodide } from "./pyodide/pyodide.mjs";
await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });
self.postMessage("loaded");
"""
SNAPSHOT_PAGE = BARE_PAGE.replace("bare-worker.mjs", "snapshot-worker.mjs")
SNAPSHOT_WORKER = """
import { startPython } from "../assets/checker/checker-start.mjs";
const runtime = new URL("../assets/checker/runtime/", import.meta.url).href;
const [{ loadPyodide }, asm, snapshot] = await Promise.all([
  import(runtime + "pyodide.mjs"),
  import(runtime + "pyodide.asm.mjs"),
  fetch(new URL("snapshot.bin", import.meta.url)).then((r) => r.arrayBuffer()),
]);
const { pyodide, from } = await startPython(runtime, {
  loadPyodide, createModule: asm.default, snapshot: new Uint8Array(snapshot),
});
pyodide.pyimport("inmail_checker.web").check_draft("Hi Sam, a question?", "Hello");
self.postMessage(from);
"""
MAKE_SNAPSHOT = """
import { writeFile } from "node:fs/promises";
const [root, runtime, out] = process.argv.slice(2);
const start = await import(`${root}/docs/assets/checker/checker-start.mjs`);
const { loadPyodide } = await import(`${runtime}/pyodide.mjs`);
const { pyodide } = await start.startPython(`${runtime}/`, {
  loadPyodide, snapshotReady: true, loadOptions: { packageCacheDir: `${runtime}/` },
});
const web = pyodide.pyimport("inmail_checker.web");
web.ready();
web.check_draft("Hi Sam, a question about your paper?", "Your paper");
await writeFile(out, start.takeSnapshot(pyodide));
"""

# Before any page script: a saved draft (the checker shows its result as soon as it can) and
# the time of the first result.
RECORDER = """
if (location.pathname.endsWith("/checker/") && !localStorage.getItem("inmail-checker.draft")) {
  localStorage.setItem("inmail-checker.draft", JSON.stringify(%s));
}
window.__firstResult = null;
new MutationObserver((records) => {
  for (const { target } of records) {
    if (target.id === "inmail-result" && target.dataset.score && window.__firstResult === null)
      window.__firstResult = performance.now();
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-score"] });
""".replace("%s", json.dumps(DRAFT))


def prepare(folder: Path) -> Path:
    runtime = folder / "runtime"
    build(runtime)
    site = build_site(folder, runtime)
    bench = site / "bench"
    (bench / "pyodide").mkdir(parents=True)
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        shutil.copyfile(PYODIDE / name, bench / "pyodide" / name)
    shutil.copyfile(PYODIDE / "pyodide-lock.json", bench / "pyodide" / "pyodide-lock.json")
    (bench / "bare.html").write_text(BARE_PAGE, encoding="utf-8")
    (bench / "bare-worker.mjs").write_text(BARE_WORKER, encoding="utf-8")
    (bench / "snapshot.html").write_text(SNAPSHOT_PAGE, encoding="utf-8")
    (bench / "snapshot-worker.mjs").write_text(SNAPSHOT_WORKER, encoding="utf-8")
    script = folder / "make-snapshot.mjs"
    script.write_text(MAKE_SNAPSHOT, encoding="utf-8")
    node = shutil.which("node") or "node"
    subprocess.run(
        [node, str(script), str(ROOT), str(runtime), str(bench / "snapshot.bin")],
        check=True,
        capture_output=True,
    )
    return site


def conditions(profile: dict[str, float]) -> dict[str, object]:
    return {
        "offline": False,
        "latency": profile["latency_ms"],
        "downloadThroughput": profile["down_mbps"] * 1_000_000 / 8,
        "uploadThroughput": profile["up_mbps"] * 1_000_000 / 8,
    }


def throttle(context, page, profile: dict[str, float]) -> None:
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", conditions(profile))


def throttle_service_workers(browser_session, profile: dict[str, float]) -> int:
    """The same conditions on every running service worker (its fetches are its own, not the
    page's); returns how many there were."""
    targets = browser_session.send("Target.getTargets")["targetInfos"]
    workers = [target for target in targets if target["type"] == "service_worker"]
    for target in workers:
        attached = browser_session.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": False}
        )
        for number, (method, params) in enumerate(
            [("Network.enable", {}), ("Network.emulateNetworkConditions", conditions(profile))]
        ):
            message = {"id": number + 1, "method": method, "params": params}
            browser_session.send(
                "Target.sendMessageToTarget",
                {"sessionId": attached["sessionId"], "message": json.dumps(message)},
            )
    return len(workers)


class Visit:
    """One page load: its requests' encoded sizes, and how many a service worker answered."""

    def __init__(self, page) -> None:
        self.sizes: list[tuple[str, int]] = []
        self.from_service_worker = 0
        self.network_via_service_worker = 0
        page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        response = request.response()
        if response is None:
            return
        if response.from_service_worker:
            self.from_service_worker += 1
            return
        sizes = request.sizes()
        self.sizes.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    @property
    def bytes(self) -> int:
        return sum(size for _, size in self.sizes)


def wait_kept(page) -> None:
    """Until the service worker keeps the build, the page has warmed Pyodide's modules from it
    (checker-warmup.mjs) and the worker has kept its snapshot: what a next visit starts from."""
    page.locator("html[data-inmail-kept]").wait_for(state="attached", timeout=300_000)
    page.locator("html[data-inmail-warm]").wait_for(state="attached", timeout=300_000)
    for _ in range(600):
        found = page.evaluate(
            """async () => {
                for (const name of await caches.keys())
                  for (const request of await (await caches.open(name)).keys())
                    if (request.url.endsWith('/runtime/snapshot.bin')) return true;
                return false;
            }"""
        )
        if found:
            return
        page.wait_for_timeout(500)
    raise RuntimeError("the worker kept no snapshot")


def run_bare(browser, url: str, profile, warm: bool) -> dict[str, float]:
    context = browser.new_context()
    page = context.new_page()
    throttle(context, page, profile)
    result = {}
    for visit_name in ("cold", "warm") if warm else ("cold",):
        visit = Visit(page)
        page.goto(url)
        page.wait_for_function("document.title === 'loaded'", timeout=300_000)
        result[f"{visit_name}_ms"] = page.evaluate("window.__loaded")
        page.wait_for_load_state("networkidle")
        result[f"{visit_name}_bytes"] = visit.bytes
        page.goto("about:blank")
    context.close()
    return result


def run_checker(browser, url: str, profile) -> dict[str, float]:
    context = browser.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    throttle(context, page, profile)
    browser_session = browser.new_browser_cdp_session()
    result: dict[str, float] = {}
    for visit_name in ("cold", "warm"):
        if visit_name == "warm":
            result["warm_service_workers_throttled"] = throttle_service_workers(
                browser_session, profile
            )
        visit = Visit(page)
        page.goto(url)
        # (The page's policy forbids wait_for_function's eval.)
        page.locator("#inmail-result:not([data-score=''])").wait_for(
            state="attached", timeout=300_000
        )
        result[f"{visit_name}_ms"] = page.evaluate("window.__firstResult")
        marks = page.evaluate(
            "performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])"
        )
        result[f"{visit_name}_from"] = next(
            (m.rsplit("-", 1)[1] for m, _ in marks if m.startswith("inmail:runtime-from-")), "?"
        )
        # When each step of the worker's start ended (checker-worker.mjs's marks), in ms.
        result[f"{visit_name}_steps"] = {
            name.removeprefix("inmail:"): round(at)
            for name, at in marks
            if name.startswith("inmail:")
        }
        if visit_name == "cold":
            page.wait_for_load_state("networkidle")
            result["cold_bytes"] = visit.bytes
            result["cold_largest"] = sorted(visit.sizes, key=lambda item: -item[1])[:6]
            wait_kept(page)
        else:
            page.wait_for_load_state("networkidle")
            result["warm_bytes"] = visit.bytes
            result["warm_answered_by_service_worker"] = visit.from_service_worker
        page.goto("about:blank")
    browser_session.detach()
    context.close()
    return result


def guide_bytes(browser, url: str) -> dict[str, object]:
    context = browser.new_context()
    page = context.new_page()
    visit = Visit(page)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    context.close()
    return {
        "bytes": visit.bytes,
        "pyodide_requests": [u for u, _ in visit.sizes if "/runtime/" in u or "pyodide" in u],
    }


def median_of(runs: list[dict], key: str) -> float:
    return round(statistics.median(run[key] for run in runs), 1)


def median_steps(runs: list[dict], key: str) -> dict[str, float]:
    """Each step's median time over the runs that reached it, in the order they end."""
    names = {name for run in runs for name in run.get(key, {})}
    steps = {
        name: statistics.median(run[key][name] for run in runs if name in run.get(key, {}))
        for name in names
    }
    return dict(sorted(steps.items(), key=lambda item: item[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="cold+warm pairs per page")
    parser.add_argument("--profiles", default="broadband,mobile")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    browser_path = chromium_path()
    if browser_path is None:
        raise SystemExit("no Chromium: set INMAIL_BROWSER")
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as name:
        site = prepare(Path(name))
        runtime = site / "assets/checker/runtime"
        sizes = {
            "python_stdlib.zip (full)": (PYODIDE / "python_stdlib.zip").stat().st_size,
            "python_stdlib.zip (trimmed)": (runtime / "python_stdlib.zip").stat().st_size,
            **{
                f"{name} (as sent)": (runtime / name).stat().st_size
                for name in sorted(path.name for path in runtime.glob("*.zst"))
            },
            "build-time snapshot (raw)": (site / "bench/snapshot.bin").stat().st_size,
            "build-time snapshot (gzip)": len(
                gzip.compress((site / "bench/snapshot.bin").read_bytes(), 6)
            ),
        }
        results["files"] = sizes
        with serve(site, like_a_host=True) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser_path, args=CHROMIUM_ARGS, headless=True
            )
            for profile_name in args.profiles.split(","):
                profile = PROFILES[profile_name]
                bare, checker, snap = [], [], []
                for _ in range(args.runs):
                    bare.append(run_bare(browser, base + "bench/bare.html", profile, warm=True))
                    checker.append(run_checker(browser, base + "checker/", profile))
                    snap.append(
                        run_bare(browser, base + "bench/snapshot.html", profile, warm=False)
                    )
                bare_cold = median_of(bare, "cold_ms")
                summary = {
                    "profile": profile,
                    "bare_cold_ms": bare_cold,
                    "bare_warm_ms": median_of(bare, "warm_ms"),
                    "bare_cold_bytes": median_of(bare, "cold_bytes"),
                    "checker_cold_ms": median_of(checker, "cold_ms"),
                    "checker_warm_ms": median_of(checker, "warm_ms"),
                    "checker_cold_bytes": median_of(checker, "cold_bytes"),
                    "checker_warm_bytes": median_of(checker, "warm_bytes"),
                    "checker_warm_answered_by_service_worker": [
                        run["warm_answered_by_service_worker"] for run in checker
                    ],
                    "checker_warm_service_workers_throttled": [
                        run["warm_service_workers_throttled"] for run in checker
                    ],
                    "checker_started_from": [
                        (run["cold_from"], run["warm_from"]) for run in checker
                    ],
                    "build_snapshot_cold_ms": median_of(snap, "cold_ms"),
                    "build_snapshot_cold_bytes": median_of(snap, "cold_bytes"),
                    "ratio_checker_cold_to_bare_cold": round(
                        median_of(checker, "cold_ms") / bare_cold, 2
                    ),
                    "ratio_checker_warm_to_bare_cold": round(
                        median_of(checker, "warm_ms") / bare_cold, 2
                    ),
                    "ratio_build_snapshot_cold_to_bare_cold": round(
                        median_of(snap, "cold_ms") / bare_cold, 2
                    ),
                    "ratio_bare_warm_to_bare_cold": round(
                        median_of(bare, "warm_ms") / bare_cold, 2
                    ),
                    "checker_cold_steps": median_steps(checker, "cold_steps"),
                    "checker_warm_steps": median_steps(checker, "warm_steps"),
                    "checker_cold_largest": checker[0]["cold_largest"],
                    "runs": {"bare": bare, "checker": checker, "build_snapshot": snap},
                }
                for run in checker:
                    run.pop("cold_largest", None)
                results[profile_name] = summary
                print(json.dumps({k: v for k, v in summary.items() if k != "runs"}, indent=1))
            results["guide_page"] = guide_bytes(browser, base + "writing/")
            results["chromium"] = browser.version
            browser.close()
    emit(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
