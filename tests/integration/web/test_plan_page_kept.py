"""The plan and home pages are kept as drawn while the data and the day are unchanged (issue 14):
every write, the app's own or anyone else's, and every new day draw it afresh, and
each browser gets its own CSRF token in a kept page."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from backstride.bootstrap import open_storage
from backstride.services import assessing
from backstride.web.app import create_app
from backstride.web.drawn_pages import TOKEN_SLOT, DrawnPages
from tests.care_support import emergency_intake
from tests.integration.web.conftest import LOCAL, TODAY, csrf_token_of, self_care_intake
from tests.integration.web.test_pages import build_plan, saved_assessment


class MovableClock:
    def __init__(self) -> None:
        self.day = TODAY

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(9, 0), tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return self.day


def _token_in(page: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert found
    return found.group(1)


def _plan(client: TestClient) -> str:
    assessment_id = saved_assessment(client, self_care_intake())
    built = build_plan(client, assessment_id)
    assert built.status_code == 303, built.text
    return str(built.headers["location"])


def _drawn(client: TestClient) -> DrawnPages:
    pages: DrawnPages = client.app.state.drawn_pages  # type: ignore[attr-defined]
    return pages


def test_the_same_page_is_drawn_once_and_carries_each_requests_token(
    client: TestClient,
) -> None:
    location = _plan(client)
    first = client.get(location)
    drawn = _drawn(client).drawn
    second = client.get(location)
    assert first.status_code == second.status_code == 200
    assert _drawn(client).drawn == drawn, "the second request reused the drawing"
    assert TOKEN_SLOT not in second.text
    token = _token_in(second.text)
    assert token
    assert token != TOKEN_SLOT
    # The page is the same page but for the token, which the security layer signs anew.
    assert second.text.replace(token, "T") == first.text.replace(_token_in(first.text), "T")
    # The token works: a form posted with it is accepted.
    refused = client.post("/plan", data={"csrf_token": "forged"}, headers={"X-CSRF-Token": ""})
    assert refused.status_code == 403


def test_an_emergency_assessment_replaces_the_kept_plan_at_once(client: TestClient) -> None:
    location = _plan(client)
    assert "Your plan is suspended" not in client.get(location).text
    saved_assessment(client, emergency_intake())
    page = client.get(location).text
    assert "Your plan is suspended" in page
    assert 'class="exercise' not in page


def test_a_write_from_outside_the_app_draws_the_page_again(client: TestClient, db_url: str) -> None:
    location = _plan(client)
    client.get(location)
    drawn = _drawn(client).drawn
    storage = open_storage(db_url)  # another process would do the same
    made = MovableClock()
    intake = assessing.parse_intake(emergency_intake())
    assessing.assess_and_save(storage.unit_of_work(), made, intake)
    storage.dispose()
    page = client.get(location).text
    assert _drawn(client).drawn == drawn + 1
    assert "Your plan is suspended" in page


def test_a_new_day_draws_the_page_again(db_url: str) -> None:
    clock = MovableClock()
    with TestClient(create_app(db_url, clock), base_url=LOCAL) as client:
        client.headers["X-CSRF-Token"] = csrf_token_of(client)
        location = _plan(client)
        client.get(location)
        drawn = _drawn(client).drawn
        client.get(location)
        assert _drawn(client).drawn == drawn
        clock.day = TODAY + dt.timedelta(days=1)
        client.get(location)
        assert _drawn(client).drawn == drawn + 1


def test_two_browsers_get_their_own_token_from_one_drawing(db_url: str) -> None:
    clock = MovableClock()
    app = create_app(db_url, clock)
    with (
        TestClient(app, base_url=LOCAL) as one,
        TestClient(app, base_url=LOCAL) as other,
    ):
        one.headers["X-CSRF-Token"] = csrf_token_of(one)
        location = _plan(one)
        mine = one.get(location).text
        theirs = other.get(location).text
        assert _token_in(mine) != _token_in(theirs)
        # Each token is good for its own browser only.
        accepted = other.post("/plan", data={}, headers={"X-CSRF-Token": _token_in(theirs)})
        assert accepted.status_code != 403
        refused = other.post("/plan", data={}, headers={"X-CSRF-Token": _token_in(mine)})
        assert refused.status_code == 403


def test_the_home_page_is_kept_too_and_follows_a_new_assessment(client: TestClient) -> None:
    client.get("/")
    drawn = _drawn(client).drawn
    client.get("/")
    assert _drawn(client).drawn == drawn
    saved_assessment(client, emergency_intake())
    page = client.get("/").text
    assert _drawn(client).drawn == drawn + 1
    assert "emergency" in page.lower()
