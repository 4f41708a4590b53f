"""Finding the way on a phone (issue 13, item 7), in a real browser.

At 360 px the pages are a tab bar at the bottom (Today, Plan, Check in, Progress,
More), each tab at least 44 x 44 CSS px, the current one marked with aria-current,
"More" reaching runs, exercises, learn and assess; at 1280 px the tab bar is hidden
and the top navigation is one line. No page scrolls sideways at 360 px.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import screenshot, settle
from tests.functional.test_every_page_axe import every_page
from tests.integration.web.conftest import FIT_RUN

pytestmark = pytest.mark.browser

MIN_TARGET = 44.0
TABS = ["Today", "Plan", "Check in", "Progress", "More"]
MORE = ["Home", "Runs", "Exercises", "Learn", "Assess"]


@pytest.fixture
def phone(browser) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    opened = context.new_page()
    opened.screen_name = "360"
    yield opened
    context.close()


@pytest.fixture
def desktop(browser) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.screen_name = "1280"
    yield opened
    context.close()


def tab_bar(page: Any) -> Any:
    return page.locator("nav.tabbar")


def box(locator: Any) -> dict[str, float]:
    found: dict[str, float] | None = locator.bounding_box()
    assert found is not None
    return found


def test_the_tab_bar_is_at_the_bottom_of_a_phone_with_targets_for_a_thumb(
    phone: Any, live_server: str
) -> None:
    phone.goto(live_server + "/today")
    settle(phone)
    bar = tab_bar(phone)
    expect(bar).to_be_visible()
    expect(phone.locator("header.site nav")).to_be_hidden()
    labels = [t.strip() for t in bar.locator(".tab > span:not(.sr-only)").all_inner_texts()]
    assert labels == TABS
    # Fixed to the bottom of the screen, in one row.
    bar_box = box(bar)
    assert abs(bar_box["y"] + bar_box["height"] - 740) <= 1
    tabs = bar.locator(".tab")
    assert tabs.count() == 5
    for i in range(5):
        tab = box(tabs.nth(i))
        assert tab["width"] >= MIN_TARGET, (TABS[i], tab)
        assert tab["height"] >= MIN_TARGET, (TABS[i], tab)
        assert abs(tab["y"] - box(tabs.first)["y"]) <= 1
    # The current page is marked, and only that one.
    current = bar.locator("[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("Today")
    # Nothing on the page hides behind the bar: the footer's end is above it once scrolled.
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    footer = box(phone.locator("footer.site p"))
    assert footer["y"] + footer["height"] <= bar_box["y"] + 1
    screenshot(phone, "tab-bar")


@pytest.mark.parametrize(
    ("label", "path"),
    [("Plan", "/plan"), ("Check in", "/checkin"), ("Progress", "/progress"), ("Today", "/today")],
)
def test_each_tab_goes_to_its_page_and_is_marked_there(
    phone: Any, live_server: str, label: str, path: str
) -> None:
    phone.goto(live_server + "/exercises")
    tab_bar(phone).get_by_role("link", name=label, exact=True).click()
    phone.wait_for_url(re.compile(re.escape(path) + r"(/\d+)?$"))
    expect(tab_bar(phone).locator("[aria-current=page]")).to_have_text(label)


def test_more_reaches_the_other_pages(phone: Any, live_server: str) -> None:
    phone.goto(live_server + "/today")
    bar = tab_bar(phone)
    more = bar.locator("summary", has_text="More")
    more.click()
    menu = bar.locator(".more-menu")
    expect(menu).to_be_visible()
    assert [t.strip() for t in menu.locator("a").all_inner_texts()] == MORE
    for link in menu.locator("a").all():
        item = box(link)
        assert item["height"] >= MIN_TARGET
        assert item["width"] >= MIN_TARGET
        assert item["x"] >= 0
        assert item["x"] + item["width"] <= 360
    screenshot(phone, "tab-bar-more")
    # Escape folds it; a tap outside too.
    phone.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    more.click()
    phone.locator("main h1").first.click()
    expect(menu).to_be_hidden()

    for label, path in [
        ("Runs", "/runs"),
        ("Exercises", "/exercises"),
        ("Learn", "/learn"),
        ("Assess", "/assess"),
    ]:
        tab_bar(phone).locator("summary", has_text="More").click()
        tab_bar(phone).get_by_role("link", name=label, exact=True).click()
        phone.wait_for_url(re.compile(re.escape(path) + r"(\?.*)?$"))
        # The page is marked in the menu, and "More" shows it is where the page is.
        expect(tab_bar(phone).locator(".tab.current")).to_have_count(1)
        assert phone.locator(f'.more-menu a[aria-current=page][href="{path}"]').count() == 1


def test_the_desktop_has_a_top_navigation_in_one_line_and_no_tab_bar(
    desktop: Any, live_server: str
) -> None:
    desktop.goto(live_server + "/runs")
    expect(tab_bar(desktop)).to_be_hidden()
    nav = desktop.locator("header.site nav")
    expect(nav).to_be_visible()
    links = nav.get_by_role("link")
    assert links.count() == 9
    tops = {round(box(link)["y"]) for link in links.all()}
    assert len(tops) == 1, "the top navigation wraps"
    expect(nav.locator("[aria-current=page]")).to_have_text("Runs")
    nav.get_by_role("link", name="Progress").click()
    desktop.wait_for_url(re.compile(r"/progress$"))
    expect(desktop.locator("header.site nav [aria-current=page]")).to_have_text("Progress")


def test_no_page_scrolls_sideways_at_360_px(phone: Any, live_server: str) -> None:
    wide: dict[str, int] = {}

    def check(name: str) -> None:
        width: int = phone.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide[name] = width
            screenshot(phone, "wide-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))

    every_page(phone, live_server, check)
    assert wide == {}


# --- the runs page on a phone -------------------------------------------------------------


def upload(page: Any, *paths: Path) -> None:
    page.get_by_label("Files from your watch or app").set_input_files([str(p) for p in paths])
    page.get_by_role("button", name="Upload").click()
    settle(page)


def test_a_partial_upload_never_says_done_and_names_what_failed(
    phone: Any, live_server: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken-run.gpx"
    broken.write_text("<gpx><trk>this is not a finished file")
    status = phone.locator(".upload-status")
    phone.goto(live_server + "/runs")

    upload(phone, FIT_RUN, broken)
    expect(phone.locator("#upload-result")).to_contain_text("1 imported")
    expect(status).to_contain_text("1 imported, but 1 file not imported")
    expect(status).not_to_contain_text("Done")
    expect(phone.locator(".skipped-files")).to_contain_text("broken-run.gpx:")
    screenshot(phone, "upload-partial")

    upload(phone, broken)
    expect(status).to_contain_text("Nothing imported")
    expect(status).not_to_contain_text("Done")

    # Nothing chosen: the problem is said once, with no progress bar and no "Done" beside it.
    phone.get_by_role("button", name="Upload").click()
    settle(phone)
    expect(phone.locator("#upload-result")).to_contain_text("Choose at least one file")
    expect(phone.locator(".upload-progress")).to_be_hidden()

    upload(phone, FIT_RUN)  # the same run again: nothing new, but nothing failed
    expect(status).to_contain_text("Done")


def test_the_run_log_is_a_card_per_run_on_a_phone(phone: Any, live_server: str) -> None:
    phone.goto(live_server + "/runs")
    upload(phone, FIT_RUN)
    row = phone.locator("#run-log tbody tr").first
    # An old run shows its year; each number has its label; nothing scrolls sideways.
    expect(row.locator("th")).to_contain_text("Jun 2019")
    labels = row.locator("td").evaluate_all(
        "tds => tds.map(td => getComputedStyle(td, '::before').content)"
    )
    assert {'"km"', '"Time"', '"Pace /km"'} <= set(labels)
    log = phone.locator("#run-log")
    assert log.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert box(row)["width"] <= 360
    screenshot(phone, "run-log-cards")
