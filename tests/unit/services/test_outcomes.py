"""The outcome measures through the services: Progress carries them, from the first
assessment or check-in to the latest, and nothing is compared while care is needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backstride.services import assessing, outcomes, recovery
from backstride.services.clock import FixedClock
from tests.builders import checkin_document
from tests.care_support import emergency_intake, self_care_intake
from tests.fakes import FakeUnitOfWork

ASSESSED = dt.date(2026, 3, 16)
FUNCTION = [
    {"activity": "running 5 km", "score_0_10": 2},
    {"activity": "sitting at work", "score_0_10": 5},
]


def clock(day: dt.date) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(9), dt.UTC))


def assess(uow: FakeUnitOfWork, document: dict[str, Any], day: dt.date = ASSESSED) -> None:
    assessing.assess_and_save(uow, clock(day), assessing.parse_intake(document))


def check_in(uow: FakeUnitOfWork, day: dt.date, pain: int, **fields: Any) -> None:
    document = checkin_document(day, pain=pain, worst=max(pain, 4), **fields)
    recovery.record_checkin(uow, clock(day), recovery.parse_checkin(document))


def psfs(running: int, sitting: int) -> list[dict[str, Any]]:
    return [
        {"activity": "running 5 km", "score_0_10": running},
        {"activity": "sitting at work", "score_0_10": sitting},
    ]


def runner() -> FakeUnitOfWork:
    """Assessed at pain 6 with activities 2 and 5; four weeks later pain 3, activities 6 and 7."""
    uow = FakeUnitOfWork()
    document = self_care_intake(now=6, worst=7)
    document["function"] = FUNCTION
    assess(uow, document)
    check_in(uow, ASSESSED + dt.timedelta(days=1), 5)
    check_in(uow, ASSESSED + dt.timedelta(days=14), 4, psfs=psfs(4, 6))
    check_in(uow, ASSESSED + dt.timedelta(days=28), 3, psfs=psfs(6, 7))
    return uow


def test_progress_carries_the_change_since_the_first_assessment() -> None:
    report = recovery.progress(runner(), ASSESSED + dt.timedelta(days=28))
    found = report.outcomes
    assert found.withheld is None
    assert found.pain is not None
    assert found.psfs is not None
    assert (found.pain.first.taken, found.pain.first.value) == ("assessment", 6)
    assert found.pain.latest is not None
    assert found.pain.latest.value == 3
    assert found.pain.important_improvement
    assert found.pain.text.startswith("3 points less pain than at your first assessment")
    assert (found.psfs.first.value, found.psfs.improvement) == (3.5, 3)
    document = report.to_document()["outcomes"]
    assert document["pain"]["improvement"] == 3
    assert document["pain"]["first"] == {"day": "2026-03-16", "value": 6.0, "taken": "assessment"}
    assert document["psfs"]["sources"] == ["abbott2014", "stratford1995"]
    assert document["withheld"] is None


def test_the_period_shown_does_not_move_the_first_measurement() -> None:
    end = ASSESSED + dt.timedelta(days=28)
    report = recovery.progress(runner(), end, end - dt.timedelta(days=3))
    assert report.outcomes.pain is not None
    assert report.outcomes.pain.first.day == ASSESSED


def test_a_day_before_the_later_checkins_compares_only_what_was_known() -> None:
    found = outcomes.outcomes(runner(), ASSESSED + dt.timedelta(days=1))
    assert found.pain is not None
    assert found.pain.latest is not None
    assert (found.pain.latest.value, found.pain.improvement) == (5, 1)
    assert not found.pain.important_improvement
    assert found.psfs is not None
    assert found.psfs.latest is None  # only the assessment's activity scores so far


def test_checkins_without_an_assessment_start_from_the_first_checkin() -> None:
    uow = FakeUnitOfWork()
    check_in(uow, ASSESSED, 7)
    check_in(uow, ASSESSED + dt.timedelta(days=10), 4)
    found = outcomes.outcomes(uow, ASSESSED + dt.timedelta(days=10))
    assert found.pain is not None
    assert found.pain.first.taken == "checkin"
    assert "than at your first check-in" in found.pain.text


def test_nothing_is_compared_after_an_emergency_assessment() -> None:
    uow = runner()
    assess(uow, emergency_intake(), ASSESSED + dt.timedelta(days=29))
    report = recovery.progress(uow, ASSESSED + dt.timedelta(days=29))
    assert report.care.suspended
    assert report.outcomes.shown == ()
    assert report.outcomes.withheld is not None
    assert report.to_document()["outcomes"]["pain"] is None
