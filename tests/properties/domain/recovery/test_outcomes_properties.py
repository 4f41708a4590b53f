"""Properties of the outcome measures for any pair of measurements and any thresholds.

The change is antisymmetric (swapping the first and the latest turns an improvement
into the same worsening); an important change is never claimed below the threshold, and
a number shown as less than the threshold is never written as reaching it; while care
is needed nothing is compared.
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from backstride.content.outcomes import load_outcome_rules
from backstride.domain.recovery.outcomes import (
    OutcomeRules,
    PainRule,
    PsfsRule,
    Score,
    outcomes,
    pain_outcome,
    psfs_outcome,
)

RULES = load_outcome_rules()
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
taken = st.sampled_from(["assessment", "checkin"])
pain_values = st.integers(min_value=0, max_value=10).map(float)
# A PSFS score is the mean of one to five items of 0-10.
psfs_values = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=5).map(
    lambda items: sum(items) / len(items)
)
rules = st.builds(
    OutcomeRules,
    pain=st.builds(
        PainRule,
        important_points=st.sampled_from([1.0, 1.5, 2.0, 2.5, 3.0]),
        important_percent=st.sampled_from([15.0, 30.0, 50.0]),
        detectable_points=st.sampled_from([0.5, 1.0, 1.5, 2.0]),
    ),
    psfs=st.builds(PsfsRule, important_points=st.sampled_from([1.3, 2.0, 2.3, 2.7, 3.0])),
)
IMPORTANT = re.compile(r"(more than|as much as) the smallest change")


def pair(values: st.SearchStrategy[float]) -> st.SearchStrategy[tuple[Score, Score]]:
    return st.tuples(
        st.builds(Score, days, values, taken), st.builds(Score, days, values, taken)
    ).filter(lambda p: p[0] != p[1])


def points_in(text: str) -> float:
    """The size of the change, the first number of the sentence."""
    found = re.match(r"(?:Your activity score \(PSFS\) is )?([0-9.]+) point", text)
    assert found is not None, text
    return float(found.group(1))


@given(pair(pain_values), rules)
def test_the_pain_change_is_antisymmetric(scores: tuple[Score, Score], r: OutcomeRules) -> None:
    a, b = scores
    forward, back = pain_outcome(a, b, r), pain_outcome(b, a, r)
    assert forward.improvement is not None
    assert back.improvement is not None
    assert forward.improvement == -back.improvement
    # A worsening as large as the threshold is an important improvement the other way
    # (the converse need not hold: a share of the first score counts only for a fall).
    if back.important_worsening:
        assert forward.important_improvement
    assert forward.smallest_important == back.smallest_important


@given(pair(psfs_values), rules)
def test_the_activity_change_is_antisymmetric(scores: tuple[Score, Score], r: OutcomeRules) -> None:
    a, b = scores
    forward, back = psfs_outcome(a, b, r), psfs_outcome(b, a, r)
    assert forward.improvement is not None
    assert back.improvement is not None
    assert forward.improvement == -back.improvement
    assert forward.important_improvement == back.important_worsening
    assert forward.important_worsening == back.important_improvement


@given(pair(pain_values), rules)
def test_pain_never_claims_an_important_change_below_the_threshold(
    scores: tuple[Score, Score], r: OutcomeRules
) -> None:
    found = pain_outcome(*scores, r)
    improvement = found.improvement
    assert improvement is not None
    if found.important_improvement:
        assert improvement >= r.pain.detectable_points
        assert (
            improvement >= r.pain.important_points
            or improvement * 100 >= r.pain.important_percent * scores[0].value
        )
    threshold = max(r.pain.important_points, r.pain.detectable_points)
    assert found.smallest_important == threshold
    if found.important_worsening:
        assert -improvement >= threshold
    claimed = IMPORTANT.search(found.text) is not None
    assert claimed == (found.important_improvement or found.important_worsening)
    if improvement and not claimed:
        assert points_in(found.text) < threshold


@given(pair(psfs_values), rules)
def test_the_activity_score_never_claims_an_important_change_below_the_threshold(
    scores: tuple[Score, Score], r: OutcomeRules
) -> None:
    found = psfs_outcome(*scores, r)
    improvement = found.improvement
    assert improvement is not None
    threshold = r.psfs.important_points
    assert found.important_improvement == (improvement >= threshold)
    assert found.important_worsening == (-improvement >= threshold)
    claimed = IMPORTANT.search(found.text) is not None
    assert claimed == (found.important_improvement or found.important_worsening)
    if improvement and not claimed:
        assert points_in(found.text) < threshold


@given(
    st.lists(st.none() | st.builds(Score, days, pain_values, taken), max_size=4),
    st.lists(st.none() | st.builds(Score, days, psfs_values, taken), max_size=4),
)
def test_nothing_is_compared_while_care_is_needed(
    pain: list[Score | None], psfs: list[Score | None]
) -> None:
    found = outcomes(pain, psfs, RULES, suspended=True)
    assert found.shown == ()
    assert found.withheld is not None
    assert "smallest change" not in found.withheld
    assert "less pain" not in found.withheld


@given(
    st.lists(st.none() | st.builds(Score, days, pain_values, taken), max_size=4),
    st.lists(st.none() | st.builds(Score, days, psfs_values, taken), max_size=4),
)
def test_the_first_measurement_is_never_after_the_latest(
    pain: list[Score | None], psfs: list[Score | None]
) -> None:
    found = outcomes(pain, psfs, RULES, suspended=False)
    for outcome in found.shown:
        if outcome.latest is not None:
            assert outcome.first.day <= outcome.latest.day
    assert (found.pain is None) == all(s is None for s in pain)
    assert (found.psfs is None) == all(s is None for s in psfs)
