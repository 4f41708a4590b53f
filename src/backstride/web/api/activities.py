"""The API's activities: import watch files, the run log, and shoes.

Every document is the one `backstride import`, `runs` and `shoes` print with
``--format json``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from backstride.services import importing, training
from backstride.services.validation import InvalidDocument, Problem, validate_document
from backstride.web.api.errors import INVALID, invalid_document_response
from backstride.web.api.openapi import inline, json_request_body
from backstride.web.api.params import json_body
from backstride.web.deps import ClockDep, NewUnitOfWork, UnitOfWork
from backstride.web.uploads import read_one_at_a_time, uploaded_files

router = APIRouter(tags=["activities"])

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
    summary="Import watch files",
    status_code=201,
    responses=INVALID,
    openapi_extra=UPLOAD_BODY,
)
async def import_activities(request: Request, new_uow: NewUnitOfWork, now: ClockDep) -> Response:
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
    summary = await run_in_threadpool(
        importing.import_uploads, new_uow, now, read_one_at_a_time(uploads)
    )
    return JSONResponse(importing.summary_document(summary), status_code=201)


DEFAULT_LIMIT = 100
PAGE = {
    "type": "object",
    "required": ["activities", "total", "next"],
    "properties": {
        "activities": {
            "type": "array",
            "items": {"type": "object"},
            "description": "Newest first; each as in `backstride runs --format json`.",
        },
        "total": {"type": "integer", "minimum": 0, "description": "Every activity in the log."},
        "next": {
            "anyOf": [{"type": "string", "pattern": training.CURSOR_PATTERN}, {"type": "null"}],
            "description": "Give it as `cursor` for the next, older page; null on the last page.",
        },
    },
}


@router.get(
    "/activities",
    summary="The run log, newest first, a page at a time",
    responses={
        200: {
            "description": "A page of the log.",
            "content": {"application/json": {"schema": PAGE}},
        }
    },
)
def list_activities(
    uow: UnitOfWork,
    limit: Annotated[
        int, Query(ge=1, le=training.MAX_PAGE, description="Activities on the page.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(
            pattern=training.CURSOR_PATTERN,
            description="Where the page starts: the `next` of the page before (opaque).",
        ),
    ] = None,
) -> dict[str, Any]:
    """A page of the log (the newest `limit` activities, or those after `cursor`), how many
    the log holds, and the cursor of the next page: reads only the page."""
    before = training.parse_cursor(cursor) if cursor is not None else None
    return training.page_document(training.run_page(uow, limit, before))


@router.get("/shoes", summary="Shoes and their distance")
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
    summary="Add a pair of shoes",
    status_code=201,
    responses={**INVALID, 409: {"description": "There are already shoes of that name."}},
    openapi_extra=json_request_body(inline(ShoeRequest.model_json_schema()), "The new pair."),
)
async def add_shoes(request: Request, uow: UnitOfWork) -> Response:
    try:
        body = validate_document(ShoeRequest, await json_body(request))
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
