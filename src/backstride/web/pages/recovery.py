"""The days after the plan: check in, today, and progress.

The check-in asks what `backstride checkin` asks: the morning after yesterday's
walk or run, pain now and worst, the day's session, stiffness, the exercises
done, the safety questions (in full when due: weekly and when pain rises) and
the weekly activity scores (PSFS). The form becomes a ``backstride.checkin/1``
document and goes through the same service as the CLI and the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.content.library import load_exercises
from backstride.content.loader import load_knowledge_base
from backstride.domain.recovery.checkin import CHECKIN_SCHEMA_ID, NOT_SURE, SessionKind, WarningSign
from backstride.domain.recovery.return_to_run import StageId
from backstride.services import planning, ports, recovery
from backstride.services.limits import day_problem
from backstride.services.validation import InvalidDocument
from backstride.web import charts, forms
from backstride.web.deps import ClockDep, Form, UnitOfWork
from backstride.web.templating import templates

router = APIRouter(include_in_schema=False)
# Dates arrive as text: a mistyped one is a page saying so, not the API's JSON 422.
DateQuery = Annotated[str | None, Query()]


def _query_date(text: str | None, default: dt.date) -> dt.date:
    if not text:
        return default
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"“{text}” is not a date; write it like 2026-03-14.") from None
    problem = day_problem(day)
    if problem is not None:
        raise HTTPException(400, f"The date {problem}.")
    return day


SESSION_KINDS = (
    (SessionKind.WALK, "Walk"),
    (SessionKind.WALK_RUN, "Walk-run"),
    (SessionKind.RUN, "Run"),
    (SessionKind.CROSS_TRAINING, "Cross-training"),
    (SessionKind.REST, "Rest day"),
)
PSFS_ROWS = 3  # blank activities offered when none were named before (up to five allowed)
FIELD_LABELS = {
    "pain_now_0_10": "Back pain right now",
    "worst_24h_0_10": "Worst back pain in the last 24 hours",
    "morning_stiffness_min": "Morning stiffness",
    "session": "Your walk or run",
    "session.minutes": "Minutes",
    "session.distance_km": "Kilometres",
    "warning_signs": "Safety questions",
    "psfs": "Weekly activity check",
    "next_morning_pain_0_10": "This morning's pain",
}


# -- the safety questions ----------------------------------------------------------------


def _safety_context(
    prompts: recovery.CheckinPrompts, values: dict[str, list[str]]
) -> dict[str, Any]:
    # Before pain is given, the weekly rule alone decides; the answers update it (htmx),
    # and a flare (pain now, worst or after a run 4 above the recent level, or 8+) opens it.
    pain, worst, after = _screen_inputs(values)
    due = prompts.screen_due(pain, worst, after)
    opened = any(k.startswith("warning.") and any(v) for k, v in values.items())
    return {
        "due": due,
        "opened": opened,
        "questions": recovery.warning_questions(),
        "values": values,
    }


def _score(values: dict[str, list[str]], key: str) -> int | None:
    value = forms.number(forms.first(values, key))
    return value if isinstance(value, int) and 0 <= value <= 10 else None


def _screen_inputs(values: dict[str, list[str]]) -> tuple[int, int | None, int | None]:
    pain = _score(values, "pain_now_0_10") or 0
    worst = _score(values, "worst_24h_0_10")
    running = forms.first(values, "session.kind") in (SessionKind.RUN, SessionKind.WALK_RUN)
    after = _score(values, "session.pain_after_0_10") if running else None
    return pain, worst if worst is not None and worst >= pain else None, after


@router.get("/checkin/safety", response_class=HTMLResponse)
def checkin_safety(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    values = forms.values_of(request.query_params)
    day = _day(forms.first(values, "date"), now.today())
    safety = _safety_context(recovery.checkin_prompts(uow, day), values)
    context = {**{f"safety_{k}": v for k, v in safety.items()}, "errors": {}}
    return templates.TemplateResponse(request, "_checkin_safety.html", context)


def _day(text: str, default: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default
    return default if day_problem(day) else day


# -- the check-in form ---------------------------------------------------------------------


def _render_form(
    request: Request,
    uow: ports.UnitOfWork,
    day: dt.date,
    values: dict[str, list[str]],
    problems: list[str] | None = None,
    errors: dict[str, str] | None = None,
    force_screen: bool = False,
) -> Response:
    prompts = recovery.checkin_prompts(uow, day)
    library = load_exercises()
    safety = _safety_context(prompts, values)
    if force_screen:
        safety["due"] = True
    context = {
        "title": "Check in",
        "day": day,
        "today": day,
        "values": values,
        "prompts": prompts,
        "morning_after": prompts.morning_after,
        "prescribed": prompts.prescribed,
        "planned": [
            (slug, library[slug].name if slug in library else slug)
            for slug in prompts.planned_exercises
        ],
        "psfs_activities": list(prompts.psfs_activities),
        "psfs_rows": PSFS_ROWS,
        "kinds": SESSION_KINDS,
        "problems": problems or [],
        "errors": errors or {},
        "kb": load_knowledge_base(),
        "has_plan": planning.latest_plan(uow) is not None,
        "care": prompts.care,
        **{f"safety_{k}": v for k, v in safety.items()},
    }
    return templates.TemplateResponse(request, "checkin.html", context)


@router.get("/checkin", response_class=HTMLResponse)
def checkin_form(
    request: Request, uow: UnitOfWork, now: ClockDep, date: DateQuery = None
) -> Response:
    day = _query_date(date, now.today())
    stored = recovery.stored_checkin(uow, day)
    return _render_form(request, uow, day, _stored_values(stored.to_document()) if stored else {})


def _stored_values(document: dict[str, Any]) -> dict[str, list[str]]:
    """A stored check-in as form values, so a second check-in the same day starts from it."""
    values: dict[str, list[str]] = {}
    for key in ("pain_now_0_10", "worst_24h_0_10", "morning_stiffness_min"):
        if key in document:
            values[key] = [str(document[key])]
    session = document.get("session") or {}
    for key in ("kind", "minutes", "distance_km", "pain_during_0_10", "pain_after_0_10"):
        if key in session:
            values[f"session.{key}"] = [str(session[key])]
    values["exercises_done"] = list(document.get("exercises_done", []))
    for sign, answer in (document.get("warning_signs") or {}).items():
        shown = NOT_SURE if answer == NOT_SURE else "yes" if answer else "no"
        values[f"warning.{sign}"] = [shown]
    return values


def _session(values: dict[str, list[str]]) -> dict[str, Any] | None:
    kind = forms.first(values, "session.kind")
    if not kind:
        return None
    if kind == SessionKind.REST.value:
        return {"kind": kind, "minutes": 0}
    session: dict[str, Any] = {"kind": kind}
    for key in ("minutes", "distance_km", "pain_during_0_10", "pain_after_0_10"):
        value = forms.number(forms.first(values, f"session.{key}"))
        if value is not None:
            session[key] = value
    return session


def _warning_answers(values: dict[str, list[str]]) -> dict[str, bool | str] | None:
    answers: dict[str, bool | str] = {}
    for sign in WarningSign:
        answer = forms.first(values, f"warning.{sign.value}")
        if answer in ("yes", "no"):
            answers[sign.value] = answer == "yes"
        elif answer == NOT_SURE:
            answers[sign.value] = NOT_SURE
    if forms.first(values, "warning.none") == "yes":
        # "None of these" answers the rest no; a yes given beside it still counts.
        for sign in WarningSign:
            answers.setdefault(sign.value, False)
    return answers or None


def _psfs(values: dict[str, list[str]]) -> list[dict[str, Any]] | None:
    names = values.get("psfs.activity", [])
    scores = values.get("psfs.score", [])
    found = []
    for name, score in zip(names, scores, strict=False):
        value = forms.number(score.strip())
        if name.strip() and value is not None:
            found.append({"activity": name.strip()[:120], "score_0_10": value})
    return found or None


def checkin_document(day: dt.date, values: dict[str, list[str]]) -> dict[str, Any]:
    """The form's answers as a ``backstride.checkin/1`` document (validated by the service)."""
    document: dict[str, Any] = {"schema": CHECKIN_SCHEMA_ID, "date": day.isoformat()}
    for key in ("pain_now_0_10", "worst_24h_0_10", "morning_stiffness_min"):
        value = forms.number(forms.first(values, key))
        if value is not None:
            document[key] = value
    session = _session(values)
    if session is not None:
        document["session"] = session
    document["exercises_done"] = [v for v in values.get("exercises_done", []) if v]
    signs = _warning_answers(values)
    if signs is not None:
        document["warning_signs"] = signs
    psfs = _psfs(values)
    if psfs is not None:
        document["psfs"] = psfs
    return document


