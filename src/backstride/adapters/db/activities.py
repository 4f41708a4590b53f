"""Imported and hand-entered runs, and the shoes they were run in.

One row per activity. Its per-second streams are one compressed blob
(``Streams.to_bytes()``) in a table of their own, ``activity_streams``, written in
the same transaction: storing a batch of runs is two multi-row INSERTs, an activity
is complete or absent, never half there, and listing and load queries never touch
the blobs (on SQLite, summary columns stored after a blob in one row sat on its
overflow pages). Manual runs live in the same table (``manual`` true, no streams) so
that every load figure sums one table.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.adapters.db.base import Base, Document, UtcDateTime, owner_column
from backstride.services.ports import (
    ActivityData,
    ActivityKey,
    ActivityMeasure,
    LogPosition,
    SavedActivity,
    SavedShoe,
)


class ShoeRow(Base):
    __tablename__ = "shoes"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    name: Mapped[str] = mapped_column(String(80))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Distance the pair had done before it was logged here.
    started_km: Mapped[float] = mapped_column(Float, default=0.0)


class ActivityRow(Base):
    __tablename__ = "activities"
    __table_args__ = (
        # The same file (and session within it) is stored once, whatever the import path.
        UniqueConstraint("owner_id", "source_sha256", "source_index"),
        # The log's order, newest first: pages of it (a keyset on start and id) and
        # windows by start time are index range scans (migrations 0008, 0012).
        Index("ix_activities_start_utc_id", "owner_id", "start_utc", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    sport: Mapped[str] = mapped_column(String(24))
    start_utc: Mapped[datetime] = mapped_column(UtcDateTime())
    utc_offset_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    elapsed_s: Mapped[float] = mapped_column(Float)
    moving_s: Mapped[float] = mapped_column(Float)
    timer_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    distance_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    ascent_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_hr: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_hr: Mapped[float | None] = mapped_column(Float, nullable=True)
    avg_cadence_spm: Mapped[float | None] = mapped_column(Float, nullable=True)
    device: Mapped[str | None] = mapped_column(String(120), nullable=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    gear: Mapped[str | None] = mapped_column(String(120), nullable=True)
    source_format: Mapped[str] = mapped_column(String(8))
    source_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    source_name: Mapped[str] = mapped_column(String(500))
    source_index: Mapped[int] = mapped_column(Integer, default=0)
    richness: Mapped[int] = mapped_column(Integer)
    samples: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[list[str]] = mapped_column(Document)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    surface: Mapped[str | None] = mapped_column(String(16), nullable=True)
    pain_0_10: Mapped[int | None] = mapped_column(Integer, nullable=True)
    shoe_id: Mapped[int | None] = mapped_column(
        ForeignKey("shoes.id", ondelete="SET NULL"), nullable=True, index=True
    )


class ActivityTotalsRow(Base):
    """How many activities each person's log holds, kept by the repository in the
    transaction of every insert and delete (a row per owner; migrations 0011 and 0012
    filled it from the log), so the run log's total is one row read, not a count over
    the whole log."""

    __tablename__ = "activity_totals"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    activities: Mapped[int] = mapped_column(Integer)


class ActivityStreamsRow(Base):
    __tablename__ = "activity_streams"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    owner_id: Mapped[int] = owner_column()
    streams: Mapped[bytes] = mapped_column(LargeBinary)


class ActivitySourceRow(Base):
    """The file an activity came from, as it was uploaded (migration 0012), so that a
    person's export carries their original files and a restore reads them back."""

    __tablename__ = "activity_sources"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime())


# Columns a richer source overwrites; the others belong to the runner.
_SOURCE_COLUMNS = (
    "sport",
    "start_utc",
    "elapsed_s",
    "moving_s",
    "timer_s",
    "distance_m",
    "ascent_m",
    "avg_hr",
    "max_hr",
    "avg_cadence_spm",
    "device",
    "source_format",
    "source_sha256",
    "source_name",
    "source_index",
    "richness",
    "samples",
    "imported_at",
    "manual",
)
# Kept from the old source when the new one has nothing to say.
_KEPT_IF_MISSING = ("utc_offset_s", "name", "gear")
_SUMMARY = list(ActivityRow.__table__.columns)


def _values(data: ActivityData) -> dict[str, Any]:
    values = {
        column.name: getattr(data, column.name)
        for column in _SUMMARY
        if column.name not in ("id", "owner_id")
    }
    values["warnings"] = list(data.warnings)
    return values


