"""Every rule is complete, and every example in the registry behaves as it says: rule files
carry their examples as tests (flagged, clean, and for rules with a rewrite, the rewrite
applied)."""

from __future__ import annotations

import pytest

from inmail_checker import RULES, check
from inmail_checker.registry import CATEGORIES, Example, RuleError, parse_rules
from inmail_checker.report import Context, Report, Rewrite


def _cases(kind: str) -> list[tuple[str, int]]:
    return [(rule.id, index) for rule in RULES for index, _ in enumerate(getattr(rule, kind))]


def _check(example: Example) -> Report:
    return check(example.body, example.subject, context=Context(**example.context))


def _fired(report: Report, rule_id: str) -> list[object]:
    items = report.strengths if rule_id.startswith("strength.") else report.findings
    return [item for item in items if item.rule == rule_id]


RULES_BY_ID = {rule.id: rule for rule in RULES}


@pytest.mark.parametrize(("rule_id", "index"), _cases("flagged"))
def test_flagged_example_is_flagged(rule_id: str, index: int) -> None:
    example = RULES_BY_ID[rule_id].flagged[index]
    fired = _fired(_check(example), rule_id)
    assert fired, f"{rule_id} missed its flagged example {example}"
    if example.match is not None:
        assert example.match in [span.text for item in fired for span in item.spans]


@pytest.mark.parametrize(("rule_id", "index"), _cases("clean"))
def test_clean_example_is_clean(rule_id: str, index: int) -> None:
    example = RULES_BY_ID[rule_id].clean[index]
    assert not _fired(_check(example), rule_id)


def apply(text: str, rewrites: list[Rewrite], fill: str = "Ana") -> str:
    """The text with the rewrites applied (last first, so earlier offsets hold), and what a
    rewrite asks the writer to fill in typed."""
    for rewrite in sorted(rewrites, key=lambda r: r.span.start, reverse=True):
        new = rewrite.text + (fill if rewrite.fill_in else "")
        text = text[: rewrite.span.start] + new + text[rewrite.span.end :]
    return text


REWRITING = [rule.id for rule in RULES if rule.rewrite is not None]


@pytest.mark.parametrize("rule_id", REWRITING)
def test_every_rewrite_fixes_what_its_rule_found(rule_id: str) -> None:
    rule = RULES_BY_ID[rule_id]
    for example in rule.flagged:
        (finding,) = _fired(_check(example), rule_id)
        assert finding.rewrites, f"{rule_id}: no rewrite for {example}"
        body = apply(example.body, [r for r in finding.rewrites if r.span.field == "body"])
        subject = apply(example.subject, [r for r in finding.rewrites if r.span.field == "subject"])
        assert not _fired(check(body, subject), rule_id), (rule_id, subject, body)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("YOUR TALK ON RETRIES", "Your talk on retries"),
        ("FREE AWS CREDITS FOR YOU NOW", "Free AWS credits for you now"),
        ("A QUESTION ABOUT YOUR SAP PM ROLLOUT", "A question about your SAP PM rollout"),
    ],
)
def test_sentence_case_lowers_short_words_and_keeps_acronyms(subject: str, expected: str) -> None:
    (finding,) = _fired(check("Hi Ana, one question?", subject), "subject.shouting")
    assert apply(subject, list(finding.rewrites)) == expected


def test_rule_kinds_that_rewrite_cover_every_kind() -> None:
    kinds = {RULES_BY_ID[rule_id].rewrite.kind for rule_id in REWRITING}  # type: ignore[union-attr]
    assert kinds == {"replace", "delete", "collapse-marks", "sentence-case"}


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
        assert rule.is_strength == rule.id.startswith("strength.")


def test_every_family_the_guide_teaches_has_rules() -> None:
    assert {rule.category for rule in RULES} == set(CATEGORIES)


_RULE = '[[rule]]\nid = "pitch.x"\ntitle="t"\nmessage="m"\nrationale="r"\nfix="f"\n'


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[[rule]]\nid = "pitch.x"\nbogus = 1\n', "unknown key"),
        ('[[rule]]\nid = "Pitch X"\n', "id must look like"),
        ("[[other]]\n", "unknown top-level"),
        (_RULE + 'patterns=["(unclosed"]\nflagged=["a"]\nclean=["b"]\n', "bad pattern"),
        (_RULE + 'phrases=["a"]\nseverity="extreme"\nflagged=["a"]\nclean=["b"]\n', "severity"),
        (_RULE + 'phrases=["a"]\n', "flagged and one clean"),
        (_RULE + 'phrases=["a"]\nweight=5\nflagged=["a"]\nclean=["b"]\n', "unknown key"),
        (
            _RULE + 'phrases=["a"]\nrewrite={kind="shout"}\nflagged=["a"]\nclean=["b"]\n',
            "rewrite must be",
        ),
        (
            _RULE + 'phrases=["a"]\nparams={limit={fact="nope"}}\nflagged=["a"]\nclean=["b"]\n',
            "fact = NAME",
        ),
        (
            _RULE + 'kind="context"\nparams={stage="reply"}\nflagged=["a"]\nclean=["b"]\n',
            "points_like",
        ),
        (
            _RULE + 'phrases=["a"]\nskip_when=["tuesday"]\nflagged=["a"]\nclean=["b"]\n',
            "skip_when",
        ),
    ],
)
def test_malformed_rule_files_fail_loudly(text: str, error: str) -> None:
    with pytest.raises(RuleError, match=error) as raised:
        parse_rules(text, "broken.toml")
    assert "broken.toml" in str(raised.value)
