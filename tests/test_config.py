"""Switching rules off: by id and prefix, from code and from pyproject.toml; mistakes are loud."""

from __future__ import annotations

from pathlib import Path

import pytest

from inmail_checker import RULES, Config, ConfigError, check
from inmail_checker.batch import TEMPLATE_RULE
from inmail_checker.registry import ALL_RULES

PITCH = (
    "Hi Ana, our platform is the leading all-in-one solution for revenue teams. "
    "Book a call with me this week and see how we boost pipeline by 300%."
)


def _rules(report) -> set[str]:
    return {finding.rule for finding in report.findings}


def test_a_rule_switched_off_by_id_does_not_fire() -> None:
    fired = _rules(check(PITCH, "Quick question"))
    assert fired, "the sample must trip at least one rule"
    rule_id = sorted(fired)[0]
    assert rule_id not in _rules(check(PITCH, "Quick question", Config.of([rule_id])))


def test_a_prefix_switches_off_the_whole_family() -> None:
    assert any(rule.startswith("pitch.") for rule in _rules(check(PITCH, "Hello")))
    report = check(PITCH, "Hello", Config.of(["pitch"]))
    assert not any(rule.startswith("pitch.") for rule in _rules(report))
    assert Config.of(["pitch."]).enabled("pitch.book-a-call") is False


def test_a_prefix_matches_whole_parts_only() -> None:
    with pytest.raises(ConfigError, match="pit"):
        Config.of(["pit"])
    assert Config.of(["pitch"]).enabled("purpose.no-ask")


def test_switching_rules_off_raises_the_score_or_keeps_it() -> None:
    full = check(PITCH, "Hello")
    relaxed = check(PITCH, "Hello", Config.of(["pitch", "scam"]))
    assert relaxed.score >= full.score


@pytest.mark.parametrize("selector", ["pitch.does-not-exist", "nonsense", "bulk.templat", "."])
def test_an_unknown_id_is_an_error_not_silence(selector: str) -> None:
    with pytest.raises(ConfigError, match="unknown rule id"):
        Config.of([selector])


def test_every_rule_and_the_batch_rule_can_be_switched_off() -> None:
    assert TEMPLATE_RULE in ALL_RULES and TEMPLATE_RULE not in RULES
    config = Config.of([rule.id for rule in ALL_RULES])
    assert not config.enabled(TEMPLATE_RULE.id)
    report = check(PITCH, "", config)
    assert report.findings == () and report.strengths == ()


def test_blank_selectors_are_ignored() -> None:
    assert Config.of(["", "  "]) == Config()


def _write(folder: Path, text: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_pyproject_table_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, '[tool.inmail-check]\ndisable = ["pitch", "form.emoji"]\n')
    config = Config.from_pyproject(path)
    assert config.disable == frozenset({"pitch", "form.emoji"})
    assert not config.enabled("pitch.book-a-call") and config.enabled("scam.money")


def test_a_pyproject_without_the_table_means_no_change(tmp_path: Path) -> None:
    path = _write(tmp_path, '[project]\nname = "x"\n')
    assert Config.from_pyproject(path) == Config()


def test_discovery_finds_the_nearest_pyproject_with_the_table(tmp_path: Path) -> None:
    _write(tmp_path, '[tool.inmail-check]\ndisable = ["scam"]\n')
    inner = tmp_path / "pkg" / "sub"
    inner.mkdir(parents=True)
    _write(tmp_path / "pkg", '[project]\nname = "no table here"\n')
    config, found = Config.discover(inner)
    assert found == tmp_path / "pyproject.toml"
    assert not config.enabled("scam.money")
    _write(inner, '[tool.inmail-check]\ndisable = ["form"]\n')
    config, found = Config.discover(inner)
    assert found == inner / "pyproject.toml"
    assert config.enabled("scam.money") and not config.enabled("form.emoji")


def test_discovery_without_any_pyproject_is_the_default(tmp_path: Path) -> None:
    config, found = Config.discover(tmp_path)
    if found is None:
        assert config == Config()
    else:  # a pyproject.toml above the temporary folder: it must at least be the nearest one
        assert tmp_path.is_relative_to(found.parent)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[tool.inmail-check]\ndisable = "pitch"\n', "must be a list of strings"),
        ("[tool.inmail-check]\ndisable = [1, 2]\n", "must be a list of strings"),
        ('[tool.inmail-check]\ndisabled = ["pitch"]\n', "unknown key"),
        ('[tool.inmail-check]\ndisable = ["pitch.nope"]\n', "unknown rule id"),
        ('[tool]\ninmail-check = "pitch"\n', "must be a table"),
        ("[tool]\ninmail-check = 3\n", "must be a table"),
        ("tool = 1\n", "'tool' must be a table"),
        ("[tool.inmail-check\n", "pyproject.toml"),
    ],
)
def test_a_bad_table_is_a_clear_error(tmp_path: Path, text: str, error: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=error) as raised:
        Config.from_pyproject(path)
    assert str(path) in str(raised.value)


def test_a_missing_or_undecodable_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.toml"):
        Config.from_pyproject(tmp_path / "missing.toml")
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b"[tool.inmail-check]\ndisable = ['\xff']\n")
    with pytest.raises(ConfigError):
        Config.from_pyproject(path)


def test_configs_merge() -> None:
    merged = Config.of(["pitch"]).merged(Config.of(["scam.money"]))
    assert merged.disable == frozenset({"pitch", "scam.money"})
