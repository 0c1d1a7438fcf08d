"""Fit the checker's numbers on the labelled corpora: word weights, rule points, thresholds.

The model, in the tradition of SpamBayes and SpamAssassin's rescoring:

1. **Words.** A naive Bayes model over the features of :func:`inmail_checker.model.features`
   (words and pairs of words of the folded body, present or not): each feature's weight is the
   log of how much more often it shows in spam than in genuine messages (Laplace-smoothed).
   A message's word score is the sum of the weights of its features.
2. **Rules and words together.** An ordinal logistic model (three verdicts in order) on the
   rules that fired (present or not) and the word score. Problems can only take points off and
   strengths only add; its two cut points separate the verdicts. Fitted on the hand-written
   drafts (three verdicts) and the field messages (spam, or genuine). The word score it is
   fitted on is cross-validated (each message's from weights fitted without it), so the model
   learns how far to trust the words on messages they have not seen.
3. **Points.** The linear score is written as points, :data:`SCALE` points per unit of
   log-odds: a rule's points are its weight, a word's points its weight times the words'
   weight in the ordinal model. The verdict thresholds are the cut points.

Everything is cross-validated too (:func:`evaluate`): the figures in the model file and on the
scoring page come from scoring each message with a model fitted without it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.stats import rankdata

from inmail_checker import Config, RuleSet
from inmail_checker.draft import Draft
from inmail_checker.model import features
from inmail_checker.registry import ALL_RULES, RULES, Rule

from .corpus import FIELD, Message

SCALE = 10
"""Points per unit of the model's log-odds: a unit of measure, like a decibel."""
START = 100
ALPHA = 0.3
"""Laplace smoothing of the word counts (chosen by cross-validation on the field corpus)."""
MIN_MESSAGES = 1
"""A feature is kept when at least this many training messages hold it."""
RIDGE = 1.0
"""L2 penalty on the ordinal model's weights."""
FIELD_WEIGHT = 1.0
"""How much a field message counts in the ordinal model beside a hand-written draft."""
CENSOR_FIELD_GENUINE = False
FOLDS = 5
SEED = 0


@dataclass(frozen=True)
class Example:
    """One labelled message, as the fit sees it."""

    message: Message
    level: int
    """0 looks genuine, 1 needs work, 2 spam."""
    rules: frozenset[str]
    words: frozenset[str]


def _fitted_rules() -> list[Rule]:
    return [rule for rule in RULES if rule.kind not in ("model", "context")]


FIELD_SUBJECTS = False
"""Whether the subject rules run on field messages. They do not: most field messages are e-mails
or GitHub issues, whose subject lines (an issue's title, "Re:" on a real reply) are not InMail
subjects, and the independent evaluation scores real messages on their bodies. The subject
rules' points come from the hand-written drafts, whose subjects were written as InMail subjects;
a field message is judged, in the fit and in its figures, on its body alone."""


def subject_known(message: Message) -> bool:
    """Whether the fit runs the subject rules on ``message``."""
    return message.subject is not None and (message.corpus != FIELD or FIELD_SUBJECTS)


def examples(messages: Iterable[Message]) -> list[Example]:
    """Run the rules (the subject rules only where :func:`subject_known`) and read the words."""
    rules = _fitted_rules()
    known = RuleSet.compile(rules)
    unknown = RuleSet.compile(rules, Config.of(["subject"]))
    found = []
    for message in messages:
        draft = Draft.of(message.body, message.subject or "")
        fired = (known if subject_known(message) else unknown).run(draft)
        if message.verdict is not None:
            level = ("looks-genuine", "needs-work", "likely-spam").index(message.verdict)
        else:
            level = 2 if message.spam else 0
        found.append(
            Example(
                message,
                level,
                frozenset(rule.id for rule, _ in fired),
                frozenset(features(draft.body)),
            )
        )
    return found


def word_weights(train: Sequence[Example]) -> dict[str, float]:
    """Naive Bayes log-likelihood ratios of the features held by at least MIN_MESSAGES."""
    spam: Counter[str] = Counter()
    genuine: Counter[str] = Counter()
    for example in train:
        (spam if example.level == 2 else genuine).update(example.words)
    vocabulary = sorted(t for t, n in (spam + genuine).items() if n >= MIN_MESSAGES)
    spam_total = sum(spam[t] for t in vocabulary) + ALPHA * len(vocabulary)
    genuine_total = sum(genuine[t] for t in vocabulary) + ALPHA * len(vocabulary)
    return {
        t: math.log((spam[t] + ALPHA) / spam_total) - math.log((genuine[t] + ALPHA) / genuine_total)
        for t in vocabulary
    }


