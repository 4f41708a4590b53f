"""Saved plans: the plan document, the assessment it was built from, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.adapters.db.base import Base, Document, UtcDateTime, owner_column
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


def _to_record(row: PlanRow) -> SavedPlan:
    return SavedPlan(row.id, row.created_at, row.assessment_id, Plan.model_validate(row.plan))


class SqlPlanRepository:
    def __init__(self, session: Session, owner: int) -> None:
        self._session = session
        self._owner = owner

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
        return _to_record(row) if row else None

    def latest(self) -> SavedPlan | None:
        query = (
            select(PlanRow)
            .where(PlanRow.owner_id == self._owner)
            .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return _to_record(row) if row else None
