"""The HTML pages: the assessment wizard, results, the library and the answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base
from backstride.domain.library.education import GRADE_MEANING
from backstride.services import assessing
from backstride.services.care import care_state
from backstride.services.ports import Clock
from backstride.web import library_view, wizard
from backstride.web.deps import Form, clock, unit_of_work
from backstride.web.templating import templates

router = APIRouter(include_in_schema=False)
UnitOfWork = Annotated[SqlUnitOfWork, Depends(unit_of_work)]
ClockDep = Annotated[Clock, Depends(clock)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    latest = assessing.latest_assessment(uow)
    context = {"latest": latest, "title": "Home", "care": care_state(uow, now.today())}
    return templates.TemplateResponse(request, "home.html", context)


# -- the wizard (web/wizard.py) --------------------------------------------------------


@router.get("/assess", response_class=HTMLResponse)
def assess_start(
    request: Request, uow: UnitOfWork, now: ClockDep, open_warning: bool | None = None
) -> Response:
    if open_warning is None:
        open_warning = wizard.warning_open(uow, now)
    return wizard.start(request, open_warning=open_warning)


@router.post("/assess", response_class=HTMLResponse)
def assess_step(request: Request, form: Form, uow: UnitOfWork, now: ClockDep) -> Response:
    return wizard.answer(request, wizard.FormState.from_form(form.multi_items()), uow, now)


# -- results --------------------------------------------------------------------------


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
def result(request: Request, assessment_id: int, uow: UnitOfWork) -> Response:
    saved = assessing.get_assessment(uow, assessment_id)
    if saved is None:
        raise HTTPException(404)
    context = {
        "title": "Your result",
        "saved": saved,
        "kb": load_knowledge_base(),
    }
    return templates.TemplateResponse(request, "result.html", context)


@router.get("/assessments", response_class=HTMLResponse)
def assessments(request: Request, uow: UnitOfWork) -> Response:
    context = {"title": "Assessments", "saved": assessing.history(uow), "kb": load_knowledge_base()}
    return templates.TemplateResponse(request, "assessments.html", context)


# -- library and answers ----------------------------------------------------------------


@router.get("/exercises", response_class=HTMLResponse)
def exercises(
    request: Request,
    q: str | None = None,
    kind: str | None = None,
    area: str | None = None,
    equipment: str | None = None,
    level: str | None = None,
) -> Response:
    return library_view.index(request, q, kind, area, equipment, level)


@router.get("/exercises/{slug}", response_class=HTMLResponse)
def exercise(request: Request, slug: str) -> Response:
    return library_view.detail(request, slug)


@router.get("/exercises/{slug}/thumbnail.svg")
def exercise_thumbnail(slug: str) -> Response:
    return library_view.thumbnail(slug)


@router.get("/learn", response_class=HTMLResponse)
def learn(request: Request) -> Response:
    topics = sorted(load_topics().values(), key=lambda t: t.title)
    return templates.TemplateResponse(request, "learn.html", {"title": "Learn", "topics": topics})


@router.get("/learn/{slug}", response_class=HTMLResponse)
def topic(request: Request, slug: str) -> Response:
    topics = load_topics()
    if slug not in topics:
        raise HTTPException(404)
    context = {
        "title": topics[slug].title,
        "topic": topics[slug],
        "library": load_exercises(),
        "grade_meaning": GRADE_MEANING,
    }
    return templates.TemplateResponse(request, "topic.html", context)
