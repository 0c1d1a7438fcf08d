"""Scoring is integer arithmetic with caps, and the verdict always agrees with the score."""

from __future__ import annotations

from inmail_checker import RULES, check
from inmail_checker.scoring import (
    BASE,
    CATEGORY_CAPS,
    CEILING_SCORES,
    SPAM_FAMILIES,
    SPAM_FLOOR,
    STRENGTH_CAP,
    THRESHOLDS,
    rule_penalty,
    score_draft,
    verdict_for,
)

GENUINE = (
    "Hi Ana,\n\nI read your post on how your team moved billing to event sourcing. "
    "We are weighing the same move. How long did the migration take? No worries if you're busy."
)


def _rule(rule_id: str):
    return next(rule for rule in RULES if rule.id == rule_id)


def test_repeats_cost_more_but_at_most_double() -> None:
    assert rule_penalty(10, 1) == 10
    assert rule_penalty(10, 2) == 15
    assert rule_penalty(10, 50) == 20


def test_category_penalties_are_capped() -> None:
    pitch = [rule for rule in RULES if rule.category == "pitch"]
    _, _, penalties, _ = score_draft(pitch * 3, [])
    assert penalties["pitch"] == CATEGORY_CAPS["pitch"]


def test_strength_bonus_is_capped_and_withheld_by_a_real_problem() -> None:
    strengths = [rule for rule in RULES if rule.is_strength]
    assert sum(rule.bonus for rule in strengths) > STRENGTH_CAP
    score, _, _, bonus = score_draft([], strengths)
    assert bonus == STRENGTH_CAP
    assert score == min(100, BASE + STRENGTH_CAP)
    medium = _rule("pitch.calendar-link")
    assert medium.severity == "medium"
    _, _, _, withheld = score_draft([medium], strengths)
    assert withheld == 0
    mild = next(r for r in RULES if r.category == "form" and r.severity == "low")
    _, _, _, kept = score_draft([mild], strengths)
    assert kept == STRENGTH_CAP


def test_only_spam_signals_make_likely_spam() -> None:
    not_spam = [r for r in RULES if not r.is_strength and r.category not in SPAM_FAMILIES]
    score, verdict, _, _ = score_draft(not_spam * 3, [])
    assert score == SPAM_FLOOR and verdict == "needs-work"
    pitch = [r for r in RULES if r.category == "pitch" and r.severity != "low"]
    assert score_draft(pitch, [])[1] == "likely-spam"


def test_ceiling_caps_score_and_verdict_together() -> None:
    merge = _rule("bulk.merge-field")
    assert merge.ceiling == "needs-work"
    score, verdict, _, _ = score_draft([merge], [r for r in RULES if r.is_strength])
    assert score <= CEILING_SCORES["needs-work"]
    assert verdict == "needs-work"


def test_verdict_thresholds() -> None:
    (genuine_from, _), (needs_work_from, _) = THRESHOLDS
    assert verdict_for(100) == "looks-genuine"
    assert verdict_for(genuine_from) == "looks-genuine"
    assert verdict_for(genuine_from - 1) == "needs-work"
    assert verdict_for(needs_work_from) == "needs-work"
    assert verdict_for(needs_work_from - 1) == "likely-spam"
    assert verdict_for(0) == "likely-spam"


def test_a_genuine_note_scores_high_and_a_pitch_low() -> None:
    genuine = check(GENUINE, "Your event-sourcing post")
    assert genuine.verdict == "looks-genuine", genuine.findings
    assert {s.rule for s in genuine.strengths} >= {"strength.named-person", "strength.easy-no"}
    pitch = check(
        "Hi {first_name}, we help companies like yours get 30 qualified leads per month. "
        "Do you have 15 minutes this week? Book here: calendly.com/acme/demo",
        "Quick question",
    )
    assert pitch.verdict == "likely-spam"
    assert pitch.score < genuine.score


def test_report_is_deterministic() -> None:
    assert check(GENUINE, "x").to_json() == check(GENUINE, "x").to_json()


def test_penalties_and_bonus_explain_the_score() -> None:
    report = check(GENUINE + " Just following up!!!", "FREE")
    expected = max(0, min(100, BASE - sum(report.penalties.values()) + report.bonus))
    assert report.score == expected
