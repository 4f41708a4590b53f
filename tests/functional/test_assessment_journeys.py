"""A runner completes the wizard in a real browser and reads the result.

The journeys run at phone and desktop width (the ``page`` fixture); the safety
screen, the gated questions and the wizard's memory (Back, Forward, reload) are
also checked on a 360 px phone (``phone``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import screenshot, settle

pytestmark = pytest.mark.browser

SADDLE = "between your legs"
BLADDER = "new difficulty starting to pass urine"
BOWEL = "new loss of bowel control"
SEXUAL = "new loss of sexual function"


@pytest.fixture
def phone(browser) -> Iterator:  # type: ignore[no-untyped-def,type-arg]
    """A 360 px wide phone."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    opened = context.new_page()
    opened.screen_name = "phone360"
    yield opened
    context.close()


def next_step(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Next").click()
    settle(page)


def heading(page) -> str:  # type: ignore[no-untyped-def]
    text: str = page.locator("#wizard h2").inner_text()
    return text


def group(page, question: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("group", name=re.compile(re.escape(question)))


def choose(page, question: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    group(page, question).get_by_text(answer, exact=True).click()


def chosen(page, question: str, answer: str) -> bool:  # type: ignore[no-untyped-def]
    checked: bool = group(page, question).get_by_label(answer, exact=True).is_checked()
    return checked


def about_you(page, *, age: str, sex: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("How old are you?").fill(age)
    choose(page, "What is your sex?", sex)
    next_step(page)


def the_pain(page, *, worst: str, regions: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert heading(page) == "Where it hurts"
    for region in regions:
        page.locator(f'[data-bodymap="pain.regions"] [data-region="{region}"]').first.click()
    screenshot(page, "wizard-body-map")
    next_step(page)
    assert heading(page) == "The pain"
    page.get_by_label("How long ago did this pain start?").fill("5")
    choose(page, "Did it start suddenly", "gradually")
    choose(page, "Did an injury start it?", "no injury")
    choose(page, "Worst pain in the last week", worst)
    choose(page, "Does the pain change with position or movement?", "Yes, it changes")
    next_step(page)


def ces(page, saddle: str = "No", sexual: str = "No") -> None:  # type: ignore[no-untyped-def]
    assert heading(page) == "Bladder, bowel and saddle area"
    for question, answer in ((SADDLE, saddle), (BLADDER, "No"), (BOWEL, "No"), (SEXUAL, sexual)):
        choose(page, question, answer)
    next_step(page)


def none_of_these(page) -> None:  # type: ignore[no-untyped-def]
    assert heading(page) == "Safety questions"
    page.get_by_text("None of these apply to me", exact=True).click()
    next_step(page)


def to_the_review(page) -> None:  # type: ignore[no-untyped-def]
    while not page.get_by_role("heading", name="Check your answers").is_visible():
        next_step(page)


def man_to_the_safety_questions(page, *, worst: str, regions: list[str]) -> None:  # type: ignore[no-untyped-def]
    about_you(page, age="29", sex="male")
    assert heading(page) == "Health history"
    next_step(page)
    the_pain(page, worst=worst, regions=regions)
    assert heading(page) == "What changes it"
    next_step(page)
    choose(page, "any numbness, pins and needles or weakness", "No")
    next_step(page)


def test_wizard_to_a_self_care_result(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    page.get_by_role("link", name="Start the assessment").click()
    screenshot(page, "wizard-about-you")
    about_you(page, age="29", sex="male")
    next_step(page)  # health: none
    the_pain(page, worst="4", regions=["low_back_center", "low_back_left"])
    choose(page, "What makes it worse?", "running")
    next_step(page)
    choose(page, "any numbness, pins and needles or weakness", "No")
    next_step(page)
    ces(page)
    screenshot(page, "wizard-safety")
    # Going back keeps the answers.
    page.get_by_role("button", name="Back").click()
    settle(page)
    assert chosen(page, SADDLE, "No")
    next_step(page)
    none_of_these(page)
    next_step(page)  # other symptoms
    page.get_by_label("How many km did you run last week?").fill("22")
    page.get_by_label("On average, how many km a week in the four weeks before that?").fill("12")
    to_the_review(page)
    screenshot(page, "wizard-review")
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    banner = page.get_by_role("status").first
    assert "self-care" in banner.inner_text().lower()
    assert page.get_by_role("heading", name="Likely causes").is_visible()
    assert page.get_by_text("Sudden rise in weekly distance").is_visible()
    screenshot(page, "result-self-care")
    # A reload is a GET of the result: nothing is sent twice.
    page.reload()
    assert re.search(r"/assessments/1$", page.url)


def test_wizard_to_an_emergency_result(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/assess")
    man_to_the_safety_questions(
        page, worst="9", regions=["low_back_center", "below_knee_left", "below_knee_right"]
    )
    ces(page, saddle="Yes")
    none_of_these(page)
    to_the_review(page)
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    assert "emergency" in page.get_by_role("status").first.inner_text().lower()
    assert "cauda equina" in page.content().lower()
    assert page.get_by_role("link", name="Build my plan").count() == 0
    screenshot(page, "result-emergency")


def test_a_missing_required_answer_is_shown_on_its_step(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/assess")
    next_step(page)
    assert page.get_by_role("alert").is_visible()
    assert "Age" in page.get_by_role("alert").inner_text()


def test_the_safety_questions_need_an_explicit_answer(phone, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page = phone
    page.goto(live_server + "/assess")
    man_to_the_safety_questions(page, worst="5", regions=["low_back_center"])
    # Nothing is pre-selected, and Next does not move on without the four answers.
    assert page.locator('#wizard input[type="radio"]:checked').count() == 0
    assert group(page, SEXUAL).get_by_text("I haven't had the chance to notice").is_visible()
    next_step(page)
    assert heading(page) == "Bladder, bowel and saddle area"
    alert = page.get_by_role("alert").inner_text()
    for label in ("saddle area", "bladder", "bowel", "sexual"):
        assert label in alert.lower()
    screenshot(page, "wizard-ces-unanswered")
    for question in (BLADDER, BOWEL):
        choose(page, question, "No")
    choose(page, SEXUAL, "I haven't had the chance to notice")
    next_step(page)
    assert heading(page) == "Bladder, bowel and saddle area"  # the saddle question is still open
    # "Not sure" about the saddle area brings the self-check first, and asks again.
    choose(page, SADDLE, "Not sure")
    next_step(page)
    assert heading(page) == "Bladder, bowel and saddle area"
    self_check = page.locator("#neuro-saddle_numbness-self-check")
    expect(self_check).to_contain_text("wipe with toilet paper")
    assert not chosen(page, SADDLE, "Not sure")
    screenshot(page, "wizard-self-check")
    choose(page, SADDLE, "Not sure")
    next_step(page)
    # The other warning signs: each needs an answer, or "None of these apply to me".
    assert heading(page) == "Safety questions"
    assert page.locator('#wizard input[type="radio"]:checked').count() == 0
    choose(page, "Have you had a fever", "No")
    next_step(page)
    assert heading(page) == "Safety questions"
    assert "please answer this question" in page.get_by_role("alert").inner_text()
    page.get_by_text("None of these apply to me", exact=True).click()
    assert chosen(page, "Have you fainted or collapsed?", "No")
    next_step(page)
    assert heading(page) == "Other symptoms"
    to_the_review(page)
    review = page.locator("#wizard").inner_text()
    assert "New sexual change: I haven't had the chance to notice" in review
    assert "Numbness between the legs (saddle area): not sure" in review
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    assert "cauda equina" in page.content().lower()


def test_gated_questions_appear_only_when_they_apply(phone, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page = phone
    page.goto(live_server + "/assess")
    about_you(page, age="30", sex="male")
    assert page.get_by_text("pregnant now").count() == 0  # not offered in the history list
    next_step(page)
    assert heading(page) == "Where it hurts"  # no pregnancy and periods step for a man
    the_pain(page, worst="5", regions=["low_back_center", "groin_left"])
    assert heading(page) == "What changes it"
    assert page.get_by_text("menstrual cycle").count() == 0
    expect(page.get_by_text("Don't try it now")).to_be_visible()  # the hop question's caution
    next_step(page)
    choose(page, "any numbness, pins and needles or weakness", "No")
    next_step(page)
    ces(page)
    none_of_these(page)
    assert heading(page) == "Other symptoms"
    assert group(page, "pain or swelling in a testicle").count() == 1  # groin pain, not female
    assert page.get_by_text("vaginal bleeding").count() == 0
    assert page.get_by_text("shoulder").count() == 0

    # Back to the start: the same answers as a woman of 30 bring the pregnancy step.
    page.goto(live_server + "/assess")
    page.get_by_role("button", name="Start again with no answers").click()
    page.wait_for_url(re.compile(r"/assess"))
    settle(page)
    about_you(page, age="30", sex="female")
    page.get_by_text("diabetes", exact=True).click()
    next_step(page)
    assert heading(page) == "Pregnancy and periods"
    assert group(page, "Have you done a pregnancy test").count() == 0
    choose(page, "Could you be pregnant?", "not sure")
    choose(page, "What are your periods like", "regular")
    next_step(page)
    # The answer brought a follow-up question on the same step.
    assert heading(page) == "Pregnancy and periods"
    expect(page.locator(".follow-up")).to_be_visible()
    choose(page, "Have you done a pregnancy test", "no, not yet")
    screenshot(page, "wizard-pregnancy")
    next_step(page)
    assert heading(page) == "Where it hurts"


def test_answers_survive_back_forward_and_reload(phone, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page = phone
    page.goto(live_server + "/assess")
    about_you(page, age="41", sex="female")
    page.get_by_text("diabetes", exact=True).click()
    next_step(page)
    assert heading(page) == "Pregnancy and periods"
    assert re.search(r"/assess\?step=pregnancy$", page.url)

    page.go_back()
    expect(page.locator("#wizard h2")).to_have_text("Health history")
    assert page.get_by_label("diabetes", exact=True).is_checked()
    page.go_back()
    expect(page.locator("#wizard h2")).to_have_text("About you")
    assert page.get_by_label("How old are you?").input_value() == "41"
    assert chosen(page, "What is your sex?", "female")
    page.go_forward()
    expect(page.locator("#wizard h2")).to_have_text("Health history")
    assert page.get_by_label("diabetes", exact=True).is_checked()

    # An answer given after going back is kept too, through a reload.
    page.get_by_text("high blood pressure", exact=True).click()
    page.reload()
    expect(page.locator("#wizard h2")).to_have_text("Health history")
    assert page.get_by_label("diabetes", exact=True).is_checked()
    assert page.get_by_label("high blood pressure", exact=True).is_checked()
    next_step(page)
    choose(page, "Could you be pregnant?", "no")
    next_step(page)
    assert heading(page) == "Where it hurts"
    page.wait_for_url(re.compile(r"step=where"))
    page.reload()
    expect(page.locator("#wizard h2")).to_have_text("Where it hurts")
    page.go_back()
    expect(page.locator("#wizard h2")).to_have_text("Pregnancy and periods")
    assert chosen(page, "Could you be pregnant?", "no")
    screenshot(page, "wizard-after-back")
