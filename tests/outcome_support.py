"""A runner's history for the outcome-measure and summary tests (issue 15 items 3 and 4).

``seed_runner`` stores, through the services, a self-care assessment (pain 6 now, two
activities scored 2 and 5) on ``ASSESSED``, a plan, and three check-ins over four
weeks (pain 5, 4, 3; activities 4/6 then 6/7); with ``emergency`` a later assessment
reporting saddle numbness (cauda equina: care needed now).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backstride.bootstrap import open_storage
from backstride.domain.plan.model import Preferences
from backstride.services import assessing, planning, recovery
from backstride.services.clock import FixedClock
from backstride.services.ports import UnitOfWork
from tests.builders import checkin_document
from tests.care_support import emergency_intake, self_care_intake

ASSESSED = dt.date(2026, 2, 2)
LAST = ASSESSED + dt.timedelta(days=28)
FUNCTION = [
    {"activity": "running 5 km", "score_0_10": 2},
    {"activity": "sitting at work", "score_0_10": 5},
]


def clock(day: dt.date) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(9), dt.UTC))


def psfs(running: int, sitting: int) -> list[dict[str, Any]]:
    return [
        {"activity": "running 5 km", "score_0_10": running},
        {"activity": "sitting at work", "score_0_10": sitting},
    ]


def assess(uow: UnitOfWork, document: dict[str, Any], day: dt.date) -> None:
    assessing.assess_and_save(uow, clock(day), assessing.parse_intake(document))


def check_in(uow: UnitOfWork, day: dt.date, pain: int, **fields: Any) -> None:
    document = checkin_document(day, pain=pain, worst=max(pain, 4), **fields)
    recovery.record_checkin(uow, clock(day), recovery.parse_checkin(document))


def runner_intake() -> dict[str, Any]:
    document = self_care_intake(now=6, worst=7)
    document["function"] = FUNCTION
    return document


def seed(uow_of: Any, *, emergency: bool = False) -> None:
    """The history through ``uow_of()``, a fresh unit of work per use case."""
    assess(uow_of(), runner_intake(), ASSESSED)
    planned = planning.plan_from_latest(uow_of(), Preferences(start_date=ASSESSED))
    planning.save_plan(uow_of(), clock(ASSESSED), planned)
    check_in(uow_of(), ASSESSED + dt.timedelta(days=1), 5)
    check_in(uow_of(), ASSESSED + dt.timedelta(days=14), 4, psfs=psfs(4, 6))
    check_in(uow_of(), LAST, 3, psfs=psfs(6, 7))
    if emergency:
        assess(uow_of(), emergency_intake(), LAST)


def seed_runner(db_url: str, *, emergency: bool = False) -> None:
    """The history stored in the database at ``db_url``."""
    storage = open_storage(db_url)
    try:
        seed(storage.unit_of_work, emergency=emergency)
    finally:
        storage.dispose()
