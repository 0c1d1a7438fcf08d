"""Every rule is complete, and every example in the registry behaves as it says."""

from __future__ import annotations

import pytest

from inmail_checker import RULES, check
from inmail_checker.registry import CATEGORIES, RuleError, parse_rules


def _cases(kind: str) -> list[tuple[str, int]]:
    return [(rule.id, index) for rule in RULES for index, _ in enumerate(getattr(rule, kind))]


def _fired(report, rule_id):
    items = report.strengths if rule_id.startswith("strength.") else report.findings
    return [item for item in items if item.rule == rule_id]


RULES_BY_ID = {rule.id: rule for rule in RULES}


@pytest.mark.parametrize(("rule_id", "index"), _cases("flagged"))
def test_flagged_example_is_flagged(rule_id: str, index: int) -> None:
    example = RULES_BY_ID[rule_id].flagged[index]
    fired = _fired(check(example.body, example.subject), rule_id)
    assert fired, f"{rule_id} missed its flagged example {example}"
    if example.match is not None:
        assert example.match in [item.text for item in fired]


@pytest.mark.parametrize(("rule_id", "index"), _cases("clean"))
def test_clean_example_is_clean(rule_id: str, index: int) -> None:
    example = RULES_BY_ID[rule_id].clean[index]
    assert not _fired(check(example.body, example.subject), rule_id)


def test_ids_are_unique_and_well_formed() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.category in CATEGORIES
        assert rule.id.startswith(rule.category + ".")


def test_every_rule_explains_itself() -> None:
    for rule in RULES:
        assert rule.title and rule.rationale and rule.fix and rule.message
        assert rule.flagged and rule.clean
        assert rule.is_strength == (rule.bonus > 0)


def test_every_family_the_guide_teaches_has_rules() -> None:
    assert {rule.category for rule in RULES} == set(CATEGORIES)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[[rule]]\nid = "pitch.x"\nbogus = 1\n', "unknown key"),
        ('[[rule]]\nid = "Pitch X"\n', "id must look like"),
        ("[[other]]\n", "unknown top-level"),
        (
            '[[rule]]\nid = "pitch.x"\ntitle="t"\nmessage="m"\nrationale="r"\nfix="f"\n'
            'weight=5\npatterns=["(unclosed"]\nflagged=["a"]\nclean=["b"]\n',
            "bad pattern",
        ),
        (
            '[[rule]]\nid = "pitch.x"\ntitle="t"\nmessage="m"\nrationale="r"\nfix="f"\n'
            'weight=5\nphrases=["a"]\nseverity="extreme"\nflagged=["a"]\nclean=["b"]\n',
            "severity",
        ),
        (
            '[[rule]]\nid = "pitch.x"\ntitle="t"\nmessage="m"\nrationale="r"\nfix="f"\n'
            'weight=5\nphrases=["a"]\n',
            "flagged and one clean",
        ),
    ],
)
def test_malformed_rule_files_fail_loudly(text: str, error: str) -> None:
    with pytest.raises(RuleError, match=error) as raised:
        parse_rules(text, "broken.toml")
    assert "broken.toml" in str(raised.value)
