"""Where the CLI reads and writes; tests pass in-memory streams."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

PROG = "inmail-check"


class OutputError(Exception):
    """Standard output could not be written (other than a closed pipe): says why."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or error.__class__.__name__)


@dataclass
class Streams:
    """Standard input and output, the environment and the working folder."""

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
        self.write(text.encode(self.stdout_encoding, "replace"))

    def json_line(self, data: Any) -> None:
        """One JSON document on one line, always UTF-8. A lone surrogate (which UTF-8 cannot
        hold) becomes the JSON escape ``\\udXXX``, which parses back to the same string."""
        line = json.dumps(data, ensure_ascii=False) + "\n"
        self.write(line.encode("utf-8", "backslashreplace"))

    def write(self, data: bytes) -> None:
        """Write to standard output; a failure other than a closed pipe is an OutputError."""
        try:
            self.stdout.write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error) from None

    def flush(self) -> None:
        try:
            self.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error) from None

    def error(self, message: str) -> None:
        self.stderr.write(f"{PROG}: {message}\n")
