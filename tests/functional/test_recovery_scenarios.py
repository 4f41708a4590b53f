"""Runners living six to eight weeks of check-ins through the recovery services.

Each day a synthetic runner asks `today` what to do, does it (or not), and
checks in, the way a person would: the evening's check-in, then the next
morning the back pain after yesterday's walk or run, re-sent onto that day.
Every date comes from a FixedClock, so eight weeks take a second. One scenario
is replayed through the real CLI with --date and must agree with the services.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from backstride.adapters.db.database import Database, open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.domain.plan.model import (
    Dose,
    Phase,
    Plan,
    PlanDay,
    PlanItem,
    Preferences,
    RunningPlan,
)
from backstride.domain.recovery.checkin import CHECKIN_SCHEMA_ID, SessionKind, WarningSign
from backstride.domain.recovery.escalation import Level
from backstride.domain.recovery.return_to_run import (
    DecisionKind,
    SessionPrescription,
    StageId,
    stage_index,
)
from backstride.services import assessing, recovery
from backstride.services.clock import FixedClock
from tests.conftest import ROOT, run_cli

START = dt.date(2024, 3, 4)  # a Monday
WEEKS_6, WEEKS_8 = 42, 56
NO_SIGNS: Mapping[str, bool] = {sign.value: False for sign in WarningSign}


def runner_intake() -> dict[str, Any]:
    """A new runner with mechanical back pain: self-care, pause running (pain 6/10 now)."""
    intake = json.loads((ROOT / "tests/spec/examples/new-runner.json").read_text())
    intake["pain"]["worst_0_10"] = 8
    intake["pain"]["now_0_10"] = 6
    intake["function"] = [
        {"activity": "running 5 km", "score_0_10": 2},
        {"activity": "sitting at work", "score_0_10": 5},
    ]
    return intake


def make_plan(start: dt.date = START, *, advice: str = "pause", weeks: int = 4) -> Plan:
    """A small plan as the plan builder would make it: dated weeks, then an open phase."""
    bridge = PlanItem(
        kind="exercise",
        title="Glute bridge",
        exercise="glute-bridge",
        dose=Dose(sets=2, reps=10, text="2 sets of 10"),
        why="Strong buttock muscles steady the pelvis when you run.",
    )
    bird_dog = PlanItem(
        kind="exercise",
        title="Bird dog",
        exercise="bird-dog",
        dose=Dose(sets=2, reps=8, per_side=True, text="2 sets of 8 each side"),
        why="Trains the trunk to stay still while the limbs move.",
    )
    dated_end = start + dt.timedelta(days=7 * weeks - 1)
    return Plan(
        triage_level="self_care",
        headline="Back pain you can look after yourself.",
        not_a_diagnosis="Not a diagnosis.",
        warning_signs=["Numbness between the legs"],
        do_now=[],
        preferences=Preferences(start_date=start, days_per_week=6),
        phases=[
            Phase(
                id="restore",
                title="Restore",
                starts_on=start,
                ends_on=dated_end,
                goal="Move easily again.",
                items=[bridge, bird_dog],
            ),
            Phase(
                id="prevent",
                title="Prevent",
                starts_on=dated_end + dt.timedelta(days=1),
                ends_on=None,
                goal="Keep it away.",
                items=[bridge],
            ),
        ],
        days=[
            PlanDay(
                date=start + dt.timedelta(days=offset),
                phase="restore",
                exercises=["glute-bridge", "bird-dog"],
                rest_day=offset % 7 == 6,
                running="return_to_run",
            )
            for offset in range(7 * weeks)
        ],
        running=RunningPlan(advice=advice, detail="Graded return.", return_to_run_from=start),
        education=[],
        sources=[],
        content_version="test",
    )


def prepare(database: Database, *, assessed: bool = True, plan: bool = True) -> None:
    """What the runner did before the days start: an assessment and a plan."""
    before = dt.datetime.combine(START - dt.timedelta(days=1), dt.time(9), dt.UTC)
    if assessed:
        intake = assessing.parse_intake(runner_intake())
        assessing.assess_and_save(SqlUnitOfWork(database), FixedClock(before), intake)
    if plan:
        with SqlUnitOfWork(database) as uow:
            uow.plans.add(before, None, make_plan())
            uow.commit()


# --- the synthetic runner ------------------------------------------------------------


def comfortable(day: int, session: SessionPrescription) -> tuple[int, int]:
    return 2, 1


def falling_from_4(day: int) -> int:
    """Resting pain 4/10 at the start, a point less each week, down to 0."""
    return max(0, 4 - day // 7)


@dataclass(frozen=True)
class Script:
    resting_pain: Callable[[int], int]
    session_pain: Callable[[int, SessionPrescription], tuple[int, int]] = comfortable
    warning_signs: Callable[[int], Mapping[str, bool]] = lambda day: {}
    psfs: Callable[[int], list[dict[str, Any]]] = lambda day: [
        {"activity": "running 5 km", "score_0_10": min(10, 2 + day // 7)},
        {"activity": "sitting at work", "score_0_10": min(10, 5 + day // 7)},
    ]


@dataclass
class Day:
    number: int
    day: dt.date
    advice: recovery.TodayAdvice
    result: recovery.CheckinResult
    morning: recovery.CheckinResult | None


@dataclass
class Life:
    database: Database
    days: list[Day] = field(default_factory=list)

    def today(self, number: int) -> recovery.TodayAdvice:
        return recovery.today(SqlUnitOfWork(self.database), START + dt.timedelta(days=number))

    def decisions(self) -> list[tuple[dt.date, Any]]:
        made = []
        for record in self.days:
            for result in (record.morning, record.result):
                if result is not None:
                    made += [(d.session_day, d.decision) for d in result.decisions]
        return made

    def first_day_with(self, rule_id: str) -> int | None:
        for record in self.days:
            if any(e.rule_id == rule_id for e in record.result.escalations):
                return record.number
        return None

    def documents(self) -> list[dict[str, Any]]:
        """Every day's check-in as finally stored (the morning pain merged in)."""
        with SqlUnitOfWork(self.database) as uow:
            return [s.document.to_document() for s in uow.checkins.up_to(dt.date.max)]


