"""``inmail-check``: check one InMail draft, or many, from the command line.

Exit codes: :data:`inmail_checker.cli.exits.EXITS` (also on the report schema page).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..config import Config, ConfigError
from . import commands
from .commands import Failure
from .exits import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_UNWRITABLE, EXIT_USAGE
from .options import UsageError, parser
from .streams import PROG, OutputError, Streams

__all__ = ["Streams", "main", "run"]


def main(argv: Sequence[str] | None = None) -> int:
    """The console script. Returns the exit code; never shows a traceback for bad input."""
    streams = Streams.system()
    try:
        code = run(argv, streams)
        streams.flush()
        return code
    except KeyboardInterrupt:
        # Every result already written is a whole line: let it out.
        try:
            streams.flush()
        except (OSError, OutputError):
            _silence_stdout()
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing, and keep Python from complaining
        # about the unflushed output when it exits.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OutputError as error:
        # Writing failed (`> /dev/full`): one line, its own exit code, no traceback, and no
        # second complaint from Python about the output it could not flush.
        _silence_stdout()
        streams.error(f"error: cannot write the output: {error}")
        return EXIT_UNWRITABLE


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run(argv: Sequence[str] | None, streams: Streams) -> int:
    """Parse ``argv`` and do the work; errors become one line on stderr and an exit code."""
    try:
        args = parser().parse_args(argv)
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
    if args.rules and (args.subject is not None or args.fail_on or args.files):
        raise UsageError("--rules takes no FILE, --subject or --fail-on")
    if batch and args.files:
        raise UsageError("give drafts as FILE or with --jsonl/--csv, not both")
    if len(args.files) > 1 and args.subject is not None:
        raise UsageError("--subject applies to one draft, not to several files")
    if args.format == "github" and (batch or args.rules):
        raise UsageError("--format github is for draft files")
    config = _config(args, streams.cwd)
    if args.rules:
        return commands.list_rules(config, args.format or "text", streams)
    if batch:
        return commands.check_many(args, config, streams)
    return commands.check_files(args, config, streams)


def _config(args: argparse.Namespace, cwd: Path) -> Config:
    if args.no_config:
        base = Config()
    elif args.config is not None:
        path = Path(args.config)
        if path.is_dir():
            raise ConfigError(
                f"{path}: --config takes a file (a pyproject.toml), not a folder;"
                f" try --config {path / 'pyproject.toml'}"
            )
        if not path.is_file():
            raise ConfigError(f"{path}: no such config file")
        base = Config.from_pyproject(path)
    else:
        base, _ = Config.discover(cwd)
    selectors = [part for value in args.disable for part in value.split(",")]
    return base.merged(Config.of(selectors, args.placeholder))
