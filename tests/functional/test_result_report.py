"""The result page in a browser: the instruction first, tap-to-call, the clinician part closed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import screenshot
from tests.integration.web.test_assessment_report import built_intakes, incomplete

pytestmark = pytest.mark.browser


def open_result(page, live_server: str, intake: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    token = page.locator('meta[name="csrf-token"]')
    headers = {"X-CSRF-Token": token.get_attribute("content") or ""} if token.count() else {}
    response = page.request.post(
        live_server + "/api/v1/assessments?save=true", data=intake, headers=headers
    )
    assert response.status == 201, response.text()
    assessment_id = response.headers["location"].rsplit("/", 1)[-1]
    page.goto(f"{live_server}/assessments/{assessment_id}")


def test_an_emergency_leads_with_a_number_to_tap(  # type: ignore[no-untyped-def]
    page, live_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_LOCALE", "GB")
    open_result(page, live_server, built_intakes()["emergency"])
    banner = page.get_by_role("status").first
    expect(banner).to_contain_text("Emergency")
    call = page.get_by_role("link", name="Call 999")
    expect(call).to_be_visible()
    assert call.get_attribute("href") == "tel:999"
    # Nothing above the banner.
    assert page.locator("main > *").first.get_attribute("class") == "banner emergency"
    expect(page.get_by_role("heading", name="Tell them:")).to_be_visible()
    # The causes are for the clinician, behind a closed section.
    expect(page.get_by_role("heading", name="Likely causes (not a diagnosis)")).to_be_hidden()
    page.get_by_text("For the clinician who sees you").click()
    expect(page.get_by_role("heading", name="Likely causes (not a diagnosis)")).to_be_visible()
    screenshot(page, "result-emergency-report")


def test_an_unfinished_safety_check_is_the_first_thing_read(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    open_result(page, live_server, incomplete("self_care"))
    first = page.locator("main > *").first
    expect(first).to_contain_text("The safety check is not finished")
    expect(page.get_by_role("alert").first).to_contain_text("cannot rule out an emergency")
    expect(page.get_by_role("link", name="Build my plan")).to_have_count(0)
    screenshot(page, "result-screen-incomplete")
