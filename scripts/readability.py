"""Print the Flesch-Kincaid grade of every guide page in docs/.

Usage: python scripts/readability.py [docs-dir]

Only the prose counts: front matter, fenced code blocks (including the checked
``inmail-draft`` examples), ``[inmail:...]`` marker lines, table rows, HTML, HTML comments
and link targets are skipped. A quoted figure (``[fact:body-limit characters]``,
``[plan:premium-career]``) counts as the words it renders; a source marker (``[cite:...]``)
counts as nothing, as it is a small label beside the text. Each heading, list item and
table-free paragraph ends a sentence, so short bullets are not merged into one long
"sentence". The syllable count is a heuristic, so treat the grade as a guide (within about
one grade), not a measurement.

Flesch-Kincaid grade = 0.39 * words/sentences + 11.8 * syllables/words - 15.59
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FENCE = re.compile(r"^\s*(```|~~~)")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CITE = re.compile(r"\[cite:[^\]\n]*\]")
FACT = re.compile(r"\[fact:(?P<name>[a-z0-9-]+)(?P<unit>[^\]\n]*)\]")
PLAN = re.compile(r"\[plan:(?P<id>[a-z0-9-]+)(?P<what>[^\]\n]*)\]")
MARKER = re.compile(r"^\s*\[inmail:[a-z-]+\]\s*$")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")
ATTR_LIST = re.compile(r"\{[:.#][^}]*\}")
HTML_TAG = re.compile(r"<[^>]+>")
URL = re.compile(r"https?://\S+")
BLOCK_PREFIX = re.compile(r"^\s*(#{1,6}\s|[-*+]\s(\[[ xX]\]\s)?|\d+\.\s|>\s?|!!!|\?\?\?|===)")
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.%]*")
VOWEL_GROUP = re.compile(r"[aeiouy]+")


def _quoted(match: re.Match[str]) -> str:
    """What a fact or plan quote reads as: a number and its unit."""
    if "name" in match.groupdict():
        unit = match["unit"].strip()
        return f"100{unit}" if unit.startswith("%") else f"100 {unit}".rstrip()
    return "100 credits" + ("" if "balance" in match["what"] else " a month")


def prose_blocks(markdown: str) -> list[str]:
    """The page's prose as blocks, each of which ends at least one sentence."""
    markdown = COMMENT.sub("", markdown)
    markdown = CITE.sub("", markdown)
    markdown = FACT.sub(_quoted, markdown)
    markdown = PLAN.sub(_quoted, markdown)
    lines = markdown.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        lines = lines[end + 1 :]
    blocks: list[str] = []
    current: list[str] = []
    in_fence = False

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
            flush()
            continue
        if in_fence or MARKER.match(line) or line.lstrip().startswith("|"):
            continue
        if not line.strip():
            flush()
            continue
        if BLOCK_PREFIX.match(line):
            flush()
        text = BLOCK_PREFIX.sub("", line)
        # Admonition and tab titles are quoted labels, not sentences.
        text = re.sub(r'^\s*[a-z]+\s+"([^"]*)"\s*$', r"\1", text)
        text = LINK.sub(r"\1", text)
        text = ATTR_LIST.sub("", text)
        text = HTML_TAG.sub("", text)
        text = URL.sub("", text)
        text = text.replace("`", "").replace("*", "").replace("_", " ")
        if text.strip():
            current.append(text.strip())
    flush()
    return blocks


def syllables(word: str) -> int:
    word = word.lower().strip("'’-")
    if not word or word[0].isdigit():
        return 1
    groups = VOWEL_GROUP.findall(word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def grade(markdown: str) -> tuple[float, int, int]:
    """(Flesch-Kincaid grade, words, sentences) for one page."""
    words = 0
    sentences = 0
    syllable_total = 0
    for block in prose_blocks(markdown):
        block_words = WORD.findall(block)
        if not block_words:
            continue
        words += len(block_words)
        syllable_total += sum(syllables(word) for word in block_words)
        ends = len(SENTENCE_END.findall(block))
        # A block that does not end with punctuation (a heading, a bullet) is still one sentence.
        sentences += max(ends + (0 if SENTENCE_END.search(block.rstrip()[-1:]) else 1), 1)
    if not words:
        return 0.0, 0, 0
    score = 0.39 * words / sentences + 11.8 * syllable_total / words - 15.59
    return round(score, 1), words, sentences


def main(argv: list[str]) -> int:
    docs = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "docs"
    pages = sorted(docs.glob("*.md"))
    if not pages:
        print(f"no pages in {docs}", file=sys.stderr)
        return 1
    print(f"{'page':<20} {'grade':>6} {'words':>6} {'sentences':>9}")
    for page in pages:
        score, words, sentences = grade(page.read_text(encoding="utf-8"))
        print(f"{page.name:<20} {score:>6} {words:>6} {sentences:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
