"""The plan, short (issue 13, item 3): at 360 px the plan page is at most 8 screens.

This week first, the phases folded, each exercise once (folded to its thumbnail
and dose); the day grid shows run days and rest days, never a run every day.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import screenshot
from tests.functional.test_checkin_journey import with_a_plan
from tests.functional.test_today_session import phone  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

SCREEN_PX = 640
MAX_SCREENS = 8


def test_the_plan_page_is_at_most_eight_screens_on_a_phone(phone, live_server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = phone
    with_a_plan(page, live_server)
    page.goto(live_server + "/plan")
    page.wait_for_url(re.compile(r"/plan/\d+$"))
    height = page.evaluate("() => document.documentElement.scrollHeight")
    screenshot(page, "plan-short")
    assert height / SCREEN_PX <= MAX_SCREENS, f"{height} px is {height / SCREEN_PX:.1f} screens"

    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("This week") < headings.index("The phases")
    assert page.locator("details.phase[open]").count() == 0, "the phases are folded"
    cards = page.locator("details.exercise-card")
    slugs = [cards.nth(i).get_attribute("id") for i in range(cards.count())]
    assert len(slugs) == len(set(slugs)), "each exercise once"
    runs = page.locator("#week .day-run").all_inner_texts()
    assert "Rest day from running" in runs
    assert sum(r != "Rest day from running" for r in runs) <= 4
    expect(page.get_by_role("link", name="Do today's session")).to_be_visible()
