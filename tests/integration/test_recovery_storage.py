"""Check-ins and the return-to-run programme, stored on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.content.loader import load_programme_thresholds
from backstride.domain.recovery.checkin import SessionKind, WarningSign
from backstride.domain.recovery.escalation import Escalation, Level, RunningAdvice
from backstride.domain.recovery.return_to_run import (
    SessionLogEntry,
    StageId,
    UsualVolume,
    advance,
    start_programme,
)
from backstride.services import assessing, recovery
from backstride.services.clock import FixedClock
from backstride.services.ports import Retriage, SavedCheckin, SavedDecision
from tests.builders import checkin_document
from tests.care_support import pausing_intake
from tests.conftest import run_cli

DAY = dt.date(2024, 3, 4)
NOON = dt.datetime(2024, 3, 4, 12, 0, tzinfo=dt.UTC)
ALL_NO = {sign.value: False for sign in WarningSign}


def checkin(day: dt.date = DAY, **fields: object) -> dict[str, object]:
    return checkin_document(day, **fields)


def test_migrations_create_the_recovery_tables(database_url: str) -> None:
    database = open_database(database_url)
    assert {"checkins", "programmes", "programme_decisions"} <= set(database.table_names())
    database.dispose()
    again = open_database(database_url)
    assert {"checkins", "programmes", "programme_decisions"} <= set(again.table_names())
    again.dispose()


def test_a_checkin_with_its_escalations_comes_back_identical(database_url: str) -> None:
    database = open_database(database_url)
    document = recovery.parse_checkin(
        checkin(
            session={"kind": "run", "minutes": 20, "distance_km": 3.2, "pain_during_0_10": 2},
            warning_signs={**ALL_NO, "neuro.new_weakness": True},
            psfs=[{"activity": "running 5 km", "score_0_10": 4}],
            exercises_done=["glute-bridge"],
        )
    )
    escalation = Escalation(
        "X1", Level.URGENT, RunningAdvice.STOP, "See a doctor today.", "detail", ("f",), ("s",)
    )
    found = Retriage("urgent", "See a doctor today.", ("go",), ("f",), (), "check-in")
    saved = SavedCheckin(DAY, NOON, document, (escalation,), found)
    with SqlUnitOfWork(database) as uow:
        uow.checkins.put(saved)
        uow.commit()
    with SqlUnitOfWork(database) as uow:
        assert uow.checkins.get(DAY) == saved
        assert uow.checkins.get(DAY + dt.timedelta(days=1)) is None
        assert uow.checkins.up_to(DAY - dt.timedelta(days=1)) == []
    database.dispose()


def test_the_programme_and_its_decision_log_round_trip(database_url: str) -> None:
    database = open_database(database_url)
    usual = UsualVolume(runs_per_week=4, km_per_week=32.0)
    state = start_programme(usual)
    entry = SessionLogEntry(DAY, SessionKind.WALK, 30, 2, 1, 1, 2)
    after, decision = advance(state, entry, load_programme_thresholds())
    with SqlUnitOfWork(database) as uow:
        programme_id = uow.programmes.start(DAY, NOON, state)
        uow.programmes.add_decision(programme_id, SavedDecision(DAY, NOON, decision, after))
        uow.commit()
    with SqlUnitOfWork(database) as uow:
        programme = uow.programmes.current()
        assert programme is not None
        assert (programme.id, programme.started_on, programme.start) == (programme_id, DAY, state)
        assert uow.programmes.decisions(programme_id) == [SavedDecision(DAY, NOON, decision, after)]
    database.dispose()


def test_resending_a_day_merges_into_it_and_keeps_the_warning_screen(database_url: str) -> None:
    database = open_database(database_url)
    clock = FixedClock(NOON)
    assessing.assess_and_save(
        SqlUnitOfWork(database),
        FixedClock(NOON - dt.timedelta(days=1)),
        assessing.parse_intake(pausing_intake()),
    )

    def send(**fields: object) -> recovery.CheckinResult:
        document = recovery.parse_checkin(checkin(**fields))
        return recovery.record_checkin(SqlUnitOfWork(database), clock, document)

    first = send(
        session={"kind": "walk", "minutes": 30, "pain_during_0_10": 1, "pain_after_0_10": 1},
        warning_signs={**ALL_NO, "neuro.new_numbness": True},
    )
    assert first.warning_screen_due
    assert first.warning_screen_answered
    # The next morning: only the new field (and the required pains) are re-sent.
    morning = send(next_morning_pain_0_10=2, warning_signs={"neuro.new_numbness": False})
    merged = morning.document
    assert merged.next_morning_pain_0_10 == 2
    assert merged.session is not None
    assert merged.session.minutes == 30
    assert merged.warning_signs is not None
    assert set(merged.warning_signs) == set(WarningSign)
    # A yes is never undone on the same day.
    assert merged.warning_signs[WarningSign.NEW_NUMBNESS] is True
    assert [e.rule_id for e in morning.escalations] == ["X1"]
    # The walk was judged once, when its morning pain arrived.
    assert first.decisions == ()
    assert [d.decision.rule_id for d in morning.decisions] == ["RTR2"]
    again = send(next_morning_pain_0_10=2)
    assert again.decisions == ()
    with SqlUnitOfWork(database) as uow:
        assert len(uow.checkins.up_to(dt.date.max)) == 1
    database.dispose()


def test_checkins_and_programme_state_persist_across_cli_runs(
    database_url: str, tmp_path: Path
) -> None:
    """Two walks over four runs of the CLI move the runner on to the first walk-run stage."""
    days = [(DAY + dt.timedelta(days=n)).isoformat() for n in range(3)]
    common = ("--format", "json", "--db", database_url)
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps(pausing_intake()))
    assessed = run_cli("assess", "--input", str(intake), "--save", "--db", database_url)
    assert assessed.returncode == 0, assessed.stderr
    walk = ("--session", "walk", "--minutes", "30", "--run-pain", "1", "--after-pain", "1")

    first = run_cli(
        "checkin", "--date", days[0], "--pain-now", "3", "--worst", "4", *walk,
        "--no-warning-signs", *common,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["programme"]["stage"] == "walk"
    assert json.loads(first.stdout)["programme"]["waiting_for_morning"] == [days[0]]
    morning = run_cli("checkin", "--date", days[0], "--next-morning-pain", "3", *common)
    assert morning.returncode == 0, morning.stderr
    result = json.loads(morning.stdout)
    assert result["checkin"]["warning_signs"] == ALL_NO  # kept through the re-send
    assert [d["rule_id"] for d in result["programme"]["decisions"]] == ["RTR2"]
    assert result["programme"]["waiting_for_morning"] == []

    second = run_cli(
        "checkin", "--date", days[1], "--pain-now", "3", "--worst", "3", *walk, *common
    )
    assert second.returncode == 0, second.stderr
    morning = run_cli("checkin", "--date", days[1], "--next-morning-pain", "2", *common)
    decisions = json.loads(morning.stdout)["programme"]["decisions"]
    assert [(d["kind"], d["to_stage"]) for d in decisions] == [("advance", "run1_walk4")]

    shown = run_cli("today", "--date", days[2], *common)
    assert shown.returncode == 0, shown.stderr
    advice = json.loads(shown.stdout)
    assert advice["stage"] == StageId.RUN1_WALK4.value
    assert advice["session"]["kind"] == "walk_run"
    assert advice["session"]["intervals"] == {"run_min": 1, "walk_min": 4, "repeats": 6}
    assert advice["programme_started_on"] == days[0]

    report = run_cli("progress", "--date", days[2], *common)
    assert report.returncode == 0, report.stderr
    progress = json.loads(report.stdout)
    assert progress["checkins"] == 2
    assert [s["stage"] for s in progress["stages"]] == ["walk", "run1_walk4"]
    assert [p["pain_now"] for p in progress["daily_pain"]] == [3, 3]
