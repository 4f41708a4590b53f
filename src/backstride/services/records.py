"""Use cases over a person's whole record: what is stored, gathered for export.

Each section gathers what one export needs, in one unit of work, as the ports give
it; the exporters (``adapters/export``) turn it into a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from backstride.domain.recovery.return_to_run import StageId
from backstride.services.care import decide_care, load_care_inputs, shown_plan
from backstride.services.ports import SavedAssessment, SavedCheckin, SavedPlan, UnitOfWork

# --- the FHIR export: the records a bundle is built from ------------------------------
# (adapters/export/fhir.py builds the bundle; docs/adr/0011-fhir-records.md says why.)

# How many saved assessments an export reads, newest first. A runner saves one per
# episode or re-assessment; this bounds the read without leaving anyone's out.
EXPORT_ASSESSMENTS = 10_000
# A FHIR id: the patient's id is written into the bundle's Patient identifier and
# its keys, so it is held to the id rule of the standard (letters, digits, - and .).
PATIENT_ID_PATTERN = re.compile(r"[A-Za-z0-9\-.]{1,64}")
MAX_NAME_LENGTH = 200
DEFAULT_PATIENT_ID = "local"


@dataclasses.dataclass(frozen=True, slots=True)
class PatientDescriptor:
    """Who the records are about: an id, and a name to show if one is given.

    backstride stores no identity data; the exporter writes only these two.
    """

    id: str = DEFAULT_PATIENT_ID
    name: str | None = None


def patient_problems(patient_id: str, name: str | None) -> list[str]:
    """What is wrong with a patient descriptor, one plain sentence each (none: usable)."""
    problems = []
    if not PATIENT_ID_PATTERN.fullmatch(patient_id):
        problems.append(
            "the patient id must be 1 to 64 letters, digits, '-' or '.' "
            f"(a FHIR id; got {patient_id!r})"
        )
    if name is not None and not name.strip():
        problems.append("the name must not be blank (leave it out instead)")
    elif name is not None and len(name) > MAX_NAME_LENGTH:
        problems.append(f"the name must be at most {MAX_NAME_LENGTH} characters")
    return problems


@dataclasses.dataclass(frozen=True, slots=True)
class PatientRecords:
    """Everything stored about the runner that a FHIR bundle carries.

    ``plan`` is the latest saved plan as every surface may show it on ``day``: while
    care is needed now or on hold it is the suspended plan (``plan_suspended``), with
    no exercise and no run (``services.care.shown_plan``). ``programme_stage`` is
    where the walk-run programme stands after its last judged session, when one was
    started and the plan is not suspended.
    """

    day: dt.date
    assessments: tuple[SavedAssessment, ...]
    """Oldest first."""
    plan: SavedPlan | None
    plan_suspended: bool
    checkins: tuple[SavedCheckin, ...]
    """Every check-in stored, in date order."""
    programme_stage: StageId | None


def gather_records(uow: UnitOfWork, day: dt.date) -> PatientRecords:
    """Read the runner's records in one unit of work; the care state is the one on ``day``."""
    with uow:
        assessments = tuple(reversed(uow.assessments.list(EXPORT_ASSESSMENTS)))
        saved_plan = uow.plans.latest()
        last_day = uow.checkins.last_day()
        checkins = tuple(uow.checkins.up_to(last_day)) if last_day is not None else ()
        programme = uow.programmes.current()
        stage: StageId | None = None
        if programme is not None:
            decision = uow.programmes.last_decision(programme.id)
            stage = (decision.state_after if decision else programme.start).stage
        care_inputs = load_care_inputs(uow, day)
    care = decide_care(care_inputs, day)
    suspended = False
    if saved_plan is not None:
        shown = shown_plan(saved_plan.plan, care)
        suspended = shown is not saved_plan.plan
        saved_plan = dataclasses.replace(saved_plan, plan=shown)
    return PatientRecords(
        day=day,
        assessments=assessments,
        plan=saved_plan,
        plan_suspended=suspended,
        checkins=checkins,
        programme_stage=None if suspended else stage,
    )
