"""Fit the checker's numbers on the labelled corpora and write src/inmail_checker/data/model.json.

    python scripts/fit.py            # fit, write the file, print the cross-validated figures
    python scripts/fit.py --check    # exit 1 if the file differs from what a fit writes now

The method is in src/inmail_lab/fit.py: naive Bayes word weights, an ordinal logistic model
over the rules and the word score, verdict cut points chosen on cross-validated scores, all
written out as points. Deterministic: the same corpora give the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from inmail_checker.scoring import pack_tokens, unpack_tokens
from inmail_lab.corpus import load_all
from inmail_lab.fit import examples, model_data

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "inmail_checker" / "data" / "model.json"
TOKENS_HERE = "(the packed weights)"


def model_json() -> str:
    """The model file: the fit's figures one per line, and the learned weights packed
    (:func:`inmail_checker.scoring.pack_tokens`), each of their four lists on one line."""
    data = model_data(examples(load_all()))
    tokens = data["tokens"]
    assert isinstance(tokens, dict)
    packed = pack_tokens(tokens)
    data["tokens"] = TOKENS_HERE
    text = json.dumps(data, indent=1, sort_keys=True)
    lists = ",\n".join(
        f"  {json.dumps(key)}: {json.dumps(value, separators=(',', ':'))}"
        for key, value in sorted(packed.items())
    )
    return text.replace(json.dumps(TOKENS_HERE), "{\n" + lists + "\n }") + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the file")
    args = parser.parse_args()
    text = model_json()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else ""
        print("up to date" if current == text else f"{OUTPUT} is stale: run scripts/fit.py")
        return 0 if current == text else 1
    OUTPUT.write_text(text, encoding="utf-8")
    data = json.loads(text)
    learned = len(unpack_tokens(data["tokens"])[0])
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {learned:,} learned words")
    for group in data["fit"]["groups"]:
        shown = {k: v for k, v in group.items() if k != "name" and v is not None}
        figures = ", ".join(f"{key} {value}" for key, value in shown.items())
        print(f"  {group['name']}: {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
