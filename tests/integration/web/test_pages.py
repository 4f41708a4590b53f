"""The plan, check-in, today, progress and runs pages, without a browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.web.conftest import (
    FIT_RUN,
    TODAY,
    no_warning_signs,
    self_care_intake,
    vignette_intake,
)


def saved_assessment(client: TestClient, intake: dict[str, Any]) -> int:
    response = client.post("/api/v1/assessments?save=true", json=intake)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def build_plan(client: TestClient, assessment_id: int, **fields: Any) -> Any:
    form = {
        "assessment": str(assessment_id),
        "minutes_per_day": "15",
        "days_per_week": "5",
        "equipment": ["mat"],
        "start_date": TODAY.isoformat(),
        **fields,
    }
    return client.post("/plan", data=form, follow_redirects=False)


# -- plan ------------------------------------------------------------------------------------


def test_without_an_assessment_the_plan_page_sends_the_runner_to_assess(client: TestClient) -> None:
    page = client.get("/plan")
    assert 'href="/assess"' in page.text
    assert "<form" not in page.text.split("<main", 1)[1]


def test_the_preferences_build_and_save_a_plan_with_pictures(client: TestClient) -> None:
    assessment_id = saved_assessment(client, self_care_intake())
    form = client.get(f"/plan?assessment={assessment_id}")
    assert 'name="minutes_per_day"' in form.text
    built = build_plan(client, assessment_id)
    assert built.status_code == 303
    location = built.headers["location"]
    assert re.fullmatch(r"/plan/\d+", location)
    page = client.get(location).text
    assert "/illustration.svg?animate=false" in page
    assert "Get help at once if" in page
    assert "Not a diagnosis" in page
    assert 'id="week"' in page
    # Without ?assessment= the plan page is the latest plan.
    assert client.get("/plan", follow_redirects=False).headers["location"] == location


def test_the_downloads_are_a_pdf_a_calendar_and_a_web_page(client: TestClient) -> None:
    build_plan(client, saved_assessment(client, self_care_intake()))
    pdf = client.get("/plan/1.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    ics = client.get("/plan/1.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.startswith("BEGIN:VCALENDAR")
    html = client.get("/plan/1.html")
    assert "attachment" in html.headers["content-disposition"]
    assert "<svg" in html.text
    assert client.get("/plan/2.pdf").status_code == 404


def test_invalid_preferences_are_shown_on_the_form(client: TestClient) -> None:
    assessment_id = saved_assessment(client, self_care_intake())
    page = build_plan(client, assessment_id, minutes_per_day="2", start_date="")
    assert page.status_code == 200
    assert 'role="alert"' in page.text
    assert "Minutes a day" in page.text
    assert "Start date" in page.text
    assert client.get("/api/v1/plans/latest").status_code == 404


# The first "soon" vignette has a red flag to check: the builder gives it no programme either.
@pytest.mark.parametrize("level", ["emergency", "urgent", "soon"])
def test_triage_is_the_gate_no_preferences_form_and_no_plan(client: TestClient, level: str) -> None:
    assessment_id = saved_assessment(client, vignette_intake(level))
    page = client.get(f"/plan?assessment={assessment_id}")
    assert "What to do now" in page.text
    assert 'name="minutes_per_day"' not in page.text
    assert "Get help at once if" in page.text
    # A form sent anyway is refused by the same decision.
    refused = build_plan(client, assessment_id)
    assert refused.status_code == 200
    assert "What to do now" in refused.text
    assert client.get("/api/v1/plans/latest").status_code == 404


# -- check-in and today ------------------------------------------------------------------------


def checkin_form(**fields: Any) -> dict[str, Any]:
    return {"date": TODAY.isoformat(), "pain_now_0_10": "3", "worst_24h_0_10": "4", **fields}


def test_the_first_check_in_asks_the_safety_questions_and_insists(client: TestClient) -> None:
    form = client.get("/checkin").text
    assert "Safety questions" in form
    page = client.post("/checkin", data=checkin_form())
    assert "Check-in saved" not in page.text
    assert "please answer each question" in page.text
    saved = client.post("/checkin", data=checkin_form(**{"warning.none": "yes"}))
    assert "Check-in saved" in saved.text
    stored = client.get("/api/v1/progress").json()
    assert stored["checkins"] == 1


def test_a_yes_beside_none_of_these_still_counts(client: TestClient) -> None:
    fields = {"warning.none": "yes", "warning.neuro.saddle_numbness": "yes"}
    page = client.post("/checkin", data=checkin_form(**fields))
    assert "Check-in saved" in page.text
    assert re.search(r'class="banner emergency[^"]*" role="alert"', page.text)
    assert 'data-care-state="on_hold"' in page.text


def test_the_safety_section_follows_the_pain_given(client: TestClient) -> None:
    day = TODAY.isoformat()
    client.post(
        "/api/v1/checkins",
        json={
            "schema": "backstride.checkin/1",
            "date": "2026-03-03",
            "pain_now_0_10": 2,
            "worst_24h_0_10": 2,
            "warning_signs": no_warning_signs(),
        },
    )
    calm = client.get("/checkin/safety", params={"date": day, "pain_now_0_10": "2"}).text
    assert "Anything new or worrying?" in calm
    risen = client.get("/checkin/safety", params={"date": day, "pain_now_0_10": "5"}).text
    assert "Safety questions" in risen


def test_form_problems_are_named_and_answers_kept(client: TestClient) -> None:
    page = client.post(
        "/checkin",
        data=checkin_form(worst_24h_0_10="", **{"session.kind": "run", "session.distance_km": "5"}),
    )
    assert "Worst back pain in the last 24 hours: please answer this question" in page.text
    assert "Minutes: please answer this question" in page.text
    assert 'value="5" ' in page.text or 'value="5">' in page.text


def test_the_morning_after_a_walk_its_pain_is_asked_and_stored(client: TestClient) -> None:
    yesterday = {
        "schema": "backstride.checkin/1",
        "date": "2026-03-03",
        "pain_now_0_10": 2,
        "worst_24h_0_10": 3,
        "session": {"kind": "walk", "minutes": 30, "pain_during_0_10": 1},
        "warning_signs": no_warning_signs(),
    }
    assert client.post("/api/v1/checkins", json=yesterday).status_code == 201
    form = client.get("/checkin").text
    assert "How is your back this morning, after yesterday" in form
    page = client.post("/checkin", data=checkin_form(morning_pain="1"))
    assert "Added this morning's pain to your check-in of Tue 3 Mar 2026" in page.text
    progress = client.get("/api/v1/progress").json()
    assert progress["checkins"] == 2


def test_today_shows_the_plans_exercises_with_pictures(client: TestClient) -> None:
    build_plan(client, saved_assessment(client, self_care_intake()))
    page = client.get("/today").text
    assert "/illustration.svg?animate=false" in page
    assert "Walk or run" in page
    assert "Not a diagnosis" in page
    card = client.get("/today/card").text
    assert 'href="/checkin"' in card


def test_the_home_card_is_empty_without_a_plan(client: TestClient) -> None:
    assert client.get("/today/card").text == ""
    assert 'hx-get="/today/card"' in client.get("/").text


def test_progress_draws_the_charts_in_the_page(client: TestClient) -> None:
    build_plan(client, saved_assessment(client, self_care_intake()))
    for day, pain in (("2026-03-02", 5), ("2026-03-03", 4), ("2026-03-04", 3)):
        client.post(
            "/api/v1/checkins",
            json={
                "schema": "backstride.checkin/1",
                "date": day,
                "pain_now_0_10": pain,
                "worst_24h_0_10": pain,
                "session": {"kind": "walk", "minutes": 30},
            },
        )
    page = client.get("/progress").text
    assert page.count('<svg class="chart"') >= 2
    assert "Back pain and running" in page
    assert "Show the numbers" in page


# -- runs --------------------------------------------------------------------------------------


def test_an_upload_with_htmx_returns_the_summary_and_the_new_log(client: TestClient) -> None:
    page = client.post(
        "/runs/upload",
        files=[("files", (FIT_RUN.name, FIT_RUN.read_bytes()))],
        headers={"HX-Request": "true"},
    )
    assert "1 imported" in page.text
    assert 'id="run-log"' in page.text
    assert 'hx-swap-oob="true"' in page.text
    assert "14.00" in page.text


def test_an_upload_without_htmx_renders_the_whole_page(client: TestClient) -> None:
    empty = client.post("/runs/upload", files=[("files", ("", b""))])
    assert "Choose at least one file" in empty.text
    assert "<html" in empty.text


def test_shoes_and_runs_by_hand(client: TestClient) -> None:
    added = client.post("/runs/shoes", data={"name": "Blue", "started_km": "790", "default": "yes"})
    assert added.status_code == 200  # followed the redirect
    assert "Shoes added: Blue." in added.text
    run = client.post(
        "/runs/manual",
        data={"date": TODAY.isoformat(), "time": "07:00", "distance_km": "12", "minutes": "65"},
    )
    assert "Run added" in run.text
    assert "worn" in client.get("/runs").text  # 790 + 12 km is past the mark
    bad = client.post(
        "/runs/manual", data={"date": TODAY.isoformat(), "distance_km": "12", "minutes": "5"}
    )
    assert "faster than any runner" in bad.text
    retired = client.post("/runs/shoes/retire", data={"name": "Blue"})
    assert "Retired: Blue." in retired.text


def test_a_mistyped_address_is_a_page_not_json(client: TestClient) -> None:
    bad_date = client.get("/today?date=tomorrow")
    assert bad_date.status_code == 400
    assert "is not a date" in bad_date.text
    assert bad_date.headers["content-type"].startswith("text/html")
    assert client.get("/progress?from=last-week").status_code == 400
    assert client.get("/plan?assessment=first").status_code == 404
    assert client.get("/plan/first").status_code == 404
