"""Show how the checker does on the labelled corpus: agreement, confusion, and each miss.

python scripts/corpus_report.py            # summary and every disagreement
python scripts/corpus_report.py --all      # every draft
python scripts/corpus_report.py --rule pitch.book-a-call   # drafts where a rule fires
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inmail_checker import check
from inmail_lab.corpus import VERDICTS
from inmail_lab.corpus import load_handwritten as load_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print every draft, not only misses")
    parser.add_argument("--rule", help="print the drafts on which this rule fires")
    args = parser.parse_args()
    corpus = load_corpus()
    confusion: Counter[tuple[str, str]] = Counter()
    missing_rules = 0
    for draft in corpus:
        report = check(draft.body, draft.subject)
        fired = [finding.rule for finding in report.findings]
        missing = sorted(set(draft.rules) - set(fired))
        missing_rules += bool(missing)
        confusion[(draft.verdict, report.verdict)] += 1
        show = args.all or report.verdict != draft.verdict or missing
        if args.rule:
            show = args.rule in fired or args.rule in [s.rule for s in report.strengths]
        if show:
            mark = "ok " if report.verdict == draft.verdict else "BAD"
            verdicts = f"want {draft.verdict:13} got {report.verdict:13}"
            print(f"{mark} {draft.id:28} {verdicts} {report.score:3}")
            print(f"     fired: {', '.join(fired) or '-'}")
            print(f"     strengths: {', '.join(s.rule for s in report.strengths) or '-'}")
            if missing:
                print(f"     MISSING: {', '.join(missing)}")
    agree = sum(n for (want, got), n in confusion.items() if want == got)
    print(
        f"\n{agree}/{len(corpus)} agree ({agree / max(len(corpus), 1):.1%}); "
        f"{missing_rules} drafts miss an expected rule"
    )
    print("want \\ got".ljust(16) + "".join(v.ljust(15) for v in VERDICTS))
    for want in VERDICTS:
        print(want.ljust(16) + "".join(str(confusion[(want, got)]).ljust(15) for got in VERDICTS))


if __name__ == "__main__":
    main()
