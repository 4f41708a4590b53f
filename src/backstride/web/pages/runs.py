"""The runs page: the run log, uploads of watch files and export archives, shoes, runs by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.services import importing, ports, training
from backstride.services.care import care_state
from backstride.services.ports import SavedActivity
from backstride.services.recovery.run_log import from_checkin
from backstride.web.auth import owner_of
from backstride.web.deps import ClockDep, Form, NewUnitOfWork, UnitOfWork
from backstride.web.forms import number
from backstride.web.templating import templates
from backstride.web.uploads import job_queue, read_one_at_a_time, uploaded_files

router = APIRouter(include_in_schema=False)

LOG_ROWS = 100  # runs on a page of the log; "Older runs" shows the next page
ACCEPT = ".fit,.gpx,.tcx,.zip,.gz,.tar,.tgz,.bz2,.xz"
# The training service words problems for the command line; the form has labels instead.
OPTION_LABELS = {
    "--date": "Date",
    "--distance-km": "Distance",
    "--duration": "Duration",
    "--surface": "Surface",
    "--pain": "Pain",
    "--started-km": "Distance already run in them",
    "`backstride shoes add`": "the shoes form",
}
NOTICES = {
    "shoe-added": "Shoes added",
    "shoe-default": "New runs without shoes now count for",
    "shoe-retired": "Retired",
    "run-added": "Run added",
}


def _source(activity: SavedActivity) -> str:
    """Where a run came from: a check-in, typed in, or the file's format."""
    if from_checkin(activity):
        return "check-in"
    return "by hand" if activity.manual else activity.source_format.upper()


def _pace(activity: SavedActivity) -> str:
    seconds = activity.moving_s if activity.moving_s > 0 else activity.elapsed_s
    if not activity.distance_m or activity.distance_m < 100 or seconds <= 0:
        return ""
    per_km = seconds / (activity.distance_m / 1000)
    return f"{int(per_km // 60)}:{int(per_km % 60):02d}"


def _duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def run_rows(activities: list[SavedActivity], new_ids: set[int]) -> list[dict[str, Any]]:
    rows = []
    for activity in activities:
        start = training.local_start(activity)
        moving = activity.moving_s if activity.moving_s > 0 else activity.elapsed_s
        rows.append(
            {
                "id": activity.id,
                "date": start.date(),
                "time": f"{start:%H:%M}",
                "sport": activity.sport.replace("_", " "),
                "km": f"{activity.distance_m / 1000:.2f}" if activity.distance_m else "",
                "duration": _duration(moving),
                "pace": _pace(activity),
                "hr": f"{activity.avg_hr:.0f}" if activity.avg_hr else "",
                "shoes": activity.shoe_name or "",
                "source": _source(activity),
                "source_name": activity.source_name,
                "new": activity.id in new_ids,
            }
        )
    return rows


def _labelled(problems: list[str]) -> list[str]:
    worded = []
    for problem in problems:
        for option, label in OPTION_LABELS.items():
            problem = problem.replace(option, label)
        worded.append(problem[:1].upper() + problem[1:])
    return worded


def _position(before: str | None) -> ports.LogPosition | None:
    if before is None:
        return None
    try:
        return training.parse_cursor(before)
    except ValueError:
        raise HTTPException(
            400, "This link to older runs is not one backstride made: start from the newest runs."
        ) from None


def _context(
    uow: ports.UnitOfWork,
    today: dt.date,
    *,
    new_ids: set[int] | None = None,
    before: ports.LogPosition | None = None,
) -> dict[str, Any]:
    # One page of the log and two counts: the rest of the log is never read.
    page = training.run_page(uow, LOG_ROWS, before)
    older_link = f"/runs?before={page.next}#run-log" if page.next else None
    return {
        "title": "Runs",
        "care": care_state(uow, today),
        "runs": run_rows(list(page.activities), new_ids or set()),
        "run_count": page.total,
        "older_count": page.older,
        "older_link": older_link,
        "paged": before is not None,
        "shoes": training.list_shoes(uow),
        "surfaces": training.SURFACES,
        "today": today,
        "accept": ACCEPT,
        "summary": None,
        "problems": {},
        "values": {},
        "notice": None,
    }


@router.get("/runs", response_class=HTMLResponse)
def runs(
    request: Request,
    uow: UnitOfWork,
    now: ClockDep,
    done: str | None = None,
    name: str | None = None,
    before: str | None = None,
) -> Response:
    context = _context(uow, now.today(), before=_position(before))
    if done in NOTICES:
        context["notice"] = f"{NOTICES[done]}{': ' + name if name else ''}."
    return templates.TemplateResponse(request, "runs.html", context)


