"""axe-core on every page, at 360 px and at 1280 px (issue 13, item 8).

Each width walks the whole app once, as a runner meets it: home before anything,
every step of the assessment wizard (the nerve maps after a yes, a step with its
errors, the review), the result at each triage level, the plan form, the plan, the
plan suspended by an emergency, check-in and its confirmation, today, progress,
runs (with a run in the log and an upload's summary), the library, an exercise,
learn, a topic, the assessments list and a 404. Every page must have no serious or
critical violation; the test collects them all and fails once, naming each page.

axe-core comes from the npm registry (see tests/functional/test_library_and_body_map.py
and docs/how-to/testing.md); Playwright injects it into a context that bypasses the
page's CSP only for that purpose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.care_support import emergency_intake, self_care_intake
from tests.functional.conftest import screenshot, settle
from tests.functional.test_library_and_body_map import axe_problems
from tests.integration.web.conftest import FIT_RUN, vignette_intake

pytestmark = pytest.mark.browser

WIDTHS = {"360": (360, 740), "1280": (1280, 900)}
LEVELS = ("emergency", "urgent", "soon", "self_care")


@pytest.fixture(params=list(WIDTHS), ids=[f"{w}px" for w in WIDTHS])
def sized(browser, request) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    opened = context.new_page()
    opened.screen_name = request.param
    yield opened
    context.close()


def post_json(page: Any, url: str, data: dict[str, Any]) -> Any:
    response = page.request.post(url, data=data)
    assert response.ok, response.text()
    return response


def save_assessment(page: Any, base: str, intake: dict[str, Any]) -> int:
    saved = post_json(page, f"{base}/api/v1/assessments?save=true", intake)
    return int(saved.headers["location"].rsplit("/", 1)[-1])


def pick(page: Any, group: str | re.Pattern[str], answer: str) -> None:
    page.get_by_role("group", name=group).get_by_text(answer, exact=True).click()


def _answer_what_is_open(page: Any) -> None:
    """Answers every unanswered question of the step shown: "No" (or the first
    choice) for a choice, 3 for a number, and "Yes" to numbness so that the nerve
    maps are shown too; a number at its field's minimum (at least 3), the age 38."""
    wizard = page.locator("#wizard")
    for group in wizard.locator("fieldset").all():
        radios = group.locator("input[type=radio]")
        if radios.count() == 0 or group.locator("input[type=radio]:checked").count():
            continue
        legend = (
            group.locator("legend").first.inner_text() if group.locator("legend").count() else ""
        )
        labels = group.locator("label.option")
        wanted = "Yes" if "numbness" in legend.lower() else "No"
        pick = labels.filter(has_text=re.compile(rf"^\s*{wanted}\s*$"))
        (pick.first if pick.count() else labels.first).click()
    for field in wizard.locator("input[type=number]").all():
        if field.is_visible() and not field.input_value():
            lowest = float(field.get_attribute("min") or 0)
            field.fill("38" if field.get_attribute("name") == "age" else f"{max(lowest, 3):g}")
    sex = wizard.get_by_role("group", name=re.compile("What is your sex"))
    if sex.count():
        sex.get_by_text("male", exact=True).click()


def wizard_pages(page: Any, base: str, check: Callable[[str], None]) -> None:
    page.goto(base + "/assess")
    settle(page)
    check("assess step 1")
    # A step sent with nothing answered shows its errors: a page of its own.
    page.get_by_role("button", name="Next").click()
    settle(page)
    check("assess step 1 with errors")
    seen: set[str] = set()
    for _ in range(30):
        heading = page.locator("#wizard h2").inner_text()
        if heading == "Check your answers":
            check("assess review")
            return
        if heading == "Where it hurts":
            page.locator(
                '[data-bodymap="pain.regions"] [data-region="low_back_left"]'
            ).first.click()
        nerve_map = page.locator('[data-bodymap^="neuro."] [data-region="foot_left"]')
        if nerve_map.count() and "on" not in (nerve_map.first.get_attribute("class") or ""):
            nerve_map.first.click()
            check("assess: the nerve maps")
        if heading not in seen:
            seen.add(heading)
            check(f"assess: {heading}")
        _answer_what_is_open(page)
        page.get_by_role("button", name="Next").click()
        settle(page)
    shown = page.locator("#wizard").inner_text()
    pytest.fail(f"the wizard never reached its review (saw {sorted(seen)}): {shown}")


def every_page(page: Any, base: str, check: Callable[[str], None]) -> None:
    """Visits every page of the app in a fresh database, calling ``check(name)`` on each."""

    def visit(path: str, name: str | None = None) -> None:
        page.goto(base + path)
        settle(page)
        check(name or path)

    visit("/", "home, first visit")
    visit("/plan", "plan, no assessment yet")
    visit("/today", "today, no plan yet")
    visit("/progress", "progress, empty")
    visit("/runs", "runs, empty")
    wizard_pages(page, base, check)

    for level in LEVELS:
        saved = save_assessment(page, base, vignette_intake(level))
        visit(f"/assessments/{saved}", f"result {level}")
    assessment_id = save_assessment(page, base, self_care_intake())
    visit(f"/assessments/{assessment_id}", "result self-care (reference runner)")
    visit("/assessments")
    visit("/plan", "plan form")
    post_json(page, f"{base}/api/v1/plans?save=true", {"assessment_id": assessment_id})
    visit("/plan", "plan")
    visit("/", "home with a plan")
    visit("/today")
    visit("/checkin")
    pick(page, re.compile("^Back pain right now"), "3")
    settle(page)  # htmx asks whether the safety questions are due
    check("check-in with the safety questions")
    pick(page, re.compile("^Worst back pain in the last 24 hours"), "4")
    pick(page, "What did you do today?", "Walk")
    page.get_by_label("How many minutes").fill("30")
    pick(page, "Highest back pain during it", "2")
    page.get_by_text("None of these apply to me").click()
    page.get_by_label("Activity 1", exact=True).fill("running")
    page.get_by_label("Score for activity 1, 0 to 10").fill("4")
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_role("heading", name="Check-in saved").wait_for()
    settle(page)
    check("check-in saved")
    visit("/progress")

    page.goto(base + "/runs")
    page.get_by_label("Files from your watch or app").set_input_files(str(FIT_RUN))
    page.get_by_role("button", name="Upload").click()
    settle(page)
    check("runs, after an upload")
    visit("/runs", "runs, with a run")

    visit("/exercises")
    visit("/exercises?q=core")
    visit("/exercises/side-plank")
    visit("/learn")
    topic = page.locator("main a[href^='/learn/']").first.get_attribute("href")
    visit(topic or "/learn", "a topic")
    visit("/nowhere", "404")
    visit("/exercises/no-such-exercise", "404 exercise")

    save_assessment(page, base, emergency_intake())
    page.goto(base + "/plan")
    page.wait_for_url(re.compile(r"/plan/\d+$"))
    settle(page)
    check("plan suspended")
    visit("/", "home, care needed now")
    visit("/today", "today, care needed now")


def test_every_page_has_no_serious_or_critical_axe_violation(sized: Any, live_server: str) -> None:
    problems: dict[str, list[str]] = {}
    visited: list[str] = []

    def check(name: str) -> None:
        visited.append(name)
        found = axe_problems(sized)
        if found:
            problems[name] = found
            screenshot(sized, "axe-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))

    every_page(sized, live_server, check)
    assert len(visited) >= 35, visited
    assert problems == {}, problems