def _clock(day: dt.date, hour: int) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(hour), dt.UTC))


def live(database: Database, script: Script, days: int) -> Life:
    life = Life(database)
    for number in range(days):
        day = START + dt.timedelta(days=number)
        pain = script.resting_pain(number)
        prompts = recovery.checkin_prompts(SqlUnitOfWork(database), day)
        morning = None
        if prompts.morning_after is not None:
            stored = recovery.stored_checkin(SqlUnitOfWork(database), prompts.morning_after.day)
            assert stored is not None
            document = {**stored.to_document(), "next_morning_pain_0_10": pain}
            morning = recovery.record_checkin(
                SqlUnitOfWork(database), _clock(day, 7), recovery.parse_checkin(document)
            )
        advice = recovery.today(SqlUnitOfWork(database), day)
        document = {
            "schema": CHECKIN_SCHEMA_ID,
            "date": day.isoformat(),
            "pain_now_0_10": pain,
            "worst_24h_0_10": pain,
            "exercises_done": [e.slug for e in advice.exercises],
        }
        session = advice.session
        if session is not None and session.kind is not SessionKind.REST:
            during, after = script.session_pain(number, session)
            document["session"] = {
                "kind": session.kind.value,
                "minutes": session.minutes or 30,
                "pain_during_0_10": during,
                "pain_after_0_10": after,
            }
            if session.distance_km:
                document["session"]["distance_km"] = session.distance_km
            document["worst_24h_0_10"] = max(pain, during, after)
        signs = script.warning_signs(number)
        if prompts.screen_due(pain) or any(signs.values()):
            document["warning_signs"] = {**NO_SIGNS, **signs}
        if prompts.psfs_due:
            document["psfs"] = script.psfs(number)
        result = recovery.record_checkin(
            SqlUnitOfWork(database), _clock(day, 20), recovery.parse_checkin(document)
        )
        life.days.append(Day(number, day, advice, result, morning))
    return life


