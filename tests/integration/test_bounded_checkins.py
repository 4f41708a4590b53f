"""Check-ins read in bounded time give the same answers as the whole diary (issue 14).

Recording a check-in, Today, Progress, the check-in prompts, the page after saving and
the care state read only the window the rules look back over, plus the few rows they
need from any time (``services.care.recovery_history``, ``services.recovery.window``),
and the programme's decision log by indexed queries. Here the same long random diary
(gaps, back-dated days, next-morning pain sent later, sessions of every kind, PSFS,
warning signs and reassessments after being seen) is recorded twice: through the
bounded reads on SQLite or PostgreSQL, and through a unit of work whose bounded reads
hand back every check-in and compute the decision queries from the whole log, which is
how the rules read before. Every answer along the way must be identical.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from backstride.adapters.db.checkins import CheckinRow
from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.domain.plan.model import Preferences
from backstride.domain.recovery.checkin import CHECKIN_SCHEMA_ID, SessionKind, WarningSign
from backstride.services import assessing, planning, recovery
from backstride.services.care import care_state
from backstride.services.clock import FixedClock
from backstride.services.ports import CheckinDay, SavedCheckin
from tests.care_support import pausing_intake, self_care_intake
from tests.whole_diary import WholeDiary

FIRST = dt.date(2023, 1, 2)
ALL_NO = {sign.value: False for sign in WarningSign}
HOLDING = ("neuro.new_weakness", "general.fever_or_chills", "neuro.saddle_numbness")


def evening(day: dt.date) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(19, 30), dt.UTC))


def document(rng: random.Random, day: dt.date, level: float) -> dict[str, Any]:
    pain = max(0, min(10, round(level + rng.gauss(0, 1.2))))
    if rng.random() < 0.04:
        pain = min(10, pain + rng.randint(3, 6))  # a flare
    found: dict[str, Any] = {
        "schema": CHECKIN_SCHEMA_ID,
        "date": day.isoformat(),
        "pain_now_0_10": pain,
        "worst_24h_0_10": min(10, pain + rng.randint(0, 2)),
    }
    if rng.random() < 0.55:
        kind = rng.choice([k.value for k in SessionKind] + ["walk_run", "run", "walk"])
        session: dict[str, Any] = {"kind": kind, "minutes": 0 if kind == "rest" else 20}
        if kind != "rest":
            session["minutes"] = rng.randint(10, 45)
            session["pain_during_0_10"] = max(0, min(10, pain + rng.randint(-2, 3)))
            session["pain_after_0_10"] = max(0, min(10, pain + rng.randint(-2, 3)))
            if kind in ("run", "walk_run") and rng.random() < 0.7:
                session["distance_km"] = round(rng.uniform(1, 8), 1)
        found["session"] = session
    if rng.random() < 0.15:
        signs: dict[str, object] = dict(ALL_NO)
        roll = rng.random()
        if roll < 0.12:
            signs[rng.choice(HOLDING)] = rng.choice([True, "not_sure"])
        elif roll < 0.3:
            signs["neuro.new_numbness"] = True
        found["warning_signs"] = signs
    if rng.random() < 0.1:
        found["psfs"] = [
            {"activity": "running 5 km", "score_0_10": rng.randint(2, 9)},
            {"activity": "sitting at work", "score_0_10": rng.randint(2, 9)},
        ]
    if rng.random() < 0.1:
        found["exercises_done"] = ["glute-bridge"]
    return found


def same(bounded: Any, whole: Any, what: str) -> None:
    assert bounded == whole, what


def compare_reads(bounded: Any, whole: Any, day: dt.date) -> None:
    same(
        recovery.today(bounded, day).to_document(),
        recovery.today(whole, day).to_document(),
        f"today {day}",
    )
    same(
        recovery.progress(bounded, day).to_document(),
        recovery.progress(whole, day).to_document(),
        f"progress {day}",
    )
    for back in (30, 400):  # a short period, and one longer than the default 90 days
        start = day - dt.timedelta(days=back)
        same(
            recovery.progress(bounded, day, start).to_document(),
            recovery.progress(whole, day, start).to_document(),
            f"progress from {start} to {day}",
        )
    care = care_state(bounded, day).to_document()
    same(care, care_state(whole, day).to_document(), f"care {day}")
    prompts = recovery.checkin_prompts(bounded, day)
    reference = recovery.checkin_prompts(whole, day)
    fields = ("morning_after", "psfs_due", "psfs_activities", "planned_exercises", "prescribed")
    for field in fields:
        same(getattr(prompts, field), getattr(reference, field), f"prompts.{field} {day}")
    for pain in (0, 4, 9):
        same(prompts.screen_due(pain), reference.screen_due(pain), f"screen {pain} {day}")
    found, expected = recovery.saved_outcome(bounded, day), recovery.saved_outcome(whole, day)
    same(
        found.to_document() if found else None,
        expected.to_document() if expected else None,
        f"saved {day}",
    )


def assess(uows: Sequence[Any], day: dt.date, intake: dict[str, Any]) -> None:
    parsed = assessing.parse_intake(intake)
    for uow in uows:
        assessing.assess_and_save(uow, evening(day), parsed)


@pytest.mark.parametrize("seed", [14, 1014])
def test_bounded_reads_decide_as_the_whole_diary(
    database_url: str, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    bounded_db = open_database(database_url)
    whole_db = open_database(f"sqlite:///{tmp_path / 'whole.sqlite'}")
    bounded, whole = SqlUnitOfWork(bounded_db), WholeDiary(whole_db)
    uows = (bounded, whole)
    try:
        assess(uows, FIRST - dt.timedelta(days=1), pausing_intake())
        for uow in uows:
            planned = planning.plan_from_latest(uow, Preferences(start_date=FIRST))
            planning.save_plan(uow, evening(FIRST - dt.timedelta(days=1)), planned)

        day = FIRST
        level = 5.0
        recorded: list[dt.date] = []
        sent: dict[dt.date, dict[str, Any]] = {}
        for step in range(140):
            roll = rng.random()
            if roll < 0.04:
                day += dt.timedelta(days=rng.randint(15, 50))  # a long gap
            elif roll < 0.07 and recorded:
                # A reassessment after being seen (it clears a hold).
                assess(uows, day, self_care_intake(seen_clinician_since_warning=True))
            if rng.random() < 0.3 and recorded and recorded[-1] in sent:
                # The next morning's pain, sent with the day's check-in again.
                previous = dict(sent[recorded[-1]])
                previous["next_morning_pain_0_10"] = rng.randint(0, 6)
                on = recorded[-1]
            elif rng.random() < 0.05 and len(recorded) > 5:
                # A day filled in later, somewhere in the past.
                on = rng.choice(recorded) - dt.timedelta(days=rng.randint(1, 20))
                previous = document(rng, on, level)
            else:
                on = day
                previous = document(rng, on, level)
                day += dt.timedelta(days=rng.choice([1, 1, 1, 2, 3]))
            level = max(0.0, min(8.0, level + rng.uniform(-0.4, 0.35)))
            parsed = recovery.parse_checkin(previous)
            results = [
                recovery.record_checkin(uow, evening(max(on, day)), parsed).to_document()
                for uow in uows
            ]
            same(results[0], results[1], f"record step {step} on {on}")
            sent[on] = previous
            recorded = sorted({*recorded, on})
            if step % 14 == 0:
                compare_reads(bounded, whole, on)
                compare_reads(bounded, whole, day)
        for extra in (day, day + dt.timedelta(days=3), day + dt.timedelta(days=40)):
            compare_reads(bounded, whole, extra)
        with bounded:  # the diary exercised what the bounded reads look for
            programme = bounded.programmes.current()
            assert programme is not None
            assert bounded.programmes.last_decision(programme.id) is not None
            assert bounded.checkins.holding(day)
            assert bounded.checkins.latest(day, with_psfs=True)
    finally:
        bounded_db.dispose()
        whole_db.dispose()


def test_the_flags_are_kept_with_each_checkin_and_filled_by_the_migration(
    database_url: str,
) -> None:
    database = open_database(database_url)
    uow = SqlUnitOfWork(database)
    day = dt.date(2024, 5, 6)
    documents: list[dict[str, Any]] = [
        {"session": {"kind": "run", "minutes": 20}},
        {"psfs": [{"activity": "running", "score_0_10": 5}]},
        {"warning_signs": {**ALL_NO, "neuro.new_weakness": "not_sure"}},
        {"warning_signs": {**ALL_NO, "neuro.new_numbness": True}},
    ]
    for n, fields in enumerate(documents):
        on = day + dt.timedelta(days=n)
        parsed = recovery.parse_checkin(
            {
                "schema": CHECKIN_SCHEMA_ID,
                "date": on.isoformat(),
                "pain_now_0_10": 2,
                "worst_24h_0_10": 3,
                **fields,
            }
        )
        with uow:
            uow.checkins.put(SavedCheckin(on, evening(on).now(), parsed))
            uow.commit()
    last = day + dt.timedelta(days=10)
    with uow:
        assert [c.day for c in uow.checkins.latest(last, running=True)] == [day]
        assert [c.day for c in uow.checkins.latest(last, with_psfs=True)] == [day.replace(day=7)]
        assert [c.day for c in uow.checkins.holding(last)] == [day.replace(day=8)]
        assert uow.checkins.first(last) == uow.checkins.get(day)
        assert uow.checkins.last_day() == day.replace(day=9)
        assert [c.day for c in uow.checkins.between(day.replace(day=7), day.replace(day=8))] == [
            day.replace(day=7),
            day.replace(day=8),
        ]
    database.dispose()


def test_the_progress_columns_equal_the_documents_and_the_migration_fills_them(
    database_url: str,
) -> None:
    """What Progress reads of each day (``CheckinRepository.days``: pain, session,
    exercises, escalations raised) is what the stored document and outcome say, written
    by ``put`` and, for rows stored before, by migration 0009."""
    from alembic import command

    from backstride.adapters.db.database import alembic_config, migrate

    rng = random.Random(9)
    database = open_database(database_url)
    bounded = SqlUnitOfWork(database)
    try:
        assess([bounded], FIRST - dt.timedelta(days=1), pausing_intake())
        for n in range(60):
            on = FIRST + dt.timedelta(days=n)
            fields = document(rng, on, 5.0)
            if n % 9 == 0:
                fields["exercises_done"] = ["glute-bridge", "cat-camel", "glute-bridge"]
            if n % 11 == 0:
                minutes = rng.randint(10, 40)
                fields["session"] = {"kind": "run", "minutes": minutes, "distance_km": 3.5}
                fields["session"]["activity_id"] = "7"
            parsed = recovery.parse_checkin(fields)
            if n % 11 == 0:  # a run named by an activity, stored as the run log would
                with bounded:
                    bounded.checkins.put(SavedCheckin(on, evening(on).now(), parsed))
                    bounded.commit()
            else:
                recovery.record_checkin(bounded, evening(on), parsed)
        last = FIRST + dt.timedelta(days=70)

        def both() -> tuple[list[CheckinDay], list[CheckinDay]]:
            with bounded:
                kept = list(bounded.checkins.days(FIRST, last))
                made = [CheckinDay.of(c) for c in bounded.checkins.up_to(last)]
            return kept, made

        def runs() -> list[tuple[dt.date, str | None]]:
            with database.session() as session:
                query = select(CheckinRow.day, CheckinRow.fired_since).order_by(CheckinRow.day)
                return [(day, since) for day, since in session.execute(query)]

        kept, made = both()
        assert kept == made
        began = runs()
        assert any(since for _, since in began)
        assert any(day.fired for day in kept)
        assert any(day.session_logged for day in kept)
        assert any(len(day.exercises_done) == 3 for day in kept)
        assert any(day.session_km for day in kept)

        # Back to the schema before the columns, and up again: the migration fills them.
        command.downgrade(alembic_config(database.engine), "0008")
        migrate(database.engine)
        refilled, made_again = both()
        assert refilled == made == made_again
        assert runs() == began
    finally:
        database.dispose()


def test_where_an_escalation_began_follows_days_changed_and_filled_in_later(
    database_url: str,
) -> None:
    """``run_start`` reads where a run of check-ins raising one rule began from the
    latest check-in (``fired_since``), kept right when a day in the middle changes or
    an earlier day is filled in later."""
    from backstride.domain.recovery.escalation import Escalation, Level, RunningAdvice

    database = open_database(database_url)
    uow = SqlUnitOfWork(database)
    day = dt.date(2024, 5, 1)

    def put(n: int, *raised: tuple[str, Level]) -> None:
        on = day + dt.timedelta(days=n)
        parsed = recovery.parse_checkin(
            {"schema": CHECKIN_SCHEMA_ID, "date": on.isoformat(), "pain_now_0_10": 3,
             "worst_24h_0_10": 4}
        )  # fmt: skip
        escalations = tuple(
            Escalation(rule, level, RunningAdvice.CONTINUE, rule, rule, (), ())
            for rule, level in raised
        )
        with uow:
            uow.checkins.put(SavedCheckin(on, evening(on).now(), parsed, escalations))
            uow.commit()

    def start(n: int, rule: str = "X4", level: Level = Level.SOON) -> int | None:
        with uow:
            found = uow.checkins.run_start(day + dt.timedelta(days=n), rule, level.value)
        return None if found is None else (found - day).days

    soon, urgent = ("X4", Level.SOON), ("X1", Level.URGENT)
    try:
        for n in range(2, 8):
            put(n, soon)
        assert [start(n) for n in (2, 5, 7, 9)] == [2, 2, 2, 2]
        put(4)  # day 4 sent again without it: the run after it begins on day 5
        assert [start(3), start(4), start(5), start(7)] == [2, None, 5, 5]
        put(4, soon, urgent)  # and with it again: one run from day 2
        assert [start(7), start(4, *urgent), start(5, *urgent)] == [2, 4, None]
        put(0)  # an earlier day filled in later (consecutive check-ins, whatever the gap)
        assert [start(0), start(1), start(7)] == [None, None, 2]
        put(1, soon)  # and the day between, raising it: the run begins there now
        assert [start(1), start(7)] == [1, 1]
        put(0, soon)  # the earlier day sent again, raising it too
        assert [start(0), start(7)] == [0, 0]
        put(6, ("X4", Level.URGENT))  # another level breaks the run
        assert [start(6), start(6, "X4", Level.URGENT), start(7)] == [None, 6, 7]
        assert start(-1) is None
    finally:
        database.dispose()
