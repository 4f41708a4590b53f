"""The runner's records as a FHIR R4 ``Bundle``: plain dicts, ready for ``json.dumps``.

What goes in (docs/adr/0011-fhir-records.md says why, and what is left out):

* a ``Patient`` with the descriptor's id (an identifier) and name, nothing else;
* per saved assessment, a ``QuestionnaireResponse`` of the intake (each answer under
  its field path as ``linkId``), an ``Observation`` of the triage level with each red
  flag as a component, and ``Observation``s of the pain and function reported at
  intake;
* per check-in, an ``Observation`` for each pain score it holds (LOINC 72514-3) and
  one for its Patient-Specific Functional Scale scores;
* a ``CarePlan`` from the latest plan: an activity per exercise with its dose as
  text, and one for running with the walk-run programme's stage.

The bundle is a ``collection``, not a ``document``: a document bundle needs a
``Composition`` with an author who attests it and a timestamp of when it was made,
and backstride has neither (the runner answered, software assessed, nobody signed).
A collection says only "these resources, together", and without a timestamp the
same records give the same bytes.

Every ``fullUrl`` is a ``urn:uuid`` made with uuid5 from stable keys (the patient id
and the record's own id or day), so an export can be compared with an earlier one.
Nothing here touches a file or a clock; ``fhir.resources`` (a test dependency only)
validates the result in ``tests/integration/adapters/export/test_fhir_bundle.py``.

No medicine is named and no dose of one given: the plan holds none, and no
``MedicationRequest`` or product field is ever written.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from backstride.domain.assessment.document import RedFlag
from backstride.domain.assessment.intake import Intake
from backstride.domain.plan.model import Phase, Plan, PlanItem
from backstride.domain.recovery.checkin import CheckinDocument
from backstride.domain.recovery.return_to_run import StageId, stage_of
from backstride.services.ports import SavedAssessment, SavedCheckin, SavedPlan
from backstride.services.records import PatientDescriptor, PatientRecords

Json = dict[str, Any]

BASE = "https://backstride.example/fhir"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# backstride's own concepts. None of them is a LOINC code: where LOINC has one (the
# 0-10 pain rating) it comes first and ours only says which of the day's ratings it is.
# The Patient-Specific Functional Scale has no LOINC code that we could verify, so it
# is coded in our own system (ADR 11).
OBSERVATION_CODES = f"{BASE}/CodeSystem/observation"
TRIAGE_LEVELS = f"{BASE}/CodeSystem/triage-level"
RED_FLAGS = f"{BASE}/CodeSystem/red-flag"
EXERCISES = f"{BASE}/CodeSystem/exercise"
CARE_ACTIVITIES = f"{BASE}/CodeSystem/care-activity"
PATIENT_IDS = f"{BASE}/NamingSystem/patient-id"
ASSESSMENT_IDS = f"{BASE}/NamingSystem/assessment-id"
PLAN_IDS = f"{BASE}/NamingSystem/plan-id"

PAIN_LOINC = "72514-3"
PAIN_LOINC_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
# uuid5's namespace for every fullUrl: fixed, so the same keys always give the same ids.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)

LEVEL_DISPLAY = {
    "emergency": "Emergency",
    "urgent": "Urgent",
    "soon": "Soon",
    "self_care": "Self-care",
}
# Each pain rating a check-in may hold: its field, our code and what it is, in words.
CHECKIN_PAIN = (
    ("pain_now_0_10", "pain-now", "Back pain now"),
    ("worst_24h_0_10", "pain-worst-24h", "Worst back pain in the last 24 hours"),
    ("next_morning_pain_0_10", "pain-next-morning", "Back pain the morning after the session"),
)
SESSION_PAIN = (
    ("pain_during_0_10", "pain-during-session", "Highest back pain during the session"),
    ("pain_after_0_10", "pain-after-session", "Back pain in the hours after the session"),
)
INTAKE_PAIN = (
    ("now_0_10", "intake-pain-now", "Back pain now, at intake"),
    ("worst_0_10", "intake-pain-worst", "Worst back pain of this episode, at intake"),
)
PSFS_DISPLAY = "Patient-Specific Functional Scale, mean item score"


def fhir_string(text: str) -> str:
    """Free text as a FHIR string: whitespace other than space, tab, CR and LF (a
    vertical tab, a no-break space) becomes a space, so no answer is all "other"
    whitespace, which FHIR's string pattern refuses. Anything else is kept as typed."""
    return "".join(" " if char.isspace() and char not in " \r\n\t" else char for char in text)


