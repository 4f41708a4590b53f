"""A local app only the person at this computer can reach.

backstride has no accounts: whoever can send it a request can read and write the
health record. So every request must come from this computer, through the
address the app is served on, and every change must come from the app's own
pages. One ASGI middleware, in front of everything, checks:

* **Host**: the ``Host`` header names a loopback address (127.0.0.1, localhost,
  [::1]) or the address the server was bound to. A DNS-rebinding page reaches
  the server under its own name and is refused (400), so it cannot read anything.
* **Origin**: a request that changes something (POST, PUT, PATCH, DELETE) and
  carries an ``Origin`` (or, without one, a ``Referer``) must come from the very
  address it is sent to; a foreign or ``null`` origin is refused (403). Browsers
  send ``Origin`` with every cross-site POST; a client without one (curl, a
  script) is not a browser another site could drive.
* **Content type**: the JSON API reads only ``application/json`` bodies and the
  upload endpoint only ``multipart/form-data`` (415 otherwise), so a page cannot
  post JSON as ``text/plain``, the one kind a browser sends cross-site without
  asking the server first.
* **Size**: a body longer than its route allows is refused from its
  ``Content-Length`` and, while it streams, as soon as it passes the limit (413).
* **Headers** on every response: a Content-Security-Policy without inline
  script, ``frame-ancestors 'none'``, ``nosniff``, a referrer policy, and
  ``no-store`` on everything but static files.
* **Errors**: an unexpected exception is logged by type and code location only,
  never with its message (which may quote health data), and answered with 500.

The pages' forms also carry a CSRF token (:func:`csrf_protect`): a signed
double-submit token, see docs/adr/0005-csrf.md.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import pass_context
from markupsafe import Markup, escape
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backstride.web.templating import templates

log = logging.getLogger("backstride.web")

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

KIB = 1024
MIB = 1024 * KIB
# A JSON document or a page's form: an intake is a few kilobytes.
MAX_JSON_BYTES = 1 * MIB
MAX_FORM_BYTES = 1 * MIB
# Watch files and export archives, per request. Each uploaded file is then read
# against the importer's own limits (ingest.archive.Limits).
MAX_UPLOAD_BYTES = 256 * MIB
UPLOAD_PATHS = frozenset({"/api/v1/activities", "/runs/upload"})
MULTIPART_API_PATHS = frozenset({"/api/v1/activities"})

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CSRF_COOKIE = "backstride_csrf"
# A form stays usable for a week (a check-in page left open overnight still works).
CSRF_MAX_AGE_S = 7 * 24 * 3600

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)


class BodyTooLarge(HTTPException):
    """The request body passed its route's limit (raised while it streams in)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit:,} bytes")
        self.limit = limit


