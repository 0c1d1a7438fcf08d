"""Show how the checker does on the labelled corpora.

    python scripts/corpus_report.py              # the figures, then every disagreement
    python scripts/corpus_report.py --all        # every message
    python scripts/corpus_report.py --rule pitch.book-a-call   # messages where a rule fires
    python scripts/corpus_report.py --cv         # also cross-validate afresh (slower)

The cross-validated figures (AUC, spam flagged, genuine called looks genuine, genuine called
likely spam; per corpus, by origin and by category) are the ones scripts/fit.py wrote into the
model file; --cv computes them again from the corpora. The rest scores every message with the
shipped checker: the hand-written drafts against their verdicts, the field messages (subject
rules off where the subject is unknown) against spam or genuine.
"""

from __future__ import annotations

import argparse
from collections import Counter

from inmail_checker import Config, check
from inmail_checker.scoring import MODEL
from inmail_lab import fit
from inmail_lab.corpus import FIELD, VERDICTS, load_all


def _figures(groups: list[dict[str, object]]) -> None:
    widths = (6, 13, 11, 13)
    head = ("AUC", "spam flagged", "genuine ok", "genuine spam")
    print(
        f"{'group':42} {'n':>5} " + " ".join(f"{h:>{w}}" for h, w in zip(head, widths, strict=True))
    )
    for group in groups:
        cells = []
        for key, width in zip(
            ("auc", "spam_flagged", "genuine_genuine", "genuine_spam"), widths, strict=True
        ):
            value = group.get(key)
            cells.append(f"{'–' if value is None else f'{value:.3f}':>{width}}")
        print(f"{group['name']:42} {group['messages']:>5} " + " ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print every message, not only misses")
    parser.add_argument("--rule", help="print the messages on which this rule fires")
    parser.add_argument("--cv", action="store_true", help="cross-validate afresh")
    args = parser.parse_args()
    messages = load_all()
    print("Cross-validated (each message scored by a model fitted without it):")
    if args.cv:
        items = fit.examples(messages)
        scores = fit.cross_scores(items)
        cuts = fit.choose_cuts(scores, items)
        _figures(fit.groups(scores, fit.levels(scores, cuts, items), items))
    else:
        _figures(MODEL.data["fit"]["groups"])
    print()
    confusion: Counter[tuple[str, str]] = Counter()
    missing_rules = 0
    unknown_subject = Config.of(["subject"])
    for message in messages:
        config = None if fit.subject_known(message) else unknown_subject
        report = check(message.body, message.subject or "", config)
        fired = [finding.rule for finding in report.findings]
        if message.verdict is not None:
            want = message.verdict
            agrees = report.verdict == want
            confusion[(want, report.verdict)] += 1
        else:
            want = "spam" if message.spam else "genuine"
            agrees = (report.verdict != "looks-genuine") == message.spam
        missing = sorted(set(message.rules) - set(fired))
        missing_rules += bool(missing)
        show = args.all or not agrees or missing
        if args.rule:
            show = args.rule in fired or args.rule in [s.rule for s in report.strengths]
        if show:
            mark = "ok " if agrees else "BAD"
            print(f"{mark} {message.id:28} want {want:13} got {report.verdict:13} {report.score:3}")
            print(f"     fired: {', '.join(fired) or '-'}")
            print(f"     strengths: {', '.join(s.rule for s in report.strengths) or '-'}")
            if missing:
                print(f"     MISSING: {', '.join(missing)}")
    hand = sum(1 for m in messages if m.corpus != FIELD)
    agree = sum(n for (want, got), n in confusion.items() if want == got)
    share = agree / max(hand, 1)
    print(f"\nHand-written drafts, shipped checker: {agree}/{hand} agree ({share:.1%}); ", end="")
    print(f"{missing_rules} messages miss an expected rule")
    print("want \\ got".ljust(16) + "".join(v.ljust(15) for v in VERDICTS))
    for want in VERDICTS:
        print(want.ljust(16) + "".join(str(confusion[(want, got)]).ljust(15) for got in VERDICTS))


if __name__ == "__main__":
    main()
