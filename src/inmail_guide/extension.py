"""Python-Markdown extension ``inmail``: generated content and checked drafts for the guide.

Markers, each a paragraph on its own::

    [inmail:rules-reference]   every rule, heading id = rule id
    [inmail:scoring]           the scoring formula, caps, thresholds and weights
    [inmail:plans-table]       the plans table from the plans data file
    [inmail:credits-example]   InMails per month at a few response rates
    [inmail:report-schema]     the report's JSON Schema

and fenced drafts, also when indented inside admonitions, content tabs or lists::

    ```inmail-draft verdict="likely-spam" title="A pitch in disguise"
    Subject: Quick question
    Hi {first_name}, ...
    ```

A draft is checked with the real checker and the build fails when its claimed verdict is
wrong. An unknown marker, an unknown or missing fence attribute, or an unreadable data file
raises :class:`GuideError` naming the marker or the draft's title.

How it fits in Python-Markdown: a preprocessor takes the drafts out before any fence
extension sees them and leaves a placeholder paragraph; a block processor turns markers into
placeholder elements; one tree processor, running after ``attr_list`` and before ``toc``,
replaces both with finished elements. Generated headings are therefore in the tree that
``toc`` and MkDocs read (permalinks, anchors, link checks), while no inline pattern or
attribute list ever touches a draft's text.

Options:

- ``plans_file``: path of the plans data file (TOML). In mkdocs.yml use
  ``!relative $config_dir/docs/_data/plans.toml`` so the build does not depend on the working
  directory.
- ``link_base``: prefix for links to other guide pages (``rules.md``, ``scoring.md``). The
  default ``/`` gives docs-root links such as ``/rules.md#pitch.book-a-call``, which MkDocs
  turns into a correct relative URL from any page, and whose anchor it checks, when
  ``validation: links: absolute_links: relative_to_docs`` is set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .drafts import checked_draft
from .errors import GuideError
from .plans import credits_example, load_plans, plans_table
from .reference import rules_reference
from .schema_block import report_schema
from .scoring_page import scoring

DRAFT_LANGUAGE = "inmail-draft"
DRAFT_ATTRIBUTES = ("verdict", "title")
_MARKER = re.compile(r"^\[inmail:(?P<name>[^\]\n]*)\]$")
_MARKER_TAG = "inmail-marker"
_FENCE_OPEN = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})[ ]*(?P<info>.*?)[ ]*$")
_ATTRIBUTE = re.compile(r"""\s*(?P<key>[A-Za-z][\w-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
_PLACEHOLDER = "INMAILDRAFTPLACEHOLDER{}END"


class _State:
    """Per-document state: drafts rendered by the preprocessor, waiting to be placed.

    The preprocessor clears it at the start of every conversion."""

    def __init__(self) -> None:
        self.drafts: dict[str, tuple[str, Element]] = {}

    def reset(self) -> None:
        self.drafts.clear()


def parse_fence_attributes(info: str) -> dict[str, str]:
    """``verdict="x" title='y'`` → {"verdict": "x", "title": "y"}; anything else is an error."""
    attributes: dict[str, str] = {}
    position = 0
    while position < len(info):
        match = _ATTRIBUTE.match(info, position)
        if not match:
            if not info[position:].strip():
                break
            raise GuideError(
                f"{DRAFT_LANGUAGE}: cannot read the fence attributes {info[position:].strip()!r} "
                '(write them as name="value")'
            )
        key = match.group("key")
        if key in attributes:
            raise GuideError(f"{DRAFT_LANGUAGE}: attribute {key!r} is given twice")
        attributes[key] = match.group("dq") if match.group("dq") is not None else match.group("sq")
        position = match.end()
    return attributes


def _is_closing(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and stripped == fence[0] * len(stripped)


class DraftPreprocessor(Preprocessor):
    """Takes ```inmail-draft fences out of the text, checks and renders them, and leaves a
    placeholder paragraph at the fence's indentation."""

    def __init__(self, md: Markdown, state: _State, link_base: Callable[[], str]) -> None:
        super().__init__(md)
        self.state = state
        self.link_base = link_base

    def run(self, lines: list[str]) -> list[str]:
        self.state.reset()
        output: list[str] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            opening = _FENCE_OPEN.match(line)
            if not opening or (opening["fence"][0] == "`" and "`" in opening["info"]):
                output.append(line)
                index += 1
                continue
            fence, indent = opening["fence"], opening["indent"]
            end = next(
                (i for i in range(index + 1, len(lines)) if _is_closing(lines[i], fence)), None
            )
            language, _, info = opening["info"].partition(" ")
            if language != DRAFT_LANGUAGE:
                # Another fence: copy it whole, so a draft shown as code stays code.
                stop = len(lines) if end is None else end + 1
                output.extend(lines[index:stop])
                index = stop
                continue
            attributes = parse_fence_attributes(info)
            title = attributes.get("title", "(untitled)")
            if end is None:
                raise GuideError(f"{DRAFT_LANGUAGE} {title!r}: the fence is never closed")
            unknown = sorted(set(attributes) - set(DRAFT_ATTRIBUTES))
            if unknown:
                raise GuideError(
                    f"{DRAFT_LANGUAGE} {title!r}: unknown attribute(s) {', '.join(unknown)} "
                    f"(allowed: {', '.join(DRAFT_ATTRIBUTES)})"
                )
            missing = [key for key in DRAFT_ATTRIBUTES if not attributes.get(key, "").strip()]
            if missing:
                raise GuideError(
                    f"{DRAFT_LANGUAGE} {title!r}: missing attribute(s) {', '.join(missing)}"
                )
            body = [
                text[len(indent) :] if text.startswith(indent) else text.lstrip(" ")
                for text in lines[index + 1 : end]
            ]
            element, _ = checked_draft(
                attributes["title"], "\n".join(body), attributes["verdict"], self.link_base()
            )
            placeholder = _PLACEHOLDER.format(len(self.state.drafts))
            self.state.drafts[placeholder] = (attributes["title"], element)
            output += ["", indent + placeholder, ""]
            index = end + 1
        return output


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
    """Replaces marker and draft placeholders with their finished elements."""

    def __init__(
        self,
        md: Markdown,
        state: _State,
        expanders: dict[str, Callable[[], list[Element]]],
    ) -> None:
        super().__init__(md)
        self.state = state
        self.expanders = expanders

    def run(self, root: Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        placed: set[str] = set()
        for element in list(root.iter()):
            if element.tag == _MARKER_TAG:
                name = element.get("name", "")
                try:
                    generated = self.expanders[name]()
                except GuideError as error:
                    message = str(error)
                    prefix = f"[inmail:{name}]"
                    raise GuideError(
                        message if message.startswith(prefix) else f"{prefix}: {message}"
                    ) from error
                _replace(parents[element], element, generated)
                continue
            # The preprocessor surrounds each placeholder with blank lines, so a draft always
            # arrives as a paragraph of its own; anywhere else (say, in a code block) is wrong.
            key = (element.text or "").strip()
            if element.tag != "p" or len(element) or key not in self.state.drafts:
                continue
            placed.add(key)
            _replace(parents[element], element, [self.state.drafts[key][1]])
        for key, (title, _) in self.state.drafts.items():
            if key not in placed:
                raise GuideError(
                    f"{DRAFT_LANGUAGE} {title!r} could not be placed on the page "
                    "(is it inside an indented code block?)"
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
            "plans_file": ["", "Path of the plans data file (docs/_data/plans.toml)."],
            "link_base": ["/", "Prefix of links to other guide pages, e.g. '/' → /rules.md#id."],
        }
        super().__init__(**kwargs)

    def _plans_path(self) -> str:
        path = os.fspath(self.getConfig("plans_file") or "")
        if not path:
            raise GuideError("the plans data file is not configured (option 'plans_file')")
        return path

    def _link_base(self) -> str:
        return str(self.getConfig("link_base"))

    def extendMarkdown(self, md: Markdown) -> None:
        state = _State()
        expanders: dict[str, Callable[[], list[Element]]] = {
            "rules-reference": lambda: rules_reference(self._link_base()),
            "scoring": lambda: scoring(self._link_base()),
            "plans-table": lambda: plans_table(load_plans(self._plans_path())),
            "credits-example": lambda: credits_example(load_plans(self._plans_path())),
            "report-schema": report_schema,
        }
        # After whitespace normalisation (30), before any fence extension (25) and raw HTML (20).
        md.preprocessors.register(DraftPreprocessor(md, state, self._link_base), "inmail_draft", 28)
        # Just before plain paragraphs (10).
        md.parser.blockprocessors.register(
            MarkerProcessor(md.parser, frozenset(expanders)), "inmail_marker", 12
        )
        # After inline patterns (20) and attr_list (8), before toc and MkDocs' anchors (5).
        md.treeprocessors.register(InMailTreeprocessor(md, state, expanders), "inmail", 5.5)


def makeExtension(**kwargs: object) -> InMailExtension:
    return InMailExtension(**kwargs)
