"""Weekly distance has one definition (issue 13 item 4): the same week shows the same km
in the terminal chart, the web chart and the PNG/SVG, whichever day a report starts on."""

from __future__ import annotations

import datetime as dt

from backstride.adapters.export.progress_chart import render_svg
from backstride.cli.terminal_chart import pain_chart as terminal_chart
from backstride.services import importing, recovery
from backstride.services.clock import FixedClock
from backstride.web import charts
from tests.builders import checkin_document, gpx
from tests.fakes import FakeUnitOfWork

MONDAY = dt.date(2026, 3, 2)


def _log() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    clock = FixedClock(dt.datetime(2026, 3, 20, 20, tzinfo=dt.UTC))
    # A watch run on the Monday, before the first check-in (Thursday) ...
    start = dt.datetime.combine(MONDAY, dt.time(7), dt.UTC)
    importing.import_bytes(uow, clock, "monday.gpx", gpx(start, km=8.0, minutes=48))
    # ... and runs told in check-ins, which are in the log too.
    for offset, km in ((3, 4.2), (5, 5.0), (8, 6.0)):
        day = MONDAY + dt.timedelta(days=offset)
        session = {"kind": "run", "minutes": 30, "distance_km": km}
        document = recovery.parse_checkin(checkin_document(day, session=session))
        recovery.record_checkin(uow, clock, document)
    return uow


def test_a_week_shows_the_same_km_whichever_day_the_report_starts() -> None:
    uow = _log()
    end = MONDAY + dt.timedelta(days=12)
    from_first_checkin = recovery.progress(uow, end)
    from_monday = recovery.progress(uow, end, MONDAY)
    assert from_first_checkin.start == MONDAY + dt.timedelta(days=3)
    week = from_first_checkin.load.weeks[MONDAY]
    assert week == from_monday.load.weeks[MONDAY]
    assert round(week, 1) == 17.2  # 8.0 from the watch, 4.2 and 5.0 from check-ins
    assert from_first_checkin.load.unit == "km"
    [row] = [w for w in from_first_checkin.running if w.week_start == MONDAY]
    assert row.km == week
    assert row.sessions == 3


def test_the_terminal_the_web_and_the_png_draw_the_same_weekly_km() -> None:
    report = recovery.progress(_log(), MONDAY + dt.timedelta(days=12))
    load = report.load
    amounts = {monday: f"{km:g}" for monday, km in load.weeks.items() if km}
    assert len(amounts) == 2
    most = max(load.weeks.values())

    terminal = terminal_chart(report, 60).plain
    assert f"top = {most:g} km" in terminal

    svg = render_svg(report)
    web = charts.pain_chart(report, load.weeks, load.unit, load.what)
    web_rows = {row[0]: row[2] for row in web.rows}
    for amount in amounts.values():
        assert f">{amount} km<" in svg
        assert f"{amount} km</title>" in str(web.svg)
        assert amount in web_rows.values()
    assert len(web_rows) == len(load.weeks)
