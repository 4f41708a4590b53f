"""The one-page summary for a GP or physiotherapist, as a PDF to download (issue 15 item 4).

The same summary as `backstride report summary` (``services.summary``, drawn by
``adapters/export/summary_pdf.py``): after an emergency or urgent assessment, or a
warning sign in a check-in, it leads with what to do now and lists no exercise and no
running. The progress page links to it.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from backstride.adapters.export.summary_pdf import render_summary_pdf
from backstride.services.summary import summary
from backstride.web.deps import ClockDep, UnitOfWork

router = APIRouter(include_in_schema=False)


@router.get("/records/summary.pdf")
def summary_pdf(uow: UnitOfWork, now: ClockDep) -> Response:
    today = now.today()
    data = render_summary_pdf(summary(uow, today), made=now.now())
    name = f"backstride-summary-{today.isoformat()}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/pdf", headers=headers)
