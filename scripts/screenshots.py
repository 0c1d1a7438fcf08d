"""Take the README's screenshots of the checker page: light and dark at 1280x800, and a phone
(390x844) while typing, with the score bar in view.

Builds the site into a temporary folder, serves it on 127.0.0.1, loads the page's "needs
work" example in headless Chromium (INMAIL_BROWSER or /usr/bin/chromium) and writes
docs/assets/images/checker.png, checker-dark.png and checker-phone.png. Usage:

    python scripts/screenshots.py [--out docs/assets/images]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from inmail_lab.browser import CHROMIUM_ARGS, chromium_path
from inmail_lab.serve import serve
from inmail_lab.site import build_site

ROOT = Path(__file__).resolve().parent.parent

SHOTS = {
    "checker.png": {"viewport": {"width": 1280, "height": 800}, "color_scheme": "light"},
    "checker-dark.png": {"viewport": {"width": 1280, "height": 800}, "color_scheme": "dark"},
    "checker-phone.png": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "color_scheme": "light",
    },
}
EXAMPLE = "needs-work"
TYPED = " Thanks"


def shoot(browser, url: str, path: Path, options: dict[str, object]) -> None:
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(url)
    page.locator("#inmail-checker[data-state='ready']").wait_for(state="attached", timeout=180_000)
    page.locator("summary.inmail-examples__summary").click()
    page.locator(f"button[data-example='{EXAMPLE}']").click()
    page.locator("#inmail-result[data-state='current']").wait_for(state="attached")
    body = page.get_by_label("Message", exact=True)
    body.click()
    page.keyboard.press("Control+End")
    if options.get("is_mobile"):
        # While typing: the result below the fold, its score bar in view.
        page.keyboard.type(TYPED, delay=20)
        page.wait_for_timeout(30)
    else:
        page.keyboard.type(TYPED)
        page.locator("#inmail-result[data-state='current']").wait_for(state="attached")
        page.evaluate("scrollTo(0, 0)")
    page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "assets" / "images")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    browser_path = chromium_path()
    if browser_path is None:
        raise SystemExit("no Chromium: set INMAIL_BROWSER")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(Path(folder))
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser_path, args=CHROMIUM_ARGS, headless=True
            )
            for name, options in SHOTS.items():
                shoot(browser, base + "checker/", args.out / name, options)
                print(args.out / name)
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
