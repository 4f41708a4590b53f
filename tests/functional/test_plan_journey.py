"""From a saved assessment's result to a plan with pictures, and its downloads."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.functional.conftest import screenshot, settle
from tests.integration.web.conftest import self_care_intake, vignette_intake

pytestmark = pytest.mark.browser


def saved_assessment(page, base: str, intake: dict[str, Any]) -> int:  # type: ignore[no-untyped-def]
    response = page.request.post(f"{base}/api/v1/assessments?save=true", data=intake)
    assert response.status == 201, response.text()
    return int(response.headers["location"].rsplit("/", 1)[-1])


def test_from_the_result_to_a_plan_with_pictures_and_downloads(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    assessment_id = saved_assessment(page, live_server, self_care_intake())
    page.goto(f"{live_server}/assessments/{assessment_id}")
    page.get_by_role("link", name="Build my plan").click()
    page.wait_for_url(re.compile(r"/plan\?assessment=\d+$"))
    assert page.get_by_role("heading", name="Build your plan").is_visible()
    page.get_by_label("Minutes a day for exercises").fill("20")
    page.get_by_role("group", name="Days a week").get_by_text("4", exact=True).click()
    page.get_by_role("group", name="Equipment you have").get_by_text("resistance band").click()
    screenshot(page, "plan-preferences")
    page.get_by_role("button", name="Build my plan").click()
    page.wait_for_url(re.compile(r"/plan/\d+$"))
    settle(page)

    assert page.get_by_role("heading", name="Your plan").is_visible()
    assert "20 minutes a day, 4 days a week" in page.locator(".page-head").inner_text()
    pictures = page.locator("#exercises img")
    assert pictures.count() >= 1
    assert pictures.first.get_attribute("alt")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#exercises img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    assert page.get_by_role("heading", name="This week").is_visible()
    assert page.get_by_role("heading", name="Get help at once if").is_visible()
    assert page.get_by_role("heading", name="Not a diagnosis").is_visible()
    screenshot(page, "plan")

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    calendar = page.get_by_role("link", name="Add to calendar").get_attribute("href")
    response = page.request.get(f"{live_server}{calendar}")
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.text().startswith("BEGIN:VCALENDAR")


def test_an_emergency_gets_what_to_do_now_and_no_plan(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    assessment_id = saved_assessment(page, live_server, vignette_intake("emergency"))
    page.goto(f"{live_server}/plan?assessment={assessment_id}")
    assert page.get_by_role("heading", name="What to do now").is_visible()
    assert "emergency" in page.get_by_role("status").first.inner_text().lower()
    assert page.get_by_label("Minutes a day for exercises").count() == 0
    assert page.get_by_role("heading", name="Get help at once if").is_visible()
    screenshot(page, "plan-emergency")