@pytest.fixture
def database(tmp_path: Path) -> Database:
    db = open_database(f"sqlite:///{tmp_path / 'runner.sqlite'}")
    yield db
    db.dispose()


# --- steady recovery -----------------------------------------------------------------


def test_steady_recovery_climbs_to_continuous_running_without_escalation(
    database: Database,
) -> None:
    prepare(database)
    life = live(database, Script(resting_pain=falling_from_4), WEEKS_8)

    assert all(not d.result.escalations for d in life.days)
    assert all(d.result.retriage is None for d in life.days)
    kinds = {decision.kind for _, decision in life.decisions()}
    assert DecisionKind.STEP_BACK not in kinds
    assert DecisionKind.ADVANCE in kinds
    final = life.today(WEEKS_8)
    assert final.stage is not None
    assert stage_index(final.stage) >= stage_index(StageId.RUN_30)
    assert final.session is not None
    # Past the plan's four dated weeks, today gives the open phase's exercises.
    assert [e.slug for e in final.exercises] == ["glute-bridge"]
    assert final.exercises[0].dose == "2 sets of 10"
    assert any(reason.startswith("Last session: ") for reason in final.why)
    assert "not a diagnosis" in final.not_a_diagnosis


def test_steady_recovery_starts_walking_and_keeps_rest_days_between_runs(
    database: Database,
) -> None:
    prepare(database)
    life = live(database, Script(resting_pain=falling_from_4), 21)

    first = life.days[0].advice
    assert first.stage is StageId.WALK
    assert first.session is not None
    assert first.session.kind is SessionKind.WALK
    assert first.session.minutes == 30
    assert [e.dose for e in first.exercises] == ["2 sets of 10", "2 sets of 8 each side"]
    run_days = [
        d.number
        for d in life.days
        if "session" in d.result.document.to_document()
        and d.result.document.session is not None
        and d.result.document.session.kind in (SessionKind.WALK_RUN, SessionKind.RUN)
    ]
    assert run_days
    assert all(later - earlier >= 2 for earlier, later in itertools.pairwise(run_days))
    # Every session was judged once, the morning after, by its next-morning pain.
    judged = [day for day, _ in life.decisions()]
    assert len(judged) == len(set(judged))


# --- a flare-up ----------------------------------------------------------------------


def test_a_flare_up_steps_back_escalates_then_recovers_past_it(database: Database) -> None:
    prepare(database)
    flared: list[int] = []

    def flare_once(day: int, session: SessionPrescription) -> tuple[int, int]:
        if session.stage is StageId.RUN3_WALK2 and not flared:
            flared.append(day)
            return 7, 6
        return (4, 3) if flared and day - flared[0] < 7 else (2, 1)

    def resting(day: int) -> int:
        # After the flare the back stays sore for a week, then settles again.
        if flared and 0 < day - flared[0] <= 7:
            return 5
        return 2 if day < 7 else 1

    life = live(database, Script(resting_pain=resting, session_pain=flare_once), WEEKS_8)

    flare = flared[0]
    step_back = next(d for day, d in life.decisions() if day == START + dt.timedelta(days=flare))
    assert step_back.kind is DecisionKind.STEP_BACK
    assert step_back.rule_id == "RTR8"
    assert step_back.to_stage is StageId.RUN2_WALK3
    # Judged at once (pain above 5/10), not left waiting for the next morning.
    assert life.days[flare].result.decisions[0].decision.rule_id == "RTR8"
    assert life.days[flare + 1].advice.stage is StageId.RUN2_WALK3
    # Pain jumped by 3 points: the safety questions were due the next day.
    assert life.days[flare + 1].result.warning_screen_due
    assert life.days[flare + 1].result.warning_screen_answered
    # A week of raised pain is a 7-day average up by at least 2 points.
    x2 = life.first_day_with("X2")
    assert x2 is not None
    assert flare < x2 <= flare + 8
    assert life.first_day_with("X1") is None
    final = life.today(WEEKS_8)
    assert final.stage is not None
    assert stage_index(final.stage) > stage_index(StageId.RUN3_WALK2)
    assert not final.escalations


