"""Issue 10: one state of care, everywhere and over time.

Scenarios through the services (an in-memory unit of work, dates from fixed clocks)
and through the real CLI: a self-care plan followed by an emergency assessment; a
cauda equina "yes" then "no" in check-ins; a one-day flare from 3 to 9; check-ins
twice a week.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backstride.adapters.export.plan_html import render_plan_html
from backstride.adapters.export.plan_ics import render_plan_ics
from backstride.cli.main import app
from backstride.domain.plan.model import Preferences
from backstride.domain.recovery.checkin import CHECKIN_SCHEMA_ID, WarningSign
from backstride.services import assessing, planning, recovery
from backstride.services.care import care_state, shown_plan
from backstride.services.clock import FixedClock
from tests.care_support import emergency_intake, pausing_intake, self_care_intake
from tests.memory_uow import MemoryUnitOfWork

START = dt.date(2026, 3, 2)  # a Monday
NO_SIGNS = {sign.value: False for sign in WarningSign}
runner = CliRunner()


def at(days: int, hour: int = 9) -> FixedClock:
    moment = dt.datetime.combine(START + dt.timedelta(days=days), dt.time(hour), dt.UTC)
    return FixedClock(moment)


def on(days: int) -> dt.date:
    return START + dt.timedelta(days=days)


def assess(uow: MemoryUnitOfWork, days: int, intake: dict[str, Any], hour: int = 9) -> int:
    saved = assessing.assess_and_save(uow, at(days, hour), assessing.parse_intake(intake))
    return int(saved.id)


def plan(uow: MemoryUnitOfWork, days: int) -> None:
    planned = planning.plan_from_latest(uow, Preferences(start_date=on(days)))
    assert planned.plan.has_exercises
    planning.save_plan(uow, at(days), planned)


def check_in(
    uow: MemoryUnitOfWork, days: int, now: int = 3, worst: int | None = None, **extra: Any
) -> recovery.CheckinResult:
    document = {
        "schema": CHECKIN_SCHEMA_ID,
        "date": on(days).isoformat(),
        "pain_now_0_10": now,
        "worst_24h_0_10": now if worst is None else worst,
        **extra,
    }
    return recovery.record_checkin(uow, at(days, 20), recovery.parse_checkin(document))


def offers_nothing(uow: MemoryUnitOfWork, day: dt.date) -> None:
    """No exercise, no run and no walk-run stage on any surface on ``day``."""
    advice = recovery.today(uow, day)
    assert advice.exercises == ()
    assert advice.session is None
    assert advice.stage is None
    assert advice.to_document()["care"]["suspended"] is True
    report = recovery.progress(uow, day)
    assert report.current_stage is None
    assert report.to_document()["care"]["suspended"] is True
    latest = planning.latest_plan(uow)
    if latest is not None:
        shown = shown_plan(latest.plan, care_state(uow, day))
        assert shown.phases == []
        assert shown.days == []
        assert "suspended" in shown.headline
        assert "exercise-card" not in render_plan_html(shown)
        calendar = render_plan_ics(shown, stamp=at(0).now())
        assert calendar.count("BEGIN:VEVENT") == 1
        assert "exercise" not in calendar.split("SUMMARY:", 1)[1].split("\r\n", 1)[0]


def offers_exercises(uow: MemoryUnitOfWork, day: dt.date) -> bool:
    """The plan's exercises today (or its rest day from them): the plan is followed again."""
    advice = recovery.today(uow, day)
    return advice.care.exercises_allowed and bool(advice.exercises or advice.exercise_rest_day)


# --- a self-care plan, then an emergency assessment -----------------------------------------


def test_an_emergency_assessment_suspends_a_running_self_care_plan() -> None:
    uow = MemoryUnitOfWork()
    assess(uow, 0, self_care_intake())
    plan(uow, 0)
    check_in(uow, 1, warning_signs=NO_SIGNS)
    assert care_state(uow, on(2)).state == "plan_active"
    assert offers_exercises(uow, on(2))

    assess(uow, 3, emergency_intake())
    care = care_state(uow, on(3))
    assert care.state == "care_now"
    assert care.level == "emergency"
    assert care.instruction is not None
    assert "cauda equina" in care.instruction.headline
    offers_nothing(uow, on(3))
    result = check_in(uow, 4, warning_signs=NO_SIGNS)
    assert result.care is not None
    assert result.care.state == "care_now"
    assert result.stage is None
    # A later self-care assessment (seen, no sign) gives the plan back.
    assess(uow, 6, self_care_intake(seen_clinician_since_warning=True))
    assert care_state(uow, on(6)).state == "plan_active"
    assert offers_exercises(uow, on(6))


