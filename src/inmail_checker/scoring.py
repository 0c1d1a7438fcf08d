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

import itertools
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


def pack_tokens(weights: Mapping[str, int]) -> dict[str, list[Any]]:
    """The learned weights (a feature of one or two words -> tenths) as the model file keeps
    them, half the compressed bytes of a plain mapping: ``words``, every word, sorted; ``weights``,
    each word's own weight (0: none); ``next``, for each word, the words that follow it in a
    feature with a weight, as the gaps between their places in ``words`` (the first from the
    list's start; 0: the very next word); ``pair_weights``, those features' weights in order."""
    words = sorted({word for feature in weights for word in feature.split(" ")})
    place = {word: index for index, word in enumerate(words)}
    following: list[list[int]] = [[] for _ in words]
    for feature in sorted(weights):
        if " " in feature:
            first, second = feature.split(" ")
            following[place[first]].append(place[second])
    gaps = [[b - a - 1 for a, b in itertools.pairwise([-1, *row])] for row in following]
    return {
        "words": words,
        "weights": [weights.get(word, 0) for word in words],
        "next": gaps,
        "pair_weights": [
            weights[f"{words[first]} {words[second]}"]
            for first, row in enumerate(following)
            for second in row
        ],
    }


def unpack_tokens(packed: Mapping[str, Any]) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """The weights :func:`pack_tokens` packed: by feature (in sorted order), and those of
    two-word features by their two words."""
    words: list[str] = packed["words"]
    weights: dict[str, int] = {}
    pairs: dict[tuple[str, str], int] = {}
    pair_weights = packed["pair_weights"]
    count = 0
    for first, weight, gaps in zip(words, packed["weights"], packed["next"], strict=True):
        if weight:
            weights[first] = int(weight)
        place = -1
        for gap in gaps:
            place += gap + 1
            second, pair_weight = words[place], int(pair_weights[count])
            count += 1
            weights[f"{first} {second}"] = pair_weight
            pairs[first, second] = pair_weight
    if count != len(pair_weights):
        raise ValueError("the model file has more pair weights than pairs")
    return weights, pairs


def load_model(text: str | None = None) -> Model:
    if text is None:
        text = (resources.files(__package__) / MODEL_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    thresholds = tuple((int(data["thresholds"][verdict]), verdict) for verdict in VERDICTS[:-1])
    # Plain dicts: the learned score looks up every word of every draft in them.
    words, pairs = unpack_tokens(data["tokens"])
    return Model(
        start=int(data["start"]),
        scale=int(data["scale"]),
        thresholds=thresholds,
        rule_points=MappingProxyType({k: int(v) for k, v in data["rules"].items()}),
        words=words,
        pairs=pairs,
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
