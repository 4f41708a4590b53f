"""Migration 0006 moves every streams blob to ``activity_streams`` and back, losing none."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import column, insert, inspect, table, text

from backstride.adapters.db.database import alembic_config, create_database_engine, open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork

ROW = {
    "sport": "running",
    "start_utc": dt.datetime(2024, 5, 1, 6, 0, tzinfo=dt.UTC),
    "elapsed_s": 1800.0,
    "moving_s": 1790.0,
    "source_format": "fit",
    "source_name": "run.fit",
    "source_index": 0,
    "richness": 5,
    "samples": 3,
    "warnings": "[]",
    "imported_at": dt.datetime(2024, 5, 2, 9, 0, tzinfo=dt.UTC),
    "manual": False,
}


def test_the_blobs_move_to_their_table_and_back(database_url: str) -> None:
    engine = create_database_engine(database_url)
    config = alembic_config(engine)
    command.upgrade(config, "0005")
    activities = table("activities", *(column(name) for name in [*ROW, "source_sha256", "streams"]))
    with engine.begin() as connection:
        for n, blob in enumerate((b"BSTR-one", None, b"BSTR-three" * 5000)):
            row = {**ROW, "source_sha256": f"{n:064d}", "streams": blob}
            connection.execute(insert(activities).values(row))
    engine.dispose()

    database = open_database(database_url)  # migrates to the newest revision
    assert "streams" not in {c["name"] for c in inspect(database.engine).get_columns("activities")}
    uow = SqlUnitOfWork(database)
    with uow:
        blobs = [uow.activities.streams(n) for n in (1, 2, 3)]
    assert blobs == [b"BSTR-one", None, b"BSTR-three" * 5000]
    database.dispose()

    engine = create_database_engine(database_url)
    command.downgrade(alembic_config(engine), "0005")
    with engine.connect() as connection:
        back = connection.execute(text("SELECT streams FROM activities ORDER BY id")).scalars()
        assert list(back) == [b"BSTR-one", None, b"BSTR-three" * 5000]
    engine.dispose()
