"""The multi-user mode through its HTTP surface, on SQLite and PostgreSQL: logging in,
sessions, roles, the login rate limit, consent by invitation, the clinician's pages,
plan changes the runner sees, and alerts (issue 15, items 1 and 2)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.bootstrap import open_storage
from backstride.services.clinic_ports import Role
from backstride.web.app import create_app
from tests.accounts_support import CHEAP, PASSWORD, add_accounts, csrf_token, log_in
from tests.integration.web.conftest import (
    TODAY,
    FixedClock,
    no_warning_signs,
    self_care_intake,
    vignette_intake,
)

LOCAL = "http://127.0.0.1"
PEOPLE = (
    ("ann", Role.RUNNER),
    ("bob", Role.RUNNER),
    ("cleo", Role.CLINICIAN),
    ("dev", Role.CLINICIAN),
)


@pytest.fixture
def server(database_url: str) -> tuple[str, Any]:
    """A migrated database with two runners and two clinicians, and the app over it."""
    add_accounts(database_url, FixedClock(), PEOPLE)
    app = create_app(database_url, FixedClock(), multi_user=True, passwords=CHEAP)
    return database_url, app


def logged_in(app: Any, username: str) -> TestClient:
    client = TestClient(app, base_url=LOCAL)
    client.__enter__()
    response = log_in(client, username)
    assert response.status_code == 303, response.text
    return client


def checkin(**fields: Any) -> dict[str, Any]:
    return {
        "schema": "backstride.checkin/1",
        "date": TODAY.isoformat(),
        "pain_now_0_10": 3,
        "worst_24h_0_10": 4,
        **fields,
    }


def assessed_and_planned(client: TestClient) -> tuple[int, dict[str, Any]]:
    """Save a self-care assessment and a plan from it: the assessment id and the plan."""
    response = client.post("/api/v1/assessments?save=true", json=self_care_intake())
    assert response.status_code == 201, response.text
    assessment_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    built = client.post("/api/v1/plans?save=true", json={"assessment_id": assessment_id})
    assert built.status_code == 201, built.text
    body = built.json()
    plan: dict[str, Any] = body.get("plan", body)
    return assessment_id, plan


def exercises_of(plan: dict[str, Any]) -> list[str]:
    return [i["exercise"] for p in plan["phases"] for i in p["items"] if i.get("exercise")]


def invitation_code(clinician: TestClient) -> str:
    page = clinician.post("/clinic/invitations").text
    found = re.search(r"data-invitation>([A-Z0-9-]+)<", page)
    assert found, page
    return found.group(1)


def test_without_a_session_pages_redirect_to_login_and_the_api_says_401(
    server: tuple[str, Any],
) -> None:
    _, app = server
    with TestClient(app, base_url=LOCAL) as anonymous:
        page = anonymous.get("/plan", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=/plan"
        assert anonymous.get("/api/v1/assessments").status_code == 401
        assert anonymous.get("/login").status_code == 200
        # The security headers are on the login page and the redirect too.
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"


def test_a_wrong_password_fails_and_the_sixth_attempt_is_refused(
    server: tuple[str, Any],
) -> None:
    _, app = server
    with TestClient(app, base_url=LOCAL) as client:
        token = csrf_token(client.get("/login").text)
        form = {"username": "ann", "password": "not the password", "csrf_token": token}
        statuses = [client.post("/login", data=form).status_code for _ in range(6)]
        assert statuses == [401] * 5 + [429]
        right = {**form, "password": PASSWORD}
        assert client.post("/login", data=right, follow_redirects=False).status_code == 429
        unknown = {**form, "username": "nobody"}
        assert client.post("/login", data=unknown).status_code == 401


def test_the_login_form_needs_its_csrf_token_and_next_stays_on_site(
    server: tuple[str, Any],
) -> None:
    _, app = server
    with TestClient(app, base_url=LOCAL) as client:
        client.get("/login")
        form = {"username": "ann", "password": PASSWORD}
        assert client.post("/login", data=form).status_code == 403
        token = csrf_token(client.get("/login").text)
        away = client.post(
            "/login",
            data={**form, "csrf_token": token, "next": "//evil.example/"},
            follow_redirects=False,
        )
        assert away.headers["location"] == "/"


def test_no_read_or_write_crosses_runners(server: tuple[str, Any]) -> None:
    _, app = server
    ann, bob = logged_in(app, "ann"), logged_in(app, "bob")
    assessment_id, _ = assessed_and_planned(ann)
    day = checkin(warning_signs=no_warning_signs())
    assert ann.post("/api/v1/checkins", json=day).status_code == 201
    # Bob sees none of it, through the API or the pages.
    assert not bob.get("/api/v1/assessments").json()
    assert bob.get(f"/api/v1/assessments/{assessment_id}").status_code == 404
    assert bob.get("/api/v1/plans/latest").status_code == 404
    assert bob.post("/api/v1/plans", json={"assessment_id": assessment_id}).status_code == 404
    assert f"/assessments/{assessment_id}" not in bob.get("/assessments").text
    assert bob.get(f"/assessments/{assessment_id}").status_code == 404
    # Bob's check-in of the same day is his own; Ann's is unchanged.
    before = ann.get("/api/v1/progress").json()
    mine = checkin(pain_now_0_10=7, worst_24h_0_10=8, warning_signs=no_warning_signs())
    assert bob.post("/api/v1/checkins", json=mine).status_code == 201
    assert ann.get("/api/v1/progress").json() == before
    assert ann.get("/api/v1/plans/latest").status_code == 200


def test_a_clinician_sees_only_linked_runners_and_every_look_is_audited(
    server: tuple[str, Any],
) -> None:
    database_url, app = server
    ann, bob = logged_in(app, "ann"), logged_in(app, "bob")
    cleo, dev = logged_in(app, "cleo"), logged_in(app, "dev")
    assessed_and_planned(ann)
    # Roles keep to their side.
    assert cleo.get("/", follow_redirects=False).headers["location"] == "/clinic"
    assert cleo.get("/api/v1/plans/latest").status_code == 403
    assert ann.get("/clinic").status_code == 403
    # Before the link: nothing.
    ann_id = _account_id(database_url, "ann")
    assert cleo.get(f"/clinic/runners/{ann_id}").status_code == 404
    code = invitation_code(cleo)
    linked = ann.post("/account/sharing", data={"code": code})
    assert linked.status_code == 200
    assert "Cleo" in linked.text
    # A code works once.
    assert bob.post("/account/sharing", data={"code": code}).status_code == 422
    caseload = cleo.get("/clinic").text
    assert 'data-runner="ann"' in caseload
    assert 'data-runner="bob"' not in caseload
    progress = cleo.get(f"/clinic/runners/{ann_id}/progress")
    assert progress.status_code == 200
    assert "Ann: progress" in progress.text
    assert 'href="/checkin"' not in progress.text.split("<main", 1)[1]
    assert dev.get(f"/clinic/runners/{ann_id}/progress").status_code == 404
    record = cleo.get(f"/clinic/runners/{ann_id}").text
    assert "data-outcomes=" in record  # the change since the first assessment, as Ann sees it
    pdf = cleo.get(f"/clinic/runners/{ann_id}/summary.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bundle = cleo.get(f"/clinic/runners/{ann_id}/fhir.json").json()
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert [p["name"][0]["text"] for p in patients] == ["Ann"]
    assert dev.get(f"/clinic/runners/{ann_id}").status_code == 404
    assert dev.get(f"/clinic/runners/{ann_id}/summary.pdf").status_code == 404
    assert dev.get(f"/clinic/runners/{ann_id}/fhir.json").status_code == 404
    bob_id = _account_id(database_url, "bob")
    assert cleo.get(f"/clinic/runners/{bob_id}").status_code == 404
    sharing = ann.get("/account/sharing").text
    assert "Cleo viewed" in sharing
    assert "(summary)" in sharing
    # Unlinking ends it.
    cleo_id = _account_id(database_url, "cleo")
    ann.post(f"/account/sharing/{cleo_id}/unlink")
    assert cleo.get(f"/clinic/runners/{ann_id}").status_code == 404
    assert 'data-runner="ann"' not in cleo.get("/clinic").text


def test_a_clinicians_change_reaches_the_runner_and_a_warning_sign_alerts(
    server: tuple[str, Any],
) -> None:
    database_url, app = server
    ann, cleo = logged_in(app, "ann"), logged_in(app, "cleo")
    _, plan = assessed_and_planned(ann)
    slugs = exercises_of(plan)
    assert slugs
    ann.post("/account/sharing", data={"code": invitation_code(cleo)})
    ann_id = _account_id(database_url, "ann")
    removed = slugs[0]
    response = cleo.post(
        f"/clinic/runners/{ann_id}/changes",
        data={"kind": "remove", "exercise": removed},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    cleo.post(
        f"/clinic/runners/{ann_id}/changes",
        data={"kind": "note", "note": "Keep the walks easy this week."},
    )
    latest = ann.get("/api/v1/plans/latest").json()
    latest = latest.get("plan", latest)
    assert removed not in exercises_of(latest)
    page = ann.get("/plan").text
    assert "from your physiotherapist" in page.lower()
    assert "Keep the walks easy this week." in page
    # Running on hold: Today prescribes no walk-run session and says why.
    cleo.post(f"/clinic/runners/{ann_id}/changes", data={"kind": "hold_running"})
    today = ann.get("/api/v1/today", params={"date": TODAY.isoformat()}).json()
    assert today["session"] is None
    assert "physiotherapist has put running on hold" in ann.get("/today").text
    # A warning sign at check-in alerts the clinician, once.
    signs = {**no_warning_signs(), "neuro.saddle_numbness": True}
    for _ in range(2):
        assert ann.post("/api/v1/checkins", json=checkin(warning_signs=signs)).status_code == 201
    caseload = cleo.get("/clinic").text
    assert caseload.count('data-alert="warning_sign"') == 1
    # The clinician's page keeps the plan folded while care comes first.
    assert 'data-plan="suspended"' in cleo.get(f"/clinic/runners/{ann_id}").text
    assert 'data-need="care now"' in caseload


def _account_id(database_url: str, username: str) -> int:
    storage = open_storage(database_url)
    try:
        with storage.clinic_unit_of_work() as uow:
            found = uow.accounts.by_username(username)
    finally:
        storage.dispose()
    assert found is not None
    return found.id


def test_no_page_or_api_answer_of_anothers_shows_my_record(server: tuple[str, Any]) -> None:
    """Every GET route without a path parameter, page or API, asked by Bob after Ann has
    stored a record with words nobody else uses: none of them appears. (Routes with an
    id are covered by the tests above: another's id is a 404.)"""
    _, app = server
    ann, bob = logged_in(app, "ann"), logged_in(app, "bob")
    assessed_and_planned(ann)
    marker = "Zanzibar trainers"
    assert ann.post("/api/v1/shoes", json={"name": marker}).status_code in (200, 201)
    day = checkin(warning_signs=no_warning_signs())
    assert ann.post("/api/v1/checkins", json=day).status_code == 201
    assert marker in ann.get("/runs").text
    paths = sorted(
        {
            route.path
            for route in _routes(app.routes)
            if "GET" in getattr(route, "methods", set())
            and "{" not in route.path
            and not route.path.startswith(("/static", "/clinic", "/openapi"))
        }
    )
    # The API's paths from its OpenAPI document (its routers carry the /api/v1 prefix).
    api = [p for p, ops in app.openapi()["paths"].items() if "get" in ops and "{" not in p]
    assert len(api) > 5
    assert len(paths) > 15
    for path in [*paths, *api]:
        answer = bob.get(path)
        assert answer.status_code < 500, path
        assert marker not in answer.text, path
        assert "Zanzibar" not in answer.text, path


def _routes(routes: list[Any]) -> list[Any]:
    """The app's routes, with those of included routers (FastAPI wraps them)."""
    found = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        found += _routes(inner.routes) if inner is not None else [route]
    return found


def test_an_emergency_assessment_alerts_the_linked_clinician(server: tuple[str, Any]) -> None:
    _, app = server
    ann, cleo = logged_in(app, "ann"), logged_in(app, "cleo")
    ann.post("/account/sharing", data={"code": invitation_code(cleo)})
    saved = ann.post("/api/v1/assessments?save=true", json=vignette_intake("emergency"))
    assert saved.status_code == 201
    caseload = cleo.get("/clinic").text
    assert caseload.count('data-alert="warning_sign"') == 1
    assert 'data-need="care now"' in caseload
