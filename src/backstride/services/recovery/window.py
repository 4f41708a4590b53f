"""The bounded reads the recovery use cases share: what the programme has still to
judge, and its state on a day, without reading the whole diary or decision log.

The care state's check-ins come from :func:`backstride.services.care.recovery_history`;
these add what the return-to-run programme reads from any time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from backstride.domain.recovery.return_to_run import ProgrammeState
from backstride.services.ports import SavedCheckin, SavedProgramme, UnitOfWork


def one_per_day(*groups: Iterable[SavedCheckin]) -> tuple[SavedCheckin, ...]:
    """The check-ins of every group in date order, one a day (a later group wins)."""
    found = {saved.day: saved for group in groups for saved in group}
    return tuple(found[day] for day in sorted(found))


def unjudged_rows(uow: UnitOfWork, programme: SavedProgramme) -> tuple[SavedCheckin, ...]:
    """The programme's sessions with no decision yet, each with the day before it
    (whose next-morning pain is the pain before the session)."""
    rows = uow.checkins.unjudged_sessions(programme.id, programme.started_on)
    before = uow.checkins.on_days({saved.day - dt.timedelta(days=1) for saved in rows})
    return one_per_day(before, rows)


def state_through(uow: UnitOfWork, programme: SavedProgramme, day: dt.date) -> ProgrammeState:
    """The programme's state for ``day``: the one the last session judged up to it left."""
    last = uow.programmes.last_decision(programme.id, through=day)
    return last.state_after if last is not None else programme.start