def _record(row: Any, shoe_name: str | None) -> SavedActivity:
    return SavedActivity(
        id=row.id,
        sport=row.sport,
        start_utc=row.start_utc,
        utc_offset_s=row.utc_offset_s,
        elapsed_s=row.elapsed_s,
        moving_s=row.moving_s,
        timer_s=row.timer_s,
        distance_m=row.distance_m,
        ascent_m=row.ascent_m,
        avg_hr=row.avg_hr,
        max_hr=row.max_hr,
        avg_cadence_spm=row.avg_cadence_spm,
        device=row.device,
        name=row.name,
        gear=row.gear,
        source_format=row.source_format,
        source_sha256=row.source_sha256,
        source_name=row.source_name,
        source_index=row.source_index,
        richness=row.richness,
        samples=row.samples,
        warnings=tuple(row.warnings or ()),
        imported_at=row.imported_at,
        manual=row.manual,
        surface=row.surface,
        pain_0_10=row.pain_0_10,
        shoe_id=row.shoe_id,
        shoe_name=shoe_name,
    )


def _older_than(position: LogPosition | None) -> Any:
    """Rows after ``position`` in the log's order (start, then id, newest first).

    Spelled as a range on the start column plus a tie-break, not as a row value, so
    that SQLite and PostgreSQL both read it as a range of the (start_utc, id) index.
    """
    if position is None:
        return None
    start, last = ActivityRow.start_utc, ActivityRow.id
    return (start <= position.start_utc) & ((start < position.start_utc) | (last < position.id))