def _describe(problems: list[Any]) -> tuple[list[str], dict[str, str]]:
    errors: dict[str, str] = {}
    described = []
    for problem in problems:
        path = problem.path.split("[")[0]
        label = FIELD_LABELS.get(path) or FIELD_LABELS.get(path.split(".")[0], path)
        message = forms.friendly(problem.message)
        errors.setdefault(path, message)
        described.append(f"{label}: {message}")
    return described, errors


@router.post("/checkin", response_class=HTMLResponse)
def checkin_save(request: Request, form: Form, uow: UnitOfWork, now: ClockDep) -> Response:
    values = forms.values_of(form)
    day = _day(forms.first(values, "date"), now.today())
    document = checkin_document(day, values)
    try:
        parsed = recovery.parse_checkin(document)
    except InvalidDocument as invalid:
        described, errors = _describe(invalid.problems)
        return _render_form(request, uow, day, values, described, errors)
    prompts = recovery.checkin_prompts(uow, day)
    due = prompts.screen_due(*_screen_inputs(values))
    answered = parsed.warning_signs is not None and len(parsed.warning_signs) == len(WarningSign)
    if due and not answered:
        # Stricter than the CLI, which records and reminds: a page can simply ask again.
        problem = "Safety questions: they are due today; please answer each one (or tick none)"
        errors = {"warning_signs": "please answer each question, or tick “none of these”"}
        return _render_form(request, uow, day, values, [problem], errors, force_screen=True)
    query = f"?date={day.isoformat()}"
    morning = forms.number(forms.first(values, "morning_pain"))
    if prompts.morning_after is not None and isinstance(morning, int):
        stored = recovery.stored_checkin(uow, prompts.morning_after.day)
        if stored is not None:
            earlier = {**stored.to_document(), "next_morning_pain_0_10": morning}
            try:
                recovery.record_checkin(uow, now, recovery.parse_checkin(earlier))
            except InvalidDocument as invalid:
                described, errors = _describe(invalid.problems)
                return _render_form(request, uow, day, values, described, errors)
            query += f"&morning={prompts.morning_after.day.isoformat()}"
    recovery.record_checkin(uow, now, parsed)
    # Post, then get: a refresh of the page that follows never sends the check-in again.
    return RedirectResponse(f"/checkin/saved{query}", status_code=303)


