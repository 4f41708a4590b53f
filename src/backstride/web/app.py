"""The FastAPI application: pages, the JSON API and static files."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from backstride import __version__
from backstride.bootstrap import (
    QueueUnavailable,
    open_job_queue,
    open_storage,
    password_hasher,
)
from backstride.services.assessing import parse_intake
from backstride.services.clinic_ports import PasswordHasher
from backstride.services.clock import SystemClock
from backstride.services.jobs import JobQueue
from backstride.services.ports import Clock
from backstride.services.validation import InvalidDocument
from backstride.web import api, auth, pages, security
from backstride.web.api import errors, openapi
from backstride.web.drawn_pages import DrawnPages
from backstride.web.templating import templates

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("backstride.web")
INTAKE_ROUTE = "/api/v1/assessments"


def _queue(database_url: str | None) -> JobQueue | None:
    try:
        return open_job_queue(database_url)
    except QueueUnavailable as why:
        log.warning("imports run in the request: %s", why)
        return None


def create_app(
    database_url: str | None = None,
    clock: Clock | None = None,
    *,
    bound_host: str | None = None,
    secret_key: bytes | None = None,
    multi_user: bool = False,
    public_hosts: Sequence[str] = (),
    passwords: PasswordHasher | None = None,
    jobs: bool | None = None,
) -> FastAPI:
    """An app bound to one database (opened and migrated at start-up, not at import).

    It answers only requests addressed to a loopback name, to ``bound_host`` (the
    address `backstride serve` listens on) or to one of ``public_hosts`` (the names a
    clinic's proxy forwards); see web/security.py. ``multi_user``: accounts, each
    request reading and writing the logged-in runner's record (web/auth.py), and the
    clinic's pages. ``jobs``: imports and exports go to the job queue (the default in
    multi-user mode on PostgreSQL; on SQLite they run in the request, as locally).
    """
    if jobs is None:
        jobs = multi_user

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        storage = open_storage(database_url)
        app.state.storage = storage
        app.state.drawn_pages = DrawnPages()
        # A clinic's server hands imports and exports to `backstride worker` processes
        # (ADR 14), so no request waits on a big archive; the local app does them itself.
        app.state.jobs = _queue(database_url) if jobs else None
        try:
            yield
        finally:
            if app.state.jobs is not None:
                app.state.jobs.close()
            storage.dispose()

    app = FastAPI(
        title="backstride",
        version=__version__,
        description=(
            "Lower back pain after running: assessment, plans, check-ins and runs. "
            "Information, not a diagnosis."
        ),
        lifespan=lifespan,
        # The interactive docs pages load scripts from a CDN; the app must work offline.
        # The OpenAPI document itself stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.clock = clock or SystemClock()
    app.state.multi_user = multi_user
    if multi_user:
        # Added first, so it runs inside the security middleware: its redirects and
        # refusals get the same headers and host checks as every other response.
        auth.install(app, app.state.clock)
        app.state.passwords = passwords or password_hasher()
    security.install(app, security.allowed_hosts(bound_host, public_hosts), secret_key)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    api.include(app)
    pages.include(app)
    if multi_user:
        pages.include_clinic(app)
    openapi.install(app)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        """For a load balancer: the process answers and its database too."""
        app.state.storage.unit_of_work().revision()
        return {"status": "ok"}

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # An intake body is re-validated with the same code as the CLI, so the API reports
        # each problem with the same path and wording (and catches every explicit null).
        # Only the assessment route takes an intake as its body: no other body is read as one.
        if request.url.path == INTAKE_ROUTE and isinstance(exc.body, dict):
            try:
                parse_intake(exc.body)
            except InvalidDocument as invalid:
                return errors.invalid_document_response(invalid.problems)
        return errors.request_problems_response(exc.errors())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        title = "Not found" if exc.status_code == 404 else "Something went wrong"
        message = "There is no such page." if exc.status_code == 404 else str(exc.detail)
        context = {"title": title, "message": message}
        return templates.TemplateResponse(
            request, "error.html", context, status_code=exc.status_code, headers=exc.headers
        )

    return app
