"""The API's plans: build one (from a saved assessment or an intake), and the saved ones.

Every document is the one `backstride plan --format json` prints. The request body
is validated by the services' own code (``validate_document``), not by FastAPI, so
a problem is reported with the same path and wording as the CLI gives; the
OpenAPI document still describes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from backstride.domain.assessment.intake import Intake
from backstride.domain.plan.model import Plan, Preferences
from backstride.services import assessing, planning, ports
from backstride.services.care import care_state, shown_plan
from backstride.services.ports import SavedPlan
from backstride.services.validation import InvalidDocument, Problem, validate_document
from backstride.web.api.errors import INVALID, invalid_document_response, prefixed
from backstride.web.api.openapi import json_request_body, ref
from backstride.web.api.params import MAX_ROW_ID, RowId, json_body
from backstride.web.care_schema import with_care
from backstride.web.deps import ClockDep, UnitOfWork

router = APIRouter(tags=["plans"])


class PlanRequest(BaseModel):
    """Build a plan from a saved assessment (``assessment_id``) or from an intake."""

    model_config = ConfigDict(extra="forbid")

    assessment_id: int | None = Field(
        default=None, ge=1, le=MAX_ROW_ID, description="A saved assessment's id."
    )
    intake: dict[str, Any] | None = Field(
        default=None, description="A `backstride.intake/1` document, assessed on the spot."
    )
    preferences: dict[str, Any] | None = Field(
        default=None,
        description="Minutes a day, days a week, equipment, start date (default: today).",
    )


PLAN_BODY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "Give `assessment_id` or `intake` (not both); `preferences` is optional.",
    "oneOf": [{"required": ["assessment_id"]}, {"required": ["intake"]}],
    "properties": {
        "assessment_id": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_ROW_ID,
            "description": "A saved assessment's id.",
        },
        "intake": ref("Intake"),
        "preferences": {
            **Preferences.model_json_schema(),
            "required": [],
            "description": "Start date defaults to today.",
        },
    },
}


def _plan_request(data: Any, today: dt.date) -> tuple[PlanRequest, Preferences, Intake | None]:
    request = validate_document(PlanRequest, data)
    problems: list[Problem] = []
    if (request.assessment_id is None) == (request.intake is None):
        problems.append(Problem("$", "give either assessment_id or intake (exactly one)"))
    preferences: Preferences | None = None
    try:
        preferences = validate_document(
            Preferences, {"start_date": today.isoformat(), **(request.preferences or {})}
        )
    except InvalidDocument as invalid:
        problems += prefixed(invalid.problems, "preferences")
    intake: Intake | None = None
    if request.intake is not None:
        try:
            intake = assessing.parse_intake(request.intake)
        except InvalidDocument as invalid:
            problems += prefixed(invalid.problems, "intake")
    if problems or preferences is None:
        raise InvalidDocument(problems)
    return request, preferences, intake


def _saved_plan_document(saved: SavedPlan, uow: ports.UnitOfWork, today: dt.date) -> dict[str, Any]:
    """A saved plan with today's care state; while care is needed now or on hold the plan
    is the suspended one: no phase, no dated session, no running (issue 10)."""
    care = care_state(uow, today)
    return {
        "id": saved.id,
        "created_at": saved.created_at.isoformat(),
        "assessment_id": saved.assessment_id,
        "plan": shown_plan(saved.plan, care).to_document(),
        "care": care.to_document(),
    }


SAVED_PLAN = with_care(
    "`{id, created_at, assessment_id, plan, care}`: the `backstride.plan/1` document "
    "(suspended while `care.suspended`) and today's care state."
)


@router.post(
    "/plans",
    summary="Build a plan",
    response_model=Plan,
    responses={**INVALID, 404: {"description": "No such saved assessment."}},
    openapi_extra=json_request_body(
        PLAN_BODY_SCHEMA, "Where the plan comes from, and preferences."
    ),
)
async def create_plan(
    request: Request,
    uow: UnitOfWork,
    now: ClockDep,
    save: Annotated[
        bool, Query(description="Also store the plan (and the intake's assessment).")
    ] = False,
) -> Response:
    """Returns the `backstride.plan/1` document, as `backstride plan --format json` prints it.
    Emergency or urgent triage gives a plan with no exercises: only what to do now."""
    try:
        body, preferences, intake = _plan_request(await json_body(request), now.today())
    except InvalidDocument as invalid:
        return invalid_document_response(invalid.problems)
    if intake is not None:
        if not save:
            return JSONResponse(planning.plan_from_intake(intake, preferences).plan.to_document())
        stored, _ = await run_in_threadpool(
            planning.plan_and_save_from_intake, uow, now, intake, preferences
        )
    else:
        try:
            planned = await run_in_threadpool(
                planning.plan_from_assessment, uow, body.assessment_id or 0, preferences
            )
        except planning.NoAssessmentError:
            raise HTTPException(404, "no such assessment") from None
        if not save:
            return JSONResponse(planned.plan.to_document())
        stored = await run_in_threadpool(planning.save_plan, uow, now, planned)
    headers = {"Location": f"/api/v1/plans/{stored.id}"}
    return JSONResponse(stored.plan.to_document(), status_code=201, headers=headers)


@router.get("/plans/latest", summary="The latest saved plan", responses=SAVED_PLAN)
def latest_plan(uow: UnitOfWork, now: ClockDep) -> dict[str, Any]:
    saved = planning.latest_plan(uow)
    if saved is None:
        raise HTTPException(404, "no saved plan")
    return _saved_plan_document(saved, uow, now.today())


@router.get("/plans/{plan_id}", summary="One saved plan", responses=SAVED_PLAN)
def get_plan(plan_id: RowId, uow: UnitOfWork, now: ClockDep) -> dict[str, Any]:
    saved = planning.get_plan(uow, plan_id)
    if saved is None:
        raise HTTPException(404, "no such plan")
    return _saved_plan_document(saved, uow, now.today())
