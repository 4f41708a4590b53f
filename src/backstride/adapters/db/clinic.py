"""The clinic's tables: consent links, invitations, the audit log, alerts and a
clinician's changes to a runner's plan (migration 0012).

A link exists only because the runner entered a clinician's invitation code, and
ends when the runner unlinks; every way a clinician reaches a runner's record goes
through :meth:`SqlClinicRepository.is_linked`. Links, alerts and changes belong to
the runner (``owner_id``), so they move the runner's data revision and travel with
the runner's export. The audit log is append-only: nothing here updates or deletes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.adapters.db.accounts import UserRow, _account
from backstride.adapters.db.base import Base, Document, UtcDateTime, owner_column
from backstride.services.clinic_ports import (
    Account,
    AuditEntry,
    CareAlert,
    ClinicianChange,
    ClinicianChangeKind,
)


class CareLinkRow(Base):
    __tablename__ = "care_links"
    __table_args__ = (Index("ix_care_links_clinician_id_ended_at", "clinician_id", "ended_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The runner: the link is theirs to make and to end.
    owner_id: Mapped[int] = owner_column()
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class InvitationRow(Base):
    __tablename__ = "invitations"

    # SHA-256 of the code, hex: the code itself is shown once, to the clinician.
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    used_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_runner_id_at", "runner_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    # No foreign keys: an entry outlives the accounts it names.
    actor_id: Mapped[int] = mapped_column(Integer)
    runner_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(200))


class AlertRow(Base):
    __tablename__ = "care_alerts"
    __table_args__ = (
        Index("ix_care_alerts_clinician_id_acknowledged_at", "clinician_id", "acknowledged_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16))
    # The escalation rules behind it, " X1 X6 ".
    rules: Mapped[str] = mapped_column(String(160))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ClinicianChangeRow(Base):
    __tablename__ = "clinician_changes"
    __table_args__ = (
        Index("ix_clinician_changes_owner_id_withdrawn_at", "owner_id", "withdrawn_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(16))
    exercise: Mapped[str | None] = mapped_column(String(80), nullable=True)
    replacement: Mapped[str | None] = mapped_column(String(80), nullable=True)
    dose: Mapped[dict[str, Any] | None] = mapped_column(Document, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


def _change(row: ClinicianChangeRow, clinician_name: str) -> ClinicianChange:
    return ClinicianChange(
        id=row.id,
        runner_id=row.owner_id,
        clinician_id=row.clinician_id,
        clinician_name=clinician_name,
        created_at=row.created_at,
        kind=ClinicianChangeKind(row.kind),
        exercise=row.exercise,
        replacement=row.replacement,
        dose=dict(row.dose) if row.dose else None,
        note=row.note,
    )


def _alert(row: AlertRow, runner_name: str) -> CareAlert:
    return CareAlert(
        id=row.id,
        runner_id=row.owner_id,
        runner_name=runner_name,
        clinician_id=row.clinician_id,
        created_at=row.created_at,
        day=row.day,
        kind=row.kind,
        level=row.level,
        rules=tuple(row.rules.split()),
        acknowledged_at=row.acknowledged_at,
    )


class SqlClinicRepository:
    """Links, invitations, audit, alerts and changes; every method names the accounts
    it is about, and none reads a runner's health record."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # --- invitations and links --------------------------------------------------------

    def add_invitation(
        self, code_hash: str, clinician_id: int, created_at: datetime, expires_at: datetime
    ) -> None:
        self._session.add(
            InvitationRow(
                code_hash=code_hash,
                clinician_id=clinician_id,
                created_at=created_at,
                expires_at=expires_at,
            )
        )
        self._session.flush()

    def take_invitation(self, code_hash: str, runner_id: int, now: datetime) -> int | None:
        """Mark an unused, unexpired invitation used; the clinician it came from, or None.

        One UPDATE with the conditions in its WHERE: two runners racing for the same
        code cannot both get it.
        """
        statement = (
            update(InvitationRow)
            .where(
                InvitationRow.code_hash == code_hash,
                InvitationRow.used_at.is_(None),
                InvitationRow.expires_at > now,
            )
            .values(used_at=now, used_by=runner_id)
            .returning(InvitationRow.clinician_id)
        )
        return self._session.execute(statement).scalar_one_or_none()

    def link(self, runner_id: int, clinician_id: int, now: datetime) -> None:
        if not self.is_linked(runner_id, clinician_id):
            self._session.add(
                CareLinkRow(owner_id=runner_id, clinician_id=clinician_id, linked_at=now)
            )
            self._session.flush()

    def unlink(self, runner_id: int, clinician_id: int, now: datetime) -> bool:
        result = self._session.execute(
            update(CareLinkRow)
            .where(
                CareLinkRow.owner_id == runner_id,
                CareLinkRow.clinician_id == clinician_id,
                CareLinkRow.ended_at.is_(None),
            )
            .values(ended_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    def is_linked(self, runner_id: int, clinician_id: int) -> bool:
        query = select(CareLinkRow.id).where(
            CareLinkRow.owner_id == runner_id,
            CareLinkRow.clinician_id == clinician_id,
            CareLinkRow.ended_at.is_(None),
        )
        return self._session.execute(query.limit(1)).first() is not None

    def clinicians_of(self, runner_id: int) -> Sequence[Account]:
        query = (
            select(UserRow)
            .join(CareLinkRow, CareLinkRow.clinician_id == UserRow.id)
            .where(CareLinkRow.owner_id == runner_id, CareLinkRow.ended_at.is_(None))
            .order_by(UserRow.display_name, UserRow.id)
        )
        return [_account(row) for row in self._session.scalars(query)]

    def runners_of(self, clinician_id: int) -> Sequence[Account]:
        query = (
            select(UserRow)
            .join(CareLinkRow, CareLinkRow.owner_id == UserRow.id)
            .where(CareLinkRow.clinician_id == clinician_id, CareLinkRow.ended_at.is_(None))
            .order_by(UserRow.display_name, UserRow.id)
        )
        return [_account(row) for row in self._session.scalars(query)]

    # --- audit ------------------------------------------------------------------------

    def audit(self, at: datetime, actor_id: int, runner_id: int, action: str, detail: str) -> None:
        self._session.add(
            AuditRow(
                at=at, actor_id=actor_id, runner_id=runner_id, action=action, detail=detail[:200]
            )
        )
        self._session.flush()

    def audit_of(self, runner_id: int, limit: int = 50) -> Sequence[AuditEntry]:
        query = (
            select(AuditRow, UserRow.display_name)
            .outerjoin(UserRow, UserRow.id == AuditRow.actor_id)
            .where(AuditRow.runner_id == runner_id)
            .order_by(AuditRow.at.desc(), AuditRow.id.desc())
            .limit(limit)
        )
        return [
            AuditEntry(row.at, row.actor_id, name or "(removed account)", row.action, row.detail)
            for row, name in self._session.execute(query)
        ]

    # --- alerts -----------------------------------------------------------------------

    def raise_alerts(
        self, runner_id: int, day: date, kind: str, level: str, rules: Sequence[str], now: datetime
    ) -> int:
        """An alert for every clinician linked to the runner who has none of this kind
        for the day yet (a re-sent check-in raises no second one); how many."""
        raised = select(AlertRow.id).where(
            AlertRow.owner_id == runner_id,
            AlertRow.clinician_id == CareLinkRow.clinician_id,
            AlertRow.day == day,
            AlertRow.kind == kind,
        )
        clinicians = self._session.scalars(
            select(CareLinkRow.clinician_id).where(
                CareLinkRow.owner_id == runner_id,
                CareLinkRow.ended_at.is_(None),
                ~raised.exists(),
            )
        ).all()
        for clinician_id in clinicians:
            self._session.add(
                AlertRow(
                    owner_id=runner_id,
                    clinician_id=clinician_id,
                    created_at=now,
                    day=day,
                    kind=kind,
                    level=level,
                    rules=f" {' '.join(rules)} ",
                )
            )
        self._session.flush()
        return len(clinicians)

    def alerts_for(self, clinician_id: int, *, open_only: bool = True) -> Sequence[CareAlert]:
        query = (
            select(AlertRow, UserRow.display_name)
            .join(UserRow, UserRow.id == AlertRow.owner_id)
            .join(
                CareLinkRow,
                (CareLinkRow.owner_id == AlertRow.owner_id)
                & (CareLinkRow.clinician_id == AlertRow.clinician_id)
                & CareLinkRow.ended_at.is_(None),
            )
            .where(AlertRow.clinician_id == clinician_id)
            .order_by(AlertRow.created_at.desc(), AlertRow.id.desc())
        )
        if open_only:
            query = query.where(AlertRow.acknowledged_at.is_(None))
        return [_alert(row, name) for row, name in self._session.execute(query)]

    def acknowledge(self, alert_id: int, clinician_id: int, now: datetime) -> bool:
        result = self._session.execute(
            update(AlertRow)
            .where(
                AlertRow.id == alert_id,
                AlertRow.clinician_id == clinician_id,
                AlertRow.acknowledged_at.is_(None),
            )
            .values(acknowledged_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    # --- a clinician's changes ----------------------------------------------------------

    def add_change(
        self,
        runner_id: int,
        clinician_id: int,
        at: datetime,
        kind: ClinicianChangeKind,
        *,
        exercise: str | None = None,
        replacement: str | None = None,
        dose: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> int:
        row = ClinicianChangeRow(
            owner_id=runner_id,
            clinician_id=clinician_id,
            created_at=at,
            kind=kind.value,
            exercise=exercise,
            replacement=replacement,
            dose=dose,
            note=note,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def changes_for(self, runner_id: int) -> Sequence[ClinicianChange]:
        """The changes in force, oldest first (a later one wins where they overlap): those
        of clinicians the runner is still linked to, not withdrawn."""
        query = (
            select(ClinicianChangeRow, UserRow.display_name)
            .join(UserRow, UserRow.id == ClinicianChangeRow.clinician_id)
            # Only while the runner stays linked to the clinician who made them.
            .join(
                CareLinkRow,
                (CareLinkRow.owner_id == ClinicianChangeRow.owner_id)
                & (CareLinkRow.clinician_id == ClinicianChangeRow.clinician_id)
                & CareLinkRow.ended_at.is_(None),
            )
            .where(
                ClinicianChangeRow.owner_id == runner_id,
                ClinicianChangeRow.withdrawn_at.is_(None),
            )
            .order_by(ClinicianChangeRow.created_at, ClinicianChangeRow.id)
        )
        return [_change(row, name) for row, name in self._session.execute(query)]

    def withdraw_change(self, change_id: int, runner_id: int, now: datetime) -> bool:
        result = self._session.execute(
            update(ClinicianChangeRow)
            .where(
                ClinicianChangeRow.id == change_id,
                ClinicianChangeRow.owner_id == runner_id,
                ClinicianChangeRow.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=now)
        )
        return bool(getattr(result, "rowcount", 0))
