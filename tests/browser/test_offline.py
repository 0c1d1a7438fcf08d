"""Return visits, offline, new builds and prefetching, in headless Chromium.

The service worker (docs/checker-sw.js) is registered by the checker page once the checker has
started, and the worker keeps a memory snapshot (checker-start.mjs). These tests serve the site
from their own server, so that they can stop it (the network is then really gone: nothing
answers on the port) and serve another build at the same origin.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from inmail_guide import webbuild
from inmail_lab.serve import serve
from tests.browser.conftest import CSP_RECORDER
from tests.browser.test_checker_page import (
    READY_TIMEOUT,
    assert_page_matches_cli,
    csp_violations,
    enter_draft,
)

pytestmark = pytest.mark.browser

READY = "#inmail-checker[data-state='ready']"
KEPT = "html[data-inmail-kept]"
CACHES = """async () => {
  const out = {};
  for (const name of await caches.keys()) {
    out[name] = (await (await caches.open(name)).keys()).map((request) => request.url);
  }
  return out;
}"""


@pytest.fixture
def own_server_context(browser):
    """Makes contexts for a server of the test's own. The session's contexts record their
    requests, and every one to another address than the session's server counts as foreign."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(CSP_RECORDER)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def cached_files(page) -> dict[str, list[str]]:
    files: dict[str, list[str]] = page.evaluate(CACHES)
    return files


def wait_until_kept(page) -> str:
    """Waits for the service worker to keep the build, and the worker its snapshot."""
    page.locator(KEPT).wait_for(state="attached", timeout=READY_TIMEOUT)
    build: str = page.evaluate("document.documentElement.dataset.inmailKept")
    for _ in range(240):
        urls = cached_files(page).get(f"inmail-checker-{build}", [])
        if any(url.endswith("/runtime/snapshot.bin") for url in urls):
            return build
        page.wait_for_timeout(500)
    pytest.fail(f"no snapshot was kept for build {build}")


def started_from(page) -> str:
    marks = page.evaluate("performance.getEntriesByType('mark').map((mark) => mark.name)")
    found = [mark.rsplit("-", 1)[1] for mark in marks if mark.startswith("inmail:runtime-from-")]
    assert len(found) == 1, marks
    return found[0]


def test_after_one_visit_the_checker_page_works_with_the_network_off(
    own_server_context, built_site: Path
) -> None:
    context = own_server_context()
    page = context.new_page()
    with serve(built_site) as base:
        page.goto(base + "checker/")
        page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)
        assert started_from(page) == "runtime"
        build = wait_until_kept(page)
        # Pyodide's modules were run once from the cache (the browser keeps their code).
        page.locator("html[data-inmail-warm='warm']").wait_for(
            state="attached", timeout=READY_TIMEOUT
        )
        files = cached_files(page)
        assert list(files) == [f"inmail-checker-{build}"]
        kept = {
            urlsplit(url).path.removeprefix(urlsplit(base).path)
            for url in files[f"inmail-checker-{build}"]
        }
        for name in (
            "checker/",
            "assets/checker/checker-start.mjs",
            "assets/checker/runtime/build.json",
        ):
            assert name in kept
        # Every runtime file: the Zstandard copies (kept by the service worker) and the files
        # the worker unpacked from them, so that a return visit does not unpack them again.
        runtime = built_site / "assets" / "checker" / "runtime"
        manifest = json.loads((runtime / webbuild.BUILD_NAME).read_text(encoding="utf-8"))
        assert {f"assets/checker/runtime/{name}" for name in manifest["files"]} <= kept
        # A guide page still comes from the network, through the service worker or not.
        page.goto(base + "writing/")
        assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
        assert page.get_by_role("heading", level=1).count() == 1
    # The server is gone: nothing answers on its port any more.
    context.set_offline(True)
    page.goto(base + "checker/")
    page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)
    assert started_from(page) == "snapshot"
    subject, body = "Your flood paper", "Hi Sam, can we book a call about our platform? Free demo!"
    enter_draft(page, subject, body)
    assert_page_matches_cli(page, subject, body)
    assert csp_violations(page) == []
    page.close()


def test_a_first_visit_downloads_each_runtime_file_once(new_context, base_url: str) -> None:
    # The worker starts the runtime's downloads before Pyodide asks for them, and hands each to
    # Pyodide's own request: with a host that sends no caching headers (this one), a second
    # request would download the file again. (Once the service worker has kept the build, the
    # warm-up worker runs Pyodide's modules again from its cache: no download.)
    page = new_context().new_page()
    runtime: list[str] = []

    def seen(response) -> None:
        if "/assets/checker/runtime/" in response.url and not response.from_service_worker:
            runtime.append(response.url.rsplit("/", 1)[1])

    page.on("response", seen)
    page.goto(base_url + "checker/")
    page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)
    assert started_from(page) == "runtime"
    manifest = page.request.get(base_url + "assets/checker/runtime/build.json").json()
    # The packed files come as their Zstandard copies (unpacked in the worker), never plain.
    assert set(manifest["packed"]) >= {"pyodide.asm.wasm", "python_stdlib.zip"}
    assert set(runtime) == ({*manifest["files"], webbuild.BUILD_NAME} - set(manifest["packed"]))
    assert [name for name in runtime if name.endswith(".whl.zst")]
    assert sorted(runtime) == sorted(set(runtime)), runtime
    page.close()


