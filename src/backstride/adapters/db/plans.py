"""Saved plans: the plan document, the assessment it was built from, and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.adapters.db.base import Base, Document, UtcDateTime, owner_column
from backstride.adapters.db.clinic import SqlClinicRepository
from backstride.content.library import load_exercises
from backstride.domain.plan.adjust import Adjustment, adjust
from backstride.domain.plan.model import Plan
from backstride.services.ports import SavedPlan


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_owner_id_created_at", "owner_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True
    )
    content_version: Mapped[str] = mapped_column(String(64))
    plan: Mapped[dict[str, object]] = mapped_column(Document)


def _to_record(row: PlanRow, changes: Sequence[Adjustment]) -> SavedPlan:
    stored = Plan.model_validate(row.plan)
    if not changes:
        return SavedPlan(row.id, row.created_at, row.assessment_id, stored)
    titles = {slug: str(exercise.name) for slug, exercise in load_exercises().items()}
    adjusted = adjust(stored, changes, titles)
    return SavedPlan(row.id, row.created_at, row.assessment_id, adjusted.plan, adjusted)


class SqlPlanRepository:
    def __init__(self, session: Session, owner: int) -> None:
        self._session = session
        self._owner = owner

    def _changes(self) -> Sequence[Adjustment]:
        """The changes in force of the clinicians the owner is linked to, oldest first."""
        return [
            Adjustment(
                kind=change.kind.value,
                by=change.clinician_name,
                at=change.created_at,
                exercise=change.exercise,
                replacement=change.replacement,
                dose=change.dose,
                note=change.note,
            )
            for change in SqlClinicRepository(self._session).changes_for(self._owner)
        ]

    def add(self, created_at: datetime, assessment_id: int | None, plan: Plan) -> int:
        row = PlanRow(
            owner_id=self._owner,
            created_at=created_at,
            assessment_id=assessment_id,
            content_version=plan.content_version,
            plan=plan.to_document(),
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, plan_id: int) -> SavedPlan | None:
        query = select(PlanRow).where(PlanRow.id == plan_id, PlanRow.owner_id == self._owner)
        row = self._session.scalars(query).first()
        return _to_record(row, self._changes()) if row else None

    def latest(self) -> SavedPlan | None:
        query = (
            select(PlanRow)
            .where(PlanRow.owner_id == self._owner)
            .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return _to_record(row, self._changes()) if row else None
