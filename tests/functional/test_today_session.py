"""Today's guided session on a 360 px phone and at 1280 px (issue 13), and Today offline.

The day's check-in is sent through the API (its own journey is in
test_checkin_journey.py); the session is then done with taps only: a timer, "Done"
on each exercise and "Skip: it hurt" on the last, one exercise on the screen at a
time. Then the phone goes offline and Today still shows from the service worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from backstride.domain.recovery.checkin import CHECKIN_SCHEMA_ID
from backstride.services.clock import SystemClock
from tests.functional.conftest import screenshot
from tests.functional.test_checkin_journey import with_a_plan
from tests.integration.web.conftest import no_warning_signs

pytestmark = pytest.mark.browser


PHONE_MAX_WIDTH = 720  # below it the context has touch and the page its tab bar


# A phone held in one hand, and a desktop browser (issue 13 item 8: 360 and 1280 px).
@pytest.fixture(params=[(360, 640), (1280, 800)], ids=["phone360", "desktop1280"])
def phone(browser, request) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    width, height = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=width < PHONE_MAX_WIDTH
    )
    opened = context.new_page()
    opened.screen_name = request.node.callspec.id
    yield opened
    context.close()


def press(target: Any) -> None:
    """A thumb's tap on a phone (the touch context), a click on the desktop."""
    if target.page.viewport_size["width"] < PHONE_MAX_WIDTH:
        target.tap()
    else:
        target.click()


def _check_in(page: Any, base: str) -> str:
    day = SystemClock().today().isoformat()
    document = {
        "schema": CHECKIN_SCHEMA_ID,
        "date": day,
        "pain_now_0_10": 2,
        "worst_24h_0_10": 3,
        "warning_signs": no_warning_signs(),
    }
    saved = page.request.post(f"{base}/api/v1/checkins", data=document)
    assert saved.status == 201, saved.text()
    return day


def test_the_guided_session_start_to_finish_then_today_offline(phone, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page = phone
    with_a_plan(page, live_server)
    day = _check_in(page, live_server)
    page.goto(live_server + "/today")
    steps = page.locator("[data-step]")
    total = steps.count()
    assert total >= 2, "a session day with exercises"
    expect(page.locator("[data-step]:visible")).to_have_count(1)
    screenshot(page, "today-session")

    for number in range(1, total + 1):
        current = page.locator("[data-step]:visible")
        expect(current).to_have_count(1)
        expect(current.locator(".step-count")).to_have_text(f"{number} of {total}")
        expect(current.locator("img.figure-img")).to_be_visible()
        hold = current.locator("[data-timer-hold]")
        if hold.count():
            press(hold)
            expect(current.locator("[data-timer-face]")).to_contain_text("Hold:")
        else:
            press(current.locator("[data-timer-rest]"))
            expect(current.locator("[data-timer-face]")).to_contain_text("Rest:")
        if number == total:
            press(current.get_by_role("button", name="It hurt"))
        else:
            press(current.get_by_role("button", name="Done", exact=True))
        page.wait_for_url(f"{live_server}/today?date={day}#session")
        expect(page.locator("[data-session-progress]")).to_have_text(f"{number} of {total} done")

    expect(page.locator("[data-session-finished]")).to_be_visible()
    expect(page.locator("[data-step]:visible")).to_have_count(0)
    assert page.get_by_role("heading", name="Walk or run").is_visible()
    screenshot(page, "today-session-finished")

    # Recorded in the day's check-in, which Today reads back.
    expect(page.locator("[data-step].done")).to_have_count(total - 1)
    expect(page.locator("[data-step].skipped")).to_have_count(1)
    expect(page.locator("[data-step].skipped")).to_contain_text("skipped: it hurt")

    # Offline: the service worker keeps Today.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the worker's control, which keeps a copy
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.locator("[data-session-finished]")).to_be_visible()
    page.context.set_offline(False)


def test_the_app_is_installable(phone, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page = phone
    page.goto(live_server + "/today")
    manifest = page.request.get(live_server + "/static/manifest.webmanifest").json()
    assert manifest["start_url"] == "/today"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert page.request.get(live_server + icon["src"]).ok
    worker = page.request.get(live_server + "/sw.js")
    assert worker.ok
    assert "javascript" in worker.headers["content-type"]
    assert page.locator('link[rel="manifest"]').count() == 1
