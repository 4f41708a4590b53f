"""Outcome measures: the change in pain and in the activity score (PSFS) since the first
measurement, against the smallest important change (content/outcomes.yaml)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from backstride.content.loader import ContentError, source_ids
from backstride.content.outcomes import load_outcome_rules, parse_outcome_rules
from backstride.domain.assessment.intake import Intake
from backstride.domain.recovery.checkin import PsfsScore
from backstride.domain.recovery.outcomes import (
    WITHHELD,
    Assessed,
    PainRule,
    Score,
    first_of,
    latest_of,
    outcomes,
    pain_at_assessment,
    pain_at_checkin,
    pain_important,
    pain_outcome,
    psfs_at_assessment,
    psfs_at_checkin,
    psfs_outcome,
)
from backstride.services.assessing import parse_intake
from tests.builders import checkin, intake

RULES = load_outcome_rules()
DAY = dt.date(2026, 5, 4)


def day(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def assessed(
    n: int, now: int | None = 6, function: list[dict[str, object]] | None = None
) -> Assessed:
    pain = {"now_0_10": now} if now is not None else {}
    document = intake(pain=pain)
    if now is None:
        document["pain"].pop("now_0_10", None)
    if function is not None:
        document["function"] = function
    parsed: Intake = parse_intake(document)
    return Assessed(day(n), parsed)


def pain(n: int, value: float, taken: str = "checkin") -> Score:
    return Score(day(n), value, taken)  # type: ignore[arg-type]


# --- the thresholds are content, with their sources --------------------------------------


def test_the_thresholds_come_from_content_with_their_sources() -> None:
    assert RULES.pain == PainRule(important_points=2, important_percent=30, detectable_points=2)
    assert RULES.psfs.important_points == 2
    assert RULES.pain_sources == ("childs2005", "farrar2001")
    assert RULES.psfs_sources == ("abbott2014", "stratford1995")
    assert set(RULES.pain_sources + RULES.psfs_sources) <= source_ids()


def test_an_unknown_source_or_a_missing_number_is_a_content_error() -> None:
    entry = {"value": 2, "kind": "published", "sources": ["nowhere2030"], "note": ""}
    data = {
        "pain": {"important_points": entry, "important_percent": entry},
        "psfs": {"important_points": entry},
    }
    with pytest.raises(ContentError) as raised:
        parse_outcome_rules(data, source_ids())
    assert "lacks 'detectable_points'" in str(raised.value)
    assert "unknown source 'nowhere2030'" in str(raised.value)


# --- where the measurements come from -----------------------------------------------------


def test_the_assessment_gives_pain_now_and_the_mean_activity_score() -> None:
    found = assessed(
        0,
        now=5,
        function=[
            {"activity": "running", "score_0_10": 2},
            {"activity": "sitting", "score_0_10": 5},
        ],
    )
    assert pain_at_assessment(found) == Score(day(0), 5, "assessment")
    assert psfs_at_assessment(found) == Score(day(0), 3.5, "assessment")


def test_an_assessment_without_pain_now_or_activities_gives_no_score() -> None:
    found = assessed(0, now=None, function=[])
    assert pain_at_assessment(found) is None
    assert psfs_at_assessment(found) is None


def test_a_checkin_gives_pain_now_and_its_psfs_mean() -> None:
    scored = checkin(day(3), 4, psfs=(PsfsScore("running", 3), PsfsScore("lifting", 6)))
    assert pain_at_checkin(scored) == Score(day(3), 4, "checkin")
    assert psfs_at_checkin(scored) == Score(day(3), 4.5, "checkin")
    assert psfs_at_checkin(checkin(day(3), 4)) is None


def test_the_first_is_the_earliest_and_the_assessment_on_its_day() -> None:
    at_assessment, same_day, later = pain(0, 6, "assessment"), pain(0, 5), pain(2, 4)
    assert first_of([later, same_day, None, at_assessment]) == at_assessment
    assert latest_of([at_assessment, same_day]) == same_day
    assert latest_of([later, same_day, at_assessment]) == later
    assert first_of([None]) is None


# --- pain --------------------------------------------------------------------------------


def test_an_improvement_of_two_and_a_half_points_is_named_against_two_points() -> None:
    found = pain_outcome(pain(0, 6, "assessment"), pain(20, 3.5), RULES)
    assert found.improvement == 2.5
    assert found.important_improvement
    assert not found.important_worsening
    assert found.text.startswith("2.5 points less pain than at your first assessment")
    assert "more than the smallest change people notice (2 points)" in found.text
    assert found.label == "smallest important change: 2 points"
    assert found.sources == ("childs2005", "farrar2001")


def test_exactly_two_points_is_as_much_as_the_smallest_important_change() -> None:
    found = pain_outcome(pain(0, 6, "assessment"), pain(20, 4), RULES)
    assert found.important_improvement
    assert "2 points less pain" in found.text
    assert "as much as the smallest change people notice (2 points)" in found.text


def test_one_point_is_less_than_the_smallest_important_change_whatever_its_share() -> None:
    # 3 -> 2 is a 33% fall, but below the 2-point minimal detectable change (Childs 2005).
    found = pain_outcome(pain(0, 3), pain(9, 2), RULES)
    assert found.improvement == 1
    assert not found.important_improvement
    assert found.text.startswith("1 point less pain than at your first check-in")
    assert "less than the smallest change people notice (2 points)" in found.text
    assert "more than" not in found.text


def test_the_share_counts_when_the_detectable_change_allows_it() -> None:
    # With a lower floor (a clinician's choice in content) 1.5 of 4 (38%) is important.
    rules = dataclasses.replace(
        RULES, pain=PainRule(important_points=2, important_percent=30, detectable_points=1.5)
    )
    found = pain_outcome(pain(0, 4, "assessment"), pain(9, 2.5), rules)
    assert found.important_improvement
    assert "more than the smallest change people notice (30% of your first score)" in found.text
    assert pain_important(4, 1.5, rules.pain)
    assert not pain_important(8, 1.5, rules.pain)  # 19% of 8
    assert not pain_important(4, 1, rules.pain)  # below the floor


def test_more_pain_is_said_plainly_with_whom_to_tell_when_important() -> None:
    found = pain_outcome(pain(0, 3, "assessment"), pain(14, 6), RULES)
    assert found.improvement == -3
    assert found.important_worsening
    assert not found.important_improvement
    assert found.text.startswith("3 points more pain than at your first assessment")
    assert "tell whoever is treating you" in found.text
    small = pain_outcome(pain(0, 3, "assessment"), pain(14, 4), RULES)
    assert not small.important_worsening
    assert "less than the smallest change" in small.text


def test_no_change_is_the_same_pain() -> None:
    found = pain_outcome(pain(0, 4, "assessment"), pain(14, 4), RULES)
    assert found.improvement == 0
    assert found.text.startswith("The same pain as at your first assessment")
    assert "smallest change" not in found.text


def test_a_single_measurement_has_no_change_yet() -> None:
    first = pain(0, 6, "assessment")
    for latest in (None, first):
        found = pain_outcome(first, latest, RULES)
        assert found.latest is None
        assert found.improvement is None
        assert found.change is None
        assert "after your next check-in" in found.text


def test_the_change_keeps_the_scale_direction() -> None:
    found = pain_outcome(pain(0, 6), pain(9, 2), RULES)
    assert found.change == -4
    assert found.improvement == 4


# --- the activity score ---------------------------------------------------------------------


def test_a_higher_activity_score_by_two_points_or_more_is_important() -> None:
    found = psfs_outcome(pain(0, 3, "assessment"), pain(21, 5.4), RULES)
    assert found.improvement == pytest.approx(2.4)
    assert found.important_improvement
    assert found.text.startswith("Your activity score (PSFS) is 2.4 points higher")
    assert "more than the smallest change people notice (2 points)" in found.text
    assert found.sources == ("abbott2014", "stratford1995")


def test_a_mean_just_under_two_points_is_never_shown_as_two() -> None:
    # 3 items then 4: 23/12 - ... differences of means can sit just under the threshold.
    found = psfs_outcome(pain(0, 2.0, "checkin"), pain(21, 3.96), RULES)
    assert not found.important_improvement
    assert "1.96 points higher" in found.text
    assert "less than the smallest change" in found.text


def test_a_float_error_in_the_means_does_not_hide_an_important_change() -> None:
    first, latest = 16 / 3, 22 / 3  # 5.333... to 7.333...: 2 points
    found = psfs_outcome(pain(0, first), pain(7, latest), RULES)
    assert found.improvement == 2
    assert found.important_improvement


def test_a_lower_activity_score_is_said_plainly() -> None:
    found = psfs_outcome(pain(0, 6), pain(7, 3), RULES)
    assert found.important_worsening
    assert "3 points lower" in found.text


# --- together, and never in an emergency ------------------------------------------------------


def test_outcomes_take_the_first_and_latest_of_each_measure() -> None:
    found = outcomes(
        [pain(0, 7, "assessment"), pain(1, 6), pain(30, 3), None],
        [None, pain(3, 2.5), pain(24, 6)],
        RULES,
        suspended=False,
    )
    assert found.withheld is None
    assert found.pain is not None
    assert found.psfs is not None
    assert (found.pain.first.value, found.pain.latest and found.pain.latest.value) == (7, 3)
    assert found.psfs.improvement == 3.5
    assert found.shown == (found.pain, found.psfs)


def test_nothing_measured_gives_nothing_to_show() -> None:
    found = outcomes([None], [], RULES, suspended=False)
    assert found.pain is None
    assert found.psfs is None
    assert found.shown == ()


def test_while_care_is_needed_nothing_is_compared() -> None:
    found = outcomes(
        [pain(0, 8, "assessment"), pain(9, 2)], [pain(0, 1), pain(9, 9)], RULES, suspended=True
    )
    assert found.pain is None
    assert found.psfs is None
    assert found.withheld == WITHHELD
    assert "smallest change" not in found.withheld