# --- a plateau -----------------------------------------------------------------------


def test_a_plateau_escalates_at_four_weeks_and_today_says_so(database: Database) -> None:
    prepare(database)

    def stuck(day: int) -> int:
        return 5 if day < 7 else 4

    life = live(
        database,
        Script(
            resting_pain=stuck,
            session_pain=lambda day, session: (4, 4),
            psfs=lambda day: [
                {"activity": "running 5 km", "score_0_10": 3},
                {"activity": "sitting at work", "score_0_10": 5},
            ],
        ),
        WEEKS_6,
    )

    assert life.first_day_with("X4") == 28
    review = next(e for e in life.days[28].result.escalations if e.rule_id == "X4")
    assert review.level is Level.SOON
    assert "pain_7d_avg=4.0" in review.findings
    # The intake's activity scores are the PSFS baseline: 2 and 5, now 3 and 5.
    assert "psfs_baseline_avg=3.5" in review.findings
    assert "psfs_avg=4.0" in review.findings
    assert life.first_day_with("X2") is None
    advice = life.today(35)
    assert [e.rule_id for e in advice.escalations] == ["X4"]
    assert advice.escalations[0].headline.startswith("Book a doctor or physiotherapist")
    # Pain 4/10 during and after every walk: the programme never moves past walking.
    assert advice.stage is StageId.WALK
    # With nowhere to step back to, today follows the rule's "rest for a day or two".
    rests = [
        d.number
        for d in life.days
        if d.advice.session is not None
        and d.advice.session.kind is SessionKind.REST
        and "hurt too much" in d.advice.session.notes[0]
    ]
    assert rests
    progress = recovery.progress(SqlUnitOfWork(database), START + dt.timedelta(days=41))
    assert [(e.rule_id, e.first_day) for e in progress.escalations] == [
        ("X4", START + dt.timedelta(days=28))
    ]


# --- a warning sign mid-way ------------------------------------------------------------


def saddle_numbness_on(day_number: int) -> Callable[[int], Mapping[str, bool]]:
    def answers(day: int) -> Mapping[str, bool]:
        return {WarningSign.SADDLE_NUMBNESS.value: True} if day == day_number else {}

    return answers


def test_a_warning_sign_mid_way_re_triages_through_the_intake_at_once(
    database: Database,
) -> None:
    prepare(database)
    life = live(
        database,
        Script(resting_pain=falling_from_4, warning_signs=saddle_numbness_on(20)),
        WEEKS_6,
    )

    assert life.first_day_with("X1") == 20
    day20 = life.days[20].result
    assert day20.escalations[0].level is Level.EMERGENCY
    assert day20.retriage is not None
    assert day20.retriage.level == "emergency"
    assert day20.retriage.by == "intake"
    assert "cauda_equina_syndrome" in day20.retriage.red_flags
    assert day20.retriage.actions
    # The next day: no running, no exercises, the emergency advice first.
    advice = life.days[21].advice
    assert advice.session is None
    assert advice.exercises == ()
    assert advice.stage is None
    assert advice.care.state == "on_hold"
    assert advice.care.instruction is not None
    assert advice.care.instruction.level == "emergency"
    assert advice.retriage is not None
    assert advice.retriage.level == "emergency"
    # R13: the hold stays (no expiry, later "no" answers do not clear it).
    assert life.today(26).care.state == "on_hold"
    assert life.today(30).care.state == "on_hold"
    assert life.today(30).retriage is not None


def test_a_sign_the_intake_cannot_express_is_triaged_by_the_checkin_rules(
    database: Database,
) -> None:
    prepare(database)

    def new_weakness(day: int) -> Mapping[str, bool]:
        return {WarningSign.NEW_WEAKNESS.value: True} if day == 10 else {}

    life = live(database, Script(resting_pain=falling_from_4, warning_signs=new_weakness), 12)

    found = life.days[10].result.retriage
    assert found is not None
    assert found.level == "urgent"
    assert found.by == "check-in"
    assert found.headline.startswith("See a doctor today")
    assert any("new weakness in a leg or foot" in action for action in found.actions)


