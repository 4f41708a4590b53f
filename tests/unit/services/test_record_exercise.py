"""Today's guided session records each tap in the day's check-in (issue 13, item 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.domain.plan.model import Preferences
from backstride.services import assessing, planning, recovery
from backstride.services.clock import FixedClock
from tests.builders import checkin_document
from tests.care_support import self_care_intake
from tests.fakes import FakeUnitOfWork

START = dt.date(2026, 3, 2)


def _setup() -> tuple[FakeUnitOfWork, FixedClock, list[str]]:
    uow = FakeUnitOfWork()
    clock = FixedClock(dt.datetime.combine(START, dt.time(8), dt.UTC))
    intake = assessing.parse_intake(self_care_intake())
    planning.plan_and_save_from_intake(uow, clock, intake, Preferences(start_date=START))
    slugs = [e.slug for e in recovery.today(uow, START).exercises]
    assert len(slugs) >= 2
    return uow, clock, slugs


def test_done_and_skipped_taps_are_kept_together_in_the_days_checkin() -> None:
    uow, clock, slugs = _setup()
    document = checkin_document(START, 2, 3)
    recovery.record_checkin(uow, clock, recovery.parse_checkin(document))
    recovery.record_exercise(uow, clock, START, slugs[0])
    recovery.record_exercise(uow, clock, START, slugs[1], skipped_because="it hurt")
    stored = recovery.stored_checkin(uow, START)
    assert stored is not None
    assert stored.exercises_done == [slugs[0]]
    assert stored.exercises_skipped == {slugs[1]: "it hurt"}
    assert stored.pain_now_0_10 == 2  # the rest of the check-in is untouched
    # Done after a skip replaces it, and Today reads both back.
    recovery.record_exercise(uow, clock, START, slugs[1])
    advice = recovery.today(uow, START)
    assert {e.slug for e in advice.exercises if e.done} == {slugs[0], slugs[1]}
    assert all(e.skipped is None for e in advice.exercises)


def test_a_tap_before_the_days_checkin_needs_the_pain_first() -> None:
    uow, clock, slugs = _setup()
    with pytest.raises(recovery.RecoveryError):
        recovery.record_exercise(uow, clock, START, slugs[0])
    recovery.record_exercise(uow, clock, START, slugs[0], pain_now=2, worst_24h=4)
    stored = recovery.stored_checkin(uow, START)
    assert stored is not None
    assert stored.exercises_done == [slugs[0]]
    assert stored.worst_24h_0_10 == 4
