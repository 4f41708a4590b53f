"""The run log's total is kept, not counted (issue 14): ``activity_totals`` equals
``count(*)`` after every kind of write, on SQLite and PostgreSQL, and the fake's count
agrees; migration 0011 fills it from the activities already stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from backstride.adapters.db.activities import ActivityRow, ActivityTotalsRow
from backstride.bootstrap import open_storage
from backstride.services import importing, recovery, training
from backstride.services.clock import FixedClock
from backstride.services.ports import UnitOfWork
from tests.builders import checkin_document, gpx
from tests.fakes import FakeUnitOfWork

DAY = dt.date(2026, 3, 10)
CLOCK = FixedClock(dt.datetime(2026, 3, 14, 20, 0, tzinfo=dt.UTC))


def steps(new_uow: Callable[[], UnitOfWork]) -> list[tuple[str, Callable[[], object]]]:
    """Every write that adds, replaces or removes an activity, one after another."""

    def imported(name: str, data: bytes) -> Callable[[], object]:
        return lambda: importing.import_bytes(new_uow(), CLOCK, name, data)

    def checked_in(day: dt.date, **fields: object) -> Callable[[], object]:
        document = recovery.parse_checkin(checkin_document(day, **fields))
        return lambda: recovery.record_checkin(new_uow(), CLOCK, document)

    morning = dt.datetime.combine(DAY, dt.time(7), dt.UTC)
    later = morning + dt.timedelta(days=1)
    run = {"kind": "run", "minutes": 30, "distance_km": 5.0}
    walk = {"kind": "walk", "minutes": 30}
    manual = training.ManualRun(morning + dt.timedelta(days=3), 6.0, 2100)
    return [
        ("an import", imported("a.gpx", gpx(morning, creator="phone"))),
        ("the same file again", imported("a.gpx", gpx(morning, creator="phone"))),
        (
            "a richer source of the same run, replaced in place",
            imported("b.gpx", gpx(morning + dt.timedelta(seconds=30), heart_rate=True)),
        ),
        ("another run", imported("c.gpx", gpx(later, km=8, minutes=48))),
        ("a check-in's run", checked_in(DAY + dt.timedelta(days=2), session=run)),
        ("the day sent again as a walk", checked_in(DAY + dt.timedelta(days=2), session=walk)),
        ("the run checked in again", checked_in(DAY + dt.timedelta(days=2), session=run)),
        (
            "its watch file, merged with it",
            imported(
                "d.gpx",
                gpx(
                    dt.datetime.combine(DAY + dt.timedelta(days=2), dt.time(7), dt.UTC),
                    km=5.0,
                    minutes=30,
                    heart_rate=True,
                ),
            ),
        ),
        ("a run by hand", lambda: training.add_manual_run(new_uow(), CLOCK, manual)),
    ]


def test_the_kept_total_equals_the_count_after_every_write(database_url: str) -> None:
    storage = open_storage(database_url)
    fake = FakeUnitOfWork()
    engine = storage.database.engine

    def counted() -> tuple[int, int]:
        with engine.connect() as connection:
            kept = connection.scalar(sa.select(ActivityTotalsRow.activities))
            every = connection.scalar(sa.select(sa.func.count()).select_from(ActivityRow))
        return int(kept or 0), int(every or 0)

    try:
        assert counted() == (0, 0)
        totals = []
        for (what, sql_step), (_, fake_step) in zip(
            steps(storage.unit_of_work), steps(lambda: fake), strict=True
        ):
            sql_step()
            fake_step()
            kept, every = counted()
            assert kept == every, what
            page = training.run_page(storage.unit_of_work(), 1)
            assert page.total == every, what
            assert page.older == max(0, every - 1), what
            assert training.run_page(fake, 1).total == every, what
            totals.append(every)
        # The script added, kept, replaced and took back activities.
        assert totals[:3] == [1, 1, 1]
        assert totals[4] == totals[3] + 1
        assert totals[5] == totals[3]
        assert totals[-1] == totals[-2] + 1
    finally:
        storage.dispose()


def test_the_migration_fills_the_total_from_the_log(database_url: str) -> None:
    from alembic import command

    from backstride.adapters.db.database import alembic_config, migrate

    storage = open_storage(database_url)
    engine = storage.database.engine
    try:
        for n in range(3):
            start = dt.datetime.combine(DAY + dt.timedelta(days=n), dt.time(7), dt.UTC)
            importing.import_bytes(storage.unit_of_work(), CLOCK, f"{n}.gpx", gpx(start))
        command.downgrade(alembic_config(engine), "0010")
        assert "activity_totals" not in sa.inspect(engine).get_table_names()
        migrate(engine)
        with engine.connect() as connection:
            assert connection.scalar(sa.select(ActivityTotalsRow.activities)) == 3
        assert training.run_page(storage.unit_of_work(), 2).total == 3
    finally:
        storage.dispose()
