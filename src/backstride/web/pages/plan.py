"""The plan pages: preferences, the plan itself, and its PDF, calendar and HTML downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.adapters.export.plan_html import render_plan_html
from backstride.adapters.export.plan_ics import render_plan_ics
from backstride.adapters.export.plan_pdf import render_plan_pdf
from backstride.adapters.export.plan_view import DayView, active_items, day_label, plan_view
from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base, load_programme_thresholds
from backstride.domain.assessment.document import Assessment
from backstride.domain.plan.builder import progressed_note
from backstride.domain.plan.model import ALWAYS_AT_HAND, EQUIPMENT, Plan, Preferences
from backstride.domain.plan.run_schedule import RunProgress
from backstride.services import assessing, planning, ports, recovery
from backstride.services.care import CareDecision, care_state, shown_plan
from backstride.services.ports import SavedAssessment, SavedPlan
from backstride.services.validation import InvalidDocument, validate_document
from backstride.web.deps import ClockDep, Form, UnitOfWork
from backstride.web.drawn_pages import kept_page
from backstride.web.forms import friendly, whole
from backstride.web.templating import templates

router = APIRouter(include_in_schema=False)

# Household items are always assumed (domain.plan.ALWAYS_AT_HAND), so only real gear is asked.
ASKED_EQUIPMENT = tuple(e for e in EQUIPMENT if e not in ALWAYS_AT_HAND)
DEFAULTS = Preferences(start_date=dt.date(2000, 1, 1))


# -- choosing preferences ---------------------------------------------------------------


def _form_values(preferences: Preferences | None, today: dt.date) -> dict[str, Any]:
    chosen = preferences or DEFAULTS
    return {
        "minutes_per_day": str(chosen.minutes_per_day),
        "days_per_week": str(chosen.days_per_week),
        "equipment": [e for e in chosen.equipment if e in ASKED_EQUIPMENT],
        "start_date": (preferences.start_date if preferences else today).isoformat(),
    }


def _render_form(
    request: Request,
    saved: SavedAssessment,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
) -> Response:
    context = {
        "title": "Build your plan",
        "saved": saved,
        "values": values,
        "errors": errors or {},
        "equipment": ASKED_EQUIPMENT,
        "kb": load_knowledge_base(),
    }
    return templates.TemplateResponse(request, "plan_form.html", context)


def _render_suspended(request: Request, care: CareDecision, saved: SavedPlan | None) -> Response:
    """Care needed now or on hold: the instruction first, and no exercise, run or stage."""
    context = {
        "title": "Your plan is suspended",
        "care": care,
        "saved": saved,
        "kb": load_knowledge_base(),
    }
    return templates.TemplateResponse(request, "plan_suspended.html", context)


def _render_care_now(request: Request, saved: SavedAssessment, plan: Plan, reason: str) -> Response:
    """Triage said see someone first: what to do now, and no exercise plan."""
    context = {"title": "What to do now", "saved": saved, "plan": plan, "reason": reason}
    return templates.TemplateResponse(request, "plan_care_now.html", context)


def _assessment(uow: ports.UnitOfWork, assessment_id: int | None) -> SavedAssessment | None:
    if assessment_id is None:
        return assessing.latest_assessment(uow)
    saved = assessing.get_assessment(uow, assessment_id)
    if saved is None:
        raise HTTPException(404)
    return saved


@router.get("/plan", response_class=HTMLResponse)
def plan_start(
    request: Request, uow: UnitOfWork, now: ClockDep, assessment: str | None = None
) -> Response:
    """With ?assessment=ID: the preferences for that assessment. Without: the latest plan."""
    if assessment is None:
        latest = planning.latest_plan(uow)
        if latest is not None:
            return RedirectResponse(f"/plan/{latest.id}", status_code=303)
    chosen = whole(assessment)
    if assessment is not None and not isinstance(chosen, int):
        raise HTTPException(404)
    saved = _assessment(uow, chosen)
    if saved is None:
        return templates.TemplateResponse(request, "plan_none.html", {"title": "Your plan"})
    decision = planning.plan_decision(saved, now.today())
    if not decision.allowed and decision.care_plan is not None:
        return _render_care_now(request, saved, decision.care_plan, decision.reason)
    care = care_state(uow, now.today())
    if care.suspended:
        # No exercise plan is built while care is needed now or on hold.
        return _render_suspended(request, care, None)
    return _render_form(request, saved, _form_values(None, now.today()))


def _preferences(form: dict[str, Any]) -> tuple[Preferences | None, dict[str, str]]:
    document: dict[str, Any] = {
        "minutes_per_day": whole(form.get("minutes_per_day")),
        "days_per_week": whole(form.get("days_per_week")),
        # Nothing ticked means bodyweight only; the household items are always assumed.
        "equipment": form.get("equipment") or ["none"],
        "start_date": form.get("start_date") or None,
    }
    try:
        return validate_document(Preferences, document), {}
    except InvalidDocument as invalid:
        errors = {p.path.split("[")[0].split(".")[0]: friendly(p.message) for p in invalid.problems}
        return None, errors


@router.post("/plan", response_class=HTMLResponse)
def plan_build(request: Request, raw: Form, uow: UnitOfWork, now: ClockDep) -> Response:
    form: dict[str, Any] = {
        key: raw.getlist(key) if key == "equipment" else raw.get(key) for key in raw
    }
    assessment_id = whole(form.get("assessment"))
    if not isinstance(assessment_id, int):
        raise HTTPException(400, "The form did not say which assessment the plan is for.")
    saved = _assessment(uow, assessment_id)
    if saved is None:  # pragma: no cover - _assessment raises for a missing id
        raise HTTPException(404)
    decision = planning.plan_decision(saved, now.today())
    if not decision.allowed and decision.care_plan is not None:
        # The same gate as the page: a submitted form never gets past it.
        return _render_care_now(request, saved, decision.care_plan, decision.reason)
    if care_state(uow, now.today()).suspended:
        # Post, then get: the plan page says why no plan is built now.
        return RedirectResponse(f"/plan?assessment={saved.id}", status_code=303)
    preferences, errors = _preferences(form)
    if preferences is None:
        values = {**_form_values(None, now.today()), **form}
        values["equipment"] = form.get("equipment", [])
        return _render_form(request, saved, values, errors)
    planned = planning.plan_from_assessment(uow, saved.id, preferences)
    stored = planning.save_plan(uow, now, planned)
    return RedirectResponse(f"/plan/{stored.id}", status_code=303)


# -- the plan ---------------------------------------------------------------------------


def _saved_plan(uow: ports.UnitOfWork, plan_id: int) -> SavedPlan:
    saved = planning.get_plan(uow, plan_id)
    if saved is None:
        raise HTTPException(404)
    return saved


def _exercise_rows(plan: Plan, slugs: list[str], on: dt.date) -> list[dict[str, Any]]:
    library = load_exercises()
    rows = []
    for slug in slugs:
        exercise = library.get(slug)
        item = plan.item_for(slug, on)
        if exercise is None:
            continue
        rows.append(
            {
                "slug": slug,
                "name": item.title if item else exercise.name,
                "dose": item.dose.text if item and item.dose else exercise.dosage.describe(),
                "why": item.why if item else exercise.why,
                "cautions": item.cautions if item else [],
                "summary": exercise.summary,
                "alt": f"{exercise.name}: {exercise.illustration.start.label}, "
                f"then {exercise.illustration.end.label}",
            }
        )
    return rows


def _session_on(plan: Plan, today: dt.date, progress: RunProgress | None) -> dict[str, Any]:
    """Today's session from the plan's calendar (or the first one, before the plan starts);
    its note worded from the stage reached (``progress``), as Today words it."""
    start = plan.preferences.start_date
    on = max(today, start)
    planned = plan.day(on)
    phase = plan.phase_on(on)
    if planned is not None:
        slugs = [] if planned.rest_day else list(planned.exercises)
        rest = planned.rest_day or not planned.exercises
    else:
        # After the dated weeks the open-ended prevent phase goes on.
        slugs = [i.exercise for i in active_items(phase, on) if i.exercise] if phase else []
        rest = not slugs
    return {
        "date": on,
        "label": day_label(on),
        "is_today": on == today,
        "phase": phase,
        "rest": rest,
        "note": progressed_note(plan, planned, load_programme_thresholds(), progress)
        if planned
        else "",
        "running": planned.running if planned else None,
        "exercises": _exercise_rows(plan, slugs, on),
    }


def _week(days: list[DayView], first: dt.date) -> list[DayView]:
    last = first + dt.timedelta(days=6)
    return [d for d in days if first <= d.date <= last]


def _shown(uow: ports.UnitOfWork, saved: SavedPlan, today: dt.date) -> Plan:
    """The plan as it may be downloaded today: suspended while care is needed or on hold."""
    return shown_plan(saved.plan, care_state(uow, today))


def _progress(
    uow: ports.UnitOfWork, saved: SavedPlan, shown: Plan, today: dt.date
) -> RunProgress | None:
    """The programme so far, for a plan shown as saved (a suspended plan lists no run)."""
    return recovery.run_progress(uow, today) if shown is saved.plan else None


def _report_of(uow: ports.UnitOfWork, saved: SavedPlan, shown: Plan) -> Assessment | None:
    """The plan's own assessment, for the export's report; never beside a suspended plan.

    A suspended plan leads with today's instruction; the old assessment's report
    (causes, reassurance) must not stand beside it.
    """
    if shown is not saved.plan or saved.assessment_id is None:
        return None
    found = assessing.get_assessment(uow, saved.assessment_id)
    return found.assessment if found is not None else None


@router.get("/plan/{plan_id:int}.pdf")
def plan_pdf(plan_id: int, uow: UnitOfWork, now: ClockDep) -> Response:
    saved = _saved_plan(uow, plan_id)
    today = now.today()
    shown = _shown(uow, saved, today)
    data = render_plan_pdf(
        shown,
        made=now.now(),
        assessment=_report_of(uow, saved, shown),
        progress=_progress(uow, saved, shown, today),
    )
    return _download(data, "application/pdf", saved, "pdf")


@router.get("/plan/{plan_id:int}.ics")
def plan_ics(plan_id: int, uow: UnitOfWork, now: ClockDep) -> Response:
    saved = _saved_plan(uow, plan_id)
    today = now.today()
    shown = _shown(uow, saved, today)
    progress = _progress(uow, saved, shown, today)
    text = render_plan_ics(shown, stamp=now.now(), progress=progress)
    return _download(text.encode("utf-8"), "text/calendar; charset=utf-8", saved, "ics")


@router.get("/plan/{plan_id:int}.html")
def plan_html(plan_id: int, uow: UnitOfWork, now: ClockDep) -> Response:
    saved = _saved_plan(uow, plan_id)
    today = now.today()
    shown = _shown(uow, saved, today)
    progress = _progress(uow, saved, shown, today)
    page = render_plan_html(shown, assessment=_report_of(uow, saved, shown), progress=progress)
    return _download(page.encode("utf-8"), "text/html; charset=utf-8", saved, "html")


def _download(data: bytes, media_type: str, saved: SavedPlan, suffix: str) -> Response:
    name = f"backstride-plan-{saved.plan.preferences.start_date.isoformat()}.{suffix}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=media_type, headers=headers)


def _newer(latest: SavedAssessment | None, saved: SavedPlan) -> bool:
    if latest is None:
        return False
    return saved.assessment_id is None or latest.id > saved.assessment_id


@router.get("/plan/{plan_id:int}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: int, uow: UnitOfWork, now: ClockDep) -> Response:
    # The care state, the programme's progress and the plan all come from the database
    # and the day, so the page is kept as drawn (web/drawn_pages.py).
    today = now.today()
    return kept_page(request, uow, today, lambda: _draw_plan_page(request, plan_id, uow, today))


def _draw_plan_page(request: Request, plan_id: int, uow: UnitOfWork, today: dt.date) -> Response:
    saved = _saved_plan(uow, plan_id)
    plan = saved.plan
    care = care_state(uow, today)
    if care.suspended:
        return _render_suspended(request, care, saved)
    kb = load_knowledge_base()
    progress = recovery.run_progress(uow, today)
    view = plan_view(
        plan,
        library=load_exercises(),
        sources=kb.sources,
        topics=load_topics(),
        progress=progress,
    )
    session = _session_on(plan, today, progress)
    days = [day for week in view.weeks for day in week.days]
    latest = assessing.latest_assessment(uow)
    current = plan.phase_on(session["date"])
    context = {
        "title": "Your plan",
        "saved": saved,
        "plan": plan,
        "view": view,
        "today": today,
        "session": session,
        "week": _week(days, session["date"]),
        "current_phase": current.id if current else None,
        "cards": _exercise_rows(plan, [c.exercise.slug for c in view.cards], session["date"]),
        "card_views": {c.exercise.slug: c for c in view.cards},
        "newer_assessment": latest if _newer(latest, saved) else None,
        "care": care,
        "kb": kb,
    }
    return templates.TemplateResponse(request, "plan.html", context)
