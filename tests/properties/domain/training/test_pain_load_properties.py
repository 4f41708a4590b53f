"""Properties of pain load; the examples are in
tests/unit/domain/training/test_pain_load.py.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.training.load import Session
from backstride.domain.training.pain_load import (
    MIN_PAIRED_DAYS,
    pain_against_load,
    pair_days,
)
from tests.builders import checkin
from tests.unit.domain.training.test_pain_load import day


@given(
    st.lists(st.tuples(st.floats(0, 50), st.integers(0, 10)), min_size=0, max_size=40),
)
def test_the_report_never_claims_more_than_the_data(pairs_data: list[tuple[float, int]]) -> None:
    sessions = [Session(day(n), "running", km, km * 360) for n, (km, _) in enumerate(pairs_data)]
    checkins = [
        checkin(day(n), 0, 5, next_morning_pain_0_10=p) for n, (_, p) in enumerate(pairs_data)
    ]
    last = day(max(len(pairs_data) - 1, 0))
    report = pain_against_load(pair_days(sessions, checkins, day(0), last), day(0), last)
    assert report.enough == (len(pairs_data) >= MIN_PAIRED_DAYS)
    assert all(g.days >= 3 for g in report.groups)
    assert all(0 <= g.mean_pain <= 10 for g in report.groups)
    assert report.correlation is None or -1 - 1e-9 <= report.correlation <= 1 + 1e-9
