"""Issue 10 in the JSON API: a `care` object on the today, plan and progress documents."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from backstride.web.care_schema import CareDocument
from tests.care_support import emergency_intake, self_care_intake


def saved(client: TestClient, intake: dict[str, Any]) -> int:
    response = client.post("/api/v1/assessments?save=true", json=intake)
    assert response.status_code == 201, response.text
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def documents(client: TestClient) -> dict[str, Any]:
    found = {
        "today": client.get("/api/v1/today").json(),
        "progress": client.get("/api/v1/progress").json(),
    }
    latest = client.get("/api/v1/plans/latest")
    if latest.status_code == 200:
        found["plan"] = latest.json()
    for document in found.values():
        CareDocument.model_validate(document["care"])  # the OpenAPI description holds
    return found


def test_before_an_assessment_today_leads_to_it(client: TestClient) -> None:
    found = documents(client)
    assert found["today"]["care"]["state"] == "no_assessment"
    assert found["today"]["care"]["next_step"] == "assess"
    assert found["today"]["exercises"] == []
    assert found["today"]["session"] is None


def test_an_emergency_suspends_the_plan_in_every_document(client: TestClient) -> None:
    assessment_id = saved(client, self_care_intake())
    built = client.post("/api/v1/plans?save=true", json={"assessment_id": assessment_id})
    assert built.status_code == 201, built.text
    before = documents(client)
    assert before["plan"]["care"]["state"] == "plan_active"
    assert before["plan"]["plan"]["phases"]

    saved(client, emergency_intake())
    after = documents(client)
    for name, document in after.items():
        care = document["care"]
        assert care["state"] == "care_now", name
        assert care["suspended"] is True
        assert care["instruction"]["level"] == "emergency"
        assert not care["exercises_allowed"]
        assert not care["running_allowed"]
    assert after["today"]["exercises"] == []
    assert after["today"]["session"] is None
    assert after["today"]["stage"] is None
    assert after["progress"]["current_stage"] is None
    plan = after["plan"]["plan"]
    assert plan["phases"] == []
    assert plan["days"] == []
    assert plan["running"]["advice"] == "stop"
    assert "suspended" in plan["headline"]
    same = client.get(f"/api/v1/plans/{after['plan']['id']}").json()
    assert same["plan"] == plan


def test_the_openapi_document_describes_the_care_object(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/today", "/api/v1/progress", "/api/v1/plans/latest"):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["required"] == ["care"]
        care = schema["properties"]["care"]
        assert "on_hold" in care["properties"]["state"]["enum"]
        assert "suspended" in care["required"]
