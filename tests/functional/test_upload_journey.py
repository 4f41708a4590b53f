"""A runner uploads a real watch file and finds the run in the log."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.functional.conftest import screenshot, settle
from tests.integration.web.conftest import FIT_RUN

pytestmark = pytest.mark.browser


def test_upload_a_fit_file_and_see_it_in_the_run_log(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/runs")
    assert page.get_by_text("No runs yet").is_visible()
    page.get_by_label("Files from your watch or app").set_input_files(str(FIT_RUN))
    page.get_by_role("button", name="Upload").click()
    settle(page)

    result = page.locator("#upload-result")
    expect(result).to_contain_text("1 imported")
    expect(result).to_contain_text("0 duplicates")
    expect(page.locator(".upload-progress progress")).to_be_visible()
    expect(page.locator(".upload-status")).to_have_text("Done.")
    rows = page.locator("#run-log tbody tr")
    expect(rows).to_have_count(1)
    assert "14.00" in rows.first.inner_text()
    screenshot(page, "runs-upload")

    # The same file again is a duplicate, said so with its reason.
    page.get_by_label("Files from your watch or app").set_input_files(str(FIT_RUN))
    page.get_by_role("button", name="Upload").click()
    settle(page)
    expect(result).to_contain_text("1 duplicate")
    expect(rows).to_have_count(1)
