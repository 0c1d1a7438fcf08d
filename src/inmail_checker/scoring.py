"""The score: a sum a reader can check by hand, with every number fitted (``data/model.json``).

    score = start − points of each problem + points of each strength, kept within 0 to 100

``scripts/fit.py`` fits one linear model on the labelled corpora, the rules that fired and the
words of the draft together, and writes it out as points: ``scale`` points for each unit of
the model's log-odds. A rule's points are its fitted weight (a problem never adds, a strength
never takes off), the words' points are the learned score's finding and strength (see
:mod:`.model`), and the verdict thresholds are fitted with them. A rule with a ``ceiling``
keeps the draft at or below that verdict whatever else it does well: the labelling rules of
the corpora say so of those problems (a missing subject, an empty message...).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

from .registry import Rule
from .report import VERDICTS, Breakdown, Finding, Strength, Term, Verdict

MODEL_FILE = "data/model.json"


@dataclass(frozen=True, slots=True)
class Model:
    """The fitted numbers: what every rule and every learned word is worth."""

    start: int
    """The score of a draft in which nothing fires."""
    scale: int
    """Points per unit of the fitted model's log-odds."""
    thresholds: tuple[tuple[int, Verdict], ...]
    """(lowest score, verdict) pairs, best first; anything lower is the last verdict."""
    rule_points: Mapping[str, int]
    words: Mapping[str, int]
    """Learned word and phrase weights, in tenths of a point (positive: towards spam)."""
    pairs: Mapping[tuple[str, str], int]
    """The same weights of two-word features, by their two words (how they are looked up)."""
    data: Mapping[str, Any]
    """The whole file, for the docs (the fit's figures)."""


def _pairs(words: dict[str, int]) -> dict[tuple[str, str], int]:
    """The two-word features of ``words`` by their two words."""
    pairs = {}
    for feature, weight in words.items():
        first, space, second = feature.partition(" ")
        if space:
            pairs[first, second] = weight
    return pairs


def load_model(text: str | None = None) -> Model:
    if text is None:
        text = (resources.files(__package__) / MODEL_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    # Plain dicts: the learned score looks up every word of every draft in them.
    words = {k: int(v) for k, v in data["tokens"].items()}
    thresholds = tuple((int(data["thresholds"][verdict]), verdict) for verdict in VERDICTS[:-1])
    return Model(
        start=int(data["start"]),
        scale=int(data["scale"]),
        thresholds=thresholds,
        rule_points=MappingProxyType({k: int(v) for k, v in data["rules"].items()}),
        words=words,
        pairs=_pairs(words),
        data=MappingProxyType(data),
    )


MODEL = load_model()
THRESHOLDS = MODEL.thresholds
CEILING_SCORES: dict[Verdict, int] = {
    worse: lowest - 1 for (lowest, _), worse in zip(THRESHOLDS, VERDICTS[1:], strict=True)
}
"""The highest score a draft can keep when a rule caps its verdict: one below the lowest
score of the verdict above it."""


def points(rule: Rule) -> int:
    """What a rule is worth: the points a problem takes off, or a strength adds."""
    return MODEL.rule_points.get(rule.id, 0)


def verdict_for(score: int) -> Verdict:
    for lowest, verdict in THRESHOLDS:
        if score >= lowest:
            return verdict
    return VERDICTS[-1]


def score(
    findings: Iterable[Finding], strengths: Iterable[Strength], ceilings: Mapping[str, Verdict]
) -> tuple[int, Verdict, Breakdown]:
    """The score, its verdict, and how it was reached, from the report's findings and
    strengths (each carries its points) and the ceilings of the rules that fired (by id)."""
    terms = [Term(f.rule, f.title, -f.points) for f in findings if f.points]
    terms += [Term(s.rule, s.title, s.points) for s in strengths if s.points]
    total = MODEL.start + sum(term.points for term in terms)
    within = max(0, min(100, total))
    result = min([within, *(CEILING_SCORES[ceiling] for ceiling in ceilings.values())])
    capped_by = tuple(
        rule
        for rule, ceiling in ceilings.items()
        if result < within and CEILING_SCORES[ceiling] == result
    )
    return result, verdict_for(result), Breakdown(MODEL.start, tuple(terms), total, capped_by)
