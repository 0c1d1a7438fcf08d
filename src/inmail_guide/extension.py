"""Python-Markdown extension ``inmail``: generated content and checked drafts for the guide.

Markers, each a paragraph on its own::

    [inmail:rules-reference]   every rule, heading id = rule id
    [inmail:scoring]           the scoring formula, caps, thresholds and weights
    [inmail:plans-table]       the plans table from the plans data file
    [inmail:credits-example]   InMails per month at a few response rates
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
from .drafts import checked_draft
from .errors import GuideError
from .exit_codes import exit_codes
from .plans import DEFAULT_PLANS, credits_example, load_plans, plans_table
from .reference import rules_reference
from .schema_block import report_example, report_schema
from .scoring_page import scoring

DRAFT_LANGUAGE = "inmail-draft"
DRAFT_ATTRIBUTES = ("verdict", "title")
_MARKER = re.compile(r"^\[inmail:(?P<name>[^\]\n]*)\]$")
_MARKER_TAG = "inmail-marker"
_LOST_FENCE = re.compile(rf"(?:`{{3,}}|~{{3,}}|^)[ \t]*{DRAFT_LANGUAGE}(?![\w-])")
"""A fence SuperFences could not read, as it is left: text holding its opening line (or, after
inline code took its backticks, a code element that starts with the language)."""
RAW_MARKERS = frozenset({"checker"})
"""Markers whose HTML goes into the page as is, its headings left out of the table of contents."""


class DraftError(GuideError, SuperFencesException):  # type: ignore[misc]
    """A wrong draft fence: a GuideError that SuperFences lets through instead of rendering the
    fence as plain code."""


class _DraftFence:
    """The ``inmail-draft`` fence: its validator checks the attributes, its formatter checks
    the draft and renders it.

    SuperFences puts what a formatter returns into the page as raw HTML, which MkDocs never
    reads, so a draft's links to the rules would not be resolved or checked. The formatter
    therefore returns a marker and keeps the element; :class:`InMailTreeprocessor` puts the
    element itself into the tree in the marker's place."""

    def __init__(self, link_base: Callable[[], str]) -> None:
        self.link_base = link_base
        self.drafts: dict[str, tuple[str, Element]] = {}

    def reset(self, md: Markdown | None = None) -> None:
        self.drafts.clear()

    def validate(
        self, language: str, inputs: dict[str, str], options: dict[str, str], attrs: Any, md: Any
    ) -> bool:
        title = inputs.get("title", "(untitled)")
        unknown = sorted(set(inputs) - set(DRAFT_ATTRIBUTES))
        if unknown:
            raise DraftError(
                f"{DRAFT_LANGUAGE} {title!r}: unknown attribute(s) {', '.join(unknown)} "
                f"(allowed: {', '.join(DRAFT_ATTRIBUTES)})"
            )
        missing = [key for key in DRAFT_ATTRIBUTES if not inputs.get(key, "").strip()]
        if missing:
            raise DraftError(
                f"{DRAFT_LANGUAGE} {title!r}: missing attribute(s) {', '.join(missing)}"
            )
        options.update(inputs)
        return True

    def format(self, src: str = "", options: dict[str, str] | None = None, **_: Any) -> str:
        options = options or {}
        try:
            element, _report = checked_draft(
                options["title"], src.rstrip("\n"), options["verdict"], self.link_base()
            )
        except GuideError as error:
            raise DraftError(str(error)) from error
        marker = _DRAFT_MARKER.format(len(self.drafts))
        self.drafts[marker] = (options["title"], element)
        return marker

    def place(self, md: Markdown, root: Element) -> None:
        """Put each rendered draft into the tree where SuperFences left its marker."""
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
                raise GuideError(f"{DRAFT_LANGUAGE} {title!r} could not be placed on the page")


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
        fence: _DraftFence,
    ) -> None:
        super().__init__(md)
        self.expanders = expanders
        self.fence = fence

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
                    f"an {DRAFT_LANGUAGE} fence was not rendered (is it closed, and not indented "
                    f"as a code block?): {(element.text or element.tail or '').strip()[:80]!r}"
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
            _replace(parents[element], element, generated)


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
            "link_base": ["/", "Prefix of links to other guide pages, e.g. '/' → /rules.md#id."],
        }
        super().__init__(**kwargs)

    def _plans_path(self) -> str:
        return os.fspath(self.getConfig("plans_file") or DEFAULT_PLANS)

    def _link_base(self) -> str:
        return str(self.getConfig("link_base"))

    def extendMarkdown(self, md: Markdown) -> None:
        expanders: dict[str, Callable[[], list[Element]]] = {
            "rules-reference": lambda: rules_reference(self._link_base()),
            "scoring": lambda: scoring(self._link_base()),
            "plans-table": lambda: plans_table(load_plans(self._plans_path())),
            "credits-example": lambda: credits_example(load_plans(self._plans_path())),
            "report-schema": report_schema,
            "report-example": report_example,
            "exit-codes": exit_codes,
            "checker": checker_form,
        }
        fence = _DraftFence(self._link_base)
        _superfences(md).extend_super_fences(
            DRAFT_LANGUAGE, fence.format, fence.validate, fence.reset
        )
        # Just before plain paragraphs (10).
        md.parser.blockprocessors.register(
            MarkerProcessor(md.parser, frozenset(expanders)), "inmail_marker", 12
        )
        # After inline patterns (20) and attr_list (8), before toc and MkDocs' anchors (5).
        md.treeprocessors.register(InMailTreeprocessor(md, expanders, fence), "inmail", 5.5)


def makeExtension(**kwargs: object) -> InMailExtension:
    return InMailExtension(**kwargs)
