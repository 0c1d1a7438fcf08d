"""The fitted numbers are data with a recipe: the model file is what the fit writes now, and
the fit's cross-validated figures stay above their floors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inmail_checker.scoring import MODEL
from inmail_lab import fit as F
from inmail_lab.corpus import load_all

ROOT = Path(__file__).resolve().parents[1]

# Floors under the cross-validated figures on the real messages (the field corpus). The goals
# for unseen real messages are AUC >= 0.92 in cross-validation, 90% of spam flagged, 80% of
# genuine messages called looks genuine and at most 2% called likely spam; the floors sit just
# under what the fit reaches today, so quality cannot fall silently.
FLOORS = {"auc": 0.93, "spam_flagged": 0.88, "genuine_genuine": 0.77}
CEILING_GENUINE_SPAM = 0.025


@pytest.fixture(scope="module")
def fitted_text() -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, 'scripts'); import fit; "
            "print(fit.model_json(), end='')",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_the_model_file_is_what_the_fit_writes(fitted_text: str) -> None:
    shipped = (ROOT / "src" / "inmail_checker" / "data" / "model.json").read_text(encoding="utf-8")
    if shipped != fitted_text:
        fresh, old = json.loads(fitted_text), json.loads(shipped)
        changed = sorted(k for k in fresh if fresh[k] != old.get(k))
        pytest.fail(f"data/model.json is stale (differs in {changed}): run scripts/fit.py")


def test_the_fit_holds_its_floors() -> None:
    field = next(g for g in MODEL.data["fit"]["groups"] if g["name"].startswith("Real messages"))
    assert field["messages"] == sum(1 for m in load_all() if m.corpus == "field")
    for key, floor in FLOORS.items():
        assert field[key] >= floor, (key, field[key])
    assert field["genuine_spam"] <= CEILING_GENUINE_SPAM


def test_the_points_rebuild_the_fitted_scale() -> None:
    """Score = start - scale x the linear model: the cut points land on the thresholds."""
    low, high = MODEL.data["fit"]["cuts"]
    scale = MODEL.data["scale"]
    assert round(MODEL.start - scale * low) == F.LOOKS_GENUINE_FROM + (
        MODEL.start - round(F.LOOKS_GENUINE_FROM + scale * low)
    )
    assert abs((F.LOOKS_GENUINE_FROM - F.LIKELY_SPAM_BELOW) - scale * (high - low)) < 0.01
    assert [lowest for lowest, _ in MODEL.thresholds] == [F.LOOKS_GENUINE_FROM, F.LIKELY_SPAM_BELOW]


def test_folds_keep_each_source_together_and_cover_every_message() -> None:
    items = F.examples(load_all())
    folds = F._folds(items, 5, 0)
    assert sorted(i for fold in folds for i in fold) == list(range(len(items)))
    fold_of = {i: n for n, fold in enumerate(folds) for i in fold}
    by_source: dict[str, set[int]] = {}
    for i, example in enumerate(items):
        by_source.setdefault(F.source_key(example.message), set()).add(fold_of[i])
    assert all(len(held) == 1 for held in by_source.values())
    assert max(map(len, folds)) < 1.5 * min(map(len, folds))


def test_a_source_is_a_repository_or_a_site() -> None:
    from inmail_lab.corpus import Message

    def key(source: str) -> str:
        return F.source_key(
            Message("x", "field", True, None, None, "b", "c", "received", (), source)
        )

    assert key("https://github.com/Owner/Repo/issues/3") == key(
        "http://github.com/owner/repo/blob/x"
    )
    assert key("https://github.com/owner/repo") != key("https://github.com/owner/other")
    assert key("https://www.example.com/a") == key("https://example.com/b?c=d")
    assert F.source_key(Message("h1", "handwritten", True, None, None, "b", "c", "written")) != (
        F.source_key(Message("h2", "handwritten", True, None, None, "b", "c", "written"))
    )


def test_the_ordinal_fit_orders_the_levels() -> None:
    """On a toy set where a rule marks spam, the rule's weight is positive and spam scores
    above genuine; a strength's weight is never positive."""
    from inmail_lab.corpus import Message

    def example(level: int, rules: set[str]) -> F.Example:
        message = Message("x", "field", level == 2, None, None, "b", "c", "received")
        return F.Example(message, level, frozenset(rules), frozenset())

    items = [example(2, {"pitch.product-language"}) for _ in range(20)]
    items += [example(0, {"strength.named-person"}) for _ in range(20)]
    items += [example(0, set()) for _ in range(5)] + [example(2, set()) for _ in range(5)]
    import numpy as np

    model = F.fit_ordinal(items, np.zeros(len(items)))
    assert model.rules["pitch.product-language"] > 0
    assert model.rules["strength.named-person"] <= 0
    assert model.score(items[0], 0.0) > model.score(items[25], 0.0)


def test_the_word_frequencies_are_what_their_script_writes() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/word_frequency.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
