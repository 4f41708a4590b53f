"""The plan page, its calendar and Today give one run (issue 13 item 2): once the runner
has reached a later walk-run stage than the plan started at, the plan's surfaces word
today's run from the stage reached, as Today does; the days before keep the plan's."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from backstride.bootstrap import open_storage
from backstride.content.loader import load_programme_thresholds
from backstride.domain.plan.run_schedule import usual_from_intake
from backstride.domain.recovery.checkin import SessionKind
from backstride.domain.recovery.return_to_run import ProgrammeState, StageId
from backstride.services import assessing, recovery
from tests.integration.web.conftest import TODAY, FixedClock, self_care_intake
from tests.integration.web.test_pages import build_plan, saved_assessment

RTR = load_programme_thresholds()


def _todays_run_on_the_page(page: str) -> str:
    today = r'class="day[^"]*is-today".*?<span class="day-run">([^<]*)</span>'
    found = re.search(today, page, re.S)
    assert found, "the week shows today"
    return found.group(1)


def _todays_run_in_the_calendar(ics: str) -> str:
    unfolded = ics.replace("\r\n ", "")
    events = unfolded.split("BEGIN:VEVENT")
    uid = f"-{TODAY:%Y%m%d}-run@backstride"
    event = next(e for e in events if uid in e)
    found = re.search(r"^SUMMARY:backstride run: (.*)\r$", event, re.M)
    assert found, event
    return found.group(1).replace("\\,", ",")


def test_the_plan_page_the_calendar_and_today_agree_after_moving_up(
    client: TestClient, db_url: str
) -> None:
    assessment_id = saved_assessment(client, self_care_intake())
    # Started yesterday: today is the plan's first run day.
    started = TODAY - dt.timedelta(days=1)
    built = build_plan(client, assessment_id, start_date=started.isoformat())
    location = built.headers["location"]
    plan_id = location.rsplit("/", 1)[-1]
    before_page = _todays_run_on_the_page(client.get(location).text)
    before_ics = _todays_run_in_the_calendar(client.get(f"/plan/{plan_id}.ics").text)
    assert before_page == before_ics
    assert "20 min" in before_page, "the plan starts below stage 7"

    storage = open_storage(db_url)
    usual, _ = usual_from_intake(assessing.parse_intake(self_care_intake()), RTR)
    with storage.unit_of_work() as uow:
        uow.programmes.start(started, FixedClock().now(), ProgrammeState(StageId.RUN_30, usual))
        uow.commit()

    advice = recovery.today(storage.unit_of_work(), TODAY)
    assert advice.session is not None
    assert advice.session.kind is SessionKind.RUN
    assert advice.session.minutes == 30
    page = client.get(location).text
    ics = client.get(f"/plan/{plan_id}.ics").text
    on_the_page = _todays_run_on_the_page(page)
    assert "30 min" in on_the_page
    assert _todays_run_in_the_calendar(ics) == on_the_page
    assert on_the_page in advice.plan_note
