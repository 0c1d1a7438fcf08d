"""Headless Chromium for the browser tests and the browser benchmark."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Belt and braces: even a request the tests failed to notice could not reach another host.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def chromium_path() -> str | None:
    """The browser to drive: $INMAIL_BROWSER, else Debian's /usr/bin/chromium, else None."""
    configured = os.environ.get("INMAIL_BROWSER")
    if configured:
        return configured
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
