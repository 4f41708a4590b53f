"""Progress shows the last 90 days unless asked for another period (issue 14)."""

from __future__ import annotations

import datetime as dt

from backstride.services import recovery
from backstride.services.clock import FixedClock
from tests.builders import checkin_document
from tests.fakes import FakeUnitOfWork

END = dt.date(2026, 6, 30)


def _diary(days: int) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for n in range(days):
        day = END - dt.timedelta(days=n)
        clock = FixedClock(dt.datetime.combine(day, dt.time(20), dt.UTC))
        recovery.record_checkin(uow, clock, recovery.parse_checkin(checkin_document(day)))
    return uow


def test_a_long_diary_shows_its_last_90_days() -> None:
    report = recovery.progress(_diary(200), END)
    assert recovery.DEFAULT_PROGRESS_DAYS == 90
    assert report.start == END - dt.timedelta(days=89)
    assert report.checkins == 90
    assert len(report.pain) == 90
    assert report.pain[0].checkins == 7  # the first average reads the 6 days before


def test_a_shorter_diary_starts_at_its_first_checkin() -> None:
    report = recovery.progress(_diary(20), END)
    assert report.start == END - dt.timedelta(days=19)
    assert report.checkins == 20


def test_a_longer_period_is_asked_for_with_its_first_day() -> None:
    start = END - dt.timedelta(days=199)
    report = recovery.progress(_diary(200), END, start)
    assert report.start == start
    assert report.checkins == 200


def test_the_running_average_is_the_domain_rolling_pain() -> None:
    """Progress sums the 7-day window as it moves (services.recovery.progress); it gives
    what domain.recovery.progress.rolling_pain gives, gaps and edges included."""
    import random

    from backstride.domain.recovery.checkin import CheckIn
    from backstride.domain.recovery.progress import rolling_pain
    from backstride.services.ports import CheckinDay
    from backstride.services.recovery.progress import _rolling_pain

    rng = random.Random(14)
    for _ in range(200):
        first = END - dt.timedelta(days=rng.randint(0, 60))
        days = sorted(
            {first + dt.timedelta(days=rng.randint(-10, 70)) for _ in range(rng.randint(0, 50))}
        )
        pains = {day: rng.randint(0, 10) for day in days}
        start = first + dt.timedelta(days=rng.randint(-3, 20))
        end = start + dt.timedelta(days=rng.randint(0, 40))
        drawn = [CheckinDay(d, p, None, None, None, False, (), ()) for d, p in pains.items()]
        whole = [CheckIn(day=d, pain_now_0_10=p, worst_24h_0_10=p) for d, p in pains.items()]
        assert _rolling_pain(drawn, start, end) == rolling_pain(whole, start, end)
