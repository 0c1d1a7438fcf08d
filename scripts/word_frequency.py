"""Write src/inmail_checker/data/word_frequency.json: how likely a draft is to hold each word.

    python scripts/word_frequency.py           # write the file
    python scripts/word_frequency.py --check   # exit 1 if the file differs from what it would write

The required-literal analysis (inmail_checker.literals) picks, for each pattern, the words a
match must contain; a word most drafts hold makes a gate that rarely shuts. This counts, over
every labelled corpus, the share of drafts whose folded text holds each word. Words held by at
least COMMON of the drafts are listed with their share; "other" and "other_short" are the
average shares of the rest (words of five letters or more, and of four or fewer).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from inmail_checker.literals import WORD
from inmail_checker.text import fold
from inmail_lab.corpus import load_all

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "inmail_checker" / "data" / "word_frequency.json"
COMMON = 0.05


def frequency_json() -> str:
    messages = load_all()
    held: Counter[str] = Counter()
    for message in messages:
        text = fold(f"{message.subject or ''}\n{message.body}").text
        held.update(set(WORD.findall(text)))
    total = len(messages)
    common = {word: round(n / total, 3) for word, n in sorted(held.items()) if n / total >= COMMON}
    rest = [(word, n / total) for word, n in held.items() if n / total < COMMON]
    long_rest = [share for word, share in rest if len(word) > 4]
    short_rest = [share for word, share in rest if len(word) <= 4]
    data = {
        "drafts": total,
        "common": common,
        "other": round(sum(long_rest) / max(len(long_rest), 1), 5),
        "other_short": round(sum(short_rest) / max(len(short_rest), 1), 5),
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the file")
    args = parser.parse_args()
    text = frequency_json()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else ""
        print("up to date" if current == text else f"{OUTPUT} is stale: run this script")
        return 0 if current == text else 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
