"""Two browsers on one clinic server on PostgreSQL (issue 15, "done when"): a runner on a
phone and a clinician on a desktop go from an invitation to a plan change the runner
sees, and a warning sign at check-in alerts the clinician. Every page they use passes
axe-core with no serious or critical violation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from backstride.bootstrap import open_storage
from backstride.domain.plan.model import Preferences
from backstride.services import assessing, planning
from backstride.services.clinic_ports import Role
from backstride.services.clock import SystemClock
from backstride.web.app import create_app
from tests.accounts_support import CHEAP, PASSWORD, add_accounts
from tests.care_support import self_care_intake
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, _postgres_schema_url
from tests.functional.conftest import screenshot, serving, settle
from tests.functional.test_library_and_body_map import axe_problems

pytestmark = pytest.mark.browser


@pytest.fixture
def clinic_server() -> Iterator[str]:
    """`serve --multi-user` on a fresh PostgreSQL schema, with Ann (runner, assessed and
    planned) and Cleo (clinician)."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("BACKSTRIDE_REQUIRE_POSTGRES=1 but BACKSTRIDE_TEST_POSTGRES_URL is not set")
        pytest.skip("the clinic server needs PostgreSQL (BACKSTRIDE_TEST_POSTGRES_URL)")
    for url in _postgres_schema_url(POSTGRES_URL):
        clock = SystemClock()
        ann = add_accounts(url, clock, [("ann", Role.RUNNER), ("cleo", Role.CLINICIAN)])["ann"].id
        storage = open_storage(url)
        intake = assessing.parse_intake(self_care_intake())
        assessing.assess_and_save(storage.unit_of_work(ann), clock, intake)
        planned = planning.plan_from_latest(
            storage.unit_of_work(ann), Preferences(start_date=clock.today())
        )
        planning.save_plan(storage.unit_of_work(ann), clock, planned)
        storage.dispose()
        with serving(create_app(url, multi_user=True, passwords=CHEAP)) as address:
            yield address


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/")
    page.wait_for_url(re.compile(r"/login"))
    check_axe(page, "login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def check_axe(page: Any, name: str) -> None:
    settle(page)
    found = axe_problems(page)
    assert not found, f"{name}: {found}"


def test_invitation_to_plan_change_to_alert(browser: Any, clinic_server: str) -> None:
    base = clinic_server
    # bypass_csp: only so that the test can add axe-core to the pages.
    runner_context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    clinician_context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    runner = runner_context.new_page()
    runner.screen_name = "phone"
    clinician = clinician_context.new_page()
    clinician.screen_name = "desktop"
    try:
        # The clinician logs in and makes an invitation code.
        log_in(clinician, base, "cleo")
        clinician.wait_for_url(re.compile(r"/clinic$"))
        expect(clinician.get_by_text("No runner shares their record with you yet")).to_be_visible()
        clinician.get_by_role("button", name="New invitation code").click()
        code = clinician.locator("[data-invitation]").inner_text()
        assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
        check_axe(clinician, "caseload")

        # The runner logs in on the phone and shares their record with the code.
        log_in(runner, base, "ann")
        runner.wait_for_url(re.compile(rf"^{re.escape(base)}/$"))
        runner.goto(base + "/account/sharing")
        check_axe(runner, "sharing")
        runner.get_by_label("Invitation code").fill(code.lower())
        runner.get_by_role("button", name="Share my record").click()
        expect(runner.get_by_text("You now share your record with Cleo")).to_be_visible()
        screenshot(runner, "clinic-shared")

        # The clinician sees Ann, opens her record and takes an exercise out, with a note.
        clinician.goto(base + "/clinic")
        clinician.get_by_role("link", name="Ann").click()
        clinician.wait_for_url(re.compile(r"/clinic/runners/\d+$"))
        check_axe(clinician, "record")
        options = clinician.locator("#exercise option")
        slug = options.nth(1).get_attribute("value")
        name = options.nth(1).inner_text()
        clinician.get_by_text("Remove an exercise", exact=True).click()
        clinician.get_by_label("Exercise in the plan").select_option(slug)
        clinician.get_by_label("Note to the runner").fill("Leave this one out for two weeks.")
        clinician.get_by_role("button", name="Save the change").click()
        expect(clinician.locator('[data-change="remove"]')).to_have_count(1)
        screenshot(clinician, "clinic-record")

        # The runner's plan says so, and the exercise is gone from it.
        runner.goto(base + "/plan")
        physio = runner.locator("#from-physio")
        expect(physio).to_contain_text("From your physiotherapist")
        expect(physio).to_contain_text("Leave this one out for two weeks.")
        expect(runner.locator(f"#exercise-{slug}")).to_have_count(0)
        assert name
        check_axe(runner, "plan with a change")
        screenshot(runner, "clinic-plan-changed")

        # A warning sign at check-in: an emergency for the runner, an alert for Cleo.
        runner.goto(base + "/checkin")
        runner.get_by_role("group", name=re.compile("^Back pain right now")).get_by_text(
            "6", exact=True
        ).click()
        settle(runner)
        runner.get_by_role(
            "group", name=re.compile("^Worst back pain in the last 24 hours")
        ).get_by_text("7", exact=True).click()
        runner.get_by_role("group", name=re.compile("between your legs")).get_by_text(
            "Yes", exact=True
        ).click()
        runner.get_by_text("None of these apply to me").click()
        runner.get_by_role("button", name="Save check-in").click()
        expect(runner.get_by_role("alert").first).to_contain_text("Emergency")

        clinician.goto(base + "/clinic")
        alerts = clinician.locator('[data-alert="warning_sign"]')
        expect(alerts).to_have_count(1)
        expect(alerts.first).to_contain_text("Ann")
        expect(clinician.locator('[data-runner="ann"]')).to_have_attribute("data-need", "care now")
        check_axe(clinician, "caseload with an alert")
        screenshot(clinician, "clinic-alert")

        # The clinician's pages on a phone: nothing scrolls sideways, axe still passes.
        clinician.set_viewport_size({"width": 360, "height": 740})
        clinician.screen_name = "phone"
        for path in ("/clinic", clinician_record_path(clinician, base)):
            clinician.goto(base + path)
            check_axe(clinician, f"{path} at 360 px")
            width = clinician.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} is {width} px wide at 360 px"
        screenshot(clinician, "clinic-record")
    finally:
        runner_context.close()
        clinician_context.close()


def clinician_record_path(page: Any, base: str) -> str:
    page.goto(base + "/clinic")
    href = page.get_by_role("link", name="Ann").first.get_attribute("href")
    assert href
    return str(href)
