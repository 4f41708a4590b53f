"""The progress page shows the run log's weeks before the pain began (issue 13 item 4)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.services import assessing, importing, recovery
from backstride.services.clock import FixedClock
from tests.builders import checkin_document, gpx, intake

ASSESSED = dt.date(2026, 3, 16)


def test_the_page_lists_the_build_up(client: TestClient, db_url: str) -> None:
    database = open_database(db_url)
    clock = FixedClock(dt.datetime.combine(ASSESSED, dt.time(9), dt.UTC))
    start = dt.datetime(2026, 2, 24, 7, tzinfo=dt.UTC)
    importing.import_bytes(SqlUnitOfWork(database), clock, "a.gpx", gpx(start, km=12.5))
    parsed = assessing.parse_intake(intake(pain={"started_days_ago": 10}))
    assessing.assess_and_save(SqlUnitOfWork(database), clock, parsed)
    checkin = recovery.parse_checkin(checkin_document(ASSESSED))
    recovery.record_checkin(SqlUnitOfWork(database), clock, checkin)
    database.dispose()
    page = client.get("/progress?date=2026-03-20")
    assert page.status_code == 200
    assert "Before the pain began" in page.text
    section = page.text.split("Before the pain began", 1)[1].split("</section>", 1)[0]
    assert "<td>12.5</td>" in section