def _another_build(site: Path, folder: Path) -> tuple[Path, bytes]:
    """A copy of ``site`` whose wheel has other bytes (same name), with its lock and build.json:
    what a new release of the checker deploys."""
    copy = folder / "site"
    shutil.copytree(site, copy)
    runtime = copy / "assets" / "checker" / "runtime"
    project = webbuild.project_metadata()
    entries = []
    for name, data in webbuild.wheel_entries(project):
        if name.endswith("/METADATA"):
            data += b"Keywords: another-build\n"
        entries.append((name, data))
    wheel = webbuild.wheel_bytes(entries)
    filename = webbuild.wheel_name(project)
    (runtime / filename).write_bytes(wheel)
    (runtime / webbuild.LOCK_NAME).write_text(webbuild.lock_text(filename, wheel), "utf-8")
    webbuild.write_packed_and_manifest(runtime, filename)
    return copy, wheel


WHEEL_SHA256 = """async (name) => {
  for (const cache of await caches.keys()) {
    for (const request of await (await caches.open(cache)).keys()) {
      if (request.url.endsWith(name)) {
        const bytes = await (await (await caches.open(cache)).match(request)).arrayBuffer();
        const digest = await crypto.subtle.digest("SHA-256", bytes);
        return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
      }
    }
  }
  return null;
}"""


def test_a_new_build_never_starts_from_the_old_builds_files(
    own_server_context, built_site: Path, tmp_path: Path
) -> None:
    newer, wheel = _another_build(built_site, tmp_path)
    context = own_server_context()
    page = context.new_page()
    with serve(built_site) as base:
        page.goto(base + "checker/")
        page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)
        old_build = wait_until_kept(page)
    with serve(newer, port=urlsplit(base).port or 0) as again:
        assert again == base
        page.goto(base + "checker/")
        page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)
        # Not the old build's snapshot, and Pyodide accepted the wheel the new lock names.
        assert started_from(page) == "runtime"
        page.locator(f"{KEPT}:not([data-inmail-kept='{old_build}'])").wait_for(
            state="attached", timeout=READY_TIMEOUT
        )
        new_build = wait_until_kept(page)
        assert list(cached_files(page)) == [f"inmail-checker-{new_build}"]
        name = webbuild.wheel_name(webbuild.project_metadata())
        assert page.evaluate(WHEEL_SHA256, name) == hashlib.sha256(wheel).hexdigest()
        enter_draft(page, "Quick question", "Hi Ana, a question about your river survey?")
        assert_page_matches_cli(
            page, "Quick question", "Hi Ana, a question about your river survey?"
        )
    page.close()


def test_without_the_decoder_the_page_starts_from_the_plain_files(
    own_server_context, built_site: Path, tmp_path: Path
) -> None:
    # A host that lost fzstd.mjs (or a browser that cannot run it): the worker fetches the
    # plain files instead of their Zstandard copies, and the checker works as before.
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    runtime = copy / "assets" / "checker" / "runtime"
    manifest = json.loads((runtime / webbuild.BUILD_NAME).read_text(encoding="utf-8"))
    (runtime / manifest["decoder"]).unlink()
    page = own_server_context().new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url.rsplit("/", 1)[1]))
    with serve(copy) as base:
        page.goto(base + "checker/")
        page.locator(READY).wait_for(state="attached", timeout=READY_TIMEOUT)
        assert started_from(page) == "runtime"
        assert set(manifest["packed"]) <= set(asked)
        enter_draft(page, "Quick question", "Hi Ana, a question about your river survey?")
        assert_page_matches_cli(
            page, "Quick question", "Hi Ana, a question about your river survey?"
        )
    page.close()


def test_pointing_at_a_link_to_the_checker_prefetches_its_runtime(
    new_context, base_url: str
) -> None:
    page = new_context().new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(base_url + "writing/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in seen if "/assets/checker/runtime/" in url]
    link = page.locator("a[href$='checker/']").first
    link.hover()
    prefetch = page.locator("link[rel='prefetch'][href$='runtime/pyodide.asm.wasm.zst']")
    prefetch.wait_for(state="attached", timeout=30_000)
    page.wait_for_load_state("networkidle")
    runtime = {url.rsplit("/", 1)[1] for url in seen if "/assets/checker/runtime/" in url}
    sent = {"pyodide.asm.wasm.zst", "python_stdlib.zip.zst", "fzstd.mjs"}
    assert {"build.json", "pyodide-lock.json", *sent} <= runtime
    # What the checker page fetches, not the plain files it unpacks those copies into.
    assert not {"pyodide.asm.wasm", "python_stdlib.zip"} & runtime
    # Once only.
    count = page.locator("link[rel='prefetch']").count()
    link.focus()
    assert page.locator("link[rel='prefetch']").count() == count
    page.close()
