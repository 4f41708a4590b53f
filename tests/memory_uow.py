"""An in-memory unit of work for fast property tests of the recovery and care services.

It keeps assessments, plans, check-ins and the return-to-run programme in lists;
every change is visible at once (commit and rollback do nothing), which is all
the services need when one test drives them from one thread. The storage suite
(tests/integration) checks the real adapters against the same protocols.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Self

from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import Intake
from backstride.domain.plan.model import Plan
from backstride.domain.recovery.return_to_run import ProgrammeState
from backstride.services.ports import (
    SavedAssessment,
    SavedCheckin,
    SavedDecision,
    SavedPlan,
    SavedProgramme,
)


@dataclass
class _Assessments:
    saved: list[SavedAssessment] = field(default_factory=list)

    def add(
        self, created_at: dt.datetime, content_version: str, intake: Intake, assessment: Assessment
    ) -> int:
        new_id = len(self.saved) + 1
        self.saved.append(SavedAssessment(new_id, created_at, content_version, intake, assessment))
        return new_id

    def get(self, assessment_id: int) -> SavedAssessment | None:
        return next((a for a in self.saved if a.id == assessment_id), None)

    def latest(self) -> SavedAssessment | None:
        found = self.list(1)
        return found[0] if found else None

    def list(self, limit: int = 50) -> Sequence[SavedAssessment]:
        return sorted(self.saved, key=lambda a: (a.created_at, a.id), reverse=True)[:limit]


@dataclass
class _Plans:
    saved: list[SavedPlan] = field(default_factory=list)

    def add(self, created_at: dt.datetime, assessment_id: int | None, plan: Plan) -> int:
        new_id = len(self.saved) + 1
        self.saved.append(SavedPlan(new_id, created_at, assessment_id, plan))
        return new_id

    def get(self, plan_id: int) -> SavedPlan | None:
        return next((p for p in self.saved if p.id == plan_id), None)

    def latest(self) -> SavedPlan | None:
        return max(self.saved, key=lambda p: (p.created_at, p.id), default=None)


@dataclass
class _Checkins:
    by_day: dict[dt.date, SavedCheckin] = field(default_factory=dict)

    def get(self, day: dt.date) -> SavedCheckin | None:
        return self.by_day.get(day)

    def put(self, checkin: SavedCheckin) -> None:
        self.by_day[checkin.day] = checkin

    def up_to(self, last_day: dt.date) -> Sequence[SavedCheckin]:
        return [self.by_day[d] for d in sorted(self.by_day) if d <= last_day]


@dataclass
class _Programmes:
    started: list[SavedProgramme] = field(default_factory=list)
    log: dict[int, list[SavedDecision]] = field(default_factory=dict)

    def start(self, started_on: dt.date, created_at: dt.datetime, state: ProgrammeState) -> int:
        new_id = len(self.started) + 1
        self.started.append(SavedProgramme(new_id, started_on, created_at, state))
        self.log[new_id] = []
        return new_id

    def current(self) -> SavedProgramme | None:
        return self.started[-1] if self.started else None

    def add_decision(self, programme_id: int, decision: SavedDecision) -> None:
        self.log[programme_id].append(decision)

    def decisions(self, programme_id: int) -> Sequence[SavedDecision]:
        return sorted(self.log.get(programme_id, []), key=lambda d: d.session_day)


@dataclass
class MemoryUnitOfWork:
    assessments: _Assessments = field(default_factory=_Assessments)
    plans: _Plans = field(default_factory=_Plans)
    checkins: _Checkins = field(default_factory=_Checkins)
    programmes: _Programmes = field(default_factory=_Programmes)
    activities: Any = None
    shoes: Any = None

    def lock(self, topic: str) -> None:
        return None

    def commit(self) -> None:
        return None

    def rollback(self) -> None:
        return None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def copy(self) -> MemoryUnitOfWork:
        """An independent copy (lists copied), for trying several futures from one past."""
        return replace(
            self,
            assessments=_Assessments(list(self.assessments.saved)),
            plans=_Plans(list(self.plans.saved)),
            checkins=_Checkins(dict(self.checkins.by_day)),
            programmes=_Programmes(
                list(self.programmes.started), {k: list(v) for k, v in self.programmes.log.items()}
            ),
        )
