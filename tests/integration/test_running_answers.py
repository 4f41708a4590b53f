"""Running answers measured from the log, and when the log is too old to say anything."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.services import training
from backstride.services.clock import FixedClock

TODAY = date(2026, 5, 20)


def log_runs(database_url: str, days_ago: list[int], km: float) -> SqlUnitOfWork:
    database = open_database(database_url)
    clock = FixedClock(datetime(2026, 5, 20, 20, 0, tzinfo=UTC))
    for ago in days_ago:
        start = datetime(2026, 5, 20, 7, 0, tzinfo=UTC) - timedelta(days=ago)
        training.add_manual_run(
            SqlUnitOfWork(database), clock, training.ManualRun(start, km, km * 330)
        )
    return SqlUnitOfWork(database)


def test_a_recent_log_answers_the_running_questions(database_url: str) -> None:
    uow = log_runs(database_url, [1, 3, 5, 9, 16, 23, 30], km=6)
    values, measured = training.running_answers(uow, TODAY)
    assert values["km_last_week"] == 18
    assert "running.km_last_week" in measured


def test_a_log_that_stopped_long_ago_answers_nothing(database_url: str) -> None:
    """Old runs only: the runner stopped logging, which is not the same as stopping running."""
    uow = log_runs(database_url, [60, 62, 64, 300], km=8)
    assert training.running_answers(uow, TODAY) == ({}, {})