NORMALIZE = True
"""Divide a message's word score by the square root of how many of its features have a
weight, so that a long message's words do not outweigh everything else."""


def word_score(example: Example, weights: dict[str, float]) -> float:
    values = [weights[t] for t in example.words if t in weights]
    total = sum(values)
    return total / math.sqrt(len(values)) if NORMALIZE and values else total


def source_key(message: Message) -> str:
    """Where a message came from, as the folds group it: a repository (``github.com/owner/name``)
    or a site. A hand-written draft is its own source."""
    if not message.source:
        return f"{message.corpus}:{message.id}"
    address = re.sub(r"^[a-z]+://(www\.)?", "", message.source.lower())
    parts = address.split("/")
    return "/".join(parts[:3]) if parts[0] == "github.com" else parts[0]


def _folds(items: Sequence[Example], folds: int, seed: int) -> list[list[int]]:
    """Folds that keep every message of one source together (a page or a repository often gives
    several messages, alike in wording: a model must be judged on sources it has not seen), the
    same for the same data and seed."""
    rng = np.random.default_rng(seed)
    members: dict[str, list[int]] = {}
    for index, example in enumerate(items):
        members.setdefault(source_key(example.message), []).append(index)
    names = sorted(members)
    shuffled = [names[pick] for pick in rng.permutation(len(names))]
    # The largest sources first, each into the fold that holds fewest messages so far.
    result: list[list[int]] = [[] for _ in range(folds)]
    for name in sorted(shuffled, key=lambda n: -len(members[n])):
        min(result, key=len).extend(members[name])
    return [sorted(fold) for fold in result]


def cross_word_scores(items: Sequence[Example], folds: int, seed: int) -> np.ndarray:
    """Each example's word score from weights fitted without it."""
    scores = np.zeros(len(items))
    for held in _folds(items, folds, seed):
        held_set = set(held)
        weights = word_weights([e for i, e in enumerate(items) if i not in held_set])
        for i in held:
            scores[i] = word_score(items[i], weights)
    return scores


@dataclass(frozen=True)
class Ordinal:
    """The fitted ordinal model: weights of the rules and of the word score, and cut points."""

    rules: dict[str, float]
    words: float
    cuts: tuple[float, float]

    def score(self, example: Example, words: float) -> float:
        return sum(self.rules.get(r, 0.0) for r in example.rules) + self.words * words


def fit_ordinal(items: Sequence[Example], word_scores: np.ndarray) -> Ordinal:
    """Maximum likelihood, with an L2 penalty, of the cumulative logit model
    P(level >= k) = sigmoid(score - cut_k), problems' weights >= 0, strengths' <= 0."""
    rule_ids = sorted({r for e in items for r in e.rules})
    by_id = {rule.id: rule for rule in ALL_RULES}
    x = np.array([[1.0 if r in e.rules else 0.0 for r in rule_ids] for e in items])
    x = np.hstack([x, word_scores.reshape(-1, 1)])
    levels = np.array([e.level for e in items])
    if CENSOR_FIELD_GENUINE:
        # A field message labelled genuine may still need work: it is "not spam", level <= 1.
        levels = np.where([e.message.corpus == FIELD and e.level == 0 for e in items], -1, levels)
    count = x.shape[1]
    weight = np.array([FIELD_WEIGHT if e.message.corpus == FIELD else 1.0 for e in items])

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, c1, gap = params[:count], params[count], params[count + 1]
        c2 = c1 + math.exp(gap)
        s = x @ w
        p1, p2 = _sigmoid(s - c1), _sigmoid(s - c2)  # P(level >= 1), P(level >= 2)
        probabilities = np.where(
            levels == 0,
            1 - p1,
            np.where(levels == 1, p1 - p2, np.where(levels == 2, p2, 1 - p2)),
        )
        probabilities = np.clip(probabilities, 1e-12, None)
        nll = -(weight * np.log(probabilities)).sum() + RIDGE * (w[:-1] @ w[:-1])
        # Gradient of the log-likelihood with respect to s, c1 and c2.
        d1, d2 = p1 * (1 - p1), p2 * (1 - p2)
        ds = (
            np.where(
                levels == 0, -d1, np.where(levels == 1, d1 - d2, np.where(levels == 2, d2, -d2))
            )
            * weight
            / probabilities
        )
        grad_w = -(x.T @ ds)
        grad_w[:-1] += 2 * RIDGE * w[:-1]
        dc1 = np.where(levels == 0, d1, np.where(levels == 1, -d1, 0.0)) * weight / probabilities
        dc2 = np.where(levels == 1, d2, np.where(levels == 2, -d2, np.where(levels == -1, d2, 0.0)))
        dc2 = dc2 * weight / probabilities
        grad_c1 = -(dc1.sum() + dc2.sum())
        grad_gap = -dc2.sum() * math.exp(gap)
        return float(nll), np.concatenate([grad_w, [grad_c1, grad_gap]])

    bounds: list[tuple[float | None, float | None]] = []
    for rule_id in rule_ids:
        strength = by_id[rule_id].is_strength
        bounds.append((None, 0.0) if strength else (0.0, None))
    bounds += [(0.0, None), (None, None), (None, None)]
    start = np.zeros(count + 2)
    start[count - 1] = 0.1
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    w = result.x
    c1 = float(w[count])
    c2 = c1 + math.exp(float(w[count + 1]))
    return Ordinal(
        {r: float(v) for r, v in zip(rule_ids, w[: count - 1], strict=True)},
        float(w[count - 1]),
        (c1, c2),
    )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return result


