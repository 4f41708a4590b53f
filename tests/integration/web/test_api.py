"""The JSON API: the same documents as the command line, 422 with field paths, a full OpenAPI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from backstride.domain.plan.model import Plan
from tests.conftest import run_cli
from tests.integration.web.conftest import (
    FIT_RUN,
    TODAY,
    detail_paths,
    no_warning_signs,
    self_care_intake,
    vignette_intake,
)


def checkin(day: str = TODAY.isoformat(), **fields: Any) -> dict[str, Any]:
    return {
        "schema": "backstride.checkin/1",
        "date": day,
        "pain_now_0_10": 3,
        "worst_24h_0_10": 4,
        **fields,
    }


# -- assessments ---------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["self_care", "soon", "emergency"])
def test_an_assessment_through_the_api_is_the_clis_document(
    client: TestClient, tmp_path: Path, level: str
) -> None:
    intake = self_care_intake() if level == "self_care" else vignette_intake(level)
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake))
    cli = run_cli("assess", "--input", str(path), "--format", "json")
    assert cli.returncode == 0, cli.stderr
    response = client.post("/api/v1/assessments", json=intake)
    assert response.status_code == 200
    assert response.json() == json.loads(cli.stdout)
    assert response.json()["triage"]["level"] == level


def test_an_invalid_intake_names_every_field_that_is_wrong(client: TestClient) -> None:
    intake = self_care_intake()
    intake["person"]["age"] = 7
    intake["pain"]["regions"] = ["elbow"]
    paths = detail_paths(client.post("/api/v1/assessments", json=intake))
    assert {"person.age", "pain.regions[0]"} <= paths


# -- plans ---------------------------------------------------------------------------------


def test_a_plan_from_an_intake_is_the_clis_plan_document(
    client: TestClient, tmp_path: Path
) -> None:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(self_care_intake()))
    cli = run_cli(
        "plan", "--input", str(path), "--start", "2026-03-02", "--minutes", "20", "--format", "json"
    )
    assert cli.returncode == 0, cli.stderr
    body = {
        "intake": self_care_intake(),
        "preferences": {"start_date": "2026-03-02", "minutes_per_day": 20},
    }
    response = client.post("/api/v1/plans", json=body)
    assert response.status_code == 200
    assert response.json() == json.loads(cli.stdout)
    Plan.model_validate(response.json())


def test_a_plan_from_a_saved_assessment_is_stored_and_read_back(client: TestClient) -> None:
    saved = client.post("/api/v1/assessments?save=true", json=self_care_intake())
    assessment_id = int(saved.headers["Location"].rsplit("/", 1)[-1])
    created = client.post("/api/v1/plans?save=true", json={"assessment_id": assessment_id})
    assert created.status_code == 201
    location = created.headers["Location"]
    plan = created.json()
    assert plan["preferences"]["start_date"] == TODAY.isoformat()  # the default start: today
    assert plan["phases"]
    stored = client.get(location).json()
    assert stored["assessment_id"] == assessment_id
    assert stored["plan"] == plan
    assert client.get("/api/v1/plans/latest").json() == stored


def test_without_save_nothing_is_stored(client: TestClient) -> None:
    assert client.post("/api/v1/plans", json={"intake": self_care_intake()}).status_code == 200
    assert client.get("/api/v1/plans/latest").status_code == 404


@pytest.mark.parametrize("level", ["emergency", "urgent"])
def test_triage_is_the_gate_an_urgent_intake_gets_no_exercise_plan(
    client: TestClient, level: str
) -> None:
    plan = client.post("/api/v1/plans", json={"intake": vignette_intake(level)}).json()
    assert plan["triage_level"] == level
    assert plan["phases"] == []
    assert plan["days"] == []
    assert plan["do_now"]


def test_an_invalid_plan_request_names_the_fields(client: TestClient) -> None:
    intake = self_care_intake()
    intake["pain"]["worst_0_10"] = 12
    body = {"intake": intake, "preferences": {"minutes_per_day": 3, "equipment": ["rowing"]}}
    paths = detail_paths(client.post("/api/v1/plans", json=body))
    assert paths == {
        "intake.pain.worst_0_10",
        "preferences.minutes_per_day",
        "preferences.equipment[0]",
    }


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({}, "$"),
        ({"assessment_id": 1, "intake": {}}, "$"),
        ({"assessment_id": "one"}, "assessment_id"),
        ({"intake": {"schema": "backstride.intake/1"}, "colour": "red"}, "colour"),
    ],
)
def test_a_plan_needs_exactly_one_source(client: TestClient, body: Any, path: str) -> None:
    assert path in detail_paths(client.post("/api/v1/plans", json=body))


def test_a_body_that_is_not_json_is_one_problem(client: TestClient) -> None:
    response = client.post(
        "/api/v1/plans", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert detail_paths(response) == {"$"}


def test_missing_plans_and_assessments_are_404(client: TestClient) -> None:
    assert client.get("/api/v1/plans/9").status_code == 404
    assert client.post("/api/v1/plans", json={"assessment_id": 9}).status_code == 404


# -- check-ins, today, progress ----------------------------------------------------------------


def test_a_check_in_through_the_api_is_the_clis_result(client: TestClient, tmp_path: Path) -> None:
    document = checkin(
        session={"kind": "walk", "minutes": 30, "pain_during_0_10": 2},
        warning_signs=no_warning_signs(),
    )
    path = tmp_path / "checkin.json"
    path.write_text(json.dumps(document))
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    cli = run_cli("checkin", "--input", str(path), "--format", "json", "--db", db)
    assert cli.returncode == 0, cli.stderr
    response = client.post("/api/v1/checkins", json=document)
    assert response.status_code == 201
    assert response.json() == json.loads(cli.stdout)


def test_a_warning_sign_in_a_check_in_escalates(client: TestClient) -> None:
    signs = {**no_warning_signs(), "neuro.saddle_numbness": True}
    result = client.post("/api/v1/checkins", json=checkin(warning_signs=signs)).json()
    assert result["retriage"]["level"] == "emergency"
    today = client.get("/api/v1/today", params={"date": TODAY.isoformat()}).json()
    assert today["retriage"]["level"] == "emergency"
    assert today["exercises"] == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"pain_now_0_10": 11}, "pain_now_0_10"),
        ({"worst_24h_0_10": 1}, "$"),
        ({"session": {"kind": "run"}}, "session.minutes"),
        ({"warning_signs": {"neuro.headache": True}}, "warning_signs.neuro.headache"),
        ({"pain_now_0_10": None}, "pain_now_0_10"),
    ],
)
def test_an_invalid_check_in_names_the_field(
    client: TestClient, change: dict[str, Any], path: str
) -> None:
    paths = detail_paths(client.post("/api/v1/checkins", json={**checkin(), **change}))
    assert any(p == path or p.startswith(path) for p in paths), paths


def test_today_and_progress_are_the_services_documents(client: TestClient) -> None:
    client.post("/api/v1/checkins", json=checkin())
    today = client.get("/api/v1/today", params={"date": TODAY.isoformat()})
    assert today.json()["schema"] == "backstride.today/1"
    assert today.json()["day"] == TODAY.isoformat()
    progress = client.get("/api/v1/progress")
    assert progress.json()["schema"] == "backstride.progress/1"
    assert progress.json()["checkins"] == 1


def test_bad_dates_are_422_with_the_parameter_name(client: TestClient) -> None:
    assert "date" in detail_paths(client.get("/api/v1/today", params={"date": "4 March"}))
    backwards = client.get("/api/v1/progress", params={"date": "2026-03-01", "from": "2026-03-04"})
    assert detail_paths(backwards) == {"from"}


# -- activities and shoes ------------------------------------------------------------------------


def test_uploading_a_fit_file_imports_it_once(client: TestClient) -> None:
    data = FIT_RUN.read_bytes()
    first = client.post("/api/v1/activities", files=[("files", (FIT_RUN.name, data))])
    assert first.status_code == 201
    assert first.json()["imported"] == 1
    again = client.post(
        "/api/v1/activities",
        files=[("files", (FIT_RUN.name, data)), ("files", ("notes.txt", b"not a run"))],
    )
    summary = again.json()
    assert summary["imported"] == 0
    assert summary["duplicates"] == 1
    assert summary["skipped"] == 1
    assert summary["skipped_files"][0]["name"] == "notes.txt"
    activities = client.get("/api/v1/activities").json()["activities"]
    assert len(activities) == 1
    assert activities[0]["distance_m"] == pytest.approx(14000, rel=0.01)


def test_an_upload_without_files_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/activities", files={"note": (None, "x")})
    assert detail_paths(response) == {"files"}


def test_shoes_are_added_listed_and_checked(client: TestClient) -> None:
    added = client.post("/api/v1/shoes", json={"name": "Blue", "started_km": 850, "default": True})
    assert added.status_code == 201
    assert added.json()["worn"] is True
    assert [s["name"] for s in client.get("/api/v1/shoes").json()] == ["Blue"]
    assert client.post("/api/v1/shoes", json={"name": "Blue"}).status_code == 409
    assert detail_paths(client.post("/api/v1/shoes", json={"name": "  "})) == {"name"}
    assert detail_paths(client.post("/api/v1/shoes", json={"name": "X", "started_km": -1})) == {
        "started_km"
    }


# -- the OpenAPI document ----------------------------------------------------------------------


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_the_openapi_document_lists_every_api_route(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    listed = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    routes = {
        (route.path_format, method)
        for route in client.app.routes  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and route.path.startswith("/api/")
        for method in route.methods or ()
    }
    assert routes <= listed
    for expected in [
        ("/api/v1/plans", "POST"),
        ("/api/v1/plans/latest", "GET"),
        ("/api/v1/plans/{plan_id}", "GET"),
        ("/api/v1/checkins", "POST"),
        ("/api/v1/today", "GET"),
        ("/api/v1/progress", "GET"),
        ("/api/v1/activities", "POST"),
        ("/api/v1/activities", "GET"),
        ("/api/v1/shoes", "GET"),
        ("/api/v1/shoes", "POST"),
    ]:
        assert expected in listed
    # Pages are not part of the API.
    assert not any(path.startswith("/plan/") or path == "/checkin" for path, _ in listed)


def test_every_schema_reference_in_the_openapi_document_resolves(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    missing = {ref for ref in _refs(document) if ref.rsplit("/", 1)[-1] not in schemas}
    assert missing == set()
    body = document["paths"]["/api/v1/checkins"]["post"]["requestBody"]
    assert "pain_now_0_10" in body["content"]["application/json"]["schema"]["properties"]
