"""Load the escalation thresholds (``content/escalation.yaml``) into the domain's names.

The file is the one reviewed place for the numbers the check-in escalation rules
and the care state compare against; this module checks it the way the knowledge
base loader checks ``thresholds.yaml``: every name the domain expects is there,
no unknown name is, every value has the right type and every source exists.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backstride.content.loader import ContentError, content_root, load_yaml
from backstride.domain.recovery.escalation import EscalationThresholds

FILE = "escalation.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Entry(_Strict):
    value: float
    kind: Literal["published", "policy", "heuristic"]
    sources: list[str] = Field(min_length=1)
    note: str


class _File(_Strict):
    thresholds: dict[str, _Entry]


def _source_ids() -> set[str]:
    data = load_yaml(content_root().joinpath("sources.yaml").read_text(encoding="utf-8"))
    return {entry["id"] for entry in data["sources"]}


def parse_escalation_thresholds(data: Any, known_sources: set[str]) -> EscalationThresholds:
    """The thresholds from a decoded file; raises ContentError naming every problem."""
    try:
        parsed = _File.model_validate(data)
    except ValidationError as error:
        raise ContentError(f"content/{FILE} is invalid:\n{error}") from error
    fields = {f.name: f for f in dataclasses.fields(EscalationThresholds)}
    expected, given = set(fields), set(parsed.thresholds)
    problems = [f"{FILE} lacks {n!r}" for n in sorted(expected - given)]
    problems += [f"{FILE} has unknown {n!r}" for n in sorted(given - expected)]
    values: dict[str, Any] = {}
    for name, entry in sorted(parsed.thresholds.items()):
        problems += [
            f"{FILE}: {name} cites unknown source {s!r}"
            for s in entry.sources
            if s not in known_sources
        ]
        if name not in fields:
            continue
        if fields[name].type in ("int", int):
            if not float(entry.value).is_integer():
                problems.append(f"{FILE}: {name} must be a whole number (got {entry.value})")
                continue
            values[name] = int(entry.value)
        else:
            values[name] = float(entry.value)
    if problems:
        raise ContentError(
            "the escalation thresholds are inconsistent:\n- " + "\n- ".join(problems)
        )
    return EscalationThresholds(**values)


@cache
def load_escalation_thresholds() -> EscalationThresholds:
    data = load_yaml(content_root().joinpath(FILE).read_text(encoding="utf-8"))
    return parse_escalation_thresholds(data, _source_ids())
