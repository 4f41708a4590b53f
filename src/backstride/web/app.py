"""The FastAPI application: pages, the JSON API and static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from backstride import __version__
from backstride.bootstrap import open_storage
from backstride.services.assessing import parse_intake
from backstride.services.clock import SystemClock
from backstride.services.ports import Clock
from backstride.services.validation import InvalidDocument
from backstride.web import api, pages, security
from backstride.web.api import errors, openapi
from backstride.web.drawn_pages import DrawnPages
from backstride.web.templating import templates

STATIC = Path(__file__).parent / "static"
INTAKE_ROUTE = "/api/v1/assessments"


def create_app(
    database_url: str | None = None,
    clock: Clock | None = None,
    *,
    bound_host: str | None = None,
    secret_key: bytes | None = None,
) -> FastAPI:
    """An app bound to one database (opened and migrated at start-up, not at import).

    It answers only requests addressed to a loopback name or to ``bound_host``
    (the address `backstride serve` listens on); see web/security.py.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        storage = open_storage(database_url)
        app.state.storage = storage
        app.state.drawn_pages = DrawnPages()
        try:
            yield
        finally:
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
    security.install(app, security.allowed_hosts(bound_host), secret_key)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    api.include(app)
    pages.include(app)
    openapi.install(app)

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