# --- cauda equina yes, then no ------------------------------------------------------------


def test_a_warning_sign_holds_until_a_reassessment_after_being_seen() -> None:
    uow = MemoryUnitOfWork()
    assess(uow, 0, self_care_intake())
    plan(uow, 0)
    yes = check_in(uow, 1, warning_signs={**NO_SIGNS, WarningSign.SADDLE_NUMBNESS.value: True})
    assert yes.care is not None
    assert yes.care.state == "on_hold"
    assert yes.care.level == "emergency"
    offers_nothing(uow, on(1))

    # A "no" the next day does not clear it; nor does the passing of time.
    check_in(uow, 2, warning_signs=NO_SIGNS)
    for later in (2, 9, 30):
        assert care_state(uow, on(later)).state == "on_hold"
    offers_nothing(uow, on(9))

    # A reassessment without the sign that does not say "seen": still on hold.
    assess(uow, 10, self_care_intake())
    held = care_state(uow, on(10))
    assert held.state == "on_hold"
    assert any("does not record that you have been seen" in r for r in held.reasons)
    assess(uow, 11, self_care_intake(seen_clinician_since_warning=False))
    assert care_state(uow, on(11)).state == "on_hold"

    # Seen, but the sign is still there: the assessment itself needs care now.
    still = emergency_intake()
    still["schema"], still["review"] = "backstride.intake/2", {"seen_clinician_since_warning": True}
    assess(uow, 12, still)
    assert care_state(uow, on(12)).state == "care_now"

    # Seen, and the sign is gone: the plan comes back.
    assess(uow, 13, self_care_intake(seen_clinician_since_warning=True))
    cleared = care_state(uow, on(13))
    assert cleared.state == "plan_active"
    assert cleared.open_warnings == ()
    assert offers_exercises(uow, on(13))

    # A new "not sure" starts a new hold.
    unsure = {**NO_SIGNS, WarningSign.BLADDER_CHANGE.value: "not_sure"}
    again = check_in(uow, 14, warning_signs=unsure)
    assert again.care is not None
    assert again.care.state == "on_hold"
    assert again.care.open_warnings[0].not_sure


def test_a_reassessment_earlier_the_same_day_does_not_clear_a_later_warning() -> None:
    uow = MemoryUnitOfWork()
    assess(uow, 0, self_care_intake())
    plan(uow, 0)
    assess(uow, 1, self_care_intake(seen_clinician_since_warning=True), hour=8)
    check_in(uow, 1, warning_signs={**NO_SIGNS, WarningSign.NEW_WEAKNESS.value: True})
    care = care_state(uow, on(1))
    assert care.state == "on_hold"
    assert care.level == "urgent"


# --- a one-day flare ----------------------------------------------------------------------


def test_a_one_day_flare_from_3_to_9_pauses_running_and_asks_again() -> None:
    uow = MemoryUnitOfWork()
    assess(uow, 0, pausing_intake())
    plan(uow, 0)
    for day in range(1, 6):
        check_in(uow, day, 3, 3, warning_signs=NO_SIGNS)
    assert recovery.today(uow, on(6)).care.flare is None

    # Before the answers are saved, the form already knows the safety questions are due.
    prompts = recovery.checkin_prompts(uow, on(6))
    assert prompts.screen_due(9, 9)
    assert not prompts.screen_due(3, 3)
    flare = check_in(uow, 6, 9, 9)
    assert flare.care is not None
    assert flare.care.flare is not None
    assert flare.care.flare.day == on(6)
    assert flare.warning_screen_due
    assert flare.warning_screen_missing
    assert flare.care.level == "soon"  # self-care raised to soon, never higher
    assert "X6" in [e.rule_id for e in flare.escalations]
    assert not flare.care.running_allowed
    advice = recovery.today(uow, on(6))
    assert advice.session is None
    assert advice.running_note.startswith("No running today: a flare")
    assert advice.care.next_step == "reassess"

    # The next day's check-in is back at 3: the flare is over.
    settled = check_in(uow, 7, 3, 3, warning_signs=NO_SIGNS)
    assert settled.care is not None
    assert settled.care.flare is None
    assert settled.care.running_allowed


