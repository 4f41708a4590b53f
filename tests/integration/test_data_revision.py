"""The data revision moves with every committed write, on every table, on both databases
(migration 0010): kept pages (web/drawn_pages.py) are only as right as this number."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backstride.bootstrap import open_storage
from backstride.domain.plan.model import Preferences
from backstride.services import assessing, planning
from tests.care_support import self_care_intake

# Not a person's record, so no kept page reads them (migration 0012).
ACCOUNT_TABLES = {"users", "user_sessions", "login_attempts", "invitations", "audit_log"}
UNCOUNTED = {"alembic_version", "data_revision", *ACCOUNT_TABLES}


class Clock:
    def now(self) -> dt.datetime:
        return dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return dt.date(2026, 3, 4)


def _triggered_tables(engine: sa.Engine) -> set[str]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(
                sa.text(
                    "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                    "AND name LIKE '%data_revision%'"
                )
            )
        else:
            rows = connection.execute(
                sa.text(
                    "SELECT event_object_table FROM information_schema.triggers "
                    "WHERE trigger_name LIKE '%data_revision%' "
                    "AND event_object_schema = current_schema()"
                )
            )
        return {row[0] for row in rows}


def test_every_table_moves_the_revision(database_url: str) -> None:
    storage = open_storage(database_url)
    engine = storage.database.engine
    tables = set(sa.inspect(engine).get_table_names()) - UNCOUNTED
    assert tables, "the schema has tables"
    assert _triggered_tables(engine) == tables
    storage.dispose()


def test_writes_move_it_and_reads_do_not(database_url: str) -> None:
    storage = open_storage(database_url)
    start = storage.unit_of_work().revision()
    assessing.latest_assessment(storage.unit_of_work())
    assert storage.unit_of_work().revision() == start
    saved = assessing.assess_and_save(
        storage.unit_of_work(), Clock(), assessing.parse_intake(self_care_intake())
    )
    after_assessment = storage.unit_of_work().revision()
    assert after_assessment > start
    planned = planning.plan_from_latest(
        storage.unit_of_work(), Preferences(start_date=dt.date(2026, 3, 4))
    )
    planning.save_plan(storage.unit_of_work(), Clock(), planned)
    assert storage.unit_of_work().revision() > after_assessment
    # A write made with plain SQL, outside every repository, moves it too.
    before_delete = storage.unit_of_work().revision()
    with storage.database.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM plans"))
    assert storage.unit_of_work().revision() > before_delete
    # A transaction that rolls back leaves it where it was.
    unchanged = storage.unit_of_work().revision()
    with storage.unit_of_work() as uow:
        uow.assessments.add(Clock().now(), saved.content_version, saved.intake, saved.assessment)
        uow.rollback()
    assert storage.unit_of_work().revision() == unchanged
    storage.dispose()
