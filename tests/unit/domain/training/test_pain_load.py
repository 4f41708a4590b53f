"""Next-day pain against the day's running: pairs, plain 'not enough data', descriptive groups."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.domain.recovery.checkin import SessionDone, SessionKind
from backstride.domain.training.load import Session
from backstride.domain.training.pain_load import (
    MIN_PAIRED_DAYS,
    NEXT_DAY_CHECKIN,
    NEXT_MORNING,
    daily_loads,
    next_day_pain,
    pain_against_load,
    pair_days,
    spearman,
)
from tests.builders import checkin

START = dt.date(2026, 2, 1)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def test_next_day_pain_prefers_the_next_morning_answer() -> None:
    found = next_day_pain(
        [
            checkin(day(0), 2, 5, next_morning_pain_0_10=4),
            checkin(day(1), 3, 5),
            checkin(day(2), 1, 5),
        ]
    )
    assert found == {day(0): (4, NEXT_MORNING), day(1): (1, NEXT_DAY_CHECKIN)}


def test_days_without_a_logged_run_use_the_checkin_session_or_count_as_rest() -> None:
    told = SessionDone(kind=SessionKind.WALK_RUN, minutes=30, distance_km=3.0)
    loads = daily_loads(
        [Session(day(0), "running", 8.0, 2700, surface="trail", shoe="A")],
        [checkin(day(1), 2, 5, session=told)],
        day(0),
        day(2),
    )
    assert loads[day(0)].distance_km == 8
    assert loads[day(0)].surfaces == ("trail",)
    assert loads[day(1)].from_checkin
    assert loads[day(1)].distance_km == 3
    assert loads[day(2)].runs == 0


def test_too_few_pairs_say_plainly_that_nothing_can_be_concluded() -> None:
    pairs = pair_days([], [checkin(day(n), 2, 5) for n in range(10)], day(0), day(10))
    report = pain_against_load(pairs, day(0), day(10))
    assert len(pairs) == 9
    assert not report.enough
    assert report.headline.startswith("Not enough data for any conclusion")
    assert f"at least {MIN_PAIRED_DAYS}" in report.headline
    assert report.findings == ()
    assert report.correlation is None


def test_enough_pairs_give_groups_and_a_correlation_with_a_caveat() -> None:
    sessions = []
    checkins = []
    for n in range(28):
        km = 12.0 if n % 4 == 0 else (6.0 if n % 2 == 0 else 0.0)
        if km:
            sessions.append(
                Session(day(n), "running", km, km * 360, surface="asphalt" if km > 10 else "trail")
            )
        checkins.append(
            checkin(day(n), 2, 5, next_morning_pain_0_10=5 if km > 10 else (3 if km else 2))
        )
    report = pain_against_load(pair_days(sessions, checkins, day(0), day(27)), day(0), day(27))
    assert report.enough
    assert len(report.pairs) == 28
    labels = {g.label: g for g in report.groups}
    assert labels["run days"].mean_pain > labels["rest days"].mean_pain
    assert labels["asphalt"].mean_pain == 5
    assert labels["trail"].mean_pain == 3
    assert report.correlation is not None
    assert report.correlation > 0.3
    assert "association" in report.findings[-1]
    assert "not causes" in report.caveat


def test_spearman_known_values() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.9486833)