class SqlActivityRepository:
    def __init__(self, session: Session, owner: int) -> None:
        self._session = session
        self._owner = owner
        # In every query: the owner's activities only.
        self._mine = ActivityRow.owner_id == owner

    def keys(self) -> Sequence[ActivityKey]:
        query = select(
            ActivityRow.id,
            ActivityRow.start_utc,
            ActivityRow.utc_offset_s,
            ActivityRow.distance_m,
            ActivityRow.elapsed_s,
            ActivityRow.source_format,
            ActivityRow.source_sha256,
            ActivityRow.source_name,
            ActivityRow.source_index,
            ActivityRow.richness,
            ActivityRow.samples,
            ActivityRow.manual,
        )
        query = query.where(self._mine).order_by(ActivityRow.start_utc, ActivityRow.id)
        return [ActivityKey(**row._asdict()) for row in self._session.execute(query)]

    def write(
        self, inserts: Sequence[ActivityData], replacements: Sequence[tuple[int, ActivityData]]
    ) -> Sequence[int]:
        ids: list[int] = []
        if inserts:
            # One multi-row INSERT for the batch, one for its blobs: no per-sample rows.
            statement = insert(ActivityRow).returning(ActivityRow.id, sort_by_parameter_order=True)
            rows = [{**_values(data), "owner_id": self._owner} for data in inserts]
            result = self._session.execute(statement, rows)
            ids = list(result.scalars())
            blobs = [
                {"activity_id": activity_id, "owner_id": self._owner, "streams": data.streams}
                for activity_id, data in zip(ids, inserts, strict=True)
                if data.streams is not None
            ]
            if blobs:
                self._session.execute(insert(ActivityStreamsRow), blobs)
            self._count(len(ids))
        for activity_id, data in replacements:
            self._replace(activity_id, data)
        self._session.flush()
        return ids

    def _replace(self, activity_id: int, data: ActivityData) -> None:
        row = self._session.get(ActivityRow, activity_id)
        if row is None or row.owner_id != self._owner:
            raise LookupError(f"activity {activity_id} is not stored")
        for column in _SOURCE_COLUMNS:
            setattr(row, column, getattr(data, column))
        for column in _KEPT_IF_MISSING:
            value = getattr(data, column)
            if value is not None:
                setattr(row, column, value)
        row.warnings = list(data.warnings)
        if row.shoe_id is None and data.shoe_id is not None:
            row.shoe_id = data.shoe_id
        blob = self._session.get(ActivityStreamsRow, activity_id)
        if data.streams is None:
            if blob is not None:
                self._session.delete(blob)
        elif blob is None:
            self._session.add(
                ActivityStreamsRow(
                    activity_id=activity_id, owner_id=self._owner, streams=data.streams
                )
            )
        else:
            blob.streams = data.streams

    def get(self, activity_id: int) -> SavedActivity | None:
        found = self._summaries(ActivityRow.id == activity_id)
        return found[0] if found else None

    def list(self, limit: int | None = None) -> Sequence[SavedActivity]:
        return self._summaries(None, limit)

    def between(self, start: datetime, end: datetime) -> Sequence[SavedActivity]:
        # A range on the indexed start column: the rest of the log is never read.
        return self._summaries((ActivityRow.start_utc >= start) & (ActivityRow.start_utc < end))

    def measures_between(self, start: datetime, end: datetime) -> Sequence[ActivityMeasure]:
        query = (
            select(
                ActivityRow.sport,
                ActivityRow.start_utc,
                ActivityRow.utc_offset_s,
                ActivityRow.distance_m,
                ActivityRow.moving_s,
                ActivityRow.elapsed_s,
            )
            .where(self._mine, ActivityRow.start_utc >= start, ActivityRow.start_utc < end)
            .order_by(ActivityRow.start_utc.desc(), ActivityRow.id.desc())
        )
        return [ActivityMeasure(*row) for row in self._session.execute(query)]

    def page(self, limit: int | None, before: LogPosition | None = None) -> Sequence[SavedActivity]:
        return self._summaries(_older_than(before), limit)

    def count(self, *, before: LogPosition | None = None) -> int:
        if before is None:
            kept = self._session.scalar(
                select(ActivityTotalsRow.activities).where(
                    ActivityTotalsRow.owner_id == self._owner
                )
            )
            if kept is not None:
                return int(kept)
        query = select(func.count(ActivityRow.id)).where(self._mine)
        where = _older_than(before)
        if where is not None:
            query = query.where(where)
        return int(self._session.execute(query).scalar_one())

    def _count(self, change: int) -> None:
        """Add ``change`` to the kept total, in this transaction (an UPDATE that adds,
        so concurrent writers never lose each other's change). The owner's row is
        made by migration 0012 or when the account is added (``accounts.add``)."""
        if change:
            kept = ActivityTotalsRow.activities
            self._session.execute(
                update(ActivityTotalsRow)
                .where(ActivityTotalsRow.owner_id == self._owner)
                .values(activities=kept + change)
            )

    def first(self, *, sports: Collection[str] | None = None) -> SavedActivity | None:
        found = self._ends(None, sports, ActivityRow.start_utc.asc(), ActivityRow.id.asc())
        return found[0] if found else None

    def last_before(
        self, end: datetime, *, sports: Collection[str] | None = None
    ) -> SavedActivity | None:
        found = self._ends(end, sports, ActivityRow.start_utc.desc(), ActivityRow.id.desc())
        return found[0] if found else None

    def _ends(
        self, end: datetime | None, sports: Collection[str] | None, *order: Any
    ) -> Sequence[SavedActivity]:
        query = (
            select(*_SUMMARY, ShoeRow.name.label("shoe_name"))
            .outerjoin(ShoeRow, ShoeRow.id == ActivityRow.shoe_id)
            .where(self._mine)
            .order_by(*order)
            .limit(1)
        )
        if end is not None:
            query = query.where(ActivityRow.start_utc < end)
        if sports is not None:
            query = query.where(ActivityRow.sport.in_(sorted(sports)))
        return [_record(row, row.shoe_name) for row in self._session.execute(query)]

    def shoe_totals(self) -> dict[int, tuple[float, int]]:
        metres = case((ActivityRow.distance_m > 0, ActivityRow.distance_m), else_=0.0)
        query = (
            select(ActivityRow.shoe_id, func.sum(metres), func.count())
            .where(self._mine, ActivityRow.shoe_id.is_not(None))
            .group_by(ActivityRow.shoe_id)
        )
        return {
            int(shoe_id): (float(total or 0.0), int(count))
            for shoe_id, total, count in self._session.execute(query)
        }

    def _summaries(self, where: Any, limit: int | None = None) -> Sequence[SavedActivity]:
        query = (
            select(*_SUMMARY, ShoeRow.name.label("shoe_name"))
            .outerjoin(ShoeRow, ShoeRow.id == ActivityRow.shoe_id)
            .where(self._mine)
            .order_by(ActivityRow.start_utc.desc(), ActivityRow.id.desc())
        )
        if where is not None:
            query = query.where(where)
        if limit is not None:
            query = query.limit(limit)
        return [_record(row, row.shoe_name) for row in self._session.execute(query)]

    def streams(self, activity_id: int) -> bytes | None:
        query = select(ActivityStreamsRow.streams).where(
            ActivityStreamsRow.activity_id == activity_id,
            ActivityStreamsRow.owner_id == self._owner,
        )
        return self._session.execute(query).scalar_one_or_none()

    def assign_shoe(self, activity_id: int, shoe_id: int | None) -> bool:
        if shoe_id is not None and not self._session.scalar(
            select(ShoeRow.id).where(ShoeRow.id == shoe_id, ShoeRow.owner_id == self._owner)
        ):
            return False  # somebody else's shoe, or none
        result = self._session.execute(
            update(ActivityRow)
            .where(self._mine, ActivityRow.id == activity_id)
            .values(shoe_id=shoe_id)
        )
        self._session.flush()
        return bool(getattr(result, "rowcount", 0))

    def remove(self, activity_id: int) -> bool:
        self._session.execute(
            delete(ActivityStreamsRow).where(
                ActivityStreamsRow.activity_id == activity_id,
                ActivityStreamsRow.owner_id == self._owner,
            )
        )
        result = self._session.execute(
            delete(ActivityRow).where(self._mine, ActivityRow.id == activity_id)
        )
        removed = int(getattr(result, "rowcount", 0) or 0)
        self._count(-removed)
        self._session.flush()
        return bool(removed)


