"""Measure how fast the checker is, on one core.

    python scripts/bench_checker.py              # the table below
    python scripts/bench_checker.py --per-rule   # also: the slowest rules on the corpus, gates
    python scripts/bench_checker.py --stress     # also: bodies made to be hard, and their growth
    python scripts/bench_checker.py --stress-only --budget 60   # only that table
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


# Bodies built to be hard: the shapes of issue 9 (a run of "?" then "!", long runs of letters
# with no a-z, words of 40,000 letters, huge reports), and every alternative of a rule open,
# long overlapping matches (the "t.me/" link), single letters to join, stand-in digits, emoji,
# marks, merge fields, capitals, dotted letters, links. Each is (prefix, unit repeated, suffix).
STRESS: dict[str, tuple[str, str, str]] = {
    "? run then !": ("", "?", " !"),
    "marks mixed": ("", "!?!?!!?? ", ""),
    "cyrillic letters": ("", "а", ""),
    "chinese, no punctuation": ("", "你好", ""),
    "latin and cyrillic": ("", "aа", ""),
    "one long word": ("", "abcdefghij", ""),
    "one long number word": ("", "a1", "b"),
    "link overlaps": ("", "whatsapp@t.me/", ""),
    "single letters": ("", "a b c d e f g h ", ""),
    "stand-in digits": ("", "d3m0 fr33 m0n3y ", ""),
    "emoji": ("", "free 😀🔥 demo 👩🏽‍💻 ", ""),
    "emoji + selector": ("", "❤️", ""),
    "merge fields": ("", "Hi {first_name} [Company] %NAME% ", ""),
    "capitals": ("", "FREE MONEY NOW BUY ", ""),
    "dotted letters": ("", "d.e.m.o f-r-e-e ", ""),
    "links": ("", "https://bit.ly/x?utm_source=a www.example.com/pricing ", ""),
    "why? repeated": ("", "Why? ", ""),
}
STRESS_SIZES = (1_000, 10_000, 100_000)


def stress_body(shape: str, size: int) -> str:
    prefix, unit, suffix = STRESS[shape]
    return prefix + unit * max(1, (size - len(prefix) - len(suffix)) // len(unit)) + suffix


def stress_one(shape: str) -> None:
    """Print "size seconds" for each size of one shape, as each is done (a parent process reads
    them and stops this one when it runs out of time)."""
    check("warm up: é 😀 !!", "x")
    for size in STRESS_SIZES:
        body = stress_body(shape, size)
        runs = 3 if size <= 10_000 else 2
        seconds = median_time(lambda body=body: check(body, "A subject"), runs)
        print(size, seconds, flush=True)


def stress(budget: float) -> None:
    """Each shape in its own process, with ``budget`` seconds in all: a pattern in the cube of
    the length would otherwise take hours."""
    print(
        f"\nbodies made to be hard: ms per check at each size, and the growth from 10 KB to"
        f" 100 KB (linear: about 10, quadratic: 100); {budget:.0f} s at most per shape"
    )
    header = "  ".join(f"{size // 1000:>7} KB" for size in STRESS_SIZES)
    print(f"  {'shape':24s} {header}   growth")
    for shape in STRESS:
        process = subprocess.Popen(
            [sys.executable, __file__, "--stress-one", shape],
            stdout=subprocess.PIPE,
            text=True,
        )
        figures: dict[int, float] = {}
        try:
            out, _ = process.communicate(timeout=budget)
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate()
        for line in out.splitlines():
            size, seconds = line.split()
            figures[int(size)] = float(seconds)
        cells = [
            f"{figures[size] * 1e3:10,.1f}" if size in figures else f"{'> budget':>10}"
            for size in STRESS_SIZES
        ]
        if 10_000 in figures and 100_000 in figures:
            growth = f"x{figures[100_000] / figures[10_000]:.1f}"
        else:
            growth = "-"
        print(f"  {shape:24s} {'  '.join(cells)}   {growth}", flush=True)


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
    parser.add_argument("--stress", action="store_true", help="bodies made to be hard, growth")
    parser.add_argument("--stress-only", action="store_true", help="only the --stress table")
    parser.add_argument("--budget", type=float, default=60, help="seconds per --stress shape")
    parser.add_argument("--stress-one", metavar="SHAPE", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help="cProfile the corpus run")
    args = parser.parse_args()
    if args.stress_one:
        stress_one(args.stress_one)
        return 0
    if args.stress_only:
        stress(args.budget)
        return 0
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
        stress(args.budget)

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(run_corpus)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
