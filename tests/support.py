"""Shared by the tests and the benchmark scripts: the build step as a module, and Chromium."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]

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


def load_build_web() -> ModuleType:
    """scripts/build_web.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_web", ROOT / "scripts" / "build_web.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chromium_path() -> str | None:
    """The browser to drive: $INMAIL_BROWSER, else Debian's /usr/bin/chromium, else None."""
    configured = os.environ.get("INMAIL_BROWSER")
    if configured:
        return configured
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
