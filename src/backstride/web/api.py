"""The JSON API, version 1: the same documents as the command line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.adapters.export.figure_svg import render_exercise_svg
from backstride.content.library import load_exercises, load_topics, search_exercises
from backstride.domain.assessment.document import Assessment
from backstride.services import assessing
from backstride.services.limits import MAX_PROBLEMS_SHOWN
from backstride.services.ports import Clock, SavedAssessment
from backstride.services.validation import (
    InvalidDocument,
    Problem,
    parse_json_text,
    problems_from_errors,
)
from backstride.web.deps import clock, unit_of_work

router = APIRouter(prefix="/api/v1")

UnitOfWork = Annotated[SqlUnitOfWork, Depends(unit_of_work)]
ClockDep = Annotated[Clock, Depends(clock)]
# A stored row's id: a positive 64-bit integer (larger ones cannot be bound to a query).
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="The stored item's id.")]


@router.post(
    "/assessments",
    response_model=Assessment,
    tags=["assessments"],
    summary="Assess an intake document",
)
async def create_assessment(
    request: Request,
    uow: UnitOfWork,
    now: ClockDep,
    save: Annotated[bool, Query(description="Also store the intake and assessment.")] = False,
) -> Response:
    """Takes a `backstride.intake` document, returns the `backstride.assessment/1` document,
    exactly as `backstride assess --format json` prints it."""
    try:
        intake = assessing.parse_intake(await json_body(request))
    except InvalidDocument as invalid:
        return invalid_document_response(invalid.problems)
    if not save:
        assessment = await run_in_threadpool(assessing.assess_intake, intake)
        return JSONResponse(assessment.to_document())
    saved = await run_in_threadpool(assessing.assess_and_save, uow, now, intake)
    headers = {"Location": f"/api/v1/assessments/{saved.id}"}
    return JSONResponse(saved.assessment.to_document(), status_code=201, headers=headers)


async def json_body(request: Request) -> Any:
    """The decoded body; a body that is not JSON is one problem at "$", as in the CLI."""
    raw = await request.body()
    return parse_json_text(raw.decode("utf-8", errors="replace"))


def _summary(saved: SavedAssessment) -> dict[str, Any]:
    return {
        "id": saved.id,
        "created_at": saved.created_at.isoformat(),
        "content_version": saved.content_version,
        "triage": saved.assessment.triage.level,
        "likely_causes": [c.id for c in saved.assessment.likely_causes],
        "red_flags": [f.id for f in saved.assessment.red_flags],
    }


@router.get("/assessments", tags=["assessments"], summary="Saved assessments, newest first")
def list_assessments(
    uow: UnitOfWork, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[dict[str, Any]]:
    return [_summary(saved) for saved in assessing.history(uow, limit)]


@router.get("/assessments/{assessment_id}", tags=["assessments"], summary="One saved assessment")
def get_assessment(assessment_id: RowId, uow: UnitOfWork) -> dict[str, Any]:
    saved = assessing.get_assessment(uow, assessment_id)
    if saved is None:
        raise HTTPException(404, "no such assessment")
    return {
        **_summary(saved),
        "intake": saved.intake.to_document(),
        "assessment": saved.assessment.to_document(),
    }


@router.get("/exercises", tags=["library"], summary="The exercise library")
def list_exercises(search: str | None = None) -> list[dict[str, Any]]:
    chosen = search_exercises(search) if search else list(load_exercises().values())
    return [exercise.model_dump(mode="json") for exercise in chosen]


@router.get("/exercises/{slug}", tags=["library"], summary="One exercise")
def get_exercise(slug: str) -> dict[str, Any]:
    exercise = load_exercises().get(slug)
    if exercise is None:
        raise HTTPException(404, "no such exercise")
    return exercise.model_dump(mode="json")


@router.get(
    "/exercises/{slug}/illustration.svg",
    tags=["library"],
    summary="The exercise's illustration",
    response_class=Response,
)
def exercise_illustration(slug: str, animate: bool = True) -> Response:
    exercise = load_exercises().get(slug)
    if exercise is None:
        raise HTTPException(404, "no such exercise")
    return Response(render_exercise_svg(exercise, animate=animate), media_type="image/svg+xml")


@router.get("/topics", tags=["learn"], summary="Education topics")
def list_topics() -> list[dict[str, Any]]:
    return [topic.model_dump(mode="json") for topic in load_topics().values()]


@router.get("/topics/{slug}", tags=["learn"], summary="One education topic")
def get_topic(slug: str) -> dict[str, Any]:
    topic = load_topics().get(slug)
    if topic is None:
        raise HTTPException(404, "no such topic")
    return topic.model_dump(mode="json")


def _location(path: str, where: str = "body") -> list[str | int]:
    """ "pain.regions[2]" -> ["body", "pain", "regions", 2], FastAPI's own shape."""
    parts: list[str | int] = [where]
    for token in re.findall(r"[^.\[\]]+", path):
        parts.append(int(token) if token.isdigit() else token)
    return parts if path != "$" else [where]


def invalid_document_response(problems: list[Problem], where: str = "body") -> JSONResponse:
    """422 with one entry per problem: its path in the document and what is wrong.

    At most MAX_PROBLEMS_SHOWN entries; a last one at "$" says how many more.
    """
    shown = problems[:MAX_PROBLEMS_SHOWN]
    if len(problems) > len(shown):
        shown.append(Problem("$", f"… and {len(problems) - len(shown)} more"))
    detail = [
        {"loc": _location(p.path, where), "path": p.path, "msg": p.message, "type": "invalid"}
        for p in shown
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def request_problems_response(errors: Sequence[Any]) -> JSONResponse:
    """422 for FastAPI's own validation (query and path parameters), in the same shape."""
    detail = []
    for error in errors:
        loc = [part for part in error["loc"] if isinstance(part, str | int)]
        problem = problems_from_errors([error], skip_prefix=1)[0]
        detail.append({"loc": loc, "path": problem.path, "msg": problem.message, "type": "invalid"})
    return JSONResponse({"detail": detail[:MAX_PROBLEMS_SHOWN]}, status_code=422)
