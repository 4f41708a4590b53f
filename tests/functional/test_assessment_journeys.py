"""A runner completes the wizard in a real browser and reads the result."""

from __future__ import annotations

import re

import pytest

from tests.functional.conftest import screenshot, settle

pytestmark = pytest.mark.browser


def next_step(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Next").click()
    settle(page)


def choose(page, question: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()


def fill_common(page, *, worst: str, regions: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("How old are you?").fill("29")
    choose(page, "What is your sex?", "male")
    screenshot(page, "wizard-about-you")
    next_step(page)
    for region in regions:
        page.locator(f'[data-bodymap="pain.regions"] [data-region="{region}"]').first.click()
    screenshot(page, "wizard-body-map")
    next_step(page)
    page.get_by_label("How long ago did this pain start?").fill("5")
    choose(page, re.compile("Worst pain in the last week"), worst)
    choose(page, "Does the pain change with position or movement?", "Yes")
    next_step(page)


def test_wizard_to_a_self_care_result(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    page.get_by_role("link", name="Start the assessment").click()
    fill_common(page, worst="4", regions=["low_back_center", "low_back_left"])
    choose(page, "What makes it worse?", "running")
    next_step(page)  # pattern
    next_step(page)  # nerves: none
    for question in (
        "Any numbness or altered feeling between your legs, around your back passage or genitals?",
    ):
        choose(page, question, "No")
    screenshot(page, "wizard-safety")
    next_step(page)  # safety
    # Going back keeps the answers.
    page.get_by_role("button", name="Back").click()
    settle(page)
    assert (
        page.get_by_role("group", name=re.compile("between your legs"))
        .get_by_label("No", exact=True)
        .is_checked()
    )
    next_step(page)
    next_step(page)  # history
    page.get_by_label("How many km did you run last week?").fill("22")
    page.get_by_label("On average, how many km a week in the four weeks before that?").fill("12")
    next_step(page)  # running
    next_step(page)  # outlook
    assert page.get_by_role("heading", name="Check your answers").is_visible()
    screenshot(page, "wizard-review")
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    banner = page.get_by_role("status")
    assert "self-care" in banner.inner_text().lower()
    assert page.get_by_role("heading", name="Likely causes").is_visible()
    assert page.get_by_text("Sudden rise in weekly distance").is_visible()
    assert page.get_by_role("heading", name="Get help at once if").is_visible()
    screenshot(page, "result-self-care")


def test_wizard_to_an_emergency_result(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/assess")
    fill_common(page, worst="9", regions=["low_back_center", "below_knee_left", "below_knee_right"])
    next_step(page)  # pattern
    next_step(page)  # nerves
    choose(
        page,
        "Any numbness or altered feeling between your legs, around your back passage or genitals?",
        "Yes",
    )
    next_step(page)
    for _ in range(3):
        next_step(page)  # history, running, outlook
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    banner = page.get_by_role("status")
    assert "emergency" in banner.inner_text().lower()
    assert "cauda equina" in page.content().lower()
    assert page.get_by_role("link", name="Build my plan").count() == 0
    screenshot(page, "result-emergency")


def test_a_missing_required_answer_is_shown_on_its_step(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/assess")
    next_step(page)
    assert page.get_by_role("alert").is_visible()
    assert "Age" in page.get_by_role("alert").inner_text()