@dataclass(frozen=True)
class Fitted:
    """A whole fit: the word weights and the ordinal model over rules and words."""

    words: dict[str, float]
    ordinal: Ordinal

    def score(self, example: Example) -> float:
        return self.ordinal.score(example, word_score(example, self.words))


def fit(items: Sequence[Example], seed: int = SEED) -> Fitted:
    scores = cross_word_scores(items, FOLDS, seed + 1)
    return Fitted(word_weights(items), fit_ordinal(items, scores))


def cross_scores(items: Sequence[Example], folds: int = FOLDS, seed: int = SEED) -> np.ndarray:
    """Each example's linear score from a whole fit made without it."""
    scores = np.zeros(len(items))
    for held in _folds(items, folds, seed):
        held_set = set(held)
        fitted = fit([e for i, e in enumerate(items) if i not in held_set], seed)
        for i in held:
            scores[i] = fitted.score(items[i])
    return scores


GOALS = {"genuine_spam": 0.02, "spam_flagged": 0.90, "genuine_genuine": 0.80}
"""The project's goals for real messages: at most 2% of genuine messages called likely spam, at
least 90% of spam flagged, at least 80% of genuine messages called looks genuine. The verdict
cut points are chosen on cross-validated scores to come as close to them as the model can."""
LOOKS_GENUINE_FROM = 70
LIKELY_SPAM_BELOW = 50
"""Where the two cut points sit on the 0-100 scale (a presentation choice): the scale and the
starting score follow from the fitted cut points."""
_CEILING_LEVEL = {"needs-work": 1, "likely-spam": 2}


def ceiling_level(example: Example) -> int:
    """The worst verdict level the rules that fired cap the example at (0: none)."""
    by_id = {rule.id: rule for rule in ALL_RULES}
    caps = [_CEILING_LEVEL[c] for r in example.rules if (c := by_id[r].ceiling) is not None]
    return max(caps, default=0)


def levels(scores: np.ndarray, cuts: tuple[float, float], items: Sequence[Example]) -> np.ndarray:
    """Verdict levels (0, 1, 2) from linear scores and cut points, ceilings applied."""
    low, high = cuts
    found = np.where(scores >= high, 2, np.where(scores >= low, 1, 0))
    result: np.ndarray = np.maximum(found, np.array([ceiling_level(e) for e in items]))
    return result


def choose_cuts(scores: np.ndarray, items: Sequence[Example]) -> tuple[float, float]:
    """The cut points, from cross-validated scores.

    The likely-spam cut is the lowest at which at most GOALS["genuine_spam"] of the genuine
    field messages, and none of the hand-written looks-genuine drafts, would be likely spam.
    The needs-work cut is the one below it that leaves the smaller of the two shortfalls
    (spam flagged, genuine called looks genuine) against their goals as small as possible.
    """
    field = np.array([e.message.corpus == FIELD for e in items])
    spam = np.array([e.level == 2 for e in items])
    genuine_field = field & ~spam
    spam_field = field & spam
    clean_hand = ~field & np.array([e.level == 0 for e in items])
    candidates = np.unique(scores)
    high = candidates[-1] + 1.0
    for cut in candidates:
        if (scores[genuine_field] >= cut).mean() <= GOALS["genuine_spam"] and not (
            scores[clean_hand] >= cut
        ).any():
            high = float(cut)
            break
    best, best_low = -math.inf, float(candidates[0])
    for cut in candidates[candidates < high]:
        found = levels(scores, (float(cut), high), items)
        flagged = (found[spam_field] >= 1).mean()
        genuine = (found[genuine_field] == 0).mean()
        worst = min(flagged - GOALS["spam_flagged"], genuine - GOALS["genuine_genuine"])
        if worst > best:
            best, best_low = worst, float(cut)
    return best_low, high


