"""The triage levels: their order and the "needs care now" decision, defined once.

Every layer (rules, assessment, plan, recovery, CLI, web, exports) asks this module
rather than comparing level names itself. How each level is worded for people
lives in ``content/texts.yaml`` (``levels``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, cast

Level = Literal["self_care", "soon", "urgent", "emergency"]

LEVELS: tuple[Level, ...] = ("self_care", "soon", "urgent", "emergency")
LEVEL_ORDER: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}

# Emergency and urgent: the runner needs care today, so no exercise, no run and no
# reassurance is shown beside the instruction, anywhere, until a newer answer.
CARE_NOW_LEVELS: frozenset[str] = frozenset({"urgent", "emergency"})


def needs_care_now(level: str) -> bool:
    return level in CARE_NOW_LEVELS


def at_least(level: str, floor: str) -> bool:
    return LEVEL_ORDER[level] >= LEVEL_ORDER[floor]


def most_urgent(levels: Iterable[str]) -> Level:
    best: str = "self_care"
    for level in levels:
        if LEVEL_ORDER[level] > LEVEL_ORDER[best]:
            best = level
    return cast(Level, best)
