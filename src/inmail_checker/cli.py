"""``inmail-check``: check one InMail draft, or many, from the command line.

Exit codes (documented in docs/schema.md):

- 0: done, and no draft reached the ``--fail-on`` verdict
- 1: some draft is at or worse than the ``--fail-on`` verdict
- 2: usage error, bad configuration or unknown rule id
- 3: an input file is missing or cannot be read
- 4: an input is not valid UTF-8
- 5: some batch lines or rows (or the CSV header) were malformed; the rest were checked
- 130: interrupted (Ctrl-C); 141: output pipe closed early (``| head``)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn

from . import __version__
from .batch import TEMPLATE_RULE, BatchResult, check_batch
from .config import Config, ConfigError
from .drafts import (
    DraftFile,
    InputError,
    NotUTF8Error,
    decode_utf8,
    read_csv,
    read_jsonl,
    split_subject,
)
from .engine import check
from .registry import RULES
from .report import SEVERITIES, VERDICTS, Finding, Report, Span

PROG = "inmail-check"

EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_NOT_UTF8 = 4
EXIT_MALFORMED = 5
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class UsageError(Exception):
    """A mistake in the command line; reported in one line with exit code 2."""


class Failure(Exception):
    """A reason to stop, with its exit code and one-line message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Check a LinkedIn InMail draft for pitch, bulk, follow-up, scam and form "
        "problems, and score it 0-100. A first line 'Subject: ...' is the subject.",
        epilog="Exit codes: 0 ok, 1 --fail-on reached, 2 usage or config error, 3 input "
        "unreadable, 4 input not UTF-8, 5 malformed batch lines. Report shape: docs/schema.md.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "file", nargs="?", metavar="FILE", help="a draft to check ('-' or nothing: stdin)"
    )
    source.add_argument(
        "--jsonl", metavar="FILE", help="check many drafts: JSON Lines with id, subject, body"
    )
    source.add_argument(
        "--csv", metavar="FILE", help="check many drafts: CSV with columns id, subject, body"
    )
    source.add_argument("--rules", action="store_true", help="list every rule and exit")
    parser.add_argument("--subject", metavar="TEXT", help="the subject (overrides a Subject: line)")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        help="output for one draft or --rules (default text); batches always print JSON Lines",
    )
    parser.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="ID[,ID...]",
        help="switch rules off by id or id prefix (repeatable), e.g. pitch or form.emoji",
    )
    config = parser.add_mutually_exclusive_group()
    config.add_argument(
        "--config",
        metavar="PATH",
        help="read [tool.inmail-check] from this file (default: the nearest pyproject.toml)",
    )
    config.add_argument("--no-config", action="store_true", help="ignore pyproject.toml files")
    parser.add_argument(
        "--fail-on",
        choices=VERDICTS[1:],
        help="exit with 1 when any draft's verdict is this or worse",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output (auto: on a terminal, unless NO_COLOR is set)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


@dataclass
class Streams:
    """Where the CLI reads and writes; tests pass in-memory streams."""

    stdin: IO[bytes]
    stdout: IO[bytes]
    stderr: IO[str]
    stdout_encoding: str = "utf-8"
    stdout_is_tty: bool = False
    stdin_is_tty: bool = False
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def system(cls) -> Streams:
        return cls(
            stdin=sys.stdin.buffer,
            stdout=sys.stdout.buffer,
            stderr=sys.stderr,
            stdout_encoding=sys.stdout.encoding or "utf-8",
            stdout_is_tty=sys.stdout.isatty(),
            stdin_is_tty=sys.stdin.isatty(),
            env=os.environ,
        )

    def text(self, text: str) -> None:
        """Human-readable output, in the terminal's encoding; what it cannot show becomes '?'."""
        self.stdout.write(text.encode(self.stdout_encoding, "replace"))

    def json_line(self, data: Any) -> None:
        """One JSON document on one line, always UTF-8. A lone surrogate (which UTF-8 cannot
        hold) becomes the JSON escape ``\\udXXX``, which parses back to the same string."""
        line = json.dumps(data, ensure_ascii=False) + "\n"
        self.stdout.write(line.encode("utf-8", "backslashreplace"))

    def error(self, message: str) -> None:
        self.stderr.write(f"{PROG}: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """The console script. Returns the exit code; never shows a traceback for bad input."""
    streams = Streams.system()
    try:
        code = run(argv, streams)
        streams.stdout.flush()
        return code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing, and keep Python from complaining
        # about the unflushed output when it exits.
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run(argv: Sequence[str] | None, streams: Streams) -> int:
    """Parse ``argv`` and do the work; errors become one line on stderr and an exit code."""
    try:
        args = _parser().parse_args(argv)
        return _dispatch(args, streams)
    except UsageError as error:
        streams.error(f"error: {error} (see {PROG} --help)")
        return EXIT_USAGE
    except ConfigError as error:
        streams.error(f"error: {error}")
        return EXIT_USAGE
    except Failure as failure:
        streams.error(f"error: {failure}")
        return failure.code


def _dispatch(args: argparse.Namespace, streams: Streams) -> int:
    batch = args.jsonl is not None or args.csv is not None
    if batch and args.subject is not None:
        raise UsageError("--subject applies to one draft, not to --jsonl or --csv")
    if batch and args.format == "text":
        raise UsageError("batch output is always JSON Lines; leave out --format text")
    if args.rules and (args.subject is not None or args.fail_on):
        raise UsageError("--rules takes no --subject or --fail-on")
    config = _config(args, streams.cwd)
    if args.rules:
        return _list_rules(config, args.format or "text", streams)
    if batch:
        return _check_batch(args, config, streams)
    return _check_one(args, config, streams)


def _config(args: argparse.Namespace, cwd: Path) -> Config:
    if args.no_config:
        base = Config()
    elif args.config is not None:
        path = Path(args.config)
        if not path.is_file():
            raise ConfigError(f"{path}: no such config file")
        base = Config.from_pyproject(path)
    else:
        base, _ = Config.discover(cwd)
    selectors = [part for value in args.disable for part in value.split(",")]
    return base.merged(Config.of(selectors))


def _read(name: str, streams: Streams) -> str:
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
    except NotUTF8Error as error:
        raise Failure(EXIT_NOT_UTF8, str(error)) from None


def _reaches(verdict: str, fail_on: str | None) -> bool:
    return fail_on is not None and VERDICTS.index(verdict) >= VERDICTS.index(fail_on)


# --- One draft ---------------------------------------------------------------------------


def _check_one(args: argparse.Namespace, config: Config, streams: Streams) -> int:
    name = args.file if args.file is not None else "-"
    if name == "-" and streams.stdin_is_tty:
        streams.error("reading a draft from standard input (end it with Ctrl-D)")
    draft = split_subject(_read(name, streams))
    subject = args.subject if args.subject is not None else draft.subject
    report = check(draft.body, subject, config)
    if args.format == "json":
        streams.json_line(report.to_dict())
    else:
        colour = _use_colour(args.color, streams)
        width = shutil.get_terminal_size((88, 24)).columns if streams.stdout_is_tty else 88
        place = _Places(draft, subject_from_file=args.subject is None)
        streams.text(render_report(report, draft.body, subject, place, colour, max(width, 40)))
    return EXIT_FAIL_ON if _reaches(report.verdict, args.fail_on) else EXIT_OK


def _use_colour(choice: str, streams: Streams) -> bool:
    if choice != "auto":
        return choice == "always"
    return (
        streams.stdout_is_tty
        and not streams.env.get("NO_COLOR")
        and streams.env.get("TERM") != "dumb"
    )


@dataclass(frozen=True)
class _Places:
    """Turns a span into "line L, col C" of the file the user gave (1-based, code points)."""

    draft: DraftFile
    subject_from_file: bool

    def describe(self, field_name: str, text: str, span: Span | None) -> str:
        if field_name == "subject":
            if span is None:
                return "subject"
            if self.subject_from_file and self.draft.has_subject_line:
                return f"line 1, col {self.draft.subject_column + span.start + 1}"
            return f"subject, col {span.start + 1}"
        if span is None:
            return "body"
        line = text.count("\n", 0, span.start)
        column = span.start - (text.rfind("\n", 0, span.start) + 1)
        return f"line {self.draft.body_line + line + 1}, col {column + 1}"


_SEVERITY_COLOUR = {"high": "31", "medium": "33", "low": "36"}
_VERDICT_COLOUR = {"looks-genuine": "32", "needs-work": "33", "likely-spam": "31"}
_BIDI_AND_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def printable(text: str) -> str:
    """User text made safe to print on a terminal: control characters, bidi overrides and lone
    surrogates are shown as <U+XXXX> instead of acting on the terminal. Line breaks and tabs
    stay; a CR before a line feed is dropped."""
    if text.isascii() and text.isprintable():
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        if char in "\n\t":
            out.append(char)
        elif char == "\r" and text[index + 1 : index + 2] == "\n":
            continue
        elif char in _BIDI_AND_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            out.append(f"<U+{ord(char):04X}>")
        else:
            out.append(char)
    return "".join(out)


def _style(text: str, code: str, colour: bool) -> str:
    if not colour or not text:
        return text
    # Styles end at each line break so a marked span never colours the rest of the terminal.
    return "\n".join(f"\x1b[{code}m{line}\x1b[0m" if line else line for line in text.split("\n"))


def mark(text: str, findings: Iterable[Finding], colour: bool) -> str:
    """``text`` with every finding's span wrapped in ``[[...]]`` (and underlined in colour).
    Overlapping spans merge into one marking, coloured by the most severe finding."""
    spans: list[tuple[int, int, int]] = sorted(
        (f.span.start, f.span.end, SEVERITIES.index(f.severity))
        for f in findings
        if f.span is not None and f.span.end > f.span.start
    )
    merged: list[list[int]] = []
    for start, end, rank in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = max(merged[-1][2], rank)
        else:
            merged.append([start, end, rank])
    pieces: list[str] = []
    position = 0
    for start, end, rank in merged:
        pieces.append(printable(text[position:start]))
        code = "4;" + _SEVERITY_COLOUR[SEVERITIES[rank]]
        pieces.append(_style("[[" + printable(text[start:end]) + "]]", code, colour))
        position = end
    pieces.append(printable(text[position:]))
    return "".join(pieces)


def render_report(
    report: Report,
    body: str,
    subject: str,
    places: _Places,
    colour: bool = False,
    width: int = 88,
) -> str:
    """The human-readable report: the marked draft, findings, strengths, score and verdict."""

    def heading(text: str) -> str:
        return _style(text, "1", colour)

    def wrapped(label: str, text: str) -> list[str]:
        return textwrap.wrap(
            printable(text),
            width=width,
            initial_indent=" " * 4 + label,
            subsequent_indent=" " * (4 + len(label)),
        ) or [" " * 4 + label]

    fields = {"subject": subject, "body": body}
    lines: list[str] = []
    by_field = {name: [f for f in report.findings if f.field == name] for name in fields}
    lines.append("Subject: " + mark(subject, by_field["subject"], colour))
    lines.append("")
    lines.append(mark(body, by_field["body"], colour).rstrip("\n"))
    lines.append("")
    lines.append(heading(f"Findings ({len(report.findings)})"))
    if not report.findings:
        lines.append("    none")
    for finding in report.findings:
        where = places.describe(finding.field, fields[finding.field], finding.span)
        severity = _style(f"{finding.severity:<6}", _SEVERITY_COLOUR[finding.severity], colour)
        lines.append(f"  {severity}  {finding.rule}  ({where})")
        lines.extend(wrapped("", finding.message))
        lines.extend(wrapped("Why: ", finding.rationale))
        lines.extend(wrapped("Fix: ", finding.fix))
    lines.append("")
    lines.append(heading(f"Strengths ({len(report.strengths)})"))
    if not report.strengths:
        lines.append("    none")
    for strength in report.strengths:
        where = places.describe(strength.field, fields[strength.field], strength.span)
        lines.append(f"  +{strength.bonus:<5}  {strength.rule}  ({where})")
        lines.extend(wrapped("", strength.message))
    lines.append("")
    verdict = _style(report.verdict, "1;" + _VERDICT_COLOUR[report.verdict], colour)
    penalties = ", ".join(f"{name} -{points}" for name, points in report.penalties.items())
    detail = f" (penalties: {penalties}; bonus +{report.bonus})" if penalties else ""
    if not penalties and report.bonus:
        detail = f" (bonus +{report.bonus})"
    lines.append(f"Score: {report.score}/100{detail}")
    lines.append(f"Verdict: {verdict}")
    return "\n".join(lines) + "\n"


# --- Many drafts -------------------------------------------------------------------------


def _check_batch(args: argparse.Namespace, config: Config, streams: Streams) -> int:
    name = args.jsonl if args.jsonl is not None else args.csv
    text = _read(name, streams)
    label = "standard input" if name == "-" else name
    try:
        batch = read_jsonl(text) if args.jsonl is not None else read_csv(text)
    except InputError as error:
        raise Failure(EXIT_MALFORMED, f"{label}: {error}") from None
    for problem in batch.problems:
        streams.error(f"{label}: {problem}")
    results: list[BatchResult] = check_batch(
        [(draft.id, draft.subject, draft.body) for draft in batch.drafts], config
    )
    failed = False
    for result in results:
        streams.json_line(result.to_dict())
        failed = failed or _reaches(result.report.verdict, args.fail_on)
    if batch.problems:
        streams.error(
            f"{label}: {len(batch.problems)} malformed line(s) skipped, "
            f"{len(results)} draft(s) checked"
        )
        return EXIT_MALFORMED
    return EXIT_FAIL_ON if failed else EXIT_OK


# --- Rules -------------------------------------------------------------------------------


def rule_listing(config: Config) -> list[dict[str, Any]]:
    """Every rule, the batch-level one last, as the JSON objects ``--rules --format json``
    prints."""
    entries = []
    for rule, scope in [*((rule, "draft") for rule in RULES), (TEMPLATE_RULE, "batch")]:
        entries.append(
            {
                "id": rule.id,
                "category": rule.category,
                "title": rule.title,
                "strength": rule.is_strength,
                "severity": None if rule.is_strength else rule.severity,
                "weight": None if rule.is_strength else rule.weight,
                "bonus": rule.bonus if rule.is_strength else None,
                "ceiling": rule.ceiling,
                "field": rule.field or "any",
                "scope": scope,
                "enabled": config.enabled(rule.id),
            }
        )
    return entries


def _list_rules(config: Config, output: str, streams: Streams) -> int:
    entries = rule_listing(config)
    if output == "json":
        streams.json_line(entries)
        return EXIT_OK
    id_width = max(len(entry["id"]) for entry in entries)
    lines = []
    for entry in entries:
        if entry["strength"]:
            points = f"bonus +{entry['bonus']}"
        else:
            points = f"{entry['severity']:<6} -{entry['weight']}"
        notes = []
        if entry["ceiling"]:
            notes.append(f"at best {entry['ceiling']}")
        if entry["scope"] == "batch":
            notes.append("batch only")
        if not entry["enabled"]:
            notes.append("off")
        note = f"  [{'; '.join(notes)}]" if notes else ""
        lines.append(f"{entry['id']:<{id_width}}  {points:<10}  {entry['title']}{note}")
    streams.text("\n".join(lines) + "\n")
    return EXIT_OK