@router.get("/checkin/saved", response_class=HTMLResponse)
def checkin_saved(
    request: Request,
    uow: UnitOfWork,
    now: ClockDep,
    date: DateQuery = None,
    morning: DateQuery = None,
) -> Response:
    """What a saved check-in decided, read back from storage."""
    day = _query_date(date, now.today())
    result = recovery.saved_outcome(uow, day)
    if result is None:
        return RedirectResponse(f"/checkin?date={day.isoformat()}", status_code=303)
    earlier = []
    if morning:
        found = recovery.saved_outcome(uow, _query_date(morning, day))
        earlier = [found] if found is not None else []
    context = {
        "title": "Check-in saved",
        "result": result,
        "earlier": earlier,
        "care": result.care,
        "kb": load_knowledge_base(),
    }
    return templates.TemplateResponse(request, "checkin_done.html", context)


# -- today -----------------------------------------------------------------------------------


@router.get("/today", response_class=HTMLResponse)
def today(request: Request, uow: UnitOfWork, now: ClockDep, date: DateQuery = None) -> Response:
    day = _query_date(date, now.today())
    advice = recovery.today(uow, day)
    library = load_exercises()
    exercises = [
        {
            "slug": e.slug,
            "name": e.name,
            "dose": e.dose,
            "why": e.why,
            "done": e.done,
            "skipped": e.skipped,
            "hold_seconds": e.hold_seconds,
            "rest_seconds": e.rest_seconds,
            "sets": e.sets,
            "alt": f"{library[e.slug].name}: {library[e.slug].illustration.start.label}, "
            f"then {library[e.slug].illustration.end.label}"
            if e.slug in library
            else e.name,
        }
        for e in advice.exercises
    ]
    context = {
        "title": "Today",
        "advice": advice,
        "exercises": exercises,
        "checked_in": recovery.stored_checkin(uow, day) is not None,
        "is_today": day == now.today(),
        "stage_count": len(StageId),
        "kb": load_knowledge_base(),
    }
    return templates.TemplateResponse(request, "today.html", context)


