"""The web wizard fills its running answers from the run log, as `assess --from-runs`
does, and says which were measured (issue 13 item 4)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.services import assessing, importing, training
from backstride.services.clock import FixedClock
from tests.builders import gpx
from tests.integration.web.conftest import TODAY
from tests.integration.web.test_wizard import a_man, post, step_of

BEFORE_RUNNING = "you,health,where,pain,pattern,nerves,ces,warning,general"


def _runs(db_url: str, weeks: int = 6, first_days_ago: int = 1, spike: bool = False) -> None:
    database = open_database(db_url)
    clock = FixedClock(dt.datetime.combine(TODAY, dt.time(9), dt.UTC))
    for n in range(weeks * 3):
        day = TODAY - dt.timedelta(days=first_days_ago + 2 * n)
        start = dt.datetime.combine(day, dt.time(7), dt.UTC)
        km = 14.0 if spike and n < 3 else 6.0
        data = gpx(start, km=km, minutes=int(km * 6))
        importing.import_bytes(SqlUnitOfWork(database), clock, f"{day}.gpx", data)
    database.dispose()


def _value(response: Any, path: str) -> str | None:
    found = re.search(rf'name="{re.escape(path)}"[^>]*value="([^"]*)"', response.text)
    if found is None:
        found = re.search(rf'value="([^"]*)"[^>]*name="{re.escape(path)}"', response.text)
    return found.group(1) if found else None


def _to_running(client: TestClient, **answers: str) -> Any:
    response = post(client, a_man(**answers), step="review", go="running", visited=BEFORE_RUNNING)
    assert step_of(response) == "running"
    return response


def test_the_running_step_is_filled_from_the_log_and_says_so(
    client: TestClient, db_url: str
) -> None:
    _runs(db_url)
    values, notes = training.running_answers(SqlUnitOfWork(open_database(db_url)), TODAY)
    assert values["km_last_week"] > 0
    response = _to_running(client)
    assert "Filled in from your run log" in response.text
    assert _value(response, "running.km_last_week") == f"{values['km_last_week']:g}"
    assert _value(response, "running.runs_per_week") == f"{values['runs_per_week']:g}"
    # Each measured answer says where it came from: the weeks and the runs.
    assert "Measured from your run log: " + notes["running.km_last_week"] in response.text


def test_an_answer_the_runner_gives_is_kept(client: TestClient, db_url: str) -> None:
    _runs(db_url)
    response = _to_running(client, **{"running.km_last_week": "42"})
    assert _value(response, "running.km_last_week") == "42"


def test_nothing_is_filled_without_runs_in_the_last_five_weeks(
    client: TestClient, db_url: str
) -> None:
    _runs(db_url, weeks=2, first_days_ago=40)
    response = _to_running(client)
    assert "Filled in from your run log" not in response.text
    assert not _value(response, "running.km_last_week")


def test_the_kept_measured_answers_are_named_in_the_result(client: TestClient, db_url: str) -> None:
    _runs(db_url, spike=True)
    response = _to_running(client)
    shown = {
        path: _value(response, path)
        for path in ("running.km_last_week", "running.km_per_week_before", "running.runs_per_week")
    }
    answers = {**a_man(), **shown}
    done = post(
        client, answers, step="review", go="submit", visited=BEFORE_RUNNING + ",running,outlook"
    )
    assert done.status_code == 303
    saved = assessing.latest_assessment(SqlUnitOfWork(open_database(db_url)))
    assert saved is not None
    assert saved.intake.running is not None
    assert saved.intake.running.km_last_week == float(answers["running.km_last_week"])
    details = [f.detail for f in saved.assessment.contributing_factors]
    assert any("(measured: " in detail for detail in details), details
