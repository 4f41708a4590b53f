"""Issue 10 at phone width (360 px): while care is needed now or on hold, home, plan and
today lead with the instruction in its level's colour, and show no exercise, no run
and no walk-run stage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.care_support import emergency_intake, self_care_intake
from tests.functional.conftest import screenshot, settle

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}


@pytest.fixture
def phone(browser) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    opened = context.new_page()
    opened.screen_name = "360"
    yield opened
    context.close()


def post(page, url: str, data: dict[str, Any]) -> Any:  # type: ignore[no-untyped-def]
    response = page.request.post(url, data=data)
    assert response.ok, response.text()
    return response


def self_care_plan(page, base: str) -> None:  # type: ignore[no-untyped-def]
    saved = post(page, f"{base}/api/v1/assessments?save=true", self_care_intake())
    assessment_id = int(saved.headers["location"].rsplit("/", 1)[-1])
    post(page, f"{base}/api/v1/plans?save=true", {"assessment_id": assessment_id})


def leads_with_the_instruction(page, level: str) -> None:  # type: ignore[no-untyped-def]
    """The care banner is the first thing in the page, in the level's colour, on screen."""
    settle(page)
    first = page.locator("main > *").first
    expect(first).to_have_id("care")
    expect(first).to_have_class(re.compile(rf"\bbanner\b.*\b{level}\b"))
    box = first.bounding_box()
    assert box is not None
    assert box["y"] < PHONE["height"] / 2
    colour = first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    # No exercise, no run, no walk-run stage anywhere on the page; nothing wider than 360 px.
    assert page.locator(".exercise-row, .exercise-card, .session-run").count() == 0
    text = page.locator("main").inner_text().lower()
    assert "walk-run stage" not in text.replace("no walk-run stage", "")
    assert "brisk walk" not in text
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_an_emergency_assessment_holds_home_plan_and_today(phone, live_server: str) -> None:  # type: ignore[no-untyped-def]
    self_care_plan(phone, live_server)
    phone.goto(live_server + "/today")
    settle(phone)
    assert phone.locator(".exercise-row").count() >= 1  # the plan was running
    post(phone, f"{live_server}/api/v1/assessments?save=true", emergency_intake())

    phone.goto(live_server + "/")
    leads_with_the_instruction(phone, "emergency")
    expect(phone.locator("#today-card")).to_contain_text("No running and no exercises")
    screenshot(phone, "care-now-home")

    phone.goto(live_server + "/plan")
    phone.wait_for_url(re.compile(r"/plan/\d+$"))
    leads_with_the_instruction(phone, "emergency")
    expect(phone.get_by_role("heading", name="Your plan is suspended")).to_be_visible()
    screenshot(phone, "care-now-plan")
    calendar = phone.get_by_role("link", name="Add to calendar").get_attribute("href")
    ics = phone.request.get(f"{live_server}{calendar}").text()
    assert ics.count("BEGIN:VEVENT") == 1
    assert "suspended" in ics

    phone.goto(live_server + "/today")
    leads_with_the_instruction(phone, "emergency")
    screenshot(phone, "care-now-today")


def test_a_warning_sign_in_a_check_in_holds_until_seen(phone, live_server: str) -> None:  # type: ignore[no-untyped-def]
    self_care_plan(phone, live_server)
    phone.goto(live_server + "/checkin")
    phone.get_by_role("group", name=re.compile("^Back pain right now")).get_by_text(
        "3", exact=True
    ).click()
    settle(phone)
    phone.get_by_role("group", name=re.compile("^Worst back pain in the last 24")).get_by_text(
        "3", exact=True
    ).click()
    phone.get_by_text("None of these apply to me").click()
    phone.get_by_role("group", name=re.compile("between your legs")).get_by_text(
        "Not sure", exact=True
    ).click()
    phone.get_by_role("button", name="Save check-in").click()
    phone.wait_for_url(re.compile(r"/checkin/saved\?date="))
    leads_with_the_instruction(phone, "emergency")
    expect(phone.locator("#care")).to_contain_text("On hold")
    # Redirect after post: a reload reads the saved day again and sends nothing twice.
    phone.reload()
    leads_with_the_instruction(phone, "emergency")

    for path in ("/", "/plan", "/today"):
        phone.goto(live_server + path)
        leads_with_the_instruction(phone, "emergency")
        expect(phone.locator("#care")).to_contain_text("On hold")
    screenshot(phone, "on-hold-today")
