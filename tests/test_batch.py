"""Batches: near-copy groups (bulk.template), their scoring, and reading drafts from files."""

from __future__ import annotations

import random

import pytest

from inmail_checker import RULES_BY_ID, Config, check
from inmail_checker.batch import (
    TEMPLATE_MIN_GROUP,
    TEMPLATE_RULE,
    BatchResult,
    check_batch,
    find_template_groups,
    template_finding,
    template_words,
)
from inmail_checker.engine import with_findings
from inmail_checker.inputs import (
    InputError,
    NotUTF8Error,
    decode_utf8,
    read_csv,
    read_jsonl,
    split_subject,
)
from inmail_checker.scoring import score
from inmail_lab.corpus import load_handwritten as load_corpus

SALES_TEMPLATE = (
    "Hi {name},\n\nI came across your profile and was impressed by your work at {company}. "
    "We're helping {industry} teams like yours cut onboarding time by {pct}% with our automated "
    "platform. I noticed you recently posted about {topic}, which is exactly what we solve.\n\n"
    "Would you be open to a quick {mins}-minute call next {day} to see if it's a fit?\n\n"
    "Best,\nMark"
)
VARIANTS = [
    {"name": "Priya", "company": "Stripe", "industry": "fintech", "pct": 40,
     "topic": "scaling compliance", "mins": 15, "day": "Tuesday"},
    {"name": "Tom", "company": "Acme Health", "industry": "healthtech", "pct": 35,
     "topic": "hiring engineers", "mins": 20, "day": "Monday"},
    {"name": "Ana María", "company": "Globex", "industry": "logistics", "pct": 50,
     "topic": "your migration to the cloud", "mins": 15, "day": "Thursday"},
    {"name": "Kenji", "company": "Initech", "industry": "insurance", "pct": 30,
     "topic": "customer churn", "mins": 10, "day": "Friday"},
    {"name": "Olu", "company": "Umbrella Corp", "industry": "biotech", "pct": 45,
     "topic": "lab automation", "mins": 15, "day": "Wednesday"},
]  # fmt: skip

# Five genuine notes from one sender: same greeting, same courtesy phrases, different content.
SHARED_PHRASES = [
    "Hi Ana,\n\nI read your post about moving your data team from nightly batches to streaming. "
    "We are weighing the same move for a fleet of delivery vans and I worry about late events. "
    "How did you decide how long to wait for stragglers? No worries if you're too busy to "
    "reply.\n\nThanks,\nRaj",
    "Hi Ben,\n\nI read your post about mentoring junior nurses on night shifts. My sister starts "
    "on a cardiac ward next month and asked me who writes honestly about it. Would you mind if "
    "I shared your post with her? No worries if you're too busy to reply.\n\nThanks,\nRaj",
    "Hi Chloé,\n\nCongratulations on the new role at the museum. I loved the exhibition on "
    "textile dyes you curated last spring, especially the room on indigo. Is the catalogue "
    "still in print anywhere? No worries if you're too busy to reply.\n\nThanks,\nRaj",
    "Hi Dev,\n\nI read your post about your first year running a bakery. The part about pricing "
    "sourdough against the supermarket made me laugh, because we argue about the same thing at "
    "our co-op. What made you settle on weekly pre-orders?\n\nThanks,\nRaj",
    "Hi Eve,\n\nWe met at the climbing wall on Thursday and you mentioned a route-setting course "
    "in Leeds. I have looked everywhere and cannot find it online. Do you remember who runs "
    "it? No worries if you're too busy to reply.\n\nThanks,\nRaj",
]


def _bodies(variants: list[dict]) -> list[str]:
    return [SALES_TEMPLATE.format(**variant) for variant in variants]


def test_a_realistic_template_with_five_variants_is_one_group() -> None:
    assert find_template_groups(_bodies(VARIANTS)) == [[0, 1, 2, 3, 4]]


def test_genuine_messages_that_share_phrases_are_not_grouped() -> None:
    assert find_template_groups(SHARED_PHRASES) == []
    assert find_template_groups(SHARED_PHRASES, min_group=2) == []


def test_templates_are_found_among_other_drafts_in_any_order() -> None:
    bodies = [*SHARED_PHRASES[:2], *_bodies(VARIANTS[:3]), *SHARED_PHRASES[2:]]
    bodies += _bodies(VARIANTS[3:])
    assert find_template_groups(bodies) == [[2, 3, 4, 8, 9]]


def test_two_near_copies_are_not_a_template_but_three_are() -> None:
    assert TEMPLATE_MIN_GROUP == 3
    assert find_template_groups(_bodies(VARIANTS[:2])) == []
    assert find_template_groups(_bodies(VARIANTS[:3])) == [[0, 1, 2]]
    assert find_template_groups(_bodies(VARIANTS[:2]), min_group=2) == [[0, 1]]


def test_short_bodies_are_left_out() -> None:
    assert find_template_groups(["Thanks, Ana!", "Thanks, Ben!", "Thanks, Cy!"]) == []