def test_pain_after_running_alone_can_flare() -> None:
    uow = MemoryUnitOfWork()
    assess(uow, 0, self_care_intake())
    plan(uow, 0)
    run = {"kind": "run", "minutes": 20, "pain_during_0_10": 2, "pain_after_0_10": 2}
    for day in (1, 3):
        check_in(uow, day, 2, 2, session=run, warning_signs=NO_SIGNS)
    hurt = {**run, "pain_after_0_10": 6}
    flare = check_in(uow, 5, 2, 6, session=hurt, warning_signs=NO_SIGNS)
    assert flare.care is not None
    assert flare.care.flare is not None
    assert [m.measure.value for m in flare.care.flare.measures] == ["worst_24h", "after_run"]


def test_without_two_recent_checkins_the_assessment_is_the_recent_level() -> None:
    uow = MemoryUnitOfWork()
    assess(uow, 0, self_care_intake(now=3, worst=4))
    plan(uow, 0)
    first = check_in(uow, 1, 7, 7, warning_signs=NO_SIGNS)  # 4 above the assessment's now
    assert first.care is not None
    assert first.care.flare is not None


# --- check-ins twice a week -------------------------------------------------------------


def test_the_pain_rules_work_with_two_checkins_a_week() -> None:
    uow = MemoryUnitOfWork()
    assess(uow, 0, self_care_intake())
    plan(uow, 0)
    for day, pain in ((0, 2), (3, 2), (7, 4), (10, 5)):
        check_in(uow, day, pain, pain, warning_signs=NO_SIGNS)
    care = care_state(uow, on(10))
    rules = [e.rule_id for e in care.escalations]
    assert "X2" in rules
    assert "X6" not in rules  # 5 is 3 above a recent level of 2: not a flare
    assert care.level == "soon"
    assert care.state == "plan_active"
    # The hold and the flare still work with sparse check-ins.
    check_in(uow, 14, 9, 9, warning_signs=NO_SIGNS)
    assert care_state(uow, on(16)).flare is not None  # until the next check-in


# --- through the CLI ------------------------------------------------------------------------


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'care.sqlite'}"


def test_after_an_emergency_assessment_every_command_shows_the_hold_first(
    db: str, tmp_path: Path
) -> None:
    (tmp_path / "self-care.json").write_text(json.dumps(self_care_intake()))
    (tmp_path / "emergency.json").write_text(json.dumps(emergency_intake()))
    cli("assess", "--input", str(tmp_path / "self-care.json"), "--save", "--db", db)
    cli("plan", "--save", "--db", db)
    assert "Exercises" in cli("today", "--db", db)
    cli("assess", "--input", str(tmp_path / "emergency.json"), "--save", "--db", db)

    ics, page = tmp_path / "plan.ics", tmp_path / "plan.html"
    outputs = {
        "today": cli("today", "--db", db),
        "plan": cli("plan", "--ics", str(ics), "--html", str(page), "--db", db),
        "progress": cli("progress", "--db", db),
        "checkin": cli(
            "checkin", "--pain-now", "3", "--worst", "3", "--no-warning-signs", "--db", db
        ),
        "runs": cli("runs", "--db", db),
    }
    for command, text in outputs.items():
        first = next(line for line in text.splitlines() if line.strip())
        assert "CARE NEEDED NOW" in first, command
        assert "EMERGENCY" in text, command
        assert "Walk or run" not in text, command
        assert "walk-run stage" not in text.replace("No exercise, no run and no walk-run stage", "")
        assert "Exercises —" not in text, command
    assert "suspended" in outputs["plan"]
    assert "suspended" in page.read_text()
    assert ics.read_text().count("BEGIN:VEVENT") == 1
    document = json.loads(cli("today", "--format", "json", "--db", db))
    assert document["care"]["state"] == "care_now"
    assert document["exercises"] == []
    assert document["session"] is None
    plan_document = json.loads(cli("plan", "--format", "json", "--db", db))
    assert plan_document["phases"] == []
    assert plan_document["days"] == []
