"""Saved assessments: the intake, the assessment and the content version that made it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Index, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.adapters.db.base import Base, Document, UtcDateTime, owner_column
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import Intake
from backstride.services.ports import SavedAssessment


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_owner_id_created_at", "owner_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    content_version: Mapped[str] = mapped_column(String(64))
    triage_level: Mapped[str] = mapped_column(String(16))
    intake: Mapped[dict[str, object]] = mapped_column(Document)
    assessment: Mapped[dict[str, object]] = mapped_column(Document)


def _to_record(row: AssessmentRow) -> SavedAssessment:
    return SavedAssessment(
        id=row.id,
        created_at=row.created_at,
        content_version=row.content_version,
        intake=Intake.model_validate(row.intake),
        assessment=Assessment.model_validate(row.assessment),
    )


class SqlAssessmentRepository:
    def __init__(self, session: Session, owner: int) -> None:
        self._session = session
        self._owner = owner

    def add(
        self, created_at: datetime, content_version: str, intake: Intake, assessment: Assessment
    ) -> int:
        row = AssessmentRow(
            owner_id=self._owner,
            created_at=created_at,
            content_version=content_version,
            triage_level=assessment.triage.level,
            intake=intake.to_document(),
            assessment=assessment.to_document(),
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, assessment_id: int) -> SavedAssessment | None:
        query = select(AssessmentRow).where(
            AssessmentRow.id == assessment_id, AssessmentRow.owner_id == self._owner
        )
        row = self._session.scalars(query).first()
        return _to_record(row) if row else None

    def latest(self) -> SavedAssessment | None:
        found = self.list(limit=1)
        return found[0] if found else None

    def list(self, limit: int = 50) -> Sequence[SavedAssessment]:
        query = (
            select(AssessmentRow)
            .where(AssessmentRow.owner_id == self._owner)
            .order_by(AssessmentRow.created_at.desc(), AssessmentRow.id.desc())
            .limit(limit)
        )
        return [_to_record(row) for row in self._session.scalars(query)]
