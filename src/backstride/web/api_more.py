"""The JSON API for plans, check-ins, today, progress, activities and shoes.

Every document is the one the command line prints with ``--format json``. The
request bodies are validated by the services' own code (``validate_document``),
not by FastAPI, so a problem is reported with the same path and wording as the
CLI gives; the OpenAPI document still describes each body.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.domain.assessment.intake import Intake
from backstride.domain.plan.model import Plan, Preferences
from backstride.domain.recovery.checkin import CheckinDocument
from backstride.services import assessing, importing, planning, recovery, training, web_support
from backstride.services.care import care_state, shown_plan
from backstride.services.limits import DATE_PATTERN, day_problem
from backstride.services.ports import Clock, SavedPlan
from backstride.services.validation import (
    InvalidDocument,
    Problem,
    validate_document,
)
from backstride.web.api import MAX_ROW_ID, RowId, invalid_document_response, json_body
from backstride.web.care_schema import with_care
from backstride.web.deps import clock, database, unit_of_work
from backstride.web.uploads import read_one_at_a_time, uploaded_files

router = APIRouter(prefix="/api/v1")

UnitOfWork = Annotated[SqlUnitOfWork, Depends(unit_of_work)]
ClockDep = Annotated[Clock, Depends(clock)]
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"description": "The document is invalid; `detail` lists each problem with its path."}
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


def _inline(schema: Any, defs: dict[str, Any] | None = None) -> Any:
    """A model's JSON Schema with its ``$defs`` written in place, so it stands alone in OpenAPI."""
    if defs is None and isinstance(schema, dict):
        defs = schema.get("$defs", {})
    if isinstance(schema, dict):
        if "$ref" in schema and defs is not None:
            target = defs[schema["$ref"].rsplit("/", 1)[-1]]
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return {**_inline(target, defs), **rest}
        return {k: _inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline(item, defs) for item in schema]
    return schema


async def _json(request: Request) -> Any:
    """The decoded body; a body that is not JSON is one problem at "$", as in the CLI."""
    return await json_body(request)


def _prefixed(problems: list[Problem], prefix: str) -> list[Problem]:
    return [Problem(prefix if p.path == "$" else f"{prefix}.{p.path}", p.message) for p in problems]


# -- plans --------------------------------------------------------------------------------


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
        "intake": _ref("Intake"),
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
        problems += _prefixed(invalid.problems, "preferences")
    intake: Intake | None = None
    if request.intake is not None:
        try:
            intake = assessing.parse_intake(request.intake)
        except InvalidDocument as invalid:
            problems += _prefixed(invalid.problems, "intake")
    if problems or preferences is None:
        raise InvalidDocument(problems)
    return request, preferences, intake


def _saved_plan_document(saved: SavedPlan, uow: SqlUnitOfWork, today: dt.date) -> dict[str, Any]:
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
    tags=["plans"],
    summary="Build a plan",
    response_model=Plan,
    responses={**INVALID, 404: {"description": "No such saved assessment."}},
    openapi_extra=_json_body(PLAN_BODY_SCHEMA, "Where the plan comes from, and preferences."),
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
        body, preferences, intake = _plan_request(await _json(request), now.today())
    except InvalidDocument as invalid:
        return invalid_document_response(invalid.problems)
    document: dict[str, Any]
    if intake is not None:
        if not save:
            return JSONResponse(planning.plan_from_intake(intake, preferences).plan.to_document())
        stored, _ = await run_in_threadpool(
            planning.plan_and_save_from_intake, uow, now, intake, preferences
        )
    else:
        try:
            planned = await run_in_threadpool(
                web_support.plan_from_assessment, uow, body.assessment_id or 0, preferences
            )
        except web_support.NoSuchAssessmentError:
            raise HTTPException(404, "no such assessment") from None
        if not save:
            return JSONResponse(planned.plan.to_document())
        stored = await run_in_threadpool(planning.save_plan, uow, now, planned)
    document = stored.plan.to_document()
    headers = {"Location": f"/api/v1/plans/{stored.id}"}
    return JSONResponse(document, status_code=201, headers=headers)


