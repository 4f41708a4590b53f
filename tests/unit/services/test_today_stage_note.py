"""Today words the run from the stage reached, never from the plan's saved note (issue 13
item 2): after moving up to stage 7 the first line and the walk-run box say the same."""

from __future__ import annotations

import datetime as dt

from backstride.content.loader import load_programme_thresholds
from backstride.domain.plan.model import Preferences
from backstride.domain.plan.run_schedule import usual_from_intake
from backstride.domain.recovery.checkin import SessionKind
from backstride.domain.recovery.return_to_run import ProgrammeState, StageId
from backstride.services import assessing, planning, recovery
from backstride.services.clock import FixedClock
from tests.care_support import self_care_intake
from tests.fakes import FakeUnitOfWork

RTR = load_programme_thresholds()
START = dt.date(2026, 3, 2)


def test_the_first_line_names_the_stage_reached_not_the_plans_start() -> None:
    uow = FakeUnitOfWork()
    parsed = assessing.parse_intake(self_care_intake())
    clock = FixedClock(dt.datetime.combine(START, dt.time(8), dt.UTC))
    planning.plan_and_save_from_intake(uow, clock, parsed, Preferences(start_date=START))
    usual, _ = usual_from_intake(parsed, RTR)
    with uow:
        uow.programmes.start(START, clock.now(), ProgrammeState(StageId.RUN_30, usual))
        uow.commit()
    run_days = []
    for offset in range(14):
        advice = recovery.today(uow, START + dt.timedelta(days=offset))
        session = advice.session
        assert "run, 20 min" not in advice.plan_note, advice.plan_note
        if session is not None and session.kind is SessionKind.RUN:
            assert advice.stage is StageId.RUN_30
            assert session.minutes == 30
            assert "30 min" in advice.plan_note, advice.plan_note
            run_days.append(offset)
        elif session is not None and session.kind is SessionKind.REST:
            assert "Rest day from running" in advice.plan_note
    assert run_days, "a stage-7 runner has run days in two weeks"
