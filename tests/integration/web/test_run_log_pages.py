"""The run log a page at a time (issue 14): the /runs page and GET /api/v1/activities."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from backstride.web.pages.runs import LOG_ROWS
from tests.builders import hand_entered_runs, write_runs
from tests.integration.web.conftest import detail_paths

LAST = dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)


def log(db_url: str, count: int) -> None:
    """``count`` runs, one a day at 07:00 UTC up to 1 March 2026, in one transaction."""
    write_runs(db_url, hand_entered_runs(count, LAST))


def rows(page: str) -> int:
    return page.count('<td class="num" data-label="km">')


def test_the_runs_page_shows_a_page_and_links_to_the_older_ones(
    client: TestClient, db_url: str
) -> None:
    log(db_url, LOG_ROWS + 30)
    first = client.get("/runs")
    assert first.status_code == 200
    assert rows(first.text) == LOG_ROWS
    assert f"{LOG_ROWS + 30} activities, the newest {LOG_ROWS} shown." in first.text
    older = re.search(
        r'<a href="(/runs\?before=[A-Za-z0-9_-]{22}#run-log)" rel="next">', first.text
    )
    assert older, first.text
    assert "Newest runs" not in first.text

    second = client.get(older.group(1).split("#")[0])
    assert second.status_code == 200
    assert rows(second.text) == 30
    assert f"{LOG_ROWS + 30} activities, 30 shown, 0 older." in second.text
    assert 'href="/runs#run-log">Newest runs</a>' in second.text
    assert 'rel="next"' not in second.text
    # The oldest run, 129 days before the newest, is on the second page only.
    assert "23 Oct 2025" in second.text
    assert "23 Oct 2025" not in first.text


def test_a_short_log_has_no_page_links(client: TestClient, db_url: str) -> None:
    log(db_url, 3)
    page = client.get("/runs").text
    assert rows(page) == 3
    assert "3 activities. Times are local" in page
    assert "Older runs" not in page
    assert "Newest runs" not in page


def test_a_link_past_the_end_or_not_made_by_backstride(client: TestClient, db_url: str) -> None:
    log(db_url, 3)
    past = client.get("/runs", params={"before": "AAAAAAAAAAAAAAAAAAAAAA"})  # 1970
    assert past.status_code == 200
    assert "No older runs." in past.text
    assert "No runs yet" not in past.text
    broken = client.get("/runs", params={"before": "older"})
    assert broken.status_code == 400
    assert "not one backstride made" in broken.text


def test_the_api_pages_the_log_with_an_opaque_cursor(client: TestClient, db_url: str) -> None:
    log(db_url, 105)
    first = client.get("/api/v1/activities").json()
    assert (len(first["activities"]), first["total"]) == (100, 105)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", first["next"])
    rest = client.get("/api/v1/activities", params={"cursor": first["next"]}).json()
    assert (len(rest["activities"]), rest["total"], rest["next"]) == (5, 105, None)
    ids = [a["id"] for a in first["activities"] + rest["activities"]]
    assert ids == list(range(1, 106))  # one a day back from the newest: ids in date order
    whole = client.get("/api/v1/activities", params={"limit": 1000}).json()
    assert [a["id"] for a in whole["activities"]] == ids
    assert whole["next"] is None
    small = client.get("/api/v1/activities", params={"limit": 2}).json()
    assert [a["id"] for a in small["activities"]] == [1, 2]
    assert small["next"] is not None


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"cursor": "not a cursor"}, "cursor"),
        ({"cursor": "AAAAAAAAAAAAAAAAAAAAAB"}, "cursor"),
        ({"cursor": ""}, "cursor"),
        ({"limit": 1001}, "limit"),
        ({"limit": 0}, "limit"),
    ],
)
def test_a_malformed_cursor_or_limit_is_422_at_its_parameter(
    client: TestClient, params: dict[str, object], where: str
) -> None:
    response = client.get("/api/v1/activities", params=params)
    assert detail_paths(response) == {where}
    assert response.json()["detail"][0]["loc"] == ["query", where]