def questionnaire_url(version: int) -> str:
    """The canonical URL of the intake questionnaire of a version (1 or 2)."""
    return f"{BASE}/Questionnaire/intake-v{version}"


# --- the bundle ------------------------------------------------------------------------


def fhir_bundle(patient: PatientDescriptor, records: PatientRecords) -> Json:
    """The records as a FHIR R4 ``collection`` Bundle (plain dicts and lists)."""
    ids = _Ids(patient.id)
    subject = ids.ref("Patient")
    entries: list[tuple[str, Json]] = [(ids.url("Patient"), _patient(patient, ids))]
    for saved in records.assessments:
        entries.extend(_assessment_entries(saved, ids, subject))
    for checkin in records.checkins:
        entries.extend(_checkin_entries(checkin, ids, subject))
    if records.plan is not None:
        known = {saved.id for saved in records.assessments}
        entries.append(
            (
                ids.url("CarePlan", records.plan.id),
                _care_plan(records, records.plan, ids, subject, known),
            )
        )
    return {
        "resourceType": "Bundle",
        "id": ids.id("Bundle"),
        "type": "collection",
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


def fhir_json(bundle: Mapping[str, Any]) -> bytes:
    """The bundle as UTF-8 JSON: the same bundle always gives the same bytes."""
    return (json.dumps(bundle, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class _Ids:
    """Stable ids: uuid5 of the patient id and a record's own key."""

    def __init__(self, patient_id: str) -> None:
        self._patient = patient_id

    def id(self, *key: object) -> str:
        return str(uuid.uuid5(NAMESPACE, "/".join([self._patient, *map(str, key)])))

    def url(self, *key: object) -> str:
        return f"urn:uuid:{self.id(*key)}"

    def ref(self, *key: object) -> Json:
        return {"reference": self.url(*key)}


def _instant(moment: dt.datetime) -> str:
    """A stored moment as a FHIR instant (stored moments are UTC; a naive one is taken so)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat()


def _patient(patient: PatientDescriptor, ids: _Ids) -> Json:
    resource: Json = {
        "resourceType": "Patient",
        "id": ids.id("Patient"),
        "identifier": [{"system": PATIENT_IDS, "value": patient.id}],
    }
    if patient.name is not None:
        resource["name"] = [{"text": fhir_string(patient.name)}]
    return resource


# --- an assessment: the intake, the triage, the pain and function at intake ------------


def _assessment_entries(
    saved: SavedAssessment, ids: _Ids, subject: Json
) -> Iterator[tuple[str, Json]]:
    key = ("assessment", saved.id)
    response = ids.ref(*key, "QuestionnaireResponse")
    answers = questionnaire_response(saved.intake, saved.created_at, subject)
    yield (
        ids.url(*key, "QuestionnaireResponse"),
        {
            "resourceType": "QuestionnaireResponse",
            "id": ids.id(*key, "QuestionnaireResponse"),
            "identifier": {"system": ASSESSMENT_IDS, "value": str(saved.id)},
            **{name: value for name, value in answers.items() if name != "resourceType"},
        },
    )
    yield ids.url(*key, "triage"), _triage(saved, ids, subject, response)
    when = _instant(saved.created_at)
    pain = saved.intake.pain
    for field, code, text in INTAKE_PAIN:
        value = getattr(pain, field)
        if value is not None:
            observation = _pain_observation(
                ids.id(*key, code), subject, code, text, value, effective=when
            )
            observation["derivedFrom"] = [response]
            yield ids.url(*key, code), observation
    function = saved.intake.function
    if function:
        scores = [(fhir_string(item.activity), item.score_0_10) for item in function]
        observation = _psfs_observation(ids.id(*key, "psfs"), subject, scores, effective=when)
        observation["derivedFrom"] = [response]
        yield ids.url(*key, "psfs"), observation


def questionnaire_response(intake: Intake, authored: dt.datetime, subject: Json) -> Json:
    """The intake as a ``QuestionnaireResponse``: every answer, under its field path.

    A section is a group (``pain``) holding its answers (``pain.worst_0_10``); the
    ``function`` list repeats its group once per activity. Answers keep the intake's
    types: a yes/no is a boolean, a whole number an integer, a measure a decimal and
    a choice its id as a string ("not_sure" included). A list answered with none of
    its choices (``"numbness": []``) is the item with no answer; a field the runner
    was not asked is not there at all, as in the intake. The questions' wording is
    the Questionnaire's (``questionnaire``), not repeated here.
    """
    document = intake.to_document()
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url(intake.version),
        "status": "completed",
        "subject": subject,
        "authored": _instant(authored),
        "source": subject,
        "item": [
            item
            for key, value in document.items()
            if key != "schema"
            for item in _answer_items(key, value)
        ],
    }


def _answer_items(path: str, value: Any) -> list[Json]:
    if isinstance(value, dict):
        return [{"linkId": path, "item": _group(path, value)}]
    if isinstance(value, list) and any(isinstance(part, dict) for part in value):
        return [{"linkId": path, "item": _group(path, part)} for part in value]
    values = value if isinstance(value, list) else [value]
    item: Json = {"linkId": path}
    if values:
        item["answer"] = [_answer(part) for part in values]
    return [item]


def _group(path: str, fields: Mapping[str, Any]) -> list[Json]:
    return [item for key, value in fields.items() for item in _answer_items(f"{path}.{key}", value)]


def _answer(value: Any) -> Json:
    # bool before int: True is an int to Python, a boolean to the intake.
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": fhir_string(str(value))}


def _level(level: str) -> Json:
    return {"system": TRIAGE_LEVELS, "code": level, "display": LEVEL_DISPLAY.get(level, level)}


def _triage(saved: SavedAssessment, ids: _Ids, subject: Json, response: Json) -> Json:
    """The triage as an ``Observation``: the level, each red flag a component, and why."""
    triage = saved.assessment.triage
    flags = saved.assessment.red_flags
    resource: Json = {
        "resourceType": "Observation",
        "id": ids.id("assessment", saved.id, "triage"),
        "status": "final",
        "code": {
            "coding": [{"system": OBSERVATION_CODES, "code": "triage", "display": "Triage level"}],
            "text": "backstride triage: how soon to get care",
        },
        "subject": subject,
        "effectiveDateTime": _instant(saved.created_at),
        "method": {"text": f"backstride triage policy, content version {saved.content_version}"},
        "derivedFrom": [response],
        "valueCodeableConcept": {"coding": [_level(triage.level)], "text": triage.headline},
        "note": [{"text": triage.headline}, *({"text": _flag_reason(flag)} for flag in flags)],
    }
    if flags:
        resource["component"] = [
            {
                "code": {
                    "coding": [{"system": RED_FLAGS, "code": flag.id}],
                    "text": flag.explanation,
                },
                "valueCodeableConcept": {"coding": [_level(flag.level)]},
            }
            for flag in flags
        ]
    return resource


def _flag_reason(flag: RedFlag) -> str:
    """A red flag's reason: the clinician's words (which name the policy rules) and the
    answers behind it."""
    reason = flag.clinician_explanation or flag.explanation
    findings = f" Findings: {'; '.join(flag.findings)}." if flag.findings else ""
    return f"{flag.id} ({flag.level}): {reason}{findings}"


# --- a check-in: its pain scores and its PSFS --------------------------------------------


def _checkin_entries(saved: SavedCheckin, ids: _Ids, subject: Json) -> Iterator[tuple[str, Json]]:
    document: CheckinDocument = saved.document
    day = saved.day.isoformat()
    issued = _instant(saved.recorded_at)
    ratings: list[tuple[str, str, int | None]] = [
        (code, text, getattr(document, field)) for field, code, text in CHECKIN_PAIN
    ]
    session = document.session
    if session is not None:
        kind = session.kind.value.replace("_", "-")
        ratings += [
            (code, f"{text} ({kind}, {session.minutes} min)", getattr(session, field))
            for field, code, text in SESSION_PAIN
        ]
    for code, text, value in ratings:
        if value is None:
            continue
        key = ("checkin", day, code)
        observation = _pain_observation(ids.id(*key), subject, code, text, value, effective=day)
        observation["issued"] = issued
        yield ids.url(*key), observation
    if document.psfs:
        key = ("checkin", day, "psfs")
        scores = [(fhir_string(item.activity), item.score_0_10) for item in document.psfs]
        observation = _psfs_observation(ids.id(*key), subject, scores, effective=day)
        observation["issued"] = issued
        yield ids.url(*key), observation


def _survey() -> list[Json]:
    """The category of what the runner reported (a fresh list for each resource)."""
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]


def _pain_observation(
    resource_id: str, subject: Json, code: str, text: str, value: int, *, effective: str
) -> Json:
    """A 0-10 back-pain rating the runner reported: LOINC 72514-3, and which rating."""
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": _survey(),
        "code": {
            "coding": [
                {"system": LOINC, "code": PAIN_LOINC, "display": PAIN_LOINC_DISPLAY},
                {"system": OBSERVATION_CODES, "code": code, "display": text},
            ],
            "text": f"{text} (0-10)",
        },
        "subject": subject,
        "effectiveDateTime": effective,
        "performer": [subject],
        "valueInteger": value,
    }


def _psfs_observation(
    resource_id: str, subject: Json, scores: Sequence[tuple[str, int]], *, effective: str
) -> Json:
    """The Patient-Specific Functional Scale: the mean item score, each activity a component.

    0 is "unable", 10 "as before the pain" (Stratford 1995). Coded in backstride's own
    system: we found no LOINC code for the scale that we could verify (ADR 11).
    """
    mean = round(sum(score for _, score in scores) / len(scores), 2)
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": _survey(),
        "code": {
            "coding": [{"system": OBSERVATION_CODES, "code": "psfs", "display": PSFS_DISPLAY}],
            "text": "Patient-Specific Functional Scale (PSFS), 0-10",
        },
        "subject": subject,
        "effectiveDateTime": effective,
        "performer": [subject],
        "valueQuantity": {"value": mean, "unit": "score", "system": UCUM, "code": "{score}"},
        "component": [
            {
                "code": {
                    "coding": [
                        {
                            "system": OBSERVATION_CODES,
                            "code": "psfs-activity",
                            "display": "PSFS activity score",
                        }
                    ],
                    "text": activity,
                },
                "valueInteger": score,
            }
            for activity, score in scores
        ],
    }


# --- the plan -----------------------------------------------------------------------------


def _care_plan(
    records: PatientRecords, saved: SavedPlan, ids: _Ids, subject: Json, known: set[int]
) -> Json:
    plan = saved.plan
    resource: Json = {
        "resourceType": "CarePlan",
        "id": ids.id("CarePlan", saved.id),
        "identifier": [{"system": PLAN_IDS, "value": str(saved.id)}],
        "status": "on-hold" if records.plan_suspended else "active",
        "intent": "plan",
        "title": "backstride plan: treat, recover, prevent",
        "description": plan.headline,
        "subject": subject,
    }
    resource["period"] = _plan_period(plan)
    resource["created"] = _instant(saved.created_at)
    if saved.assessment_id is not None and saved.assessment_id in known:
        key = ("assessment", saved.assessment_id)
        resource["supportingInfo"] = [
            ids.ref(*key, "QuestionnaireResponse"),
            ids.ref(*key, "triage"),
        ]
    activities = [
        _exercise_activity(item, phase, until, records.plan_suspended)
        for phase in plan.phases
        for item, until in _exercises(phase)
    ]
    activities.append(_running_activity(plan, records.programme_stage, records.plan_suspended))
    resource["activity"] = activities
    notes = [
        *plan.do_now,
        *(f"Get help at once if: {sign}" for sign in plan.warning_signs),
        plan.not_a_diagnosis,
    ]
    resource["note"] = [{"text": text} for text in notes if text.strip()]
    return resource


def _plan_period(plan: Plan) -> Json:
    period: Json = {"start": plan.preferences.start_date.isoformat()}
    ends = [phase.ends_on for phase in plan.phases]
    if ends and all(end is not None for end in ends):
        period["end"] = max(end for end in ends if end is not None).isoformat()
    return period


def _exercises(phase: Phase) -> list[tuple[PlanItem, dt.date | None]]:
    """The phase's exercises, each with the day it ends: the phase's end, or the day
    before a progression takes its place."""
    replaced_on = {
        item.replaces: item.starts_on
        for item in phase.items
        if item.replaces is not None and item.starts_on is not None
    }
    found = []
    for item in phase.items:
        if item.kind != "exercise":
            continue
        until = phase.ends_on
        taken_over = replaced_on.get(item.exercise or "")
        if taken_over is not None:
            until = taken_over - dt.timedelta(days=1)
        found.append((item, until))
    return found


def _exercise_activity(
    item: PlanItem, phase: Phase, until: dt.date | None, suspended: bool
) -> Json:
    dose = f": {item.dose.text}" if item.dose is not None and item.dose.text.strip() else ""
    code: Json = {"text": item.title}
    if item.exercise:
        code = {
            "coding": [{"system": EXERCISES, "code": item.exercise, "display": item.title}],
            **code,
        }
    period: Json = {"start": (item.starts_on or phase.starts_on).isoformat()}
    if until is not None:
        period["end"] = until.isoformat()
    detail: Json = {"code": code}
    if item.why.strip():
        detail["reasonCode"] = [{"text": item.why}]
    detail |= {
        "status": "on-hold" if suspended else "scheduled",
        "scheduledPeriod": period,
        "description": f"{phase.title} phase. {item.title}{dose}",
    }
    return {"detail": detail}


def _running_activity(plan: Plan, stage: StageId | None, suspended: bool) -> Json:
    running = plan.running
    parts = [f"Running: {running.advice}. {running.detail}"]
    if stage is not None:
        rung = stage_of(stage)
        parts.append(f"Walk-run programme: stage {stage.number} of {len(StageId)}, {rung.title}.")
    elif running.return_to_run_from is not None:
        parts.append(
            f"The walk-run programme may begin on {running.return_to_run_from.isoformat()}."
        )
    detail: Json = {
        "code": {
            "coding": [
                {
                    "system": CARE_ACTIVITIES,
                    "code": "running",
                    "display": "Running and the walk-run programme",
                }
            ],
            "text": "Running",
        },
        "status": "on-hold" if suspended else ("in-progress" if stage else "scheduled"),
        "description": " ".join(part.strip() for part in parts),
    }
    if running.return_to_run_from is not None and not suspended:
        detail["scheduledPeriod"] = {"start": running.return_to_run_from.isoformat()}
    return {"detail": detail}
