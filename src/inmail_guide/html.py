"""A tiny element builder, so renderers read like the HTML they produce."""

from __future__ import annotations

from collections.abc import Mapping
from xml.etree.ElementTree import Element

Content = str | Element | None


def h(tag: str, attrs: Mapping[str, str | None] | None = None, *content: Content) -> Element:
    """An element with attributes (None values dropped) and mixed text and child content."""
    element = Element(
        tag, {key: value for key, value in (attrs or {}).items() if value is not None}
    )
    append(element, *content)
    return element


def append(element: Element, *content: Content) -> Element:
    """Add text and children in order: text lands in ``.text`` or the last child's ``.tail``."""
    for item in content:
        if item is None or item == "":
            continue
        if isinstance(item, str):
            if len(element):
                last = element[-1]
                last.tail = (last.tail or "") + item
            else:
                element.text = (element.text or "") + item
        else:
            element.append(item)
    return element


def block(tag: str, attrs: Mapping[str, str | None] | None = None, *children: Content) -> Element:
    """A block element whose children each start on their own line (readable HTML output)."""
    element = h(tag, attrs)
    for child in children:
        if child is None:
            continue
        if isinstance(child, str):
            append(element, child)
            continue
        if not len(element) and not element.text:
            element.text = "\n"
        child.tail = "\n"
        element.append(child)
    return element


def lines(*elements: Element | None) -> list[Element]:
    """Top-level elements, each followed by a newline."""
    result = []
    for element in elements:
        if element is not None:
            element.tail = "\n"
            result.append(element)
    return result


def table(
    head: list[str],
    rows: list[list[Content]],
    numeric: frozenset[int] = frozenset(),
) -> Element:
    """A plain table (no class, so the theme styles it like a Markdown table). Each cell carries
    its column's heading in ``data-label``, for the stacked layout on narrow screens."""
    right = {"style": "text-align: right"}

    def cell(tag: str, index: int, content: Content) -> Element:
        attrs: dict[str, str | None] = dict(right) if index in numeric else {}
        if tag == "td":
            attrs["data-label"] = head[index]
        return h(tag, attrs, content)

    return block(
        "table",
        {},
        block("thead", {}, block("tr", {}, *(cell("th", i, c) for i, c in enumerate(head)))),
        block(
            "tbody",
            {},
            *(block("tr", {}, *(cell("td", i, c) for i, c in enumerate(row))) for row in rows),
        ),
    )
