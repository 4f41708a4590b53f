"""The check-in document, its domain value and when the warning-sign screen is due."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from backstride.domain.recovery.checkin import (
    CHECKIN_SCHEMA_ID,
    CheckIn,
    CheckinDocument,
    CheckinError,
    PsfsScore,
    SessionDone,
    SessionKind,
    WarningSign,
    checkin_json_schema,
    checkin_to_document,
    one_per_day,
    warning_screen_due,
)
from tests.builders import checkin

TODAY = dt.date(2024, 6, 10)
ALL_CLEAR = dict.fromkeys(WarningSign, False)


def document(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "schema": CHECKIN_SCHEMA_ID,
        "date": "2024-06-10",
        "pain_now_0_10": 2,
        "worst_24h_0_10": 4,
        "next_morning_pain_0_10": 1,
        "morning_stiffness_min": 10,
        "exercises_done": ["glute-bridge", "cat_cow"],
        "session": {
            "kind": "walk_run",
            "minutes": 30,
            "distance_km": 4.2,
            "activity_id": "garmin-123",
            "pain_during_0_10": 2,
            "pain_after_0_10": 1,
        },
        "warning_signs": {"neuro.saddle_numbness": False, "general.fever_or_chills": False},
        "psfs": [{"activity": "running 10 km", "score_0_10": 6}],
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not ...}


# --- the document ---------------------------------------------------------------


def test_a_full_document_becomes_a_checkin_and_back_unchanged() -> None:
    parsed = CheckinDocument.model_validate(document())
    value = parsed.to_checkin()
    assert value.day == TODAY
    assert value.session == SessionDone(
        SessionKind.WALK_RUN, 30, 4.2, "garmin-123", pain_during_0_10=2, pain_after_0_10=1
    )
    assert value.psfs == (PsfsScore("running 10 km", 6),)
    assert value.warning_signs is not None
    assert value.warning_signs[WarningSign.SADDLE_NUMBNESS] is False
    assert checkin_to_document(value) == document()
    assert CheckinDocument.from_checkin(value) == parsed


def test_a_minimal_document_needs_only_date_and_pain() -> None:
    minimal = {
        "schema": CHECKIN_SCHEMA_ID,
        "date": "2024-06-10",
        "pain_now_0_10": 0,
        "worst_24h_0_10": 0,
    }
    value = CheckinDocument.model_validate(minimal).to_checkin()
    assert value.session is None
    assert value.warning_signs is None
    assert value.psfs is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"schema": "backstride.checkin/2"}, "schema"),
        ({"mood": "fine"}, "Extra inputs are not permitted"),
        ({"pain_now_0_10": 11}, "less than or equal to 10"),
        ({"pain_now_0_10": "3"}, "valid integer"),
        ({"worst_24h_0_10": 1}, "cannot be lower than pain_now"),
        ({"exercises_done": ["Glute Bridge"]}, "pattern"),
        ({"warning_signs": {"neuro.tingling": True}}, "neuro.tingling"),
        ({"warning_signs": {"neuro.saddle_numbness": 1}}, "valid boolean"),
        ({"session": {"kind": "rest", "minutes": 20}}, "rest day"),
        ({"session": {"kind": "swim", "minutes": 20}}, "kind"),
        (
            {"psfs": [{"activity": "run", "score_0_10": 3}, {"activity": "Run", "score_0_10": 4}]},
            "once",
        ),
        ({"date": ...}, "date"),
    ],
)
def test_invalid_documents_are_rejected_with_a_reason(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        CheckinDocument.model_validate(document(**changes))


def test_the_json_schema_describes_the_same_document() -> None:
    schema = checkin_json_schema()
    assert schema["$id"] == CHECKIN_SCHEMA_ID
    assert schema["additionalProperties"] is False
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(document()))
    assert list(validator.iter_errors(document(pain_now_0_10=12)))
    assert list(validator.iter_errors(document(extra=True)))
    assert list(validator.iter_errors(document(warning_signs={"neuro.tingling": True})))


def test_the_domain_value_checks_its_own_ranges() -> None:
    with pytest.raises(CheckinError, match="between 0 and 10"):
        CheckIn(day=TODAY, pain_now_0_10=-1, worst_24h_0_10=2)
    with pytest.raises(CheckinError, match="cannot be lower"):
        CheckIn(day=TODAY, pain_now_0_10=5, worst_24h_0_10=2)
    with pytest.raises(CheckinError, match="minutes"):
        SessionDone(SessionKind.RUN, minutes=-5)
    unknown: dict[Any, bool] = {"neuro.tingling": True}
    with pytest.raises(ValueError, match=r"neuro\.tingling"):
        CheckIn(day=TODAY, pain_now_0_10=1, worst_24h_0_10=1, warning_signs=unknown)


def test_warning_answers_cannot_change_after_the_checkin_is_made() -> None:
    answers = {WarningSign.FEVER_OR_CHILLS: False}
    value = CheckIn(day=TODAY, pain_now_0_10=1, worst_24h_0_10=1, warning_signs=answers)
    answers[WarningSign.FEVER_OR_CHILLS] = True
    assert value.warning_signs_present == ()


def test_a_resent_checkin_replaces_the_earlier_one_for_that_day() -> None:
    first, resent = checkin(TODAY, pain=2), checkin(TODAY, pain=3)
    assert one_per_day([checkin(TODAY - dt.timedelta(days=1)), first, resent])[-1] is resent


# --- when to ask the warning-sign questions -------------------------------------------


def test_the_first_checkin_asks_the_screen() -> None:
    assert warning_screen_due([], TODAY, pain_now=2)


@pytest.mark.parametrize(("days_ago", "due"), [(1, False), (6, False), (7, True), (12, True)])
def test_the_screen_is_asked_at_least_weekly(days_ago: int, due: bool) -> None:
    screened = checkin(TODAY - dt.timedelta(days=days_ago), warning_signs=ALL_CLEAR)
    quiet_since = [checkin(TODAY - dt.timedelta(days=d)) for d in range(1, days_ago)]
    assert warning_screen_due([screened, *quiet_since], TODAY, pain_now=2) is due


@pytest.mark.parametrize(("pain_now", "due"), [(3, False), (4, True), (9, True), (0, False)])
def test_a_rise_of_2_points_since_the_last_checkin_asks_the_screen(
    pain_now: int, due: bool
) -> None:
    history = [
        checkin(TODAY - dt.timedelta(days=2), warning_signs=ALL_CLEAR),
        checkin(TODAY - dt.timedelta(days=1), pain=2),
    ]
    assert warning_screen_due(history, TODAY, pain_now) is due


def test_a_partial_screen_does_not_count() -> None:
    partial = CheckIn(
        day=TODAY - dt.timedelta(days=1),
        pain_now_0_10=2,
        worst_24h_0_10=2,
        warning_signs={WarningSign.SADDLE_NUMBNESS: False},
    )
    assert warning_screen_due([partial], TODAY, pain_now=2)


def test_a_screen_already_answered_today_is_not_asked_again() -> None:
    history = [
        checkin(TODAY - dt.timedelta(days=1), pain=1),
        checkin(TODAY, pain=5, warning_signs=ALL_CLEAR),
    ]
    assert not warning_screen_due(history, TODAY, pain_now=5)


def test_checkins_after_today_are_ignored() -> None:
    assert warning_screen_due(
        [checkin(TODAY + dt.timedelta(days=1), warning_signs=ALL_CLEAR)], TODAY, 2
    )
