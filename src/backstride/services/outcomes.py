"""Use case: the outcome measures, pain and the activity score (PSFS), since they were
first measured, with the smallest important change (``domain/recovery/outcomes.py``,
thresholds in ``content/outcomes.yaml``).

The measurements are read in bounded time whatever the length of the diary: the first
and the latest assessment (of those the care state reads), and the first and the latest
check-in, with and without a PSFS score. While care is needed now or on hold nothing is
compared (hazard H29).

Progress carries the result (``ProgressReport.outcomes``); :func:`outcomes` gives it on
its own, for any page or export that shows it without the rest of Progress.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from backstride.content.outcomes import load_outcome_rules
from backstride.domain.recovery.outcomes import (
    Assessed,
    OutcomeRules,
    Outcomes,
    Score,
    pain_at_assessment,
    pain_at_checkin,
    psfs_at_assessment,
    psfs_at_checkin,
)
from backstride.domain.recovery.outcomes import outcomes as compare_scores
from backstride.services.care import CareDecision, decide_care, load_care_inputs
from backstride.services.ports import SavedAssessment, UnitOfWork

__all__ = ["Measured", "Outcomes", "compare", "measured", "outcomes"]


@dataclasses.dataclass(frozen=True, slots=True)
class Measured:
    """The candidate first and latest measurements of each measure (None where none)."""

    pain: tuple[Score | None, ...]
    psfs: tuple[Score | None, ...]


def _assessed(saved: SavedAssessment) -> Assessed:
    created = saved.created_at
    on = created.astimezone().date() if created.tzinfo else created.date()
    return Assessed(on, saved.intake)


def measured(
    uow: UnitOfWork, assessments: Sequence[SavedAssessment], last_day: dt.date
) -> Measured:
    """The measurements up to ``last_day``, read in an open unit of work.

    ``assessments`` are the saved assessments already read (the care state's: the
    latest 50), of which the earliest and the latest count.
    """
    ordered = sorted(assessments, key=lambda a: (a.created_at, a.id))
    made = [a for a in map(_assessed, ordered) if a.day <= last_day]
    ends = [made[0], made[-1]] if made else []
    checkins = uow.checkins
    first = checkins.first(last_day)
    latest = checkins.latest(last_day, limit=1)
    first_psfs = checkins.first(last_day, with_psfs=True)
    latest_psfs = checkins.latest(last_day, with_psfs=True)
    days = [c.document.to_checkin() for c in (first, *latest) if c is not None]
    scored = [c.document.to_checkin() for c in (first_psfs, *latest_psfs) if c is not None]
    return Measured(
        pain=(*(pain_at_assessment(a) for a in ends), *(pain_at_checkin(c) for c in days)),
        psfs=(*(psfs_at_assessment(a) for a in ends), *(psfs_at_checkin(c) for c in scored)),
    )


def compare(found: Measured, care: CareDecision, rules: OutcomeRules | None = None) -> Outcomes:
    """The outcomes of the measurements, given the care state (nothing while suspended)."""
    return compare_scores(
        found.pain, found.psfs, rules or load_outcome_rules(), suspended=care.suspended
    )


def outcomes(uow: UnitOfWork, day: dt.date) -> Outcomes:
    """Pain and the activity score on ``day`` since they were first measured."""
    with uow:
        inputs = load_care_inputs(uow, day)
        found = measured(uow, inputs.assessments, day)
    return compare(found, decide_care(inputs, day))
