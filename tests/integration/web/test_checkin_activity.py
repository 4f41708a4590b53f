"""POST /api/v1/checkins refuses a session.activity_id the run log does not hold (422)."""

from __future__ import annotations

from fastapi.testclient import TestClient

CHECKIN = {"schema": "backstride.checkin/1", "date": "2026-03-02", "pain_now_0_10": 3,
           "worst_24h_0_10": 4}  # fmt: skip


def test_an_activity_not_in_the_log_is_422_at_its_path(client: TestClient) -> None:
    session = {"kind": "run", "minutes": 30, "activity_id": "4242"}
    response = client.post("/api/v1/checkins", json={**CHECKIN, "session": session})
    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert problem["path"] == "session.activity_id"
    assert "4242" in problem["msg"]
    assert client.get("/api/v1/activities").json()["activities"] == []


def test_a_checkin_run_is_in_the_log_and_linked(client: TestClient) -> None:
    session = {"kind": "run", "minutes": 30, "distance_km": 5}
    response = client.post("/api/v1/checkins", json={**CHECKIN, "session": session})
    assert response.status_code == 201, response.text
    linked = response.json()["checkin"]["session"]["activity_id"]
    [activity] = client.get("/api/v1/activities").json()["activities"]
    assert str(activity["id"]) == linked
    assert activity["source"] == "checkin"
    assert activity["distance_m"] == 5000


def test_the_runs_page_says_the_run_came_from_a_check_in(client: TestClient) -> None:
    session = {"kind": "walk_run", "minutes": 25}
    client.post("/api/v1/checkins", json={**CHECKIN, "session": session})
    page = client.get("/runs")
    assert ">check-in</abbr>" in page.text
