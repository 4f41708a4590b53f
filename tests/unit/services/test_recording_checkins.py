"""Recording check-ins and the care state over the fake unit of work."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.domain.plan.model import Preferences
from backstride.services import assessing, planning, recovery
from backstride.services.care import care_state
from backstride.services.clock import FixedClock
from backstride.services.transactions import RECOVERY
from backstride.services.validation import InvalidDocument
from tests.builders import checkin_document
from tests.care_support import emergency_intake, self_care_intake
from tests.fakes import FakeUnitOfWork

START = dt.date(2026, 3, 2)


def clock(day: dt.date, hour: int = 20) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(hour), dt.UTC))


def planned() -> FakeUnitOfWork:
    """A runner assessed as self-care, with a plan starting on START."""
    uow = FakeUnitOfWork()
    parsed = assessing.parse_intake(self_care_intake())
    planning.plan_and_save_from_intake(uow, clock(START, 8), parsed, Preferences(start_date=START))
    return uow


def record(uow: FakeUnitOfWork, day: dt.date, **fields: object) -> recovery.CheckinResult:
    document = recovery.parse_checkin(checkin_document(day, **fields))
    return recovery.record_checkin(uow, clock(day), document)


def test_a_checkin_is_stored_under_the_recovery_lock() -> None:
    uow = planned()
    result = record(uow, START, pain=2, worst=3)
    assert RECOVERY in uow.locked
    stored = recovery.stored_checkin(uow, START)
    assert stored is not None
    assert (stored.pain_now_0_10, stored.worst_24h_0_10) == (2, 3)
    assert result.day == START


def test_a_second_checkin_the_same_day_is_merged_into_the_first() -> None:
    uow = planned()
    record(uow, START, pain=2, worst=3, exercises_done=["glute-bridge"])
    record(uow, START, pain=4, worst=5)
    stored = recovery.stored_checkin(uow, START)
    assert stored is not None
    assert stored.pain_now_0_10 == 4
    assert stored.exercises_done == ["glute-bridge"]  # kept from the first
    with uow:
        assert [c.day for c in uow.checkins.up_to(START)] == [START]


def test_an_invalid_merged_day_stores_nothing() -> None:
    uow = planned()
    with pytest.raises(InvalidDocument):
        record(uow, START, pain=6, worst=3)
    assert recovery.stored_checkin(uow, START) is None


def test_the_care_state_follows_the_plan_and_a_warning_sign() -> None:
    uow = planned()
    assert care_state(uow, START).state == "plan_active"
    record(uow, START + dt.timedelta(days=1), warning_signs={"neuro.saddle_numbness": True})
    after = care_state(uow, START + dt.timedelta(days=1))
    assert after.suspended
    assert after.open_warnings
    today = recovery.today(uow, START + dt.timedelta(days=1))
    assert not today.exercises
    assert today.session is None


def test_with_nothing_saved_the_care_state_asks_for_an_assessment() -> None:
    uow = FakeUnitOfWork()
    decision = care_state(uow, START)
    assert decision.state == "no_assessment"
    assert not decision.exercises_allowed


def test_an_emergency_assessment_suspends_everything() -> None:
    uow = FakeUnitOfWork()
    assessing.assess_and_save(uow, clock(START, 8), assessing.parse_intake(emergency_intake()))
    decision = care_state(uow, START)
    assert decision.state == "care_now"
    assert decision.suspended
    assert decision.instruction is not None
