"""The labelled corpus: the checker must agree with the labels, and be safe on genuine drafts."""

from __future__ import annotations

from collections import Counter

import pytest

from inmail_checker import RULES_BY_ID, check
from inmail_lab.corpus import VERDICTS
from inmail_lab.corpus import load_handwritten as load_corpus

CORPUS = load_corpus()
REPORTS = {draft.id: check(draft.body, draft.subject) for draft in CORPUS}


def test_corpus_is_large_and_well_formed() -> None:
    assert len(CORPUS) >= 200
    ids = [draft.id for draft in CORPUS]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for draft in CORPUS:
        assert draft.verdict in VERDICTS, draft.id
        assert draft.body.strip() or "form.empty" in draft.rules, draft.id
        unknown = [rule for rule in draft.rules if rule not in RULES_BY_ID]
        assert not unknown, (draft.id, unknown)


def test_corpus_covers_every_problem_family() -> None:
    families = {rule.split(".")[0] for draft in CORPUS for rule in draft.rules}
    assert {"pitch", "bulk", "followup", "scam", "subject", "form", "purpose"} <= families
    genuine = [draft for draft in CORPUS if draft.verdict == "looks-genuine"]
    assert len(genuine) >= 80
    assert len({draft.category for draft in genuine}) >= 10


@pytest.mark.parametrize("draft", CORPUS, ids=lambda draft: draft.id)
def test_expected_rules_fire(draft) -> None:
    fired = {finding.rule for finding in REPORTS[draft.id].findings}
    missing = set(draft.rules) - fired
    assert not missing, f"{draft.id}: expected {sorted(missing)} to fire; fired {sorted(fired)}"


def test_at_least_95_percent_get_their_verdict() -> None:
    wrong = [
        (draft.id, draft.verdict, REPORTS[draft.id].verdict, REPORTS[draft.id].score)
        for draft in CORPUS
        if REPORTS[draft.id].verdict != draft.verdict
    ]
    agreement = 1 - len(wrong) / len(CORPUS)
    assert agreement >= 0.95, f"{agreement:.1%} agree; disagreements: {wrong}"


def test_no_genuine_draft_is_called_spam() -> None:
    called_spam = [
        (draft.id, REPORTS[draft.id].score, [f.rule for f in REPORTS[draft.id].findings])
        for draft in CORPUS
        if draft.verdict == "looks-genuine" and REPORTS[draft.id].verdict == "likely-spam"
    ]
    assert not called_spam


def test_no_spam_draft_looks_genuine() -> None:
    passed_as_genuine = [
        (draft.id, REPORTS[draft.id].score, [f.rule for f in REPORTS[draft.id].findings])
        for draft in CORPUS
        if draft.verdict == "likely-spam" and REPORTS[draft.id].verdict == "looks-genuine"
    ]
    assert not passed_as_genuine
