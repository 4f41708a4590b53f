"""Property: while care is needed now or on hold, no surface offers an exercise or a run.

Random histories of assessments (self-care, emergency, a reassessment after being
seen), check-ins (pains, runs, warning-sign answers yes, no or not sure) and a plan,
in time order, through the real services on an in-memory unit of work. For a random
day, the care state must agree with an independent reading of R13, and when it is
suspended the today, plan and progress documents and the plan's HTML and calendar
must offer no exercise, no run and no walk-run stage.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.adapters.export.plan_html import render_plan_html
from backstride.adapters.export.plan_ics import render_plan_ics
from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import Intake
from backstride.domain.plan.model import Plan, Preferences
from backstride.domain.recovery.checkin import WarningSign, is_reported
from backstride.domain.recovery.escalation import WARNING_SIGN_RULES
from backstride.domain.vocabulary import needs_care_now
from backstride.services import assessing, planning, recovery
from backstride.services.care import care_state, shown_plan
from backstride.services.clock import FixedClock
from tests.builders import checkin_document
from tests.care_support import emergency_intake, self_care_intake
from tests.fakes import FakeUnitOfWork

START = dt.date(2026, 3, 2)
KINDS = ("self_care", "emergency", "seen")
HOLDING = [s for s in WarningSign if needs_care_now(WARNING_SIGN_RULES[s].level.value)]


@cache
def assessed(kind: str) -> tuple[Intake, Assessment]:
    if kind == "emergency":
        document = emergency_intake()
    elif kind == "seen":
        document = self_care_intake(seen_clinician_since_warning=True)
    else:
        document = self_care_intake()
    intake = assessing.parse_intake(document)
    return intake, assessing.assess_intake(intake)


@cache
def the_plan() -> Plan:
    intake, assessment = assessed("self_care")
    return planning.plan_for(assessment, intake, Preferences(start_date=START))


def moment(day: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(START + dt.timedelta(days=day), dt.time(hour), dt.UTC)


answers = st.sampled_from([True, False, "not_sure"])
checkins = st.fixed_dictionaries(
    {
        "day": st.integers(0, 20),
        "now": st.integers(0, 10),
        "extra": st.integers(0, 3),
        "sign": st.none() | st.tuples(st.sampled_from(list(WarningSign)), answers),
        "after_run": st.none() | st.integers(0, 10),
    }
)
assessments = st.fixed_dictionaries(
    {"day": st.integers(0, 20), "hour": st.sampled_from([8, 21]), "kind": st.sampled_from(KINDS)}
)


def _checkin_document(c: dict[str, Any]) -> dict[str, Any]:
    worst = min(10, c["now"] + c["extra"])
    document = checkin_document(START + dt.timedelta(days=c["day"]), c["now"], worst)
    if c["after_run"] is not None:
        document["session"] = {
            "kind": "run",
            "minutes": 20,
            "pain_during_0_10": 2,
            "pain_after_0_10": c["after_run"],
        }
    if c["sign"] is not None:
        sign, answer = c["sign"]
        document["warning_signs"] = {sign.value: answer}
    return document


def _expected_suspended(made: list[dict[str, Any]], sent: list[dict[str, Any]], day: int) -> bool:
    """R13, read independently: the latest assessment needs care now, or a check-in up to
    the day reported an emergency or urgent sign that no later "seen, without it"
    assessment cleared (a later "no" never does)."""
    if made:
        latest = max(made, key=lambda a: (a["day"], a["hour"], a["order"]))
        if latest["kind"] == "emergency":
            return True
    for c in sent:
        if c["day"] > day or c["sign"] is None:
            continue
        sign, answer = c["sign"]
        if sign not in HOLDING or not is_reported(answer):
            continue
        cleared = any(
            a["kind"] == "seen"
            and (a["day"] > c["day"] or (a["day"] == c["day"] and a["hour"] > 20))
            for a in made
        )
        if not cleared:
            return True
    return False


@settings(max_examples=60)
@given(
    made=st.lists(assessments, max_size=3),
    sent=st.lists(checkins, max_size=6, unique_by=lambda c: c["day"]),
    with_plan=st.booleans(),
    day=st.integers(0, 24),
)
def test_no_surface_offers_an_exercise_or_a_run_while_care_is_needed_or_on_hold(
    made: list[dict[str, Any]], sent: list[dict[str, Any]], with_plan: bool, day: int
) -> None:
    uow = FakeUnitOfWork()
    version = load_knowledge_base().version
    if with_plan:
        uow.plans.add(moment(0, 7), None, the_plan())
    made = [{**a, "order": i} for i, a in enumerate(made)]
    events: list[tuple[dt.datetime, int, Any]] = [
        (moment(a["day"], a["hour"]), 0, a) for a in made
    ] + [(moment(c["day"], 20), 1, c) for c in sent]
    for when, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
        if kind == 0:
            intake, assessment = assessed(item["kind"])
            uow.assessments.add(when, version, intake, assessment)
        else:
            document = recovery.parse_checkin(_checkin_document(item))
            recovery.record_checkin(uow, FixedClock(when), document)

    on = START + dt.timedelta(days=day)
    care = care_state(uow, on)
    # Check-ins after the day do not count; assessments are the latest saved.
    sent_by_then = [c for c in sent if c["day"] <= day]
    assert care.suspended is _expected_suspended(made, sent_by_then, day)
    if not made and not with_plan and not care.suspended:
        assert care.state == "no_assessment"
    advice = recovery.today(uow, on)
    today_document = advice.to_document()
    assert today_document["care"]["state"] == care.state
    report = recovery.progress(uow, on)
    if not (care.suspended or care.state == "no_assessment"):
        return
    assert today_document["exercises"] == []
    assert today_document["session"] is None
    assert today_document["stage"] is None
    if not care.suspended:
        return
    assert report.to_document()["current_stage"] is None
    assert report.to_document()["care"]["suspended"] is True
    latest = planning.latest_plan(uow)
    if latest is None:
        return
    shown = shown_plan(latest.plan, care)
    plan_document = shown.to_document()
    assert plan_document["phases"] == []
    assert plan_document["days"] == []
    assert plan_document["running"]["advice"] == "stop"
    page = render_plan_html(shown)
    assert "exercise-card" not in page
    assert "suspended" in page
    calendar = render_plan_ics(shown, stamp=moment(0, 12))
    assert calendar.count("BEGIN:VEVENT") == 1
    for slug in latest.plan.exercise_slugs():
        assert f"exercise-{slug}" not in page
