"""The score is a sum a reader can add up, with fitted numbers, and the verdict agrees with it."""

from __future__ import annotations

import pytest

from inmail_checker import ALL_RULES, check
from inmail_checker.registry import RULES_BY_ID
from inmail_checker.report import VERDICTS, Finding, Strength
from inmail_checker.scoring import (
    CEILING_SCORES,
    MODEL,
    THRESHOLDS,
    load_model,
    pack_tokens,
    points,
    score,
    unpack_tokens,
    verdict_for,
)
from inmail_lab.corpus import load_all

GENUINE = (
    "Hi Ana,\n\nI read your post on how your team moved billing to event sourcing. "
    "We are weighing the same move. How long did the migration take? No worries if you're busy."
)
PITCH = (
    "Hi {first_name}, our platform helps teams like yours book 3x more meetings!!! "
    "Do you have 15 minutes for a quick demo? calendly.com/jo/intro"
)


def _finding(rule_id: str, worth: int) -> Finding:
    rule = RULES_BY_ID[rule_id]
    return Finding(
        rule_id, rule.category, rule.severity, rule.title, "m", "r", "f", worth, "body", 1
    )


def test_the_sum_of_the_terms_is_the_score() -> None:
    drafts = [(m.subject or "", m.body) for m in load_all()]
    for subject, body in drafts:
        report = check(body, subject)
        sum_ = report.breakdown
        assert sum_.start == MODEL.start
        assert sum_.total == sum_.start + sum(term.points for term in sum_.terms)
        listed = sorted(
            [(f.rule, -f.points) for f in report.findings if f.points]
            + [(s.rule, s.points) for s in report.strengths if s.points]
        )
        assert sorted((t.rule, t.points) for t in sum_.terms) == listed
        within = max(0, min(100, sum_.total))
        assert report.score == min(
            [within, *(CEILING_SCORES[RULES_BY_ID[r].ceiling] for r in sum_.capped_by)]
        )
        assert report.score <= within and report.verdict == verdict_for(report.score)


def test_problems_take_off_and_strengths_add() -> None:
    assert all(points(rule) >= 0 for rule in ALL_RULES)
    report = check(PITCH, "Quick question")
    assert all(
        term.points < 0 for term in report.breakdown.terms if not term.rule.startswith("strength.")
    )
    assert all(
        term.points > 0 for term in report.breakdown.terms if term.rule.startswith("strength.")
    )


def test_a_genuine_note_scores_high_and_a_pitch_low() -> None:
    genuine, pitch = check(GENUINE, "Your event-sourcing post"), check(PITCH, "Quick question")
    assert genuine.verdict == "looks-genuine"
    assert pitch.verdict == "likely-spam"
    assert genuine.score > pitch.score


def test_a_hundred_is_reachable() -> None:
    assert any(check(m.body, m.subject or "").score == 100 for m in load_all())


def test_verdict_thresholds_come_from_the_model_file() -> None:
    assert [verdict for _, verdict in THRESHOLDS] == list(VERDICTS[:-1])
    for lowest, verdict in THRESHOLDS:
        assert verdict_for(lowest) == verdict
        assert verdict_for(lowest - 1) != verdict
    assert verdict_for(0) == VERDICTS[-1]
    assert verdict_for(100) == VERDICTS[0]


def test_ceiling_caps_score_and_verdict_together() -> None:
    capped = next(rule for rule in ALL_RULES if rule.ceiling == "needs-work")
    lift = Strength("strength.named-person", "t", "m", 50, "body", 1)
    total, verdict, breakdown = score([_finding(capped.id, 0)], [lift], {capped.id: "needs-work"})
    assert total == CEILING_SCORES["needs-work"]
    assert verdict == "needs-work"
    assert breakdown.capped_by == (capped.id,)
    # A score already below the cap is not capped.
    low, _, breakdown = score([_finding(capped.id, 90)], [], {capped.id: "needs-work"})
    assert low < CEILING_SCORES["needs-work"] and breakdown.capped_by == ()


def test_the_score_stays_within_0_and_100() -> None:
    many = [_finding(rule.id, 50) for rule in ALL_RULES if not rule.is_strength][:5]
    assert score(many, [], {})[0] == 0
    strength = Strength("strength.named-person", "t", "m", 500, "body", 1)
    assert score([], [strength], {})[0] == 100


def test_packed_weights_unpack_to_the_same_weights_in_sorted_order() -> None:
    weights = {"zoo": 3, "a": -2, "a b": 5, "a zoo": -1, "b a": 7, "b": 1, "only pair": 4}
    packed = pack_tokens(weights)
    # "pair" and "only" have no weight of their own; "pair" appears only second.
    assert packed["words"] == ["a", "b", "only", "pair", "zoo"]
    assert packed["weights"] == [-2, 1, 0, 0, 3]
    assert packed["next"] == [[1, 2], [0], [3], [], []]
    unpacked, pairs = unpack_tokens(packed)
    assert list(unpacked.items()) == sorted(weights.items())
    assert pairs == {("a", "b"): 5, ("a", "zoo"): -1, ("b", "a"): 7, ("only", "pair"): 4}


def test_the_shipped_weights_are_packed_as_the_fit_packs_them() -> None:
    assert pack_tokens(MODEL.words) == MODEL.data["tokens"]
    assert list(MODEL.words) == sorted(MODEL.words)
    assert all(MODEL.words[f"{a} {b}"] == weight for (a, b), weight in MODEL.pairs.items())
    assert len(MODEL.pairs) == sum(1 for feature in MODEL.words if " " in feature)


@pytest.mark.parametrize(
    "tokens",
    [
        {"words": ["a"], "weights": [1, 2], "next": [[]], "pair_weights": []},
        {"words": ["a"], "weights": [1], "next": [[0]], "pair_weights": []},
        {"words": ["a"], "weights": [1], "next": [[0]], "pair_weights": [1, 2]},
    ],
)
def test_broken_packed_weights_fail_loudly(tokens: dict[str, list[object]]) -> None:
    with pytest.raises((ValueError, IndexError)):
        unpack_tokens(tokens)


@pytest.mark.parametrize("text", ["{", '{"start": 70}'])
def test_a_broken_model_file_fails_loudly(text: str) -> None:
    with pytest.raises((ValueError, KeyError)):
        load_model(text)


def test_report_is_deterministic() -> None:
    assert check(PITCH, "Quick question").to_json() == check(PITCH, "Quick question").to_json()
