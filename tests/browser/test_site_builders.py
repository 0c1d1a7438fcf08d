"""The guide under both site builders. Material for MkDocs is the default; Zensical, its
successor, builds the same mkdocs.yml (tests/conftest.py: ``zensical_site``), and its checker page
must work: the runtime and the page scripts reach the site through docs/ and template blocks,
with no plugin. The palette's colours (custom primary and accent, docs/assets/stylesheets/
guide.css) must hold under both.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from inmail_checker import check
from inmail_lab.serve import serve
from inmail_lab.site import BUILDERS
from tests.browser.conftest import CSP_RECORDER, ROOT, Traffic
from tests.browser.test_checker_page import (
    READY_TIMEOUT,
    _inline_scripts,
    csp_violations,
    enter_draft,
    wait_for_result,
)

GUIDE_CSS = ROOT / "docs" / "assets" / "stylesheets" / "guide.css"


@pytest.fixture(scope="module")
def zensical_url(zensical_site: Path) -> Iterator[str]:
    with serve(zensical_site) as url:
        yield url


def _url(request: pytest.FixtureRequest, builder: str) -> str:
    name = "base_url" if builder == "mkdocs" else "zensical_url"
    url: str = request.getfixturevalue(name)
    return url


# --- What Zensical builds ------------------------------------------------------------------


def test_zensical_builds_the_checker_page_with_its_scripts_and_runtime(
    zensical_site: Path, runtime_dir: Path
) -> None:
    checker = (zensical_site / "checker" / "index.html").read_text(encoding="utf-8")
    head = checker.split("</head>")[0]
    assert '<script type="module" async data-inmail-start src="../assets/checker/checker.mjs">' in (
        head
    )
    assert 'href="../assets/checker/checker.css"' in head
    assert 'href="../assets/stylesheets/guide.css"' in head
    guide = (zensical_site / "why" / "index.html").read_text(encoding="utf-8")
    assert 'src="../assets/checker/checker.mjs"' in guide
    assert "data-inmail-start" not in guide
    # The form the Markdown extension renders, and the whole runtime, byte for byte.
    assert 'id="inmail-checker"' in checker
    runtime = zensical_site / "assets" / "checker" / "runtime"
    assert sorted(p.name for p in runtime.iterdir()) == sorted(
        p.name for p in runtime_dir.iterdir()
    )
    for path in runtime_dir.iterdir():
        assert (runtime / path.name).read_bytes() == path.read_bytes(), path.name
    for script in (
        "checker.mjs",
        "checker-page.mjs",
        "checker-worker.mjs",
        "checker-start.mjs",
        "checker-early.mjs",
    ):
        assert (zensical_site / "assets" / "checker" / script).is_file()
    # The service worker sits at the site's root, so that its scope is the site.
    assert (zensical_site / "checker-sw.js").is_file()
    assert 'src="../assets/checker/checker-early.mjs"' in guide


def test_zensical_checker_page_inline_scripts_are_allowed_by_the_csp(zensical_site: Path) -> None:
    html = (zensical_site / "checker" / "index.html").read_text(encoding="utf-8")
    policies = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert len(policies) == 1
    script_src = next(
        part.split()[1:] for part in policies[0].split(";") if part.split()[:1] == ["script-src"]
    )
    inline = _inline_scripts(html)
    assert inline, "expected Zensical's inline scripts on the page"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in script_src, (
            f"Zensical's inline script is not allowed by the CSP in docs/checker.md: add "
            f"'sha256-{digest}' for {script[:80]!r}"
        )


# --- In the browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_a_draft_gets_its_result_on_the_zensical_checker_page(browser, zensical_url: str) -> None:
    parts = urlsplit(zensical_url)
    traffic = Traffic(f"{parts.scheme}://{parts.netloc}")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_RECORDER)
    traffic.watch(context)
    try:
        page = context.new_page()
        page.goto(zensical_url + "checker/")
        page.locator("#inmail-checker[data-state='ready']").wait_for(
            state="attached", timeout=READY_TIMEOUT
        )
        subject = "Quick question"
        body = "Hi Ana, our platform saves time. Can I book a call with you this week?"
        enter_draft(page, subject, body)
        report = check(body, subject)
        assert wait_for_result(page) == (str(report.score), report.verdict)
        assert page.locator("#inmail-findings li[data-rule]").count() >= 1
        assert csp_violations(page) == []
    finally:
        context.close()
    assert any(url.endswith("/runtime/pyodide.asm.wasm.zst") for url in traffic.requests)
    assert any(url.endswith(".whl.zst") for url in traffic.requests)
    assert traffic.foreign() == []
    assert traffic.console_errors == []


def _palette(scheme: str) -> dict[str, str]:
    """The custom colours guide.css sets for a scheme (slate overrides the defaults)."""
    css = GUIDE_CSS.read_text(encoding="utf-8")
    blocks = {
        "light": r":root > \* \{(?P<body>[^}]*)\}",
        "dark": r'\[data-md-color-scheme="slate"\] \{(?P<body>[^}]*)\}',
    }
    colours: dict[str, str] = {}
    for name in ("light", "dark") if scheme == "dark" else ("light",):
        match = re.search(blocks[name], css)
        assert match, f"guide.css has no {name} colour block"
        colours.update(
            re.findall(r"(--md-(?:primary|accent)-fg-color):\s*(#[0-9a-fA-F]{6})", match["body"])
        )
    return colours


def _rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("builder", BUILDERS)
def test_the_custom_palette_colours_hold(
    browser, request: pytest.FixtureRequest, builder: str, scheme: str
) -> None:
    expected = _palette(scheme)
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(_url(request, builder) + "why/")
        seen = page.evaluate(
            """() => {
                const body = getComputedStyle(document.body);
                return {
                    scheme: document.body.dataset.mdColorScheme,
                    primary: body.getPropertyValue("--md-primary-fg-color").trim(),
                    accent: body.getPropertyValue("--md-accent-fg-color").trim(),
                    header: getComputedStyle(document.querySelector(".md-header"))
                        .backgroundColor,
                };
            }"""
        )
    finally:
        context.close()
    assert seen["scheme"] == ("slate" if scheme == "dark" else "default")
    assert seen["primary"].lower() == expected["--md-primary-fg-color"].lower()
    assert seen["accent"].lower() == expected["--md-accent-fg-color"].lower()
    # The header is drawn in the primary colour (Zensical's "modern" variant would not).
    assert seen["header"] == _rgb(expected["--md-primary-fg-color"])