@router.post("/today/exercise")
def today_exercise(form: Form, uow: UnitOfWork, now: ClockDep) -> Response:
    """One tap of the guided session: an exercise done, or skipped with why.

    Recorded into the day's check-in by the check-in service (under its write lock,
    so taps from two devices never undo each other). Before the day's check-in the
    session asks for one first, so nothing is recorded without the day's pain.
    """
    values = forms.values_of(form)
    day = _day(forms.first(values, "date"), now.today())
    slug = forms.first(values, "slug")
    query = f"?date={day.isoformat()}"
    advice = recovery.today(uow, day)
    if slug not in {e.slug for e in advice.exercises}:
        raise HTTPException(status_code=400, detail="not one of today's exercises")
    if recovery.stored_checkin(uow, day) is None:
        return RedirectResponse(f"/checkin{query}", status_code=303)
    skip = forms.first(values, "outcome") == "skip"
    reason = (forms.first(values, "reason") or "no reason given") if skip else None
    recovery.record_exercise(uow, now, day, slug, skipped_because=reason)
    return RedirectResponse(f"/today{query}#session", status_code=303)


@router.get("/today/card", response_class=HTMLResponse)
def today_card(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    """The home page's "today" card, loaded by htmx; empty until there is a plan."""
    latest = planning.latest_plan(uow)
    if latest is None:
        return HTMLResponse("")
    day = now.today()
    context = {
        "plan": latest,
        "advice": recovery.today(uow, day),
        "checked_in": recovery.stored_checkin(uow, day) is not None,
    }
    return templates.TemplateResponse(request, "_today_card.html", context)


# -- progress --------------------------------------------------------------------------------


@router.get("/progress", response_class=HTMLResponse)
def progress(
    request: Request,
    uow: UnitOfWork,
    now: ClockDep,
    date: DateQuery = None,
    since: Annotated[str | None, Query(alias="from")] = None,
) -> Response:
    context = progress_context(uow, now.today(), date, since)
    return templates.TemplateResponse(request, "progress.html", context)


def progress_context(
    uow: ports.UnitOfWork, today: dt.date, date: str | None, since: str | None
) -> dict[str, Any]:
    """What the progress page draws, for the runner (above) or their clinician."""
    end = _query_date(date, today)
    start = _query_date(since, end) if since else None
    problem = None
    try:
        report = recovery.progress(uow, end, start)
    except recovery.RecoveryError as error:
        problem = str(error)
        report = recovery.progress(uow, end)
    load = report.load
    return {
        "title": "Progress",
        "report": report,
        "problem": problem,
        "pain_chart": charts.pain_chart(report, load.weeks, load.unit, load.what),
        "load_what": load.what,
        "stage_chart": charts.stage_chart(report) if report.stages else None,
        "adherence_chart": charts.adherence_chart(report)
        if any(w.share is not None for w in report.adherence)
        else None,
        "psfs_chart": charts.psfs_chart(report),
        "kb": load_knowledge_base(),
    }
