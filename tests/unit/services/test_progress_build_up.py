"""Progress shows the weeks before the pain began, from the run log (issue 13 item 4)."""

from __future__ import annotations

import datetime as dt

from backstride.services import assessing, importing, recovery
from backstride.services.clock import FixedClock
from tests.builders import checkin_document, gpx, intake
from tests.fakes import FakeUnitOfWork

ASSESSED = dt.date(2026, 3, 16)  # a Monday; the pain began 10 days before, on 6 March


def _runner() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    clock = FixedClock(dt.datetime.combine(ASSESSED, dt.time(9), dt.UTC))
    # A build-up: 10 km a week, then 30 km the week before the pain (from 23 Feb).
    weeks = {dt.date(2026, 2, 2): 10.0, dt.date(2026, 2, 23): 30.0}
    for monday, km in weeks.items():
        for n in range(2):
            start = dt.datetime.combine(monday + dt.timedelta(days=2 * n), dt.time(7), dt.UTC)
            data = gpx(start, km=km / 2, minutes=int(km / 2 * 6))
            importing.import_bytes(uow, clock, f"{monday}-{n}.gpx", data)
    document = assessing.parse_intake(intake(pain={"started_days_ago": 10}))
    assessing.assess_and_save(uow, clock, document)
    checkin = recovery.parse_checkin(checkin_document(ASSESSED))
    recovery.record_checkin(uow, clock, checkin)
    return uow


def test_the_six_weeks_before_the_onset_come_from_the_run_log() -> None:
    report = recovery.progress(_runner(), ASSESSED + dt.timedelta(days=7))
    assert report.pain_began == dt.date(2026, 3, 6)
    weeks = {w.week_start: w for w in report.build_up}
    assert list(weeks) == [dt.date(2026, 1, 19) + dt.timedelta(days=7 * n) for n in range(6)]
    assert weeks[dt.date(2026, 2, 2)].km == 10.0
    assert weeks[dt.date(2026, 2, 23)].km == 30.0
    assert weeks[dt.date(2026, 2, 23)].sessions == 2
    document = report.to_document()
    assert document["pain_began"] == "2026-03-06"
    assert len(document["build_up"]) == 6


def test_the_terminal_shows_the_build_up() -> None:
    from backstride.cli.common import out
    from backstride.cli.progress_view import show_progress

    report = recovery.progress(_runner(), ASSESSED + dt.timedelta(days=7))
    with out.capture() as captured:
        show_progress(report)
    text = captured.get()
    assert "Before the pain began" in text
    assert "30" in text.split("Before the pain began", 1)[1]
