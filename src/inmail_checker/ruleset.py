"""A compiled rule set: the rules a configuration leaves on, ready to run on drafts.

:meth:`RuleSet.compile` owns everything that makes checking fast, so every rule, shipped or
made by a test, takes the same path:

- phrase and count rules become :class:`~.phrases.Phrases`, split into gated alternatives;
- one index maps each gate key (a word, see :mod:`.literals`) to the alternatives it opens, so
  a draft's words open the few alternatives that can match, and a rule none of whose gates
  opens costs one lookup;
- custom rules get their matcher function and their compiled word lists; context rules
  the one function that compares their parameters with the draft's context;
- the learned score's rules (kind ``model``) are kept apart, in :attr:`RuleSet.model_rules`:
  the engine turns the learned weights into their finding and strength.

A rule that names a context in ``skip_when`` does not run in that context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from . import chars
from .config import Config
from .draft import Draft, Hit
from .matchers import MATCHERS, Lists
from .phrases import Phrases, compile_phrases
from .registry import RULES, Rule, RuleError
from .report import Context, Field

_ALL: Mapping[str, Phrases] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class _Step:
    """One rule as the rule set runs it."""

    index: int
    rule: Rule
    custom: Callable[[Draft, Rule, Lists], list[Hit]] | None
    lists: Lists
    phrases: Phrases | None
    fields: tuple[Field, ...]
    min_count: int
    unless: Phrases | None = None


def skipped(rule: Rule, context: Context) -> bool:
    """Whether ``rule`` stays silent in ``context`` (its ``skip_when``)."""
    return ("reply" in rule.skip_when and context.stage == "reply") or (
        "answered" in rule.skip_when and context.answered
    )


def _compile_step(index: int, rule: Rule) -> _Step:
    if rule.kind in ("custom", "context"):
        function = MATCHERS.get(rule.function or "" if rule.kind == "custom" else "context")
        if function is None:
            raise RuleError(
                f"{rule.file}: rule {rule.id!r}: unknown custom function {rule.function!r}"
            )
        lists = MappingProxyType(
            {name: compile_phrases(pl.phrases, pl.patterns) for name, pl in rule.lists.items()}
        )
        return _Step(index, rule, function, lists, None, rule.fields, rule.min_count)
    phrases = compile_phrases(rule.matcher.phrases, rule.matcher.patterns)
    unless = None
    if rule.unless is not None:
        unless = compile_phrases(rule.unless.phrases, rule.unless.patterns)
    return _Step(index, rule, None, _ALL, phrases, rule.fields, rule.min_count, unless)


class RuleSet:
    """The rules of one configuration, compiled. Build it with :meth:`compile`."""

    __slots__ = (
        "_gate_index",
        "_gate_keys",
        "_steps",
        "_ungated",
        "model_rules",
        "placeholders",
        "rules",
    )

    def __init__(
        self,
        steps: Sequence[_Step],
        model_rules: Sequence[Rule] = (),
        gated: bool = True,
        placeholders: frozenset[str] = frozenset(),
    ) -> None:
        self._steps = tuple(steps)
        self.placeholders = placeholders
        self.model_rules = tuple(model_rules)
        self.rules: tuple[Rule, ...] = (*(step.rule for step in self._steps), *self.model_rules)
        # Which alternatives of which rule each key opens, as (step index, bit mask) pairs, and
        # the alternatives that always run (no gate).
        gate_index: dict[str, list[tuple[int, int]]] = {}
        ungated: dict[int, int] = {}
        for step in self._steps:
            if step.phrases is None or not step.phrases.alternatives:
                continue
            for bit, alternative in enumerate(step.phrases.alternatives):
                if alternative.keys is None or not gated:
                    ungated[step.index] = ungated.get(step.index, 0) | 1 << bit
                for key in (alternative.keys or ()) if gated else ():
                    gate_index.setdefault(key, []).append((step.index, 1 << bit))
        self._gate_index = gate_index
        self._gate_keys = frozenset(gate_index)
        self._ungated = ungated

    @classmethod
    def compile(
        cls, rules: Iterable[Rule] = RULES, config: Config | None = None, *, gated: bool = True
    ) -> RuleSet:
        """The rules of ``rules`` that ``config`` leaves on and that read one draft.
        ``gated=False`` runs every alternative of every phrase list on every draft: the same
        results, slower (the tests and the benchmark compare the two)."""
        config = config or Config()
        enabled = [rule for rule in rules if rule.scope == "draft" and config.enabled(rule.id)]
        matched = [rule for rule in enabled if rule.kind != "model"]
        steps = [_compile_step(index, rule) for index, rule in enumerate(matched)]
        model = [rule for rule in enabled if rule.kind == "model"]
        return cls(steps, model, gated, config.placeholders)

    def _opened(self, keys: frozenset[str]) -> dict[int, int]:
        """The alternatives a text with these keys opens: step index → bit mask."""
        opened = dict(self._ungated)
        for key in keys & self._gate_keys:
            for index, mask in self._gate_index[key]:
                opened[index] = opened.get(index, 0) | mask
        return opened

    def run(self, draft: Draft) -> list[tuple[Rule, list[Hit]]]:
        """Every rule that fires on ``draft``, in rule order, with its hits."""
        opened: dict[Field, dict[int, int]] = {}
        fired: list[tuple[Rule, list[Hit]]] = []
        for step in self._steps:
            if step.rule.skip_when and skipped(step.rule, draft.context):
                continue
            if step.custom is not None:
                hits = step.custom(draft, step.rule, step.lists)
            else:
                assert step.phrases is not None
                hits = []
                for name in step.fields:
                    if step.phrases.alternatives:
                        if name not in opened:
                            opened[name] = self._opened(draft.keys(name))
                        mask = opened[name].get(step.index)
                        if not mask:
                            continue  # no alternative can match: the usual case
                    else:
                        mask = -1
                    text = draft.get(name).text
                    spans = step.phrases.spans(text, mask)
                    if spans and step.unless and step.unless.search(text, draft.keys(name)):
                        continue
                    if spans and len(spans) >= step.min_count:
                        hits.extend(Hit(name, start, end) for start, end in spans)
            if hits and self.placeholders and step.rule.params.get("declared_placeholders_pass"):
                hits = [hit for hit in hits if not self._declared(draft, hit)]
            if hits:
                fired.append((step.rule, hits))
        return fired

    def _declared(self, draft: Draft, hit: Hit) -> bool:
        """Whether a hit is a merge field the configuration declares (a template's own)."""
        if hit.start is None or hit.end is None:
            return False
        folded = draft.get(hit.field)
        start, end = (hit.start, hit.end) if hit.original else folded.span(hit.start, hit.end)
        return chars.strip(folded.original[start:end]) in self.placeholders
