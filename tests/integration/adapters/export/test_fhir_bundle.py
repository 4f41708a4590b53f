"""The FHIR R4 bundle of a runner's records, validated with fhir.resources (ADR 11)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.adapters.export.fhir import (
    LOINC,
    OBSERVATION_CODES,
    PAIN_LOINC,
    PAIN_LOINC_DISPLAY,
    RED_FLAGS,
    TRIAGE_LEVELS,
    fhir_bundle,
    fhir_json,
    questionnaire_url,
)
from backstride.bootstrap import open_storage
from backstride.services.clock import FixedClock
from backstride.services.records import PatientDescriptor, PatientRecords, gather_records
from backstride.web.app import create_app
from tests.conftest import fresh_sqlite, load_vignettes
from tests.integration.adapters.export.fhir_support import (
    DAY,
    START,
    at,
    codes,
    intake_answers,
    resources,
    response_answers,
    save_assessment,
    save_checkin,
    store_month,
    validate,
    vignette,
    walk,
)

PATIENT = PatientDescriptor("runner-7", "Ann Runner")

# The codes of the required bindings this export uses, as FHIR R4 lists them
# (fhir.resources checks the structure and the types, not these value sets).
R4_REQUIRED = {
    "Bundle.type": {"document", "message", "transaction", "transaction-response", "batch",
                    "batch-response", "history", "searchset", "collection"},
    "Observation.status": {"registered", "preliminary", "final", "amended", "corrected",
                           "cancelled", "entered-in-error", "unknown"},
    "QuestionnaireResponse.status": {"in-progress", "completed", "amended",
                                     "entered-in-error", "stopped"},
    "CarePlan.status": {"draft", "active", "on-hold", "revoked", "completed",
                        "entered-in-error", "unknown"},
    "CarePlan.intent": {"proposal", "plan", "order", "option"},
    "CarePlan.activity.detail.status": {"not-started", "scheduled", "in-progress", "on-hold",
                                        "completed", "cancelled", "stopped", "unknown",
                                        "entered-in-error"},
}  # fmt: skip


@pytest.fixture
def db_url(migrated_sqlite: Path, tmp_path: Path) -> str:
    return fresh_sqlite(migrated_sqlite, tmp_path, "fhir.sqlite")


@pytest.fixture
def month(db_url: str) -> str:
    store_month(db_url)
    return db_url


def records_of(db_url: str, day: dt.date = DAY) -> PatientRecords:
    storage = open_storage(db_url)
    try:
        return gather_records(storage.unit_of_work(), day)
    finally:
        storage.dispose()


def bundle_of(db_url: str, patient: PatientDescriptor = PATIENT) -> dict[str, Any]:
    return fhir_bundle(patient, records_of(db_url))


# --- a runner's first week ------------------------------------------------------------------


def test_the_bundle_and_every_resource_in_it_are_valid_fhir(month: str) -> None:
    bundle = bundle_of(month)
    validate(bundle)
    # The JSON as written parses back to the same bundle, and validates too.
    validate(json.loads(fhir_json(bundle)))
    assert bundle["type"] == "collection"
    kinds = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    assert kinds["Patient"] == 1
    assert kinds["QuestionnaireResponse"] == 2
    assert kinds["CarePlan"] == 1
    assert bundle["entry"][0]["resource"]["resourceType"] == "Patient"


def test_the_codes_of_required_bindings_are_r4_codes(month: str) -> None:
    bundle = bundle_of(month)
    assert bundle["type"] in R4_REQUIRED["Bundle.type"]
    for observation in resources(bundle, "Observation"):
        assert observation["status"] in R4_REQUIRED["Observation.status"]
    for response in resources(bundle, "QuestionnaireResponse"):
        assert response["status"] in R4_REQUIRED["QuestionnaireResponse.status"]
    (care_plan,) = resources(bundle, "CarePlan")
    assert care_plan["status"] in R4_REQUIRED["CarePlan.status"]
    assert care_plan["intent"] in R4_REQUIRED["CarePlan.intent"]
    for activity in care_plan["activity"]:
        assert activity["detail"]["status"] in R4_REQUIRED["CarePlan.activity.detail.status"]


def test_every_reference_points_into_the_bundle(month: str) -> None:
    bundle = bundle_of(month)
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    references = [value for key, value in walk(bundle) if key == "reference"]
    assert references
    assert set(references) <= set(urls)
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"


def test_the_patient_carries_the_descriptor_and_nothing_else(month: str) -> None:
    (patient,) = resources(bundle_of(month), "Patient")
    assert patient["identifier"][0]["value"] == "runner-7"
    assert patient["name"] == [{"text": "Ann Runner"}]
    assert set(patient) == {"resourceType", "id", "identifier", "name"}
    (unnamed,) = resources(bundle_of(month, PatientDescriptor("runner-7")), "Patient")
    assert "name" not in unnamed


def test_every_intake_answer_is_in_its_questionnaire_response(month: str) -> None:
    records = records_of(month)
    responses = resources(fhir_bundle(PATIENT, records), "QuestionnaireResponse")
    for saved, response in zip(records.assessments, responses, strict=True):
        document = saved.intake.to_document()
        assert response_answers(response) == intake_answers(document)
        assert response["questionnaire"] == questionnaire_url(saved.intake.version)
        assert response["identifier"]["value"] == str(saved.id)
    # The older assessment is a version-1 intake, the newer one version 2.
    assert [r["questionnaire"] for r in responses] == [
        "https://backstride.example/fhir/Questionnaire/intake-v1",
        "https://backstride.example/fhir/Questionnaire/intake-v2",
    ]


def test_answers_keep_the_intake_types(month: str) -> None:
    responses = resources(bundle_of(month), "QuestionnaireResponse")
    answers = {
        item["linkId"]: item.get("answer", [])
        for _, items in walk(responses[1])
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict) and "linkId" in item
    }
    assert answers["person.age"] == [{"valueInteger": 29}]
    assert answers["person.height_cm"] == [{"valueDecimal": 178.0}]
    assert answers["pain.after_run"] == [{"valueBoolean": True}]
    assert answers["pain.onset"] == [{"valueString": "gradual"}]
    assert answers["pain.regions"] == [
        {"valueString": "low_back_center"},
        {"valueString": "low_back_left"},
    ]
    # Answered "none of these": the item is there, with no answer.
    assert answers["neuro.numbness"] == []
    # The PSFS activities repeat their group, one per activity.
    function = [item for item in responses[1]["item"] if item["linkId"] == "function"]
    assert [[i["linkId"] for i in group["item"]] for group in function] == [
        ["function.activity", "function.score_0_10"]
    ] * 2


def test_each_pain_score_is_a_loinc_72514_3_observation(month: str) -> None:
    records = records_of(month)
    bundle = fhir_bundle(PATIENT, records)
    pain = [o for o in resources(bundle, "Observation") if PAIN_LOINC in codes(o["code"], LOINC)]
    expected = 0
    for saved in records.checkins:
        document = saved.document
        scores = [document.pain_now_0_10, document.worst_24h_0_10, document.next_morning_pain_0_10]
        if document.session is not None:
            scores += [document.session.pain_during_0_10, document.session.pain_after_0_10]
        expected += sum(score is not None for score in scores)
    at_intake = sum(
        value is not None
        for saved in records.assessments
        for value in (saved.intake.pain.now_0_10, saved.intake.pain.worst_0_10)
    )
    assert len(pain) == expected + at_intake
    for observation in pain:
        (loinc,) = [c for c in observation["code"]["coding"] if c["system"] == LOINC]
        assert loinc["display"] == PAIN_LOINC_DISPLAY
        assert 0 <= observation["valueInteger"] <= 10
        assert len(codes(observation["code"], OBSERVATION_CODES)) == 1  # which rating
    # The second day: pain now 3, worst 3, next morning 2, the walk 2 during and 2 after.
    second = START + dt.timedelta(days=1)
    on_second = {
        codes(o["code"], OBSERVATION_CODES)[0]: o["valueInteger"]
        for o in pain
        if o["effectiveDateTime"] == second.isoformat()
    }
    assert on_second == {
        "pain-now": 3,
        "pain-worst-24h": 3,
        "pain-next-morning": 2,
        "pain-during-session": 2,
        "pain-after-session": 2,
    }


def test_psfs_is_an_observation_in_backstrides_own_code_system(month: str) -> None:
    bundle = bundle_of(month)
    psfs = [
        o for o in resources(bundle, "Observation") if "psfs" in codes(o["code"], OBSERVATION_CODES)
    ]
    # At intake (two activities), and on the first and fourth day.
    assert len(psfs) == 3
    for observation in psfs:
        # No LOINC code is claimed for the scale (none could be verified: ADR 11).
        assert codes(observation["code"], LOINC) == []
        items = [c["valueInteger"] for c in observation["component"]]
        assert observation["valueQuantity"]["value"] == round(sum(items) / len(items), 2)
        assert observation["valueQuantity"]["code"] == "{score}"
    last = psfs[-1]
    assert last["effectiveDateTime"] == (START + dt.timedelta(days=3)).isoformat()
    assert [(c["code"]["text"], c["valueInteger"]) for c in last["component"]] == [
        ("running 5 km", 5),
        ("sitting at work", 7),
    ]
    assert last["valueQuantity"]["value"] == 6.0


def test_the_triage_is_an_observation_with_the_level_and_each_red_flag(month: str) -> None:
    records = records_of(month)
    bundle = fhir_bundle(PATIENT, records)
    triages = [
        o
        for o in resources(bundle, "Observation")
        if "triage" in codes(o["code"], OBSERVATION_CODES)
    ]
    assert len(triages) == 2
    for saved, observation in zip(records.assessments, triages, strict=True):
        level = saved.assessment.triage.level
        assert codes(observation["valueCodeableConcept"], TRIAGE_LEVELS) == [level]
        flags = [f.id for f in saved.assessment.red_flags]
        found = [codes(c["code"], RED_FLAGS)[0] for c in observation.get("component", [])]
        assert found == flags
        notes = " ".join(n["text"] for n in observation["note"])
        assert saved.assessment.triage.headline in notes
        for flag in saved.assessment.red_flags:
            assert flag.clinician_explanation in notes
    # p10: soon, with a possible fracture; the policy rules named in the reason.
    assert codes(triages[0]["valueCodeableConcept"], TRIAGE_LEVELS) == ["soon"]
    assert "spinal_fracture" in [codes(c["code"], RED_FLAGS)[0] for c in triages[0]["component"]]
    assert "policy rules" in " ".join(n["text"] for n in triages[0]["note"])


def test_the_care_plan_lists_each_exercise_with_its_dose_and_the_running(month: str) -> None:
    records = records_of(month)
    assert records.plan is not None
    plan = records.plan.plan
    (care_plan,) = resources(fhir_bundle(PATIENT, records), "CarePlan")
    assert (care_plan["status"], care_plan["intent"]) == ("active", "plan")
    exercises = [
        (phase, item) for phase in plan.phases for item in phase.items if item.kind == "exercise"
    ]
    assert exercises
    activities = care_plan["activity"]
    assert len(activities) == len(exercises) + 1
    for (phase, item), activity in zip(exercises, activities, strict=False):
        detail = activity["detail"]
        assert detail["code"]["coding"][0]["code"] == item.exercise
        assert item.dose is not None
        assert item.dose.text in detail["description"]
        assert detail["scheduledPeriod"]["start"] >= phase.starts_on.isoformat()
    running = activities[-1]["detail"]
    assert running["code"]["coding"][0]["code"] == "running"
    assert plan.running.detail in running["description"]
    # The walks started the walk-run programme: its stage is named.
    assert records.programme_stage is not None
    assert f"stage {records.programme_stage.number} of" in running["description"]
    assert running["status"] == "in-progress"
    # The plan points at the assessment it was built from.
    newest = records.assessments[-1].id
    response = [
        e["fullUrl"]
        for e in fhir_bundle(PATIENT, records)["entry"]
        if e["resource"].get("identifier")
        == {
            "system": "https://backstride.example/fhir/NamingSystem/assessment-id",
            "value": str(newest),
        }
    ]
    assert care_plan["supportingInfo"][0]["reference"] == response[0]
    notes = " ".join(n["text"] for n in care_plan["note"])
    assert plan.not_a_diagnosis in notes
    assert all(sign in notes for sign in plan.warning_signs)


def test_no_medicine_is_named_or_dosed(month: str) -> None:
    bundle = bundle_of(month)
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds <= {"Patient", "QuestionnaireResponse", "Observation", "CarePlan"}
    keys = {key for key, _ in walk(bundle)}
    for medicine_field in ("dosage", "dosageInstruction", "dailyAmount", "quantity", "kind"):
        assert medicine_field not in keys
    assert not any(key.startswith("product") for key in keys)


def test_the_same_records_give_the_same_bytes(month: str) -> None:
    first = fhir_json(bundle_of(month))
    assert fhir_json(bundle_of(month)) == first
    other = bundle_of(month, PatientDescriptor("runner-8"))
    ids = {e["fullUrl"] for e in json.loads(first)["entry"]}
    assert ids.isdisjoint(e["fullUrl"] for e in other["entry"])


def test_a_new_check_in_adds_entries_and_keeps_the_others(month: str) -> None:
    before = bundle_of(month)
    save_checkin(
        month,
        {"schema": "backstride.checkin/1", "date": DAY.isoformat(), "pain_now_0_10": 1,
         "worst_24h_0_10": 2},
        at(DAY, 20),
    )  # fmt: skip
    after = bundle_of(month)
    urls_before = [
        e["fullUrl"] for e in before["entry"] if e["resource"]["resourceType"] != "CarePlan"
    ]
    urls_after = [e["fullUrl"] for e in after["entry"]]
    assert set(urls_before) < set(urls_after)
    assert len(urls_after) == len(before["entry"]) + 2


# --- the edges ------------------------------------------------------------------------------


def test_an_empty_record_is_a_valid_bundle_with_just_the_patient(db_url: str) -> None:
    records = records_of(db_url)
    assert (records.assessments, records.checkins, records.plan) == ((), (), None)
    bundle = fhir_bundle(PATIENT, records)
    validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]


def test_an_emergency_after_the_plan_puts_it_on_hold_without_exercises(month: str) -> None:
    save_assessment(month, vignette("p01"), at(DAY - dt.timedelta(days=1)))
    records = records_of(month)
    assert records.plan_suspended
    bundle = fhir_bundle(PATIENT, records)
    validate(bundle)
    (care_plan,) = resources(bundle, "CarePlan")
    assert care_plan["status"] == "on-hold"
    assert [a["detail"]["code"]["coding"][0]["code"] for a in care_plan["activity"]] == ["running"]
    assert care_plan["activity"][0]["detail"]["status"] == "on-hold"
    assert "stage" not in care_plan["activity"][0]["detail"]["description"]
    (triage,) = [
        o
        for o in resources(bundle, "Observation")
        if "triage" in codes(o["code"], OBSERVATION_CODES)
        and codes(o["valueCodeableConcept"], TRIAGE_LEVELS) == ["emergency"]
    ]
    assert "cauda_equina_syndrome" in [codes(c["code"], RED_FLAGS)[0] for c in triage["component"]]


def test_every_vignette_gives_a_valid_bundle(db_url: str) -> None:
    for number, case in enumerate(load_vignettes()):
        moment = dt.datetime.combine(START, dt.time(0, 0), tzinfo=dt.UTC)
        save_assessment(db_url, case["intake"], FixedClock(moment + dt.timedelta(minutes=number)))
    records = records_of(db_url)
    assert len(records.assessments) == len(load_vignettes())
    bundle = fhir_bundle(PATIENT, records)
    validate(bundle)
    for saved, response in zip(
        records.assessments, resources(bundle, "QuestionnaireResponse"), strict=True
    ):
        assert response_answers(response) == intake_answers(saved.intake.to_document())


# --- the web app ----------------------------------------------------------------------------


class _Clock:
    def now(self) -> dt.datetime:
        return dt.datetime.combine(DAY, dt.time(9, 0), tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return DAY


def test_the_web_app_serves_the_bundle_as_a_download(month: str) -> None:
    with TestClient(create_app(month, _Clock()), base_url="http://127.0.0.1") as client:
        answer = client.get("/records/fhir.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/fhir+json")
    assert "attachment" in answer.headers["content-disposition"]
    bundle = answer.json()
    validate(bundle)
    assert answer.content == fhir_json(fhir_bundle(PatientDescriptor(), records_of(month)))
