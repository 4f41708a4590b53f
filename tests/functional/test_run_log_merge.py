"""One run log, on a 360 px phone and at 1280 px: a run checked in, then the watch file of the same
run uploaded, is one run in the log (issue 13 item 4)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import screenshot, settle
from tests.integration.web.conftest import FIT_RUN

pytestmark = pytest.mark.browser

RUN_DAY = "2019-06-15"  # the day of the FIT file's 14 km run


# A phone and a desktop browser (issue 13 item 8: 360 and 1280 px).
@pytest.fixture(params=[(360, 740), (1280, 800)], ids=["360", "1280"])
def phone(browser, request) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    opened = context.new_page()
    opened.screen_name = request.node.callspec.id
    yield opened
    context.close()


def pick(page, group: str | re.Pattern[str], answer: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("group", name=group).get_by_text(answer, exact=True).click()


def test_a_checked_in_run_and_its_watch_file_are_one_run(phone, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page = phone
    page.goto(f"{live_server}/checkin?date={RUN_DAY}")
    pick(page, re.compile("^Back pain right now"), "2")
    settle(page)
    pick(page, re.compile("^Worst back pain in the last 24 hours"), "3")
    pick(page, "What did you do today?", "Run")
    page.get_by_label("How many minutes").fill("80")
    page.get_by_label("How many km (optional)").fill("14")
    none_of_these = page.get_by_text("None of these apply to me")
    if none_of_these.count():
        none_of_these.click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", name="Check-in saved")).to_be_visible()

    page.goto(live_server + "/runs")
    rows = page.locator("#run-log tbody tr")
    expect(rows).to_have_count(1)
    assert "14" in rows.first.inner_text()

    page.get_by_label("Files from your watch or app").set_input_files(str(FIT_RUN))
    page.get_by_role("button", name="Upload").click()
    settle(page)
    result = page.locator("#upload-result")
    expect(result).to_contain_text("0 imported · 1 improved")
    page.goto(live_server + "/runs")
    expect(rows).to_have_count(1)  # one run: the watch file's, in the check-in's place
    assert "14.00" in rows.first.inner_text()
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    screenshot(page, "run-log-merge")
