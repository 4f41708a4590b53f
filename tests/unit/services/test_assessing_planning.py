"""Assessing and planning over the fake unit of work: what is saved, together or not at all."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.domain.plan.model import Preferences
from backstride.services import assessing, planning
from backstride.services.clock import FixedClock
from backstride.services.transactions import PLANS
from tests.builders import intake
from tests.fakes import FakeUnitOfWork

START = dt.date(2026, 3, 2)
CLOCK = FixedClock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))


def test_an_assessment_is_saved_with_its_content_version_and_read_back() -> None:
    uow = FakeUnitOfWork()
    saved = assessing.assess_and_save(uow, CLOCK, assessing.parse_intake(intake()))
    assert uow.commits == 1
    assert assessing.get_assessment(uow, saved.id) == saved
    assert assessing.latest_assessment(uow) == saved
    assert saved.created_at == CLOCK.now()
    assert saved.content_version


def test_history_is_newest_first() -> None:
    uow = FakeUnitOfWork()
    parsed = assessing.parse_intake(intake())
    ids = [
        assessing.assess_and_save(uow, FixedClock(CLOCK.now() + dt.timedelta(hours=h)), parsed).id
        for h in (2, 0, 1)
    ]
    assert [a.id for a in assessing.history(uow)] == [ids[0], ids[2], ids[1]]
    assert [a.id for a in assessing.history(uow, limit=1)] == [ids[0]]


def test_a_plan_and_its_assessment_are_saved_together_under_the_plans_lock() -> None:
    uow = FakeUnitOfWork()
    parsed = assessing.parse_intake(intake())
    saved, assessment_id = planning.plan_and_save_from_intake(
        uow, CLOCK, parsed, Preferences(start_date=START)
    )
    assert uow.locked == [PLANS]
    assert uow.commits == 1
    assert planning.latest_plan(uow) == saved
    assert saved.assessment_id == assessment_id
    assert assessing.get_assessment(uow, assessment_id) is not None


def test_a_conflict_runs_the_whole_save_again_and_keeps_one_copy() -> None:
    uow = FakeUnitOfWork()
    uow.conflicts = 2  # the first two commits meet another writer
    parsed = assessing.parse_intake(intake())
    saved, _ = planning.plan_and_save_from_intake(uow, CLOCK, parsed, Preferences(start_date=START))
    assert uow.locked == [PLANS] * 3
    assert len(assessing.history(uow)) == 1
    assert planning.get_plan(uow, saved.id) == saved


def test_without_a_saved_assessment_there_is_nothing_to_plan_from() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(planning.NoAssessmentError):
        planning.plan_from_latest(uow, Preferences(start_date=START))
    assert planning.latest_plan(uow) is None


def test_a_plan_from_the_latest_assessment_names_it() -> None:
    uow = FakeUnitOfWork()
    saved = assessing.assess_and_save(uow, CLOCK, assessing.parse_intake(intake()))
    planned = planning.plan_from_latest(uow, Preferences(start_date=START))
    assert planned.assessment_id == saved.id
    stored = planning.save_plan(uow, CLOCK, planned)
    assert planning.latest_plan(uow) == stored
