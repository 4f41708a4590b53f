"""The API's assessments: assess an intake (and save it), and the saved ones."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from backstride.domain.assessment.document import Assessment
from backstride.services import assessing
from backstride.services.ports import SavedAssessment
from backstride.services.validation import InvalidDocument
from backstride.web import deps
from backstride.web.api.errors import invalid_document_response
from backstride.web.api.params import RowId, json_body
from backstride.web.deps import UnitOfWork

router = APIRouter(tags=["assessments"])


@router.post(
    "/assessments",
    response_model=Assessment,
    summary="Assess an intake document",
)
async def create_assessment(
    request: Request,
    save: Annotated[bool, Query(description="Also store the intake and assessment.")] = False,
) -> Response:
    """Takes a `backstride.intake` document, returns the `backstride.assessment/2` document,
    exactly as `backstride assess --format json` prints it."""
    try:
        intake = assessing.parse_intake(await json_body(request))
    except InvalidDocument as invalid:
        return invalid_document_response(invalid.problems)
    if not save:
        # Pure computation, no I/O, about half a millisecond: handing it to the thread
        # pool would free nothing (the GIL) and cost half as much again in hand-over.
        assessment = assessing.assess_intake(intake)
        return Response(assessment.to_json(), media_type="application/json")
    # Storage and the clock are fetched here, not as dependencies: an assessment that
    # is not saved needs neither, and resolving them costs every request.
    uow, now = deps.unit_of_work_now(request), deps.clock_now(request)
    saved = await run_in_threadpool(assessing.assess_and_save, uow, now, intake)
    headers = {"Location": f"/api/v1/assessments/{saved.id}"}
    return Response(
        saved.assessment.to_json(), status_code=201, headers=headers, media_type="application/json"
    )


def _summary(saved: SavedAssessment) -> dict[str, Any]:
    return {
        "id": saved.id,
        "created_at": saved.created_at.isoformat(),
        "content_version": saved.content_version,
        "triage": saved.assessment.triage.level,
        "likely_causes": [c.id for c in saved.assessment.likely_causes],
        "red_flags": [f.id for f in saved.assessment.red_flags],
    }


@router.get("/assessments", summary="Saved assessments, newest first")
def list_assessments(
    uow: UnitOfWork, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[dict[str, Any]]:
    return [_summary(saved) for saved in assessing.history(uow, limit)]


@router.get("/assessments/{assessment_id}", summary="One saved assessment")
def get_assessment(assessment_id: RowId, uow: UnitOfWork) -> dict[str, Any]:
    saved = assessing.get_assessment(uow, assessment_id)
    if saved is None:
        raise HTTPException(404, "no such assessment")
    return {
        **_summary(saved),
        "intake": saved.intake.to_document(),
        "assessment": saved.assessment.to_document(),
    }