def split_host(value: str) -> tuple[str, str | None]:
    """ "127.0.0.1:8000" -> ("127.0.0.1", "8000"); "[::1]:80" -> ("::1", "80")."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return "", None
        rest = value[end + 1 :]
        return value[1:end], (rest[1:] or None) if rest.startswith(":") else None
    if value.count(":") > 1:  # a bare IPv6 address
        return value, None
    host, _, port = value.partition(":")
    return host, port or None


def allowed_hosts(bound: str | None = None, extra: Iterable[str] = ()) -> frozenset[str]:
    """Loopback names, the address the server is bound to, and any given explicitly."""
    hosts = set(LOOPBACK_HOSTS)
    for host in (bound, *extra):
        if host:
            hosts.add(split_host(host)[0] if host.startswith("[") else host.strip().lower())
    return frozenset(hosts)


def _same_origin(origin: str, host: str, port: str | None) -> bool:
    try:
        parts = urlsplit(origin)
        origin_port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    default = 443 if parts.scheme == "https" else 80
    return parts.hostname.lower() == host and (origin_port or default) == int(port or default)


def _content_type(headers: Headers) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def _limit_for(path: str) -> int:
    if path in UPLOAD_PATHS:
        return MAX_UPLOAD_BYTES
    return MAX_JSON_BYTES if path.startswith("/api/") else MAX_FORM_BYTES


def _plain_error(status: int, message: str, path: str) -> Response:
    if path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


@dataclass(frozen=True)
class _Csrf:
    serializer: URLSafeTimedSerializer

    def token(self, secret: str) -> str:
        return str(self.serializer.dumps(secret))

    def valid(self, token: str | None, secret: str | None) -> bool:
        if not token or not secret:
            return False
        try:
            signed = self.serializer.loads(token, max_age=CSRF_MAX_AGE_S)
        except BadSignature:
            return False
        return isinstance(signed, str) and hmac.compare_digest(signed, secret)


class SecurityMiddleware:
    """Host, Origin, content type, size, headers and safe errors, for every HTTP request."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str], csrf: _Csrf) -> None:
        self.app = app
        self.hosts = hosts
        self.csrf = csrf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        is_static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if not is_static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                cookie = scope.get("state", {}).get("csrf_set_cookie")
                if cookie:
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        headers = Headers(scope=scope)
        if not scope["path"].startswith(_NO_FORMS):
            self._prepare_csrf(scope, headers)
        limit = _limit_for(scope["path"])
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            too_large = _plain_error(413, BodyTooLarge(limit).detail, scope["path"])
            await too_large(scope, receive, send_with_headers)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge as error:
            if not started:
                response = _plain_error(413, error.detail, scope["path"])
                await response(scope, receive, send_with_headers)
        except Exception as error:  # logged without its message, which may hold health data
            frames = traceback.extract_tb(error.__traceback__)
            where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames[-4:])
            log.error(
                "%s %s failed: %s at %s",
                scope["method"],
                scope["path"],
                type(error).__name__,
                where,
            )
            if not started:
                response = _plain_error(500, "Internal Server Error", scope["path"])
                await response(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        path = scope["path"]
        host, port = split_host(headers.get("host", ""))
        if host not in self.hosts:
            return _plain_error(400, "Invalid host header", path)
        if scope["method"] in SAFE_METHODS:
            return None
        origin = headers.get("origin")
        if origin is None and headers.get("referer"):
            origin = headers["referer"]
        if origin is not None and not _same_origin(origin, host, port):
            return _plain_error(403, "Cross-origin request refused", path)
        if path.startswith("/api/"):
            wanted = "multipart/form-data" if path in MULTIPART_API_PATHS else "application/json"
            if _content_type(headers) != wanted:
                return _plain_error(415, f"the body must be {wanted}", path)
        return None

    def _prepare_csrf(self, scope: Scope, headers: Headers) -> None:
        """The CSRF cookie's secret (a new one if absent); the token is signed when a
        page asks for it (`csrf_token_of`), not for every request."""
        _, port = split_host(headers.get("host", ""))
        name = f"{CSRF_COOKIE}_{port or 80}"
        secret = cookie_value(headers, name)
        state: dict[str, Any] = scope.setdefault("state", {})
        if not secret or len(secret) != 43:
            secret = secrets.token_urlsafe(32)
            state["csrf_set_cookie"] = f"{name}={secret}; Path=/; HttpOnly; SameSite=Strict"
        state["csrf_secret"] = secret


# The JSON API takes no forms (see `csrf_protect`) and static files are no pages:
# neither needs the CSRF cookie.
_NO_FORMS = ("/api/", "/static/")


def csrf_token_of(request: Request) -> str:
    """The token this browser's forms carry, signed the first time a page asks for it."""
    state = request.state
    token = getattr(state, "csrf_token", None)
    if token is None:
        secret = getattr(state, "csrf_secret", None)
        if secret is None:
            return ""
        csrf: _Csrf = request.app.state.csrf
        token = state.csrf_token = csrf.token(secret)
    return str(token)


def cookie_value(headers: Headers, name: str) -> str | None:
    """The value of the request's cookie ``name``, if it sent one."""
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
    return None


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def csrf_protect(request: Request) -> None:
    """Refuse a page's state-changing request without this browser's CSRF token (403).

    The token comes in the form's hidden ``csrf_token`` field or, from htmx, in the
    ``X-CSRF-Token`` header. The JSON API needs none: it takes only
    ``application/json`` (which no page can send to another origin without the
    server agreeing first) and checks the Origin.
    """
    if request.method in SAFE_METHODS or request.url.path.startswith("/api/"):
        return
    csrf: _Csrf = request.app.state.csrf
    token = request.headers.get(CSRF_HEADER)
    if token is None and _content_type(request.headers) in _FORM_TYPES:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        token = field if isinstance(field, str) else None
    if not csrf.valid(token, getattr(request.state, "csrf_secret", None)):
        raise HTTPException(
            403,
            "This form has expired or did not come from backstride's own page. "
            "Go back, reload the page and send it again.",
        )


@pass_context
def _csrf_field(context: Any) -> Markup:
    token = _token_of(context)
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, escape(token))


@pass_context
def _csrf_token(context: Any) -> str:
    return _token_of(context)


def _token_of(context: Any) -> str:
    request = context.get("request")
    return csrf_token_of(request) if request is not None else ""


def install(app: FastAPI, hosts: frozenset[str], secret_key: bytes | None = None) -> None:
    """Add the checks to ``app``; call before the routers are included.

    ``secret_key`` signs the CSRF tokens; by default a new one per process, so a
    form from before a restart must be reloaded.
    """
    from fastapi import Depends

    key = secret_key or secrets.token_bytes(32)
    csrf = _Csrf(URLSafeTimedSerializer(key, salt="backstride.csrf"))
    app.state.csrf = csrf
    app.router.dependencies.append(Depends(csrf_protect))
    app.add_middleware(SecurityMiddleware, hosts=hosts, csrf=csrf)
    templates.env.globals["csrf_field"] = _csrf_field
    templates.env.globals["csrf_token"] = _csrf_token
