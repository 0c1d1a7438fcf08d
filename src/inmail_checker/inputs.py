"""Reading drafts for the CLI: one draft file, or many drafts from JSON Lines or CSV.

Everything here works on text already decoded (see :func:`decode_utf8`), never raises on a
malformed line or row, and reports each one with its line number so the rest can still run.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from . import chars
from .report import AUDIENCES, NO_CONTEXT, STAGES, Context

REQUIRED_FIELDS = ("id", "subject", "body")
"""Every JSONL object and every CSV header needs these; other keys or columns are ignored."""
CONTEXT_FIELDS = ("stage", "answered", "audience")
"""Optional: what the text cannot show (see :class:`~.report.Context`); a blank value is the
default."""

_SUBJECT_LINE = re.compile(r"subject:[ \t]*", re.ASCII | re.IGNORECASE)
_CSV_FIELD_LIMIT = 1 << 30
"""The csv module refuses fields over 128 KiB by default; a pasted 1 MB draft is still a draft."""


class InputError(ValueError):
    """A whole input cannot be used (not UTF-8, no CSV header, missing columns)."""


class NotUTF8Error(InputError):
    """Input bytes are not valid UTF-8; says where, as a byte offset and a line and column."""

    def __init__(self, name: str, offset: int, line: int, column: int, reason: str) -> None:
        self.offset, self.line, self.column = offset, line, column
        super().__init__(
            f"{name} is not valid UTF-8: {reason} at byte {offset} (line {line}, column {column})"
        )


def utf16_hint(data: bytes) -> str | None:
    """How to convert ``data`` when it looks like UTF-16 (a byte order mark, or a NUL byte
    beside most ASCII characters at its start), or None."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        kind = "UTF-16 (it starts with a UTF-16 byte order mark)"
    elif len(head) >= 4 and head.count(0) * 3 >= len(head):
        kind = "UTF-16 (every other byte is a NUL)"
    else:
        return None
    return f"{kind}; convert it to UTF-8 first, e.g. with: iconv -f UTF-16 -t UTF-8 FILE > NEW"


def decode_utf8(data: bytes, name: str) -> str:
    """Decode UTF-8 strictly, dropping one leading byte order mark. UTF-16 (see
    :func:`utf16_hint`) is named as such, even where its bytes happen to be valid UTF-8.

    The column counts characters (code points) from 1, like the line.
    """
    hint = utf16_hint(data)
    if hint is not None:
        raise UTF16Error(name, hint)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start
        line_start = data.rfind(b"\n", 0, offset) + 1
        line = data.count(b"\n", 0, offset) + 1
        # Everything before the first bad byte decodes, so the column counts real characters.
        column = len(data[line_start:offset].decode("utf-8")) + 1
        raise NotUTF8Error(name, offset, line, column, error.reason) from None
    return text.removeprefix("\ufeff")


class UTF16Error(InputError):
    """Input bytes are UTF-16, not UTF-8: the message says how to convert them."""

    def __init__(self, name: str, hint: str) -> None:
        super().__init__(f"{name} is not UTF-8 but {hint}")


@dataclass(frozen=True, slots=True)
class DraftFile:
    """A draft read from a file: its fields and where the body starts in the file."""

    subject: str
    body: str
    has_subject_line: bool
    subject_column: int
    """0-based column of the subject text in line 1 of the file."""
    body_line: int
    """0-based line of the file where the body starts."""


def split_subject(text: str) -> DraftFile:
    """Apply the draft convention: a first line ``Subject: ...`` is the subject, then an optional
    blank line, then the body. Without it, the whole text is the body."""
    first, newline, rest = text.partition("\n")
    match = _SUBJECT_LINE.match(first)
    if not match:
        return DraftFile("", text, False, 0, 0)
    subject_line = first.removesuffix("\r")
    subject = chars.rstrip(subject_line[match.end() :])
    body_line = 1 if newline else 0
    blank, blank_newline, after_blank = rest.partition("\n")
    if blank_newline and not chars.strip(blank):
        rest = after_blank
        body_line += 1
    elif not blank_newline and not chars.strip(blank):
        rest = ""
    return DraftFile(subject, rest, True, match.end(), body_line)


