"""Who is asking, in multi-user mode (`backstride serve --multi-user`).

One ASGI middleware reads the session cookie, finds the account it belongs to
(services.accounts: the database keeps each session's hash, so every worker
agrees and logging out ends it everywhere) and puts it on the request:
``request.state.account`` and ``request.state.owner_id``, the record every unit of
work of the request reads and writes (web/deps.py). Without a valid session a page
redirects to the login page and the API answers 401.

Roles keep to their side: a runner's pages and the JSON API are the runner's own
record; a clinician has no record of their own and reaches runners' records only
through the clinic's pages (web/pages/clinic.py), which check the consent link and
write the audit log. The local one-person app installs none of this: every request
is the local account's (``LOCAL_OWNER``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from backstride.bootstrap import LOCAL_OWNER, Storage
from backstride.services import accounts
from backstride.services.clinic_ports import Account, Role
from backstride.services.ports import Clock
from backstride.web.hosts import is_loopback
from backstride.web.security import cookie_value

SESSION_COOKIE = "backstride_session"
# Reachable without a session: the login page, static files, the health check.
OPEN_PATHS = ("/login", "/static", "/healthz", "/sw.js")
# A clinician's pages; everything else (but OPEN_PATHS and /logout) is a runner's.
CLINIC_PATHS = ("/clinic",)
SHARED_PATHS = ("/logout", "/exercises", "/learn", "/account")


def _starts(path: str, prefixes: tuple[str, ...]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or below one."""
    return any(path == p or path.startswith(p + "/") for p in prefixes)


class AuthMiddleware:
    def __init__(self, app: ASGIApp, storage_of: Any, clock: Clock) -> None:
        self.app = app
        self.storage_of = storage_of  # the app, whose state has the storage once started
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if _starts(path, OPEN_PATHS):  # no session needed: no database read either
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        token = cookie_value(Headers(scope=scope), SESSION_COOKIE)
        account = None
        if token:
            storage: Storage = self.storage_of.state.storage
            account = await run_in_threadpool(
                accounts.session_account, storage.clinic_unit_of_work(), self.clock, token
            )
        if account is not None:
            state["account"] = account
            state["session_token"] = token
            state["owner_id"] = account.id
        refusal = _refusal(path, scope, account)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _refusal(path: str, scope: Scope, account: Account | None) -> Response | None:
    api = path.startswith("/api/")
    if account is None:
        if api:
            return JSONResponse({"detail": "log in first"}, status_code=401)
        query = scope.get("query_string", b"").decode("latin-1")
        wanted = path + (f"?{query}" if query else "")
        return RedirectResponse(f"/login?next={quote(wanted, safe='/')}", status_code=303)
    if _starts(path, SHARED_PATHS):
        return None
    clinic = _starts(path, CLINIC_PATHS)
    if account.role is Role.CLINICIAN and not clinic:
        if path == "/":
            return RedirectResponse("/clinic", status_code=303)
        message = "This is a runner's page; your caseload is at /clinic."
        if api:
            return JSONResponse({"detail": message}, status_code=403)
        return Response(message, status_code=403, media_type="text/plain")
    if account.role is Role.RUNNER and clinic:
        return Response("This page is for clinicians.", status_code=403, media_type="text/plain")
    return None


def install(app: Any, clock: Clock) -> None:
    """Require a session for everything but the login page and static files."""
    app.add_middleware(AuthMiddleware, storage_of=app, clock=clock)
    app.state.multi_user = True


def current_account(request: Request) -> Account:
    """The logged-in account (multi-user mode); 401 without one."""
    account = getattr(request.state, "account", None)
    if account is None:
        raise HTTPException(401, "log in first")
    found: Account = account
    return found


def owner_of(request: Request) -> int:
    """Whose record this request reads and writes: the logged-in runner's, or the
    local person's in the one-person app."""
    return int(getattr(request.state, "owner_id", LOCAL_OWNER))


def session_cookie(request: Request, token: str, max_age: int) -> str:
    """The Set-Cookie value: HttpOnly, SameSite=Lax and Secure, except over plain HTTP
    to this computer (a browser test or a try-out on 127.0.0.1)."""
    host = request.url.hostname or ""
    secure = request.url.scheme == "https" or not is_loopback(host)
    parts = [
        f"{SESSION_COOKIE}={token}",
        "Path=/",
        "HttpOnly",
        "SameSite=Lax",
        f"Max-Age={max_age}",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def ended_session_cookie() -> str:
    return f"{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
