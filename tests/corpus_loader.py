"""Reads the labelled corpus in tests/corpus/*.toml (format: tests/corpus/README.md)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"
VERDICTS = ("looks-genuine", "needs-work", "likely-spam")


@dataclass(frozen=True)
class Draft:
    id: str
    kind: str
    verdict: str
    rules: tuple[str, ...]
    subject: str
    body: str
    source: str


def load_corpus() -> list[Draft]:
    drafts: list[Draft] = []
    for path in sorted(CORPUS_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for raw in data.get("draft", []):
            drafts.append(
                Draft(
                    id=raw["id"],
                    kind=raw.get("kind", ""),
                    verdict=raw["verdict"],
                    rules=tuple(raw.get("rules", [])),
                    subject=raw.get("subject", ""),
                    body=raw.get("body", ""),
                    source=path.name,
                )
            )
    return drafts
