"""What the services need from the outside world, as protocols.

The database adapter implements these; tests use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from backstride.domain.assessment import Assessment
from backstride.domain.intake import Intake
from backstride.domain.plan import Plan


@dataclass(frozen=True, slots=True)
class SavedAssessment:
    id: int
    created_at: datetime
    content_version: str
    intake: Intake
    assessment: Assessment


class AssessmentRepository(Protocol):
    def add(
        self, created_at: datetime, content_version: str, intake: Intake, assessment: Assessment
    ) -> int: ...

    def get(self, assessment_id: int) -> SavedAssessment | None: ...

    def latest(self) -> SavedAssessment | None: ...

    def list(self, limit: int = 50) -> Sequence[SavedAssessment]: ...


@dataclass(frozen=True, slots=True)
class SavedPlan:
    id: int
    created_at: datetime
    assessment_id: int | None
    plan: Plan


class PlanRepository(Protocol):
    def add(self, created_at: datetime, assessment_id: int | None, plan: Plan) -> int: ...

    def get(self, plan_id: int) -> SavedPlan | None: ...

    def latest(self) -> SavedPlan | None: ...


class UnitOfWork(Protocol):
    """One transaction: commit keeps every change, leaving without commit keeps none."""

    @property
    def assessments(self) -> AssessmentRepository: ...

    @property
    def plans(self) -> PlanRepository: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...
