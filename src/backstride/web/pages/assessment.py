"""The assessment pages: the wizard (``wizard.py``), a result, and the saved results."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from backstride.content.loader import load_knowledge_base
from backstride.services import assessing
from backstride.web.deps import ClockDep, Form, UnitOfWork
from backstride.web.pages import wizard
from backstride.web.templating import templates

router = APIRouter(include_in_schema=False)


# -- the wizard (pages/wizard.py) ------------------------------------------------------


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
