"""The built site: one `mkdocs build --strict` per session (tests/conftest.py), then checks on
its HTML and CSS.

The build runs from another working directory, so it also proves that the configuration
resolves its paths from mkdocs.yml and not from wherever the command was started.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from mkdocs.utils.meta import get_data

from inmail_checker import RULES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
SITE_PATH = urlsplit(SITE_URL).path

# <link rel=...> values that name a related page rather than load anything.
_NAVIGATION_RELS = {"canonical", "alternate", "prev", "next", "author", "license"}
# Attributes through which an element makes the browser fetch something.
_LOADING_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "link": ("href", "imagesrcset"),
}
_CSS_URL = re.compile(
    r"""url\(\s*(['"]?)(?P<url>[^'")]*)\1\s*\)|@import\s+(['"])(?P<imp>[^'"]+)\3"""
)


def _is_foreign(url: str) -> bool:
    """True for a URL on another host; relative, root-relative and data: URLs stay local."""
    url = url.strip()
    if url.startswith("//"):
        return True
    return urlsplit(url).scheme in ("http", "https", "ftp", "ws", "wss")


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]


class Page(HTMLParser):
    """The parts of a built page the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_styles: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        self.tags.append((tag, values))
        if "style" in values:
            self.inline_styles.append(values["style"])
        self._in = tag if tag in ("style", "script") else None
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.inline_styles.append(data)
        elif self._in == "script":
            self.scripts[-1] += data

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}

    def meta(self, key: str, value: str) -> list[str]:
        return [
            a.get("content", "") for tag, a in self.tags if tag == "meta" and a.get(key) == value
        ]

    def loaded_urls(self) -> list[str]:
        """Every URL the page makes the browser fetch (not links the reader may follow)."""
        urls: list[str] = []
        for tag, attrs in self.tags:
            if tag == "link" and set(attrs.get("rel", "").lower().split()) <= _NAVIGATION_RELS:
                continue
            for name in _LOADING_ATTRIBUTES.get(tag, ()):
                if name in attrs:
                    value = attrs[name]
                    urls += _srcset_urls(value) if name.endswith("srcset") else [value]
        for style in self.inline_styles:
            urls += [m["url"] or m["imp"] for m in _CSS_URL.finditer(style)]
        return urls


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Page]:
    return {
        str(path.relative_to(site)): Page(path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*.html"))
    }


def _front_matter(name: str) -> dict[str, object]:
    return get_data((DOCS / name).read_text(encoding="utf-8"))[1]


def test_every_rule_has_its_anchor_on_the_rules_page(pages: dict[str, Page]) -> None:
    ids = pages["rules/index.html"].ids()
    missing = [rule.id for rule in RULES if rule.id not in ids]
    assert not missing, f"rules without an anchor: {missing}"


def test_home_page_has_description_and_social_meta_tags(pages: dict[str, Page]) -> None:
    home = pages["index.html"]
    description = _front_matter("index.md")["description"]
    assert home.meta("name", "description") == [description]
    assert home.meta("property", "og:description") == [description]
    assert home.meta("name", "twitter:description") == [description]
    assert home.meta("property", "og:url") == [SITE_URL]
    assert home.meta("property", "og:type") == ["website"]
    assert home.meta("property", "og:site_name") == ["InMail guide"]
    assert len(home.meta("property", "og:title")) == 1
    assert home.meta("name", "twitter:card") == ["summary"]


def test_every_page_describes_itself(pages: dict[str, Page]) -> None:
    themed = {name: page for name, page in pages.items() if page.meta("name", "generator")}
    assert "index.html" in themed
    for name, page in themed.items():
        description = page.meta("name", "description")
        assert len(description) == 1 and description[0], name
        assert page.meta("property", "og:description") == description, name
        assert len(page.meta("property", "og:title")) == 1, name


def test_pages_with_a_description_in_front_matter_use_it(pages: dict[str, Page]) -> None:
    for source in sorted(DOCS.glob("*.md")):
        described = _front_matter(source.name).get("description")
        built = "index.html" if source.stem == "index" else f"{source.stem}/index.html"
        if described:
            assert pages[built].meta("name", "description") == [described], source.name


def test_a_friendly_404_page_links_home_and_to_the_checker(pages: dict[str, Page]) -> None:
    page = pages["404.html"]
    links = [attrs.get("href", "") for tag, attrs in page.tags if tag == "a"]
    assert SITE_PATH in links
    assert SITE_PATH + "checker/" in links
    assert "Page not found" in page.html


def test_csp_meta_tag_only_where_front_matter_sets_one(pages: dict[str, Page]) -> None:
    policies = {}
    for source in sorted(DOCS.glob("*.md")):
        csp = _front_matter(source.name).get("csp")
        built = "index.html" if source.stem == "index" else f"{source.stem}/index.html"
        policies[built] = [csp] if csp else []
    assert policies["checker/index.html"], "checker.md sets no csp in its front matter"
    for built, expected in policies.items():
        assert pages[built].meta("http-equiv", "Content-Security-Policy") == expected, built


def test_no_page_loads_anything_from_another_host(pages: dict[str, Page]) -> None:
    foreign = {
        name: urls
        for name, page in pages.items()
        if (urls := [url for url in page.loaded_urls() if _is_foreign(url)])
    }
    assert not foreign


def test_no_stylesheet_loads_anything_from_another_host(site: Path) -> None:
    stylesheets = sorted(site.rglob("*.css"))
    assert stylesheets
    foreign = {
        str(path.relative_to(site)): urls
        for path in stylesheets
        if (
            urls := [
                url
                for m in _CSS_URL.finditer(path.read_text(encoding="utf-8"))
                if _is_foreign(url := m["url"] or m["imp"])
            ]
        )
    }
    assert not foreign


def test_no_google_fonts(site: Path) -> None:
    for path in [*site.rglob("*.html"), *site.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text, path
        assert "fonts.gstatic.com" not in text, path


def test_repository_link_does_not_fetch_github_stats(pages: dict[str, Page]) -> None:
    """Material asks api.github.com for stars and forks unless its cache says it has them."""
    for name, page in pages.items():
        if 'data-md-component="source"' not in page.html:
            continue
        assert any('__md_set("__source",{},sessionStorage)' in s for s in page.scripts), name
        bundle = page.html.index("assets/javascripts/bundle.")
        assert page.html.index('__md_set("__source"') < bundle, name


def test_every_internal_link_was_resolved(pages: dict[str, Page]) -> None:
    """Links written to .md files (including the extension's /rules.md#id) became page URLs."""
    unresolved = {
        name: hrefs
        for name, page in pages.items()
        if (
            hrefs := [
                attrs["href"]
                for tag, attrs in page.tags
                if tag == "a"
                and not _is_foreign(attrs.get("href", ""))
                and re.search(r"\.md(#|$)", attrs.get("href", ""))
            ]
        )
    }
    assert not unresolved


def test_finding_links_reach_the_rule_sections(pages: dict[str, Page], site: Path) -> None:
    rule_ids = pages["rules/index.html"].ids()
    checked = 0
    for name, page in pages.items():
        for tag, attrs in page.tags:
            if tag != "a" or "inmail-rule-link" not in attrs.get("class", ""):
                continue
            target, _, anchor = attrs["href"].partition("#")
            resolved = (site / name).parent.joinpath(target or ".", "index.html").resolve()
            if not target:
                resolved = (site / name).resolve()
            assert resolved == (site / "rules" / "index.html").resolve(), (name, attrs["href"])
            assert anchor in rule_ids, (name, attrs["href"])
            checked += 1
    assert checked >= len(RULES)  # at least the rules page's own examples