def test_without_an_assessment_today_leads_to_the_assessment(database: Database) -> None:
    prepare(database, assessed=False, plan=False)
    advice = recovery.today(SqlUnitOfWork(database), START)

    # Issue 10: no 30-minute walk before the assessment has checked for warning signs.
    assert not advice.has_plan
    assert advice.care.state == "no_assessment"
    assert advice.plan_note.startswith("Start with the assessment")
    assert advice.session is None
    assert advice.stage is None
    life = live(
        database,
        Script(resting_pain=falling_from_4, warning_signs=saddle_numbness_on(3)),
        5,
    )
    assert life.days[3].result.retriage is not None
    assert life.days[3].result.retriage.by == "check-in"
    assert life.days[3].result.retriage.level == "emergency"


def test_a_plan_that_pauses_running_until_seen_gives_walking_only(database: Database) -> None:
    """A clinician-first plan pauses running with no date to return: no programme starts."""
    paused = make_plan().model_copy(
        update={
            "running": RunningPlan(advice="pause", detail="Until seen.", return_to_run_from=None)
        }
    )
    with SqlUnitOfWork(database) as uow:
        uow.plans.add(dt.datetime.combine(START, dt.time(8), dt.UTC), None, paused)
        uow.commit()
    life = live(database, Script(resting_pain=falling_from_4), 10)

    assert all(d.advice.session is None for d in life.days)
    assert life.days[0].advice.running_note.startswith("No running until a clinician has seen you")
    assert all(d.result.programme_started_on is None for d in life.days)
    assert life.days[0].advice.exercises  # the plan's exercises still stand


# --- once through the CLI ----------------------------------------------------------------


@pytest.mark.slow
def test_the_cli_with_dates_replays_a_flare_up_to_the_same_advice_and_progress(
    database: Database, tmp_path: Path
) -> None:
    """Six weeks of check-ins sent with `backstride checkin --date` agree with the services."""
    prepare(database)

    flared: list[int] = []

    def flare_on_day_16(day: int, session: SessionPrescription) -> tuple[int, int]:
        # The first session from day 16 on (run days follow the plan's calendar).
        if day >= 16 and not flared:
            flared.append(day)
            return 7, 6
        return 2, 1

    def resting(day: int) -> int:
        return 5 if 16 < day <= 23 else (2 if day < 7 else 1)

    life = live(
        database,
        Script(resting_pain=resting, session_pain=flare_on_day_16),
        WEEKS_6,
    )
    end = (START + dt.timedelta(days=WEEKS_6 - 1)).isoformat()
    expected_today = recovery.today(SqlUnitOfWork(database), dt.date.fromisoformat(end))
    expected_progress = recovery.progress(SqlUnitOfWork(database), dt.date.fromisoformat(end))

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    fresh = open_database(url)
    prepare(fresh)
    fresh.dispose()
    for document in life.documents():
        # A stored check-in links its run to the activity the run log made for it in the
        # first database; sent to a fresh one the runner gives no id, and the run log
        # makes the activity again (an id not in the log is refused).
        (document.get("session") or {}).pop("activity_id", None)
        sent = run_cli(
            "checkin", "--input", "-", "--date", document["date"], "--format", "json",
            "--db", url, stdin=json.dumps(document),
        )  # fmt: skip
        assert sent.returncode == 0, sent.stderr
    shown = run_cli("today", "--date", end, "--format", "json", "--db", url)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == expected_today.to_document()
    report = run_cli("progress", "--date", end, "--format", "json", "--db", url)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout) == json.loads(json.dumps(expected_progress.to_document()))
    climbed = [span["stage_index"] for span in json.loads(report.stdout)["stages"]]
    assert any(later < earlier for earlier, later in itertools.pairwise(climbed))  # the step back
    text = run_cli("progress", "--date", end, "--db", url)
    assert "Back pain, 7-day average" in text.stdout
    assert "X2" in text.stdout
