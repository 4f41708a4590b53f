"""Any intake gives a valid QuestionnaireResponse; any check-in valid Observations.

Intakes are drawn from the intake schemas themselves (``tests/strategies.py``), both
versions; the FHIR side is checked with fhir.resources (R4B, ADR 11).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from backstride.adapters.export.fhir import (
    LOINC,
    PAIN_LOINC,
    fhir_bundle,
    questionnaire_response,
)
from backstride.domain.recovery.checkin import CheckinDocument, SessionKind
from backstride.services.assessing import parse_intake
from backstride.services.ports import SavedCheckin
from backstride.services.records import PatientDescriptor, PatientRecords
from tests.builders import intake
from tests.integration.adapters.export.fhir_support import (
    intake_answers,
    response_answers,
    validate,
)
from tests.strategies import intakes, intakes_v2

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
AUTHORED = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
SUBJECT = {"reference": "urn:uuid:00000000-0000-5000-8000-000000000000"}


def _check(document: dict[str, Any]) -> None:
    intake = parse_intake(document)
    response = questionnaire_response(intake, AUTHORED, SUBJECT)
    QuestionnaireResponse.model_validate(response)
    assert response_answers(response) == intake_answers(intake.to_document())
    assert response["questionnaire"].endswith(f"/intake-v{intake.version}")


@SETTINGS
@given(intakes_v2())
@example(intake("new-runner-v2", function=[{"activity": "\x0b", "score_0_10": 3}]))
@example(intake("new-runner-v2", function=[{"activity": "\xa0 lifting\u2028", "score_0_10": 3}]))
def test_any_version_2_intake_gives_a_valid_questionnaire_response(
    document: dict[str, Any],
) -> None:
    _check(document)


@SETTINGS
@given(intakes())
def test_any_version_1_intake_gives_a_valid_questionnaire_response(
    document: dict[str, Any],
) -> None:
    _check(document)


PAIN = st.integers(0, 10)
# What a runner may type as a PSFS activity (the form takes 1-120 characters; a
# check-in's activity has more than whitespace).
ACTIVITY = st.text(min_size=1, max_size=40).filter(lambda text: text.strip()) | st.just("\x0ba\x0b")


@st.composite
def checkins(draw: st.DrawFn, day: dt.date) -> SavedCheckin:
    pain = draw(PAIN)
    document: dict[str, Any] = {
        "schema": "backstride.checkin/1",
        "date": day.isoformat(),
        "pain_now_0_10": pain,
        "worst_24h_0_10": draw(st.integers(pain, 10)),
    }
    if draw(st.booleans()):
        document["next_morning_pain_0_10"] = draw(PAIN)
    kind = draw(st.none() | st.sampled_from([k for k in SessionKind if k is not SessionKind.REST]))
    if kind is not None:
        document["session"] = {
            "kind": kind.value,
            "minutes": draw(st.integers(0, 600)),
            **draw(st.fixed_dictionaries({}, optional={"pain_during_0_10": PAIN})),
            **draw(st.fixed_dictionaries({}, optional={"pain_after_0_10": PAIN})),
        }
    activities = draw(st.lists(ACTIVITY, max_size=5, unique_by=lambda a: a.strip().casefold()))
    if activities or draw(st.booleans()):
        document["psfs"] = [{"activity": a, "score_0_10": draw(PAIN)} for a in activities]
    recorded = dt.datetime.combine(day, dt.time(20, 0), tzinfo=dt.UTC)
    return SavedCheckin(day, recorded, CheckinDocument.model_validate(document))


@SETTINGS
@given(st.data())
def test_any_check_ins_give_valid_observations(data: st.DataObject) -> None:
    first = dt.date(2026, 3, 2)
    count = data.draw(st.integers(1, 4))
    saved = tuple(data.draw(checkins(first + dt.timedelta(days=n))) for n in range(count))
    records = PatientRecords(
        day=first,
        assessments=(),
        plan=None,
        plan_suspended=False,
        checkins=saved,
        programme_stage=None,
    )
    bundle = fhir_bundle(PatientDescriptor("p.1"), records)
    validate(bundle)
    pain = [
        e
        for e in bundle["entry"]
        if any(
            c["system"] == LOINC and c["code"] == PAIN_LOINC
            for c in e["resource"].get("code", {}).get("coding", [])
        )
    ]
    scores = 0
    for one in saved:
        document = one.document
        scores += 2 + (document.next_morning_pain_0_10 is not None)
        if document.session is not None:
            scores += document.session.pain_during_0_10 is not None
            scores += document.session.pain_after_0_10 is not None
    assert len(pain) == scores
