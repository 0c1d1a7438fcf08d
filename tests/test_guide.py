"""The guide says one thing everywhere (issue 11).

- LinkedIn's figures come from data (facts.toml, plans.toml), never typed, and each one links
  its source, on the pages and in the rules' texts; a rule and a page cannot disagree.
- One citation style, built from sources.toml: a marker after a claim, a "Checked:" line under
  each page's title; no citation typed by hand.
- Navigation labels are page titles; developer pages sit under "For developers".
- Every repository link comes from mkdocs.yml's repo_url.
- Every page reads at grade 9 or lower; "refund" finds the credit-back section.
- The "After" examples follow the guide's own rules, not only the checker's.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from inmail_checker import check
from inmail_checker.registry import ALL_RULES, FACTS, RULE_FILES
from inmail_guide.citations import format_value
from inmail_guide.drafts import split_draft
from inmail_guide.sources import GUIDE, load_sources, month_text
from tests.dom import Node, article, parse
from tests.figures import FIGURE, NUMBER, figures, unquoted

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
RULES_DIR = ROOT / "src" / "inmail_checker" / "rules"
CATALOGUE = load_sources()
SOURCE_URLS = {source.url for source in CATALOGUE.sources if source.group != GUIDE}
"""Outside sources, by address. The guide's own explanations ("/sources.md#uncertain") become
relative links in the built site (see :func:`_is_source`)."""
GUIDE_SOURCES = {
    (
        urlsplit(source.url).path.removeprefix("/").removesuffix(".md") + "/",
        urlsplit(source.url).fragment,
    )
    for source in CATALOGUE.sources
    if source.group == GUIDE
}
CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

DEVELOPER_PAGES = {"cli.md", "schema.md"}
"""Pages about the checker's own command and JSON: their figures are the checker's settings
(a quoted span's length, what it reads), not LinkedIn's."""
CHECKER_SETTINGS = {("form.checked-in-part", "limit")}
"""Rule parameters quoted beside a unit that are the checker's own numbers, not LinkedIn's."""
WITHOUT_LINKEDIN_FIGURES = {"scoring", "report-example", "report-schema", "exit-codes"}
"""Generated blocks whose numbers are the checker's own (points, how the corpus fares)."""
_SKIPPED_TAGS = {"pre", "code", "script", "style", "form"}
_SKIPPED_CLASSES = {"inmail-draft", "inmail-example", "headerlink"}
_BLOCKS = {"p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "table"}
_PLACEHOLDER = re.compile(r"\{(?P<name>[a-z_][a-z0-9_]*)(?::[^{}]*)?\}")
_UNIT_AFTER = re.compile(
    r"^(?:%|(?:[\s-]+\w+){0,2}?[\s-]+(?:credits?|characters?|days?|hours?|weeks?|inmails?)\b)",
    re.IGNORECASE,
)


def _page_name(source: str) -> str:
    return "index.html" if source == "index.md" else f"{source[:-3]}/index.html"


READER_PAGES = sorted(path.name for path in DOCS.glob("*.md") if path.name not in DEVELOPER_PAGES)


@pytest.fixture(scope="module")
def built(built_site: Path) -> dict[str, str]:
    """Every guide page's built HTML, by source file name."""
    pages = {}
    for source in sorted(DOCS.glob("*.md")):
        pages[source.name] = (built_site / _page_name(source.name)).read_text(encoding="utf-8")
    return pages


def _skipped(chain: list[Node]) -> bool:
    """Example messages, code, the checker's form, and generated blocks of the checker's own
    numbers: none of them states a LinkedIn figure."""
    return any(
        node.tag in _SKIPPED_TAGS
        or node.classes & _SKIPPED_CLASSES
        or any(name.startswith("inmail-checker") for name in node.classes)
        or node.attrs.get("data-inmail") in WITHOUT_LINKEDIN_FIGURES
        for node in chain
    )


def _block(chain: list[Node]) -> Node:
    """The block a piece of text belongs to; a table is one block."""
    table = next((node for node in chain if node.tag == "table"), None)
    if table is not None:
        return table
    return next((node for node in chain if node.tag in _BLOCKS), chain[-1])


def _is_source(href: str) -> bool:
    """An outside source, or one of the guide's own explanations (a relative link to it)."""
    if href in SOURCE_URLS:
        return True
    link = urlsplit(href)
    return any(
        link.fragment == fragment and (link.path.endswith(page) or link.path in ("", "./"))
        for page, fragment in GUIDE_SOURCES
    )


def _sourced(node: Node) -> bool:
    return any(_is_source(href) for href in node.links())


def _page_figures(html: str) -> list[tuple[str, list[Node]]]:
    """Each LinkedIn-style figure of a page's content, with its element and their ancestors."""
    found = []
    for text, node in article(html).text_nodes():
        chain = [node, *node.ancestors()]
        if _skipped(chain):
            continue
        found += [(match.group(), chain) for match in FIGURE.finditer(unquoted(text))]
    return found


# --- The data: facts and sources -----------------------------------------------------------


def test_every_fact_names_a_listed_source_and_carries_its_date() -> None:
    for name, fact in FACTS.items():
        source = CATALOGUE.by_url(fact.source)
        assert source is not None, f"fact {name}: {fact.source} is not in sources.toml"
        published = source.published
        dates = {source.checked_text} | (
            {month_text(published[:7]), month_text(published[:4])} if published else set()
        )
        assert fact.as_of in dates, f"fact {name}: as of {fact.as_of!r}, source dates {dates}"
        assert format_value(fact.value) in fact.claim, f"fact {name}: its claim misstates it"


def test_every_rule_source_is_a_listed_source() -> None:
    unlisted = [(rule.id, rule.source) for rule in ALL_RULES if rule.source]
    unlisted = [(rule, url) for rule, url in unlisted if url not in SOURCE_URLS]
    assert not unlisted


def test_the_sources_file_rejects_a_source_without_its_date(tmp_path: Path) -> None:
    from inmail_guide import GuideError
    from inmail_guide.sources import parse_sources

    text = (ROOT / "src" / "inmail_guide" / "sources.toml").read_text(encoding="utf-8")
    with pytest.raises(GuideError, match=r"source 'help-75': missing key\(s\) \['checked'\]"):
        parse_sources(text.replace('checked = "2026-11"\n', "", 1), "sources.toml")
    duplicate = text + '\n[again]\nlabel = "Again"\nname = "Again"\ngroup = "help"\n'
    duplicate += 'checked = "2026-11"\nabout = "x"\nurl = "https://www.linkedin.com/help/linkedin/answer/75"\n'
    with pytest.raises(GuideError, match="the same url twice"):
        parse_sources(duplicate, "sources.toml")


# --- Rule texts ------------------------------------------------------------------------------


def _raw_rules() -> list[dict[str, object]]:
    raw = []
    for name in RULE_FILES:
        data = tomllib.loads((RULES_DIR / f"{name}.toml").read_text(encoding="utf-8"))
        raw += [*data.get("rule", []), *data.get("strength", [])]
    return raw


RULES_BY_ID = {rule.id: rule for rule in ALL_RULES}
TEXT_FIELDS = ("title", "message", "rationale", "fix")


@pytest.mark.parametrize("raw", _raw_rules(), ids=lambda raw: str(raw["id"]))
def test_a_rule_text_types_no_linkedin_figure(raw: dict[str, object]) -> None:
    """A figure in a rule's text is a parameter naming a fact of facts.toml (or, for the few
    numbers of the checker itself, a setting listed above), never typed."""
    rule = RULES_BY_ID[str(raw["id"])]
    for field in TEXT_FIELDS:
        template = " ".join(str(raw[field]).split())
        typed = figures(_PLACEHOLDER.sub("{}", template))
        assert not typed, f"{rule.id} {field}: figures typed by hand: {typed}"
        for match in _PLACEHOLDER.finditer(template):
            name = match["name"]
            if name not in rule.params or not _UNIT_AFTER.match(template[match.end() :]):
                continue  # a value of the finding ({count}), or not a figure
            assert name in rule.facts or (rule.id, name) in CHECKER_SETTINGS, (
                f"{rule.id} {field}: {{{name}}} is a figure but names no fact"
            )


def test_rule_texts_state_exactly_the_facts_they_name() -> None:
    """Every figure in a rule's filled text is the value of a fact the rule names."""
    checked = 0
    for rule in ALL_RULES:
        allowed = {format_value(fact.value) for fact in rule.facts.values()}
        allowed |= {format_value(rule.params[n]) for r, n in CHECKER_SETTINGS if r == rule.id}
        for field in TEXT_FIELDS:
            text = _PLACEHOLDER.sub("{}", getattr(rule, field))
            for figure in figures(text):
                match = NUMBER.match(figure)
                assert match and match.group() in allowed, f"{rule.id} {field}: {figure!r}"
                checked += 1
        for name, fact in rule.facts.items():
            assert rule.params[name] == FACTS[fact.name].value
    assert checked >= 10  # the length rules quote their figures


_PLACE = re.compile(r"\b(?:on|off|to|from|in|of) LinkedIn\b(?!'s)")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_a_rule_that_says_what_linkedin_does_cites_a_source(rule) -> None:  # type: ignore[no-untyped-def]
    """A rule text that states something about LinkedIn (its policies, its limits, its report
    form) names the source the guide cites for it: a source or a fact."""
    claims = [
        sentence
        for field in TEXT_FIELDS
        for sentence in re.split(r"(?<=[.!?])\s+", getattr(rule, field))
        if "LinkedIn" in _PLACE.sub("", sentence)
    ]
    if claims:
        assert rule.source or rule.facts, f"{rule.id}: no source for {claims}"


# --- Built pages: figures, sources, one value per fact -----------------------------------------


@pytest.mark.parametrize("source", READER_PAGES)
def test_every_linkedin_figure_on_a_page_comes_from_data_with_its_source(
    built: dict[str, str], source: str
) -> None:
    typed, unsourced = [], []
    for figure, chain in _page_figures(built[source]):
        if any("data-limit" in node.attrs for node in chain):
            continue  # the checker's own limit ([limit:…]), not LinkedIn's
        generated = next((node for node in chain if "data-inmail" in node.attrs), None)
        quoted = any("data-fact" in node.attrs or "data-plan" in node.attrs for node in chain)
        if not quoted and generated is None:
            typed.append(figure)
            continue
        # The source link sits beside it: in its block, its rule's section or the generated
        # block it belongs to.
        rule = next((node for node in chain if "inmail-rule" in node.classes), None)
        holder = rule or (generated if not quoted else _block(chain))
        if not _sourced(holder):
            unsourced.append(figure)
    assert not typed, f"{source}: figures typed by hand, not quoted from data: {typed}"
    assert not unsourced, f"{source}: figures without a source link beside them: {unsourced}"


def test_every_page_with_a_linkedin_figure_links_a_source(built: dict[str, str]) -> None:
    for source in READER_PAGES:
        page = article(built[source])
        if _page_figures(built[source]):
            assert _sourced(page), source


def test_a_rule_and_a_page_state_one_value_for_each_fact(built: dict[str, str]) -> None:
    """Pages quote facts (data-fact), rules name them (params): both read facts.toml, so for
    each fact every statement of it gives one value, the file's. Together with the tests
    above (no figure typed in a page or a rule), a rule and a page cannot disagree."""
    on_pages: dict[str, set[str]] = {}
    for html in built.values():
        for node in parse(html).iter():
            name = node.attrs.get("data-fact")
            if name:
                match = NUMBER.match(node.text().strip())
                assert match, (name, node.text())
                on_pages.setdefault(name, set()).add(match.group())
    in_rules: dict[str, set[str]] = {}
    for rule in ALL_RULES:
        for param, fact in rule.facts.items():
            in_rules.setdefault(fact.name, set()).add(format_value(rule.params[param]))
    assert set(in_rules) <= set(on_pages), "facts the rules state that no page states"
    disagreements = {
        name: (on_pages.get(name, set()), in_rules.get(name, set()))
        for name in on_pages.keys() | in_rules.keys()
        if on_pages.get(name, set()) | in_rules.get(name, set())
        != {format_value(FACTS[name].value)}
    }
    assert not disagreements


def test_rules_reference_links_the_source_of_every_fact_a_rule_quotes(
    built: dict[str, str],
) -> None:
    page = article(built["rules.md"])
    sections = {node.attrs["id"]: node for node in page.iter("h3") if "id" in node.attrs}
    for rule in ALL_RULES:
        heading = sections[rule.id]
        siblings = [c for c in heading.parent.children if isinstance(c, Node)]
        section = siblings[siblings.index(heading) + 1]
        links = section.links()
        wanted = {fact.source for fact in rule.facts.values()} | ({rule.source} - {""})
        for url in wanted:
            source = CATALOGUE.by_url(url)
            assert source is not None, url
            found = url in links if source.group != GUIDE else any(map(_is_source, links))
            assert found, f"{rule.id}: source {url} not linked"


# --- One citation style ------------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(path.name for path in DOCS.glob("*.md")))
def test_no_page_types_a_citation_or_a_source_address_by_hand(source: str) -> None:
    text = (DOCS / source).read_text(encoding="utf-8")
    months = "|".join(("January", "February", "March", "April", "May", "June", "July"))
    months += "|August|September|October|November|December"
    assert not re.search(rf"\bas of ({months}) \d{{4}}", text), source
    assert "(LinkedIn Help" not in text, source
    typed = [url for url in SOURCE_URLS if url in text]
    assert not typed, f"{source}: cite these with [cite:…] instead: {typed}"


def test_each_page_that_cites_a_source_says_when_it_was_checked(built: dict[str, str]) -> None:
    with_line = 0
    for source, html in built.items():
        page = article(html)
        lines = [node for node in page.iter("p") if "inmail-checked" in node.classes]
        cited = [CATALOGUE.by_url(href) for href in page.links() if href in SOURCE_URLS]
        cited += [CATALOGUE["uncertain"]] * any(
            _is_source(href) and href not in SOURCE_URLS for href in page.links()
        )
        if not cited:
            assert not lines, source
            continue
        assert len(lines) == 1, source
        children = [c for c in lines[0].parent.children if isinstance(c, Node)]
        assert children[children.index(lines[0]) - 1].tag == "h1", f"{source}: not under the title"
        oldest = min(source.checked for source in cited if source is not None)
        assert lines[0].text().startswith(f"Checked: {month_text(oldest)}."), source
        with_line += 1
    assert with_line >= len(READER_PAGES) - 1  # every reader page but the scoring one cites


def test_the_sources_page_lists_every_source_and_no_description_twice(
    built: dict[str, str],
) -> None:
    page = article(built["sources.md"])
    assert set(page.links()) >= SOURCE_URLS
    rows = [row for row in page.iter("tr") if row.find(lambda node: node.tag == "td")]
    descriptions = [[c for c in row.iter("td")][1].text().strip() for row in rows]
    assert len(descriptions) == len(set(descriptions)), descriptions


@pytest.mark.parametrize("source", READER_PAGES)
def test_reader_pages_show_no_notes_for_maintainers(built: dict[str, str], source: str) -> None:
    text = article(built[source]).text()
    for note in ("src/", "docs/", "data file", "headings stay stable", ".toml data"):
        assert note not in text, f"{source}: {note!r}"


# --- Navigation, findability, repository links -------------------------------------------------


def _title(html: str) -> str:
    heading = article(html).find(lambda node: node.tag == "h1")
    assert heading is not None
    return heading.text().replace("¶", "").strip()


def test_navigation_labels_are_the_page_titles(built_site: Path, built: dict[str, str]) -> None:
    def leaves(items: list[object]) -> list[object]:
        found = []
        for item in items:
            if isinstance(item, dict):
                ((_, value),) = item.items()
                found += leaves(value) if isinstance(value, list) else [item]
            else:
                found.append(item)
        return found

    labelled = [leaf for leaf in leaves(CONFIG["nav"]) if not isinstance(leaf, str)]
    assert not labelled, f"nav entries with their own label: {labelled}"
    nav = parse((built_site / "index.html").read_text(encoding="utf-8"))
    primary = nav.find(lambda node: node.tag == "nav" and "md-nav--primary" in node.classes)
    assert primary is not None
    titles = {urlsplit(_page_name(s)).path: _title(html) for s, html in built.items()}
    seen = 0
    for link in primary.iter("a"):
        href = link.attrs.get("href", "")
        target = "index.html" if href in ("", ".", "./") else href.removeprefix("./") + "index.html"
        if "md-nav__link" not in link.classes or target not in titles:
            continue
        label = " ".join(link.text().split())
        assert label == titles[target], (target, label)
        seen += 1
    assert seen == len(built)


def test_developer_pages_sit_under_for_developers() -> None:
    sections = {
        key: value
        for item in CONFIG["nav"]
        if isinstance(item, dict)
        for key, value in item.items()
    }
    assert set(sections["For developers"]) == DEVELOPER_PAGES
    elsewhere = [p for name, pages in sections.items() if name != "For developers" for p in pages]
    assert not DEVELOPER_PAGES & set(elsewhere)


def test_refund_finds_the_credit_back_section(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = {doc["location"]: doc for doc in index["docs"]}
    section = entries["credits/#credit-back"]
    assert "refund" in (section["title"] + " " + section["text"]).lower()


def test_repository_links_all_come_from_repo_url(built_site: Path, built: dict[str, str]) -> None:
    repo = CONFIG["repo_url"].rstrip("/")
    extension = next(
        item["inmail"]
        for item in CONFIG["markdown_extensions"]
        if isinstance(item, dict) and "inmail" in item
    )
    assert extension["repo_url"] == CONFIG["repo_url"], "the extension has its own repo_url"
    edit_prefix = f"{repo}/{CONFIG['edit_uri']}"
    header = edits = issues = 0
    for path in sorted(built_site.rglob("*.html")):
        page = parse(path.read_text(encoding="utf-8"))
        for link in page.iter("a"):
            href = link.attrs.get("href", "")
            host = urlsplit(href).netloc
            if host not in ("github.com", "www.github.com"):
                continue
            assert href.startswith(repo + "/") or href == repo, f"{path}: {href}"
            header += "md-source" in link.classes
            edits += "md-content__button" in link.classes and href.startswith(edit_prefix)
            issues += href.startswith(f"{repo}/issues")
    assert header >= len(built) and edits >= len(built) and issues >= 1
    site = urlsplit(CONFIG["site_url"])
    if site.netloc.endswith(".github.io"):
        user, name = urlsplit(repo).path.strip("/").split("/")
        assert site.netloc == f"{user.lower()}.github.io"
        assert site.path.strip("/") == name, "site_url and repo_url name different repositories"


def test_the_readme_says_what_a_fork_changes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    fork = readme[readme.index("To publish a fork") :]
    fork = fork[: fork.index("\n## ")]
    for setting in ("site_url", "repo_url"):
        assert f"`{setting}`" in fork


# --- Reading ------------------------------------------------------------------------------------


def _readability():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "readability", ROOT / "scripts" / "readability.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("source", sorted(path.name for path in DOCS.glob("*.md")))
def test_every_page_reads_at_grade_nine_or_lower(source: str) -> None:
    grade, words, _ = _readability().grade((DOCS / source).read_text(encoding="utf-8"))
    assert words > 100, source
    assert grade <= 9, f"{source} reads at grade {grade}"


def test_readability_counts_quoted_figures_as_words_and_skips_markers() -> None:
    blocks = _readability().prose_blocks(
        "Up to [fact:body-limit characters].[cite:help-437]\n\n<!-- a note -->\n\nDone."
    )
    assert blocks == ["Up to 100 characters.", "Done."]


# --- The examples follow the guide's own rules -------------------------------------------------

_FENCE = re.compile(
    r'^(?P<indent>[ \t]*)```inmail-draft verdict="(?P<verdict>[^"]+)" title="(?P<title>[^"]+)"\n'
    r"(?P<text>.*?)^(?P=indent)```",
    re.M | re.S,
)


def _drafts(source: str) -> list[tuple[str, str, str, str]]:
    found = []
    for match in _FENCE.finditer((DOCS / source).read_text(encoding="utf-8")):
        indent = match["indent"]
        text = "\n".join(line.removeprefix(indent) for line in match["text"].splitlines())
        subject, body = split_draft(text)
        found.append((match["title"], match["verdict"], subject, body))
    return found


AFTERS = [draft for draft in _drafts("writing.md") if draft[1] == "looks-genuine"]


@pytest.mark.parametrize("draft", AFTERS, ids=lambda draft: draft[0])
def test_an_after_example_follows_the_seven_habits(draft: tuple[str, str, str, str]) -> None:
    """Short, for one person, one clear question, an easy no, and nothing sold or pushed."""
    title, _, subject, body = draft
    report = check(body, subject)
    assert subject, title
    assert len(body) < FACTS["short-message"].value, f"{title}: {len(body)} characters"
    strengths = {strength.rule for strength in report.strengths}
    wanted = {"strength.named-person", "strength.one-clear-question", "strength.easy-no"}
    assert wanted <= strengths, f"{title}: lacks {wanted - strengths}"
    pushy = [f.rule for f in report.findings if f.category in ("pitch", "bulk", "followup", "scam")]
    assert not pushy, f"{title}: {pushy}"
    assert body.count("?") == 1, f"{title}: ask one question"
    assert not re.search(r"https?://|\bcall\b|\bchat\b|\bdemo\b|\bmeeting\b", body, re.I), title


def test_there_is_an_after_for_each_reader_and_the_seller_sells_nothing() -> None:
    titles = [title for title, *_ in AFTERS]
    assert len(AFTERS) >= 5, titles
    seller = next(body for title, _, _, body in AFTERS if "problem" in title.lower())
    for selling in ("our tool", "my tool", "product", "pricing", "summary of how it works", "demo"):
        assert selling not in seller.lower(), selling