@dataclass(frozen=True, slots=True)
class DraftInput:
    """One draft from a batch input, with the line (JSONL) or row (CSV) it came from."""

    id: str | int
    subject: str
    body: str
    where: str
    """Where it came from, for messages: "line 4" or "row 3 (line 5)"."""
    context: Context = NO_CONTEXT


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A line or row that could not be read; the others are still checked."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(slots=True)
class BatchInput:
    drafts: list[DraftInput]
    problems: list[InputProblem]


def _valid_id(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and bool(value.strip()))


def _validate(record: dict[str, object], where: str, seen: dict[str | int, str]) -> DraftInput:
    missing = [name for name in REQUIRED_FIELDS if name not in record]
    if missing:
        raise ValueError(f"missing field(s) {', '.join(repr(m) for m in missing)}")
    draft_id, subject, body = record["id"], record["subject"], record["body"]
    if not _valid_id(draft_id):
        raise ValueError("'id' must be a non-empty string or an integer")
    for name, value in (("subject", subject), ("body", body)):
        if not isinstance(value, str):
            raise ValueError(f"{name!r} must be a string, not {type(value).__name__}")
    assert isinstance(draft_id, str | int) and isinstance(subject, str) and isinstance(body, str)
    context = _context(record)
    if draft_id in seen:
        raise ValueError(f"duplicate id {draft_id!r} (first at {seen[draft_id]})")
    seen[draft_id] = where
    return DraftInput(draft_id, subject, body, where, context)


_YES = {"true", "yes", "1"}
_NO = {"false", "no", "0", ""}


def _context(record: dict[str, object]) -> Context:
    """The optional context fields of a line or row: JSON values or CSV text."""
    stage, answered, audience = (record.get(name) for name in CONTEXT_FIELDS)
    stage = "first" if stage in (None, "") else stage
    audience = "one" if audience in (None, "") else audience
    if stage not in STAGES:
        raise ValueError(f"'stage' must be one of {', '.join(STAGES)}")
    if audience not in AUDIENCES:
        raise ValueError(f"'audience' must be one of {', '.join(AUDIENCES)}")
    if isinstance(answered, str) and answered.strip().lower() in _YES | _NO:
        answered = answered.strip().lower() in _YES
    if answered is None:
        answered = False
    if not isinstance(answered, bool):
        raise ValueError("'answered' must be true or false")
    return Context(stage, answered, audience)


_UNDECODED = re.compile("[\udc80-\udcff]", re.ASCII)
"""What ``surrogateescape`` decoding makes of a byte that is not UTF-8 (a text decoded any other
way, or parsed from JSON, holds no such character unless it was typed as an escape)."""


def _undecoded(text: str) -> str | None:
    """Why a line decoded with ``surrogateescape`` is not UTF-8, or None when it is."""
    found = _UNDECODED.search(text)
    if found is None:
        return None
    data = text.encode("utf-8", "surrogateescape")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        column = len(data[: error.start].decode("utf-8")) + 1
        return f"not valid UTF-8: {error.reason} at column {column}"
    return "not valid UTF-8"  # pragma: no cover - a surrogate that encodes back to UTF-8


