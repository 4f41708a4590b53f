"""A local app only the person can reach (reliability review D2, D3, D10).

Every request must be addressed to this computer, every change must come from the
app's own pages (Origin and CSRF token), the JSON API reads only JSON, bodies are
bounded while they stream, and every response carries the security headers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.web import security
from backstride.web.app import create_app
from backstride.web.hosts import is_loopback
from tests.conftest import run_cli
from tests.integration.web.conftest import LOCAL, FixedClock, csrf_token_of, self_care_intake

TEMPLATES = Path(security.__file__).parent / "templates"
CHECKIN = {
    "schema": "backstride.checkin/1",
    "date": "2026-03-02",
    "pain_now_0_10": 3,
    "worst_24h_0_10": 4,
    "warning_signs": {"neuro.bladder_change": True},
}


def shoe_names(client: TestClient) -> list[str]:
    return [s["name"] for s in client.get("/api/v1/shoes").json()]


# -- Host: no DNS rebinding --------------------------------------------------------------------


@pytest.mark.parametrize("host", ["attacker.example:8731", "attacker.example", "10.0.0.5:8000"])
def test_a_foreign_host_name_reads_nothing(client: TestClient, host: str) -> None:
    response = client.get("/api/v1/assessments", headers={"Host": host})
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid host header"}


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST"])
def test_loopback_names_are_served(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/assessments", headers={"Host": host}).status_code == 200


def test_the_bound_address_is_served_too(db_url: str) -> None:
    app = create_app(db_url, FixedClock(), bound_host="127.0.0.2")
    with TestClient(app, base_url="http://127.0.0.2:8000") as client:
        assert client.get("/api/v1/topics").status_code == 200
        assert client.get("/api/v1/topics", headers={"Host": "evil.example"}).status_code == 400


# -- Origin and the CSRF token on every state-changing page request ----------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9999"},  # another local app on another port
        {"Referer": "http://evil.example/page.html"},
    ],
)
def test_a_form_post_from_another_site_is_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/runs/shoes", data={"name": "CSRF pair"}, headers=headers, follow_redirects=False
    )
    assert response.status_code == 403
    assert "CSRF pair" not in shoe_names(client)


def test_a_form_post_without_the_token_is_refused(bare_client: TestClient) -> None:
    response = bare_client.post("/runs/shoes", data={"name": "No token"}, follow_redirects=False)
    assert response.status_code == 403
    assert "reload the page" in response.text
    assert "No token" not in shoe_names(bare_client)


def test_a_token_from_another_browser_is_refused(db_url: str) -> None:
    app = create_app(db_url, FixedClock())
    with TestClient(app, base_url=LOCAL) as mine, TestClient(app, base_url=LOCAL) as theirs:
        token = csrf_token_of(theirs)
        csrf_token_of(mine)  # mine has a cookie of its own
        response = mine.post(
            "/runs/shoes",
            data={"name": "Stolen", "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 403


def test_the_form_field_token_from_the_page_is_accepted(bare_client: TestClient) -> None:
    page = bare_client.get("/runs")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the shoes form carries the token"
    response = bare_client.post(
        "/runs/shoes",
        data={"name": "Blue", "csrf_token": token.group(1)},
        headers={"Origin": LOCAL},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Blue" in shoe_names(bare_client)


def test_every_form_that_posts_carries_the_token() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        for form in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, re.S):
            if 'method="post"' in form.group(0)[:300]:
                assert "csrf_field()" in form.group(1), template.name


def test_an_upload_from_another_site_is_refused(client: TestClient) -> None:
    response = client.post(
        "/api/v1/activities",
        files={"files": ("a.gpx", b"<gpx/>")},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403


# -- JSON only ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/checkins", "text/plain"),
        ("/api/v1/shoes", "text/plain"),
        ("/api/v1/plans?save=true", "text/plain"),
        ("/api/v1/assessments", "application/x-www-form-urlencoded"),
        ("/api/v1/assessments", "multipart/form-data; boundary=x"),
        ("/api/v1/checkins", None),
    ],
)
def test_json_endpoints_refuse_other_content_types(
    client: TestClient, path: str, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = b'{"schema":"backstride.checkin/1","date":"2026-01-02","pain_now_0_10":3}'
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 415
    assert client.get("/api/v1/progress").json()["checkins"] == 0


def test_json_with_a_charset_is_json(client: TestClient) -> None:
    response = client.post(
        "/api/v1/assessments",
        content=__import__("json").dumps(self_care_intake()),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200


# -- headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/static/app.css", "/api/v1/topics", "/no-such-page"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "server" not in headers


def test_health_pages_are_not_cached(client: TestClient) -> None:
    assert client.get("/api/v1/assessments").headers["cache-control"] == "no-store"
    assert client.get("/checkin").headers["cache-control"] == "no-store"


def test_no_template_has_inline_script_or_handlers() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text, template.name


def test_trace_is_405_with_allow(client: TestClient) -> None:
    response = client.request("TRACE", "/api/v1/topics")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


# -- size limits while streaming ---------------------------------------------------------------


def test_a_json_body_over_the_limit_is_413(client: TestClient) -> None:
    body = b'{"name": "' + b"x" * (security.MAX_JSON_BYTES + 10) + b'"}'
    response = client.post(
        "/api/v1/shoes", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_an_upload_over_the_limit_is_refused_while_streaming(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security, "MAX_UPLOAD_BYTES", 64 * 1024)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is checked as it streams
        yield b"--b\r\nContent-Disposition: form-data; name=files; filename=a.fit\r\n\r\n"
        for _ in range(100):
            yield b"\0" * 1024
        yield b"\r\n--b--\r\n"

    response = client.post(
        "/api/v1/activities",
        content=chunks(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 413
    assert client.get("/api/v1/activities").json()["activities"] == []


def test_a_declared_length_over_the_limit_is_refused_at_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security, "MAX_UPLOAD_BYTES", 1000)
    response = client.post(
        "/runs/upload", files={"files": ("a.fit", b"\0" * 5000)}, follow_redirects=False
    )
    assert response.status_code == 413


# -- logs ---------------------------------------------------------------------------------


def test_an_unexpected_error_is_logged_without_health_data(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from backstride.services import recovery

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("INSERT ... neuro.bladder_change: true, pain 9")

    monkeypatch.setattr(recovery, "record_checkin", broken)
    with caplog.at_level(logging.ERROR):
        response = client.post("/api/v1/checkins", json=CHECKIN)
    assert response.status_code == 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged
    assert "bladder" not in logged
    assert "pain 9" not in logged


# -- serve binds to this computer only ----------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),  # noqa: S104 - the address being refused
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_to_listen_beyond_this_computer(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    refused = run_cli("serve", "--host", "0.0.0.0", "--db", db)  # noqa: S104
    assert refused.returncode == 2
    assert "refusing to listen beyond this computer" in refused.stderr
    # A clinic's server has accounts, but needs PostgreSQL.
    multi = run_cli("serve", "--multi-user", "--db", db)
    assert multi.returncode == 2
    assert "--multi-user needs PostgreSQL" in multi.stderr
    alone = run_cli("serve", "--public-host", "clinic.example.org", "--db", db)
    assert alone.returncode == 2
    assert "need --multi-user" in alone.stderr
