"""What the command line does: check one draft, check a batch, list the rules."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..batch import BatchStream
from ..config import Config
from ..engine import check
from ..inputs import (
    InputError,
    InputProblem,
    NotUTF8Error,
    UTF16Error,
    decode_utf8,
    iter_csv,
    iter_jsonl,
    split_subject,
    utf16_hint,
)
from ..registry import ALL_RULES
from ..render import Places, github_annotations, markdown_report, text_report
from ..report import VERDICTS
from ..scoring import points
from .exits import EXIT_FAIL_ON, EXIT_MALFORMED, EXIT_NOT_UTF8, EXIT_OK, EXIT_UNREADABLE
from .streams import Streams


class Failure(Exception):
    """A reason to stop, with its exit code and one-line message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def read_input(name: str, streams: Streams) -> str:
    """The text of a file, or of stdin for '-'. Exits 3 when unreadable, 4 when not UTF-8."""
    if name == "-":
        data = streams.stdin.read()
        label = "standard input"
    else:
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            reason = error.strerror or error.__class__.__name__
            raise Failure(EXIT_UNREADABLE, f"cannot read {name!r}: {reason}") from None
        label = repr(name)
    try:
        return decode_utf8(data, label)
    except (NotUTF8Error, UTF16Error) as error:
        raise Failure(EXIT_NOT_UTF8, str(error)) from None


def _reaches(verdict: str, fail_on: str | None) -> bool:
    return fail_on is not None and VERDICTS.index(verdict) >= VERDICTS.index(fail_on)


def _use_colour(choice: str, streams: Streams) -> bool:
    if choice != "auto":
        return choice == "always"
    return (
        streams.stdout_is_tty
        and not streams.env.get("NO_COLOR")
        and streams.env.get("TERM") != "dumb"
    )


def check_files(args: argparse.Namespace, config: Config, streams: Streams) -> int:
    """Check each draft file (or standard input); the worst outcome sets the exit code."""
    names = args.files or ["-"]
    codes = [check_one(args, config, streams, name, len(names) > 1) for name in names]
    return max(codes)


def check_one(
    args: argparse.Namespace, config: Config, streams: Streams, name: str, several: bool
) -> int:
    if name == "-" and streams.stdin_is_tty:
        streams.error("reading a draft from standard input (end it with Ctrl-D)")
    draft = split_subject(read_input(name, streams))
    subject = args.subject if args.subject is not None else draft.subject
    report = check(draft.body, subject, config, context=args.context)
    places = Places(
        subject_line=args.subject is None and draft.has_subject_line,
        subject_column=draft.subject_column,
        body_line=draft.body_line,
    )
    label = "stdin" if name == "-" else name
    if args.format == "json":
        streams.json_line({"file": label, **report.to_dict()} if several else report.to_dict())
    elif args.format == "github":
        streams.text(github_annotations(report, draft.body, subject, places, label))
    elif args.format == "markdown":
        if several:
            streams.text(f"## {label}\n\n")
        streams.text(markdown_report(report, draft.body, subject))
    else:
        if several:
            streams.text(f"==> {label} <==\n")
        colour = _use_colour(args.color, streams)
        width = shutil.get_terminal_size((88, 24)).columns if streams.stdout_is_tty else 88
        streams.text(
            text_report(
                report, draft.body, subject, places, colour, max(width, 40), suggest=args.suggest
            )
        )
    return EXIT_FAIL_ON if _reaches(report.verdict, args.fail_on) else EXIT_OK


def _binary_input(name: str, streams: Streams) -> IO[bytes]:
    if name == "-":
        return streams.stdin
    try:
        return open(name, "rb")
    except OSError as error:
        reason = error.strerror or error.__class__.__name__
        raise Failure(EXIT_UNREADABLE, f"cannot read {name!r}: {reason}") from None


def _decoded_lines(source: IO[bytes], label: str) -> Iterator[str]:
    """The input's lines (split on \\n only), decoded with ``surrogateescape`` so that a line
    that is not UTF-8 is reported on its own; a UTF-16 input stops everything, with a hint."""
    first = True
    for raw in source:
        if first:
            first = False
            hint = utf16_hint(raw)
            if hint is not None:
                raise Failure(EXIT_NOT_UTF8, f"{label} is not UTF-8 but {hint}")
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        yield raw.removesuffix(b"\n").decode("utf-8", "surrogateescape")


def check_many(args: argparse.Namespace, config: Config, streams: Streams) -> int:
    """Check a batch as it is read: one JSON line per draft as soon as it is checked (flushed,
    so Ctrl-C or a reader that stops early keeps every line done), each unreadable line or row
    reported on stderr and skipped, then one summary record with the template groups."""
    name = args.jsonl if args.jsonl is not None else args.csv
    label = "standard input" if name == "-" else name
    source = _binary_input(name, streams)
    try:
        lines = _decoded_lines(source, label)
        try:
            items = (
                iter_jsonl(lines) if args.jsonl is not None else iter_csv(lines_with_ends(lines))
            )
        except InputError as error:
            raise Failure(EXIT_MALFORMED, f"{label}: {error}") from None
        stream = BatchStream(config)
        failed = False
        problems = 0
        for item in items:
            if isinstance(item, InputProblem):
                problems += 1
                streams.error(f"{label}: {item}")
                continue
            result = stream.check(item.id, item.subject, item.body, item.context)
            streams.json_line(result.to_dict())
            streams.flush()
            failed = failed or _reaches(result.report.verdict, args.fail_on)
    finally:
        if source is not streams.stdin:
            source.close()
    summary = stream.summary(problems)
    streams.json_line(summary.to_dict())
    for template in summary.templates:
        failed = failed or any(_reaches(d["verdict"], args.fail_on) for d in template["drafts"])
    if problems:
        streams.error(
            f"{label}: {problems} malformed line(s) skipped, {summary.checked} draft(s) checked"
        )
        return EXIT_MALFORMED
    return EXIT_FAIL_ON if failed else EXIT_OK


def lines_with_ends(lines: Iterable[str]) -> Iterator[str]:
    """Lines for the csv module, which wants each with its line break."""
    for line in lines:
        yield line + "\n"


def rule_listing(config: Config) -> list[dict[str, Any]]:
    """Every rule, as the JSON objects ``--rules --format json`` prints."""
    return [
        {
            "id": rule.id,
            "category": rule.category,
            "title": rule.title,
            "strength": rule.is_strength,
            "severity": None if rule.is_strength else rule.severity,
            "points": points(rule),
            "ceiling": rule.ceiling,
            "field": rule.field or "any",
            "scope": rule.scope,
            "enabled": config.enabled(rule.id),
        }
        for rule in sorted(ALL_RULES, key=lambda rule: rule.scope == "batch")
    ]


def list_rules(config: Config, output: str, streams: Streams) -> int:
    entries = rule_listing(config)
    if output == "json":
        streams.json_line(entries)
        return EXIT_OK
    id_width = max(len(entry["id"]) for entry in entries)
    lines = []
    for entry in entries:
        if entry["strength"]:
            worth = f"strength +{entry['points']}"
        else:
            worth = f"{entry['severity']:<6} -{entry['points']}"
        notes = []
        if entry["ceiling"]:
            notes.append(f"at best {entry['ceiling']}")
        if entry["scope"] == "batch":
            notes.append("batch only")
        if not entry["enabled"]:
            notes.append("off")
        note = f"  [{'; '.join(notes)}]" if notes else ""
        lines.append(f"{entry['id']:<{id_width}}  {worth:<12}  {entry['title']}{note}")
    streams.text("\n".join(lines) + "\n")
    return EXIT_OK
