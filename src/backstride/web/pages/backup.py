"""Everything a person has, as one zip to download (issue 15 item 4, ADR 13).

The same archive as `backstride export all` (``services/export.py``, written by the
database adapter through ``bootstrap.Storage``): every record of whoever is asking
(the logged-in runner in multi-user mode, the local person otherwise) and their
original activity files; `backstride restore` reads it back. On a clinic's server the
archive is made by a job-queue worker (ADR 14): the runner asks for it, the page follows
it, and the finished file is downloaded from there.
"""

from __future__ import annotations

import io

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.services.export import export_all, export_file_name
from backstride.services.jobs import JobQueue
from backstride.web.deps import ClockDep, UnitOfWork, storage
from backstride.web.templating import templates

router = APIRouter(include_in_schema=False)


def _queue(request: Request) -> JobQueue | None:
    found: JobQueue | None = getattr(request.app.state, "jobs", None)
    return found


@router.get("/records/export.zip")
def export_zip(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    if _queue(request) is not None:
        # A clinic's server makes the archive in a job (ADR 14): ask for it there.
        return RedirectResponse("/records/exports", status_code=303)
    out = io.BytesIO()
    export_all(storage(request), now, out, uow.owner_id)
    headers = {
        "Content-Disposition": f'attachment; filename="{export_file_name(now.today())}"',
        "Cache-Control": "no-store",  # health records: never kept by a cache on the way
    }
    return Response(out.getvalue(), media_type="application/zip", headers=headers)


@router.get("/records/exports", response_class=HTMLResponse)
def exports_page(request: Request) -> Response:
    context = {"title": "Everything you have", "export": None, "refreshing": False}
    return templates.TemplateResponse(request, "records_export.html", context)


@router.post("/records/exports")
def ask_for_export(request: Request, uow: UnitOfWork) -> Response:
    queue = _queue(request)
    if queue is None:
        return RedirectResponse("/records/export.zip", status_code=303)
    export_id = queue.defer_export(uow.owner_id, "record")
    return RedirectResponse(f"/records/exports/{export_id}", status_code=303)


@router.get("/records/exports/{export_id}", response_class=HTMLResponse)
def export_page(request: Request, export_id: int, uow: UnitOfWork) -> Response:
    queue = _queue(request)
    found = queue.export_status(uow.owner_id, export_id) if queue is not None else None
    if found is None:
        raise HTTPException(404)
    refreshing = (
        found.status in ("queued", "running") and request.query_params.get("refresh") != "off"
    )
    context = {"title": "Everything you have", "export": found, "refreshing": refreshing}
    return templates.TemplateResponse(request, "records_export.html", context)


@router.get("/records/exports/{export_id}/download")
def export_download(request: Request, export_id: int, uow: UnitOfWork) -> Response:
    queue = _queue(request)
    found = queue.export_file(uow.owner_id, export_id) if queue is not None else None
    if found is None:
        raise HTTPException(404)
    headers = {
        "Content-Disposition": f'attachment; filename="{found.file_name}"',
        "Cache-Control": "no-store",
    }
    return Response(found.content, media_type=found.media_type, headers=headers)
