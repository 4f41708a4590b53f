"""The one-page summary for a GP or physiotherapist (issue 15 item 4): always exactly one
page; the triage with the answers behind it, the safety questions and their answers, the
plan and progress with the outcome measures; after an emergency or a warning sign in a
check-in, what to do now and no exercise or running."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backstride.adapters.export.plan_pdf import plain
from backstride.adapters.export.summary_pdf import capped, render_summary_pdf
from backstride.services.summary import Summary, summary
from tests.fakes import FakeUnitOfWork
from tests.outcome_support import ASSESSED, LAST, check_in, seed
from tests.pdf_text import pdf_pages, pdf_text

STAMP = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
# Words that only exercise or running content would put on the page.
EXERCISE_OR_RUNNING = ("Exercises and doses", "Running:", "Walk-run stage", "Bird dog", "Plan ")


def runner(*, emergency: bool = False) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    seed(lambda: uow, emergency=emergency)
    return uow


def drawn(found: Summary) -> tuple[bytes, str]:
    data = render_summary_pdf(found, made=STAMP)
    assert data.startswith(b"%PDF-")
    assert pdf_pages(data) == 1
    return data, pdf_text(data)


def test_a_self_care_summary_has_every_part_on_one_page() -> None:
    _, text = drawn(summary(runner(), LAST))
    assert "backstride summary for your GP or physiotherapist" in text
    assert "Made on 2 Mar 2026 - assessed on 2 Feb 2026" in text
    # The triage and the answers behind it.
    assert "Assessment: Self-care" in text
    assert "No warning sign in the answers." in text
    assert "Likely causes (not a diagnosis), with the answers for them:" in text
    assert "Answered: Changes with movement or position" in text
    # The safety questions, each with its answer.
    assert "Safety questions asked" in text
    assert "Numbness between the legs (saddle area): no" in text
    assert "Injury at onset: no injury" in text
    # The plan's exercises with their doses, and running.
    assert "Exercises and doses:" in text
    assert "Bird dog: 2 sets of 5 reps" in text
    assert "Running: " in text
    assert "Walk-run stage reached: Brisk walk, 30 min." in text
    # Progress with the outcome measures and the smallest important change.
    assert "3 points less pain than at your first assessment" in text
    assert "Your activity score (PSFS) is 3 points higher" in text
    assert "Smallest important change: pain 2 points (childs2005, farrar2001)" in text
    assert "Pain now, weekly average: week of 2 Mar 2026 3.0" in text
    assert "Get help at once if:" in text
    assert "Not a diagnosis." in text


def test_after_an_emergency_it_leads_with_what_to_do_and_lists_no_exercise() -> None:
    _, text = drawn(summary(runner(emergency=True), LAST))
    assert text.index("What to do now") < text.index("Assessment: Emergency")
    assert "go to the nearest emergency department now" in text
    assert "Answered: Numbness between the legs (saddle area)" in text
    assert "Numbness between the legs (saddle area): yes" in text
    for words in EXERCISE_OR_RUNNING:
        assert words not in text
    # Nothing is compared: no reassurance beside the instruction.
    assert "is not shown while you need care first" in text
    assert "less pain than" not in text
    assert "smallest change people notice" not in text
    assert "Likely causes" not in text
    assert "Not a diagnosis." in text


def test_a_warning_sign_in_a_checkin_holds_and_the_summary_lists_no_exercise() -> None:
    uow = runner()
    signs: dict[str, Any] = {"neuro.saddle_numbness": True}
    check_in(uow, LAST + dt.timedelta(days=1), 3, warning_signs=signs)
    found = summary(uow, LAST + dt.timedelta(days=1))
    assert found.care.state == "on_hold"
    _, text = drawn(found)
    assert "What to do now" in text
    for words in EXERCISE_OR_RUNNING:
        assert words not in text
    assert "less pain than" not in text


def test_without_an_assessment_it_says_so_on_one_page() -> None:
    _, text = drawn(summary(FakeUnitOfWork(), ASSESSED))
    assert "No assessment yet." in text
    assert "Safety questions asked" not in text
    assert "Not a diagnosis." in text


def test_a_long_history_still_fits_on_one_page_with_lists_cut() -> None:
    uow = runner()
    long_name = "carrying the shopping up three flights of stairs " * 2
    for n in range(60):
        day = LAST + dt.timedelta(days=n + 1)
        psfs = [{"activity": f"{long_name}{k}"[:120], "score_0_10": (n + k) % 11} for k in range(5)]
        check_in(uow, day, (n * 7) % 11, psfs=psfs)
    found = summary(uow, LAST + dt.timedelta(days=60))
    _, text = drawn(found)
    assert " more" in text
    assert "Not a diagnosis." in text


def test_the_pdf_is_reproducible_with_a_fixed_date() -> None:
    found = summary(runner(), LAST)
    assert render_summary_pdf(found, made=STAMP) == render_summary_pdf(found, made=STAMP)


@pytest.mark.parametrize(
    ("items", "most", "expected"),
    [
        (["a", "b"], 3, ["a", "b"]),
        (["a", "b", "c"], 3, ["a", "b", "c"]),
        (["a", "b", "c", "d"], 3, ["a", "b", "and 2 more"]),
        (["a", "b", "c"], 1, ["a", "and 2 more"]),
    ],
)
def test_lists_are_cut_with_and_n_more(items: list[str], most: int, expected: list[str]) -> None:
    assert capped(items, most) == expected


def test_every_red_flag_is_shown_whole_with_its_answers() -> None:
    """The vignette with the most red flags: none is cut, however full the page (H30)."""
    from backstride.services import assessing
    from tests.conftest import load_vignettes
    from tests.outcome_support import clock

    def flags(case: dict[str, Any]) -> int:
        return len(assessing.assess_intake(assessing.parse_intake(case["intake"])).red_flags)

    case = max(load_vignettes(), key=flags)
    uow = FakeUnitOfWork()
    assessing.assess_and_save(uow, clock(ASSESSED), assessing.parse_intake(case["intake"]))
    found = summary(uow, ASSESSED)
    assert found.assessment is not None
    red_flags = found.assessment.assessment.red_flags
    assert len(red_flags) >= 3
    _, text = drawn(found)
    for flag in red_flags:
        assert " ".join(plain(flag.explanation).split()) in text
