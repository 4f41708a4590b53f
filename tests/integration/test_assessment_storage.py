"""The storage suite, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.services import assessing
from backstride.services.clock import FixedClock
from tests.conftest import load_vignettes, run_cli

CASES = {case["id"]: case for case in load_vignettes()}


def test_saved_assessments_come_back_identical_and_newest_first(database_url: str) -> None:
    database = open_database(database_url)
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    saved = []
    for offset, case_id in enumerate(["p19", "p01", "p14"]):
        clock = FixedClock(start + timedelta(days=offset))
        intake = assessing.parse_intake(CASES[case_id]["intake"])
        saved.append(assessing.assess_and_save(SqlUnitOfWork(database), clock, intake))
    listed = assessing.history(SqlUnitOfWork(database))
    assert [s.id for s in listed] == [s.id for s in reversed(saved)]
    newest = listed[0]
    assert newest.assessment == saved[-1].assessment
    assert newest.intake == saved[-1].intake
    assert newest.created_at == start + timedelta(days=2)
    assert newest.created_at.tzinfo is not None
    assert newest.content_version == saved[-1].content_version
    latest = assessing.latest_assessment(SqlUnitOfWork(database))
    assert latest is not None
    assert latest.id == saved[-1].id
    database.dispose()


def test_migrating_twice_changes_nothing(database_url: str) -> None:
    first = open_database(database_url)
    tables = sorted(first.table_names())
    first.dispose()
    second = open_database(database_url)
    assert sorted(second.table_names()) == tables
    assert "assessments" in tables
    second.dispose()


def test_a_failed_unit_of_work_keeps_nothing(database_url: str) -> None:
    database = open_database(database_url)
    intake = assessing.parse_intake(CASES["p19"]["intake"])
    assessment = assessing.assess_intake(intake)

    def crash_before_commit() -> None:
        with SqlUnitOfWork(database) as uow:
            uow.assessments.add(datetime.now(UTC), "v", intake, assessment)
            raise RuntimeError("crash before commit")

    with pytest.raises(RuntimeError):
        crash_before_commit()
    assert assessing.history(SqlUnitOfWork(database)) == []
    database.dispose()


def test_cli_save_and_history_persist_across_runs(database_url: str, tmp_path) -> None:
    intake_file = tmp_path / "intake.json"
    intake_file.write_text(json.dumps(CASES["p14"]["intake"]))
    saved = run_cli("assess", "--input", str(intake_file), "--save", "--db", database_url)
    assert saved.returncode == 0, saved.stderr
    assert "Saved as assessment" in saved.stderr
    listed = run_cli("history", "--format", "json", "--db", database_url)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 1
    assert rows[0]["triage"] == "soon"
    assert rows[0]["likely_causes"][0] == "radicular_sciatica"


def test_the_migrations_have_a_single_head() -> None:
    """New migrations build on one line of history, never on a forgotten branch."""
    from alembic.script import ScriptDirectory

    from backstride.adapters.db.database import alembic_config, create_database_engine

    engine = create_database_engine("sqlite://")
    assert len(ScriptDirectory.from_config(alembic_config(engine)).get_heads()) == 1
