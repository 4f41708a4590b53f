"""A clinician's pages: the caseload, alerts, invitations, a runner's record and
changes to their plan (multi-user mode; web/auth.py lets only clinicians in).

Every page that shows a runner goes through services.clinic, which refuses unless
the runner is linked to this clinician (``NotLinked``, answered 404 by
:func:`not_in_caseload`, so a probe cannot tell a runner who exists from one who does
not) and writes the audit log before reading.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from backstride.adapters.export.fhir import fhir_bundle, fhir_json
from backstride.adapters.export.summary_pdf import render_summary_pdf
from backstride.content.library import load_exercises
from backstride.content.loader import load_knowledge_base
from backstride.domain.plan.adjust import dose_text
from backstride.services import clinic
from backstride.services.clinic_ports import Account, ClinicianChangeKind
from backstride.services.ports import Clock
from backstride.services.records import PatientDescriptor, gather_records
from backstride.services.summary import summary
from backstride.web.auth import current_account
from backstride.web.deps import ClockDep, Form, storage
from backstride.web.pages.recovery import progress_context
from backstride.web.templating import templates

router = APIRouter(include_in_schema=False)


def _uow_for(request: Request) -> clinic.UnitOfWorkFor:
    found = storage(request)
    return found.clinic_unit_of_work


@router.get("/clinic", response_class=HTMLResponse)
def caseload(request: Request, clock: ClockDep, code: str | None = None) -> Response:
    account = current_account(request)
    rows = clinic.caseload(_uow_for(request), clock, account)
    alerts = clinic.open_alerts(storage(request).clinic_unit_of_work(account.id), account)
    context = {
        "title": "Caseload",
        "rows": rows,
        "alerts": alerts,
        "code": code,
        "quiet_days": clinic.QUIET_DAYS,
    }
    return templates.TemplateResponse(request, "clinic/caseload.html", context)


@router.post("/clinic/invitations", response_class=HTMLResponse)
def invite(request: Request, clock: ClockDep) -> Response:
    account = current_account(request)
    code = clinic.create_invitation(
        storage(request).clinic_unit_of_work(account.id), clock, account
    )
    # Shown once, on this response only: it is not kept anywhere readable.
    return caseload(request, clock, code=code)


@router.post("/clinic/alerts/{alert_id}/acknowledge")
def acknowledge(request: Request, alert_id: int, clock: ClockDep) -> Response:
    account = current_account(request)
    clinic.acknowledge_alert(
        storage(request).clinic_unit_of_work(account.id), clock, account, alert_id
    )
    return RedirectResponse("/clinic", status_code=303)


def _record(
    request: Request,
    account: Account,
    runner_id: int,
    clock: Clock,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    record = clinic.open_record(_uow_for(request), clock, account, runner_id)
    library = load_exercises()
    in_plan = sorted(
        {i.exercise for p in record.plan.plan.phases for i in p.items if i.exercise}
        if record.plan
        else set()
    )
    context: dict[str, Any] = {
        "title": record.runner.display_name,
        "record": record,
        "in_plan": [(slug, library[slug].name if slug in library else slug) for slug in in_plan],
        "library": [(slug, e.name) for slug, e in library.items() if slug not in in_plan],
        "problems": problems or [],
        "me": account,
        "kb": load_knowledge_base(),
        "answers": _answers(record.assessment.intake.to_document()) if record.assessment else [],
        "dose_text": dose_text,
    }
    return templates.TemplateResponse(request, "clinic/record.html", context, status_code=status)


@router.get("/clinic/runners/{runner_id}", response_class=HTMLResponse)
def record(request: Request, runner_id: int, clock: ClockDep) -> Response:
    return _record(request, current_account(request), runner_id, clock)


def _answers(document: Any, path: str = "") -> list[tuple[str, str]]:
    """Every answered field of the intake as (path, value), in the document's order."""
    if isinstance(document, dict):
        found: list[tuple[str, str]] = []
        for key, value in document.items():
            found += _answers(value, f"{path}.{key}" if path else key)
        return found
    if document is None:
        return []
    if isinstance(document, list):
        return [(path, ", ".join(str(v) for v in document) or "none")]
    return [(path, str(document))]


