"""Load the outcome measures' thresholds (``content/outcomes.yaml``) into the domain's names.

Checked like every named-number section (:func:`backstride.content.loader.named_numbers`):
every number the domain expects is there, nothing else is, and every source exists.
Each measure's sources are those of its numbers, in file order.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cache
from typing import Any

from backstride.content.loader import (
    NumberEntry,
    _Strict,
    named_numbers,
    read_yaml,
    source_ids,
    validate,
)
from backstride.domain.recovery.outcomes import OutcomeRules, PainRule, PsfsRule

FILE = "outcomes.yaml"


class _File(_Strict):
    pain: dict[str, NumberEntry]
    psfs: dict[str, NumberEntry]


def _sources(entries: Mapping[str, NumberEntry]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for entry in entries.values() for s in entry.sources))


def parse_outcome_rules(data: Any, known_sources: Collection[str]) -> OutcomeRules:
    """The thresholds from a decoded file; raises ContentError naming every problem."""
    parsed = validate(_File, data, f"content/{FILE}")
    return OutcomeRules(
        pain=named_numbers(PainRule, parsed.pain, f"{FILE} pain", known_sources),
        psfs=named_numbers(PsfsRule, parsed.psfs, f"{FILE} psfs", known_sources),
        pain_sources=_sources(parsed.pain),
        psfs_sources=_sources(parsed.psfs),
    )


@cache
def load_outcome_rules() -> OutcomeRules:
    return parse_outcome_rules(read_yaml(FILE), source_ids())
