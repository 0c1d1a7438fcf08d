"""Browser test set-up: build the site once, serve it on 127.0.0.1, drive headless Chromium.

The site is built once per session from the current sources into a temporary folder (the
``built_site`` fixture of tests/conftest.py), so the tests never run against a stale ``site/``.
Chromium comes from the system: ``INMAIL_BROWSER``, or /usr/bin/chromium (``playwright install``
is not used). Every request of every page is recorded; the tests assert that none leaves the
origin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from inmail_lab.browser import CHROMIUM_ARGS, chromium_path
from inmail_lab.serve import serve

ROOT = Path(__file__).resolve().parents[2]

# Runs before any page script: records Content-Security-Policy violations.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def browser_path() -> str:
    path = chromium_path()
    if path is None:
        pytest.fail("no Chromium: set INMAIL_BROWSER to a Chromium or Chrome executable")
    return path


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


class Traffic:
    """Every request the browser made, and every console error, over the whole session."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.requests: list[str] = []
        self.console_errors: list[str] = []

    def watch(self, context) -> None:  # a playwright BrowserContext
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("console", self._console)
        context.on("weberror", lambda error: self.console_errors.append(str(error.error)))

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def foreign(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob")
            and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.origin
        ]


@pytest.fixture(scope="session")
def traffic(base_url: str) -> Traffic:
    parts = urlsplit(base_url)
    return Traffic(f"{parts.scheme}://{parts.netloc}")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=browser_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def new_context(browser, traffic: Traffic):
    """Makes browser contexts that record their traffic and CSP violations."""
    contexts = []

    def make(**options: object):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.add_init_script(CSP_RECORDER)
        traffic.watch(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
