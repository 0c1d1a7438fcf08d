"""Which rules run: switched off by id or id prefix, from code, the CLI or a pyproject.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .registry import ALL_RULES


class ConfigError(ValueError):
    """A configuration names a rule that does not exist, or cannot be read."""


def _matches(rule_id: str, selector: str) -> bool:
    """A selector is a whole id ("pitch.book-a-call") or a prefix of whole parts ("pitch")."""
    return rule_id == selector or rule_id.startswith(selector.rstrip(".") + ".")


_KNOWN_IDS = tuple(rule.id for rule in ALL_RULES)
"""Every rule, batch rules (which look across many drafts) included, can be switched off."""


@dataclass(frozen=True, slots=True)
class Config:
    """Options for :func:`inmail_checker.check`. ``disable`` holds rule ids or id prefixes;
    ``placeholders``, the merge fields a template may hold (``{first_name}``): the rules that
    look for leftover merge fields pass them over."""

    disable: frozenset[str] = frozenset()
    placeholders: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        unknown = sorted(
            selector
            for selector in self.disable
            if not any(_matches(rule_id, selector) for rule_id in _KNOWN_IDS)
        )
        if unknown:
            raise ConfigError(f"unknown rule id or prefix: {', '.join(unknown)}")

    @classmethod
    def of(cls, disable: Iterable[str] = (), placeholders: Iterable[str] = ()) -> Config:
        return cls(
            frozenset(s.strip() for s in disable if s.strip()),
            frozenset(p.strip() for p in placeholders if p.strip()),
        )

    def enabled(self, rule_id: str) -> bool:
        return not any(_matches(rule_id, selector) for selector in self.disable)

    def merged(self, other: Config) -> Config:
        return Config(self.disable | other.disable, self.placeholders | other.placeholders)

    @property
    def key(self) -> tuple[frozenset[str], frozenset[str]]:
        """What tells two configurations apart (to cache their compiled rules)."""
        return self.disable, self.placeholders

    @classmethod
    def from_pyproject(cls, path: Path) -> Config:
        """Read ``[tool.inmail-check]`` (key ``disable``, a list of ids or prefixes)."""
        table = _tool_table(path)
        if table is None:
            return cls()
        unknown_keys = set(table) - {"disable", "placeholders"}
        if unknown_keys:
            raise ConfigError(
                f"{path}: unknown key(s) in [tool.inmail-check]: {sorted(unknown_keys)}"
            )
        lists: dict[str, list[str]] = {}
        for name in ("disable", "placeholders"):
            value = table.get(name, [])
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                raise ConfigError(f"{path}: [tool.inmail-check] {name} must be a list of strings")
            lists[name] = value
        try:
            return cls.of(lists["disable"], lists["placeholders"])
        except ConfigError as error:
            raise ConfigError(f"{path}: [tool.inmail-check] disable: {error}") from None

    @classmethod
    def discover(cls, start: Path) -> tuple[Config, Path | None]:
        """The config of the nearest ``pyproject.toml`` with a ``[tool.inmail-check]`` table,
        looking in ``start`` and then each folder above it (as ruff does for ``[tool.ruff]``)."""
        for folder in (start, *start.parents):
            candidate = folder / "pyproject.toml"
            if candidate.is_file() and _tool_table(candidate) is not None:
                return cls.from_pyproject(candidate), candidate
        return cls(), None


def _tool_table(path: Path) -> dict[str, object] | None:
    """The ``[tool.inmail-check]`` table of a pyproject.toml, or None when it has none."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not valid UTF-8 (byte {error.start}); a pyproject.toml must be UTF-8 text"
        ) from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: 'tool' must be a table")
    if "inmail-check" not in tool:
        return None
    table = tool["inmail-check"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.inmail-check] must be a table")
    return table
