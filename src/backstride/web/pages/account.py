"""Logging in and out, and a runner's sharing with their physiotherapist (multi-user mode).

Included only by ``backstride serve --multi-user`` (web/app.py); the local app has
no accounts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.services import accounts, clinic
from backstride.services.clinic_ports import Role
from backstride.web.auth import (
    current_account,
    ended_session_cookie,
    session_cookie,
)
from backstride.web.deps import ClockDep, Form, storage
from backstride.web.templating import templates

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host, no //): never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    context = {"title": "Log in", "next": _safe_next(next), "problem": None, "username": ""}
    return templates.TemplateResponse(request, "login.html", context)


@router.post("/login", response_class=HTMLResponse)
async def log_in(request: Request, form: Form, clock: ClockDep) -> Response:
    username = str(form.get("username") or "")[:80]
    password = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or "/"))
    address = request.client.host if request.client else "unknown"
    try:
        started = await run_in_threadpool(
            accounts.log_in,
            storage(request).clinic_unit_of_work(),
            clock,
            request.app.state.passwords,
            username=username,
            password=password,
            address=address,
        )
    except accounts.LoginRefused as refused:
        problem = (
            "Too many attempts. Wait 15 minutes and try again."
            if refused.limited
            else "That username and password do not match an account."
        )
        context = {"title": "Log in", "next": target, "problem": problem, "username": username}
        status = 429 if refused.limited else 401
        return templates.TemplateResponse(request, "login.html", context, status_code=status)
    if started.account.role is Role.CLINICIAN and target == "/":
        target = "/clinic"
    response = RedirectResponse(target, status_code=303)
    max_age = int(accounts.SESSION_LIFETIME.total_seconds())
    response.headers.append("set-cookie", session_cookie(request, started.token, max_age))
    return response


@router.post("/logout")
def log_out(request: Request) -> Response:
    token = getattr(request.state, "session_token", None)
    if token:
        accounts.log_out(storage(request).clinic_unit_of_work(), token)
    response = RedirectResponse("/login", status_code=303)
    response.headers.append("set-cookie", ended_session_cookie())
    # The offline copies of pages (static/sw.js) go with the session, on a shared device too.
    response.headers["clear-site-data"] = '"cache", "storage"'
    return response


@router.get("/account/sharing", response_class=HTMLResponse)
def sharing_page(request: Request) -> Response:
    return _sharing(request, problem=None, linked=None)


def _sharing(
    request: Request, problem: str | None, linked: str | None, status: int = 200
) -> Response:
    account = current_account(request)
    if account.role is not Role.RUNNER:
        return RedirectResponse("/clinic", status_code=303)
    shared = clinic.sharing(storage(request).clinic_unit_of_work(account.id), account)
    context = {
        "title": "Your physiotherapist",
        "shared": shared,
        "problem": problem,
        "linked": linked,
    }
    return templates.TemplateResponse(request, "sharing.html", context, status_code=status)


@router.post("/account/sharing", response_class=HTMLResponse)
def link(request: Request, form: Form, clock: ClockDep) -> Response:
    account = current_account(request)
    code = str(form.get("code") or "")
    try:
        clinician = clinic.accept_invitation(
            storage(request).clinic_unit_of_work(account.id), clock, account, code
        )
    except clinic.ClinicError as error:
        return _sharing(request, "; ".join(error.problems), None, status=422)
    return _sharing(request, None, clinician.display_name)


@router.post("/account/sharing/{clinician_id}/unlink")
def unlink(request: Request, clinician_id: int, clock: ClockDep) -> Response:
    account = current_account(request)
    clinic.unlink(storage(request).clinic_unit_of_work(account.id), clock, account, clinician_id)
    return RedirectResponse("/account/sharing", status_code=303)
