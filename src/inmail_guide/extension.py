"""Python-Markdown extension ``inmail``: generated content and checked drafts for the guide.

Markers, each a paragraph on its own::

    [inmail:rules-summary]     every rule in one table: id, title, severity, points
    [inmail:rules-reference]   every rule, heading id = rule id, grouped by family
    [inmail:scoring]           the scoring formula, caps, thresholds and weights
    [inmail:plans-table]       the plans table from the plans data file
    [inmail:credits-example]   InMails per month at a few response rates
    [inmail:credits-walkthrough] the same, in words, for the smallest plan
    [inmail:sources-help]      the Sources page's lists, one per group of the sources file
    [inmail:sources-policies]  (sources-blogs, sources-press likewise)
    [inmail:report-schema]     the report's JSON Schema
    [inmail:report-example]    the JSON report of an example draft, made by the checker
    [inmail:exit-codes]        the command line's exit codes
    [inmail:checker]           the checker's form and result panel (the page script runs it)

and fenced drafts, a fence of pymdownx.superfences (so they also work indented inside
admonitions, content tabs or lists)::

    ```inmail-draft verdict="likely-spam" title="A pitch in disguise"
    Subject: Quick question
    Hi {first_name}, ...
    ```

and subject-line swaps, a table checked the same way (see :mod:`.subjects`)::

    ```inmail-subjects
    Quick question => Your talk on data contracts at PyCon
    ```

In running text, ``[fact:body-limit characters]``, ``[plan:premium-career]`` and
``[cite:help-75]`` quote LinkedIn's figures and cite sources from data (see
:mod:`.citations`); links written ``repo:issues/new`` go into the repository; and every page
that cites a source gets a "Checked: <month year>" line under its title.

A draft is checked with the real checker and the build fails when its claimed verdict is
wrong. An unknown marker, an unknown or missing fence attribute, or an unreadable data file
raises :class:`GuideError` naming the marker or the draft's title.

How it fits in Python-Markdown: ``pymdownx.superfences`` must be loaded first; this extension
adds the ``inmail-draft`` fence to it. A block processor turns markers into placeholder
elements, and a tree processor, running after ``attr_list`` and before ``toc``, replaces them
with finished elements, so generated headings are in the tree that ``toc`` and MkDocs read
(permalinks, anchors, link checks).

Options:

- ``plans_file``: path of another plans data file (TOML; default: the one shipped with this
  package, ``inmail_guide/plans.toml``).
- ``sources_file``: path of another sources file (default: ``inmail_guide/sources.toml``).
- ``repo_url``: the repository's address, for ``repo:`` links. In mkdocs.yml it is the same
  setting as MkDocs' own ``repo_url`` (a YAML alias), so every repository link agrees.
- ``link_base``: prefix for links to other guide pages (``rules.md``, ``scoring.md``). The
  default ``/`` gives docs-root links such as ``/rules.md#pitch.book-a-call``, which MkDocs
  turns into a correct relative URL from any page, and whose anchor it checks, when
  ``validation: links: absolute_links: relative_to_docs`` is set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.serializers import to_html_string
from markdown.treeprocessors import Treeprocessor
from pymdownx.superfences import SuperFencesCodeExtension, SuperFencesException

from .checker_form import checker_form
from .citations import QuoteProcessor, finish_page
from .drafts import checked_draft
from .errors import GuideError
from .exit_codes import exit_codes
from .plans import (
    DEFAULT_PLANS,
    PlansData,
    credits_example,
    credits_walkthrough,
    load_plans,
    plans_table,
)
from .reference import rules_reference, rules_summary
from .schema_block import report_example, report_schema
from .scoring_page import scoring
from .sources import DEFAULT_SOURCES, GROUPS, Catalogue, load_sources, sources_list
from .subjects import subject_swaps

DRAFT_LANGUAGE = "inmail-draft"
DRAFT_ATTRIBUTES = ("verdict", "title")
SUBJECTS_LANGUAGE = "inmail-subjects"
SUBJECTS_ATTRIBUTES = ("title",)
_MARKER = re.compile(r"^\[inmail:(?P<name>[^\]\n]*)\]$")
_MARKER_TAG = "inmail-marker"
_LOST_FENCE = re.compile(
    rf"(?:`{{3,}}|~{{3,}}|^)[ \t]*(?:{DRAFT_LANGUAGE}|{SUBJECTS_LANGUAGE})(?![\w-])"
)
"""A fence SuperFences could not read, as it is left: text holding its opening line (or, after
inline code took its backticks, a code element that starts with the language)."""
RAW_MARKERS = frozenset({"checker"})
"""Markers whose HTML goes into the page as is, its headings left out of the table of contents."""


class DraftError(GuideError, SuperFencesException):  # type: ignore[misc]
    """A wrong draft fence: a GuideError that SuperFences lets through instead of rendering the
    fence as plain code."""


class _Fence:
    """A fence whose content the extension checks and renders: ``inmail-draft`` (a checked
    draft) or ``inmail-subjects`` (checked subject-line swaps). Its validator checks the
    attributes, its formatter renders the element.

    SuperFences puts what a formatter returns into the page as raw HTML, which MkDocs never
    reads, so links to the rules would not be resolved or checked. The formatter therefore
    returns a marker and keeps the element; :class:`InMailTreeprocessor` puts the element
    itself into the tree in the marker's place."""

    def __init__(
        self,
        language: str,
        attributes: tuple[str, ...],
        render: Callable[[dict[str, str], str], Element],
        placed: dict[str, tuple[str, Element]],
    ) -> None:
        self.language = language
        self.attributes = attributes
        self.render = render
        self.drafts = placed

    def reset(self, md: Markdown | None = None) -> None:
        self.drafts.clear()

    def validate(
        self, language: str, inputs: dict[str, str], options: dict[str, str], attrs: Any, md: Any
    ) -> bool:
        title = inputs.get("title", "(untitled)")
        unknown = sorted(set(inputs) - set(self.attributes))
        if unknown:
            raise DraftError(
                f"{self.language} {title!r}: unknown attribute(s) {', '.join(unknown)} "
                f"(allowed: {', '.join(self.attributes)})"
            )
        missing = [key for key in self.attributes if not inputs.get(key, "").strip()]
        if missing:
            raise DraftError(
                f"{self.language} {title!r}: missing attribute(s) {', '.join(missing)}"
            )
        options.update(inputs)
        return True

    def format(self, src: str = "", options: dict[str, str] | None = None, **_: Any) -> str:
        options = options or {}
        try:
            element = self.render(options, src.rstrip("\n"))
        except GuideError as error:
            raise DraftError(str(error)) from error
        marker = _DRAFT_MARKER.format(len(self.drafts))
        self.drafts[marker] = (f"{self.language} {options['title']!r}", element)
        return marker

    def place(self, md: Markdown, root: Element) -> None:
        """Put each rendered fence into the tree where SuperFences left its marker."""
        placeholders = {
            md.htmlStash.get_placeholder(index): (index, block)
            for index, block in enumerate(md.htmlStash.rawHtmlBlocks)
            if isinstance(block, str) and block in self.drafts
        }
        parents = {child: parent for parent in root.iter() for child in parent}
        placed = set()
        for element in list(root.iter("p")):
            found = placeholders.get((element.text or "").strip())
            if found is None or len(element):
                continue
            index, marker = found
            md.htmlStash.rawHtmlBlocks[index] = ""
            _replace(parents[element], element, [self.drafts[marker][1]])
            placed.add(marker)
        for marker, (title, _) in self.drafts.items():
            if marker not in placed:
                raise GuideError(f"{title} could not be placed on the page")


