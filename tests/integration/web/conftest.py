"""A TestClient over the real app with a fresh SQLite database and a fixed clock."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.web.app import create_app
from tests.conftest import ROOT, fresh_sqlite, load_vignettes

TODAY = dt.date(2026, 3, 4)
NEW_RUNNER = ROOT / "tests" / "spec" / "examples" / "new-runner.json"
FIT_RUN = ROOT / "tests" / "files" / "sportslib_fr945_run_6782987395.fit"


class FixedClock:
    def now(self) -> dt.datetime:
        return dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return TODAY


@pytest.fixture
def db_url(migrated_sqlite: Path, tmp_path: Path) -> str:
    return fresh_sqlite(migrated_sqlite, tmp_path, "web.sqlite")


LOCAL = "http://127.0.0.1"


def csrf_token_of(client: TestClient) -> str:
    """The CSRF token the home page gives this client (its cookie is kept by the client)."""
    page = client.get("/")
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert found, "the page carries no CSRF token"
    return found.group(1)


@pytest.fixture
def bare_client(db_url: str) -> Iterator[TestClient]:
    """A client on the app's own address, without a CSRF token."""
    with TestClient(create_app(db_url, FixedClock()), base_url=LOCAL) as opened:
        yield opened


@pytest.fixture
def client(bare_client: TestClient) -> TestClient:
    """A client that sends this browser's CSRF token with every request, as htmx does."""
    bare_client.headers["X-CSRF-Token"] = csrf_token_of(bare_client)
    return bare_client


def self_care_intake() -> dict[str, Any]:
    """The reference new runner with every safety question answered: self-care.

    (Left unanswered, version 2 of the policy cannot rule an emergency out: soon.)
    """
    from tests.care_support import self_care_intake as answered

    return answered()


def vignette_intake(level: str) -> dict[str, Any]:
    """The first reference vignette whose expected triage is ``level``."""
    for case in load_vignettes():
        if case["expect"]["triage"] == level:
            intake: dict[str, Any] = case["intake"]
            return intake
    raise LookupError(level)


def no_warning_signs() -> dict[str, bool]:
    from backstride.domain.recovery.checkin import WarningSign

    return {sign.value: False for sign in WarningSign}


def detail_paths(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {item["path"] for item in response.json()["detail"]}