@router.get("/plans/latest", tags=["plans"], summary="The latest saved plan", responses=SAVED_PLAN)
def latest_plan(uow: UnitOfWork, now: ClockDep) -> dict[str, Any]:
    saved = planning.latest_plan(uow)
    if saved is None:
        raise HTTPException(404, "no saved plan")
    return _saved_plan_document(saved, uow, now.today())


@router.get("/plans/{plan_id}", tags=["plans"], summary="One saved plan", responses=SAVED_PLAN)
def get_plan(plan_id: RowId, uow: UnitOfWork, now: ClockDep) -> dict[str, Any]:
    saved = web_support.get_plan(uow, plan_id)
    if saved is None:
        raise HTTPException(404, "no such plan")
    return _saved_plan_document(saved, uow, now.today())


# -- check-ins, today, progress ---------------------------------------------------------------


@router.post(
    "/checkins",
    tags=["recovery"],
    summary="Record a check-in",
    status_code=201,
    responses=INVALID,
    openapi_extra=_json_body(
        _inline(CheckinDocument.model_json_schema(by_alias=True)),
        "A `backstride.checkin/1` document (`backstride schema checkin`).",
    ),
)
async def create_checkin(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    """Stores the day's check-in (merged into one already sent that day) and returns the
    `backstride.checkin-result/1` document: programme decisions, escalations, re-triage."""
    try:
        document = recovery.parse_checkin(await _json(request))
    except InvalidDocument as invalid:
        return invalid_document_response(invalid.problems)
    try:
        result = await run_in_threadpool(recovery.record_checkin, uow, now, document)
    except InvalidDocument as invalid:
        return invalid_document_response(invalid.problems)
    return JSONResponse(result.to_document(), status_code=201)


def _day_query(description: str, alias: str | None = None) -> Any:
    """A date parameter: ISO text (YYYY-MM-DD), 1900-01-01 to 2999-12-31."""
    return Query(
        alias=alias,
        description=f"{description} YYYY-MM-DD, 1900-01-01 to 2999-12-31.",
        json_schema_extra={"format": "date", "pattern": DATE_PATTERN},
    )


def _days(**texts: str | None) -> tuple[dict[str, dt.date | None], list[Problem]]:
    """Each given date parsed and checked; the problems, at their parameter's name."""
    days: dict[str, dt.date | None] = {}
    problems: list[Problem] = []
    for name, text in texts.items():
        days[name] = None
        if text is None:
            continue
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            problems.append(Problem(name, f"expected a date like 2026-03-14 (got {text!r})"))
            continue
        problem = day_problem(day) if len(text) == 10 else "expected a date like 2026-03-14"
        if problem is not None:
            problems.append(Problem(name, problem))
        days[name] = day
    return days, problems


@router.get(
    "/today",
    tags=["recovery"],
    summary="What to do on a day",
    response_model=None,
    responses=with_care(
        "The `backstride.today/1` document. `care` comes first in meaning: while "
        "`care.suspended`, `exercises` is empty and `session` and `stage` are null."
    ),
)
def today(
    uow: UnitOfWork,
    now: ClockDep,
    date: Annotated[str | None, _day_query("The day (default: today).")] = None,
) -> Any:
    """The `backstride.today/1` document: exercises with dose, the walk or run, and why."""
    days, problems = _days(date=date)
    if problems:
        return invalid_document_response(problems, where="query")
    return recovery.today(uow, days["date"] or now.today()).to_document()


@router.get(
    "/progress",
    tags=["recovery"],
    summary="Recovery progress",
    responses=with_care(
        "The `backstride.progress/1` document; while `care.suspended`, `current_stage` is null."
    ),
)
def progress(
    uow: UnitOfWork,
    now: ClockDep,
    date: Annotated[str | None, _day_query("Last day (default: today).")] = None,
    start: Annotated[
        str | None, _day_query("First day (default: first check-in, at most a year back).", "from")
    ] = None,
) -> Any:
    """The `backstride.progress/1` document: pain trend, activity scores, adherence, stages.

    A report covers at most five years (422 beyond)."""
    days, problems = _days(date=date, **{"from": start})
    if problems:
        return invalid_document_response(problems, where="query")
    try:
        return recovery.progress(uow, days["date"] or now.today(), days["from"]).to_document()
    except recovery.RecoveryError as error:
        return invalid_document_response([Problem("from", str(error))], where="query")


# -- activities and shoes ---------------------------------------------------------------------


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "minItems": 1,
                            "description": "FIT, GPX, TCX (optionally gzipped) or export archives.",
                        }
                    },
                }
            }
        },
    }
}


