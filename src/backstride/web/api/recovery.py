"""The API's recovery: record a check-in, what to do on a day, and progress.

Every document is the one `backstride checkin`, `today` and `progress` print with
``--format json``; the check-in body is validated by the recovery service's own code.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from backstride.domain.recovery.checkin import CheckinDocument
from backstride.services import recovery
from backstride.services.validation import InvalidDocument, Problem
from backstride.web.api.errors import INVALID, invalid_document_response
from backstride.web.api.openapi import inline, json_request_body
from backstride.web.api.params import day_query, json_body, parse_days
from backstride.web.care_schema import with_care
from backstride.web.deps import ClockDep, UnitOfWork

router = APIRouter(tags=["recovery"])


@router.post(
    "/checkins",
    summary="Record a check-in",
    status_code=201,
    responses=INVALID,
    openapi_extra=json_request_body(
        inline(CheckinDocument.model_json_schema(by_alias=True)),
        "A `backstride.checkin/1` document (`backstride schema checkin`).",
    ),
)
async def create_checkin(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    """Stores the day's check-in (merged into one already sent that day) and returns the
    `backstride.checkin-result/1` document: programme decisions, escalations, re-triage."""
    try:
        document = recovery.parse_checkin(await json_body(request))
    except InvalidDocument as invalid:
        return invalid_document_response(invalid.problems)
    try:
        result = await run_in_threadpool(recovery.record_checkin, uow, now, document)
    except InvalidDocument as invalid:
        return invalid_document_response(invalid.problems)
    return JSONResponse(result.to_document(), status_code=201)


@router.get(
    "/today",
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
    date: Annotated[str | None, day_query("The day (default: today).")] = None,
) -> Any:
    """The `backstride.today/1` document: exercises with dose, the walk or run, and why."""
    days, problems = parse_days(date=date)
    if problems:
        return invalid_document_response(problems, where="query")
    return recovery.today(uow, days["date"] or now.today()).to_document()


@router.get(
    "/progress",
    summary="Recovery progress",
    responses=with_care(
        "The `backstride.progress/1` document; while `care.suspended`, `current_stage` is null."
    ),
)
def progress(
    uow: UnitOfWork,
    now: ClockDep,
    date: Annotated[str | None, day_query("Last day (default: today).")] = None,
    start: Annotated[
        str | None, day_query("First day (default: first check-in, at most 90 days back).", "from")
    ] = None,
) -> Any:
    """The `backstride.progress/1` document: pain trend, activity scores, adherence, stages.

    A report covers at most five years (422 beyond)."""
    days, problems = parse_days(date=date, **{"from": start})
    if problems:
        return invalid_document_response(problems, where="query")
    try:
        report = recovery.progress(uow, days["date"] or now.today(), days["from"])
    except recovery.RecoveryError as error:
        return invalid_document_response([Problem("from", str(error))], where="query")
    # Already JSON values: sent as they are (FastAPI's encoder would walk every day again).
    return JSONResponse(report.to_document())
