"""The shared ids, defined once: triage levels, running advice, their order and the
"needs care now" decision.

Every layer (rules, assessment, plan, recovery, CLI, web, exports) asks this module
rather than spelling the ids or comparing level names itself. How each level and
each running advice is worded for people lives in ``content/texts.yaml``
(``levels``, ``running``).

Each vocabulary comes in two forms over the same ids: a ``Literal`` type for the
documents (``TriageLevel``, ``RunningAdviceId``: the contract's spelling and order)
and a ``StrEnum`` for code that holds the value as an object (``Level``,
``RunningAdvice``: the check-in escalations). A test checks the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Literal, cast

# The triage levels as the assessment contract lists them, most urgent first.
TriageLevel = Literal["emergency", "urgent", "soon", "self_care"]
# What running the assessment (or an escalation) allows, as the contract lists it.
RunningAdviceId = Literal["stop", "pause", "reduce", "continue"]


class Level(StrEnum):
    """The triage levels as values, most urgent first (the ids of ``TriageLevel``)."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    SELF_CARE = "self_care"


class RunningAdvice(StrEnum):
    """The running advice as values (the ids of ``RunningAdviceId``)."""

    STOP = "stop"
    PAUSE = "pause"
    REDUCE = "reduce"
    CONTINUE = "continue"


# Least urgent first: the rank of a level is its place here.
LEVELS: tuple[TriageLevel, ...] = ("self_care", "soon", "urgent", "emergency")
LEVEL_ORDER: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
RUNNING_ADVICE: tuple[RunningAdviceId, ...] = ("stop", "pause", "reduce", "continue")

# Emergency and urgent: the runner needs care today, so no exercise, no run and no
# reassurance is shown beside the instruction, anywhere, until a newer answer.
CARE_NOW_LEVELS: frozenset[str] = frozenset({"urgent", "emergency"})


def needs_care_now(level: str) -> bool:
    return level in CARE_NOW_LEVELS


def at_least(level: str, floor: str) -> bool:
    return LEVEL_ORDER[level] >= LEVEL_ORDER[floor]


def most_urgent(levels: Iterable[str]) -> TriageLevel:
    best: str = "self_care"
    for level in levels:
        if LEVEL_ORDER[level] > LEVEL_ORDER[best]:
            best = level
    return cast(TriageLevel, best)
