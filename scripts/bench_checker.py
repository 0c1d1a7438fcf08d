"""Measure how fast the checker is, on one core.

    python scripts/bench_checker.py              # the table below
    python scripts/bench_checker.py --per-rule   # also: the slowest rules on the corpus, gates
    python scripts/bench_checker.py --stress     # also: ms/KB on bodies made to be hard
    python scripts/bench_checker.py --profile    # also: cProfile's top functions on the corpus

Prints drafts per second over the labelled corpus (tests/corpus/*.toml, or a small built-in
sample when it is missing), the time of one 2,000-character draft, the time per KB of 10 KB,
100 KB and 1 MB bodies (equal figures mean linear growth), the time template detection takes
for 10,000 drafts, and the time ``import inmail_checker`` takes in a fresh interpreter. Every
figure is the median of several runs (time.perf_counter); on a busy machine, compare figures
taken in the same conditions. The goal from the issue is at least 2,000 drafts per second.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from inmail_checker import RULES, RuleSet, check  # noqa: E402
from inmail_checker.batch import find_template_groups  # noqa: E402
from inmail_checker.draft import Draft  # noqa: E402
from inmail_checker.phrases import compile_phrases  # noqa: E402
from inmail_checker.text import fold  # noqa: E402

GOAL = 2000
SAMPLE = [
    (
        "Your PyCon talk on back-pressure",
        "Hi Ana,\n\nI watched your talk on back-pressure in task queues and tried the "
        "token-bucket idea in our workers. How did you pick the bucket size for bursty "
        "producers? No worries if you're busy.\n\nThanks,\nRaj",
    ),
    (
        "Quick question",
        "Hi {first_name}, our platform helps teams like yours book 3x more meetings. "
        "Do you have 15 minutes this week for a quick demo? Guaranteed results!!!",
    ),
    (
        "Congratulations on the new role",
        "Hello Dr. Okafor, congratulations on joining the lab. I'm a second-year student "
        "working on protein folding and would love one pointer on your 2023 paper.",
    ),
]


def load_drafts() -> tuple[list[tuple[str, str]], str]:
    files = sorted((ROOT / "tests" / "corpus").glob("*.toml"))
    drafts = []
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        drafts += [(d.get("subject", ""), d.get("body", "")) for d in data.get("draft", [])]
    if drafts:
        return drafts, f"tests/corpus ({len(drafts)} drafts)"
    return SAMPLE, f"built-in sample ({len(SAMPLE)} drafts)"


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def body_of_size(drafts: list[tuple[str, str]], size: int) -> str:
    """Real draft text repeated up to ``size`` characters."""
    text = "\n\n".join(body for _, body in drafts)
    return (text * (size // max(len(text), 1) + 1))[:size]


def template_batch(drafts: list[tuple[str, str]], count: int) -> list[str]:
    """``count`` bodies: the corpus drafts with their names swapped, over and over."""
    rng = random.Random(1)
    names = ["Ana", "Ben", "Chloé", "Dev", "Eve", "Femi", "Gus", "Hana"]
    bodies = [body for _, body in drafts]
    return [
        bodies[n % len(bodies)].replace("Hi ", f"Hi {rng.choice(names)} ", 1) for n in range(count)
    ]


# Bodies built to be hard: every alternative of a rule open, long overlapping matches (the
# "t.me/" link), one long word, single letters to join, stand-in digits, emoji, marks, merge
# fields, capitals, dotted letters, links. Time per KB should not grow with the size.
STRESS = {
    "link overlaps": "whatsapp@t.me/",
    "one long word": "abcdefghij",
    "single letters": "a b c d e f g h ",
    "stand-in digits": "d3m0 fr33 m0n3y ",
    "emoji": "free 😀🔥 demo 👩🏽‍💻 ",
    "marks": "!?!?!!?? ",
    "merge fields": "Hi {first_name} [Company] %NAME% ",
    "capitals": "FREE MONEY NOW BUY ",
    "dotted letters": "d.e.m.o f-r-e-e ",
    "links": "https://bit.ly/x?utm_source=a www.example.com/pricing ",
}


def import_time(repeat: int) -> float:
    """Seconds ``import inmail_checker`` takes in a fresh interpreter (median)."""
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]); t = time.perf_counter(); "
        "import inmail_checker; print(time.perf_counter() - t)"
    )
    times = [
        float(subprocess.check_output([sys.executable, "-c", code, str(ROOT / "src")], text=True))
        for _ in range(repeat)
    ]
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (median)")
    parser.add_argument("--per-rule", action="store_true", help="time each rule on the corpus")
    parser.add_argument("--stress", action="store_true", help="ms/KB on bodies made to be hard")
    parser.add_argument("--profile", action="store_true", help="cProfile the corpus run")
    args = parser.parse_args()
    drafts, source = load_drafts()
    repeat = max(args.repeat, 1)

    def run_corpus() -> None:
        for subject, body in drafts:
            check(body, subject)

    run_corpus()  # warm up: compiled patterns, caches
    rows: list[tuple[str, str, str]] = []
    corpus_time = median_time(run_corpus, repeat)
    rate = len(drafts) / corpus_time
    rows.append(
        (
            f"corpus: {source}",
            f"{rate:,.0f} drafts/s",
            f"{corpus_time / len(drafts) * 1e3:.3f} ms/draft",
        )
    )
    ungated = RuleSet.compile(gated=False)
    slow = median_time(lambda: [check(b, s, rules=ungated) for s, b in drafts], repeat)
    rows.append(
        ("the same, every gate open", f"{len(drafts) / slow:,.0f} drafts/s", "RuleSet(gated=False)")
    )
    two_k = body_of_size(drafts, 2000)
    per_draft = median_time(lambda: check(two_k, "A subject"), repeat * 5)
    rows.append(
        ("one 2,000-character draft", f"{per_draft * 1e3:.2f} ms", f"{1 / per_draft:,.0f} drafts/s")
    )
    for label, size, runs in (
        ("10 KB", 10_000, repeat),
        ("100 KB", 100_000, 3),
        ("1 MB", 1_000_000, 3),
    ):
        body = body_of_size(drafts, size)
        seconds = median_time(lambda body=body: check(body, "A subject"), runs)
        rows.append(
            (
                f"{label} body",
                f"{seconds * 1e3:,.0f} ms",
                f"{seconds * 1e3 / (size / 1000):.2f} ms/KB",
            )
        )
    bodies = template_batch(drafts, 10_000)
    seconds = median_time(lambda: find_template_groups(bodies), 1)
    groups = find_template_groups(bodies)
    rows.append(
        (
            "template detection, 10,000 drafts",
            f"{seconds:.2f} s",
            f"{len(groups)} groups, {seconds / len(bodies) * 1e6:.0f} µs/draft",
        )
    )

    seconds = import_time(3)
    rows.append(("import inmail_checker", f"{seconds * 1e3:.0f} ms", "fresh interpreter, 3 runs"))

    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    print(f"Python {sys.version.split()[0]}, one core; median of {repeat} runs unless noted")
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    verdict = "meets" if rate >= GOAL else "misses"
    print(f"goal: >= {GOAL:,} drafts/s on the corpus: {verdict} it ({rate:,.0f})")

    if args.per_rule:
        folded = [Draft(subject=fold(s), body=fold(b)) for s, b in drafts]
        gate_time = median_time(
            lambda: [(d.keys("subject"), d.keys("body")) for d in map(Draft.of, bodies)], 1
        )
        timings = []
        for rule in RULES:
            alone = RuleSet.compile([rule])
            seconds = median_time(lambda alone=alone: [alone.run(d) for d in folded], 3)
            timings.append((seconds / len(drafts) * 1e6, rule.id))
        fold_time = median_time(lambda: [(fold(s), fold(b)) for s, b in drafts], 3)
        matchers = [
            (compile_phrases(rule.matcher.phrases, rule.matcher.patterns), rule.fields)
            for rule in RULES
            if rule.kind != "custom"
        ]
        alternatives = sum(len(m.alternatives) * len(fields) for m, fields in matchers)
        opened = sum(
            bin(m.open_mask(d.keys(name))).count("1")
            for d in folded
            for m, fields in matchers
            for name in fields
        )
        print(f"\nfolding both fields: {fold_time / len(drafts) * 1e6:.0f} µs/draft")
        print(
            f"gates (the words of a body, found): {gate_time / len(bodies) * 1e6:.0f}"
            f" µs/draft; alternatives run: {opened / len(drafts):.1f} of {alternatives} per draft"
        )
        print("slowest rules (µs per draft):")
        for micro, rule_id in sorted(timings, reverse=True)[:12]:
            print(f"  {micro:8.1f}  {rule_id}")
        print(f"  {sum(t for t, _ in timings):8.1f}  all {len(RULES)} rules")

    if args.stress:
        print("\nbodies made to be hard (ms/KB; equal figures mean linear growth):")
        for label, unit in STRESS.items():
            figures = []
            for size in (100_000, 1_000_000):
                body = (unit * (size // len(unit) + 1))[:size]
                seconds = median_time(lambda body=body: check(body, "A subject"), 1)
                figures.append(f"{seconds * 1e3 / (size / 1000):6.2f}")
            print(f"  {label:16s} 100 KB {figures[0]}   1 MB {figures[1]}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(run_corpus)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