def measures(
    scores: np.ndarray, found: np.ndarray, items: Sequence[Example], name: str
) -> dict[str, object]:
    """AUC and verdict rates of a group of examples."""
    spam = np.array([e.level == 2 for e in items])
    genuine = np.array([e.level == 0 if e.message.verdict else e.level != 2 for e in items])
    result: dict[str, object] = {"name": name, "messages": len(items)}
    result["auc"] = (
        round(_auc(scores[spam], scores[~spam]), 3) if spam.any() and (~spam).any() else None
    )
    result["spam_flagged"] = round(float((found[spam] >= 1).mean()), 3) if spam.any() else None
    result["genuine_genuine"] = (
        round(float((found[genuine] == 0).mean()), 3) if genuine.any() else None
    )
    result["genuine_spam"] = (
        round(float((found[genuine] == 2).mean()), 3) if genuine.any() else None
    )
    return result


def _auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """The chance that a random positive scores above a random negative (ties count half)."""
    ranks = rankdata(np.concatenate([negative, positive]))
    n_pos, n_neg = len(positive), len(negative)
    return float((ranks[n_neg:].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def groups(
    scores: np.ndarray, found: np.ndarray, items: Sequence[Example]
) -> list[dict[str, object]]:
    """The figures per corpus, then the field corpus by origin and by category."""

    def pick(name: str, test: object) -> dict[str, object] | None:
        index = [i for i, e in enumerate(items) if test(e)]  # type: ignore[operator]
        if not index:
            return None
        return measures(scores[index], found[index], [items[i] for i in index], name)

    result = [
        pick("Real messages (field corpus)", lambda e: e.message.corpus == FIELD),
        pick("Drafts written for the project", lambda e: e.message.corpus != FIELD),
    ]
    for origin in ("received", "sent", "template"):
        result.append(
            pick(
                f"Real, {origin}",
                lambda e, o=origin: e.message.corpus == FIELD and e.message.origin == o,
            )
        )
    categories = Counter(e.message.category for e in items if e.message.corpus == FIELD)
    for category, count in sorted(categories.items(), key=lambda kv: (-kv[1], kv[0])):
        if count >= 10:
            result.append(
                pick(
                    f"Real, {category}",
                    lambda e, c=category: e.message.corpus == FIELD and e.message.category == c,
                )
            )
    return [group for group in result if group is not None]


def model_data(items: Sequence[Example], seed: int = SEED) -> dict[str, object]:
    """Everything ``data/model.json`` holds: the fitted points, the thresholds, and the
    cross-validated figures that the scoring page and the corpus report show."""
    scores = cross_scores(items, FOLDS, seed)
    cuts = choose_cuts(scores, items)
    fitted = fit(items, seed)
    low, high = cuts
    scale = (LOOKS_GENUINE_FROM - LIKELY_SPAM_BELOW) / (high - low)
    start = round(LOOKS_GENUINE_FROM + scale * low)
    points = {
        rule.id: round(scale * abs(fitted.ordinal.rules.get(rule.id, 0.0)))
        for rule in ALL_RULES
        if rule.kind not in ("model", "context")
    }
    # Context and batch rules fire on what no single labelled message shows: each is worth what
    # the rule it names is (a template seen across a batch is as plain as a leaked merge field).
    for rule in ALL_RULES:
        if rule.points_like is not None:
            points[rule.id] = points.get(rule.points_like, 0)
    words = {
        word: tenths
        for word, weight in sorted(fitted.words.items())
        if (tenths := round(10 * scale * fitted.ordinal.words * weight))
    }
    found = levels(scores, cuts, items)
    return {
        "note": "Written by scripts/fit.py from the labelled corpora; do not edit by hand.",
        "start": start,
        "scale": round(scale, 3),
        "thresholds": {"looks-genuine": LOOKS_GENUINE_FROM, "needs-work": LIKELY_SPAM_BELOW},
        "rules": dict(sorted(points.items())),
        "tokens": words,
        "fit": {
            "messages": len(items),
            "folds": FOLDS,
            "cuts": [round(low, 4), round(high, 4)],
            "word_weight": round(fitted.ordinal.words, 5),
            "groups": groups(scores, found, items),
        },
    }
