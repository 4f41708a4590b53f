"""Everything a person has, as one zip to download (issue 15 item 4, ADR 13).

The same archive as `backstride export all` (``services/export.py``, written by the
database adapter through ``bootstrap.Storage``): every record of whoever is asking
(the logged-in runner in multi-user mode, the local person otherwise) and their
original activity files; `backstride restore` reads it back.
"""

from __future__ import annotations

import io

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backstride.services.export import export_all, export_file_name
from backstride.web.deps import ClockDep, UnitOfWork, storage

router = APIRouter(include_in_schema=False)


@router.get("/records/export.zip")
def export_zip(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    out = io.BytesIO()
    export_all(storage(request), now, out, uow.owner_id)
    headers = {
        "Content-Disposition": f'attachment; filename="{export_file_name(now.today())}"',
        "Cache-Control": "no-store",  # health records: never kept by a cache on the way
    }
    return Response(out.getvalue(), media_type="application/zip", headers=headers)
