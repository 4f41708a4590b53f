"""A runner's records in a real database, and FHIR checks, for the FHIR export tests.

``store_month`` saves what a runner's first week leaves behind: an older assessment
with a red flag (vignette p10), the assessment the plan is built from (the v2 new
runner, with PSFS activities), the plan, and check-ins with walks, session pain,
next-morning pain and PSFS scores. ``validate`` parses a bundle and every resource
in it with ``fhir.resources`` (R4B: see docs/adr/0011-fhir-records.md).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from backstride.adapters.export.fhir import fhir_string
from backstride.bootstrap import open_storage
from backstride.domain.plan.model import Preferences
from backstride.domain.recovery.checkin import CheckinDocument
from backstride.services import assessing, planning
from backstride.services.clock import FixedClock
from backstride.services.recovery import record_checkin
from tests.builders import checkin_document, intake
from tests.conftest import VIGNETTES

START = dt.date(2026, 3, 2)
DAY = dt.date(2026, 3, 6)
FUNCTION = [
    {"activity": "running 5 km", "score_0_10": 4},
    {"activity": "sitting at work", "score_0_10": 6},
]


def at(day: dt.date, hour: int = 8) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC))


def vignette(case_id: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((VIGNETTES / f"{case_id}.json").read_text())["intake"]
    return loaded


def save_assessment(db_url: str, document: dict[str, Any], when: FixedClock) -> int:
    storage = open_storage(db_url)
    try:
        saved = assessing.assess_and_save(
            storage.unit_of_work(), when, assessing.parse_intake(document)
        )
    finally:
        storage.dispose()
    return saved.id


def save_checkin(db_url: str, document: dict[str, Any], when: FixedClock) -> None:
    storage = open_storage(db_url)
    try:
        record_checkin(storage.unit_of_work(), when, CheckinDocument.model_validate(document))
    finally:
        storage.dispose()


def store_month(db_url: str) -> None:
    """Two assessments, a plan from the second, and four days of check-ins."""
    save_assessment(db_url, vignette("p10"), at(START - dt.timedelta(days=20)))
    save_assessment(db_url, intake("new-runner-v2", function=FUNCTION), at(START))
    storage = open_storage(db_url)
    try:
        planned = planning.plan_from_latest(storage.unit_of_work(), Preferences(start_date=START))
        planning.save_plan(storage.unit_of_work(), at(START, 9), planned)
    finally:
        storage.dispose()
    no_signs = {
        "neuro.saddle_numbness": False,
        "neuro.bladder_change": False,
        "neuro.bowel_change": False,
        "neuro.sexual_change": False,
        "neuro.symptoms_both_legs": False,
        "neuro.getting_worse": False,
        "neuro.leg_drags_or_trips": False,
        "neuro.new_weakness": False,
        "neuro.new_numbness": False,
        "general.fever_or_chills": False,
        "general.chest_pain_or_breathless": False,
        "general.faint_or_collapse": False,
        "general.pulsating_abdomen": False,
    }
    walk = {"kind": "walk", "minutes": 30, "pain_during_0_10": 2, "pain_after_0_10": 2}
    days = [
        checkin_document(
            START,
            pain=3,
            worst=4,
            warning_signs=no_signs,
            psfs=[{"activity": "running 5 km", "score_0_10": 4}],
        ),
        checkin_document(
            START + dt.timedelta(days=1), pain=3, worst=3, session=walk, next_morning_pain_0_10=2
        ),
        checkin_document(START + dt.timedelta(days=2), pain=2, worst=3),
        checkin_document(
            START + dt.timedelta(days=3),
            pain=2,
            worst=3,
            session=walk,
            psfs=[
                {"activity": "running 5 km", "score_0_10": 5},
                {"activity": "sitting at work", "score_0_10": 7},
            ],
        ),
    ]
    for document in days:
        save_checkin(db_url, document, at(dt.date.fromisoformat(document["date"]), 20))


# --- reading a bundle ---------------------------------------------------------------------


def validate(bundle: dict[str, Any]) -> None:
    """Parse the bundle, and each resource on its own, with the R4B models."""
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codes(concept: dict[str, Any], system: str) -> list[str]:
    return [c["code"] for c in concept.get("coding", []) if c["system"] == system]


def walk(node: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair anywhere in a JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def intake_answers(document: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """Each answered intake field as (path, values), in document order."""
    found: list[tuple[str, tuple[Any, ...]]] = []

    def visit(path: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, part in value.items():
                visit(f"{path}.{key}", part)
        elif isinstance(value, list) and any(isinstance(part, dict) for part in value):
            for part in value:
                visit(path, part)
        else:
            values = value if isinstance(value, list) else [value]
            found.append((path, tuple(_as_written(v) for v in values)))

    for key, value in document.items():
        if key != "schema":
            visit(key, value)
    return found


def _as_written(value: Any) -> Any:
    return fhir_string(value) if isinstance(value, str) else value


def response_answers(response: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """Each answered item of a QuestionnaireResponse as (linkId, values), in order."""
    found: list[tuple[str, tuple[Any, ...]]] = []

    def visit(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "item" in item:
                visit(item["item"])
                continue
            values = []
            for answer in item.get("answer", []):
                (typed,) = [v for k, v in answer.items() if k.startswith("value")]
                values.append(typed)
            found.append((item["linkId"], tuple(values)))

    visit(response["item"])
    return found
