"""A runner with a plan checks in from the home page and reads today's advice and progress."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import screenshot, settle
from tests.integration.web.conftest import self_care_intake

pytestmark = pytest.mark.browser


def with_a_plan(page, base: str) -> None:  # type: ignore[no-untyped-def]
    saved = page.request.post(f"{base}/api/v1/assessments?save=true", data=self_care_intake())
    assessment_id = int(saved.headers["location"].rsplit("/", 1)[-1])
    plan = page.request.post(
        f"{base}/api/v1/plans?save=true", data={"assessment_id": assessment_id}
    )
    assert plan.status == 201, plan.text()


def pick(page, group: str | re.Pattern[str], answer: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("group", name=group).get_by_text(answer, exact=True).click()


def test_check_in_then_see_today_and_progress(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    with_a_plan(page, live_server)
    page.goto(live_server + "/")
    settle(page)
    card = page.locator("#today-card")
    expect(card).to_be_visible()
    card.get_by_role("link", name="Check in").click()
    page.wait_for_url(re.compile(r"/checkin$"))

    pick(page, re.compile("^Back pain right now"), "3")
    settle(page)  # htmx re-asks whether the safety questions are due
    assert page.get_by_role("heading", name="Safety questions").is_visible()
    pick(page, re.compile("^Worst back pain in the last 24 hours"), "4")
    pick(page, "What did you do today?", "Walk")
    page.get_by_label("How many minutes").fill("30")
    pick(page, "Highest back pain during it", "2")
    exercises = page.get_by_role("group", name="Which did you do?").locator("label")
    exercises.first.click()
    page.get_by_text("None of these apply to me").click()
    page.get_by_label("Activity 1", exact=True).fill("running")
    page.get_by_label("Score for activity 1, 0 to 10").fill("4")
    screenshot(page, "checkin")
    page.get_by_role("button", name="Save check-in").click()

    expect(page.get_by_role("heading", name="Check-in saved")).to_be_visible()
    assert page.get_by_role("alert").count() == 0  # nothing worrying was reported
    assert page.get_by_role("heading", name="Get help at once if").is_visible()
    screenshot(page, "checkin-saved")

    page.get_by_role("link", name="See today").click()
    page.wait_for_url(re.compile(r"/today"))
    assert page.get_by_role("heading", name="Today", exact=True).is_visible()
    assert page.get_by_role("heading", name="Walk or run").is_visible()
    expect(page.locator(".exercise-row.done")).to_have_count(1)
    assert page.get_by_role("heading", name="Not a diagnosis").is_visible()
    screenshot(page, "today")

    page.goto(live_server + "/progress")
    expect(page.get_by_role("img", name="Back pain and weekly running")).to_be_visible()
    screenshot(page, "progress")


def test_a_warning_sign_at_check_in_is_an_emergency_banner(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/checkin")
    pick(page, re.compile("^Back pain right now"), "6")
    settle(page)
    pick(page, re.compile("^Worst back pain in the last 24 hours"), "7")
    pick(page, re.compile("between your legs"), "Yes")
    page.get_by_text("None of these apply to me").click()
    page.get_by_role("button", name="Save check-in").click()
    banner = page.get_by_role("alert").first
    expect(banner).to_contain_text("Emergency")
    screenshot(page, "checkin-emergency")