def iter_jsonl(lines: Iterable[str]) -> Iterator[DraftInput | InputProblem]:
    """Read JSON Lines lazily: one object with ``id``, ``subject`` and ``body`` per line; each
    line becomes a draft or a problem as it is read, so a batch can be checked as it streams.

    ``lines`` are the input's lines (split on ``\\n`` only, as JSON Lines specifies, so a
    U+2028 inside a body stays inside its line), decoded with ``surrogateescape``: a line that
    is not valid UTF-8 is a problem of its own. Blank lines are skipped."""
    seen: dict[str | int, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        bad = _undecoded(line)
        if bad is not None:
            yield InputProblem(where, bad)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputProblem(where, f"not valid JSON: {error.msg}")
            continue
        except RecursionError:
            yield InputProblem(where, "not valid JSON: nested too deeply")
            continue
        if not isinstance(record, dict):
            yield InputProblem(where, f"expected a JSON object, got {type(record).__name__}")
            continue
        try:
            yield _validate(record, where, seen)
        except ValueError as error:
            yield InputProblem(where, str(error))


def _collect(items: Iterable[DraftInput | InputProblem]) -> BatchInput:
    result = BatchInput([], [])
    for item in items:
        if isinstance(item, DraftInput):
            result.drafts.append(item)
        else:
            result.problems.append(item)
    return result


def read_jsonl(text: str) -> BatchInput:
    """Read JSON Lines from a text (see :func:`iter_jsonl`)."""
    return _collect(iter_jsonl(text.split("\n")))


def read_csv(text: str) -> BatchInput:
    """Read CSV from a text (see :func:`iter_csv`)."""
    return _collect(iter_csv(io.StringIO(text, newline="")))


def iter_csv(lines: Iterable[str]) -> Iterator[DraftInput | InputProblem]:
    """Read CSV lazily, with a header row naming ``id``, ``subject`` and ``body`` (any order,
    any case; other columns are ignored). Quoted fields may span lines. ``lines`` may come
    decoded with ``surrogateescape``: a row that is not valid UTF-8 is a problem of its own.
    Raises :class:`InputError` (at once) when the header cannot be used."""
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise InputError(f"line 1: cannot read the CSV header: {error}") from None
    if header is None or not any(cell.strip() for cell in header):
        raise InputError("the CSV input is empty: expected a header row with id, subject, body")
    if any(_undecoded(cell) for cell in header):
        raise InputError("line 1: the CSV header is not valid UTF-8")
    names = [cell.strip().lower() for cell in header]
    missing = [name for name in REQUIRED_FIELDS if name not in names]
    if missing:
        found = ", ".join(repr(cell) for cell in header)
        raise InputError(
            f"line 1: the CSV header lacks column(s) {', '.join(repr(m) for m in missing)}"
            f" (found: {found})"
        )
    for name in REQUIRED_FIELDS:
        if names.count(name) > 1:
            raise InputError(f"line 1: the CSV header names column {name!r} twice")
    return _csv_rows(reader, header, names)


def _csv_rows(
    reader: Any, header: list[str], names: list[str]
) -> Iterator[DraftInput | InputProblem]:
    columns = {name: names.index(name) for name in REQUIRED_FIELDS}
    seen: dict[str | int, str] = {}
    problems: list[InputProblem] = []
    row_number = 1
    for row, line in _rows(reader, problems):
        yield from problems
        problems.clear()
        row_number += 1
        where = f"row {row_number} (line {line})"
        if not any(cell.strip() for cell in row):
            continue
        bad = next((why for cell in row if (why := _undecoded(cell))), None)
        if bad is not None:
            yield InputProblem(where, bad)
            continue
        if len(row) != len(header):
            yield InputProblem(where, f"has {len(row)} field(s), the header has {len(header)}")
            continue
        record: dict[str, object] = {name: row[index] for name, index in columns.items()}
        record.update({name: row[names.index(name)] for name in CONTEXT_FIELDS if name in names})
        try:
            yield _validate(record, where, seen)
        except ValueError as error:
            yield InputProblem(where, str(error))
    yield from problems


def _rows(reader: Any, problems: list[InputProblem]) -> Iterator[tuple[list[str], int]]:
    """Rows with the line each starts on; a row the csv module rejects is reported and skipped."""
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(InputProblem(f"line {start}", f"not valid CSV: {error}"))
            start = reader.line_num + 1
            continue
        yield row, start
        start = reader.line_num + 1
