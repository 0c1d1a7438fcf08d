"""Checking many drafts at once, and finding the ones that are one template with parts swapped.

A single draft cannot show that it was sent to a list unless it leaks a merge field. A batch
can: when three or more drafts are the same text with names, companies, numbers or a few words
changed, each of them gets the batch-level finding ``bulk.template``.

How near-copies are found (linear in practice, never all pairs):

1. Each body is folded (:func:`inmail_checker.text.fold`: case, accents, look-alikes and
   zero-width characters undone) and cut into words. Words that start with a capital letter
   (names, companies, places) and words with digits become placeholders, so "Hi Ana, I saw
   Acme raised 12M" and "Hi Ben, I saw Initech raised 40M" read the same.
2. Each body becomes the set of its word 3-grams ("shingles").
3. Two bodies are near-copies when the Jaccard similarity of their shingle sets (shared over
   all) is at least ``TEMPLATE_SIMILARITY``. Candidates come from an inverted index over a
   *prefix* of each set (its rarest shingles, ``|S| - ceil(t |S|) + 1`` of them): two sets that
   reach similarity t always share a shingle in their prefixes, so no pair is missed and
   unrelated drafts, whose rarest shingles are their own, are never compared.
4. Near-copies are joined with union-find; groups of ``TEMPLATE_MIN_GROUP`` or more are
   reported. Each index entry keeps at most ``_PER_GROUP`` drafts of one group, so a
   10,000-copy mail merge does not make every later draft compare against 10,000 others. (The
   price: a draft that resembles only a copy beyond those few, and none of them, is missed.)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from . import chars
from .config import Config
from .engine import check, with_findings
from .registry import RULES_BY_ID, fill
from .report import Context, Finding, Report
from .scoring import points
from .text import fold

TEMPLATE_RULE = RULES_BY_ID["bulk.template"]
"""The one batch-level rule (``scope = "batch"`` in rules/bulk.toml): a single draft cannot
trigger it. Its parameters are the thresholds below."""
_PARAMS = TEMPLATE_RULE.params
TEMPLATE_SIMILARITY: float = _PARAMS["similarity"]
"""Jaccard similarity of word 3-gram sets at or above which two bodies are near-copies."""
TEMPLATE_MIN_GROUP: int = _PARAMS["min_group"]
"""Fewest near-copies that make a template."""
TEMPLATE_MIN_WORDS: int = _PARAMS["min_words"]
"""Shorter bodies are too short to tell a template from a common courtesy."""
SHINGLE_WORDS: int = _PARAMS["shingle_words"]
_PER_GROUP: int = _PARAMS["per_group"]
"""Drafts of one group kept per index entry (see step 4)."""
_LISTED_IDS: int = _PARAMS["listed_ids"]
"""At most this many other ids are named in a message; the rest are counted."""

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Scripts written without spaces count one character as one word.
_WORD = chars.compile(f"[{_CJK}]|(?:(?![{_CJK}])\\w)+")
# A word holding a digit, whole. Only a word's first character starts a try, and the look-ahead
# reads the word once: linear. (``\w*\d\w*`` tried again from every character of a long word
# with no digit: the square of its length.)
_NUMBER_WORD = chars.compile(r"(?<!\w)(?=\w*?\d)\w+")
# A capitalised word in Latin, Greek or Cyrillic script, a capital then a small letter: a name,
# a company, a place (or a sentence's first word, masked alike in every copy). Words in capitals
# only are kept: masking them would make any two shouted drafts look the same.
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0391-\u03a9\u0400-\u042f"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u03b1-\u03c9\u0430-\u045f"
_CAPITALISED_WORD = chars.compile(f"(?<!\\w)[{_UPPER}][{_LOWER}]\\w*")
# Placeholders that folding leaves alone and no real text contains.
_NUMBER, _NAME = " qqnumberqq ", " qqnameqq "


def template_words(body: str) -> list[str]:
    """The words of ``body`` as template detection sees them: numbers and capitalised words
    replaced by placeholders, then folded (so zero-width characters, accents and look-alike
    letters cannot make copies look different)."""
    masked = _CAPITALISED_WORD.sub(_NAME, _NUMBER_WORD.sub(_NUMBER, body))
    return _WORD.findall(fold(masked).text)


def _shingles(words: Sequence[str], vocabulary: dict[tuple[str, ...], int]) -> frozenset[int]:
    """Each run of ``SHINGLE_WORDS`` words, as a number (the same run, the same number)."""
    numbers: list[int] = []
    runs = zip(*(words[offset:] for offset in range(SHINGLE_WORDS)), strict=False)
    for run in runs:
        number = vocabulary.get(run)
        if number is None:
            number = vocabulary[run] = len(vocabulary)
        numbers.append(number)
    return frozenset(numbers)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def find_template_groups(
    bodies: Sequence[str],
    similarity: float = TEMPLATE_SIMILARITY,
    min_group: int = TEMPLATE_MIN_GROUP,
    min_words: int = TEMPLATE_MIN_WORDS,
) -> list[list[int]]:
    """Groups (lists of indexes into ``bodies``, ascending) of at least ``min_group`` bodies
    that are near-copies of each other. Groups are ordered by their first index."""
    if not 0 < similarity <= 1:
        raise ValueError("similarity must be in (0, 1]")
    vocabulary: dict[tuple[str, ...], int] = {}
    # Identical shingle sets (the usual mail merge, once names are masked) are compared once.
    members: dict[frozenset[int], list[int]] = defaultdict(list)
    for index, body in enumerate(bodies):
        words = template_words(body)
        if len(words) >= max(min_words, SHINGLE_WORDS):
            members[_shingles(words, vocabulary)].append(index)
    sets = list(members)
    frequency: Counter[int] = Counter()
    for shingle_set in sets:
        frequency.update(shingle_set)
    groups = _UnionFind(len(sets))
    inverted: dict[int, list[int]] = defaultdict(list)
    indexed_per_group: Counter[tuple[int, int]] = Counter()
    for number, shingle_set in enumerate(sets):
        rarest_first = sorted(shingle_set, key=lambda s: (frequency[s], s))
        prefix = rarest_first[: len(shingle_set) - math.ceil(similarity * len(shingle_set)) + 1]
        low, high = similarity * len(shingle_set), len(shingle_set) / similarity
        candidates = {other for shingle in prefix for other in inverted.get(shingle, ())}
        for other in sorted(candidates):
            other_set = sets[other]
            if not low <= len(other_set) <= high:
                continue
            if groups.find(other) == groups.find(number):
                continue
            if _jaccard(shingle_set, other_set) >= similarity:
                groups.union(number, other)
        root = groups.find(number)
        for shingle in prefix:
            if indexed_per_group[shingle, root] < _PER_GROUP:
                indexed_per_group[shingle, root] += 1
                inverted[shingle].append(number)
    found: dict[int, list[int]] = defaultdict(list)
    for number, shingle_set in enumerate(sets):
        found[groups.find(number)].extend(members[shingle_set])
    return sorted(
        (sorted(group) for group in found.values() if len(group) >= min_group),
        key=lambda group: group[0],
    )


def template_finding(others: Sequence[str | int]) -> Finding:
    """The ``bulk.template`` finding for a draft whose group also holds ``others``."""
    listed = ", ".join(str(other) for other in others[:_LISTED_IDS])
    if len(others) > _LISTED_IDS:
        listed += f" and {len(others) - _LISTED_IDS} more"
    rule = TEMPLATE_RULE
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        title=rule.title,
        message=fill(rule.message, {"count": len(others), "others": listed}),
        rationale=rule.rationale,
        fix=rule.fix,
        points=points(rule),
        field="body",
        count=1,
    )


def _context_of(
    draft: tuple[str | int, str, str] | tuple[str | int, str, str, Context],
) -> Context | None:
    return draft[3] if len(draft) == 4 else None


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One draft's result in a batch: its id and its report (with any batch-level finding)."""

    id: str | int
    report: Report

    def to_dict(self) -> dict[str, Any]:
        """The batch output line: the draft's id, then its report."""
        return {"id": self.id, **self.report.to_dict()}


