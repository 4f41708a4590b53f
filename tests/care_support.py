"""Intakes and helpers for the care-state tests (issue 10).

``self_care_intake`` is the reference new runner with every safety question
answered no, so the assessment is self-care; ``emergency_intake`` the same runner
reporting saddle numbness (cauda equina: emergency).
"""

from __future__ import annotations

from typing import Any

from tests.builders import intake


def self_care_intake(now: int = 3, worst: int = 4, **review: bool) -> dict[str, Any]:
    """Self-care; running "reduce" at 3/4, "pause" from pain 6 now or 8 worst."""
    document = intake(
        neuro={"bowel_change": False, "sexual_change": False, "leg_drags_or_trips": False},
        general={
            "faint_or_collapse": False,
            "chest_pain_or_breathless": False,
            "urinary_symptoms": False,
        },
        pain={"now_0_10": now, "worst_0_10": worst},
    )
    if review:
        document["schema"] = "backstride.intake/2"
        document["review"] = review
    return document


def pausing_intake() -> dict[str, Any]:
    """Self-care with running paused: the return-to-run programme starts walking."""
    return self_care_intake(now=6, worst=8)


def emergency_intake() -> dict[str, Any]:
    """The same runner with new saddle numbness: cauda equina, emergency."""
    intake = self_care_intake()
    intake["neuro"]["saddle_numbness"] = True
    return intake
