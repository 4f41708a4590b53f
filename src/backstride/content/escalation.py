"""Load the escalation thresholds (``content/escalation.yaml``) into the domain's names.

The file is the one reviewed place for the numbers the check-in escalation rules
and the care state compare against; it is checked like every named-number section
(:func:`backstride.content.loader.named_numbers`): every name the domain expects is
there, no unknown name is, every value has the right type and every source exists.
"""

from __future__ import annotations

from collections.abc import Collection
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
from backstride.domain.recovery.escalation import EscalationThresholds

FILE = "escalation.yaml"


class _File(_Strict):
    thresholds: dict[str, NumberEntry]


def parse_escalation_thresholds(data: Any, known_sources: Collection[str]) -> EscalationThresholds:
    """The thresholds from a decoded file; raises ContentError naming every problem."""
    parsed = validate(_File, data, f"content/{FILE}")
    return named_numbers(EscalationThresholds, parsed.thresholds, FILE, known_sources)


@cache
def load_escalation_thresholds() -> EscalationThresholds:
    return parse_escalation_thresholds(read_yaml(FILE), source_ids())
