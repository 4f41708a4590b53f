"""The check-in reads as they were before issue 14: every check-in and the whole log.

``WholeDiary`` wraps a SQL unit of work so that each bounded read the recovery and
care services make (``services.care.recovery_history``, ``services.recovery.window``)
hands back every check-in up to the day (the whole diary is read once per
transaction), and the decision queries are computed from the whole decision log,
which is what the services read before.
``tests/integration/test_bounded_checkins.py`` checks that the bounded reads give the
same answers as this; ``benchmarks/growth_bench.py`` times the services through it next
to the bounded reads, on the same databases in the same rounds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from types import TracebackType
from typing import Any, Self

from backstride.adapters.db.database import Database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.domain.recovery.return_to_run import Event, StageId
from backstride.services.ports import CheckinDay, SavedCheckin, SavedDecision


class _WholeCheckins:
    """Every bounded read answered from the whole diary, read once per transaction."""

    def __init__(self, inner: Any, owner: WholeDiary) -> None:
        self._inner = inner
        self._owner = owner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def _upto(self, last_day: dt.date) -> list[SavedCheckin]:
        if self._owner.diary is None:
            self._owner.diary = list(self._inner.up_to(dt.date.max))
        return [c for c in self._owner.diary if c.day <= last_day]

    def put(self, checkin: SavedCheckin) -> None:
        self._owner.diary = None
        self._inner.put(checkin)

    def up_to(self, last_day: dt.date) -> Sequence[SavedCheckin]:
        return self._upto(last_day)

    def between(self, first_day: dt.date, last_day: dt.date, **_: Any) -> Sequence[SavedCheckin]:
        return self._upto(last_day)

    def days(self, first_day: dt.date, last_day: dt.date) -> Sequence[CheckinDay]:
        return [CheckinDay.of(c) for c in self._upto(last_day)]

    def on_days(self, days: Collection[dt.date]) -> Sequence[SavedCheckin]:
        return self._upto(dt.date.max)

    def holding(self, last_day: dt.date) -> Sequence[SavedCheckin]:
        return self._upto(last_day)

    def first(self, last_day: dt.date, **_: Any) -> SavedCheckin | None:
        found = self._upto(last_day)
        return found[0] if found else None

    def latest(self, last_day: dt.date, **_: Any) -> Sequence[SavedCheckin]:
        return list(reversed(self._upto(last_day)))

    def unjudged_sessions(self, programme_id: int, first_day: dt.date) -> Sequence[SavedCheckin]:
        return [c for c in self._upto(dt.date.max) if c.day >= first_day]

    def run_start(self, day: dt.date, rule_id: str, level: str) -> dt.date | None:
        began = None
        for c in self._upto(day):
            firing = {e.rule_id: e.level.value for e in c.escalations}
            began = (began or c.day) if firing.get(rule_id) == level else None
        return began


class _WholeLog:
    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def last_decision(
        self, programme_id: int, *, through: dt.date | None = None, sessions_only: bool = False
    ) -> SavedDecision | None:
        found = None
        for d in self._inner.decisions(programme_id):
            if through is not None and d.session_day > through:
                continue
            if sessions_only and d.decision.event is Event.NO_PROGRAMME_SESSION:
                continue
            found = d
        return found

    def decisions_on(self, programme_id: int, days: Collection[dt.date]) -> Sequence[SavedDecision]:
        return [d for d in self._inner.decisions(programme_id) if d.session_day in days]

    def stages(self, programme_id: int, before: dt.date) -> Sequence[tuple[dt.date, StageId]]:
        log = self._inner.decisions(programme_id)
        return [(d.session_day, d.state_after.stage) for d in log if d.session_day < before]


class WholeDiary:
    """A SQL unit of work whose recovery reads see the whole diary and the whole log."""

    def __init__(self, database: Database) -> None:
        self._inner = SqlUnitOfWork(database)
        self.diary: list[SavedCheckin] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @property
    def checkins(self) -> Any:
        return _WholeCheckins(self._inner.checkins, self)

    @property
    def programmes(self) -> Any:
        return _WholeLog(self._inner.programmes)

    def __enter__(self) -> Self:
        self.diary = None
        self._inner.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._inner.__exit__(exc_type, exc, tb)