_DRAFT_MARKER = "<!-- inmail-draft {} -->"


def _superfences(md: Markdown) -> SuperFencesCodeExtension:
    """The SuperFences extension of ``md``, loaded here when the configuration has none (list
    it before ``inmail`` to configure it yourself)."""
    for extension in md.registeredExtensions:
        if isinstance(extension, SuperFencesCodeExtension):
            return extension
    extension = SuperFencesCodeExtension()
    extension.extendMarkdown(md)
    return extension


class MarkerProcessor(BlockProcessor):
    """A line that is exactly ``[inmail:name]`` becomes a placeholder element.

    The line may sit inside a paragraph (no blank line around it): the text before it stays a
    paragraph, the text after it is parsed on, so a marker is never lost in running text.
    """

    def __init__(self, parser: BlockParser, names: frozenset[str]) -> None:
        super().__init__(parser)
        self.names = names

    @staticmethod
    def _marker_line(lines: list[str]) -> int | None:
        return next((i for i, line in enumerate(lines) if _MARKER.match(line.strip())), None)

    def test(self, parent: Element, block: str) -> bool:
        return self._marker_line(block.split("\n")) is not None

    def run(self, parent: Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        index = self._marker_line(lines)
        assert index is not None
        if lines[index + 1 :]:
            blocks.insert(0, "\n".join(lines[index + 1 :]))
        if index:
            self.parser.parseBlocks(parent, ["\n".join(lines[:index])])
        match = _MARKER.match(lines[index].strip())
        assert match is not None
        name = match["name"]
        if name not in self.names:
            raise GuideError(
                f"unknown marker [inmail:{name}] (known: "
                + ", ".join(f"[inmail:{known}]" for known in sorted(self.names))
                + ")"
            )
        parent.append(Element(_MARKER_TAG, {"name": name}))


class InMailTreeprocessor(Treeprocessor):
    """Places the rendered drafts, and replaces marker placeholders with their elements."""

    def __init__(
        self,
        md: Markdown,
        expanders: dict[str, Callable[[], list[Element]]],
        fence: _Fence,
        finish: Callable[[Element], None],
    ) -> None:
        super().__init__(md)
        self.expanders = expanders
        self.fence = fence
        self.finish = finish

    def run(self, root: Element) -> None:
        self.fence.place(self.md, root)
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in root.iter():
            # SuperFences leaves a fence it could not read (never closed, or indented as code)
            # as text: a draft must not vanish from the page without a word.
            texts = [element.text or "", element.tail or ""]
            if any(_LOST_FENCE.search(text) for text in texts if "`" in text or "~" in text) or (
                element.tag == "code" and _LOST_FENCE.match(element.text or "")
            ):
                raise GuideError(
                    f"an {DRAFT_LANGUAGE} or {SUBJECTS_LANGUAGE} fence was not rendered (is it "
                    "closed, and not indented as a code block?): "
                    f"{(element.text or element.tail or '').strip()[:80]!r}"
                )
        for element in list(root.iter(_MARKER_TAG)):
            name = element.get("name", "")
            try:
                generated = self.expanders[name]()
            except GuideError as error:
                message = str(error)
                prefix = f"[inmail:{name}]"
                raise GuideError(
                    message if message.startswith(prefix) else f"{prefix}: {message}"
                ) from error
            if name in RAW_MARKERS:
                # Kept out of the tree that toc reads: its headings are the widget's own.
                html = "".join(to_html_string(e) for e in generated)
                stashed = Element("p")
                stashed.text = self.md.htmlStash.store(html)
                generated = [stashed]
            else:
                for top in generated:
                    # Generated from the data files, not typed: the site's tests tell them apart.
                    top.set("data-inmail", name)
            _replace(parents[element], element, generated)
        self.finish(root)


_STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")


def hide_decorative_checkboxes(md: Markdown, root: Element) -> None:
    """pymdownx.tasklist's boxes are drawn, not used (disabled, no label of their own): for a
    screen reader the list is the text, so the boxes are hidden from it."""
    for item in root.iter("li"):
        if "task-list-item" not in item.get("class", "").split():
            continue
        first = next((child for child in item if child.tag == "p"), None)
        texts = [item.text or "", first.text or "" if first is not None else ""]
        for text in texts:
            for match in _STASHED.finditer(text):
                index = int(match.group(1))
                block = md.htmlStash.rawHtmlBlocks[index]
                if isinstance(block, str) and "disabled" in block:
                    md.htmlStash.rawHtmlBlocks[index] = block.replace(
                        '<label class="task-list-control">',
                        '<label class="task-list-control" aria-hidden="true">',
                    )


def _replace(parent: Element, old: Element, new: list[Element]) -> None:
    position = list(parent).index(old)
    parent.remove(old)
    tail = old.tail
    for offset, element in enumerate(new):
        parent.insert(position + offset, element)
    if new:
        new[-1].tail = (new[-1].tail or "") + (tail or "")
    elif tail:
        previous = parent[position - 1] if position else None
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


class InMailExtension(Extension):
    """Registered as the Markdown extension ``inmail``."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {
            "plans_file": ["", "Path of another plans data file (default: the package's own)."],
            "sources_file": ["", "Path of another sources file (default: the package's own)."],
            "link_base": ["/", "Prefix of links to other guide pages, e.g. '/' → /rules.md#id."],
            "repo_url": ["", "The repository's address, for repo: links (mkdocs.yml repo_url)."],
        }
        super().__init__(**kwargs)

    def _plans_path(self) -> str:
        return os.fspath(self.getConfig("plans_file") or DEFAULT_PLANS)

    def _sources_path(self) -> str:
        return os.fspath(self.getConfig("sources_file") or DEFAULT_SOURCES)

    def _link_base(self) -> str:
        return str(self.getConfig("link_base"))

    def extendMarkdown(self, md: Markdown) -> None:
        def catalogue() -> Catalogue:
            return load_sources(self._sources_path())

        def plans() -> PlansData:
            return load_plans(self._plans_path(), catalogue())

        def sources_group(group: str) -> Callable[[], list[Element]]:
            return lambda: sources_list(catalogue(), group)

        expanders: dict[str, Callable[[], list[Element]]] = {
            "rules-summary": rules_summary,
            "rules-reference": lambda: rules_reference(self._link_base(), catalogue()),
            "scoring": lambda: scoring(self._link_base()),
            "plans-table": lambda: plans_table(plans()),
            "credits-example": lambda: credits_example(plans()),
            "credits-walkthrough": lambda: credits_walkthrough(plans()),
            "report-schema": report_schema,
            "report-example": report_example,
            "exit-codes": exit_codes,
            "checker": checker_form,
        }
        for group in GROUPS:
            expanders[f"sources-{group}"] = sources_group(group)
        placed: dict[str, tuple[str, Element]] = {}
        drafts = _Fence(
            DRAFT_LANGUAGE,
            DRAFT_ATTRIBUTES,
            lambda options, src: checked_draft(
                options["title"], src, options["verdict"], self._link_base()
            )[0],
            placed,
        )
        subjects = _Fence(
            SUBJECTS_LANGUAGE,
            SUBJECTS_ATTRIBUTES,
            lambda options, src: subject_swaps(options["title"], src, self._link_base()),
            placed,
        )
        superfences = _superfences(md)
        superfences.extend_super_fences(
            DRAFT_LANGUAGE, drafts.format, drafts.validate, drafts.reset
        )
        superfences.extend_super_fences(
            SUBJECTS_LANGUAGE, subjects.format, subjects.validate, subjects.reset
        )
        # Just before plain paragraphs (10).
        md.parser.blockprocessors.register(
            MarkerProcessor(md.parser, frozenset(expanders)), "inmail_marker", 12
        )
        # After inline code (190) and escapes (180), before links and references (170, 160).
        md.inlinePatterns.register(QuoteProcessor(md, catalogue, plans), "inmail_quote", 175)

        def finish(root: Element) -> None:
            hide_decorative_checkboxes(md, root)
            finish_page(root, catalogue(), str(self.getConfig("repo_url")), self._link_base())

        # After inline patterns (20) and attr_list (8), before toc and MkDocs' anchors (5).
        md.treeprocessors.register(
            InMailTreeprocessor(md, expanders, drafts, finish), "inmail", 5.5
        )


def makeExtension(**kwargs: object) -> InMailExtension:
    return InMailExtension(**kwargs)