class SqlActivitySourceRepository:
    """The owner's original activity files, by content hash."""

    def __init__(self, session: Session, owner: int) -> None:
        self._session = session
        self._owner = owner

    def keep(self, sha256: str, name: str, content: bytes, at: datetime) -> None:
        """Store the file unless the owner already has one with this hash."""
        known = select(ActivitySourceRow.sha256).where(
            ActivitySourceRow.owner_id == self._owner, ActivitySourceRow.sha256 == sha256
        )
        if self._session.scalar(known) is None:
            self._session.add(
                ActivitySourceRow(
                    owner_id=self._owner, sha256=sha256, name=name, content=content, stored_at=at
                )
            )
            self._session.flush()

    def hashes(self) -> Sequence[str]:
        query = (
            select(ActivitySourceRow.sha256)
            .where(ActivitySourceRow.owner_id == self._owner)
            .order_by(ActivitySourceRow.sha256)
        )
        return list(self._session.scalars(query))

    def get(self, sha256: str) -> tuple[str, bytes] | None:
        """The file's name and content."""
        query = select(ActivitySourceRow.name, ActivitySourceRow.content).where(
            ActivitySourceRow.owner_id == self._owner, ActivitySourceRow.sha256 == sha256
        )
        found = self._session.execute(query).first()
        return (found.name, found.content) if found else None


def _shoe(row: ShoeRow) -> SavedShoe:
    return SavedShoe(row.id, row.name, row.is_default, row.retired, row.started_km)


class SqlShoeRepository:
    def __init__(self, session: Session, owner: int) -> None:
        self._session = session
        self._owner = owner
        # In every query: the owner's shoes only.
        self._mine = ShoeRow.owner_id == owner

    def add(self, name: str, started_km: float) -> int:
        row = ShoeRow(
            owner_id=self._owner,
            name=name,
            started_km=started_km,
            is_default=False,
            retired=False,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def by_name(self, name: str) -> SavedShoe | None:
        rows = self._session.scalars(select(ShoeRow).where(self._mine).order_by(ShoeRow.id))
        # Names are matched ignoring case, in Python, the same way on every database.
        wanted = name.strip().casefold()
        return next((_shoe(row) for row in rows if row.name.casefold() == wanted), None)

    def list(self) -> Sequence[SavedShoe]:
        query = select(ShoeRow).where(self._mine).order_by(ShoeRow.id)
        return [_shoe(row) for row in self._session.scalars(query)]

    def set_default(self, shoe_id: int | None) -> None:
        self._session.execute(update(ShoeRow).where(self._mine).values(is_default=False))
        if shoe_id is not None:
            self._session.execute(
                update(ShoeRow).where(self._mine, ShoeRow.id == shoe_id).values(is_default=True)
            )
        self._session.flush()

    def retire(self, shoe_id: int) -> None:
        self._session.execute(
            update(ShoeRow)
            .where(self._mine, ShoeRow.id == shoe_id)
            .values(retired=True, is_default=False)
        )
        self._session.flush()
