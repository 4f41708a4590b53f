"""The fake unit of work (tests/fakes.py) and the SQL one agree where services could tell.

One script of use cases runs against both, on SQLite and PostgreSQL; what the services
read back must be the same. The unit tests of the services trust the fake because of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from backstride.bootstrap import open_storage
from backstride.ingest import Activity, read_file
from backstride.services import importing, recovery, training
from backstride.services.clock import FixedClock
from backstride.services.ports import ActivityMeasure, UnitOfWork
from tests.builders import checkin_document, gpx
from tests.fakes import FakeIntegrityError, FakeUnitOfWork

CLOCK = FixedClock(dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC))
MORNING = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def both(database_url: str) -> Iterator[dict[str, Callable[[], UnitOfWork]]]:
    storage = open_storage(database_url)
    fake = FakeUnitOfWork()
    yield {"sql": storage.unit_of_work, "fake": lambda: fake}
    storage.dispose()


def script(new_uow: Callable[[], UnitOfWork]) -> dict[str, Any]:
    """Use cases touching every repository's writes, then everything read back."""
    seen: dict[str, Any] = {}
    training.add_shoe(new_uow(), "Pegasus", started_km=120, default=True)
    training.add_shoe(new_uow(), "Trail", started_km=0)
    imports = [
        ("a.gpx", gpx(MORNING, creator="phone")),
        ("a.gpx", gpx(MORNING, creator="phone")),  # the same file again
        ("b.gpx", gpx(MORNING + dt.timedelta(seconds=30), heart_rate=True)),  # richer
        ("c.gpx", gpx(MORNING + dt.timedelta(days=1), km=8, minutes=48)),
    ]
    seen["imports"] = [
        importing.summary_document(importing.import_bytes(new_uow(), CLOCK, name, data))
        for name, data in imports
    ]
    runs = training.list_runs(new_uow())
    training.assign_shoe(new_uow(), runs[0].id, "trail")
    training.retire_shoe(new_uow(), "Pegasus")
    for offset, fields in enumerate(
        [{"pain": 2, "worst": 3}, {"pain": 4, "worst": 6}, {"pain": 3, "worst": 3}]
    ):
        day = DAY + dt.timedelta(days=offset)
        document = recovery.parse_checkin(checkin_document(day, **fields))
        recovery.record_checkin(new_uow(), CLOCK, document)
    seen["runs"] = [training.activity_document(a, dt.UTC) for a in training.list_runs(new_uow())]
    seen["shoes"] = [training.shoe_document(s) for s in training.list_shoes(new_uow())]
    uow = new_uow()
    with uow:
        activities = uow.activities
        keys = activities.keys()
        seen["keys"] = [(k.source_name, k.richness, k.manual) for k in keys]
        window = activities.between(MORNING, MORNING + dt.timedelta(days=2))
        seen["between"] = [a.source_name for a in window]
        # The weekly running's six columns: what between gives, in its order.
        measures = activities.measures_between(MORNING, MORNING + dt.timedelta(days=2))
        seen["measures"] = list(measures)
        assert seen["measures"] == [
            ActivityMeasure(
                a.sport, a.start_utc, a.utc_offset_s, a.distance_m, a.moving_s, a.elapsed_s
            )
            for a in window
        ]
        seen["first"] = activities.first(sports={"running"}) is not None
        seen["totals"] = sorted(activities.shoe_totals().values())
        seen["count"] = activities.count()
        checkins = uow.checkins
        seen["checkins"] = [c.day for c in checkins.up_to(DAY + dt.timedelta(days=5))]
        seen["latest"] = [c.day for c in checkins.latest(DAY + dt.timedelta(days=5), limit=2)]
        seen["last_day"] = checkins.last_day()
        seen["shoe"] = uow.shoes.by_name("  TRAIL ")
    return seen


def test_the_fake_and_the_sql_unit_of_work_read_the_same(
    both: dict[str, Callable[[], UnitOfWork]],
) -> None:
    sql, fake = script(both["sql"]), script(both["fake"])
    assert [d["duplicates"] for d in sql["imports"]] == [0, 1, 0, 0]
    assert sql["imports"][2]["replaced"] == 1
    assert (sql["count"], len(sql["checkins"]), sql["latest"]) == (
        2,
        3,
        [DAY + dt.timedelta(2), DAY + dt.timedelta(1)],
    )
    for key in sql:
        assert fake[key] == sql[key], key


def test_both_forget_what_was_not_committed(both: dict[str, Callable[[], UnitOfWork]]) -> None:
    for new_uow in both.values():
        uow = new_uow()
        with uow:
            uow.shoes.add("Kept", 0)
            uow.commit()
            uow.shoes.add("Forgotten", 0)
        with uow:
            assert [s.name for s in uow.shoes.list()] == ["Kept"]


def test_both_refuse_a_second_activity_from_the_same_file_and_session(
    both: dict[str, Callable[[], UnitOfWork]],
) -> None:
    [activity] = read_file("a.gpx", gpx(MORNING))
    assert isinstance(activity, Activity)
    data = importing.activity_data(activity, shoe_id=None, imported_at=CLOCK.now())
    for new_uow in both.values():
        uow = new_uow()
        with uow:
            uow.activities.write([data], [])
            uow.commit()
        with uow, pytest.raises((IntegrityError, FakeIntegrityError)):
            uow.activities.write([data], [])
        with uow:
            assert uow.activities.count() == 1
