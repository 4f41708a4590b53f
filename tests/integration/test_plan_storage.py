"""Saving and loading plans, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.domain.plan.model import Plan, Preferences
from backstride.services import assessing, planning, recovery
from backstride.services.clock import FixedClock
from tests.conftest import load_vignettes, run_cli

CASES = {case["id"]: case for case in load_vignettes()}
START = dt.date(2026, 3, 2)
CLOCK = FixedClock(dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC))


def test_a_plan_from_the_latest_assessment_is_saved_with_its_id(database_url: str) -> None:
    database = open_database(database_url)
    intake = assessing.parse_intake(CASES["p17"]["intake"])
    saved_assessment = assessing.assess_and_save(SqlUnitOfWork(database), CLOCK, intake)
    planned = planning.plan_from_latest(SqlUnitOfWork(database), Preferences(start_date=START))
    assert planned.assessment_id == saved_assessment.id
    stored = planning.save_plan(SqlUnitOfWork(database), CLOCK, planned)
    latest = planning.latest_plan(SqlUnitOfWork(database))
    assert latest is not None
    assert latest.id == stored.id
    assert latest.assessment_id == saved_assessment.id
    assert latest.plan == planned.plan
    assert latest.created_at == CLOCK.now()
    database.dispose()


def test_without_a_saved_assessment_there_is_no_plan(database_url: str) -> None:
    database = open_database(database_url)
    with pytest.raises(planning.NoAssessmentError, match="assess --save first"):
        planning.plan_from_latest(SqlUnitOfWork(database), Preferences(start_date=START))
    assert planning.latest_plan(SqlUnitOfWork(database)) is None
    database.dispose()


def test_an_intake_plan_saves_assessment_and_plan_together(database_url: str) -> None:
    database = open_database(database_url)
    intake = assessing.parse_intake(CASES["p19"]["intake"])
    saved, assessment_id = planning.plan_and_save_from_intake(
        SqlUnitOfWork(database), CLOCK, intake, Preferences(start_date=START)
    )
    latest_assessment = assessing.latest_assessment(SqlUnitOfWork(database))
    assert latest_assessment is not None
    assert latest_assessment.id == assessment_id
    assert saved.assessment_id == assessment_id
    latest = planning.latest_plan(SqlUnitOfWork(database))
    assert latest is not None
    assert latest.plan == saved.plan
    database.dispose()


def test_today_reads_the_saved_plan(database_url: str) -> None:
    """The check-in side (`backstride today`) finds the day's exercises in a built plan."""
    database = open_database(database_url)
    intake = assessing.parse_intake(CASES["p19"]["intake"])
    saved, _ = planning.plan_and_save_from_intake(
        SqlUnitOfWork(database), CLOCK, intake, Preferences(start_date=START)
    )
    advice = recovery.today(SqlUnitOfWork(database), START)
    planned_day = saved.plan.day(START)
    assert planned_day is not None
    assert [e.slug for e in advice.exercises] == planned_day.exercises
    assert all(e.dose and e.why for e in advice.exercises)
    database.dispose()


def test_cli_saves_a_plan_from_the_latest_assessment(database_url: str, tmp_path: Path) -> None:
    intake_file = tmp_path / "intake.json"
    intake_file.write_text(json.dumps(CASES["p14"]["intake"]))
    assessed = run_cli("assess", "--input", str(intake_file), "--save", "--db", database_url)
    assert assessed.returncode == 0, assessed.stderr
    built = run_cli(
        "plan", "--save", "--db", database_url, "--format", "json", "--start", "2026-03-02"
    )
    assert built.returncode == 0, built.stderr
    assert "Saved as plan" in built.stderr
    printed = Plan.model_validate(json.loads(built.stdout))
    database = open_database(database_url)
    latest = planning.latest_plan(SqlUnitOfWork(database))
    assert latest is not None
    assert latest.plan == printed
    assert latest.assessment_id is not None
    database.dispose()


def test_cli_saves_assessment_and_plan_from_an_intake(database_url: str, tmp_path: Path) -> None:
    intake_file = tmp_path / "intake.json"
    intake_file.write_text(json.dumps(CASES["p20"]["intake"]))
    built = run_cli("plan", "--input", str(intake_file), "--save", "--db", database_url)
    assert built.returncode == 0, built.stderr
    assert "Saved as assessment" in built.stderr
    listed = run_cli("history", "--format", "json", "--db", database_url)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 1
