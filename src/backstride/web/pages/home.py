"""The home page, and the service worker (served at the root so its scope is the whole app)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backstride.services import assessing
from backstride.services.care import care_state
from backstride.web.deps import ClockDep, UnitOfWork
from backstride.web.drawn_pages import kept_page
from backstride.web.templating import templates

STATIC = Path(__file__).parents[1] / "static"
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    today = now.today()
    return kept_page(request, uow, today, lambda: _draw(request, uow, today))


def _draw(request: Request, uow: UnitOfWork, today: dt.date) -> Response:
    latest = assessing.latest_assessment(uow)
    context = {"latest": latest, "title": "Home", "care": care_state(uow, today)}
    return templates.TemplateResponse(request, "home.html", context)


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker, from static/, served at the root so its scope is the whole app."""
    body = (STATIC / "sw.js").read_text(encoding="utf-8")
    return Response(
        body,
        media_type="text/javascript",
        headers={"cache-control": "no-cache", "service-worker-allowed": "/"},
    )
