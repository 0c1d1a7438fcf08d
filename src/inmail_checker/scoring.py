"""Deterministic integer scoring. Every figure here is shown on the "How the checker scores" page.

score = clamp(BASE - sum(category penalties, each capped) + bonus, 0, 100)

- A rule that fires ``n`` times costs ``weight + (n - 1) * (weight // 2)``, at most ``2 * weight``:
  repeating a problem makes it worse, but one bad habit cannot sink a draft on its own.
- The penalties of one category add up to at most ``CATEGORY_CAPS[category]``.
- Strengths add their ``bonus`` once each, at most ``STRENGTH_CAP`` in all, and nothing at all
  while any medium- or high-severity problem is present: a kind opening does not excuse a pitch,
  and a real problem is worth fixing however warm the rest is.
- Only spam is called spam: without a spam signal (a medium- or high-severity problem of a
  family in ``SPAM_FAMILIES``: pitch, bulk, follow-up, scam) the score stays at or above
  ``SPAM_FLOOR``, the lowest needs-work score. Form, subject and purpose problems alone make a
  draft need work, never likely spam.
- The verdict comes from the score (``THRESHOLDS``); a rule with a ``ceiling`` caps both the
  verdict and the score, so the two always agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .registry import CATEGORIES, Rule
from .report import VERDICTS, Verdict

BASE = 85
STRENGTH_CAP = 10
SPAM_FAMILIES: tuple[str, ...] = ("pitch", "bulk", "followup", "scam")
CATEGORY_CAPS: dict[str, int] = {
    "pitch": 60,
    "bulk": 55,
    "followup": 50,
    "scam": 80,
    "subject": 30,
    "form": 35,
    "purpose": 35,
}
THRESHOLDS: tuple[tuple[int, Verdict], ...] = ((70, "looks-genuine"), (50, "needs-work"))
"""(lowest score, verdict) pairs, best first; anything lower is likely-spam."""
SPAM_FLOOR = THRESHOLDS[1][0]
"""Without a spam signal, a draft scores at least this."""
CEILING_SCORES: dict[Verdict, int] = {
    worse: lowest - 1 for (lowest, _), worse in zip(THRESHOLDS, VERDICTS[1:], strict=True)
}
"""The highest score a draft can keep when a rule caps its verdict: one below the lowest
score of the verdict above it."""

assert set(CATEGORY_CAPS) == set(CATEGORIES) - {"strength"}


def points(rule: Rule) -> int:
    """What a rule is worth on its own: the points a problem takes off once, or the points a
    strength adds."""
    return rule.bonus if rule.is_strength else rule.weight


def rule_penalty(weight: int, count: int) -> int:
    """Points one rule takes off when it fires ``count`` times."""
    return min(weight + (count - 1) * (weight // 2), 2 * weight)


def withholds_bonus(rule: Rule) -> bool:
    """Whether a problem cancels the strengths bonus: any of medium or high severity."""
    return rule.severity != "low"


def is_spam_signal(rule: Rule) -> bool:
    """A medium- or high-severity problem of a spam family: only these can make likely-spam."""
    return rule.category in SPAM_FAMILIES and rule.severity != "low"


def verdict_for(score: int) -> Verdict:
    for lowest, verdict in THRESHOLDS:
        if score >= lowest:
            return verdict
    return "likely-spam"


def score_draft(
    problems: Iterable[Rule], strengths: Iterable[Rule]
) -> tuple[int, Verdict, dict[str, int], int]:
    """Score from the rules that fired (one entry per finding). Returns
    (score, verdict, penalty per category, bonus)."""
    counts = Counter(problems)
    penalties: dict[str, int] = {}
    for rule, count in counts.items():
        penalties[rule.category] = penalties.get(rule.category, 0) + rule_penalty(
            rule.weight, count
        )
    penalties = {
        category: min(points, CATEGORY_CAPS[category])
        for category, points in sorted(penalties.items())
    }
    bonus = min(sum(rule.bonus for rule in set(strengths)), STRENGTH_CAP)
    if any(withholds_bonus(rule) for rule in counts):
        bonus = 0
    score = max(0, min(100, BASE - sum(penalties.values()) + bonus))
    if not any(is_spam_signal(rule) for rule in counts):
        score = max(score, SPAM_FLOOR)
    for rule in counts:
        if rule.ceiling is not None:
            score = min(score, CEILING_SCORES[rule.ceiling])
    return score, verdict_for(score), penalties, bonus
