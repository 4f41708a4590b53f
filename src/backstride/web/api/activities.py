"""The API's activities: import watch files, the run log, and shoes.

Every document is the one `backstride import`, `runs` and `shoes` print with
``--format json``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from backstride.services import importing, training
from backstride.services.jobs import upload_document
from backstride.services.validation import InvalidDocument, Problem, validate_document
from backstride.web.api.errors import INVALID, invalid_document_response
from backstride.web.api.openapi import inline, json_request_body
from backstride.web.api.params import json_body
from backstride.web.auth import owner_of
from backstride.web.deps import ClockDep, NewUnitOfWork, UnitOfWork
from backstride.web.uploads import job_queue, read_one_at_a_time, uploaded_files

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


UPLOAD_STATUS = {
    "type": "object",
    "required": ["id", "batch_id", "name", "size", "status", "attempts", "done", "total"],
    "properties": {
        "id": {"type": "integer"},
        "batch_id": {"type": "integer", "description": "The first file sent with it."},
        "name": {"type": "string"},
        "size": {"type": "integer", "description": "Bytes uploaded."},
        "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
        "created_at": {"type": "string", "format": "date-time"},
        "started_at": {"type": ["string", "null"], "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
        "attempts": {"type": "integer", "description": "Times a worker started it."},
        "done": {"type": "integer", "description": "Items read so far."},
        "total": {
            "type": ["integer", "null"],
            "description": "Files the upload holds (an archive's entries), if known.",
        },
        "error": {"type": ["string", "null"], "description": "Why it failed (or was retried)."},
        "summary": {
            "type": ["object", "null"],
            "description": "Once done: the import summary, as `backstride import --format json`.",
        },
    },
}
QUEUED_RESPONSE: dict[int | str, dict[str, Any]] = {
    202: {
        "description": (
            "A clinic server with a job queue: the files are stored and their import is "
            "queued; follow each with `GET /api/v1/activities/imports/{id}`."
        ),
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["imports"],
                    "properties": {"imports": {"type": "array", "items": UPLOAD_STATUS}},
                }
            }
        },
    }
}


@router.post(
    "/activities",
    summary="Import watch files",
    status_code=201,
    responses={**INVALID, **QUEUED_RESPONSE},
    openapi_extra=UPLOAD_BODY,
)
async def import_activities(request: Request, new_uow: NewUnitOfWork, now: ClockDep) -> Response:
    """Imports every uploaded file; returns the import summary (as `backstride import
    --format json`): imported, duplicates and skipped files, each with its reason.

    On a clinic server with a job queue the files are stored and queued instead, and
    the answer is `202` with each file's import status (ADR 14)."""
    try:
        form = await request.form()
    except HTTPException as error:
        if error.status_code != 400:
            raise
        return invalid_document_response([Problem("$", f"not a readable form ({error.detail})")])
    uploads = uploaded_files(form)
    if not uploads:
        return invalid_document_response([Problem("files", "upload at least one file")])
    queue = job_queue(request)
    if queue is not None:
        owner = owner_of(request)
        ids = await run_in_threadpool(queue.defer_imports, owner, read_one_at_a_time(uploads))
        statuses = await run_in_threadpool(queue.batch, owner, ids[0])
        return JSONResponse(
            {"imports": [upload_document(status) for status in statuses]},
            status_code=202,
            headers={"Location": f"/api/v1/activities/imports/{ids[0]}"},
        )
    summary = await run_in_threadpool(
        importing.import_uploads, new_uow, now, read_one_at_a_time(uploads)
    )
    return JSONResponse(importing.summary_document(summary), status_code=201)


@router.get(
    "/activities/imports/{upload_id}",
    summary="Where a queued import stands",
    responses={
        200: {
            "description": "The upload: queued, running (with progress), done or failed.",
            "content": {"application/json": {"schema": UPLOAD_STATUS}},
        },
        404: {"description": "No such upload of yours, or this server has no job queue."},
    },
)
def import_status(
    request: Request,
    upload_id: Annotated[int, Path(ge=1, le=2**31 - 1, description="The upload's id.")],
) -> dict[str, Any]:
    """A file sent to `POST /api/v1/activities` on a clinic server: its status, its
    progress while a worker reads it, and the import summary once done."""
    queue = job_queue(request)
    found = queue.status(owner_of(request), upload_id) if queue is not None else None
    if found is None:
        raise HTTPException(404, "no such import")
    return upload_document(found)


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
