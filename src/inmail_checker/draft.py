"""A draft as the rules read it (both fields folded once), and a rule's hit in it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from . import chars
from .literals import text_keys
from .report import MAX_CHECKED, NO_CONTEXT, Context, Field
from .text import Folded, fold

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Hit:
    """A match in one field; ``start`` None means the field as a whole.

    Offsets index the folded text, or the original text when ``original`` is true.
    """

    field: Field
    start: int | None = None
    end: int | None = None
    values: dict[str, str | int] = dataclasses.field(default_factory=dict)
    original: bool = False


@dataclass(frozen=True, slots=True)
class Draft:
    """Both fields of a draft, folded once and shared by every rule, and what the writer says
    of it (its context). A field longer than :data:`MAX_CHECKED` is checked up to that point;
    ``lengths`` keeps the lengths as typed."""

    subject: Folded
    body: Folded
    context: Context = NO_CONTEXT
    lengths: tuple[int, int] | None = None
    """(subject, body) lengths as typed, in code points; None when nothing was cut."""
    _memo: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, body: str, subject: str = "", context: Context | None = None) -> Draft:
        return cls(
            subject=fold(subject[:MAX_CHECKED]),
            body=fold(body[:MAX_CHECKED]),
            context=context or Context(),
            lengths=(len(subject), len(body)),
        )

    def length(self, name: Field) -> int:
        """A field's length as typed (checked or not)."""
        if self.lengths is None:
            return len(self.get(name).original)
        return self.lengths[0] if name == "subject" else self.lengths[1]

    def get(self, name: Field) -> Folded:
        return self.subject if name == "subject" else self.body

    def memo(self, key: str, compute: Callable[[], _T]) -> _T:
        """A value worked out once per draft and shared by the rules (a word count, say)."""
        if key in self._memo:
            value: _T = self._memo[key]
            return value
        value = self._memo[key] = compute()
        return value

    def keys(self, name: Field) -> frozenset[str]:
        """The words and rare characters of a folded field (see :mod:`.literals`)."""
        return self.memo(f"keys:{name}", lambda: text_keys(self.get(name).text))

    def words(self) -> int:
        """Words in the body as typed (counted once per draft: several rules ask)."""
        return self.memo("body words", lambda: len(chars.split(self.body.original)))