@router.post("/runs/upload", response_class=HTMLResponse)
def upload(request: Request, form: Form, new_uow: NewUnitOfWork, now: ClockDep) -> Response:
    files = uploaded_files(form)
    queue = job_queue(request)
    if files and queue is not None:
        # A clinic server: store the files and queue their import (one transaction);
        # a worker imports them while the progress page follows (ADR 14).
        ids = queue.defer_imports(owner_of(request), read_one_at_a_time(files))
        target = f"/runs/imports/{ids[0]}"
        if request.headers.get("HX-Request"):
            return Response(status_code=200, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    summary = None
    if files:
        # A plain def: FastAPI runs it, decoding and storing included, in its thread pool.
        summary = importing.import_uploads(new_uow, now, read_one_at_a_time(files))
    uow = new_uow()
    new_ids = {item.activity_id for item in summary.stored} if summary else set()
    context = {
        **_context(uow, now.today(), new_ids=new_ids),
        "summary": summary,
        "upload_problem": None if files else "Choose at least one file to upload.",
    }
    if request.headers.get("HX-Request"):
        return templates.TemplateResponse(request, "_upload_response.html", context)
    return templates.TemplateResponse(request, "runs.html", context)


@router.get("/runs/imports/{upload_id}", response_class=HTMLResponse)
def imports(request: Request, upload_id: int, refresh: str | None = None) -> Response:
    """The files of one upload and where their import stands (a clinic server only);
    the page reloads itself every 2 seconds until every one is finished."""
    queue = job_queue(request)
    uploads = queue.batch(owner_of(request), upload_id) if queue is not None else []
    if not uploads:
        raise HTTPException(404, "There is no such import.")
    finished = all(upload.finished for upload in uploads)
    context = {
        "title": "Importing your runs",
        "uploads": uploads,
        "finished": finished,
        "done_count": sum(upload.finished for upload in uploads),
        "refreshing": not finished and refresh != "off",
    }
    return templates.TemplateResponse(
        request, "run_imports.html", context, headers={"Cache-Control": "no-store"}
    )


def _redirect(done: str, name: str = "") -> Response:
    query = f"?done={done}" + (f"&name={_quote(name)}" if name else "")
    anchor = "#shoes" if done.startswith("shoe") else "#run-log"
    return RedirectResponse(f"/runs{query}{anchor}", status_code=303)


def _quote(text: str) -> str:
    return quote(text, safe="")


def _form_error(
    request: Request,
    uow: ports.UnitOfWork,
    today: dt.date,
    which: str,
    problems: list[str],
    form: Any,
) -> Response:
    context = _context(uow, today)
    context["problems"] = {which: _labelled(problems)}
    context["values"] = {key: form.get(key) for key in form}
    return templates.TemplateResponse(request, "runs.html", context)


@router.post("/runs/shoes", response_class=HTMLResponse)
def add_shoes(request: Request, form: Form, uow: UnitOfWork, now: ClockDep) -> Response:
    name = str(form.get("name") or "")
    # The shared form reading (a decimal comma is a point); a blank field is 0 km.
    started_km = number(str(form.get("started_km") or "0"), "number")
    if not isinstance(started_km, float):
        return _form_error(
            request, uow, now.today(), "shoes", ["--started-km must be a number"], form
        )
    try:
        added = training.add_shoe(
            uow, name, started_km=started_km, default=bool(form.get("default"))
        )
    except training.TrainingError as error:
        return _form_error(request, uow, now.today(), "shoes", error.problems, form)
    return _redirect("shoe-added", added.name)


@router.post("/runs/shoes/default", response_class=HTMLResponse)
def default_shoes(request: Request, form: Form, uow: UnitOfWork, now: ClockDep) -> Response:
    try:
        shoe = training.set_default_shoe(uow, str(form.get("name") or ""))
    except training.TrainingError as error:
        return _form_error(request, uow, now.today(), "shoes", error.problems, form)
    return _redirect("shoe-default", shoe.name)


@router.post("/runs/shoes/retire", response_class=HTMLResponse)
def retire_shoes(request: Request, form: Form, uow: UnitOfWork, now: ClockDep) -> Response:
    try:
        shoe = training.retire_shoe(uow, str(form.get("name") or ""))
    except training.TrainingError as error:
        return _form_error(request, uow, now.today(), "shoes", error.problems, form)
    return _redirect("shoe-retired", shoe.name)


def _manual_run(form: Any) -> tuple[training.ManualRun | None, list[str]]:
    problems = []
    try:
        day = dt.date.fromisoformat(str(form.get("date") or ""))
    except ValueError:
        problems.append("Date: choose the day of the run")
        day = None
    try:
        at = dt.time.fromisoformat(str(form.get("time") or "12:00"))
    except ValueError:
        problems.append("Start time: give it as HH:MM, e.g. 07:30")
        at = dt.time(12, 0)
    numbers: dict[str, float | None] = {}
    for key, label in (("distance_km", "Distance"), ("minutes", "Duration"), ("pain", "Pain")):
        text = str(form.get(key) or "").strip().replace(",", ".")
        try:
            numbers[key] = float(text) if text else None
        except ValueError:
            problems.append(f"{label}: must be a number")
            numbers[key] = None
    if numbers["distance_km"] is None:
        problems.append("Distance: how many km did you run?")
    if numbers["minutes"] is None:
        problems.append("Duration: how many minutes did it take?")
    pain = numbers["pain"]
    if pain is not None and not pain.is_integer():
        problems.append("Pain: a whole number from 0 to 10")
    if problems or day is None or numbers["distance_km"] is None or numbers["minutes"] is None:
        return None, problems
    # Single-person local mode: the runner's clock is this machine's.
    start = dt.datetime.combine(day, at).astimezone()
    run = training.ManualRun(
        start=start,
        distance_km=numbers["distance_km"],
        duration_s=numbers["minutes"] * 60,
        surface=str(form.get("surface") or "") or None,
        shoes=str(form.get("shoes") or "") or None,
        pain_0_10=int(pain) if pain is not None else None,
    )
    return run, []


@router.post("/runs/manual", response_class=HTMLResponse)
def add_run(request: Request, form: Form, uow: UnitOfWork, now: ClockDep) -> Response:
    run, problems = _manual_run(form)
    if run is None:
        return _form_error(request, uow, now.today(), "manual", problems, form)
    try:
        added = training.add_manual_run(uow, now, run)
    except training.TrainingError as error:
        return _form_error(request, uow, now.today(), "manual", error.problems, form)
    name = f"{run.distance_km:g} km on {run.start:%d %b}"
    if added.similar is not None:
        name += " (a run of about that distance was already logged that day: check for a double)"
    return _redirect("run-added", name)
