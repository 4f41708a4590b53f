"""One run log (issue 13 item 4): a check-in's run is an activity, merged with the
watch file of the same run, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from backstride.adapters.db.database import Database, open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.services import importing, recovery, training
from backstride.services.clock import FixedClock
from backstride.services.ports import SavedActivity, SavedCheckin
from backstride.services.recovery.run_log import CHECKIN_SOURCE
from backstride.services.validation import InvalidDocument
from tests.builders import checkin_document, gpx

DAY = dt.date(2026, 3, 10)
CLOCK = FixedClock(dt.datetime(2026, 3, 10, 20, 0, tzinfo=dt.UTC))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_database(database_url)
    yield db
    db.dispose()


def check_in(database: Database, day: dt.date = DAY, **session: Any) -> recovery.CheckinResult:
    document = checkin_document(day, session={"kind": "run", **session})
    return recovery.record_checkin(SqlUnitOfWork(database), CLOCK, recovery.parse_checkin(document))


def log(database: Database) -> list[SavedActivity]:
    return list(training.list_runs(SqlUnitOfWork(database)))


def stored_link(database: Database, day: dt.date = DAY) -> str | None:
    document = recovery.stored_checkin(SqlUnitOfWork(database), day)
    assert document is not None
    assert document.session is not None
    return document.session.activity_id


def import_run(database: Database, km: float = 5.1, minutes: int = 31) -> importing.ImportSummary:
    start = dt.datetime.combine(DAY, dt.time(7), dt.UTC)
    data = gpx(start, km=km, minutes=minutes, heart_rate=True)
    return importing.import_bytes(SqlUnitOfWork(database), CLOCK, "run.gpx", data)


def test_a_checkin_run_is_an_activity_and_sending_the_day_again_updates_it(
    database: Database,
) -> None:
    result = check_in(database, minutes=30, distance_km=5.0)
    (activity,) = log(database)
    assert activity.source_format == CHECKIN_SOURCE
    assert activity.manual
    assert activity.sport == "running"
    assert activity.distance_m == 5000
    assert activity.elapsed_s == 30 * 60
    assert training.local_day(activity) == DAY
    assert result.document.session is not None
    assert result.document.session.activity_id == str(activity.id) == stored_link(database)

    check_in(database, minutes=40, distance_km=6.5)
    (again,) = log(database)
    assert again.id == activity.id
    assert again.distance_m == 6500
    assert again.elapsed_s == 40 * 60


def test_a_day_that_is_no_longer_a_run_takes_its_activity_back(database: Database) -> None:
    check_in(database, minutes=30)
    assert len(log(database)) == 1
    check_in(database, kind="walk", minutes=30)
    assert log(database) == []


def test_the_watch_file_of_the_same_run_merges_with_the_checkin_run(database: Database) -> None:
    check_in(database, minutes=30, distance_km=5.0, pain_after_0_10=2)
    (typed,) = log(database)
    summary = import_run(database)
    assert summary.replaced == 1
    assert summary.imported == 0
    (kept,) = log(database)
    assert kept.id == typed.id  # the check-in still points at it
    assert kept.source_format == "gpx"
    assert not kept.manual
    assert kept.pain_0_10 == 2  # what the runner said stays
    assert stored_link(database) == str(kept.id)
    # Sending the day again never overwrites the file's record, nor adds a run.
    check_in(database, minutes=45, distance_km=7.0)
    (still,) = log(database)
    assert still.source_format == "gpx"
    assert still.distance_m == kept.distance_m
    weeks = training.weekly_running_km(SqlUnitOfWork(database), DAY, DAY)
    assert sum(weeks.values()) == pytest.approx(5.1, abs=0.1)


def test_a_checkin_after_the_file_links_to_it_by_its_minutes(database: Database) -> None:
    import_run(database, km=5.1, minutes=31)
    (imported,) = log(database)
    check_in(database, minutes=30)  # no distance: the minutes match the watch's
    assert [a.id for a in log(database)] == [imported.id]
    assert stored_link(database) == str(imported.id)


def test_a_checkin_run_unlike_the_file_is_its_own_activity(database: Database) -> None:
    import_run(database, km=5.1, minutes=31)
    check_in(database, minutes=90, distance_km=15.0)  # an evening run, not the morning's
    assert sorted(a.source_format for a in log(database)) == [CHECKIN_SOURCE, "gpx"]


def test_an_activity_not_in_the_log_is_refused_and_nothing_is_stored(database: Database) -> None:
    with pytest.raises(InvalidDocument) as refused:
        check_in(database, minutes=30, activity_id="999")
    assert [p.path for p in refused.value.problems] == ["session.activity_id"]
    assert recovery.stored_checkin(SqlUnitOfWork(database), DAY) is None
    assert log(database) == []


def test_naming_a_logged_activity_links_it_instead_of_the_checkin_run(database: Database) -> None:
    check_in(database, minutes=30, distance_km=5.0)
    import_run(database, km=12.0, minutes=70)  # not the same run: a second activity
    other = next(a for a in log(database) if a.source_format == "gpx")
    check_in(database, minutes=70, activity_id=str(other.id))
    assert [a.id for a in log(database)] == [other.id]
    assert stored_link(database) == str(other.id)


def test_the_day_sent_again_whole_updates_its_run_and_keeps_an_old_link(
    database: Database,
) -> None:
    result = check_in(database, minutes=30, distance_km=5.0)
    whole = result.document.to_document()
    whole["session"]["minutes"] = 35
    recovery.record_checkin(SqlUnitOfWork(database), CLOCK, recovery.parse_checkin(whole))
    (activity,) = log(database)
    assert activity.elapsed_s == 35 * 60
    # A link stored before ids were checked is not refused when the day comes back.
    legacy = checkin_document(
        DAY + dt.timedelta(days=1), session={"kind": "walk", "minutes": 20, "activity_id": "w-1"}
    )
    uow = SqlUnitOfWork(database)
    with uow:
        document = recovery.parse_checkin(legacy)
        uow.checkins.put(SavedCheckin(DAY + dt.timedelta(days=1), CLOCK.now(), document))
        uow.commit()
    again = {**legacy, "next_morning_pain_0_10": 2}
    recovery.record_checkin(SqlUnitOfWork(database), CLOCK, recovery.parse_checkin(again))
    assert stored_link(database, DAY + dt.timedelta(days=1)) == "w-1"
