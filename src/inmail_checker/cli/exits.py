"""The exit codes of ``inmail-check``: one table, read by the CLI's help, its code and the docs."""

from __future__ import annotations

from typing import NamedTuple


class Exit(NamedTuple):
    code: int
    name: str
    meaning: str


EXITS: tuple[Exit, ...] = (
    Exit(0, "ok", "Done. With --fail-on, no draft reached that verdict."),
    Exit(1, "fail-on", "At least one draft is at the --fail-on verdict or worse."),
    Exit(2, "usage", "Usage error, bad configuration or unknown rule id."),
    Exit(3, "unreadable", "An input file is missing or cannot be read."),
    Exit(
        4,
        "not-utf8",
        "An input is not valid UTF-8. The message gives the byte offset, line and column of the "
        "first bad byte, or says that the input is UTF-16 and how to convert it. In a batch, a "
        "line or row that is not UTF-8 is only skipped (code 5).",
    ),
    Exit(
        5,
        "malformed",
        "Some batch lines or rows were malformed (each is reported on standard error with its "
        "line or row number; the rest were checked), or the CSV header lacks a required column. "
        "Takes precedence over 1.",
    ),
    Exit(
        6,
        "unwritable",
        "The output could not be written (a full disk, say): one line on standard error says "
        "why. Takes precedence over every code above.",
    ),
    Exit(
        130,
        "interrupted",
        "Interrupted with Ctrl-C. In a batch, every line already printed is a whole result.",
    ),
    Exit(141, "broken-pipe", "The output pipe closed early (| head). Nothing is printed."),
)

_BY_NAME = {exit.name: exit.code for exit in EXITS}
EXIT_OK = _BY_NAME["ok"]
EXIT_FAIL_ON = _BY_NAME["fail-on"]
EXIT_USAGE = _BY_NAME["usage"]
EXIT_UNREADABLE = _BY_NAME["unreadable"]
EXIT_NOT_UTF8 = _BY_NAME["not-utf8"]
EXIT_MALFORMED = _BY_NAME["malformed"]
EXIT_UNWRITABLE = _BY_NAME["unwritable"]
EXIT_INTERRUPTED = _BY_NAME["interrupted"]
EXIT_BROKEN_PIPE = _BY_NAME["broken-pipe"]


def summary() -> str:
    """One line for ``--help``: "Exit codes: 0 ok, 1 ...", from the table."""
    return "Exit codes: " + ", ".join(f"{e.code} {e.name}" for e in EXITS) + "."
