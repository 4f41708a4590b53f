"""Every statement the repositories send about a person's record names its owner
(migration 0012), and two people's records never mix: one person's full use of the
app, then another's, leaves the first person's documents as they were.

The statements are recorded from the engine itself while the services do a runner's
day (assess, plan, check in, import runs, shoes, progress), so a query added later
without ``owner_id`` fails here, whichever repository it is in.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa

from backstride.bootstrap import open_storage
from backstride.domain.plan.model import Preferences
from backstride.services import assessing, importing, planning, recovery, training
from backstride.services.clinic_ports import Role
from backstride.services.clock import FixedClock
from tests.accounts_support import add_accounts
from tests.builders import checkin_document, gpx
from tests.care_support import self_care_intake

CLOCK = FixedClock(dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC))
OWNED = (
    "assessments",
    "plans",
    "checkins",
    "programmes",
    "programme_decisions",
    "activities",
    "activity_streams",
    "activity_sources",
    "activity_totals",
    "shoes",
    "care_alerts",
    "clinician_changes",
    "care_links",
    "data_revision",
)
TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+\"?(\w+)\"?", re.IGNORECASE)
# The ORM writing back a row it loaded (by a query that named the owner): by primary key.
FLUSH = re.compile(r"^UPDATE (\w+) SET .+ WHERE \1\.id = (\?|%\(\w+\)s(::INTEGER)?)$")


def _a_day_of(storage: Any, owner: int, pain: int) -> None:
    uow = lambda: storage.unit_of_work(owner)  # noqa: E731 - a factory, read as one
    intake = assessing.parse_intake(self_care_intake())
    assessing.assess_and_save(uow(), CLOCK, intake)
    planned = planning.plan_from_latest(uow(), Preferences(start_date=CLOCK.today()))
    planning.save_plan(uow(), CLOCK, planned)
    for back in range(3):
        day = CLOCK.today() - dt.timedelta(days=back)
        document = recovery.parse_checkin(checkin_document(day, pain=pain, worst=pain + 1))
        recovery.record_checkin(uow(), CLOCK, document)
    start = dt.datetime(2026, 3, 10, 7, tzinfo=dt.UTC)
    importing.import_bytes(uow(), CLOCK, "run.gpx", gpx(start))
    training.add_shoe(uow(), "Daily trainer", default=True)
    training.run_page(uow(), 10)
    recovery.progress(uow(), CLOCK.today(), CLOCK.today() - dt.timedelta(days=28))
    recovery.today(uow(), CLOCK.today())


def _statements(engine: sa.Engine) -> list[str]:
    seen: list[str] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def record(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        seen.append(statement)

    return seen


def test_every_statement_about_a_record_names_its_owner(database_url: str) -> None:
    ann = add_accounts(database_url, CLOCK, [("ann", Role.RUNNER)])["ann"]
    storage = open_storage(database_url)
    try:
        seen = _statements(storage.database.engine)
        _a_day_of(storage, ann.id, pain=3)
        about_records = [s for s in seen if set(TABLE.findall(s)) & set(OWNED)]
        assert about_records, "the services used the database"
        unscoped = {s for s in about_records if "owner_id" not in s and not FLUSH.match(s)}
        assert sorted(unscoped) == []
    finally:
        storage.dispose()


def _documents(storage: Any, owner: int) -> dict[str, Any]:
    with storage.unit_of_work(owner) as uow:
        return {
            "assessments": [a.assessment.to_document() for a in uow.assessments.list()],
            "plan": uow.plans.latest().plan.to_document() if uow.plans.latest() else None,
            "checkins": [c.document.to_document() for c in uow.checkins.up_to(CLOCK.today())],
            "activities": [a.id for a in uow.activities.list()],
            "shoes": [s.name for s in uow.shoes.list()],
            "count": uow.activities.count(),
            "revision": uow.revision(),
        }


def test_another_persons_use_changes_nothing_of_mine(database_url: str) -> None:
    made = add_accounts(database_url, CLOCK, [("ann", Role.RUNNER), ("bob", Role.RUNNER)])
    ann, bob = made["ann"].id, made["bob"].id
    storage = open_storage(database_url)
    try:
        _a_day_of(storage, ann, pain=3)
        mine = _documents(storage, ann)
        assert mine["checkins"]
        assert mine["activities"]
        assert mine["count"] == 1
        _a_day_of(storage, bob, pain=6)  # the same days, the same file, the same shoe name
        assert _documents(storage, ann) == mine
        theirs = _documents(storage, bob)
        assert set(theirs["activities"]).isdisjoint(mine["activities"])
        assert theirs["checkins"] != mine["checkins"]
        # The local person's record is a third one, empty.
        assert _documents(storage, 1)["checkins"] == []
    finally:
        storage.dispose()