class BatchStream:
    """A batch checked one draft at a time, for output that streams: :meth:`check` gives each
    draft's result at once (without ``bulk.template``, which only the whole batch can show), and
    :meth:`summary` the template groups once every draft is in.

    Only the bodies are kept until then (template detection needs them all)."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.ids: list[str | int] = []
        self.bodies: list[str] = []
        self.reports: list[Report] = []

    def check(
        self, draft_id: str | int, subject: str, body: str, context: Context | None = None
    ) -> BatchResult:
        report = check(body, subject, self.config, context=context)
        self.ids.append(draft_id)
        self.bodies.append(body)
        self.reports.append(report)
        return BatchResult(draft_id, report)

    def groups(self) -> list[list[int]]:
        """The template groups (indexes in check order), none when ``bulk.template`` is off."""
        if not self.config.enabled(TEMPLATE_RULE.id):
            return []
        return find_template_groups(self.bodies)

    def rescored(self, index: int, group: Sequence[int]) -> Report:
        """The report of draft ``index`` with the ``bulk.template`` finding of its group."""
        others = [self.ids[other] for other in group if other != index]
        return with_findings(self.reports[index], [template_finding(others)])

    def summary(self, skipped: int = 0) -> BatchSummary:
        """The record that ends a streamed batch: how many drafts were checked and skipped,
        and each template group: its ids, each draft's score and verdict once the group's
        ``bulk.template`` finding counts, and that finding as the group's first draft gets it."""
        templates = []
        for group in self.groups():
            members = []
            for index in group:
                report = self.rescored(index, group)
                members.append(
                    {"id": self.ids[index], "score": report.score, "verdict": report.verdict}
                )
            finding = template_finding([self.ids[other] for other in group[1:]])
            templates.append(
                {"ids": [self.ids[i] for i in group], "drafts": members, "finding": finding}
            )
        return BatchSummary(len(self.ids), skipped, templates)


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """The last record of a streamed batch (the schema's ``$defs/batch_summary``)."""

    checked: int
    skipped: int
    templates: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": {
                "checked": self.checked,
                "skipped": self.skipped,
                "templates": [
                    {
                        "ids": template["ids"],
                        "drafts": template["drafts"],
                        "finding": template["finding"].to_dict(),
                    }
                    for template in self.templates
                ],
            }
        }


def check_batch(
    drafts: Sequence[tuple[str | int, str, str] | tuple[str | int, str, str, Context]],
    config: Config | None = None,
) -> list[BatchResult]:
    """Check ``(id, subject, body[, context])`` drafts one by one, then add ``bulk.template``
    to every draft in a template group (unless the config switches it off). Results keep input
    order."""
    config = config or Config()
    results = [
        BatchResult(draft[0], check(draft[2], draft[1], config, context=_context_of(draft)))
        for draft in drafts
    ]
    if not config.enabled(TEMPLATE_RULE.id):
        return results
    for group in find_template_groups([draft[2] for draft in drafts]):
        for member in group:
            others = [results[other].id for other in group if other != member]
            result = results[member]
            results[member] = replace(
                result, report=with_findings(result.report, [template_finding(others)])
            )
    return results