def _number(value: object) -> int | str | None:
    text = str(value or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text


@router.post("/clinic/runners/{runner_id}/changes", response_class=HTMLResponse)
def change(request: Request, runner_id: int, form: Form, clock: ClockDep) -> Response:
    account = current_account(request)
    try:
        kind = ClinicianChangeKind(str(form.get("kind") or ""))
    except ValueError:
        return _record(request, account, runner_id, clock, ["kind: choose a change"], 422)
    dose = {name: _number(form.get(name)) for name in clinic.DOSE_LIMITS}
    dose["per_side"] = form.get("per_side") == "on"
    try:
        clinic.change_plan(
            _uow_for(request),
            clock,
            account,
            runner_id,
            kind,
            exercise=str(form.get("exercise") or "") or None,
            replacement=str(form.get("replacement") or "") or None,
            dose=dose,
            note=str(form.get("note") or ""),
        )
    except clinic.ClinicError as error:
        return _record(request, account, runner_id, clock, list(error.problems), 422)
    return RedirectResponse(f"/clinic/runners/{runner_id}#changes", status_code=303)


@router.post("/clinic/runners/{runner_id}/changes/{change_id}/withdraw")
def withdraw(request: Request, runner_id: int, change_id: int, clock: ClockDep) -> Response:
    account = current_account(request)
    clinic.withdraw_change(_uow_for(request), clock, account, runner_id, change_id)
    return RedirectResponse(f"/clinic/runners/{runner_id}#changes", status_code=303)


@router.get("/clinic/runners/{runner_id}/summary.pdf")
def runner_summary(request: Request, runner_id: int, clock: ClockDep) -> Response:
    """The runner's one-page summary, as they would download it (audited)."""
    account = current_account(request)
    _, uow = clinic.runner_unit_of_work(_uow_for(request), clock, account, runner_id, "summary")
    today = clock.today()
    data = render_summary_pdf(summary(uow, today), made=clock.now())
    name = f"backstride-summary-{runner_id}-{today.isoformat()}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="application/pdf", headers=headers)


@router.get("/clinic/runners/{runner_id}/fhir.json")
def runner_fhir(request: Request, runner_id: int, clock: ClockDep) -> Response:
    """The runner's records as a FHIR R4 bundle (audited)."""
    account = current_account(request)
    runner, uow = clinic.runner_unit_of_work(_uow_for(request), clock, account, runner_id, "FHIR")
    patient = PatientDescriptor(id=f"account-{runner.id}", name=runner.display_name)
    data = fhir_json(fhir_bundle(patient, gather_records(uow, clock.today())))
    headers = {"Content-Disposition": f'attachment; filename="backstride-{runner.id}.fhir.json"'}
    return Response(data, media_type="application/fhir+json", headers=headers)


@router.get("/clinic/runners/{runner_id}/progress", response_class=HTMLResponse)
def runner_progress(
    request: Request,
    runner_id: int,
    clock: ClockDep,
    date: str | None = None,
    since: Annotated[str | None, Query(alias="from")] = None,
) -> Response:
    """The runner's progress page as they see it (pain against load, stages, adherence,
    PSFS), read-only, audited."""
    account = current_account(request)
    runner, uow = clinic.runner_unit_of_work(
        _uow_for(request), clock, account, runner_id, "progress"
    )
    context = progress_context(uow, clock.today(), date, since)
    context |= {
        "title": f"{runner.display_name}: progress",
        "runner": runner,
        "base": f"/clinic/runners/{runner_id}",
    }
    return templates.TemplateResponse(request, "progress.html", context)


def not_in_caseload(request: Request, exc: Exception) -> Response:
    """``services.clinic.NotLinked`` from any clinician's page: 404, the same as a runner
    who does not exist (installed by ``web/pages/__init__.include_clinic``)."""
    context = {"title": "Not found", "message": "There is no such runner in your caseload."}
    return templates.TemplateResponse(request, "error.html", context, status_code=404)
