"""The checker page's example drafts (``examples.toml`` beside this module): loaded, validated
and checked with the real checker, so the "Try an example" menu never shows a draft whose
verdict has drifted from the one the file claims."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inmail_checker import Report, check
from inmail_checker.report import AUDIENCES, STAGES, VERDICTS, Context

from .errors import GuideError

DEFAULT_EXAMPLES = Path(__file__).with_name("examples.toml")
"""The examples the checker page offers."""

_KEYS = {"id", "label", "verdict", "subject", "body", "context"}
_CONTEXT_KEYS = {"stage", "answered", "audience"}


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    label: str
    verdict: str
    subject: str
    body: str
    context: Context

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "subject": self.subject,
            "body": self.body,
            "context": self.context.to_dict(),
        }


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GuideError(f"{where}: '{key}' must be non-empty text")
    return value.strip("\n")


def _context(raw: Any, where: str) -> Context:
    if not isinstance(raw, dict):
        raise GuideError(f"{where}: 'context' must be a table")
    unknown = set(raw) - _CONTEXT_KEYS
    if unknown:
        raise GuideError(f"{where}: unknown context key(s) {sorted(unknown)}")
    try:
        return Context(**raw)
    except (TypeError, ValueError) as error:
        choices = f"stage: {', '.join(STAGES)}; audience: {', '.join(AUDIENCES)}"
        raise GuideError(f"{where}: bad context ({error}; {choices})") from error


def _example(raw: Any, index: int, filename: str) -> Example:
    if not isinstance(raw, dict):
        raise GuideError(f"{filename}: example {index + 1} must be a table")
    where = f"{filename}: example {raw.get('id', index + 1)!r}"
    unknown = set(raw) - _KEYS
    if unknown:
        raise GuideError(f"{where}: unknown key(s) {sorted(unknown)}")
    verdict = _text(raw, "verdict", where)
    if verdict not in VERDICTS:
        raise GuideError(f"{where}: unknown verdict {verdict!r} (one of {', '.join(VERDICTS)})")
    return Example(
        id=_text(raw, "id", where),
        label=_text(raw, "label", where),
        verdict=verdict,
        subject=_text(raw, "subject", where),
        body=_text(raw, "body", where),
        context=_context(raw.get("context", {}), where),
    )


def load_examples(path: Path = DEFAULT_EXAMPLES) -> tuple[Example, ...]:
    """The examples of ``path``, validated (not yet checked)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise GuideError(f"{path.name}: cannot read the examples ({error})") from error
    unknown = set(data) - {"example"}
    if unknown:
        raise GuideError(f"{path.name}: unknown table(s) {sorted(unknown)}")
    raw = data.get("example", [])
    if not isinstance(raw, list) or not raw:
        raise GuideError(f"{path.name}: expected [[example]] tables")
    examples = tuple(_example(item, index, path.name) for index, item in enumerate(raw))
    ids = [example.id for example in examples]
    if len(set(ids)) != len(ids):
        raise GuideError(f"{path.name}: two examples share an id")
    return examples


def check_example(example: Example) -> Report:
    """The example's report; raises GuideError when its verdict is not the one claimed."""
    report = check(example.body, example.subject, context=example.context)
    if report.verdict != example.verdict:
        fired = ", ".join(f.rule for f in report.findings) or "none"
        raise GuideError(
            f"example {example.id!r} of the checker page claims verdict {example.verdict!r} "
            f"but the checker gives {report.verdict!r} (score {report.score}; findings: {fired})"
        )
    return report


def checked_examples(path: Path = DEFAULT_EXAMPLES) -> tuple[Example, ...]:
    """Every example of ``path``, each checked."""
    examples = load_examples(path)
    for example in examples:
        check_example(example)
    return examples
