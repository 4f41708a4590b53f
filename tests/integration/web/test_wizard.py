"""The assessment wizard on the server: the safety screen is checked here, not only
in the browser, and the answers become a ``backstride.intake/2`` document."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from backstride.web.pages import wizard
from tests.integration.web.conftest import self_care_intake, vignette_intake

CES = ("neuro.saddle_numbness", "neuro.bladder_change", "neuro.bowel_change", "neuro.sexual_change")
WARNING_SIGNS = (
    "neuro.new_bladder_urgency",
    "neuro.leg_drags_or_trips",
    "general.fever_or_chills",
    "general.faint_or_collapse",
    "general.lightheaded_or_sweaty",
    "general.chest_pain_or_breathless",
    "general.very_unwell_signs",
    "general.painful_or_bloody_urine",
)
ALL_STEPS = "you,health,pregnancy,where,pain,pattern,nerves,ces,warning,general,running,outlook"


def a_man(**changes: Any) -> dict[str, Any]:
    """Every answer a 29-year-old man with a self-care back ache would give."""
    answers: dict[str, Any] = {
        "person.age": "29",
        "person.sex": "male",
        "pain.regions": ["low_back_center"],
        "pain.started_days_ago": "5",
        "pain.onset": "gradual",
        "pain.trauma": "none",
        "pain.worst_0_10": "4",
        "pain.changes_with_movement": "yes",
        "neuro.any_nerve_symptoms": "no",
        **dict.fromkeys(CES, "no"),
        **dict.fromkeys(WARNING_SIGNS, "no"),
    }
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not None}


def post(client: TestClient, answers: dict[str, Any], **control: str) -> Any:
    data = {**answers, **{f"_{key}": value for key, value in control.items()}}
    return client.post("/assess", data=data, follow_redirects=False)


def step_of(response: Any) -> str:
    found = re.search(r'id="wizard" data-step="([^"]+)"', response.text)
    assert found, response.text[:500]
    return found.group(1)


def hidden(response: Any, name: str) -> list[str]:
    return re.findall(rf'type="hidden" name="{re.escape(name)}" value="([^"]*)"', response.text)


# -- the result needs the whole safety screen --------------------------------------------


def test_a_complete_wizard_answers_with_a_303_to_the_result(client: TestClient) -> None:
    response = post(client, a_man(), step="review", go="submit", visited=ALL_STEPS)
    assert response.status_code == 303
    assert re.fullmatch(r"/assessments/\d+", response.headers["location"])
    # htmx gets the same answer as a redirect it follows with a GET
    again = client.post(
        "/assess",
        data={**a_man(), "_step": "review", "_go": "submit", "_visited": ALL_STEPS},
        headers={"HX-Request": "true"},
        follow_redirects=False,
    )
    assert again.status_code == 204
    assert again.headers["HX-Redirect"].startswith("/assessments/")


def test_the_result_is_refused_without_the_cauda_equina_answers(client: TestClient) -> None:
    for missing in CES:
        response = post(client, a_man(**{missing: None}), step="review", go="submit")
        assert response.status_code == 200, missing
        assert step_of(response) == "ces"
        assert 'role="alert"' in response.text
    assert client.get("/api/v1/assessments").json() in ([], {"assessments": []})


def test_the_result_is_refused_with_an_unanswered_warning_sign(client: TestClient) -> None:
    response = post(client, a_man(**{"general.very_unwell_signs": None}), go="submit")
    assert response.status_code == 200
    assert step_of(response) == "warning"
    assert "please answer this question" in response.text


def test_next_does_not_leave_the_cauda_equina_step_unanswered(client: TestClient) -> None:
    answers = a_man(**dict.fromkeys(CES, None))
    response = post(client, answers, step="ces", go="next")
    assert step_of(response) == "ces"
    assert response.text.count("please answer this question") >= len(CES)
    # Nothing is pre-selected on the page.
    assert not re.search(r'name="neuro\.[a-z_]+" value="[a-z_]+" checked', response.text)


def test_not_sure_about_the_bladder_brings_the_self_check_and_asks_again(
    client: TestClient,
) -> None:
    answers = a_man(**{"neuro.bladder_change": "not_sure"})
    first = post(client, answers, step="ces", go="next", shown=",".join(CES))
    assert step_of(first) == "ces"
    assert "wipe with toilet paper" in first.text
    assert hidden(first, "_checked") == ["neuro.bladder_change"]
    assert 'value="not_sure" checked' not in first.text  # the answer is asked again
    second = post(
        client, answers, step="ces", go="next", shown=",".join(CES), checked="neuro.bladder_change"
    )
    assert step_of(second) == "warning"


def test_the_sexual_question_offers_not_yet_noticed_recorded_as_not_sure(
    client: TestClient,
) -> None:
    page = post(client, a_man(), go="ces")
    assert "I haven&#39;t had the chance to notice" in page.text
    raw = {k: v if isinstance(v, list) else [v] for k, v in a_man().items()}
    raw["neuro.sexual_change"] = [wizard.NOT_NOTICED]
    document = wizard.intake_from_answers(raw, set(ALL_STEPS.split(",")))
    assert document["neuro"]["sexual_change"] == "not_sure"


def test_none_of_these_answers_no_to_each_warning_sign_without_javascript(
    client: TestClient,
) -> None:
    answers = a_man(**dict.fromkeys(WARNING_SIGNS, None))
    shown = ",".join(WARNING_SIGNS)
    refused = post(client, answers, step="warning", go="next", shown=shown)
    assert step_of(refused) == "warning"
    moved = post(client, answers, step="warning", go="next", shown=shown, none_of_these="1")
    assert step_of(moved) == "general"
    for path in WARNING_SIGNS:
        assert hidden(moved, path) == ["no"], path
    # A yes beside "None of these apply to me" is a contradiction to resolve.
    clash = post(
        client,
        {**answers, "general.fever_or_chills": "yes"},
        step="warning",
        go="next",
        shown=shown,
        none_of_these="1",
    )
    assert step_of(clash) == "warning"
    assert "None of these apply to me" in clash.text


def test_the_pulsating_belly_joins_the_warning_signs_from_fifty(client: TestClient) -> None:
    young = post(client, a_man(), go="warning")
    assert "pulsating" not in young.text
    older = post(client, a_man(**{"person.age": "60"}), go="warning")
    assert "pulsating" in older.text
    refused = post(client, a_man(**{"person.age": "60"}), go="submit")
    assert step_of(refused) == "warning"


# -- questions that apply ----------------------------------------------------------------


def test_a_man_gets_no_pregnancy_or_period_questions(client: TestClient) -> None:
    page = post(
        client, a_man(), step="health", go="next", visited="you,health", shown="person.history"
    )
    assert step_of(page) == "where"
    pattern = post(client, a_man(), go="pattern")
    assert "menstrual" not in pattern.text
    health = post(client, a_man(), go="health")
    assert "pregnant now" not in health.text


def test_a_woman_is_asked_about_pregnancy_with_a_test_after_not_sure(client: TestClient) -> None:
    woman = a_man(**{"person.sex": "female", "person.age": "30"})
    page = post(
        client, woman, step="health", go="next", visited="you,health", shown="person.history"
    )
    assert step_of(page) == "pregnancy"
    assert "Could you be pregnant?" in page.text
    assert "pregnancy test" not in page.text
    unsure = {**woman, "person.could_be_pregnant": "not_sure"}
    shown = "person.could_be_pregnant,person.periods"
    follow_up = post(client, unsure, step="pregnancy", go="next", shown=shown)
    assert step_of(follow_up) == "pregnancy"  # the same step, with the new question
    assert "Have you done a pregnancy test since your last period?" in follow_up.text
    refused = post(client, woman, go="submit", visited=ALL_STEPS)
    assert step_of(refused) == "pregnancy"  # a safety-screen question for her


def test_answers_that_stopped_applying_never_reach_the_intake() -> None:
    raw = {k: v if isinstance(v, list) else [v] for k, v in a_man().items()}
    raw["person.history"] = ["pregnant", "diabetes"]
    raw["person.could_be_pregnant"] = ["yes"]
    raw["neuro.weakness"] = ["foot_left"]
    document = wizard.intake_from_answers(raw, set(ALL_STEPS.split(",")))
    assert document["schema"] == "backstride.intake/2"
    assert document["person"]["history"] == ["diabetes"]
    assert "could_be_pregnant" not in document["person"]
    assert document["neuro"]["weakness"] == []  # the no to nerve symptoms


def test_nerve_detail_needs_an_area_after_a_yes(client: TestClient) -> None:
    answers = a_man(**{"neuro.any_nerve_symptoms": "yes"})
    follow_up = post(client, answers, step="nerves", go="next", shown="neuro.any_nerve_symptoms")
    assert step_of(follow_up) == "nerves"
    assert 'data-bodymap="neuro.numbness"' in follow_up.text
    shown = ",".join(wizard.asked_in("nerves", wizard.FormState.from_form(list(_items(answers)))))
    refused = post(client, answers, step="nerves", go="next", shown=shown, visited="nerves")
    assert step_of(refused) == "nerves"
    assert "tap where you feel" in refused.text
    moved = post(
        client,
        {**answers, "neuro.tingling": "foot_left"},
        step="nerves",
        go="next",
        shown=shown,
        visited="nerves",
    )
    assert step_of(moved) == "ces"


def test_a_reassessment_with_an_open_warning_asks_about_a_clinician(client: TestClient) -> None:
    assert "data-open-warning" in client.get("/assess?open_warning=1").text
    assert "data-open-warning" not in client.get("/assess").text
    refused = post(client, a_man(), go="submit", open_warning="1")
    assert step_of(refused) == "since"
    assert "has a doctor, nurse or physiotherapist checked you" in refused.text
    answered = {**a_man(), "review.seen_clinician_since_warning": "yes"}
    assert post(client, answered, go="submit", open_warning="1").status_code == 303
    raw = {k: v if isinstance(v, list) else [v] for k, v in answered.items()}
    assert "review" not in wizard.intake_from_answers(raw, set())
    with_flag = wizard.intake_from_answers(raw, set(), open_warning=True)
    assert with_flag["review"] == {"seen_clinician_since_warning": True}


def test_after_a_result_that_needs_care_the_wizard_asks_about_a_clinician(
    client: TestClient,
) -> None:
    saved = client.post("/api/v1/assessments?save=true", json=vignette_intake("emergency"))
    assert saved.status_code == 201, saved.text
    assert "data-open-warning" in client.get("/assess").text
    assert "data-open-warning" not in client.get("/assess?open_warning=0").text


def test_after_a_self_care_result_the_clinician_question_is_not_asked(client: TestClient) -> None:
    saved = client.post("/api/v1/assessments?save=true", json=self_care_intake())
    assert saved.status_code == 201, saved.text
    assert "data-open-warning" not in client.get("/assess").text


def test_a_restored_step_shows_its_saved_answers(client: TestClient) -> None:
    """What wizard.js does after Back, Forward or a reload: post the draft with _go."""
    page = post(client, {**a_man(), "person.history": ["diabetes"]}, step="ces", go="health")
    assert step_of(page) == "health"
    assert re.search(r'value="diabetes" checked', page.text)
    assert hidden(page, "person.age") == ["29"]


def _items(answers: dict[str, Any]) -> list[tuple[str, str]]:
    return [(k, v) for k, vs in answers.items() for v in (vs if isinstance(vs, list) else [vs])]


# -- "how long ago" and number answers, worded for the web ---------------------------------


def test_how_long_ago_is_a_number_and_a_unit_without_the_cli_typing_hints(
    client: TestClient,
) -> None:
    page = post(client, a_man(), step="where", go="pain")
    assert "How long ago did this pain start?" in page.text
    assert "2w" not in page.text
    assert "4m" not in page.text
    assert 'name="pain.started_days_ago__unit"' in page.text
    assert 'type="number"' in page.text


def test_a_number_and_a_unit_become_days_for_the_intake() -> None:
    visited = set(ALL_STEPS.split(","))
    for amount, unit, days in (("5", "days", 5), ("3", "weeks", 21), ("2", "months", 60),
                               ("1", "years", 365), ("1,5", "weeks", 10)):  # fmt: skip
        raw = {"pain.started_days_ago": [amount], "pain.started_days_ago__unit": [unit]}
        assert wizard.typed_answers(raw, visited)["pain.started_days_ago"] == days, unit
    # No unit sent (a form without the select): days.
    assert (
        wizard.typed_answers({"pain.started_days_ago": ["4"]}, visited)["pain.started_days_ago"]
        == 4
    )


def test_number_errors_are_plain_language(client: TestClient) -> None:
    specs = wizard.field_specs()
    assert (
        wizard.number_error("pain.started_days_ago", specs["pain.started_days_ago"], ["weeks"])
        == "Enter a number of weeks, like 3"
    )
    assert wizard.number_error(
        "running.returned_after_break_weeks", specs["running.returned_after_break_weeks"]
    ).startswith("Enter a whole number of weeks from 0 to ")
    assert wizard.number_error(
        "pain.morning_stiffness_min", specs["pain.morning_stiffness_min"]
    ).startswith("Enter a whole number of minutes")
    # On the page, in place of the validator's message.
    page = post(
        client,
        {**a_man(**{"pain.started_days_ago": "soon"}), "pain.started_days_ago__unit": "weeks"},
        step="pain",
        go="next",
    )
    assert step_of(page) == "pain"
    assert "Enter a number of weeks, like 3" in page.text
    assert "Input should be" not in page.text
    assert "valid integer" not in page.text
