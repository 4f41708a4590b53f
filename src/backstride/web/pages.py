"""The HTML pages: the assessment wizard, results, the library and the answers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.adapters.export.figure_svg import render_exercise_svg
from backstride.content.library import load_exercises, load_topics, search_exercises
from backstride.content.loader import load_knowledge_base
from backstride.content.questions import load_questions
from backstride.domain.education import GRADE_MEANING
from backstride.services import assessing
from backstride.services.ports import Clock, SavedAssessment
from backstride.services.validation import InvalidDocument
from backstride.web import wizard
from backstride.web.deps import clock, unit_of_work
from backstride.web.templating import templates

router = APIRouter(include_in_schema=False)
UnitOfWork = Annotated[SqlUnitOfWork, Depends(unit_of_work)]
ClockDep = Annotated[Clock, Depends(clock)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, uow: UnitOfWork) -> Response:
    latest = assessing.latest_assessment(uow)
    return templates.TemplateResponse(request, "home.html", {"latest": latest, "title": "Home"})


# -- the wizard ---------------------------------------------------------------------


def _review_lines() -> Any:
    questions = load_questions()

    def lines(answers: dict[str, list[str]]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        specs = wizard.field_specs()
        for step in wizard.STEPS:
            found[step.id] = []
            for path in step.fields:
                values = [v for v in answers.get(path, []) if v]
                if not values:
                    continue
                text = questions.field(path)
                if specs[path].kind == "boolean":
                    shown = "yes" if values[0] == "yes" else "no"
                else:
                    shown = ", ".join(questions.option(path, v) for v in values)
                if path.endswith("days_ago"):
                    shown += " " + answers.get(path + wizard.UNIT_SUFFIX, ["days"])[0] + " ago"
                found[step.id].append(f"{text.label}: {shown}")
        return found

    return lines


def _render_wizard(
    request: Request,
    answers: dict[str, list[str]],
    step_id: str,
    visited: set[str],
    problems: list[str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    index = wizard.step_index(step_id)
    step = wizard.STEPS[index] if index < len(wizard.STEPS) else None
    current_fields: set[str] = set()
    if step:
        current_fields = set(step.fields) | {f + wizard.UNIT_SUFFIX for f in step.fields}
    context = {
        "title": "Assessment",
        "step": step,
        "steps": wizard.STEPS,
        "number": index + 1,
        "total": len(wizard.STEPS) + 1,
        "answers": answers,
        "current_fields": current_fields,
        "visited": sorted(visited | ({step.id} if step else set())),
        "specs": wizard.field_specs(),
        "questions": load_questions(),
        "body_map_fields": wizard.BODY_MAP_FIELDS,
        "problems": problems or [],
        "errors": errors or {},
        "review": _review_lines()(answers),
    }
    name = "_wizard.html" if request.headers.get("HX-Request") else "wizard.html"
    return templates.TemplateResponse(request, name, context)


@router.get("/assess", response_class=HTMLResponse)
def assess_start(request: Request) -> Response:
    return _render_wizard(request, {}, wizard.STEP_IDS[0], set())


def _step_problems(problems: list[Any], step_id: str) -> tuple[list[str], dict[str, str]]:
    questions = load_questions()
    mine = [p for p in problems if wizard.step_of(p.path) == step_id]
    errors = {p.path.split("[")[0]: _friendly(p.message) for p in mine}
    described = [
        f"{questions.field(p.path.split('[')[0]).label}: {_friendly(p.message)}" for p in mine
    ]
    return described, errors


def _friendly(message: str) -> str:
    return "please answer this question" if message == "is required" else message


@router.post("/assess", response_class=HTMLResponse)
async def assess_step(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    form = await request.form()
    answers: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if not key.startswith("_") and isinstance(value, str):
            answers.setdefault(key, []).append(value)
    current = str(form.get("_step", wizard.STEP_IDS[0]))
    go = str(form.get("_go", "next"))
    visited = {v for v in str(form.get("_visited", "")).split(",") if v} | {current}
    document = wizard.intake_from_answers(answers, visited)
    problems: list[Any] = []
    try:
        intake = assessing.parse_intake(document)
    except InvalidDocument as invalid:
        problems, intake = invalid.problems, None

    index = wizard.step_index(current)
    if go == "back":
        return _render_wizard(request, answers, _step_at(index - 1), visited)
    if go in wizard.STEP_IDS:
        return _render_wizard(request, answers, go, visited)
    if go == "next" and current in wizard.STEP_IDS:
        described, errors = _step_problems(problems, current)
        if described:
            return _render_wizard(request, answers, current, visited, described, errors)
        return _render_wizard(request, answers, _step_at(index + 1), visited)
    # Submit from the review page.
    if intake is None:
        first = next((wizard.step_of(p.path) for p in problems if wizard.step_of(p.path)), None)
        target = first or wizard.STEP_IDS[0]
        described, errors = _step_problems(problems, target)
        return _render_wizard(request, answers, target, visited, described, errors)
    saved = assessing.assess_and_save(uow, now, intake)
    url = f"/assessments/{saved.id}"
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _step_at(index: int) -> str:
    if index < 0:
        return wizard.STEP_IDS[0]
    return wizard.STEP_IDS[index] if index < len(wizard.STEPS) else wizard.REVIEW


# -- results --------------------------------------------------------------------------


def _sources(saved: SavedAssessment) -> list[str]:
    kb = load_knowledge_base()
    ids: list[str] = []
    for flag in saved.assessment.red_flags:
        ids += flag.sources
    for cause in saved.assessment.likely_causes:
        ids += kb.conditions[cause.id].sources
    for factor in saved.assessment.contributing_factors:
        ids += factor.sources
    return list(dict.fromkeys(ids))


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
def result(request: Request, assessment_id: int, uow: UnitOfWork) -> Response:
    saved = assessing.get_assessment(uow, assessment_id)
    if saved is None:
        raise HTTPException(404)
    context = {
        "title": "Your result",
        "saved": saved,
        "kb": load_knowledge_base(),
        "sources": _sources(saved),
    }
    return templates.TemplateResponse(request, "result.html", context)


@router.get("/assessments", response_class=HTMLResponse)
def assessments(request: Request, uow: UnitOfWork) -> Response:
    context = {"title": "Assessments", "saved": assessing.history(uow), "kb": load_knowledge_base()}
    return templates.TemplateResponse(request, "assessments.html", context)


# -- library and answers ----------------------------------------------------------------


@router.get("/exercises", response_class=HTMLResponse)
def exercises(request: Request, q: str | None = None) -> Response:
    chosen = search_exercises(q) if q else sorted(load_exercises().values(), key=lambda e: e.name)
    context = {"title": "Exercises", "exercises": chosen, "query": q}
    return templates.TemplateResponse(request, "exercises.html", context)


@router.get("/exercises/{slug}", response_class=HTMLResponse)
def exercise(request: Request, slug: str) -> Response:
    library = load_exercises()
    if slug not in library:
        raise HTTPException(404)
    chosen = library[slug]
    context = {
        "title": chosen.name,
        "exercise": chosen,
        "library": library,
        "svg": render_exercise_svg(chosen, animate=True),
    }
    return templates.TemplateResponse(request, "exercise.html", context)


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
