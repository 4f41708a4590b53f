"""Pages of the run log (issue 14): keyset pages, newest first, and their counts.

On SQLite and PostgreSQL, and on the fake beside them: walking the log a page at a
time gives exactly the whole log, in its order, ties on the start time included;
every cursor of the pattern is answered; the page never reads the rest of the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from backstride.bootstrap import open_storage
from backstride.services import training
from backstride.services.clock import FixedClock
from backstride.services.ports import LogPosition, UnitOfWork
from tests.fakes import FakeUnitOfWork

CLOCK = FixedClock(dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC))
PLUS_TWO = dt.timezone(dt.timedelta(hours=2))


@pytest.fixture(params=["sql", "fake"])
def new_uow(
    request: pytest.FixtureRequest, database_url: str
) -> Iterator[Callable[[], UnitOfWork]]:
    if request.param == "fake":
        fake = FakeUnitOfWork()
        yield lambda: fake
        return
    storage = open_storage(database_url)
    yield storage.unit_of_work
    storage.dispose()


def add(new_uow: Callable[[], UnitOfWork], start: dt.datetime, km: float) -> None:
    training.add_manual_run(new_uow(), CLOCK, training.ManualRun(start, km, km * 330))


def log(new_uow: Callable[[], UnitOfWork]) -> None:
    """Eleven runs over ten days; three of them start at the same moment."""
    for day in range(1, 9):
        add(new_uow, dt.datetime(2026, 3, day, 7, 0, tzinfo=PLUS_TWO), 5.0 + day)
    same = dt.datetime(2026, 3, 12, 18, 0, tzinfo=dt.UTC)
    for km in (3.0, 4.0, 5.0):
        add(new_uow, same, km)


def test_walking_the_pages_gives_the_whole_log_in_order(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    log(new_uow)
    whole = [a.id for a in training.list_runs(new_uow())]
    for size in (1, 2, 3, 4, 11, 12):
        seen: list[int] = []
        before = None
        pages = 0
        while True:
            page = training.run_page(new_uow(), size, before)
            pages += 1
            assert page.total == 11
            assert len(page.activities) <= size
            seen += [a.id for a in page.activities]
            assert page.older == 11 - len(seen)
            if page.next is None:
                break
            before = training.parse_cursor(page.next)
        assert seen == whole, size
        assert pages == max(1, -(-11 // size))
    everything = training.run_page(new_uow(), None)
    assert [a.id for a in everything.activities] == whole
    assert (everything.total, everything.older, everything.next) == (11, 0, None)


def test_runs_that_start_together_are_ordered_by_id_across_pages(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    log(new_uow)
    first = training.run_page(new_uow(), 2)
    # The three runs at 18:00 on the 12th are the newest: ids 11 and 10, then 9.
    assert [a.id for a in first.activities] == [11, 10]
    assert first.next is not None
    second = training.run_page(new_uow(), 2, training.parse_cursor(first.next))
    assert [a.id for a in second.activities] == [9, 8]
    assert second.older == 7


def test_a_day_starts_a_page_at_its_midnight(new_uow: Callable[[], UnitOfWork]) -> None:
    log(new_uow)
    page = training.run_page(
        new_uow(), 3, training.position_before_day(dt.date(2026, 3, 5), PLUS_TWO)
    )
    starts = [training.local_start(a, PLUS_TWO).date() for a in page.activities]
    assert starts == [dt.date(2026, 3, 4), dt.date(2026, 3, 3), dt.date(2026, 3, 2)]
    assert page.older == 1


@pytest.mark.parametrize(
    "cursor",
    [
        "AAAAAAAAAAAAAAAAAAAAAA",  # 1970, id 0
        "gAAAAAAAAAAAAAAAAAAAAA",  # the earliest 64-bit time, moved to year 1
        "f_________________________"[:21] + "w",  # the latest, any id
        "_____________________w",  # before 1970, id -1
    ],
)
def test_every_cursor_of_the_pattern_is_answered(
    new_uow: Callable[[], UnitOfWork], cursor: str
) -> None:
    log(new_uow)
    position = training.parse_cursor(cursor)
    page = training.run_page(new_uow(), 5, position)
    assert page.total == 11
    assert len(page.activities) in (0, 5)


def test_a_cursor_names_the_place_after_its_activity(new_uow: Callable[[], UnitOfWork]) -> None:
    log(new_uow)
    (newest, *_) = training.list_runs(new_uow())
    cursor = training.cursor_for(newest)
    assert len(cursor) == 22
    assert training.parse_cursor(cursor) == LogPosition(newest.start_utc, newest.id)
    with new_uow() as uow:
        assert uow.activities.count(before=training.parse_cursor(cursor)) == 10
        assert uow.activities.count() == 11


@pytest.mark.parametrize(
    "text",
    ["", "abc", "AAAAAAAAAAAAAAAAAAAAAB", "AAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAAAA\n"],
)
def test_text_that_is_not_a_cursor_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a cursor"):
        training.parse_cursor(text)


def test_a_page_holds_at_least_one_activity() -> None:
    with pytest.raises(training.TrainingError):
        training.run_page(FakeUnitOfWork(), 0)


def test_a_run_by_hand_is_compared_only_with_its_own_day(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    log(new_uow)
    start = dt.datetime(2026, 3, 4, 19, 0, tzinfo=PLUS_TWO)
    added = training.add_manual_run(new_uow(), CLOCK, training.ManualRun(start, 9.2, 3000))
    assert added.similar is not None
    assert training.local_start(added.similar, PLUS_TWO).date() == dt.date(2026, 3, 4)
    elsewhere = dt.datetime(2026, 3, 10, 7, 0, tzinfo=PLUS_TWO)
    assert (
        training.add_manual_run(new_uow(), CLOCK, training.ManualRun(elsewhere, 9.0, 3000)).similar
        is None
    )
