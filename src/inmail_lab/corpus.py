"""The labelled corpora in ``tests/corpus/``, read into one record type.

- ``genuine.toml`` and ``problems.toml``: drafts written for this project, each labelled with
  the verdict a fair reader would give (``looks-genuine``, ``needs-work``, ``likely-spam``) and
  the rules that must fire (format: ``tests/corpus/README.md``).
- ``field.jsonl``: real messages from public pages and repositories, paraphrased, labelled
  ``spam`` or ``genuine``. An empty subject there means the subject is unknown.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "tests" / "corpus"
FIELD_FILE = "field.jsonl"
VERDICTS = ("looks-genuine", "needs-work", "likely-spam")
HANDWRITTEN = "handwritten"
FIELD = "field"


@dataclass(frozen=True, slots=True)
class Message:
    """One labelled message of any corpus."""

    id: str
    corpus: str
    """``handwritten`` or ``field``."""
    spam: bool
    """The binary label: spam, or not."""
    verdict: str | None
    """The verdict label (hand-written drafts); None where only spam/genuine is known."""
    subject: str | None
    """None when the subject is unknown (field messages with an empty subject)."""
    body: str
    category: str
    origin: str
    """``received``, ``sent``, ``template``, or ``written`` for the hand-written drafts."""
    rules: tuple[str, ...] = ()
    """Rules that must fire (hand-written drafts)."""
    source: str = ""


def load_handwritten(folder: Path = CORPUS_DIR) -> list[Message]:
    messages: list[Message] = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for raw in data.get("draft", []):
            verdict = raw["verdict"]
            messages.append(
                Message(
                    id=raw["id"],
                    corpus=HANDWRITTEN,
                    spam=verdict == "likely-spam",
                    verdict=verdict,
                    subject=raw.get("subject", ""),
                    body=raw.get("body", ""),
                    category=raw.get("kind", ""),
                    origin="written",
                    rules=tuple(raw.get("rules", [])),
                    source=path.name,
                )
            )
    return messages


def load_field(path: Path = CORPUS_DIR / FIELD_FILE) -> list[Message]:
    messages: list[Message] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        messages.append(
            Message(
                id=raw["id"],
                corpus=FIELD,
                spam=raw["label"] == "spam",
                verdict=None,
                subject=raw["subject"] or None,
                body=raw["body"],
                category=raw["category"],
                origin=raw["origin"],
                source=raw["source"],
            )
        )
    return messages


def load_all() -> list[Message]:
    return [*load_handwritten(), *load_field()]
