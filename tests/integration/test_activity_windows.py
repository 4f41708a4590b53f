"""Bounded reads of the run log: a window by start time, and per-pair totals in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from backstride.adapters.db.database import Database, open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.services import training
from backstride.services.clock import FixedClock

CLOCK = FixedClock(dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC))
PLUS_ONE = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_database(database_url)
    yield db
    db.dispose()


def add(uow: SqlUnitOfWork, day: int, km: float, shoes: str | None = None) -> None:
    start = dt.datetime(2026, 3, day, 7, 30, tzinfo=PLUS_ONE)
    training.add_manual_run(uow, CLOCK, training.ManualRun(start, km, km * 330, shoes=shoes))


def test_a_window_reads_only_the_activities_that_start_in_it(database: Database) -> None:
    uow = SqlUnitOfWork(database)
    for day in (1, 2, 3, 9, 10):
        add(uow, day, 5.0 + day)
    with uow:
        found = uow.activities.between(
            dt.datetime(2026, 3, 2, tzinfo=dt.UTC), dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
        )
    # 06:30 UTC on the 2nd, 3rd and 9th; the 10th starts after the window's end.
    assert [a.distance_m for a in found] == [14_000, 8_000, 7_000]


def test_weekly_kilometres_from_a_window_equal_those_from_the_whole_log(
    database: Database,
) -> None:
    uow = SqlUnitOfWork(database)
    for day in range(1, 29, 2):
        add(uow, day, 4.0 + day % 5)
    weeks = training.weekly_running_km(uow, dt.date(2026, 3, 9), dt.date(2026, 3, 22))
    expected: dict[dt.date, float] = {dt.date(2026, 3, 9): 0.0, dt.date(2026, 3, 16): 0.0}
    for activity in training.list_runs(uow):
        session = training.to_session(activity)
        if dt.date(2026, 3, 9) <= session.day <= dt.date(2026, 3, 22):
            monday = session.day - dt.timedelta(days=session.day.weekday())
            expected[monday] = round(expected[monday] + session.distance_km, 2)
    assert weeks == expected
    assert sum(weeks.values()) > 0


def test_shoe_distances_are_summed_by_the_database(database: Database) -> None:
    uow = SqlUnitOfWork(database)
    training.add_shoe(uow, "Daily", started_km=120.0)
    training.add_shoe(uow, "Race")
    training.add_shoe(uow, "Spare")
    for day, km in ((1, 10.0), (2, 8.5), (4, 21.1)):
        add(uow, day, km, "Daily")
    add(uow, 5, 5.0, "Race")
    add(uow, 6, 6.0)
    statuses = {s.shoe.name: (round(s.km, 6), s.activities) for s in training.list_shoes(uow)}
    assert statuses == {"Daily": (159.6, 3), "Race": (5.0, 1), "Spare": (0.0, 0)}


@pytest.mark.parametrize("weeks", [8, 20])
def test_load_and_the_running_answers_from_windows_equal_the_whole_log(
    database: Database, weeks: int
) -> None:
    from backstride.content.loader import load_knowledge_base
    from backstride.domain.training.load import ShoeKm, summarise
    from backstride.domain.training.load import running_answers as derive

    uow = SqlUnitOfWork(database)
    training.add_shoe(uow, "Daily", started_km=50.0, default=True)
    today = dt.date(2026, 3, 29)
    zones = [dt.timezone(dt.timedelta(hours=h)) for h in (-7, 0, 1, 9, 13)]
    day = today - dt.timedelta(days=420)
    n = 0
    while day <= today:
        # Running most days for a year, a twelve-week break, then back three weeks ago.
        if not (today - dt.timedelta(days=110) < day < today - dt.timedelta(days=22)):
            start = dt.datetime.combine(day, dt.time(6 + n % 12), zones[n % len(zones)])
            km = 5.0 + (n * 7) % 11
            clock = FixedClock(dt.datetime.combine(today, dt.time(20), dt.UTC))
            training.add_manual_run(
                uow,
                clock,
                training.ManualRun(
                    start, km, km * 320, surface=("asphalt", "trail", None)[n % 3], shoes="Daily"
                ),
            )
        day += dt.timedelta(days=1 + n % 3)
        n += 1
    kb = load_knowledge_base()
    report = training.load_report(uow, today, weeks=weeks)
    answers, notes = training.running_answers(uow, today)

    sessions = [training.to_session(a) for a in training.list_runs(uow)]
    since = min(s.day for s in sessions)
    assert report.activities == len(sessions)
    assert report.summary == summarise(sessions, today, weeks, since)
    (daily,) = report.shoes
    expected = derive(
        sessions,
        today,
        data_since=since,
        default_shoe=ShoeKm("Daily", daily.km),
        min_break_weeks=kb.thresholds.return_min_break_weeks,
    )
    assert report.answers.values == expected.values == answers
    assert report.answers.measured == dict(expected.notes) == notes
    assert answers["returned_after_break_weeks"] >= 10
    assert daily.km == pytest.approx(50.0 + sum(s.distance_km for s in sessions))
