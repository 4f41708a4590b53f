"""Bad input always gets a clear answer: 422 with paths, never a 500 (review D4, D5, D8)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.web.conftest import self_care_intake

CHECKIN = {"schema": "backstride.checkin/1", "date": "2026-03-02", "pain_now_0_10": 3,
           "worst_24h_0_10": 4}  # fmt: skip
JSON = {"Content-Type": "application/json"}
POSTS = ["/api/v1/assessments", "/api/v1/checkins", "/api/v1/plans", "/api/v1/shoes"]


def problems(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    found: list[dict[str, Any]] = response.json()["detail"]
    for item in found:
        assert set(item) == {"loc", "path", "msg", "type"}
    return found


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("depth", [500, 100_000])
def test_deep_nesting_is_422(client: TestClient, path: str, depth: int) -> None:
    body = "[" * depth + "]" * depth
    [problem] = problems(client.post(path, content=body, headers=JSON))
    assert problem["path"] == "$"
    assert "nested more than" in problem["msg"] or "must be a JSON object" in problem["msg"]


def test_deep_nesting_inside_a_field_is_422_at_its_path(client: TestClient) -> None:
    intake = self_care_intake()
    deep: Any = {}
    for _ in range(950):
        deep = {"a": deep}
    intake["extra"] = deep
    body = json.dumps(intake)
    [problem] = problems(client.post("/api/v1/assessments", content=body, headers=JSON))
    assert problem["path"].startswith("extra.a.a")
    assert "nested more than" in problem["msg"]


@pytest.mark.parametrize("path", POSTS)
def test_an_integer_of_4301_digits_is_422(client: TestClient, path: str) -> None:
    body = '{"schema": "x", "age": 1' + "0" * 4300 + "}"
    [problem] = problems(client.post(path, content=body, headers=JSON))
    assert "digits" in problem["msg"]


def test_a_json_syntax_error_is_at_the_whole_document(client: TestClient) -> None:
    [problem] = problems(client.post("/api/v1/checkins", content=b"{nope", headers=JSON))
    assert problem["loc"] == ["body"]
    assert problem["path"] == "$"
    assert "line 1 column 2" in problem["msg"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"])
def test_a_checkin_out_of_the_date_range_is_422(client: TestClient, day: str) -> None:
    [problem] = problems(client.post("/api/v1/checkins", json={**CHECKIN, "date": day}))
    assert problem["path"] == "date"
    assert "between 1900-01-01 and 2999-12-31" in problem["msg"]


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("/api/v1/progress?date=9999-12-31", "date"),
        ("/api/v1/progress?date=0001-01-01", "date"),
        ("/api/v1/progress?from=0001-01-01", "from"),
        ("/api/v1/today?date=9999-12-31", "date"),
        ("/api/v1/today?date=0001-01-01", "date"),
    ],
)
def test_query_dates_out_of_range_are_422(client: TestClient, query: str, where: str) -> None:
    [problem] = problems(client.get(query))
    assert problem["loc"] == ["query", where]


def test_a_progress_range_over_five_years_is_422_at_once(client: TestClient) -> None:
    response = client.get("/api/v1/progress?from=1900-09-08&date=2999-03-06")
    [problem] = problems(response)
    assert problem["loc"] == ["query", "from"]
    assert "at most 1830 days" in problem["msg"]
    assert response.elapsed.total_seconds() < 5


def test_the_progress_page_refuses_a_date_out_of_range(client: TestClient) -> None:
    page = client.get("/progress?date=9999-12-31")
    assert page.status_code == 400
    assert "between 1900-01-01 and 2999-12-31" in page.text


def test_a_query_parameter_problem_is_located_in_the_query(client: TestClient) -> None:
    [problem] = problems(client.get("/api/v1/activities?limit=0"))
    assert problem["loc"] == ["query", "limit"]
    assert problem["path"] == "limit"


def test_problems_are_capped_with_a_count_of_the_rest(client: TestClient) -> None:
    body = {**CHECKIN, **{f"unknown_{i}": 1 for i in range(200)}}
    found = problems(client.post("/api/v1/checkins", json=body))
    assert len(found) == 51
    assert found[-1]["msg"] == "… and 150 more"


def test_an_empty_multipart_upload_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/activities",
        content=b"",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 422