def test_hidden_characters_and_look_alikes_do_not_hide_a_copy() -> None:
    bodies = _bodies(VARIANTS[:2])
    disguised = SALES_TEMPLATE.format(**VARIANTS[2])
    disguised = disguised.replace("profile", "pro\u200bfile").replace("open", "оpen")  # Cyrillic о
    disguised = disguised.replace("platform", "ｐｌａｔｆｏｒｍ")
    assert find_template_groups([*bodies, disguised]) == [[0, 1, 2]]


def test_shouted_drafts_are_not_all_alike() -> None:
    shouted = [
        "FREE MONEY NOW CLICK THE LINK AND EARN FIVE THOUSAND EVERY WEEK FROM HOME NO EXPERIENCE",
        "URGENT YOUR ACCOUNT WILL BE CLOSED TODAY UNLESS YOU VERIFY YOUR PASSWORD AT OUR PAGE",
        "CONGRATULATIONS YOU HAVE BEEN SELECTED FOR A REMOTE JOB PAYING DAILY CONTACT OUR TEAM",
    ]
    assert find_template_groups(shouted, min_group=2) == []


def test_capitalised_nouns_do_not_make_german_drafts_alike() -> None:
    german = [
        "Hallo Frau Becker, ich habe Ihren Vortrag auf der Konferenz in Berlin gesehen und fand "
        "die Idee mit den Warteschlangen sehr spannend. Darf ich eine Frage stellen? Gruß, Jonas",
        "Sehr geehrter Herr Wagner, vielen Dank für Ihren Artikel über Datenschutz im "
        "Gesundheitswesen. Haben Sie Erfahrungen mit der Anonymisierung? Beste Grüße, Lena",
        "Liebe Anna, wir haben uns letzte Woche beim Meetup in Hamburg kennengelernt. Du hattest "
        "ein Buch über Teamführung empfohlen. Kannst du den Titel schicken? Danke, Tim",
    ]
    assert find_template_groups(german, min_group=2) == []


def test_placeholders_cover_names_companies_and_numbers() -> None:
    words = template_words("Hi Ana María, Acme raised 12M in 2024 and hired 3 people via NASA")
    assert words[:4] == ["qqnameqq", "qqnameqq", "qqnameqq", "qqnameqq"]
    assert words[-1] == "nasa", "words in capitals only are kept"
    assert words.count("qqnumberqq") == 3
    assert "raised" in words and "people" in words


