"""The job queue's rows in backstride's own schema (migration 0013).

procrastinate keeps its jobs in a schema of its own (``adapters/jobs/schema.py``);
these tables keep what the jobs work on and what a person sees of them: each uploaded
file until it is imported, and each export until it is fetched. Both are a person's
record, with an owner like every such table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.base import Base, Document, UtcDateTime, owner_column

# Where a job stands. A job that failed for a reason worth another try goes back to
# QUEUED (with the reason in ``error``) until its retries run out.
QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
FINISHED = frozenset({DONE, FAILED})


class JobUploadRow(Base):
    __tablename__ = "job_uploads"
    __table_args__ = (
        Index("ix_job_uploads_owner_id_id", "owner_id", "id"),
        Index("ix_job_uploads_owner_id_batch_id", "owner_id", "batch_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    # The first upload of the same request: files sent together are shown together.
    batch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    name: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(BigInteger)
    # The uploaded bytes, until the import has read them all (then emptied: the
    # activities, and their source files, are in the record itself).
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Items read so far (activities, duplicates and files skipped), and how many files
    # the upload holds (1, or an archive's entries; unknown: null).
    done: Mapped[int] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # services.importing.summary_document of the finished import.
    summary: Mapped[dict[str, Any] | None] = mapped_column(Document, nullable=True)


class JobExportRow(Base):
    __tablename__ = "job_exports"
    __table_args__ = (Index("ix_job_exports_owner_id_id", "owner_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(16))
    options: Mapped[dict[str, Any] | None] = mapped_column(Document, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    file_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(80), nullable=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