@router.post(
    "/activities",
    tags=["activities"],
    summary="Import watch files",
    status_code=201,
    responses=INVALID,
    openapi_extra=UPLOAD_BODY,
)
async def import_activities(request: Request, now: ClockDep) -> Response:
    """Imports every uploaded file; returns the import summary (as `backstride import
    --format json`): imported, duplicates and skipped files, each with its reason."""
    try:
        form = await request.form()
    except HTTPException as error:
        if error.status_code != 400:
            raise
        return invalid_document_response([Problem("$", f"not a readable form ({error.detail})")])
    uploads = uploaded_files(form)
    if not uploads:
        return invalid_document_response([Problem("files", "upload at least one file")])
    db = database(request)
    summary = await run_in_threadpool(
        web_support.import_uploads, lambda: SqlUnitOfWork(db), now, read_one_at_a_time(uploads)
    )
    return JSONResponse(importing.summary_document(summary), status_code=201)


@router.get("/activities", tags=["activities"], summary="The run log, newest first")
def list_activities(
    uow: UnitOfWork, limit: Annotated[int | None, Query(ge=1, le=10000)] = None
) -> list[dict[str, Any]]:
    return [training.activity_document(a) for a in training.list_runs(uow, limit)]


@router.get("/shoes", tags=["activities"], summary="Shoes and their distance")
def list_shoes(uow: UnitOfWork) -> list[dict[str, Any]]:
    return [training.shoe_document(status) for status in training.list_shoes(uow)]


class ShoeRequest(BaseModel):
    # Strict: "default": 0 or "started_km": "5" are refused, as the schema says.
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(
        min_length=1,
        max_length=training.MAX_SHOE_NAME,
        pattern=r"\S",
        description="What you call the pair (spaces are tidied; unique).",
    )
    started_km: float = Field(
        default=0.0, ge=0, le=20000, description="Distance already run in them."
    )
    default: bool = Field(default=False, description="Count new runs for this pair.")


@router.post(
    "/shoes",
    tags=["activities"],
    summary="Add a pair of shoes",
    status_code=201,
    responses={**INVALID, 409: {"description": "There are already shoes of that name."}},
    openapi_extra=_json_body(_inline(ShoeRequest.model_json_schema()), "The new pair."),
)
async def add_shoes(request: Request, uow: UnitOfWork) -> Response:
    try:
        body = validate_document(ShoeRequest, await _json(request))
    except InvalidDocument as invalid:
        return invalid_document_response(invalid.problems)
    name = " ".join(body.name.split())
    try:
        await run_in_threadpool(
            training.add_shoe, uow, body.name, started_km=body.started_km, default=body.default
        )
    except training.TrainingError as error:
        if any("already shoes called" in p for p in error.problems):
            raise HTTPException(409, error.problems[0]) from None
        field = "started_km" if "started-km" in str(error) else "name"
        return invalid_document_response([Problem(field, p) for p in error.problems])
    statuses = await run_in_threadpool(training.list_shoes, uow)
    status = next(s for s in statuses if s.shoe.name == name)
    return JSONResponse(training.shoe_document(status), status_code=201)