def test_groups_chain_through_a_common_neighbour() -> None:
    def words(prefix: str, count: int) -> list[str]:
        return [prefix + chr(97 + n % 26) + chr(97 + n // 26) for n in range(count)]

    a = " ".join(words("w", 40))
    b = " ".join(words("w", 30) + words("x", 10))
    c = " ".join(words("w", 20) + words("x", 10) + words("y", 10))
    assert find_template_groups([a, c], min_group=2) == []
    assert find_template_groups([a, b, c]) == [[0, 1, 2]]


def test_no_two_corpus_drafts_are_near_copies() -> None:
    drafts = load_corpus()
    assert len(drafts) > 50
    assert find_template_groups([draft.body for draft in drafts], min_group=2) == []


def _distinct_drafts(count: int, seed: int) -> list[str]:
    """Drafts of random words that still share greetings and stock phrases."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ten", "ra", "vo", "shu", "pe", "dan", "il", "or", "bre"]
    vocabulary = sorted(
        {"".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))) for _ in range(3000)}
    )
    stock = [
        "I hope you are well.",
        "Would you be open to a short call next week?",
        "Thanks for reading.",
        "I read your post about",
        "No worries if you are too busy to reply.",
    ]
    drafts = []
    for _ in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(25, 120))]
        for phrase in rng.sample(stock, 3):
            position = rng.randrange(len(words))
            words[position:position] = phrase.split()
        drafts.append(f"Hi {rng.choice(['Ana', 'Ben', 'Cy'])}, " + " ".join(words))
    return drafts


def test_two_thousand_distinct_drafts_make_no_group() -> None:
    drafts = _distinct_drafts(2000, seed=11)
    assert find_template_groups(drafts) == []
    with_template = drafts + _bodies(VARIANTS)
    assert find_template_groups(with_template) == [list(range(2000, 2005))]


def test_a_large_mail_merge_is_one_group() -> None:
    rng = random.Random(5)
    variants = [
        {**rng.choice(VARIANTS), "name": f"Person{n}", "pct": rng.randint(10, 90)}
        for n in range(600)
    ]
    bodies = _bodies(variants) + _distinct_drafts(50, seed=3)
    assert find_template_groups(bodies) == [list(range(600))]


def test_similarity_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match="similarity"):
        find_template_groups([], similarity=0)


# --- Findings and scores -----------------------------------------------------------------


def _batch(bodies: list[str], config: Config | None = None) -> list[BatchResult]:
    return check_batch([(f"d{n}", "Quick question", body) for n, body in enumerate(bodies)], config)


def test_each_copy_gets_a_bulk_template_finding_naming_the_others() -> None:
    bodies = [SHARED_PHRASES[0], *_bodies(VARIANTS)]
    results = _batch(bodies)
    assert not any(f.rule == TEMPLATE_RULE.id for f in results[0].report.findings)
    for number, result in enumerate(results[1:], start=1):
        (finding,) = [f for f in result.report.findings if f.rule == "bulk.template"]
        assert finding.category == "bulk" and finding.severity == "high"
        assert finding.spans == () and finding.field == "body" and finding.points > 0
        assert finding.rationale and finding.fix
        others = [f"d{n}" for n in range(1, 6) if n != number]
        assert finding.message.endswith(": " + ", ".join(others) + ".")
        assert result.report.verdict != "looks-genuine"
        assert result.report.score <= 69


def test_score_and_verdict_are_recomputed_with_the_extra_finding() -> None:
    results = _batch(_bodies(VARIANTS))
    for result, body in zip(results, _bodies(VARIANTS), strict=True):
        alone = check(body, "Quick question")
        report = result.report
        ceilings = {
            f.rule: RULES_BY_ID[f.rule].ceiling
            for f in report.findings
            if RULES_BY_ID[f.rule].ceiling
        }
        total, verdict, breakdown = score(report.findings, report.strengths, ceilings)
        assert (report.score, report.verdict, report.breakdown) == (total, verdict, breakdown)
        assert report.score <= alone.score
        assert len(report.findings) == len(alone.findings) + 1


def test_rescoring_without_extra_findings_changes_nothing() -> None:
    for draft in load_corpus()[::5]:
        report = check(draft.body, draft.subject)
        assert with_findings(report, []) == report


def test_bulk_template_can_be_switched_off() -> None:
    for selector in ("bulk.template", "bulk"):
        results = _batch(_bodies(VARIANTS), Config.of([selector]))
        assert not any(f.rule == "bulk.template" for r in results for f in r.report.findings)


def test_long_groups_list_ten_ids_then_a_count() -> None:
    finding = template_finding([f"id{n}" for n in range(13)])
    assert "id9" in finding.message and "id10" not in finding.message
    assert "and 3 more" in finding.message
    assert "13 other" in finding.message


def test_batch_results_keep_input_order_and_ids() -> None:
    results = check_batch([(3, "", "a"), ("x", "s", "b"), (1, "", "c")])
    assert [r.id for r in results] == [3, "x", 1]
    line = results[1].to_dict()
    assert next(iter(line)) == "id"
    assert {k: v for k, v in line.items() if k != "id"} == results[1].report.to_dict()


# --- Reading drafts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subject", "body", "body_line"),
    [
        ("Subject: Hello\n\nHi Ana", "Hello", "Hi Ana", 2),
        ("Subject: Hello\nHi Ana", "Hello", "Hi Ana", 1),
        ("subject:Hello  \r\n\r\nHi Ana\r\n", "Hello", "Hi Ana\r\n", 2),
        ("Subject: Hello", "Hello", "", 0),
        ("Subject: Hello\n\n\nHi", "Hello", "\nHi", 2),
        ("Hi Ana\nSubject: not a subject", "", "Hi Ana\nSubject: not a subject", 0),
        ("", "", "", 0),
    ],
)
def test_the_subject_line_convention(text: str, subject: str, body: str, body_line: int) -> None:
    draft = split_subject(text)
    assert (draft.subject, draft.body) == (subject, body)
    assert draft.body_line == (body_line if draft.has_subject_line else 0)


def test_decode_utf8_reports_byte_line_and_column() -> None:
    assert decode_utf8("\ufeffhé".encode(), "x") == "hé"
    with pytest.raises(NotUTF8Error) as raised:
        decode_utf8("ab\nçé\n😀x".encode() + b"\x80", "input")
    error = raised.value
    assert (error.line, error.column) == (3, 3)
    assert error.offset == len("ab\nçé\n😀x".encode())
    assert "input is not valid UTF-8" in str(error)


def test_read_jsonl_keeps_u2028_inside_a_body() -> None:
    batch = read_jsonl('{"id": "a", "subject": "", "body": "one\u2028two"}\n')
    assert batch.problems == [] and batch.drafts[0].body == "one\u2028two"


def test_read_jsonl_rejects_bad_ids() -> None:
    batch = read_jsonl(
        '{"id": true, "subject": "", "body": ""}\n{"id": "", "subject": "", "body": ""}\n'
        '{"id": 1.5, "subject": "", "body": ""}\n' + "[" * 100_000 + "\n"
    )
    assert batch.drafts == []
    assert [p.where for p in batch.problems] == ["line 1", "line 2", "line 3", "line 4"]


def test_read_csv_accepts_large_fields_and_any_column_order() -> None:
    body = "word " * 60_000
    batch = read_csv(f'body,id,subject\n"{body}",1,s\n')
    assert batch.problems == [] and batch.drafts[0].body == body


def test_read_csv_needs_a_header() -> None:
    with pytest.raises(InputError, match="empty"):
        read_csv("\n\n")
