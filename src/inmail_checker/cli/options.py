"""The command line's options."""

from __future__ import annotations

import argparse
from typing import NoReturn

from .. import __version__
from ..report import AUDIENCES, STAGES, VERDICTS, Context
from . import exits
from .streams import PROG


class UsageError(Exception):
    """A mistake in the command line; reported in one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _context(value: str) -> Context:
    """``--context reply,answered,many`` → a Context; each word sets one of its fields."""
    stage, answered, audience = "first", False, "one"
    for word in (part.strip() for part in value.split(",")):
        if word in STAGES:
            stage = word
        elif word in AUDIENCES:
            audience = word
        elif word == "answered":
            answered = True
        elif word:
            choices = ", ".join([*STAGES, "answered", *AUDIENCES])
            raise argparse.ArgumentTypeError(f"unknown context {word!r} (choose from {choices})")
    return Context(stage, answered, audience)  # type: ignore[arg-type]


def parser() -> argparse.ArgumentParser:
    result = _Parser(
        prog=PROG,
        description="Check a LinkedIn InMail draft for pitch, bulk, follow-up, scam and form "
        "problems, and score it 0-100. A first line 'Subject: ...' is the subject.",
        epilog=f"{exits.summary()} Report shape: docs/schema.md.",
    )
    result.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="drafts or templates to check ('-' or nothing: stdin)",
    )
    source = result.add_mutually_exclusive_group()
    source.add_argument(
        "--jsonl", metavar="FILE", help="check many drafts: JSON Lines with id, subject, body"
    )
    source.add_argument(
        "--csv", metavar="FILE", help="check many drafts: CSV with columns id, subject, body"
    )
    source.add_argument("--rules", action="store_true", help="list every rule and exit")
    result.add_argument("--subject", metavar="TEXT", help="the subject (overrides a Subject: line)")
    result.add_argument(
        "--format",
        choices=("text", "json", "markdown", "github"),
        help="output for drafts (default text; markdown for a ticket or a chat; github: "
        "workflow annotations) or --rules (text or json); batches always print JSON Lines",
    )
    result.add_argument(
        "--context",
        type=_context,
        default=Context(),
        metavar="WHAT[,WHAT...]",
        help="what the text cannot show: first (default), reply or follow-up; answered (they "
        "have answered you before); one (default), few or many (people who get this text)",
    )
    result.add_argument(
        "--suggest", action="store_true", help="print suggested rewrites where a fix is mechanical"
    )
    result.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="ID[,ID...]",
        help="switch rules off by id or id prefix (repeatable), e.g. pitch or form.emoji",
    )
    result.add_argument(
        "--placeholder",
        action="append",
        default=[],
        metavar="TEXT",
        help="a merge field your templates may hold, e.g. {first_name} (repeatable; also "
        "'placeholders' in [tool.inmail-check]): not reported as left over",
    )
    config = result.add_mutually_exclusive_group()
    config.add_argument(
        "--config",
        metavar="PATH",
        help="read [tool.inmail-check] from this file (default: the nearest pyproject.toml)",
    )
    config.add_argument("--no-config", action="store_true", help="ignore pyproject.toml files")
    result.add_argument(
        "--fail-on",
        choices=VERDICTS[1:],
        help="exit with 1 when any draft's verdict is this or worse",
    )
    result.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output (auto: on a terminal, unless NO_COLOR is set)",
    )
    result.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return result
